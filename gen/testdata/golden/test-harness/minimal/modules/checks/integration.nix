# VM tests (Linux with KVM only, built by `nix flake check`, skipped by --no-build).
# Kept light on purpose: each boots a small VM with the machine's hostname and sshd
# and checks both, not the machine's full configuration (that needs its clan vars
# and disks). Extend a test's node with more of the machine's settings as needed.
{ lib, ... }:
{
  perSystem =
    { pkgs, ... }:
    {
      checks = lib.optionalAttrs pkgs.stdenv.hostPlatform.isLinux {
        integration-server = pkgs.testers.runNixOSTest {
          name = "integration-server";
          nodes.server = {
            services.openssh.enable = true;
            networking.hostName = "server";
          };
          testScript = ''
            start_all()
            for m in machines:
                m.wait_for_unit("sshd.service")
                m.wait_for_open_port(22)
                hostname = m.succeed("hostname").strip()
                assert hostname == m.name, f"hostname is {hostname!r}, expected {m.name!r}"
          '';
        };
      };
    };
}
