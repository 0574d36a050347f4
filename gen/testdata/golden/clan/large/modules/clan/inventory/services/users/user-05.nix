# Account user-05 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-05/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-05.nix.
{
  clan.inventory.instances.user-user-05 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-005 = { };
      node-055 = { };
    };
    roles.default.settings = {
      user = "user-05";
      groups = [ "wheel" ];
      share = true;
      prompt = false;
    };
  };
}
