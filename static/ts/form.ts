// The form editor over the spec model. Every control is labelled, carries
// data-path (the same field path gen diagnostics use, e.g.
// machines[0].hetzner.enabled) and writes straight into the model.
//
// The form is built once and then kept in step with the model in place:
// every control registers an updater that copies the model's value into it,
// and a block whose structure depends on the spec (a machine's class, the
// list of machines a user can be on, the keys of a key field) is rebuilt
// alone when that structure changes. So an edit in the fleet.json editor
// costs a pass over the updaters, not a new form of thousands of controls,
// and the control that has focus is never replaced under the user.
//
// The choices of a field (its enum) and its default come from the JSON
// Schema (schema.ts) once the worker has handed it over; the form only adds
// labels for values it knows how to say better. Until then, or if it never
// comes, a choice is a plain text field and an unset checkbox is
// indeterminate: the form never claims a value or default it has not read.
import type { WorkerClient } from "./client";
import { h, nextId, type Child } from "./dom";
import { keyField } from "./keys";
import { arr, getAt, isObj, pathString, setAt, str, strs, type Json, type Obj, type Path, type SpecModel } from "./model";
import type { Diagnostic } from "./protocol";
import { dropRefs, refsTo, type RefKind } from "./refs";
import type { FleetSchema, Known } from "./schema";

type Opt = [value: string, label: string];
type Update = () => void;

/** How a choice reads: labels for values worth more than their name (unknown values show as themselves). */
interface ChoiceOpts {
  /** Labels of some values, or a function asked on every update (labels that depend on the spec). */
  labels?: Record<string, string> | (() => Record<string, string>);
  /** The values of the object the field is in, for the schema's rules (a machine's class narrows its systems). */
  known?: Known;
  /** The value shown when the field is unset and the schema names no default. */
  fallback?: string | undefined;
  onChange?: (v: string) => void;
}

interface TextOpts {
  placeholder?: string | undefined;
  optional?: boolean;
  wide?: boolean;
  multiline?: boolean;
  /** A machine's or user's name: renaming it renames the references to it. */
  rename?: RefKind;
}

export class SpecForm {
  private open = new Map<string, boolean>();
  private schema: FleetSchema | null = null;
  /** Where build() puts the updaters of the controls it makes. */
  private ups: Update[] | null = null;
  /** Brings the whole form up to date with the model. */
  private update: Update | null = null;
  private built: "plain" | "schema" | "" = "";
  private body: HTMLElement | null = null;
  private paused: HTMLElement | null = null;
  private visible = true;
  private stale = false;
  private diags: Diagnostic[] = [];
  /** The diagnostics last passed to markDiagnostics, as JSON. */
  private diagsKey = "[]";
  /** A name being edited: the references it had when the edit began, renamed with it. */
  private renaming: { key: string; refs: Path[] } | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly model: SpecModel,
    private readonly client: WorkerClient,
    /** Told about each removal, with a function that takes it back. */
    private readonly onRemoved?: (message: string, undo: () => void) => void,
  ) {
    model.onChange((c) => {
      if (c.source === "form") return;
      this.renaming = null;
      this.render();
    });
  }

  /** Takes choices and defaults from the schema from now on. */
  setSchema(schema: FleetSchema): void {
    this.schema = schema;
    // Before the first spec loads there is nothing to redraw.
    if (this.model.text !== "") this.render();
  }

  /**
   * Shows the form's own control for path, the one its message sits under:
   * opens the sections around it, scrolls to it and focuses it. False when
   * the form is hidden or has no control of exactly that path (a message
   * on a whole row or section, a field the form does not show).
   */
  reveal(path: string): boolean {
    if (!this.visible) return false;
    const { el, exact } = this.target(path);
    if (!el || !exact || el.classList.contains("fy-section") || el.classList.contains("fy-row")) return false;
    for (let d = el.closest("details"); d; d = d.parentElement?.closest("details") ?? null) d.open = true;
    el.scrollIntoView({ block: "center" });
    el.focus();
    return true;
  }

  /** Whether the form is on screen: a hidden form catches up when it is shown. */
  setVisible(on: boolean): void {
    this.visible = on;
    if (on && this.stale) this.render();
  }

  /** Brings the form up to date with the model: in place, or built anew when the schema arrived. */
  render(): void {
    if (!this.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    const active = document.activeElement;
    const focus = active instanceof HTMLElement && this.root.contains(active) ? active : null;
    const want = this.schema ? "schema" : "plain";
    const v = this.model.value;
    if (v && (this.built !== want || !this.update)) this.build(want);
    if (this.paused) this.paused.hidden = v !== null;
    if (this.body) this.body.hidden = v === null;
    if (v && this.update) this.update();
    if (!this.body && !v) this.showPaused();
    this.applyDiagnostics();
    // A control rebuilt under the focus: focus its successor, never <body>.
    if (focus && !focus.isConnected) this.refocus(focus);
  }

  private build(kind: "plain" | "schema"): void {
    const [body, ups] = this.collect(() =>
      h(
        "div",
        { class: "fy-form-body" },
        this.section("fleet", "Fleet", null, this.fleet()),
        this.section("machines", "Machines", ["machines"], this.machines()),
        this.section("users", "Users", ["users"], this.users()),
        this.section("admins", "Admins (recovery keys)", ["admins"], this.admins()),
        this.section("overlays", "Overlays", null, this.overlays()),
        this.section("vars", "Vars generators", ["vars"], this.vars()),
        this.section("checks", "Checks", null, this.checks()),
      ),
    );
    this.paused = h("p", { class: "fy-notice fy-notice-warn", role: "status", hidden: true }, "The fleet.json text does not parse, so the form is paused. Fix it in the fleet.json tab (the error is marked there); nothing you typed is lost.");
    this.root.replaceChildren(this.paused, body);
    this.body = body;
    this.built = kind;
    this.update = () => {
      for (const u of ups) u();
    };
  }

  private showPaused(): void {
    this.paused = h("p", { class: "fy-notice fy-notice-warn", role: "status" }, "The fleet.json text does not parse, so the form is paused. Fix it in the fleet.json tab (the error is marked there); nothing you typed is lost.");
    this.root.replaceChildren(this.paused);
  }

  private refocus(lost: HTMLElement): void {
    const path = lost.dataset.path ?? lost.closest<HTMLElement>("[data-path]")?.dataset.path;
    const machine = lost.dataset.machine;
    let next: HTMLElement | null = null;
    if (path) next = this.root.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`);
    if (machine && path) next = this.root.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"] [data-machine="${CSS.escape(machine)}"], [data-machine="${CSS.escape(machine)}"][data-path="${CSS.escape(path)}"]`) ?? next;
    (next ?? this.root.closest<HTMLElement>("[tabindex]") ?? this.root).focus();
  }

  // ---- diagnostics at their fields ----

  /** Shows each diagnostic at the control of its path (or the nearest enclosing one). */
  markDiagnostics(diags: Diagnostic[]): void {
    // The same diagnostics as marked (every keystroke of a valid spec: none
    // before, none now) leave the form as it is: applying them walks every
    // control of the form. A rebuild goes through render(), which applies them.
    const key = JSON.stringify(diags);
    if (key === this.diagsKey && this.visible && !this.stale) return;
    this.diagsKey = key;
    this.diags = diags;
    if (this.visible) this.applyDiagnostics();
    else this.stale = true;
  }

  private applyDiagnostics(): void {
    for (const el of this.root.querySelectorAll<HTMLElement>("[data-diag]")) el.remove();
    for (const el of this.root.querySelectorAll<HTMLElement>("[data-diag-for]")) {
      const ids = (el.getAttribute("aria-describedby") ?? "").split(/\s+/).filter((x) => x && !x.startsWith("fy-diag-"));
      if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
      else el.removeAttribute("aria-describedby");
      if (!el.classList.contains("fy-keys-input") && !el.hasAttribute("data-unknown")) el.removeAttribute("aria-invalid");
      el.removeAttribute("data-diag-for");
    }
    for (const el of this.root.querySelectorAll<HTMLElement>(".fy-section-problems")) el.hidden = true;
    if (!this.body || this.model.value === null) return;
    const perSection = new Map<HTMLElement, { errors: number; warnings: number }>();
    let n = 0;
    for (const d of this.diags) {
      if (!d.path) continue;
      const { el, exact } = this.target(d.path);
      if (!el) continue;
      const keys = el.classList.contains("fy-keys-input");
      // A key field lists its own per-line problems; do not say them twice.
      if (keys && el.closest(".fy-keys")?.querySelector(".fy-key-err, .fy-refusal")) continue;
      const id = `fy-diag-${++n}`;
      const msg = h(
        "p",
        { id, class: `fy-field-diag fy-${d.severity}`, "data-diag": "" },
        h("span", { class: "fy-sr" }, d.severity === "error" ? "Error: " : "Warning: "),
        exact ? null : h("code", {}, d.path + ": "),
        // Message and hint are separate sentences ("…; it is not shown or kept. How to fix: remove it…").
        sentence(d.message),
        d.hint ? h("span", { class: "fy-hint" }, ` How to fix: ${d.hint}`) : null,
      );
      this.place(el, msg);
      el.setAttribute("data-diag-for", "");
      el.setAttribute("aria-describedby", [el.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
      if (d.severity === "error" && !keys) el.setAttribute("aria-invalid", "true");
      const sec = el.closest<HTMLElement>(".fy-section");
      if (sec) {
        const c = perSection.get(sec) ?? { errors: 0, warnings: 0 };
        if (d.severity === "error") c.errors++;
        else c.warnings++;
        perSection.set(sec, c);
      }
    }
    // A closed section still says it holds problems.
    for (const [sec, c] of perSection) {
      const badge = sec.querySelector<HTMLElement>(":scope > summary .fy-section-problems");
      if (!badge) continue;
      const parts = [c.errors ? `${c.errors} error${c.errors === 1 ? "" : "s"}` : "", c.warnings ? `${c.warnings} warning${c.warnings === 1 ? "" : "s"}` : ""].filter(Boolean);
      badge.textContent = parts.join(", ");
      badge.classList.toggle("fy-error", c.errors > 0);
      badge.hidden = false;
    }
  }

  /** The control of path, else of the nearest enclosing path the form shows (a row, a section). */
  private target(path: string): { el: HTMLElement | null; exact: boolean } {
    let p = path;
    let exact = true;
    for (;;) {
      const el = this.root.querySelector<HTMLElement>(`[data-path="${CSS.escape(p)}"]`);
      if (el) return { el, exact };
      const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
      if (cut <= 0) return { el: null, exact: false };
      p = p.slice(0, cut);
      exact = false;
    }
  }

  /** Puts a field's message next to it: under the field, at the top of a row or a section. */
  private place(el: HTMLElement, msg: HTMLElement): void {
    if (el.classList.contains("fy-section")) {
      el.querySelector(":scope > summary")?.after(msg);
      return;
    }
    if (el.classList.contains("fy-row")) {
      el.querySelector(":scope > .fy-row-head")?.after(msg);
      return;
    }
    const box = el.closest(".fy-field, .fy-keys");
    if (box) box.append(msg);
    else el.after(msg);
  }

  // ---- building blocks ----

  /** Runs build, collecting the updaters of what it makes. */
  private collect<T>(build: () => T): [T, Update[]] {
    const saved = this.ups;
    const ups: Update[] = [];
    this.ups = ups;
    try {
      return [build(), ups];
    } finally {
      this.ups = saved;
    }
  }

  /** Registers an updater with the block being built. */
  private bind(u: Update): void {
    this.ups?.push(u);
  }

  /**
   * A block whose structure depends on shape(): kept and updated in place
   * while the shape stays, rebuilt (and swapped in) when it changes.
   */
  private part(shape: () => string, build: () => HTMLElement): HTMLElement {
    let s = shape();
    let [el, ups] = this.collect(build);
    this.bind(() => {
      const now = shape();
      if (now === s) {
        for (const u of ups) u();
        return;
      }
      const [next, nextUps] = this.collect(build);
      el.replaceWith(next);
      el = next;
      ups = nextUps;
      s = now;
    });
    return el;
  }

  private section(key: string, title: string, countPath: Path | null, ...body: Child[]): HTMLElement {
    const d = h("details", { class: "fy-section", "data-path": countPath ? pathString(countPath) : null, open: this.open.get(key) ?? ["fleet", "machines", "users"].includes(key) });
    d.addEventListener("toggle", () => this.open.set(key, d.open));
    const count = countPath ? h("span", { class: "fy-count" }) : null;
    if (count && countPath) {
      const sync = (): void => {
        count.textContent = String(arr(getAt(this.model.value, countPath)).length);
      };
      sync();
      this.bind(sync);
    }
    // Spaces between the parts, so the summary reads "Machines 3 1 warning" aloud, not "Machines31 warning".
    d.append(h("summary", {}, title, " ", count, " ", h("span", { class: "fy-section-problems", hidden: true })), ...body.filter((c): c is Node | string => !!c));
    return d;
  }

  // ---- controls ----

  private set(path: Path, value: Json | undefined, rerender = false): void {
    this.model.edit((v) => setAt(v, path, value));
    if (rerender) this.render();
  }

  /** A text field; an unset optional field shows its schema default as placeholder unless o.placeholder gives an example. */
  private text(label: string, path: Path, o: TextOpts = {}): HTMLElement {
    const id = nextId("f");
    const attrs = { id, "data-path": pathString(path), placeholder: o.placeholder ?? this.schema?.defaultString(path), spellcheck: "false", autocomplete: "off" };
    const input = o.multiline ? h("textarea", { ...attrs, rows: 3 }) : h("input", { ...attrs, type: "text" });
    const sync = (): void => {
      const cur = getAt(this.model.value, path);
      const want = typeof cur === "string" ? cur : "";
      if (input.value !== want) input.value = want;
    };
    sync();
    this.bind(sync);
    input.addEventListener("input", () => {
      const v = input.value === "" && o.optional !== false ? undefined : input.value;
      if (o.rename) this.rename(o.rename, path, input.value);
      else this.set(path, v);
    });
    if (o.rename) input.addEventListener("blur", () => (this.renaming = null));
    return h("div", { class: `fy-field${o.wide ? " fy-wide" : ""}` }, h("label", { for: id }, label), input);
  }

  /**
   * Renames a machine or user and every reference to it. The references are
   * those the old name had when the edit began, so a name typed on the way
   * that equals another machine's does not capture that machine's references.
   */
  private rename(kind: RefKind, path: Path, name: string): void {
    const key = pathString(path);
    if (this.renaming?.key !== key) {
      const old = getAt(this.model.value, path);
      this.renaming = { key, refs: typeof old === "string" ? refsTo(this.model.value, kind, old) : [] };
    }
    const refs = this.renaming.refs;
    this.model.edit((v) => {
      setAt(v, path, name);
      for (const r of refs) setAt(v, r, name);
    });
    // Row titles, key labels and the machine lists show the name: update them in place.
    this.render();
  }

  private number(label: string, path: Path): HTMLElement {
    const id = nextId("f");
    const input = h("input", { id, type: "number", inputmode: "numeric", min: 0, "data-path": pathString(path) });
    const sync = (): void => {
      const cur = getAt(this.model.value, path);
      const want = typeof cur === "number" ? String(cur) : "";
      if (input.value !== want && !(document.activeElement === input && Number.parseInt(input.value, 10) === cur)) input.value = want;
    };
    sync();
    this.bind(sync);
    input.addEventListener("input", () => {
      const n = Number.parseInt(input.value, 10);
      this.set(path, input.value === "" || Number.isNaN(n) ? undefined : n);
    });
    return h("div", { class: "fy-field fy-narrow" }, h("label", { for: id }, label), input);
  }

  private check(label: string, path: Path, title?: string): HTMLElement {
    const id = nextId("f");
    const input = h("input", { id, type: "checkbox", "data-path": pathString(path) });
    const sync = (): void => {
      const cur = getAt(this.model.value, path);
      const dflt = this.schema?.defaultBool(path);
      input.checked = typeof cur === "boolean" ? cur : (dflt ?? false);
      // Unset, with no default read yet: neither on nor off.
      input.indeterminate = typeof cur !== "boolean" && dflt === undefined;
    };
    sync();
    this.bind(sync);
    input.addEventListener("change", () => this.set(path, input.checked));
    return h("div", { class: "fy-field fy-check", title }, input, h("label", { for: id }, label));
  }

  /**
   * A field with the values the schema allows: a select, or, without the
   * schema, a text field. An unset field shows the schema default (or
   * o.fallback); with neither, the select offers "(not set)".
   */
  private choice(label: string, path: Path, o: ChoiceOpts = {}): HTMLElement {
    const values = this.schema?.choices(path, o.known);
    const dflt = this.schema?.defaultString(path) ?? o.fallback;
    const write = o.onChange ?? ((v: string) => this.set(path, v === "" ? undefined : v));
    if (!values) {
      const id = nextId("f");
      const input = h("input", { id, type: "text", "data-path": pathString(path), placeholder: dflt, spellcheck: "false", autocomplete: "off" });
      const sync = (): void => {
        const cur = getAt(this.model.value, path);
        const want = typeof cur === "string" ? cur : "";
        if (input.value.trim() !== want) input.value = want;
      };
      sync();
      this.bind(sync);
      // A choice with its own handler (the class redraws the machine) runs
      // once the value is complete, not on every key.
      if (o.onChange) input.addEventListener("change", () => write(input.value.trim()));
      else input.addEventListener("input", () => write(input.value.trim()));
      return h("div", { class: "fy-field" }, h("label", { for: id }, label), input);
    }
    const labels = o.labels;
    const optsNow = (): Opt[] => {
      const l = typeof labels === "function" ? labels() : labels;
      return values.map((v): Opt => [v, l?.[v] ?? v]);
    };
    // Offered only while unset: choosing it for a set field would just make an error.
    return this.select(label, path, () => (dflt === undefined && typeof getAt(this.model.value, path) !== "string" ? [["", "(not set)"], ...optsNow()] : optsNow()), dflt ?? "", write);
  }

  /** A select whose options may depend on the spec (opts is asked again on every update). */
  private select(label: string, path: Path, opts: () => Opt[], dflt: string, onChange?: (v: string) => void, unknown: (v: string) => string = (v) => `${v} (not supported)`): HTMLElement {
    const id = nextId("f");
    const sel = h("select", { id, "data-path": pathString(path) });
    let shown = "";
    const sync = (): void => {
      const list = opts();
      const cur = getAt(this.model.value, path);
      const val = typeof cur === "string" ? cur : dflt;
      const all = list.some(([v]) => v === val) ? list : [...list, [val, unknown(val)] as Opt];
      const key = JSON.stringify(all);
      if (key !== shown) {
        sel.replaceChildren(...all.map(([v, l]) => h("option", { value: v }, l)));
        shown = key;
      }
      if (sel.value !== val) sel.value = val;
    };
    sync();
    this.bind(sync);
    sel.addEventListener("change", () => {
      if (onChange) onChange(sel.value);
      else this.set(path, sel.value);
    });
    return h("div", { class: "fy-field" }, h("label", { for: id }, label), sel);
  }

  /**
   * A list of strings: one checkbox per value when the schema lists the
   * values its items may take, else a comma-separated text field.
   */
  private list(label: string, path: Path, example?: string): HTMLElement {
    const values = this.schema?.choices([...path, 0]);
    if (values) return this.enumChecks(label, path, values);
    const id = nextId("f");
    const dflt = this.schema?.default(path);
    const placeholder = example ?? (Array.isArray(dflt) ? dflt.join(", ") : "");
    const input = h("input", { id, type: "text", "data-path": pathString(path), placeholder, spellcheck: "false", autocomplete: "off" });
    const items = (): string[] =>
      input.value
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);
    const sync = (): void => {
      const cur = strs(getAt(this.model.value, path));
      // While typing "a, b," the text and the list differ in form only: leave it.
      if (JSON.stringify(items()) === JSON.stringify(cur)) return;
      input.value = cur.join(", ");
    };
    sync();
    this.bind(sync);
    input.addEventListener("input", () => {
      const v = items();
      this.set(path, v.length ? v : undefined);
    });
    return h("div", { class: "fy-field fy-wide" }, h("label", { for: id }, label, h("span", { class: "fy-muted" }, " (comma-separated)")), input);
  }

  /**
   * One checkbox per value the schema allows in the list at path, in schema
   * order. An unset list shows its schema default ticked; a listed value the
   * schema does not know gets a box of its own, ticked and marked invalid,
   * so it can be seen and unticked.
   */
  private enumChecks(label: string, path: Path, values: string[]): HTMLElement {
    const box = h("fieldset", { class: "fy-field fy-wide fy-checks", "data-path": pathString(path) }, h("legend", {}, label));
    const listed = (): string[] | null => {
      const cur = getAt(this.model.value, path);
      return Array.isArray(cur) ? strs(cur) : null;
    };
    const dflt = (): string[] => strs(this.schema?.default(path));
    let shown = "";
    let inputs: HTMLInputElement[] = [];
    const sync = (): void => {
      const cur = listed();
      const ticked = cur ?? dflt();
      const all = [...values, ...(cur ?? []).filter((v) => !values.includes(v))];
      const key = JSON.stringify(all);
      if (key !== shown) {
        shown = key;
        inputs = [];
        box.replaceChildren(
          box.firstChild!,
          ...all.map((v) => {
            const id = nextId("f");
            const known = values.includes(v);
            const input = h("input", { id, type: "checkbox", "data-value": v, "aria-invalid": known ? null : "true" });
            input.addEventListener("change", write);
            inputs.push(input);
            return h("span", { class: known ? "fy-check" : "fy-check fy-unknown" }, input, h("label", { for: id }, known ? v : `${v} (not supported)`));
          }),
        );
      }
      for (const input of inputs) {
        const v = input.dataset.value ?? "";
        input.checked = ticked.includes(v);
        // A listed value carries the path of its entry, where gen's diagnostics point.
        const j = (cur ?? []).indexOf(v);
        if (j >= 0) input.dataset.path = pathString([...path, j]);
        else delete input.dataset.path;
      }
    };
    // Schema order, so the spec does not depend on click order.
    const write = (): void => this.set(path, inputs.filter((i) => i.checked).map((i) => i.dataset.value ?? ""));
    sync();
    this.bind(sync);
    return box;
  }

  /**
   * The rows of an array, one per index. A row is updated in place while
   * shape(item) stays the same and rebuilt when it changes; rows are added
   * and removed at the end as the array grows and shrinks.
   */
  private rows(title: string, path: Path, row: (item: Obj, p: Path, i: number) => Child[], fresh: () => Obj, what: string, nameOf: (o: Obj, i: number) => string, shape: (o: Obj) => string = () => "", kind?: RefKind): HTMLElement {
    const list = h("ol", { class: "fy-rows", "aria-label": title });
    const add = h("button", { type: "button", class: "fy-btn fy-add", onclick: () => this.add(path, fresh()) }, `Add ${what}`);
    const items: { li: HTMLElement; up: Update }[] = [];
    const sync = (): void => {
      const n = arr(getAt(this.model.value, path)).length;
      while (items.length > n) items.pop()?.li.remove();
      for (const it of items) it.up();
      for (let i = items.length; i < n; i++) {
        const p = [...path, i];
        const item = (): Json | undefined => getAt(this.model.value, p);
        const [li, ups] = this.collect(() =>
          this.part(
            () => {
              const it = item();
              return isObj(it) ? "o" + shape(it) : "x";
            },
            () => {
              const it = item();
              if (!isObj(it)) return h("li", { class: "fy-row", "data-path": pathString(p) }, h("p", { class: "fy-muted" }, `This ${what} is not an object; edit it in the fleet.json tab.`));
              const titleEl = h("span", { class: "fy-row-title" });
              const remove = h("button", { type: "button", class: "fy-btn fy-btn-ghost fy-remove", onclick: () => this.remove(path, i, add, kind, `${what} ${titleEl.textContent ?? ""}`.trim()) }, "Remove");
              const name = (): void => {
                const cur = item();
                const nm = isObj(cur) ? nameOf(cur, i) : "";
                if (titleEl.textContent !== nm) titleEl.textContent = nm;
                remove.setAttribute("aria-label", `Remove ${what} ${nm}`);
              };
              name();
              this.bind(name);
              return h("li", { class: "fy-row", "data-path": pathString(p) }, h("div", { class: "fy-row-head" }, titleEl, remove), h("div", { class: "fy-row-body" }, ...row(it, p, i)));
            },
          ),
        );
        items.push({
          li,
          up: () => {
            for (const u of ups) u();
          },
        });
        list.append(li);
      }
    };
    sync();
    this.bind(sync);
    return h("div", { class: "fy-rows-wrap" }, list, add);
  }

  private add(path: Path, item: Obj): void {
    let n = 0;
    this.model.edit((v) => {
      const cur = getAt(v, path);
      if (Array.isArray(cur)) cur.push(item);
      else setAt(v, path, [item]);
      n = arr(getAt(v, path)).length;
    });
    this.render();
    this.root.querySelector<HTMLElement>(`[data-path="${CSS.escape(pathString([...path, n - 1]))}"]`)?.querySelector<HTMLElement>("input, select, textarea")?.focus();
  }

  private remove(path: Path, i: number, add: HTMLElement, kind: RefKind | undefined, label: string): void {
    const before = this.model.text;
    this.model.edit((v) => {
      const cur = getAt(v, path);
      if (!Array.isArray(cur)) return;
      const gone = cur[i];
      cur.splice(i, 1);
      if (cur.length === 0 && path.length > 0 && path[0] !== "machines") setAt(v, path, undefined);
      // The machine or user leaves the lists that named it.
      if (kind && isObj(gone) && typeof gone.name === "string") dropRefs(v, kind, gone.name);
    });
    this.render();
    // Focus stays in the list: the row that took this one's place, the one before it, else the Add button.
    const row = (j: number): HTMLElement | null => this.root.querySelector<HTMLElement>(`[data-path="${CSS.escape(pathString([...path, j]))}"] .fy-remove`);
    (row(i) ?? row(i - 1) ?? add).focus();
    // A removal takes the references to it along (users' machine lists),
    // and the editor's undo history does not hold form edits: offer it back.
    this.onRemoved?.(`Removed ${label}.`, () => {
      this.model.setText(before, "form");
      this.render();
    });
  }

  // ---- sections ----

  private fleet(): HTMLElement {
    return h(
      "div",
      { class: "fy-grid" },
      this.text("Name (clan meta.name)", ["name"], { placeholder: "my-fleet", optional: false }),
      this.text("Domain", ["domain"]),
      this.text("Description", ["description"], { wide: true }),
      this.text("nixpkgs unstable branch", ["channels", "unstable"]),
      this.text("NixOS stable branch", ["channels", "nixos"]),
      this.text("Darwin stable branch", ["channels", "darwin"]),
    );
  }

  private machineNames(): string[] {
    return names(this.model.value?.machines);
  }

  private machines(): HTMLElement {
    return this.rows(
      "Machines",
      ["machines"],
      (m, p) => {
        const cls = m.class === "darwin" ? "darwin" : "nixos";
        const het = isObj(m.hetzner) ? m.hetzner : null;
        const out: Child[] = [
          h(
            "div",
            { class: "fy-grid" },
            this.text("Name", [...p, "name"], { optional: false, placeholder: "hostname", rename: "machine" }),
            this.choice("Class", [...p, "class"], { labels: { nixos: "NixOS", darwin: "nix-darwin (macOS)" }, onChange: (c) => this.setClass(p, c) }),
            // The schema's class rules give a machine the systems of its class. gen
            // defaults an unset system to the first of them (gen/defaults.go).
            this.choice("System", [...p, "system"], {
              labels: { "aarch64-darwin": "aarch64-darwin (Apple silicon)", "x86_64-darwin": "x86_64-darwin (Intel)" },
              known: { class: cls },
              fallback: this.systemsOf(cls)[0],
            }),
            // A Mac cannot be the controller (the same rules). Without a
            // controller there is no network: a "peer" joins nothing, and
            // the generator leaves zerotier out (the README says "off").
            // Redrawn on change, so the other machines' labels follow.
            this.choice("ZeroTier", [...p, "zerotier"], {
              known: { class: cls },
              labels: () => (this.hasController() ? {} : { peer: "peer (off: no controller)" }),
              onChange: (v) => this.set([...p, "zerotier"], v === "" ? undefined : v, true),
            }),
            this.text("Description", [...p, "description"], { wide: true }),
            this.list("Tags", [...p, "tags"], "cloud, controller"),
            this.text("Deploy target", [...p, "targetHost"], { placeholder: "root@host.clan" }),
          ),
        ];
        if (cls === "nixos") {
          out.push(
            h(
              "fieldset",
              { class: "fy-sub" },
              h("legend", {}, "Hetzner Cloud"),
              h(
                "div",
                { class: "fy-grid" },
                this.cloudToggle(p),
                het ? this.check("Server enabled", [...p, "hetzner", "enabled"], "Unticked keeps the config but destroys the server on the next terraform apply") : null,
                het ? this.text("Server type", [...p, "hetzner", "serverType"]) : null,
                het ? this.choice("Location", [...p, "hetzner", "location"]) : null,
              ),
            ),
            h("div", { class: "fy-grid" }, this.choice("Disk layout", [...p, "disk", "layout"], { labels: { zfs: "ZFS" } }), this.text("Disk device", [...p, "disk", "device"])),
          );
        } else {
          out.push(
            h(
              "div",
              { class: "fy-grid" },
              this.select(
                "Primary user",
                [...p, "darwin", "primaryUser"],
                () => [["", "(none)"], ...names(this.model.value?.users).map((u): Opt => [u, u])],
                "",
                (val) => this.set([...p, "darwin", "primaryUser"], val || undefined),
                (v) => `${v} (not a user of this fleet)`,
              ),
              this.choice("ZeroTier on macOS via", [...p, "darwin", "networking"], { labels: { homebrew: "Homebrew cask", launchd: "launchd service", none: "not managed" } }),
            ),
          );
        }
        out.push(
          this.keys(
            p,
            "hostKey",
            () => `Host key of ${str(getAt(this.model.value, [...p, "name"])) || "this machine"} (public)`,
            () => {
              const k = getAt(this.model.value, [...p, "hostKey"]);
              return typeof k === "string" && k ? [k] : [];
            },
            true,
            (lines) => this.set([...p, "hostKey"], lines[0]),
          ),
        );
        return out;
      },
      // class is required and has no default: a new machine takes the schema's first.
      () => ({ name: freshName("machine-", this.machineNames()), class: this.schema?.choices(["machines", 0, "class"])?.[0] ?? "nixos" }),
      "machine",
      (m, i) => str(m.name) || `machine ${i + 1}`,
      // A class change swaps the fields; a cloud server adds its own.
      (m) => `${m.class === "darwin" ? "darwin" : "nixos"}|${isObj(m.hetzner) ? 1 : 0}`,
      "machine",
    );
  }

  /** A key paste field, rebuilt only when the spec's keys change under it (e.g. in the fleet.json tab). */
  private keys(p: Path, field: string, label: () => string, keys: () => string[], single: boolean, onAccept: (lines: string[]) => void): HTMLElement {
    return this.part(
      () => JSON.stringify(keys()),
      () => {
        const el = keyField({ client: this.client, label: label(), keys: keys(), single, path: pathString([...p, field]), onAccept });
        const lab = el.querySelector("label");
        this.bind(() => {
          const want = label();
          if (lab && lab.textContent !== want) lab.textContent = want;
        });
        return el;
      },
    );
  }

  private cloudToggle(p: Path): HTMLElement {
    const id = nextId("f");
    const input = h("input", { id, type: "checkbox", "data-path": pathString([...p, "hetzner"]) });
    const sync = (): void => {
      input.checked = isObj(getAt(this.model.value, [...p, "hetzner"]));
    };
    sync();
    this.bind(sync);
    input.addEventListener("change", () => {
      // A new server spells out the defaults it gets, so the fleet.json tab shows them;
      // without the schema it is empty, which gen reads the same way.
      const fresh: Obj = {};
      for (const k of ["enabled", "serverType", "location"]) {
        const d = this.schema?.default([...p, "hetzner", k]);
        if (d !== undefined) fresh[k] = d;
      }
      this.set([...p, "hetzner"], input.checked ? fresh : undefined, true);
    });
    return h("div", { class: "fy-field fy-check" }, input, h("label", { for: id }, "Managed by terranix"));
  }

  private setClass(p: Path, c: string): void {
    this.model.edit((v) => {
      const m = getAt(v, p);
      if (!isObj(m)) return;
      if (c === "") delete m.class;
      else m.class = c;
      if (c === "darwin") {
        delete m.disk;
        delete m.hetzner;
      } else {
        delete m.darwin;
      }
      // A system of the old class would be an error: take the new class's
      // first (its default), or leave it to gen's default.
      if (m.system !== undefined) {
        const first = this.systemsOf(c)[0];
        if (first !== undefined) m.system = first;
        else delete m.system;
      }
    });
    this.render();
  }

  /** The schema's systems for a machine class, in schema order (empty without the schema). */
  /** Whether some machine is the zerotier controller. */
  private hasController(): boolean {
    const ms = this.model.value?.machines;
    return Array.isArray(ms) && ms.some((m) => isObj(m) && m.zerotier === "controller");
  }

  private systemsOf(cls: string): string[] {
    return this.schema?.choices(["machines", 0, "system"], { class: cls }) ?? [];
  }

  private users(): HTMLElement {
    return this.rows(
      "Users",
      ["users"],
      (_u, p) => [
        h(
          "div",
          { class: "fy-grid" },
          this.text("Login name", [...p, "name"], { optional: false, rename: "user" }),
          this.text("Full name", [...p, "fullName"]),
          this.text("Email", [...p, "email"]),
          this.number("UID", [...p, "uid"]),
          this.choice("Shell", [...p, "shell"]),
          this.check("Admin (wheel, sudo, trusted user)", [...p, "admin"]),
        ),
        this.machineChecks(() => `Machines where ${str(getAt(this.model.value, [...p, "name"])) || "this user"} has an account`, [...p, "machines"]),
        this.keys(
          p,
          "sshKeys",
          () => `SSH public keys of ${str(getAt(this.model.value, [...p, "name"])) || "this user"}`,
          () => strs(getAt(this.model.value, [...p, "sshKeys"])),
          false,
          (lines) => this.set([...p, "sshKeys"], lines.length ? lines : undefined),
        ),
        h("div", { class: "fy-grid" }, this.list("Secrets", [...p, "secrets"], "github-token"), this.list("Home aggregates", [...p, "home", "aggregates"], "core, shell")),
      ],
      () => ({ name: freshName("user", names(this.model.value?.users)), machines: [] }),
      "user",
      (u, i) => str(u.name) || `user ${i + 1}`,
      undefined,
      "user",
    );
  }

  /**
   * One checkbox per machine of the fleet, ticked when path lists it, in
   * the fleet's order. A listed name that is no machine gets a box of its
   * own, ticked and marked invalid, so it can be seen and unticked. Boxes
   * are reused by position: renaming a machine relabels its box in place.
   */
  private machineChecks(label: () => string, path: Path): HTMLElement {
    const legend = h("legend", {});
    const box = h("fieldset", { class: "fy-field fy-wide fy-checks", "data-path": pathString(path) }, legend);
    const empty = h("span", { class: "fy-muted" }, "Add a machine first.");
    const boxes: { wrap: HTMLElement; input: HTMLInputElement; text: HTMLElement }[] = [];
    const listed = (): string[] => strs(getAt(this.model.value, path));
    const sync = (): void => {
      const want = label();
      if (legend.textContent !== want) legend.textContent = want;
      const machines = this.machineNames();
      const cur = listed();
      const unknown = cur.filter((m) => !machines.includes(m));
      const all = [...machines, ...unknown];
      while (boxes.length < all.length) {
        const id = nextId("f");
        const input = h("input", { id, type: "checkbox" });
        input.addEventListener("change", write);
        const text = h("label", { for: id });
        const wrap = h("span", { class: "fy-check" }, input, text);
        boxes.push({ wrap, input, text });
        box.append(wrap);
      }
      let lostFocus = false;
      while (boxes.length > all.length) {
        const gone = boxes.pop()!;
        lostFocus ||= gone.wrap.contains(document.activeElement);
        gone.wrap.remove();
      }
      // The unticked unknown name had focus: the box before it takes it.
      if (lostFocus) boxes[boxes.length - 1]?.input.focus();
      all.forEach((m, i) => {
        const b = boxes[i]!;
        const isUnknown = i >= machines.length;
        const txt = isUnknown ? `${m} (not a machine of this fleet)` : m;
        if (b.text.textContent !== txt) b.text.textContent = txt;
        b.input.dataset.machine = m;
        const j = cur.indexOf(m);
        b.input.checked = j >= 0;
        // A listed machine carries the path of its entry, where gen's diagnostics point.
        if (j >= 0) b.input.dataset.path = pathString([...path, j]);
        else delete b.input.dataset.path;
        b.wrap.classList.toggle("fy-unknown", isUnknown);
        if (isUnknown) {
          b.input.setAttribute("aria-invalid", "true");
          b.input.setAttribute("data-unknown", "");
        } else if (b.input.hasAttribute("data-unknown")) {
          b.input.removeAttribute("aria-invalid");
          b.input.removeAttribute("data-unknown");
        }
      });
      if (all.length === 0 && !empty.isConnected) box.append(empty);
      if (all.length > 0) empty.remove();
    };
    // A box's change handler (sync makes the boxes, and first runs once this exists).
    const write = (): void => {
      const ticked = new Set(boxes.filter((b) => b.input.checked && b.wrap.isConnected).map((b) => b.input.dataset.machine ?? ""));
      const machines = this.machineNames();
      // The spec's machine order, so the output does not depend on click order; unknown names keep their place after them.
      const next = [...machines.filter((m) => ticked.has(m)), ...listed().filter((m) => !machines.includes(m) && ticked.has(m))];
      this.set(path, next);
      // An unticked unknown name is gone from the list: so is its box.
      sync();
    };
    sync();
    this.bind(sync);
    return box;
  }

  private admins(): HTMLElement {
    return h(
      "div",
      {},
      h("p", { class: "fy-help" }, "Admin keys can decrypt every secret: keep one offline for recovery."),
      this.rows(
        "Admins",
        ["admins"],
        (_a, p) => [
          h("div", { class: "fy-grid" }, this.text("Name", [...p, "name"], { optional: false }), this.list("age recipients", [...p, "ageKeys"], "age1…")),
          this.keys(
            p,
            "sshKeys",
            () => `SSH public keys of admin ${str(getAt(this.model.value, [...p, "name"]))}`,
            () => strs(getAt(this.model.value, [...p, "sshKeys"])),
            false,
            (lines) => this.set([...p, "sshKeys"], lines.length ? lines : undefined),
          ),
        ],
        () => ({ name: "admin" }),
        "admin",
        (a, i) => str(a.name) || `admin ${i + 1}`,
      ),
    );
  }

  private overlays(): HTMLElement {
    const o = ["overlays"];
    return h(
      "div",
      { "data-path": "overlays" },
      h("h3", { class: "fy-h3" }, "Hotfixes (take a package from stable)"),
      this.rows("Hotfixes", [...o, "hotfixes"], (_x, p) => [h("div", { class: "fy-grid" }, this.text("Package", [...p, "package"], { optional: false }), this.list("Platforms", [...p, "platforms"]), this.text("Reason", [...p, "reason"], { wide: true }), this.text("Added", [...p, "added"], { placeholder: "YYYY-MM-DD" }))], () => ({ package: "" }), "hotfix", (x, i) => str(x.package) || `hotfix ${i + 1}`),
      h("h3", { class: "fy-h3" }, "Custom packages (pkgs/by-name)"),
      this.rows("Packages", [...o, "packages"], (_x, p) => [h("div", { class: "fy-grid" }, this.text("Name", [...p, "name"], { optional: false }), this.text("Version", [...p, "version"]), this.text("Description", [...p, "description"], { wide: true }))], () => ({ name: "" }), "package", (x, i) => str(x.name) || `package ${i + 1}`),
      h("h3", { class: "fy-h3" }, "Overrides"),
      this.rows(
        "Overrides",
        [...o, "overrides"],
        (_x, p) => [
          h(
            "div",
            { class: "fy-grid" },
            this.text("Package", [...p, "package"], { optional: false }),
            this.boolSelect("Run tests (doCheck)", [...p, "doCheck"]),
            this.text("Reason", [...p, "reason"], { wide: true }),
          ),
        ],
        () => ({ package: "" }),
        "override",
        (x, i) => str(x.package) || `override ${i + 1}`,
      ),
      h("h3", { class: "fy-h3" }, "Flake overlays"),
      this.rows("Flake overlays", [...o, "flakeOverlays"], (_x, p) => [h("div", { class: "fy-grid" }, this.text("Input", [...p, "input"], { optional: false }), this.text("URL", [...p, "url"], { optional: false, wide: true }), this.text("Overlay", [...p, "overlay"]))], () => ({ input: "", url: "" }), "flake overlay", (x, i) => str(x.input) || `flake overlay ${i + 1}`),
    );
  }

  /** An optional boolean: unchanged (unset), off or on. */
  private boolSelect(label: string, path: Path): HTMLElement {
    const id = nextId("f");
    const sel = h("select", { id, "data-path": pathString(path) }, h("option", { value: "" }, "unchanged"), h("option", { value: "false" }, "off"), h("option", { value: "true" }, "on"));
    const sync = (): void => {
      const cur = getAt(this.model.value, path);
      const want = typeof cur === "boolean" ? String(cur) : "";
      if (sel.value !== want) sel.value = want;
    };
    sync();
    this.bind(sync);
    sel.addEventListener("change", () => this.set(path, sel.value === "" ? undefined : sel.value === "true"));
    return h("div", { class: "fy-field" }, h("label", { for: id }, label), sel);
  }

  private vars(): HTMLElement {
    return h(
      "div",
      {},
      h("p", { class: "fy-help" }, "Prompts and files of a generator are edited in the fleet.json tab."),
      this.rows(
        "Vars generators",
        ["vars"],
        (_x, p) => [
          h("div", { class: "fy-grid" }, this.text("Name", [...p, "name"], { optional: false }), this.check("Shared between machines", [...p, "share"])),
          this.machineChecks(() => `Machines that get ${str(getAt(this.model.value, [...p, "name"])) || "this generator"}`, [...p, "machines"]),
          h("div", { class: "fy-grid" }, this.list("Packages the script runs", [...p, "runtimeInputs"], "openssl, wireguard-tools"), this.text("Script", [...p, "script"], { wide: true, multiline: true })),
        ],
        () => ({ name: "new-secret", machines: [] }),
        "generator",
        (x, i) => str(x.name) || `generator ${i + 1}`,
      ),
    );
  }

  private checks(): HTMLElement {
    const c = ["checks"];
    return h(
      "div",
      { class: "fy-grid", "data-path": "checks" },
      this.check("nix-unit tests", [...c, "nixUnit"]),
      this.check("Integration (VM) tests", [...c, "integration"]),
      this.check("Validation checks", [...c, "validation"]),
      this.check("Performance checks", [...c, "performance"]),
    );
  }
}

/** The names of a list of named objects. */
function names(v: Json | undefined): string[] {
  return arr(v).flatMap((x) => (isObj(x) && typeof x.name === "string" ? [x.name] : []));
}

/** prefix + the first number that makes a name not in taken. */
function freshName(prefix: string, taken: string[]): string {
  for (let i = taken.length + 1; ; i++) if (!taken.includes(`${prefix}${i}`)) return `${prefix}${i}`;
}

/** Ends a diagnostic message with a full stop, so a hint after it reads as its own sentence. */
function sentence(m: string): string {
  return /[.!?]$/.test(m) ? m : `${m}.`;
}
