# Account user-41 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-41/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-41.nix.
{
  clan.inventory.instances.user-user-41 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-041 = { };
      node-091 = { };
    };
    roles.default.settings = {
      user = "user-41";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
