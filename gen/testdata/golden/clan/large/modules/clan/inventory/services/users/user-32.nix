# Account user-32 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-32/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-32.nix.
{
  clan.inventory.instances.user-user-32 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-032 = { };
      node-082 = { };
    };
    roles.default.settings = {
      user = "user-32";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
