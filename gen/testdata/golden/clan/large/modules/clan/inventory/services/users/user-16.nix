# Account user-16 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-16/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-16.nix.
{
  clan.inventory.instances.user-user-16 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-016 = { };
      node-066 = { };
    };
    roles.default.settings = {
      user = "user-16";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
