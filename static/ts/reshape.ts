// "Update my repo": reading the starting point out of a repository's
// fleet.json or its .tar.gz. The diffing and the download are the wasm's
// (gen/update.Changes), so the browser and `fleetyard update` agree on what
// changed.

/** Where the starting point came from, for the page to say. */
export interface RepoSpec {
  text: string;
  source: string;
}

const MANIFEST = ".fleetyard/generated.json";

/**
 * The most a repository's tarball may unpack to. A Fleetyard repository is
 * a few hundred KB; the cap keeps a wrong file (or a gzip bomb, which
 * unpacks a thousandfold) from filling the tab's memory.
 */
export const MAX_UNPACKED = 64 << 20;

/**
 * Reads the spec a repository was last generated from. A tarball's
 * .fleetyard/generated.json wins over its fleet.json: the user may already
 * have edited fleet.json towards the next state, while the manifest holds
 * the spec the files on disk came from — the base `fleetyard update` merges
 * against.
 */
export async function readRepoSpec(f: File): Promise<RepoSpec> {
  const head = new Uint8Array(await f.slice(0, 2).arrayBuffer());
  if (head[0] !== 0x1f || head[1] !== 0x8b) return { text: await f.text(), source: f.name };
  const tar = await gunzip(f, MAX_UNPACKED);
  const entries = tarEntries(tar);
  const manifest = pick(entries, MANIFEST);
  if (manifest) {
    const spec = (JSON.parse(new TextDecoder().decode(manifest.data)) as { spec?: unknown }).spec;
    if (spec && typeof spec === "object") return { text: JSON.stringify(spec, null, 2) + "\n", source: `${f.name}: ${manifest.name}` };
  }
  const fleet = pick(entries, "fleet.json");
  if (!fleet) throw new Error(`${f.name} has no fleet.json: is it a repository made by Fleetyard?`);
  return { text: new TextDecoder().decode(fleet.data), source: `${f.name}: ${fleet.name}` };
}

/** f's gzip stream unpacked, refused once it grows past limit bytes. */
async function gunzip(f: File, limit: number): Promise<Uint8Array> {
  const reader = f.stream().pipeThrough(new DecompressionStream("gzip")).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`it unpacks to more than ${limit >> 20} MiB, more than a Fleetyard repository holds. Upload the repository's fleet.json (or .fleetyard/generated.json) instead.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

interface TarEntry {
  name: string;
  data: Uint8Array;
}

/** The entry at path, at the top of the archive or one directory down (the repository's own folder). */
function pick(entries: TarEntry[], path: string): TarEntry | undefined {
  const depth = (n: string): number => n.split("/").length;
  return entries
    .filter((e) => e.name === path || (e.name.endsWith("/" + path) && depth(e.name) === depth(path) + 1))
    .sort((a, b) => depth(a.name) - depth(b.name))[0];
}

/** Regular files of a ustar archive (the format gen.TarGz and git archive write). */
function tarEntries(tar: Uint8Array): TarEntry[] {
  const out: TarEntry[] = [];
  const text = (at: number, len: number): string => {
    const b = tar.subarray(at, at + len);
    const end = b.indexOf(0);
    return new TextDecoder().decode(end < 0 ? b : b.subarray(0, end));
  };
  let longName = "";
  for (let at = 0; at + 512 <= tar.length; ) {
    const name = text(at, 100);
    if (name === "") break; // the two zero blocks that end an archive
    const size = parseInt(text(at + 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(tar[at + 156] ?? 0);
    const prefix = text(at + 345, 155);
    const data = tar.subarray(at + 512, at + 512 + size);
    if (type === "L") longName = new TextDecoder().decode(data).replace(/\0.*$/s, "");
    else {
      if (type === "0" || type === "\0") out.push({ name: (longName || (prefix ? `${prefix}/${name}` : name)).replace(/^\.\//, ""), data });
      longName = "";
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

/** The command that applies the download (mirrors gen/update.Command). */
export function updateCommand(root: string, dir: string): string {
  return `fleetyard update --spec ${root}/fleet.json ${dir}`;
}
