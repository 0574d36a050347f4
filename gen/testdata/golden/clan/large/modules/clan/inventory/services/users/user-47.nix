# Account user-47 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-47/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-47.nix.
{
  clan.inventory.instances.user-user-47 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-047 = { };
      node-097 = { };
    };
    roles.default.settings = {
      user = "user-47";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
