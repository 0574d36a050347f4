// The generated repository: a file tree with changed/new/removed badges and a
// preview pane that shows a file highlighted, or its diff against the
// previous generation (@codemirror/merge, unified or side by side).
import { MergeView, unifiedMergeView } from "@codemirror/merge";
import { EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { clear, h } from "./dom";
import { readOnlyExtensions, readOnlyView } from "./lang";
import type { FileOut } from "./protocol";

export type Badge = "changed" | "new" | "removed" | null;
type Mode = "file" | "diff";
type DiffStyle = "unified" | "split";

export class FilesView {
  private files = new Map<string, FileOut>();
  private prev = new Map<string, FileOut>();
  private selected = "";
  private mode: Mode = "file";
  private diffStyle: DiffStyle = "unified";
  private onlyChanged = false;
  private views: { destroy(): void }[] = [];
  private shown = "";
  private readonly tree: HTMLElement;
  private readonly body: HTMLElement;
  private readonly title: HTMLElement;
  private readonly meta: HTMLElement;
  private readonly modeFile: HTMLInputElement;
  private readonly modeDiff: HTMLInputElement;

  constructor(treeRoot: HTMLElement, previewRoot: HTMLElement) {
    const only = h("input", { type: "checkbox", id: "fy-only-changed" });
    only.addEventListener("change", () => {
      this.onlyChanged = only.checked;
      this.renderTree();
    });
    this.tree = h("ul", { class: "fy-tree", role: "list", "aria-label": "Generated files" });
    this.tree.addEventListener("keydown", (ev) => this.treeKeys(ev));
    treeRoot.replaceChildren(
      h("div", { class: "fy-pane-head" }, h("h2", { class: "fy-pane-title", id: "fy-files-title" }, "Files"), h("span", { class: "fy-check fy-small" }, only, h("label", { for: "fy-only-changed" }, "changed only"))),
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
    previewRoot.replaceChildren(
      h(
        "div",
        { class: "fy-pane-head fy-preview-head" },
        this.title,
        this.meta,
        h("fieldset", { class: "fy-seg" }, h("legend", { class: "fy-sr" }, "Show"), mfEl, mdEl),
        h("fieldset", { class: "fy-seg fy-diffstyle" }, h("legend", { class: "fy-sr" }, "Diff layout"), duEl, dsEl),
      ),
      this.body,
    );
  }

  /** Installs a new generation; the current one becomes the diff baseline. */
  update(files: FileOut[]): void {
    if (this.files.size > 0) this.prev = this.files;
    this.files = new Map(files.map((f) => [f.path, f]));
    if (!this.selected || (!this.files.has(this.selected) && !this.prev.has(this.selected))) this.selected = defaultFile(files);
    this.renderTree();
    this.renderPreview();
  }

  /**
   * Forgets every generation: the tree and preview go empty and the next
   * update starts without a diff baseline. For a placeholder that must not
   * become the baseline (the pre-rendered files) and for an emptied spec.
   */
  reset(): void {
    this.files = new Map();
    this.prev = new Map();
    this.selected = "";
    this.renderTree();
    this.renderPreview(true);
  }

  badge(path: string): Badge {
    const now = this.files.get(path);
    const before = this.prev.get(path);
    if (this.prev.size === 0) return null;
    if (now && !before) return "new";
    if (!now && before) return "removed";
    if (now && before && now.sha256 !== before.sha256) return "changed";
    return null;
  }

  /** Paths that differ from the previous generation. */
  changedCount(): number {
    let n = 0;
    for (const p of new Set([...this.files.keys(), ...this.prev.keys()])) if (this.badge(p)) n++;
    return n;
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
  }

  private setMode(m: Mode): void {
    this.mode = m;
    this.renderPreview(true);
  }

  private setDiffStyle(s: DiffStyle): void {
    this.diffStyle = s;
    this.renderPreview(true);
  }

  private renderTree(): void {
    const paths = [...new Set([...this.files.keys(), ...this.prev.keys()])].filter((p) => this.files.has(p) || this.badge(p) === "removed").sort();
    const visible = this.onlyChanged ? paths.filter((p) => this.badge(p)) : paths;
    const items: HTMLElement[] = [];
    let lastDirs: string[] = [];
    for (const p of visible) {
      const parts = p.split("/");
      const dirs = parts.slice(0, -1);
      let common = 0;
      while (common < dirs.length && common < lastDirs.length && dirs[common] === lastDirs[common]) common++;
      for (let d = common; d < dirs.length; d++) {
        items.push(h("li", { class: "fy-dir", style: `--depth:${d}` }, h("span", { "aria-hidden": "true" }, "▸ "), dirs[d] + "/"));
      }
      lastDirs = dirs;
      const b = this.badge(p);
      const cur = p === this.selected;
      items.push(
        h(
          "li",
          { class: "fy-file-item", style: `--depth:${dirs.length}` },
          h(
            "button",
            {
              type: "button",
              class: `fy-file-btn${b ? " fy-" + b : ""}`,
              "data-path": p,
              "data-badge": b ?? "",
              "aria-current": cur ? "true" : null,
              tabindex: cur ? 0 : -1,
              title: p,
              onclick: () => this.select(p),
            },
            h("span", { class: "fy-file-name" }, parts[parts.length - 1]!),
            b ? h("span", { class: `fy-badge fy-badge-${b}` }, b) : null,
          ),
        ),
      );
    }
    if (!items.some((li) => li.querySelector("[tabindex='0']"))) items.find((li) => li.querySelector("button"))?.querySelector("button")?.setAttribute("tabindex", "0");
    this.tree.replaceChildren(...items);
    if (visible.length === 0) this.tree.append(h("li", { class: "fy-muted" }, this.onlyChanged ? "No file changed in the last edit." : "No files yet."));
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

  private renderPreview(force = false): void {
    const f = this.files.get(this.selected);
    const before = this.prev.get(this.selected);
    const key = `${this.selected}|${this.mode}|${this.diffStyle}|${f?.sha256 ?? "-"}|${before?.sha256 ?? "-"}`;
    if (key === this.shown && !force) return;
    this.shown = key;
    for (const v of this.views) v.destroy();
    this.views = [];
    clear(this.body);
    this.body.dataset.mode = this.mode;
    this.title.textContent = this.selected || "Preview";
    const b = this.badge(this.selected);
    this.meta.textContent = f ? `${formatSize(f.size)}${f.mode === 0o755 ? " · executable" : ""}${b ? ` · ${b}` : ""}` : b === "removed" ? "removed" : "";
    if (!this.selected) return;
    const label = `${this.selected}${this.mode === "diff" ? " (diff against the previous edit)" : ""}`;
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
      this.views.push(readOnlyView(this.body, this.selected, now, label));
      return;
    }
    const old = before ? text(before) : "";
    if (this.prev.size === 0) {
      this.body.append(h("p", { class: "fy-empty" }, "No previous version yet: edit the spec and the diff of each file against the state before your edit appears here."));
      return;
    }
    if (before && f && before.sha256 === f.sha256) {
      this.body.append(h("p", { class: "fy-empty" }, "Unchanged by the last edit."));
      return;
    }
    if (this.diffStyle === "unified") {
      const view = new EditorView({
        parent: this.body,
        state: EditorState.create({
          doc: now,
          extensions: [...readOnlyExtensions(this.selected, label), unifiedMergeView({ original: old, mergeControls: false, gutter: true, syntaxHighlightDeletions: true })],
        }),
      });
      this.views.push(view);
    } else {
      const mv = new MergeView({
        parent: this.body,
        a: { doc: old, extensions: readOnlyExtensions(this.selected, `${this.selected}, before`) },
        b: { doc: now, extensions: readOnlyExtensions(this.selected, `${this.selected}, after`) },
        gutter: true,
      });
      this.views.push(mv);
    }
  }
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
