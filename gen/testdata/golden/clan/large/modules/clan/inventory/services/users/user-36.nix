# Account user-36 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-36/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-36.nix.
{
  clan.inventory.instances.user-user-36 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-036 = { };
      node-086 = { };
    };
    roles.default.settings = {
      user = "user-36";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
