# Account user-35 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-35/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-35.nix.
{
  clan.inventory.instances.user-user-35 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-035 = { };
      node-085 = { };
    };
    roles.default.settings = {
      user = "user-35";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
