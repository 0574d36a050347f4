// Per-session inputs of the generator: 32 random bytes of entropy (seeds the
// sops data keys of the secret stubs) and the session start time. Neither is
// ever persisted or put in a link; the export panel shows them so the CLI
// can reproduce an archive byte for byte.
export interface Session {
  entropy: string;
  time: string;
}

export function newSession(): Session {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  const entropy = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  const time = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace(".000Z", "Z");
  return { entropy, time };
}

export async function sha256Hex(data: BufferSource): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", data);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'"'"'`)}'`;
}
