# Account user-43 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-43/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-43.nix.
{
  clan.inventory.instances.user-user-43 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-043 = { };
      node-093 = { };
    };
    roles.default.settings = {
      user = "user-43";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
