# Account user-00 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-00/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-00.nix.
{
  clan.inventory.instances.user-user-00 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-000 = { };
      node-050 = { };
    };
    roles.default.settings = {
      user = "user-00";
      groups = [ "wheel" ];
      share = true;
      prompt = false;
    };
  };
}
