# Account user-20 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-20/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-20.nix.
{
  clan.inventory.instances.user-user-20 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-020 = { };
      node-070 = { };
    };
    roles.default.settings = {
      user = "user-20";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
