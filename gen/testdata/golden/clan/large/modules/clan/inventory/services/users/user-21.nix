# Account user-21 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-21/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-21.nix.
{
  clan.inventory.instances.user-user-21 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-021 = { };
      node-071 = { };
    };
    roles.default.settings = {
      user = "user-21";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
