# Account user-26 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-26/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-26.nix.
{
  clan.inventory.instances.user-user-26 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-026 = { };
      node-076 = { };
    };
    roles.default.settings = {
      user = "user-26";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
