# clan vars generator from fleet.json. `clan vars generate` runs it and stores
# the results under vars/ (secret files sops-encrypted by clan).
let
  generator = {
    prompts.token = {
      description = "API token for the monitoring service";
      type = "hidden";
    };
    files.token = {
      secret = true;
      neededFor = "services";
    };
    script = "cp \"$prompts/token\" \"$out/token\"";
  };
in
{
  clan.machines.cinnabar.clan.core.vars.generators.api-token = generator;
}
