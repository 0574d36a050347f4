# Joins a Mac to the network of cinnabar (the zerotier controller) and prints the
# address to commit as zerotier/<machine>.ip so the controller admits it.
{ inputs, ... }:
{
  flake.modules.darwin.zerotier-join =
    {
      config,
      lib,
      pkgs,
      ...
    }:
    let
      controller = "cinnabar";
      networkIdFile = "${inputs.self}/vars/per-machine/cinnabar/zerotier/zerotier-network-id/value";
      # Empty until the controller's first `clan vars generate`/deploy is committed.
      networkId =
        if builtins.pathExists networkIdFile then lib.trim (builtins.readFile networkIdFile) else "";
      join = pkgs.writeShellApplication {
        name = "zerotier-join";
        runtimeInputs = [
          pkgs.coreutils
          pkgs.gnugrep
        ];
        text = ''
          network=${lib.escapeShellArg networkId}
          ctl=${lib.escapeShellArg controller}
          host=${lib.escapeShellArg config.networking.hostName}
          if [ -z "$network" ]; then
            echo "zerotier: controller $ctl has no network id yet: deploy it, commit vars/, then rebuild $host." >&2
            exit 0
          fi
          PATH="$PATH:/usr/local/bin:/opt/homebrew/bin:/run/current-system/sw/bin"
          if ! command -v zerotier-cli >/dev/null; then
            echo "zerotier: zerotier-cli is not installed yet; skipping the join." >&2
            exit 0
          fi
          if ! zerotier-cli info >/dev/null 2>&1; then
            echo "zerotier: the zerotier-one service is not running; skipping the join." >&2
            exit 0
          fi
          if ! zerotier-cli listnetworks | grep -q "$network"; then
            zerotier-cli join "$network"
          fi
          # rfc4193 address: fd, the network id, 9993, the 10-digit node id.
          node=$(zerotier-cli info | cut -d ' ' -f 3)
          hex="fd''${network}9993''${node}"
          ip="''${hex:0:4}:''${hex:4:4}:''${hex:8:4}:''${hex:12:4}:''${hex:16:4}:''${hex:20:4}:''${hex:24:4}:''${hex:28:4}"
          echo "zerotier: $host is $ip on network $network."
          echo "zerotier: to admit it, commit that address as zerotier/$host.ip and run: clan machines update $ctl"
        '';
      };
    in
    {
      environment.systemPackages = [ join ];
      # Runs on every darwin-rebuild; a failed join never fails activation.
      system.activationScripts.postActivation.text = lib.mkAfter ''
        ${join}/bin/zerotier-join || true
      '';
    };
}
