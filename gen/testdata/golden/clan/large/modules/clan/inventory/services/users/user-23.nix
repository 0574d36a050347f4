# Account user-23 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-23/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-23.nix.
{
  clan.inventory.instances.user-user-23 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-023 = { };
      node-073 = { };
    };
    roles.default.settings = {
      user = "user-23";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
