// The page's side of a generate answer's transfer. The worker posts the
// wasm's answer with the blob of all its files' bytes as one transferred
// buffer (worker.ts): nothing is decoded or copied on the way. A file's text
// is decoded here when something first reads it; the preview reads one
// file, and the tree, badges and diffs against a baseline need only sizes
// and IDs. Decoding every file of a keystroke's answer (README.md and
// fleet.json of large.json are 190 KB) and copying the strings across
// threads cost 2 to 5 ms per keystroke before.
import type { FileOut, GenerateDelta, GenerateWire, WasmFile } from "./protocol";

const decoder = new TextDecoder();

/** The answer with its files as the UI sees them. */
export function fromWire(w: GenerateWire): GenerateDelta {
  const { data, files, ...rest } = w;
  return { ...rest, files: files.map((f) => fileOf(f, data)) };
}

/**
 * The FileOut of f, whose text is an own, enumerable getter: reading it, and
 * so spreading or cloning the file, decodes once and keeps the string.
 */
function fileOf(f: WasmFile, data: Uint8Array<ArrayBuffer>): FileOut {
  const out: FileOut = { path: f.path, mode: f.mode, size: f.size, id: f.id };
  if (f.binary) return out;
  let text: string | undefined;
  return Object.defineProperty(out, "text", {
    enumerable: true,
    get: () => (text ??= decoder.decode(data.subarray(f.offset, f.offset + f.size))),
  });
}
