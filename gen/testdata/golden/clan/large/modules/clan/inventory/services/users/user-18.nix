# Account user-18 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-18/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-18.nix.
{
  clan.inventory.instances.user-user-18 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-018 = { };
      node-068 = { };
    };
    roles.default.settings = {
      user = "user-18";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
