# Account user-07 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-07/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-07.nix.
{
  clan.inventory.instances.user-user-07 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-007 = { };
      node-057 = { };
    };
    roles.default.settings = {
      user = "user-07";
      groups = [ "wheel" ];
      share = true;
      prompt = false;
    };
  };
}
