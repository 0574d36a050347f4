# Account user-02 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-user-02/user-password`).
# Identity, shell and SSH keys: modules/system/users/user-02.nix.
{
  clan.inventory.instances.user-user-02 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      node-002 = { };
      node-052 = { };
    };
    roles.default.settings = {
      user = "user-02";
      groups = [ "wheel" ];
      share = true;
      prompt = false;
    };
  };
}
