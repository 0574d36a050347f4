# Account user-13 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-13/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-13.nix.
{
  clan.inventory.instances.user-user-13 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-013 = { };
      node-063 = { };
    };
    roles.default.settings = {
      user = "user-13";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
