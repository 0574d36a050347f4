# Account user-33 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-33/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-33.nix.
{
  clan.inventory.instances.user-user-33 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-033 = { };
      node-083 = { };
    };
    roles.default.settings = {
      user = "user-33";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
