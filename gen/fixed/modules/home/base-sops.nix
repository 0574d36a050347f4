# sops-nix for home-manager; each modules/home/users/<user>/secrets.nix imports it and
# sets sops.defaultSopsFile and sops.secrets.
{ inputs, ... }:
{
  flake.modules.homeManager.base-sops =
    {
      config,
      lib,
      pkgs,
      ...
    }:
    {
      imports = [ inputs.sops-nix.homeManagerModules.sops ];
      # The user's age key (ssh-to-age of their SSH key, or age-keygen).
      sops.age.keyFile = "${config.xdg.configHome}/sops/age/keys.txt";
      # macOS: sops-nix decrypts from a launchd agent. home-manager starts agents in the
      # gui domain, which exists only while the user is logged in graphically, and a
      # failed start stops the switch (an account nobody has logged into yet has none).
      # launchd's user domain exists without a login.
      launchd.agents.sops-nix.domain = lib.mkIf pkgs.stdenv.hostPlatform.isDarwin "user";
      # sops-nix's own activation step restarts the agent in the gui domain, unordered, and
      # its failed bootstrap stops the switch (Mic92/sops-nix#910): start it once
      # home-manager has set it up instead, without failing the switch. Without -k: an agent
      # home-manager has just loaded is running already (RunAtLoad), and killing it midway
      # can leave its RAM disk attached.
      home.activation.sops-nix = lib.mkIf pkgs.stdenv.hostPlatform.isDarwin (
        lib.mkForce (
          lib.hm.dag.entryAfter [ "setupLaunchAgents" ] ''
            run /bin/launchctl kickstart "user/$(id -u)/org.nix-community.home.sops-nix" || true
          ''
        )
      );
    };
}
