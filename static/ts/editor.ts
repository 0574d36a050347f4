// The fleet.json editor: CodeMirror 6 with JSON highlighting, inline
// diagnostics from gen.Parse (line:col), completion from the JSON Schema
// (complete.ts) and a guard that refuses private key material before it
// reaches the document, its undo history or autosave.
import { basicSetup } from "codemirror";
import { json } from "@codemirror/lang-json";
import { lintGutter, setDiagnostics, type Diagnostic as CMDiagnostic } from "@codemirror/lint";
import { Annotation, EditorState, type Text, type Transaction } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { schemaCompletion } from "./complete";
import { baseTheme, highlight } from "./lang";
import type { Diagnostic } from "./protocol";
import type { FleetSchema } from "./schema";
import { containsPrivate } from "./secret";

export interface SpecEditorOptions {
  parent: HTMLElement;
  text: string;
  label: string;
  onChange: (text: string) => void;
  onRefused: () => void;
  /**
   * Builds CodeMirror only when the editor is first shown or its view is
   * first asked for (the playground's editor starts hidden behind the form
   * tab: building it costs about 100 ms of a cold load's main thread).
   */
  lazy?: boolean;
}

/** The completion popup in the page's colours (light and dark come from site.css's palette). */
const completionTheme = EditorView.theme({
  ".cm-tooltip": { backgroundColor: "var(--bg, #fff)", color: "var(--fg, #1f2328)", border: "1px solid var(--border, #d8dee4)", borderRadius: "6px", boxShadow: "0 4px 16px rgb(0 0 0 / 0.16)" },
  ".cm-tooltip-autocomplete ul li[aria-selected]": { backgroundColor: "var(--accent, #2f6fde)", color: "var(--bg, #fff)" },
  ".cm-tooltip-autocomplete ul li[aria-selected] .cm-completionDetail": { color: "inherit" },
  ".cm-completionDetail": { color: "var(--fg-soft, #57606a)" },
  ".cm-completionInfo": { maxWidth: "24rem", padding: "0.35rem 0.55rem", lineHeight: "1.4" },
});

/**
 * Marks the transactions setText dispatches: the text came from the model,
 * so it must not be reported back as an edit. An annotation travels with
 * its transaction, so the update listener can tell them apart however the
 * dispatch is scheduled, where a flag set around dispatch() relies on the
 * listener running synchronously inside it.
 */
const fromModel = Annotation.define<boolean>();

export class SpecEditor {
  private cm: EditorView | null = null;
  private readonly opts: SpecEditorOptions;
  private schema: FleetSchema | null = null;
  private visible = false;
  /** How many diagnostics the editor shows (0: none, so an empty set changes nothing). */
  private shownDiags = 0;
  /**
   * Text (and diagnostics) that arrived while the editor was hidden. A
   * hidden CodeMirror still updates its gutters on every change (60 ms a
   * keystroke on the large example), so form edits wait here until the
   * fleet.json tab is shown.
   */
  private pending: { text: string | null; diags: { diags: Diagnostic[]; forText: string } | null } = { text: null, diags: null };

  constructor(o: SpecEditorOptions) {
    this.opts = o;
    if (!o.lazy) this.cm = this.build(o.text);
  }

  /** The CodeMirror view, built now if it was not yet (see SpecEditorOptions.lazy). */
  get view(): EditorView {
    if (!this.cm) {
      // Built with the newest text, so nothing that arrived meanwhile is replayed.
      const text = this.pending.text ?? this.opts.text;
      this.pending.text = null;
      this.cm = this.build(text);
    }
    return this.cm;
  }

  /** Whether CodeMirror has been built (see SpecEditorOptions.lazy). */
  get built(): boolean {
    return this.cm !== null;
  }

  private build(doc: string): EditorView {
    const o = this.opts;
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
    const completion = [{ autocomplete: schemaCompletion(() => this.schema) }];
    return new EditorView({
      parent: o.parent,
      state: EditorState.create({
        doc,
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
            // Report the document when a user's transaction changed it, not when only setText did.
            if (u.transactions.some((tr) => tr.docChanged && !tr.annotation(fromModel))) o.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
  }

  /** Completes property names and values from the schema from now on. */
  setSchema(schema: FleetSchema): void {
    this.schema = schema;
  }

  get text(): string {
    return this.pending.text ?? this.docText();
  }

  /** The text CodeMirror holds, or will be built with. */
  private docText(): string {
    return this.cm ? this.cm.state.doc.toString() : this.opts.text;
  }

  /** Whether the editor is on screen; shown, it catches up with what arrived while hidden. */
  setVisible(on: boolean): void {
    this.visible = on;
    if (!on) return;
    void this.view; // built now, if not yet, with the newest text
    const { text, diags } = this.pending;
    this.pending = { text: null, diags: null };
    if (text !== null) this.apply(text);
    if (diags) this.setDiagnostics(diags.diags, diags.forText);
  }

  /**
   * Replaces the document with text (from the form, an example, an import),
   * changing only the differing middle so the cursor, scroll position and
   * undo history stay meaningful.
   */
  setText(text: string): void {
    if (!this.visible) {
      this.pending.text = text === this.docText() ? null : text;
      return;
    }
    this.apply(text);
  }

  private apply(text: string): void {
    const old = this.view.state.doc.toString();
    if (old === text) return;
    let start = 0;
    const max = Math.min(old.length, text.length);
    while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
    let endOld = old.length;
    let endNew = text.length;
    while (endOld > start && endNew > start && old.charCodeAt(endOld - 1) === text.charCodeAt(endNew - 1)) {
      endOld--;
      endNew--;
    }
    this.view.dispatch({ changes: { from: start, to: endOld, insert: text.slice(start, endNew) }, annotations: fromModel.of(true) });
  }

  /** Shows diagnostics computed for `forText`; ignored if the document moved on. */
  setDiagnostics(diags: Diagnostic[], forText: string): void {
    if (forText !== this.text) return;
    if (this.pending.text !== null || !this.cm) {
      this.pending.diags = { diags, forText };
      return;
    }
    // None shown and none to show: no transaction (each one is an update
    // and a measure of the editor, on every keystroke of a valid spec).
    if (diags.length === 0 && this.shownDiags === 0) return;
    this.shownDiags = diags.length;
    const doc = this.view.state.doc;
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
    this.view.dispatch(setDiagnostics(this.view.state, cm));
  }

  /** Moves the cursor to line:col and focuses the editor. */
  reveal(line: number, col: number): void {
    const r = rangeOf(this.view.state.doc, line, col);
    if (!r) return;
    this.view.dispatch({ selection: { anchor: r.from }, scrollIntoView: true });
    this.view.focus();
  }
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
