// Private key detection on the page, before anything reaches the model, the
// editor history, localStorage or the worker. It mirrors the fixed markers
// gen/sshkey refuses (never a heuristic on key bytes); the worker's answer is
// the second line of defence.

const markers: RegExp[] = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/,
  /---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----/,
  /PuTTY-User-Key-File-/,
  /Private-Lines:/,
  /AGE-SECRET-KEY-1/i,
  /AGE-PLUGIN-[A-Z0-9]+-1/i,
  // "openssh-key-v1" in base64: the start of every OpenSSH private key body,
  // even when the BEGIN line was not copied.
  /b3BlbnNzaC1rZXktdjE/,
];

/** Whether text holds (part of) a private key. */
export function containsPrivate(text: string): boolean {
  return markers.some((m) => m.test(text));
}

export const privateRefusal =
  "That was a private key. It was not accepted and has been cleared: Fleetyard only needs public keys (the .pub file, e.g. ~/.ssh/id_ed25519.pub). Nothing you pasted was stored or sent anywhere.";
