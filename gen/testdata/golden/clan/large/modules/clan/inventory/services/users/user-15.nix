# Account user-15 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-15/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-15.nix.
{
  clan.inventory.instances.user-user-15 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-015 = { };
      node-065 = { };
    };
    roles.default.settings = {
      user = "user-15";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
