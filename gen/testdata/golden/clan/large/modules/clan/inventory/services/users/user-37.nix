# Account user-37 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-37/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-37.nix.
{
  clan.inventory.instances.user-user-37 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-037 = { };
      node-087 = { };
    };
    roles.default.settings = {
      user = "user-37";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
