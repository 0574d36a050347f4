# Account user-38 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-38/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-38.nix.
{
  clan.inventory.instances.user-user-38 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-038 = { };
      node-088 = { };
    };
    roles.default.settings = {
      user = "user-38";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
