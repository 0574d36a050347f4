# Account user-46 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-46/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-46.nix.
{
  clan.inventory.instances.user-user-46 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-046 = { };
      node-096 = { };
    };
    roles.default.settings = {
      user = "user-46";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
