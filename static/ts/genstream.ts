// The page's copy of one generate stream (one request slot: the playground's
// editor, a docs example). The worker answers a generate request with only
// what changed since the stream's previous answer (wasm/stream.go); this
// merges those answers back into the whole result, so every consumer of a
// generate request sees what a from-scratch generation would give.
import type { AccessOut, FileOut, FleetOut, GenerateDelta, GenerateResult } from "./protocol";

export class GenStream {
  /** The answer this copy holds: a request sends it as its base; 0 means none (the next answer is full). */
  seq = 0;
  /** The last successful generation's files, in order. */
  private files: FileOut[] = [];
  private fleet: FleetOut | undefined;
  private access: AccessOut[] = [];
  private terraform: string | undefined;

  /** Forgets everything: the next request asks for a full answer. */
  reset(): void {
    this.seq = 0;
    this.files = [];
    this.fleet = undefined;
    this.access = [];
    this.terraform = undefined;
  }

  /**
   * Merges answer d and returns the whole result, or null when d does not
   * apply to this copy (a delta against another answer, or one naming files
   * it does not have); the copy is then reset, never half-merged.
   */
  apply(d: GenerateDelta): GenerateResult | null {
    const full = d.base === 0;
    if (!full && d.base !== this.seq) {
      this.reset();
      return null;
    }
    let files = this.files;
    if (d.ok) {
      const merged = full ? d.files : merge(this.files, d);
      if (merged === null) {
        this.reset();
        return null;
      }
      files = merged;
    } else if (full) {
      // A failed full answer starts the stream with no files (the worker
      // does the same on its side).
      files = [];
    }
    this.files = files;
    if (full || !d.sameFleet) this.fleet = d.fleet;
    if (full || !d.sameAccess) this.access = d.access ?? [];
    if (full || !d.sameTerraform) this.terraform = d.terraform;
    this.seq = d.seq;
    return {
      ok: d.ok,
      diagnostics: d.diagnostics,
      ...(d.error !== undefined ? { error: d.error } : {}),
      files: d.ok ? files : [],
      ...(this.fleet ? { fleet: this.fleet } : {}),
      access: this.access,
      ...(this.terraform ? { terraform: this.terraform } : {}),
      ...(d.ok && d.manifestLater ? { manifestLater: true } : {}),
    };
  }
}

/**
 * The file list after delta d: old without d.removed, with d's files in
 * place of the old ones, in d.order when it says one. Returns old itself
 * when nothing changed, and null when d names a file that is neither old
 * nor in d (an answer for another state).
 */
export function merge(old: FileOut[], d: GenerateDelta): FileOut[] | null {
  const changed = new Map(d.files.map((f) => [f.path, f]));
  if (d.order) {
    const had = new Map(old.map((f) => [f.path, f]));
    const out: FileOut[] = [];
    for (const p of d.order) {
      const f = changed.get(p) ?? had.get(p);
      if (!f) return null;
      out.push(f);
    }
    return out;
  }
  const gone = new Set(d.removed ?? []);
  if (changed.size === 0 && gone.size === 0) return old;
  const out: FileOut[] = [];
  let used = 0;
  for (const f of old) {
    if (gone.has(f.path)) continue;
    const c = changed.get(f.path);
    if (c) used++;
    out.push(c ?? f);
  }
  // A new file always comes with an order: one that did not replace an old
  // file, or a removed path that was not there, means the answer was for
  // another state.
  return used === changed.size && out.length === old.length - gone.size ? out : null;
}
