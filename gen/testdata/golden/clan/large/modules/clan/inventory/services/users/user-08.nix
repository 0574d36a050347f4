# Account user-08 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-08/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-08.nix.
{
  clan.inventory.instances.user-user-08 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-008 = { };
      node-058 = { };
    };
    roles.default.settings = {
      user = "user-08";
      groups = [ "wheel" ];
      share = true;
      prompt = false;
    };
  };
}
