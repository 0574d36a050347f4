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
              "user-00@aarch64-linux"
              "user-00@x86_64-linux"
              "user-01@aarch64-linux"
              "user-01@x86_64-linux"
              "user-02@x86_64-linux"
              "user-03@aarch64-linux"
              "user-03@x86_64-linux"
              "user-04@aarch64-darwin"
              "user-05@x86_64-linux"
              "user-06@aarch64-linux"
              "user-06@x86_64-linux"
              "user-07@aarch64-linux"
              "user-07@x86_64-linux"
              "user-08@x86_64-linux"
              "user-09@aarch64-darwin"
              "user-10@aarch64-linux"
              "user-10@x86_64-linux"
              "user-11@x86_64-linux"
              "user-12@aarch64-linux"
              "user-12@x86_64-linux"
              "user-13@aarch64-linux"
              "user-13@x86_64-linux"
              "user-14@aarch64-darwin"
              "user-15@aarch64-linux"
              "user-15@x86_64-linux"
              "user-16@aarch64-linux"
              "user-16@x86_64-linux"
              "user-17@x86_64-linux"
              "user-18@aarch64-linux"
              "user-18@x86_64-linux"
              "user-19@aarch64-darwin"
              "user-20@x86_64-linux"
              "user-21@aarch64-linux"
              "user-21@x86_64-linux"
              "user-22@aarch64-linux"
              "user-22@x86_64-linux"
              "user-23@x86_64-linux"
              "user-24@aarch64-darwin"
              "user-25@aarch64-linux"
              "user-25@x86_64-linux"
              "user-26@x86_64-linux"
              "user-27@aarch64-linux"
              "user-27@x86_64-linux"
              "user-28@aarch64-linux"
              "user-28@x86_64-linux"
              "user-29@aarch64-darwin"
              "user-30@aarch64-linux"
              "user-30@x86_64-linux"
              "user-31@aarch64-linux"
              "user-31@x86_64-linux"
              "user-32@x86_64-linux"
              "user-33@aarch64-linux"
              "user-33@x86_64-linux"
              "user-34@aarch64-darwin"
              "user-35@x86_64-linux"
              "user-36@aarch64-linux"
              "user-36@x86_64-linux"
              "user-37@aarch64-linux"
              "user-37@x86_64-linux"
              "user-38@x86_64-linux"
              "user-39@aarch64-darwin"
              "user-40@aarch64-linux"
              "user-40@x86_64-linux"
              "user-41@x86_64-linux"
              "user-42@aarch64-linux"
              "user-42@x86_64-linux"
              "user-43@aarch64-linux"
              "user-43@x86_64-linux"
              "user-44@aarch64-darwin"
              "user-45@aarch64-linux"
              "user-45@x86_64-linux"
              "user-46@aarch64-linux"
              "user-46@x86_64-linux"
              "user-47@x86_64-linux"
              "user-48@aarch64-linux"
              "user-48@x86_64-linux"
              "user-49@aarch64-darwin"
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
