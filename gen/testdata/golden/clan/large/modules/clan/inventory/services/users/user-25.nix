# Account user-25 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-25/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-25.nix.
{
  clan.inventory.instances.user-user-25 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-025 = { };
      node-075 = { };
    };
    roles.default.settings = {
      user = "user-25";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
