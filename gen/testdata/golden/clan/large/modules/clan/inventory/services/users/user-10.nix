# Account user-10 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-10/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-10.nix.
{
  clan.inventory.instances.user-user-10 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-010 = { };
      node-060 = { };
    };
    roles.default.settings = {
      user = "user-10";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
