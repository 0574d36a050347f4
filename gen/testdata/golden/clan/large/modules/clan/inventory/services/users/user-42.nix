# Account user-42 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-42/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-42.nix.
{
  clan.inventory.instances.user-user-42 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-042 = { };
      node-092 = { };
    };
    roles.default.settings = {
      user = "user-42";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
