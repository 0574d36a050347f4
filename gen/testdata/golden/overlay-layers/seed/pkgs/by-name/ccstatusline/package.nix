# Custom package (overlay layer 3). This is a placeholder that installs a small
# program printing its name; replace src/installPhase with the real build.
{
  lib,
  stdenvNoCC,
  writeShellScript,
}:
stdenvNoCC.mkDerivation (finalAttrs: {
  pname = "ccstatusline";
  version = "0.1.0";
  dontUnpack = true;
  installPhase = ''
    runHook preInstall
    install -Dm755 ${writeShellScript "placeholder" "echo ${lib.escapeShellArg "${finalAttrs.pname} ${finalAttrs.version} (placeholder)"}"} "$out/bin/"${lib.escapeShellArg finalAttrs.pname}
    runHook postInstall
  '';
  meta = {
    description = "status line for Claude Code";
    mainProgram = finalAttrs.pname;
    platforms = lib.platforms.all;
  };
})
