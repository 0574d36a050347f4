# Account user-31 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-31/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-31.nix.
{
  clan.inventory.instances.user-user-31 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-031 = { };
      node-081 = { };
    };
    roles.default.settings = {
      user = "user-31";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
