# Account user-28 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-28/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-28.nix.
{
  clan.inventory.instances.user-user-28 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-028 = { };
      node-078 = { };
    };
    roles.default.settings = {
      user = "user-28";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
