# Account user-22 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-22/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-22.nix.
{
  clan.inventory.instances.user-user-22 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-022 = { };
      node-072 = { };
    };
    roles.default.settings = {
      user = "user-22";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
