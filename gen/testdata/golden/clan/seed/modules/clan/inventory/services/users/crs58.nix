# Account crs58 on its NixOS machines, with a password generated once and
# shared by all of them (`clan vars get <machine> user-password-crs58/user-password`).
# Identity, shell and SSH keys: modules/system/users/crs58.nix.
{
  clan.inventory.instances.user-crs58 = {
    module = {
      name = "users";
      input = "clan-core";
    };
    roles.default.machines = {
      cinnabar = { };
      electrum = { };
    };
    roles.default.settings = {
      user = "crs58";
      groups = [ "wheel" ];
      share = true;
      prompt = false;
    };
  };
}
