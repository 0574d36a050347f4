# Account user-30 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-30/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-30.nix.
{
  clan.inventory.instances.user-user-30 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-030 = { };
      node-080 = { };
    };
    roles.default.settings = {
      user = "user-30";
      groups = [ ];
      share = true;
      prompt = false;
    };
  };
}
