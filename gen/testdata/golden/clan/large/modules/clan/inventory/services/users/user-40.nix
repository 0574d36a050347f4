# Account user-40 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-40/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-40.nix.
{
  clan.inventory.instances.user-user-40 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-040 = { };
      node-090 = { };
    };
    roles.default.settings = {
      user = "user-40";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
