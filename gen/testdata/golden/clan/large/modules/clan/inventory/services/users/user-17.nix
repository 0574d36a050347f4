# Account user-17 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-17/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-17.nix.
{
  clan.inventory.instances.user-user-17 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-017 = { };
      node-067 = { };
    };
    roles.default.settings = {
      user = "user-17";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
