# Account user-11 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-11/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-11.nix.
{
  clan.inventory.instances.user-user-11 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-011 = { };
      node-061 = { };
    };
    roles.default.settings = {
      user = "user-11";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
