# Structural checks (pkgs.runCommand): naming, exposed home configurations,
# agreement between .sops.yaml and the clan keyring, and the Macs' configurations.
{ self, ... }:
{
  perSystem =
    { pkgs, lib, ... }:
    let
      # A check that passes when failures is [ ] and otherwise prints each failure.
      report =
        name: failures:
        pkgs.runCommand name { } (
          if failures == [ ] then
            "touch $out"
          else
            "printf '%s\\n' ${lib.escapeShellArgs failures} >&2; exit 1"
        );
    in
    {
      checks = {
        # Machine names double as hostnames, vars directories and Terraform keys.
        validation-naming = report "validation-naming" (
          map (n: "machine name '${n}' does not match ^[a-z0-9-]+$") (
            builtins.filter (n: builtins.match "[a-z0-9-]+" n == null) (
              builtins.attrNames self.clan.inventory.machines
            )
          )
        );
        # Every standalone home configuration of fleet.json is exposed.
        validation-home-configurations = report "validation-home-configurations" (
          map (n: "homeConfigurations.\"${n}\" is missing") (
            builtins.filter (n: !builtins.hasAttr n self.homeConfigurations or { }) [
              "crs58@aarch64-darwin"
              "crs58@x86_64-linux"
              "raquel@aarch64-darwin"
            ]
          )
        );
        # The age keys in .sops.yaml are the clan keyring's (sops/users/*/key.json).
        validation-sops-keys =
          pkgs.runCommand "validation-sops-keys"
            {
              nativeBuildInputs = [ pkgs.jq ];
            }
            ''
              shopt -s nullglob
              src=${self}
              fail=0
              if [ ! -e "$src/.sops.yaml" ]; then
                echo "no .sops.yaml in the repository: nothing to compare"
                touch "$out"
                exit 0
              fi
              for dir in "$src"/sops/users/*/; do
                name=$(basename "$dir")
                for key in $(jq -r '.[].publickey' "$dir/key.json"); do
                  if ! grep -Eq "&($name|$name-user)(-[0-9]+)?[[:space:]]+$key([[:space:]]|$)" "$src/.sops.yaml"; then
                    echo "sops/users/$name/key.json has $key, but .sops.yaml has no &$name or &$name-user anchor with it" >&2
                    fail=1
                  fi
                done
              done
              while read -r name key; do
                file="$src/sops/users/$name/key.json"
                # Only admins are in the clan keyring; other users have an anchor alone.
                [ -e "$file" ] || continue
                if ! jq -e --arg k "$key" 'any(.[]; .publickey == $k)' "$file" >/dev/null; then
                  echo ".sops.yaml anchor &$name-user is $key, but sops/users/$name/key.json does not list it" >&2
                  fail=1
                fi
              done < <(sed -nE 's/.*&([a-z0-9_-]+)-user(-[0-9]+)?[[:space:]]+(age1[0-9a-z]+).*/\1 \3/p' "$src/.sops.yaml")
              if [ "$fail" -ne 0 ]; then exit 1; fi
              touch "$out"
            '';
        # Every Mac's configuration evaluates, nix-darwin's assertions included: `nix flake check`
        # evaluates no darwinConfigurations by itself. Nothing is built for macOS.
        validation-darwin = report "validation-darwin" (
          lib.concatLists (
            lib.mapAttrsToList (
              name: c:
              builtins.addErrorContext "while evaluating the Mac ${name}" (
                builtins.seq c.config.system.build.toplevel.drvPath [ ]
              )
            ) self.darwinConfigurations
          )
        );
      };
    };
}
