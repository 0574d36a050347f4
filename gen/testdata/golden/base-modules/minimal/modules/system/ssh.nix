# SSH accepts keys only. Admins may log in as root: clan deploys as root@<targetHost>.
# The host key itself comes from the clan sshd service (clan vars generator `openssh`).
# Part of flake.modules.nixos.base (every file defining it is merged).
{
  flake.modules.nixos.base =
    { ... }:
    {
      services.openssh.enable = true;
      services.openssh.settings.PasswordAuthentication = false;
      services.openssh.settings.KbdInteractiveAuthentication = false;
      services.openssh.settings.PermitRootLogin = "prohibit-password";
      users.users.root.openssh.authorizedKeys.keys = [
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF3xLicVBToCoPjc02HYeVDt+UrHAyfFJVvmE644gKZK admin@fixture"
      ];
    };
}
