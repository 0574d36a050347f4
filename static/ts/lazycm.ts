// CodeMirror, loaded when first needed. It is four fifths of the
// playground's JavaScript; imported statically, the page evaluated all of
// it (and built its first view) before it could show the first preview.
// Behind this dynamic import, esbuild keeps it in chunks the page preloads
// (fetched and compiled beside the rest) but evaluates only when a view is
// wanted: after the first preview, or at once when the reader opens the
// JSON editor or a diff. Until then the editor is a plain text area and the
// preview plain text (editor.ts, files.ts).

type CodeMirror = typeof import("./codemirror");

let mod: CodeMirror | null = null;
let loading: Promise<CodeMirror> | null = null;
const waiting: (() => void)[] = [];

/** CodeMirror's views, if loaded; null until loadCodeMirror's promise resolved. */
export function codemirror(): CodeMirror | null {
  return mod;
}

/** Loads CodeMirror's views (once; a failed load is tried again by the next call). */
export function loadCodeMirror(): Promise<CodeMirror> {
  loading ??= import("./codemirror").then(
    (m) => {
      mod = m;
      performance.mark("fy-codemirror-loaded");
      for (const f of waiting.splice(0)) f();
      return m;
    },
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

/** Runs fn once CodeMirror is loaded (now, if it is), by whoever loads it. */
export function whenCodeMirror(fn: () => void): void {
  if (mod) fn();
  else waiting.push(fn);
}
