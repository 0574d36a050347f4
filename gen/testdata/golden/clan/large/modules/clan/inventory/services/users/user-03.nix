# Account user-03 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-03/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-03.nix.
{
  clan.inventory.instances.user-user-03 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-003 = { };
      node-053 = { };
    };
    roles.default.settings = {
      user = "user-03";
      groups = [ "wheel" ];
      share = true;
      prompt = false;
    };
  };
}
