// The generated repository: a file tree with changed/new/removed badges and a
// preview pane that shows a file highlighted, or its diff (@codemirror/merge,
// unified or side by side).
//
// Badges and diffs compare with a baseline the user picks: the output when
// the spec was loaded (the default), the output of the last download, or a
// state pinned by hand. Comparing with the previous keystroke would show
// "test-clan-pro → test-clan-prod" while typing; a stable baseline shows
// what the whole edit did.
//
// The tree is keyed by path: a new generation updates badges and the
// current file in place, and rebuilds nothing unless the set of files
// changed; the preview is redrawn only when the bytes it shows changed.
//
// The highlighted views are CodeMirror's (codemirror.ts), loaded by the
// page after its first preview (lazycm.ts): until then a file shows as
// plain numbered lines, and a diff waits for CodeMirror, which asking for
// one loads.
import { h } from "./dom";
import { codemirror, loadCodeMirror, whenCodeMirror } from "./lazycm";
import type { FileOut } from "./protocol";

/** A read-only view of one file that can take new text in place. */
export interface CodeView {
  update(text: string): void;
  destroy(): void;
}

export type Badge = "changed" | "new" | "removed" | null;
type Mode = "file" | "diff";
type DiffStyle = "unified" | "split";
/** What badges and diffs compare with. */
export type Baseline = "load" | "export" | "pinned";

const baselineWords: Record<Baseline, string> = {
  load: "since load",
  export: "since the last download",
  pinned: "since the pin",
};

interface TreeItem {
  li: HTMLElement;
  btn?: HTMLButtonElement;
  badge?: HTMLElement;
  state?: string;
}

export interface FilesOptions {
  /** Called after the user picked a file (click, Enter). */
  onSelect?: (path: string) => void;
  /** Whether previews must wrap long lines whatever the reader chose (phones). */
  wrap?: () => boolean;
  /** What the preview says when there are no files (outputstate.ts emptyPreview says why). */
  empty?: () => string;
  /** Called after the baseline changed or, for "last download", was taken again (the status line counts against it). */
  onBaseline?: () => void;
}

export class FilesView {
  private files = new Map<string, FileOut>();
  private bases: Record<Baseline, Map<string, FileOut> | null> = { load: null, export: null, pinned: null };
  /** The output (this.files) each baseline was taken from: settle() carries the ones taken from the output it replaces. */
  private takenFrom: Record<Baseline, Map<string, FileOut> | null> = { load: null, export: null, pinned: null };
  private baseline: Baseline = "load";
  /** The next update() becomes the "since load" baseline. */
  private loadPending = true;
  private selected = "";
  private mode: Mode = "file";
  private diffStyle: DiffStyle = "unified";
  private onlyChanged = false;
  private views: { destroy(): void }[] = [];
  /** The single-file view, kept across generations so an update keeps its scroll position. */
  private fileView: { view: CodeView; path: string; wrap: boolean; plain: boolean } | null = null;
  /** Whether a preview waits for CodeMirror (drawn again once it is in). */
  private waiting = false;
  private shown = "";
  private items = new Map<string, TreeItem>();
  /** The baseline the tree's badges were last drawn against (refreshRows draws them all again when it changed). */
  private drawnBase: Map<string, FileOut> | null | undefined = undefined;
  private order = "";
  private readonly tree: HTMLElement;
  private readonly body: HTMLElement;
  private readonly title: HTMLElement;
  private readonly meta: HTMLElement;
  private readonly modeFile: HTMLInputElement;
  private readonly modeDiff: HTMLInputElement;
  private readonly toggles: HTMLElement[];
  /** The reader's "Wrap lines" choice, kept in localStorage (layout only, like layout.ts). */
  private wrapLines = readWrap();
  private readonly baseSelect: HTMLSelectElement;
  private readonly pinBtn: HTMLButtonElement;
  private readonly note: HTMLElement;

  /** Whether there is any file (else the preview says why not). */
  get hasFiles(): boolean {
    return this.files.size > 0;
  }

  constructor(
    treeRoot: HTMLElement,
    previewRoot: HTMLElement,
    private readonly o: FilesOptions = {},
  ) {
    const only = h("input", { type: "checkbox", id: "fy-only-changed" });
    only.addEventListener("change", () => {
      this.onlyChanged = only.checked;
      this.renderTree();
    });
    this.baseSelect = h(
      "select",
      { id: "fy-baseline", title: "What the badges and diffs compare with: the output when the spec was loaded, when you last downloaded it, or a state you pinned" },
      h("option", { value: "load" }, "load"),
      h("option", { value: "export" }, "last download"),
      h("option", { value: "pinned" }, "pin"),
    );
    this.baseSelect.addEventListener("change", () => {
      const b = this.baseSelect.value as Baseline;
      // Choosing "pinned" without a pin pins what is shown now.
      if (b === "pinned" && !this.bases.pinned) this.takeBase("pinned");
      this.setBaseline(b);
    });
    this.pinBtn = h("button", { type: "button", class: "fy-btn", id: "fy-pin", title: "Compare with the output as it is now" }, "Pin now");
    this.pinBtn.addEventListener("click", () => this.pin());
    this.note = h("p", { class: "fy-baseline-note", id: "fy-baseline-note", role: "status" });
    this.tree = h("ul", { class: "fy-tree", role: "list", "aria-label": "Generated files" });
    this.tree.addEventListener("keydown", (ev) => this.treeKeys(ev));
    treeRoot.replaceChildren(
      h(
        "div",
        { class: "fy-pane-head fy-files-head" },
        h("h2", { class: "fy-pane-title", id: "fy-files-title" }, "Files"),
        h("span", { class: "fy-check fy-small" }, only, h("label", { for: "fy-only-changed" }, "changed only")),
        h("span", { class: "fy-baseline" }, h("label", { for: "fy-baseline" }, "Changes since"), this.baseSelect, this.pinBtn),
      ),
      this.note,
      h("nav", { class: "fy-tree-wrap", "aria-labelledby": "fy-files-title" }, this.tree),
    );

    const radio = (name: string, value: string, label: string, checked: boolean, on: () => void): [HTMLInputElement, HTMLElement] => {
      const id = `${name}-${value}`;
      const r = h("input", { type: "radio", name, id, value });
      r.checked = checked;
      r.addEventListener("change", on);
      return [r, h("span", { class: "fy-seg-item" }, r, h("label", { for: id }, label))];
    };
    const [mf, mfEl] = radio("fy-mode", "file", "File", true, () => this.setMode("file"));
    const [md, mdEl] = radio("fy-mode", "diff", "Diff", false, () => this.setMode("diff"));
    this.modeFile = mf;
    this.modeDiff = md;
    const [, duEl] = radio("fy-diffstyle", "unified", "Unified", true, () => this.setDiffStyle("unified"));
    const [, dsEl] = radio("fy-diffstyle", "split", "Side by side", false, () => this.setDiffStyle("split"));
    this.title = h("h2", { class: "fy-pane-title fy-path", id: "fy-preview-title" }, "Preview");
    this.meta = h("span", { class: "fy-muted fy-small" });
    this.body = h("div", { class: "fy-preview-body", role: "region", "aria-labelledby": "fy-preview-title" });
    const modeSeg = h("fieldset", { class: "fy-seg fy-mode" }, h("legend", { class: "fy-sr" }, "Show"), mfEl, mdEl);
    const styleSeg = h("fieldset", { class: "fy-seg fy-diffstyle" }, h("legend", { class: "fy-sr" }, "Diff layout"), duEl, dsEl);
    const wrapBox = h("input", { type: "checkbox", id: "fy-wrap" });
    wrapBox.checked = this.wrapLines;
    wrapBox.addEventListener("change", () => {
      this.wrapLines = wrapBox.checked;
      saveWrap(this.wrapLines);
      this.renderPreview(true);
    });
    // Phones always wrap (FilesOptions.wrap), and hide the box (playground.css).
    const wrapEl = h("span", { class: "fy-check fy-small fy-wrap", title: "Wrap long lines instead of scrolling sideways" }, wrapBox, h("label", { for: "fy-wrap" }, "Wrap"));
    this.toggles = [modeSeg, styleSeg, wrapEl];
    previewRoot.replaceChildren(h("div", { class: "fy-pane-head fy-preview-head" }, this.title, this.meta, modeSeg, styleSeg, wrapEl), this.body);
    this.renderTree();
    this.renderPreview(true);
    this.renderNote();
  }

  /** The baseline in use. */
  get compareWith(): Baseline {
    return this.baseline;
  }

  /** Makes the output shown now baseline b. */
  private takeBase(b: Baseline): void {
    this.bases[b] = b === "load" ? this.files : new Map(this.files);
    this.takenFrom[b] = this.files;
  }

  /**
   * Installs the manifest the last generation left for later (the worker's
   * settle: GenerateResult.manifestLater). A baseline taken from that
   * generation (the load that started it, a pin or a download since) gets
   * it too: it is the same spec's output, so the manifest must not show as
   * changed against it.
   */
  settle(files: FileOut[]): void {
    const prev = this.files;
    this.update(files);
    let moved = false;
    for (const b of ["load", "export", "pinned"] as const) {
      if (this.bases[b] === null || this.takenFrom[b] !== prev) continue;
      this.takeBase(b);
      moved = true;
    }
    if (moved) this.refresh();
  }

  /** The output the next update() brings becomes the "since load" baseline (a spec was loaded). */
  resetLoadBaseline(): void {
    this.loadPending = true;
  }

  /** The output shown now is what was downloaded: the "since last download" baseline. */
  markExported(): void {
    if (this.files.size === 0) return;
    this.takeBase("export");
    if (this.baseline === "export") {
      this.refresh();
      this.o.onBaseline?.();
    }
    this.renderNote();
  }

  /** Pins the output shown now and compares with it. */
  pin(): void {
    this.takeBase("pinned");
    this.baseSelect.value = "pinned";
    this.setBaseline("pinned");
  }

  setBaseline(b: Baseline): void {
    this.baseline = b;
    this.baseSelect.value = b;
    this.refresh();
    this.o.onBaseline?.();
  }

  /** Installs a new generation. */
  update(files: FileOut[]): void {
    const prev = this.files;
    this.files = new Map(files.map((f) => [f.path, f]));
    if (this.loadPending) {
      this.takeBase("load");
      this.loadPending = false;
    }
    const base = this.base();
    if (!this.selected || (!this.files.has(this.selected) && !base?.has(this.selected))) this.selected = defaultFile(files);
    // The same paths as before (a keystroke: a few files changed): only
    // the rows of the files whose bytes changed can have another badge.
    // genstream.ts keeps an unchanged file's object, so most are skipped by identity.
    let touched: string[] | null = prev.size === this.files.size ? [] : null;
    for (const f of touched ? files : []) {
      const old = prev.get(f.path);
      if (!old) {
        touched = null;
        break;
      }
      if (old !== f && old.id !== f.id) touched!.push(f.path);
    }
    if (touched) this.refreshRows(touched);
    else this.refresh();
  }

  /**
   * refresh() for a generation with the same paths as the tree shows:
   * the rows of `paths` are brought up to date in place, the rest stay. The
   * whole tree is drawn again when what it was drawn against changed (the
   * baseline, the "changed only" filter).
   */
  private refreshRows(paths: string[]): void {
    if (this.onlyChanged || this.drawnBase !== this.base()) {
      this.refresh();
      return;
    }
    for (const p of paths) {
      const it = this.items.get(`f:${p}`);
      if (it) this.paintRow(it, p);
    }
    this.renderPreview();
    this.renderNote();
  }

  /** Forgets the output (the spec no longer generates anything). */
  clearFiles(): void {
    this.files = new Map();
    this.refresh();
  }

  private refresh(): void {
    this.renderTree();
    this.renderPreview();
    this.renderNote();
  }

  /** The files compared with: the chosen baseline, or "since load" until there was a download. */
  private base(): Map<string, FileOut> | null {
    return this.bases[this.baseline] ?? this.bases.load;
  }

  private renderNote(): void {
    this.pinBtn.hidden = this.baseline !== "pinned";
    const text = this.baseline === "export" && !this.bases.export ? "Nothing downloaded yet in this tab: comparing with the spec as loaded." : "";
    if (this.note.textContent !== text) this.note.textContent = text;
  }

  /** How the words of the status line and the diff label say the baseline. */
  baselineWords(): string {
    return this.baseline === "export" && !this.bases.export ? baselineWords.load : baselineWords[this.baseline];
  }

  /**
   * Forgets every generation: the tree and preview go empty and the next
   * update starts without a diff baseline. For a placeholder that must not
   * become the baseline (the pre-rendered files) and for an emptied spec.
   */
  reset(): void {
    this.files = new Map();
    this.bases = { load: null, export: null, pinned: null };
    this.loadPending = true;
    this.selected = "";
    this.renderTree();
    this.renderPreview(true);
  }

  badge(path: string): Badge {
    const base = this.base();
    if (!base) return null;
    const now = this.files.get(path);
    const before = base.get(path);
    if (now && !before) return "new";
    if (!now && before) return "removed";
    if (now && before && now.id !== before.id) return "changed";
    return null;
  }

  /** Paths that differ from the baseline. */
  changedCount(): number {
    const base = this.base();
    if (!base) return 0;
    let n = 0;
    for (const [p, f] of this.files) {
      const before = base.get(p);
      if (!before || before.id !== f.id) n++;
    }
    for (const p of base.keys()) if (!this.files.has(p)) n++;
    return n;
  }

  private allPaths(): string[] {
    const base = this.base();
    return [...new Set([...this.files.keys(), ...(base?.keys() ?? [])])];
  }

  select(path: string, mode?: Mode): void {
    this.selected = path;
    if (mode) {
      this.mode = mode;
      this.modeFile.checked = mode === "file";
      this.modeDiff.checked = mode === "diff";
    }
    this.renderTree();
    this.renderPreview();
    this.o.onSelect?.(path);
  }

  private setMode(m: Mode): void {
    this.mode = m;
    this.renderPreview(true);
  }

  private setDiffStyle(s: DiffStyle): void {
    this.diffStyle = s;
    this.renderPreview(true);
  }

  /** The tree's rows in order: directories (key "d:path/") and files (key "f:path"). */
  private rows(): { key: string; depth: number; label: string; path?: string }[] {
    const paths = this.allPaths()
      .filter((p) => this.files.has(p) || this.badge(p) === "removed")
      .sort();
    const visible = this.onlyChanged ? paths.filter((p) => this.badge(p)) : paths;
    const out: { key: string; depth: number; label: string; path?: string }[] = [];
    let lastDirs: string[] = [];
    for (const p of visible) {
      const parts = p.split("/");
      const dirs = parts.slice(0, -1);
      let common = 0;
      while (common < dirs.length && common < lastDirs.length && dirs[common] === lastDirs[common]) common++;
      for (let d = common; d < dirs.length; d++) out.push({ key: `d:${dirs.slice(0, d + 1).join("/")}/`, depth: d, label: dirs[d] + "/" });
      lastDirs = dirs;
      out.push({ key: `f:${p}`, depth: dirs.length, label: parts[parts.length - 1]!, path: p });
    }
    return out;
  }

  private renderTree(): void {
    const rows = this.rows();
    const order = rows.map((r) => r.key).join("\n");
    if (order !== this.order) {
      // The set of files changed: reuse every row that is still there.
      const focused = document.activeElement;
      const next = new Map<string, TreeItem>();
      const lis: HTMLElement[] = [];
      for (const r of rows) {
        const it = this.items.get(r.key) ?? this.makeRow(r);
        next.set(r.key, it);
        lis.push(it.li);
      }
      if (rows.length === 0) lis.push(h("li", { class: "fy-muted fy-tree-empty" }, this.onlyChanged ? `No file changed ${this.baselineWords()}.` : "No files yet."));
      this.tree.replaceChildren(...lis);
      this.items = next;
      this.order = order;
      if (focused instanceof HTMLElement && focused.isConnected && this.tree.contains(focused)) focused.focus();
    }
    this.drawnBase = this.base();
    // Badges, the current file and the one tab stop, in place.
    let stop: HTMLButtonElement | undefined;
    for (const r of rows) {
      if (!r.path) continue;
      const it = this.items.get(r.key)!;
      if (r.path === this.selected) stop = it.btn;
      this.paintRow(it, r.path);
    }
    // One tab stop for the whole tree: the current file, else the first; focus is left where it is.
    const btns = [...this.items.values()].flatMap((it) => (it.btn ? [it.btn] : []));
    stop ??= btns.find((b) => b === document.activeElement) ?? btns[0];
    for (const b of btns) {
      const t = b === stop ? 0 : -1;
      if (b.tabIndex !== t) b.tabIndex = t;
    }
  }

  /** Brings a file's row up to date: its badge and whether it is the current file. */
  private paintRow(it: TreeItem, path: string): void {
    const b = this.badge(path);
    const cur = path === this.selected;
    const state = `${b ?? ""}|${cur}`;
    if (state === it.state) return;
    it.state = state;
    const btn = it.btn!;
    btn.className = `fy-file-btn${b ? " fy-" + b : ""}`;
    btn.dataset.badge = b ?? "";
    if (cur) btn.setAttribute("aria-current", "true");
    else btn.removeAttribute("aria-current");
    if (b) {
      it.badge ??= h("span", {});
      it.badge.className = `fy-badge fy-badge-${b}`;
      // One letter, so the badge leaves the name its width; the word is
      // the tooltip and what a screen reader says.
      it.badge.title = b;
      it.badge.replaceChildren(h("span", { "aria-hidden": "true" }, b[0]!.toUpperCase()), h("span", { class: "fy-sr" }, ` ${b}`));
      if (!it.badge.isConnected) btn.append(it.badge);
    } else it.badge?.remove();
  }

  private makeRow(r: { key: string; depth: number; label: string; path?: string }): TreeItem {
    // ▾, not ▸: a directory's files are always listed under it (it does not collapse).
    if (!r.path) return { li: h("li", { class: "fy-dir", style: `--depth:${r.depth}` }, h("span", { "aria-hidden": "true" }, "▾ "), r.label) };
    const p = r.path;
    const btn = h("button", { type: "button", class: "fy-file-btn", "data-path": p, "data-badge": "", tabindex: -1, title: p, onclick: () => this.select(p) }, h("span", { class: "fy-file-name" }, r.label));
    return { li: h("li", { class: "fy-file-item", style: `--depth:${r.depth}` }, btn), btn };
  }

  /** Arrow keys move between files (one tab stop for the whole tree). */
  private treeKeys(ev: KeyboardEvent): void {
    const btns = [...this.tree.querySelectorAll<HTMLButtonElement>("button")];
    const i = btns.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    let j = i;
    if (ev.key === "ArrowDown") j = Math.min(btns.length - 1, i + 1);
    else if (ev.key === "ArrowUp") j = Math.max(0, i - 1);
    else if (ev.key === "Home") j = 0;
    else if (ev.key === "End") j = btns.length - 1;
    else return;
    ev.preventDefault();
    btns[i]!.tabIndex = -1;
    btns[j]!.tabIndex = 0;
    btns[j]!.focus();
  }

  /** Redraws the preview when what it shows changed (or force). */
  renderPreview(force = false): void {
    const f = this.files.get(this.selected);
    const before = this.base()?.get(this.selected);
    const phoneWrap = this.o.wrap?.() ?? false;
    const wrap = phoneWrap || this.wrapLines;
    const key = `${this.selected}|${this.mode}|${this.diffStyle}|${this.baseline}|${wrap}|${f?.id ?? "-"}|${before?.id ?? "-"}`;
    if (key === this.shown && !force) return;
    this.shown = key;
    const b = this.badge(this.selected);
    // A long path wraps after a "/", not inside a name
    // ("modules/clan/inventory/ma" / "chines.nix", or at a name's "-").
    const parts = (this.selected || "Preview").split("/");
    this.title.replaceChildren(...parts.map((p, i) => h("span", { class: "fy-path-seg" }, i < parts.length - 1 ? `${p}/` : p)));
    this.meta.textContent = f ? `${formatSize(f.size)}${f.mode === 0o755 ? " · executable" : ""}${b ? ` · ${b}` : ""}` : b === "removed" ? "removed" : "";
    // Nothing to show, nothing to toggle.
    for (const t of this.toggles) t.hidden = !this.selected || (!f && !before);
    this.body.dataset.mode = this.mode;
    this.body.dataset.fileId = f?.id ?? "";
    const cm = codemirror();
    // The common case, a file in File mode whose bytes changed: update the
    // view's document in place (scroll position and selection stay).
    if (this.mode === "file" && f?.text !== undefined && this.fileView && this.fileView.path === this.selected && this.fileView.wrap === wrap && this.views.length === 1 && this.fileView.plain === !cm) {
      this.fileView.view.update(f.text);
      return;
    }
    for (const v of this.views) v.destroy();
    this.views = [];
    this.fileView = null;
    this.body.replaceChildren();
    if (!this.selected) {
      this.body.append(h("p", { class: "fy-empty" }, this.files.size ? "Choose a file on the left." : (this.o.empty?.() ?? "")));
      return;
    }
    const now = f ? text(f) : "";
    if (this.mode === "file") {
      if (!f) {
        this.body.append(h("p", { class: "fy-empty" }, "This file is no longer generated. Switch to Diff to see what it held."));
        return;
      }
      if (f.text === undefined) {
        this.body.append(h("p", { class: "fy-empty" }, `Binary file, ${formatSize(f.size)}.`));
        return;
      }
      const view = cm ? cm.fileView(this.body, this.selected, now, this.selected, wrap) : plainView(this.body, now, this.selected, wrap);
      if (!cm) this.waitForCodeMirror(false);
      this.views.push(view);
      this.fileView = { view, path: this.selected, wrap, plain: !cm };
      return;
    }
    const base = this.base();
    const label = `${this.selected} (diff ${this.baselineWords()})`;
    if (!base) {
      this.body.append(h("p", { class: "fy-empty" }, "No baseline yet: once the spec generates, the diff of each file against the spec as loaded appears here."));
      return;
    }
    const old = before ? text(before) : "";
    if (before && f && before.id === f.id) {
      this.body.append(h("p", { class: "fy-empty" }, `Unchanged ${this.baselineWords()}.`));
      return;
    }
    if (!cm) {
      this.body.append(h("p", { class: "fy-empty" }, "Loading the diff view…"));
      this.waitForCodeMirror(true);
      return;
    }
    // On a phone (where lines always wrap) two columns of a few words each
    // are unreadable: the diff is unified there, and the layout choice
    // hidden (playground.css). A desktop's "Wrap" keeps side by side.
    this.views.push(this.diffStyle === "unified" || phoneWrap ? cm.unifiedDiff(this.body, this.selected, label, old, now, wrap) : cm.splitDiff(this.body, this.selected, old, now, wrap));
  }

  /**
   * Draws the preview again once CodeMirror is in; load: ask for it now (a
   * diff has no plain stand-in), else wait for the page to load it.
   */
  private waitForCodeMirror(load: boolean): void {
    if (load) loadCodeMirror().catch(() => undefined);
    if (this.waiting) return;
    this.waiting = true;
    whenCodeMirror(() => {
      this.waiting = false;
      this.renderPreview(true);
    });
  }
}

/**
 * A file as plain numbered lines: the preview until CodeMirror is in, laid
 * out like its view (playground.css .fy-plain) so that the swap only adds
 * colours. One element per line keeps the numbers beside wrapped lines.
 */
function plainView(parent: HTMLElement, text: string, label: string, wrap: boolean): CodeView {
  const code = h("div", { class: "fy-plain-code" });
  const box = h("div", { class: `fy-plain${wrap ? " fy-plain-wrap" : ""}`, role: "textbox", "aria-readonly": "true", "aria-multiline": "true", "aria-label": label, tabindex: "0" }, code);
  const fill = (t: string): void => {
    // Every line, the empty one after a final newline too, as CodeMirror numbers them.
    const lines = t.split("\n");
    box.style.setProperty("--digits", String(String(lines.length).length));
    code.replaceChildren(...lines.map((l) => h("div", { class: "fy-plain-line" }, l)));
  };
  let shown = text;
  fill(text);
  parent.append(box);
  return {
    update(next) {
      if (next === shown) return;
      shown = next;
      fill(next);
    },
    destroy: () => box.remove(),
  };
}

function text(f: FileOut): string {
  return f.text ?? `(binary, ${f.size} bytes)`;
}

function defaultFile(files: FileOut[]): string {
  for (const want of ["flake.nix", "README.md"]) if (files.some((f) => f.path === want)) return want;
  return files[0]?.path ?? "";
}

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

/** The localStorage key of the preview's "Wrap" choice. */
const WRAP_KEY = "fleetyard:playground:wrap";

function readWrap(): boolean {
  try {
    return window.localStorage.getItem(WRAP_KEY) === "1";
  } catch {
    return false; // storage refused (private mode, a sandbox): not wrapped
  }
}

function saveWrap(on: boolean): void {
  try {
    if (on) window.localStorage.setItem(WRAP_KEY, "1");
    else window.localStorage.removeItem(WRAP_KEY);
  } catch {
    // the choice lasts for this page only
  }
}
