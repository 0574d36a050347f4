# Standalone home-manager configurations, one per user and system of the machines
# the user is on. Activate with:
#   nix run --inputs-from . home-manager -- switch -b before-home-manager --flake .#<user>@<system>
# They use the same overlay as the machines (flake.overlays.default).
{ config, inputs, ... }:
let
  hm = config.flake.modules.homeManager;
  mkHome =
    system: modules:
    inputs.home-manager.lib.homeManagerConfiguration {
      pkgs = import inputs.nixpkgs {
        inherit system;
        config = { };
        overlays = [ config.flake.overlays.default ];
      };
      extraSpecialArgs.flake = config.flake // {
        inherit inputs;
      };
      inherit modules;
    };
in
{
  flake.homeConfigurations = {
    "user-00@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-00"
      hm.core
      hm.shell
      hm.development
      hm."users/user-00/secrets"
    ];
    "user-00@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-00"
      hm.core
      hm.shell
      hm.development
      hm."users/user-00/secrets"
    ];
    "user-01@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-01"
      hm.core
      hm.shell
      hm.development
    ];
    "user-01@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-01"
      hm.core
      hm.shell
      hm.development
    ];
    "user-02@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-02"
      hm.core
      hm.shell
      hm.development
      hm."users/user-02/secrets"
    ];
    "user-03@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-03"
      hm.core
      hm.shell
      hm.development
    ];
    "user-03@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-03"
      hm.core
      hm.shell
      hm.development
    ];
    "user-04@aarch64-darwin" = mkHome "aarch64-darwin" [
      hm."users/user-04"
      hm.core
      hm.shell
      hm.development
      hm."users/user-04/secrets"
    ];
    "user-05@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-05"
      hm.core
      hm.shell
      hm.development
    ];
    "user-06@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-06"
      hm.core
      hm.shell
      hm.development
      hm."users/user-06/secrets"
    ];
    "user-06@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-06"
      hm.core
      hm.shell
      hm.development
      hm."users/user-06/secrets"
    ];
    "user-07@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-07"
      hm.core
      hm.shell
      hm.development
    ];
    "user-07@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-07"
      hm.core
      hm.shell
      hm.development
    ];
    "user-08@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-08"
      hm.core
      hm.shell
      hm.development
      hm."users/user-08/secrets"
    ];
    "user-09@aarch64-darwin" = mkHome "aarch64-darwin" [
      hm."users/user-09"
      hm.core
      hm.shell
      hm.development
    ];
    "user-10@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-10"
      hm.core
      hm.shell
      hm."users/user-10/secrets"
    ];
    "user-10@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-10"
      hm.core
      hm.shell
      hm."users/user-10/secrets"
    ];
    "user-11@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-11"
      hm.core
      hm.shell
    ];
    "user-12@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-12"
      hm.core
      hm.shell
      hm."users/user-12/secrets"
    ];
    "user-12@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-12"
      hm.core
      hm.shell
      hm."users/user-12/secrets"
    ];
    "user-13@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-13"
      hm.core
      hm.shell
    ];
    "user-13@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-13"
      hm.core
      hm.shell
    ];
    "user-14@aarch64-darwin" = mkHome "aarch64-darwin" [
      hm."users/user-14"
      hm.core
      hm.shell
      hm."users/user-14/secrets"
    ];
    "user-15@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-15"
      hm.core
      hm.shell
    ];
    "user-15@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-15"
      hm.core
      hm.shell
    ];
    "user-16@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-16"
      hm.core
      hm.shell
      hm."users/user-16/secrets"
    ];
    "user-16@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-16"
      hm.core
      hm.shell
      hm."users/user-16/secrets"
    ];
    "user-17@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-17"
      hm.core
      hm.shell
    ];
    "user-18@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-18"
      hm.core
      hm.shell
      hm."users/user-18/secrets"
    ];
    "user-18@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-18"
      hm.core
      hm.shell
      hm."users/user-18/secrets"
    ];
    "user-19@aarch64-darwin" = mkHome "aarch64-darwin" [
      hm."users/user-19"
      hm.core
      hm.shell
    ];
    "user-20@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-20"
      hm.core
      hm.shell
      hm."users/user-20/secrets"
    ];
    "user-21@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-21"
      hm.core
      hm.shell
    ];
    "user-21@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-21"
      hm.core
      hm.shell
    ];
    "user-22@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-22"
      hm.core
      hm.shell
      hm."users/user-22/secrets"
    ];
    "user-22@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-22"
      hm.core
      hm.shell
      hm."users/user-22/secrets"
    ];
    "user-23@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-23"
      hm.core
      hm.shell
    ];
    "user-24@aarch64-darwin" = mkHome "aarch64-darwin" [
      hm."users/user-24"
      hm.core
      hm.shell
      hm."users/user-24/secrets"
    ];
    "user-25@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-25"
      hm.core
      hm.shell
    ];
    "user-25@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-25"
      hm.core
      hm.shell
    ];
    "user-26@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-26"
      hm.core
      hm.shell
      hm."users/user-26/secrets"
    ];
    "user-27@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-27"
      hm.core
      hm.shell
    ];
    "user-27@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-27"
      hm.core
      hm.shell
    ];
    "user-28@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-28"
      hm.core
      hm.shell
      hm."users/user-28/secrets"
    ];
    "user-28@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-28"
      hm.core
      hm.shell
      hm."users/user-28/secrets"
    ];
    "user-29@aarch64-darwin" = mkHome "aarch64-darwin" [
      hm."users/user-29"
      hm.core
      hm.shell
    ];
    "user-30@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-30"
      hm.core
      hm.shell
      hm."users/user-30/secrets"
    ];
    "user-30@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-30"
      hm.core
      hm.shell
      hm."users/user-30/secrets"
    ];
    "user-31@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-31"
      hm.core
      hm.shell
    ];
    "user-31@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-31"
      hm.core
      hm.shell
    ];
    "user-32@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-32"
      hm.core
      hm.shell
      hm."users/user-32/secrets"
    ];
    "user-33@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-33"
      hm.core
      hm.shell
    ];
    "user-33@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-33"
      hm.core
      hm.shell
    ];
    "user-34@aarch64-darwin" = mkHome "aarch64-darwin" [
      hm."users/user-34"
      hm.core
      hm.shell
      hm."users/user-34/secrets"
    ];
    "user-35@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-35"
      hm.core
      hm.shell
    ];
    "user-36@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-36"
      hm.core
      hm.shell
      hm."users/user-36/secrets"
    ];
    "user-36@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-36"
      hm.core
      hm.shell
      hm."users/user-36/secrets"
    ];
    "user-37@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-37"
      hm.core
      hm.shell
    ];
    "user-37@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-37"
      hm.core
      hm.shell
    ];
    "user-38@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-38"
      hm.core
      hm.shell
      hm."users/user-38/secrets"
    ];
    "user-39@aarch64-darwin" = mkHome "aarch64-darwin" [
      hm."users/user-39"
      hm.core
      hm.shell
    ];
    "user-40@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-40"
      hm.core
      hm.shell
      hm."users/user-40/secrets"
    ];
    "user-40@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-40"
      hm.core
      hm.shell
      hm."users/user-40/secrets"
    ];
    "user-41@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-41"
      hm.core
      hm.shell
    ];
    "user-42@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-42"
      hm.core
      hm.shell
      hm."users/user-42/secrets"
    ];
    "user-42@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-42"
      hm.core
      hm.shell
      hm."users/user-42/secrets"
    ];
    "user-43@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-43"
      hm.core
      hm.shell
    ];
    "user-43@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-43"
      hm.core
      hm.shell
    ];
    "user-44@aarch64-darwin" = mkHome "aarch64-darwin" [
      hm."users/user-44"
      hm.core
      hm.shell
      hm."users/user-44/secrets"
    ];
    "user-45@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-45"
      hm.core
      hm.shell
    ];
    "user-45@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-45"
      hm.core
      hm.shell
    ];
    "user-46@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-46"
      hm.core
      hm.shell
      hm."users/user-46/secrets"
    ];
    "user-46@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-46"
      hm.core
      hm.shell
      hm."users/user-46/secrets"
    ];
    "user-47@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-47"
      hm.core
      hm.shell
    ];
    "user-48@aarch64-linux" = mkHome "aarch64-linux" [
      hm."users/user-48"
      hm.core
      hm.shell
      hm."users/user-48/secrets"
    ];
    "user-48@x86_64-linux" = mkHome "x86_64-linux" [
      hm."users/user-48"
      hm.core
      hm.shell
      hm."users/user-48/secrets"
    ];
    "user-49@aarch64-darwin" = mkHome "aarch64-darwin" [
      hm."users/user-49"
      hm.core
      hm.shell
    ];
  };
}
