# clan vars generator from fleet.json. `clan vars generate` runs it and stores
# the results under vars/ (secret files sops-encrypted by clan).
let
  generator =
    { pkgs, ... }:
    {
      clan.core.vars.generators.wireguard-key = {
        files.private-key = {
          secret = true;
          neededFor = "services";
        };
        files.public-key = {
          secret = false;
        };
        runtimeInputs = [ pkgs.wireguard-tools ];
        script = ''
          wg genkey > "$out/private-key"
          wg pubkey < "$out/private-key" > "$out/public-key"
        '';
      };
    };
in
{
  clan.machines.node-001.imports = [ generator ];
  clan.machines.node-002.imports = [ generator ];
  clan.machines.node-003.imports = [ generator ];
}
