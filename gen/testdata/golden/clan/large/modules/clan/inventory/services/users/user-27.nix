# Account user-27 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-27/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-27.nix.
{
  clan.inventory.instances.user-user-27 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-027 = { };
      node-077 = { };
    };
    roles.default.settings = {
      user = "user-27";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
