// The spec editor: the playground's and the docs examples' fleet.json
// editor. This module holds the editor's state and never imports
// CodeMirror: the view comes from codemirror.ts through lazycm.ts, so a
// page can show its first preview before evaluating CodeMirror. Until the
// view is there, the editor is a plain text area that keeps everything
// typed into it (and refuses private keys like the view does), and the view
// takes its text, selection and focus over when it arrives.
import { codemirror, loadCodeMirror } from "./lazycm";
import { h } from "./dom";
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
   * Builds the view only when the editor is first shown or warm() asks for
   * it (the playground's editor starts hidden behind the form tab: building
   * it costs about 100 ms of a cold load's main thread).
   */
  lazy?: boolean;
}

/** What the editor asks of its view (codemirror.ts specView). */
export interface SpecView {
  readonly dom: HTMLElement;
  text(): string;
  /** Replaces the document with text from the model (not reported back through onChange). */
  replace(text: string): void;
  setDiagnostics(diags: Diagnostic[]): void;
  /** Moves the cursor to line:col and focuses the view. */
  reveal(line: number, col: number): void;
  requestMeasure(): void;
  focus(): void;
}

/** How codemirror.ts builds a SpecView. */
export interface SpecViewOptions {
  parent: HTMLElement;
  doc: string;
  label: string;
  onChange: (text: string) => void;
  onRefused: () => void;
  schema: () => FleetSchema | null;
  /** The selection to start with (what the text area had). */
  selection?: { anchor: number; head: number };
}

export class SpecEditor {
  private view: SpecView | null = null;
  /** The stand-in while CodeMirror loads, if the editor was shown before it came. */
  private area: HTMLTextAreaElement | null = null;
  private readonly opts: SpecEditorOptions;
  private schema: FleetSchema | null = null;
  private visible = false;
  /** Whether the view is wanted (shown, warmed, or not lazy): it is built as soon as CodeMirror is in. */
  private wanted = false;
  /** How many diagnostics the view shows (0: none, so an empty set changes nothing). */
  private shownDiags = 0;
  /** A reveal asked for before the view existed. */
  private pendingReveal: { line: number; col: number } | null = null;
  /**
   * Text (and diagnostics) that arrived while the editor was hidden. A
   * hidden CodeMirror still updates its gutters on every change (60 ms a
   * keystroke on the large example), so form edits wait here until the
   * fleet.json tab is shown.
   */
  private pending: { text: string | null; diags: { diags: Diagnostic[]; forText: string } | null } = { text: null, diags: null };
  /** The text before the view exists (or the area's, once there is one). */
  private early: string;

  constructor(o: SpecEditorOptions) {
    this.opts = o;
    this.early = o.text;
    // Not lazy: on screen from the start (a docs example), so never behind.
    this.visible = !o.lazy;
    if (!o.lazy) this.want();
  }

  /** Builds the view now if CodeMirror is loaded, else loads it and builds it then. */
  private want(): void {
    this.wanted = true;
    if (this.view) return;
    if (codemirror()) {
      this.build();
      return;
    }
    loadCodeMirror().then(
      () => this.build(),
      () => undefined, // the text area (if shown) stays usable
    );
  }

  /** Builds the view in the background, with the newest text (the page calls it once idle). */
  warm(): void {
    this.want();
  }

  /** Whether the CodeMirror view has been built. */
  get built(): boolean {
    return this.view !== null;
  }

  private build(): void {
    const cm = codemirror();
    if (this.view || !cm || !this.wanted) return;
    const o = this.opts;
    // Built with the newest text, so nothing that arrived meanwhile is replayed.
    const area = this.area;
    const doc = this.pending.text ?? (area ? area.value : this.early);
    this.pending.text = null;
    const hadFocus = area !== null && document.activeElement === area;
    this.view = cm.specView({
      parent: o.parent,
      doc,
      label: o.label,
      onChange: o.onChange,
      onRefused: o.onRefused,
      schema: () => this.schema,
      ...(area ? { selection: { anchor: area.selectionStart, head: area.selectionEnd } } : {}),
    });
    if (area) {
      // The view takes the area's place (it was appended after it).
      area.remove();
      this.area = null;
    }
    if (hadFocus) this.view.focus();
    if (this.visible) this.catchUp();
    if (this.pendingReveal) {
      const { line, col } = this.pendingReveal;
      this.pendingReveal = null;
      this.view.reveal(line, col);
    }
  }

  /** The plain text area shown while CodeMirror loads. */
  private showArea(): void {
    if (this.area || this.view) return;
    const o = this.opts;
    const area = h("textarea", { class: "fy-editor-plain", "aria-label": o.label, spellcheck: "false", autocomplete: "off", autocapitalize: "off" });
    area.value = this.pending.text ?? this.early;
    this.pending.text = null;
    let last = area.value;
    area.addEventListener("input", () => {
      if (containsPrivate(area.value)) {
        // Refused like the view refuses it: the text goes back to what it was.
        const at = Math.max(0, area.selectionStart - (area.value.length - last.length));
        area.value = last;
        area.setSelectionRange(at, at);
        queueMicrotask(o.onRefused);
        return;
      }
      last = area.value;
      this.early = last;
      o.onChange(last);
    });
    this.area = area;
    o.parent.append(area);
  }

  /** Completes property names and values from the schema from now on. */
  setSchema(schema: FleetSchema): void {
    this.schema = schema;
  }

  get text(): string {
    if (this.pending.text !== null) return this.pending.text;
    if (this.view) return this.view.text();
    return this.area ? this.area.value : this.early;
  }

  /** Whether the editor is on screen; shown, it catches up with what arrived while hidden. */
  setVisible(on: boolean): void {
    this.visible = on;
    if (!on) return;
    if (!this.view) {
      // Shown before CodeMirror is in: the text area stands in until it is.
      this.showArea();
      this.want();
      return;
    }
    this.catchUp();
    this.view.requestMeasure();
  }

  private catchUp(): void {
    const { text, diags } = this.pending;
    this.pending = { text: null, diags: null };
    if (text !== null) this.view?.replace(text);
    if (diags) this.setDiagnostics(diags.diags, diags.forText);
  }

  /**
   * Replaces the document with text (from the form, an example, an import),
   * changing only the differing middle so the cursor, scroll position and
   * undo history stay meaningful.
   */
  setText(text: string): void {
    if (this.area) {
      if (this.area.value !== text) this.area.value = text;
      this.early = text;
      return;
    }
    if (!this.view) {
      this.early = text;
      return;
    }
    if (!this.visible) {
      this.pending.text = text === this.view.text() ? null : text;
      return;
    }
    this.view.replace(text);
  }

  /** Shows diagnostics computed for `forText`; ignored if the document moved on. */
  setDiagnostics(diags: Diagnostic[], forText: string): void {
    if (forText !== this.text) return;
    if (this.pending.text !== null || !this.view) {
      this.pending.diags = { diags, forText };
      return;
    }
    // None shown and none to show: no transaction (each one is an update
    // and a measure of the editor, on every keystroke of a valid spec).
    if (diags.length === 0 && this.shownDiags === 0) return;
    this.shownDiags = diags.length;
    this.view.setDiagnostics(diags);
  }

  /** Moves the cursor to line:col and focuses the editor (once its view is in). */
  reveal(line: number, col: number): void {
    if (this.view) {
      this.view.reveal(line, col);
      return;
    }
    this.pendingReveal = { line, col };
    this.want();
  }

  /** Focuses the editor (the text area while the view loads). */
  focus(): void {
    if (this.view) this.view.focus();
    else if (this.area) this.area.focus();
    else {
      this.want();
      loadCodeMirror().then(
        () => this.view?.focus(),
        () => undefined,
      );
    }
  }
}
