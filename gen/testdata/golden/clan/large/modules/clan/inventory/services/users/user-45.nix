# Account user-45 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-45/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-45.nix.
{
  clan.inventory.instances.user-user-45 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-045 = { };
      node-095 = { };
    };
    roles.default.settings = {
      user = "user-45";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
