// The CodeMirror half of the playground's views: the spec editor and the
// read-only file views and diffs. Nothing else in the playground imports
// CodeMirror, so esbuild puts all of it in chunks that lazycm.ts loads when
// a view is first wanted; editor.ts, files.ts and panels.ts hold the state
// and show plain text until then.
import { json } from "@codemirror/lang-json";
import { lintGutter, setDiagnostics, type Diagnostic as CMDiagnostic } from "@codemirror/lint";
import { MergeView, unifiedMergeView } from "@codemirror/merge";
import { Annotation, EditorState, type Extension, type Text, type Transaction } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { schemaCompletion } from "./complete";
import type { SpecView, SpecViewOptions } from "./editor";
import type { CodeView } from "./files";
import { baseTheme, highlight, readOnlyExtensions, readOnlyView } from "./lang";
import type { Diagnostic } from "./protocol";
import { containsPrivate } from "./secret";

/** The completion popup in the page's colours (light and dark come from site.css's palette). */
const completionTheme = EditorView.theme({
  ".cm-tooltip": { backgroundColor: "var(--bg, #fff)", color: "var(--fg, #1f2328)", border: "1px solid var(--border, #d8dee4)", borderRadius: "6px", boxShadow: "0 4px 16px rgb(0 0 0 / 0.16)" },
  ".cm-tooltip-autocomplete ul li[aria-selected]": { backgroundColor: "var(--accent, #2f6fde)", color: "var(--bg, #fff)" },
  ".cm-tooltip-autocomplete ul li[aria-selected] .cm-completionDetail": { color: "inherit" },
  ".cm-completionDetail": { color: "var(--fg-soft, #57606a)" },
  ".cm-completionInfo": { maxWidth: "24rem", padding: "0.35rem 0.55rem", lineHeight: "1.4" },
});

/**
 * Marks the transactions replace() dispatches: the text came from the
 * model, so it must not be reported back as an edit. An annotation travels
 * with its transaction, so the update listener can tell them apart however
 * the dispatch is scheduled, where a flag set around dispatch() relies on
 * the listener running synchronously inside it.
 */
const fromModel = Annotation.define<boolean>();

/** The spec editor's CodeMirror view (SpecEditor in editor.ts owns it). */
export function specView(o: SpecViewOptions): SpecView {
  const guard = EditorState.transactionFilter.of((tr: Transaction) => {
    if (!tr.docChanged) return tr;
    let bad = false;
    tr.changes.iterChanges((_fa, _ta, fromB, toB, inserted) => {
      if (bad || inserted.length === 0) return;
      // The inserted text plus the lines around it, so a marker completed
      // by a small edit is caught as well.
      const a = tr.newDoc.lineAt(fromB).from;
      const b = tr.newDoc.lineAt(toB).to;
      if (containsPrivate(tr.newDoc.sliceString(Math.max(0, a - 200), Math.min(tr.newDoc.length, b + 200)))) bad = true;
    });
    if (bad) {
      queueMicrotask(o.onRefused);
      return [];
    }
    return tr;
  });
  const completion = [{ autocomplete: schemaCompletion(o.schema) }];
  const sel = o.selection && o.selection.anchor <= o.doc.length && o.selection.head <= o.doc.length ? o.selection : undefined;
  const view = new EditorView({
    parent: o.parent,
    state: EditorState.create({
      doc: o.doc,
      ...(sel ? { selection: sel } : {}),
      extensions: [
        basicSetup,
        json(),
        lintGutter(),
        EditorView.lineWrapping,
        baseTheme,
        highlight,
        guard,
        completionTheme,
        // basicSetup's autocompletion asks the language data for sources;
        // it tells sources apart by identity, so this one is made once.
        EditorState.languageData.of(() => completion),
        EditorView.contentAttributes.of({ "aria-label": o.label, tabindex: "0" }),
        EditorView.updateListener.of((u) => {
          // Report the document when a user's transaction changed it, not when only replace() did.
          if (u.transactions.some((tr) => tr.docChanged && !tr.annotation(fromModel))) o.onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    dom: view.dom,
    text: () => view.state.doc.toString(),
    replace(text) {
      const change = middleChange(view.state.doc.toString(), text);
      if (change) view.dispatch({ changes: change, annotations: fromModel.of(true) });
    },
    setDiagnostics(diags) {
      view.dispatch(setDiagnostics(view.state, toCM(view.state.doc, diags)));
    },
    reveal(line, col) {
      const r = rangeOf(view.state.doc, line, col);
      if (!r) return;
      // Centred: scrollIntoView alone stops at the nearest edge, which put
      // the line on the pane's bottom row, half hidden.
      view.dispatch({ selection: { anchor: r.from }, effects: EditorView.scrollIntoView(r.from, { y: "center" }) });
      view.focus();
    },
    requestMeasure: () => view.requestMeasure(),
    focus: () => view.focus(),
  };
}

function toCM(doc: Text, diags: Diagnostic[]): CMDiagnostic[] {
  const cm: CMDiagnostic[] = [];
  for (const d of diags) {
    const r = rangeOf(doc, d.line, d.col);
    if (!r) continue;
    cm.push({
      from: r.from,
      to: r.to,
      severity: d.severity,
      source: d.path || "fleet.json",
      message: d.message + (d.hint ? `\nHow to fix: ${d.hint}` : ""),
    });
  }
  return cm;
}

/**
 * The change that turns old into next by replacing only the differing
 * middle (null: equal), so the cursor, scroll position and undo history of
 * a view stay meaningful across a replaced document.
 */
function middleChange(old: string, next: string): { from: number; to: number; insert: string } | null {
  if (old === next) return null;
  let a = 0;
  const max = Math.min(old.length, next.length);
  while (a < max && old.charCodeAt(a) === next.charCodeAt(a)) a++;
  let eo = old.length;
  let en = next.length;
  while (eo > a && en > a && old.charCodeAt(eo - 1) === next.charCodeAt(en - 1)) {
    eo--;
    en--;
  }
  return { from: a, to: eo, insert: next.slice(a, en) };
}

/** The range a 1-based line:col diagnostic marks: the token at that spot. */
export function rangeOf(doc: Text, line: number, col: number): { from: number; to: number } | null {
  if (line < 1) return null;
  const l = doc.line(Math.min(line, doc.lines));
  const from = col >= 1 ? Math.min(l.from + col - 1, l.to) : l.from;
  let to = from;
  const text = l.text;
  let i = from - l.from;
  if (text[i] === '"') {
    to++;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") {
        i++;
        to++;
      }
      i++;
      to++;
    }
    if (i < text.length) to++;
  } else {
    while (i < text.length && /[^\s,:\]}]/.test(text[i]!)) {
      i++;
      to++;
    }
  }
  if (to === from) to = col >= 1 ? Math.min(from + 1, l.to) : l.to;
  if (to === from && from > l.from) return { from: from - 1, to: from };
  return { from, to };
}

function wrapping(wrap: boolean): Extension[] {
  return wrap ? [EditorView.lineWrapping] : [];
}

/** A read-only highlighted view of one file, updated in place (scroll position and selection stay). */
export function fileView(parent: HTMLElement, path: string, text: string, label: string, wrap: boolean): CodeView {
  const view = new EditorView({ parent, state: EditorState.create({ doc: text, extensions: [...readOnlyExtensions(path, label), ...wrapping(wrap)] }) });
  return {
    update(next) {
      const change = middleChange(view.state.doc.toString(), next);
      if (change) view.dispatch({ changes: change });
    },
    destroy: () => view.destroy(),
  };
}

/** A file's changes as one view: the new text with the old lines interleaved. */
export function unifiedDiff(parent: HTMLElement, path: string, label: string, old: string, now: string, wrap: boolean): { destroy(): void } {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: now,
      extensions: [...readOnlyExtensions(path, label), ...wrapping(wrap), unifiedMergeView({ original: old, mergeControls: false, gutter: true, syntaxHighlightDeletions: true })],
    }),
  });
}

/**
 * Marks, in a read-only view, what differs from original: changed lines
 * highlighted and removed ones shown between them, as in unifiedDiff. The
 * docs' live examples show the reader what their edit changed.
 */
export function changeMarks(original: string): Extension {
  return unifiedMergeView({ original, mergeControls: false, gutter: true, syntaxHighlightDeletions: true });
}

/** A file's changes side by side. */
export function splitDiff(parent: HTMLElement, path: string, old: string, now: string, wrap: boolean): { destroy(): void } {
  return new MergeView({
    parent,
    a: { doc: old, extensions: [...readOnlyExtensions(path, `${path}, before`), ...wrapping(wrap)] },
    b: { doc: now, extensions: [...readOnlyExtensions(path, `${path}, after`), ...wrapping(wrap)] },
    gutter: true,
  });
}

export { readOnlyView };
