// The playground's full-viewport layout: three resizable panes (spec |
// files | preview) over a resizable details panel, drag handles that are
// also keyboard-operable separators (WAI-ARIA window splitter), pane
// shortcuts, and on phones one pane at a time behind a row of tabs.
//
// Sizes are CSS custom properties on #fy-pg (percent of the workspace), so
// the stylesheet owns the grid and this file only moves numbers; they are
// kept in localStorage (layout only, never spec content).

const STORE = "fleetyard:playground:layout";

/** The panes a shortcut or a phone tab can show. */
export type Pane = "edit" | "files" | "preview" | "details";
export const panes: Pane[] = ["edit", "files", "preview", "details"];

interface Sizes {
  edit: number;
  files: number;
  details: number;
}

const defaults: Sizes = { edit: 36, files: 19, details: 26 };

/** Limits per size, in percent: every pane keeps enough room to be usable. */
const limits: Record<keyof Sizes, [min: number, max: number]> = {
  edit: [18, 62],
  files: [10, 40],
  details: [8, 70],
};

/** The phone layout: one pane at a time (must match playground.css). */
export const phone = window.matchMedia("(max-width: 48rem)");

export class Layout {
  private sizes: Sizes;
  private pane: Pane = "edit";
  private readonly listeners = new Set<(p: Pane) => void>();

  constructor(private readonly root: HTMLElement) {
    this.sizes = { ...defaults, ...load() };
    this.apply();
    for (const sep of root.querySelectorAll<HTMLElement>("[data-resize]")) this.separator(sep);
    for (const t of root.querySelectorAll<HTMLElement>("[data-pane-tab]")) t.addEventListener("click", () => this.show(t.dataset.paneTab as Pane, false));
    const tablist = root.querySelector<HTMLElement>(".fy-pane-tabs");
    tablist?.addEventListener("keydown", (ev) => this.tabKeys(ev));
    for (const b of root.querySelectorAll<HTMLElement>("[data-skip]")) b.addEventListener("click", () => this.focus(b.dataset.skip as Pane));
    document.addEventListener("keydown", (ev) => {
      // Alt+Shift+1…4: browsers keep Alt+digit and Ctrl+digit for their own tabs.
      if (!ev.altKey || !ev.shiftKey || ev.ctrlKey || ev.metaKey) return;
      const i = ["Digit1", "Digit2", "Digit3", "Digit4"].indexOf(ev.code);
      if (i < 0) return;
      ev.preventDefault();
      this.focus(panes[i]!);
    });
    this.show("edit", false);
  }

  /** Called with the pane shown on phones whenever it changes. */
  onPane(fn: (p: Pane) => void): void {
    this.listeners.add(fn);
  }

  /** Shows a pane (on phones the others hide; on wide screens all stay) and optionally focuses it. */
  show(p: Pane, focus = true): void {
    this.pane = p;
    this.root.dataset.pane = p;
    for (const t of this.root.querySelectorAll<HTMLElement>("[data-pane-tab]")) {
      const on = t.dataset.paneTab === p;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
    }
    for (const fn of this.listeners) fn(p);
    if (focus) this.focusInside(p);
  }

  /** The pane phones show now. */
  get current(): Pane {
    return this.pane;
  }

  /** Moves focus into a pane (showing it first on phones): its natural first stop, never <body>. */
  focus(p: Pane): void {
    if (phone.matches) this.show(p, false);
    this.focusInside(p);
  }

  private focusInside(p: Pane): void {
    const sel: Record<Pane, string[]> = {
      edit: ['.fy-pane-edit [role="tab"][aria-selected="true"]'],
      files: ['.fy-tree button[tabindex="0"]', ".fy-tree button", "#fy-files"],
      preview: ["#fy-preview .cm-content", "#fy-preview .fy-preview-body"],
      details: ['.fy-pg-bottom [role="tab"][aria-selected="true"]'],
    };
    for (const s of sel[p]) {
      const el = this.root.querySelector<HTMLElement>(s);
      if (el && el.getClientRects().length > 0) {
        el.focus();
        return;
      }
    }
  }

  private tabKeys(ev: KeyboardEvent): void {
    const tabs = [...this.root.querySelectorAll<HTMLElement>("[data-pane-tab]")];
    const i = tabs.indexOf(document.activeElement as HTMLElement);
    if (i < 0) return;
    let j = i;
    if (ev.key === "ArrowRight") j = (i + 1) % tabs.length;
    else if (ev.key === "ArrowLeft") j = (i - 1 + tabs.length) % tabs.length;
    else if (ev.key === "Home") j = 0;
    else if (ev.key === "End") j = tabs.length - 1;
    else return;
    ev.preventDefault();
    this.show(tabs[j]!.dataset.paneTab as Pane, false);
    tabs[j]!.focus();
  }

  private apply(): void {
    const s = this.root.style;
    s.setProperty("--fy-w-edit", `${this.sizes.edit}%`);
    s.setProperty("--fy-w-files", `${this.sizes.files}%`);
    s.setProperty("--fy-h-details", `${this.sizes.details}%`);
    for (const sep of this.root.querySelectorAll<HTMLElement>("[data-resize]")) {
      const k = sep.dataset.resize as keyof Sizes;
      sep.setAttribute("aria-valuenow", String(Math.round(this.sizes[k])));
      sep.setAttribute("aria-valuemin", String(limits[k][0]));
      sep.setAttribute("aria-valuemax", String(limits[k][1]));
      sep.setAttribute("aria-valuetext", `${Math.round(this.sizes[k])}%`);
    }
  }

  private set(k: keyof Sizes, v: number): void {
    const [min, max] = limits[k];
    let val = Math.min(max, Math.max(min, v));
    // The preview keeps at least a fifth of the width.
    if (k === "edit") val = Math.min(val, 80 - this.sizes.files);
    if (k === "files") val = Math.min(val, 80 - this.sizes.edit);
    this.sizes[k] = val;
    this.apply();
  }

  private save(): void {
    try {
      localStorage.setItem(STORE, JSON.stringify(this.sizes));
    } catch {
      // Layout is a convenience: without storage it resets on reload.
    }
  }

  /**
   * A separator resizes the pane before it (data-resize names the size):
   * drag it, or focus it and use the arrow keys (Shift for bigger steps),
   * Home/End for the limits and Enter to restore the default.
   */
  private separator(sep: HTMLElement): void {
    const k = sep.dataset.resize as keyof Sizes;
    const vertical = sep.getAttribute("aria-orientation") === "vertical";
    const work = this.root.querySelector<HTMLElement>(vertical ? ".fy-pg-work" : ".fy-pg-main");
    sep.addEventListener("pointerdown", (ev) => {
      if (ev.button !== 0 || !work) return;
      ev.preventDefault();
      sep.setPointerCapture(ev.pointerId);
      sep.classList.add("fy-dragging");
      const r = work.getBoundingClientRect();
      const start = this.sizes[k];
      const x0 = ev.clientX;
      const y0 = ev.clientY;
      const move = (e: PointerEvent): void => {
        // The details panel grows upwards: dragging up makes it taller.
        const d = vertical ? ((e.clientX - x0) / r.width) * 100 : ((y0 - e.clientY) / r.height) * 100;
        this.set(k, start + d);
      };
      const up = (): void => {
        sep.classList.remove("fy-dragging");
        sep.removeEventListener("pointermove", move);
        sep.removeEventListener("pointerup", up);
        sep.removeEventListener("pointercancel", up);
        this.save();
      };
      sep.addEventListener("pointermove", move);
      sep.addEventListener("pointerup", up);
      sep.addEventListener("pointercancel", up);
    });
    sep.addEventListener("dblclick", () => {
      this.set(k, defaults[k]);
      this.save();
    });
    sep.addEventListener("keydown", (ev) => {
      const step = ev.shiftKey ? 10 : 2;
      const grow = vertical ? ["ArrowRight"] : ["ArrowUp"];
      const shrink = vertical ? ["ArrowLeft"] : ["ArrowDown"];
      if (grow.includes(ev.key)) this.set(k, this.sizes[k] + step);
      else if (shrink.includes(ev.key)) this.set(k, this.sizes[k] - step);
      else if (ev.key === "Home") this.set(k, limits[k][0]);
      else if (ev.key === "End") this.set(k, limits[k][1]);
      else if (ev.key === "Enter") this.set(k, defaults[k]);
      else return;
      ev.preventDefault();
      this.save();
    });
  }
}

function load(): Partial<Sizes> {
  try {
    const v = JSON.parse(localStorage.getItem(STORE) ?? "{}") as unknown;
    if (!v || typeof v !== "object") return {};
    const out: Partial<Sizes> = {};
    for (const k of Object.keys(defaults) as (keyof Sizes)[]) {
      const n = (v as Record<string, unknown>)[k];
      if (typeof n === "number" && Number.isFinite(n)) out[k] = Math.min(limits[k][1], Math.max(limits[k][0], n));
    }
    return out;
  } catch {
    return {};
  }
}
