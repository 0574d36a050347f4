# Account user-06 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-06/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-06.nix.
{
  clan.inventory.instances.user-user-06 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-006 = { };
      node-056 = { };
    };
    roles.default.settings = {
      user = "user-06";
      groups = [ "wheel" ];
      share = true;
      prompt = false;
    };
  };
}
