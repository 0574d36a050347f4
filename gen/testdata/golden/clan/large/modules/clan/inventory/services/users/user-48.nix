# Account user-48 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-48/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-48.nix.
{
  clan.inventory.instances.user-user-48 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-048 = { };
      node-098 = { };
    };
    roles.default.settings = {
      user = "user-48";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
