# Joins a Mac to the network of cinnabar (the zerotier controller) and prints the
# node id to commit as zerotier/<machine>.node-id so the controller admits it.
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
      networkIdFile = "${inputs.self}/vars/shared/zerotier-network-zerotier/network-id/value";
      # Empty until `clan vars generate` has run for the controller and this checkout has its vars/.
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
          if [ "$(id -u)" != 0 ]; then
            echo "zerotier: run it as root (sudo zerotier-join): zerotier-one's auth token is root's." >&2
            exit 1
          fi
          if [ -z "$network" ]; then
            echo "zerotier: no network id yet: run clan vars generate $ctl (clan commits vars/), pull it here, then rebuild $host." >&2
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
          # "200 info <node id> <version> <status>"
          node=$(zerotier-cli info | cut -d ' ' -f 3)
          echo "zerotier: $host has node id $node on network $network."
          echo "zerotier: to admit it, in the fleet repository: mkdir -p zerotier; echo $node > zerotier/$host.node-id; git add zerotier; clan machines update $ctl (with --target-host root@<address> unless its targetHost resolves here)"
        '';
      };
    in
    {
      environment.systemPackages = [ join ];
      # Runs on every darwin-rebuild; a failed join never fails activation. $systemConfig is the
      # system being activated (nix-darwin's activate script): /run/current-system points at it
      # only after this step, and the launchd variant's zerotier-cli is in it.
      system.activationScripts.postActivation.text = lib.mkAfter ''
        PATH="$PATH:$systemConfig/sw/bin" ${join}/bin/zerotier-join || true
      '';
    };
}
