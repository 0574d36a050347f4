# Account user-01 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-01/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-01.nix.
{
  clan.inventory.instances.user-user-01 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-001 = { };
      node-051 = { };
    };
    roles.default.settings = {
      user = "user-01";
      groups = [ "wheel" ];
      share = true;
      prompt = false;
    };
  };
}
