# Account user-12 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-12/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-12.nix.
{
  clan.inventory.instances.user-user-12 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-012 = { };
      node-062 = { };
    };
    roles.default.settings = {
      user = "user-12";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
