// One spec model behind both editors. The JSON text is the source of truth
// (it is what autosave keeps, even when it does not parse); the parsed value
// is derived from it, and form edits go through edit(), which re-serialises.
//
// The model is the door every spec passes: text holding private key
// material is refused here (secret.ts containsPrivate), so no listener
// (autosave, share link, generation, downloads) ever sees it.
import { containsPrivate } from "./secret";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: Json };
export type Source = "editor" | "form" | "load";

export interface Change {
  text: string;
  value: Obj | null;
  source: Source;
}

export class SpecModel {
  text = "";
  value: Obj | null = null;
  parseError: string | null = null;
  private listeners = new Set<(c: Change) => void>();
  private refusedListeners = new Set<(source: Source) => void>();

  onChange(fn: (c: Change) => void): void {
    this.listeners.add(fn);
  }

  /** Called when a text or edit was refused because it holds private key material. */
  onRefused(fn: (source: Source) => void): void {
    this.refusedListeners.add(fn);
  }

  /**
   * Replaces the text. Returns false, changing nothing, when the text holds
   * private key material.
   */
  setText(text: string, source: Source): boolean {
    if (text === this.text) return true;
    if (containsPrivate(text)) {
      this.refuse(source);
      return false;
    }
    this.text = text;
    try {
      const v = JSON.parse(text) as Json;
      this.value = isObj(v) ? v : null;
      this.parseError = this.value ? null : "the spec must be a JSON object";
    } catch (e) {
      this.value = null;
      this.parseError = e instanceof Error ? e.message : String(e);
    }
    this.emit(source);
    return true;
  }

  /**
   * Applies a form edit to the parsed value and re-serialises it. An edit
   * that would put private key material in the spec is undone (the value is
   * parsed again from the unchanged text) and reported; returns whether the
   * edit was kept.
   */
  edit(fn: (v: Obj) => void): boolean {
    if (!this.value) return false;
    fn(this.value);
    const text = formatJSON(this.value) + "\n";
    if (text === this.text) return true;
    if (containsPrivate(text)) {
      this.value = JSON.parse(this.text) as Obj;
      this.refuse("form");
      return false;
    }
    this.text = text;
    this.emit("form");
    return true;
  }

  private refuse(source: Source): void {
    for (const fn of this.refusedListeners) fn(source);
  }

  private emit(source: Source): void {
    const c = { text: this.text, value: this.value, source };
    for (const fn of this.listeners) fn(c);
  }
}

/** Path segments: object keys and array indices. */
export type Path = (string | number)[];

// Readers for spec values of unknown shape (the spec is whatever was typed):
// the wrong type reads as empty, never as an error.

/** v when it is an array, else []. */
export function arr(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

/** The strings of the array v (other items left out), else []. */
export function strs(v: Json | undefined): string[] {
  return arr(v).filter((x): x is string => typeof x === "string");
}

/** Whether v is a JSON object (not null, not an array). */
export function isObj(v: Json | undefined): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** v when it is a string, else "". */
export function str(v: Json | undefined): string {
  return typeof v === "string" ? v : "";
}

export function getAt(v: Json | undefined, path: Path): Json | undefined {
  let cur: Json | undefined = v;
  for (const k of path) {
    if (cur === null || typeof cur !== "object" || cur === undefined) return undefined;
    cur = Array.isArray(cur) ? cur[k as number] : cur[k as string];
  }
  return cur;
}

/** Sets (or with undefined, deletes) the value at path, creating objects on the way. */
export function setAt(root: Obj, path: Path, value: Json | undefined): void {
  let cur: Json = root;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    const container: Obj | Json[] = cur as Obj | Json[];
    let next: Json | undefined = Array.isArray(container) ? container[k as number] : container[k as string];
    if (next === null || typeof next !== "object" || next === undefined) {
      next = typeof path[i + 1] === "number" ? [] : {};
      if (Array.isArray(container)) container[k as number] = next;
      else container[k as string] = next;
    }
    cur = next;
  }
  const last = path[path.length - 1]!;
  if (Array.isArray(cur)) {
    if (value === undefined) cur.splice(last as number, 1);
    else cur[last as number] = value;
  } else if (cur !== null && typeof cur === "object") {
    if (value === undefined) delete cur[last as string];
    else cur[last as string] = value;
  }
}

/** "machines[0].hetzner.enabled", the form gen diagnostics use. */
export function pathString(path: Path): string {
  let out = "";
  for (const k of path) out += typeof k === "number" ? `[${k}]` : out ? `.${k}` : k;
  return out;
}

/**
 * JSON with two-space indentation that keeps short arrays and objects of
 * scalars on one line, the way the examples are written by hand, so a form
 * edit does not reflow the whole file.
 */
export function formatJSON(v: Json, indent = ""): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  const inner = indent + "  ";
  const entries: string[] = Array.isArray(v)
    ? v.map((x) => formatJSON(x, inner))
    : Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${formatJSON(x, inner)}`);
  const [open, close] = Array.isArray(v) ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) return open + close;
  const scalars = (Array.isArray(v) ? v : Object.values(v)).every((x) => x === null || typeof x !== "object");
  const flat = Array.isArray(v) ? `[${entries.join(", ")}]` : `{ ${entries.join(", ")} }`;
  if (scalars && indent.length + flat.length <= 100) return flat;
  return `${open}\n${entries.map((e) => inner + e).join(",\n")}\n${indent}${close}`;
}
