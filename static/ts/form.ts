// The form editor over the spec model. Every control is labelled, carries
// data-path (the same field path gen diagnostics use, e.g.
// machines[0].hetzner.enabled) and writes straight into the model; adding or
// removing rows re-renders. When the JSON does not parse, the form says so
// instead of guessing.
//
// The choices of a field (its enum) and its default come from the JSON
// Schema (schema.ts) once the worker has handed it over; the form only adds
// labels for values it knows how to say better. Until then, or if it never
// comes, a choice is a plain text field and an unset checkbox is
// indeterminate: the form never claims a value or default it has not read.
import type { WorkerClient } from "./client";
import { clear, h, nextId, type Child } from "./dom";
import { keyField } from "./keys";
import { getAt, pathString, setAt, type Json, type Obj, type Path, type SpecModel } from "./model";
import type { Diagnostic } from "./protocol";
import type { FleetSchema } from "./schema";

type Opt = [value: string, label: string];

/** How a choice reads: labels for values worth more than their name (unknown values show as themselves). */
interface ChoiceOpts {
  labels?: Record<string, string>;
  /** Only the schema's values this returns true for (systems of the machine's class). */
  filter?: (v: string) => boolean;
  /** The value shown when the field is unset and the schema names no default. */
  fallback?: string | undefined;
  onChange?: (v: string) => void;
}

export class SpecForm {
  private open = new Map<string, boolean>();
  private schema: FleetSchema | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly model: SpecModel,
    private readonly client: WorkerClient,
  ) {
    model.onChange((c) => {
      if (c.source !== "form") this.render();
    });
  }

  /** Takes choices and defaults from the schema from now on. */
  setSchema(schema: FleetSchema): void {
    this.schema = schema;
    // Before the first spec loads there is nothing to redraw.
    if (this.model.text !== "") this.render();
  }

  render(): void {
    const active = document.activeElement;
    const focusPath = active instanceof HTMLElement && this.root.contains(active) ? active.dataset.path : undefined;
    const v = this.model.value;
    clear(this.root);
    if (!v) {
      this.root.append(
        h("p", { class: "fy-notice fy-notice-warn", role: "status" }, "The fleet.json text does not parse, so the form is paused. Fix it in the fleet.json tab (the error is marked there); nothing you typed is lost."),
      );
      return;
    }
    this.root.append(
      this.section("fleet", "Fleet", null, this.fleet(v)),
      this.section("machines", "Machines", arr(v.machines).length, this.machines(v)),
      this.section("users", "Users", arr(v.users).length, this.users(v)),
      this.section("admins", "Admins (recovery keys)", arr(v.admins).length, this.admins(v)),
      this.section("overlays", "Overlays", null, this.overlays(v)),
      this.section("vars", "Vars generators", arr(v.vars).length, this.vars(v)),
      this.section("checks", "Checks", null, this.checks()),
    );
    if (focusPath) this.root.querySelector<HTMLElement>(`[data-path="${CSS.escape(focusPath)}"]`)?.focus();
  }

  /** Marks controls whose field has an error and lists the message under them. */
  markDiagnostics(diags: Diagnostic[]): void {
    for (const el of this.root.querySelectorAll<HTMLElement>("[data-diag]")) el.remove();
    for (const el of this.root.querySelectorAll<HTMLElement>("[data-path][aria-invalid]")) {
      if (!el.classList.contains("fy-keys-input")) el.removeAttribute("aria-invalid");
    }
    for (const d of diags) {
      if (!d.path) continue;
      const el = this.root.querySelector<HTMLElement>(`[data-path="${CSS.escape(d.path)}"]`);
      if (!el || el.classList.contains("fy-keys-input")) continue;
      el.setAttribute("aria-invalid", "true");
      // Message and hint are separate sentences ("…; it is not shown or kept. How to fix: remove it…").
      const msg = h("p", { class: `fy-field-diag fy-${d.severity}`, "data-diag": "" }, sentence(d.message), d.hint ? h("span", { class: "fy-hint" }, ` How to fix: ${d.hint}`) : "");
      el.closest(".fy-field")?.append(msg);
    }
  }

  private section(key: string, title: string, count: number | null, ...body: Child[]): HTMLElement {
    const d = h("details", { class: "fy-section", open: this.open.get(key) ?? ["fleet", "machines", "users"].includes(key) });
    d.addEventListener("toggle", () => this.open.set(key, d.open));
    d.append(h("summary", {}, title, count !== null ? h("span", { class: "fy-count" }, String(count)) : null), ...body.filter((c): c is Node | string => !!c));
    return d;
  }

  // ---- controls ----

  private set(path: Path, value: Json | undefined, rerender = false): void {
    this.model.edit((v) => setAt(v, path, value));
    if (rerender) this.render();
  }

  /** A text field; an unset optional field shows its schema default as placeholder unless o.placeholder gives an example. */
  private text(label: string, path: Path, o: { placeholder?: string | undefined; optional?: boolean; wide?: boolean; multiline?: boolean } = {}): HTMLElement {
    const id = nextId("f");
    const cur = getAt(this.model.value, path);
    const attrs = { id, "data-path": pathString(path), placeholder: o.placeholder ?? this.schema?.defaultString(path), spellcheck: "false", autocomplete: "off" };
    const input = o.multiline ? h("textarea", { ...attrs, rows: 3 }) : h("input", { ...attrs, type: "text" });
    input.value = typeof cur === "string" ? cur : "";
    input.addEventListener("input", () => this.set(path, input.value === "" && o.optional !== false ? undefined : input.value));
    // Names appear in other rows (machine checkboxes, primary user): refresh them once the edit is done.
    if (path[path.length - 1] === "name") input.addEventListener("change", () => this.render());
    return h("div", { class: `fy-field${o.wide ? " fy-wide" : ""}` }, h("label", { for: id }, label), input);
  }

  private number(label: string, path: Path): HTMLElement {
    const id = nextId("f");
    const cur = getAt(this.model.value, path);
    const input = h("input", { id, type: "number", inputmode: "numeric", min: 0, "data-path": pathString(path) });
    input.value = typeof cur === "number" ? String(cur) : "";
    input.addEventListener("input", () => {
      const n = Number.parseInt(input.value, 10);
      this.set(path, input.value === "" || Number.isNaN(n) ? undefined : n);
    });
    return h("div", { class: "fy-field fy-narrow" }, h("label", { for: id }, label), input);
  }

  private check(label: string, path: Path, title?: string): HTMLElement {
    const id = nextId("f");
    const cur = getAt(this.model.value, path);
    const input = h("input", { id, type: "checkbox", "data-path": pathString(path) });
    const dflt = this.schema?.defaultBool(path);
    input.checked = typeof cur === "boolean" ? cur : (dflt ?? false);
    // Unset, with no default read yet: neither on nor off.
    input.indeterminate = typeof cur !== "boolean" && dflt === undefined;
    input.addEventListener("change", () => this.set(path, input.checked));
    return h("div", { class: "fy-field fy-check", title }, input, h("label", { for: id }, label));
  }

  /**
   * A field with the values the schema allows: a select, or, without the
   * schema, a text field. An unset field shows the schema default (or
   * o.fallback); with neither, the select offers "(not set)".
   */
  private choice(label: string, path: Path, o: ChoiceOpts = {}): HTMLElement {
    const values = this.schema?.choices(path)?.filter(o.filter ?? (() => true));
    const dflt = this.schema?.defaultString(path) ?? o.fallback;
    const write = o.onChange ?? ((v: string) => this.set(path, v === "" ? undefined : v));
    if (!values) {
      const id = nextId("f");
      const cur = getAt(this.model.value, path);
      const input = h("input", { id, type: "text", "data-path": pathString(path), placeholder: dflt, spellcheck: "false", autocomplete: "off" });
      input.value = typeof cur === "string" ? cur : "";
      // A choice with its own handler (the class redraws the machine) runs
      // once the value is complete, not on every key.
      if (o.onChange) input.addEventListener("change", () => write(input.value.trim()));
      else input.addEventListener("input", () => write(input.value.trim()));
      return h("div", { class: "fy-field" }, h("label", { for: id }, label), input);
    }
    const opts = values.map((v): Opt => [v, o.labels?.[v] ?? v]);
    // Offered only while unset: choosing it for a set field would just make an error.
    if (dflt === undefined && typeof getAt(this.model.value, path) !== "string") opts.unshift(["", "(not set)"]);
    return this.select(label, path, opts, dflt ?? "", write);
  }

  private select(label: string, path: Path, opts: Opt[], dflt: string, onChange?: (v: string) => void): HTMLElement {
    const id = nextId("f");
    const cur = getAt(this.model.value, path);
    const sel = h("select", { id, "data-path": pathString(path) }, ...opts.map(([v, l]) => h("option", { value: v }, l)));
    const val = typeof cur === "string" ? cur : dflt;
    if (!opts.some(([v]) => v === val)) sel.append(h("option", { value: val }, `${val} (not supported)`));
    sel.value = val;
    sel.addEventListener("change", () => {
      if (onChange) onChange(sel.value);
      else this.set(path, sel.value);
    });
    return h("div", { class: "fy-field" }, h("label", { for: id }, label), sel);
  }

  /** A comma-separated list of strings. */
  private list(label: string, path: Path, example?: string): HTMLElement {
    const id = nextId("f");
    const cur = arr(getAt(this.model.value, path)).filter((x): x is string => typeof x === "string");
    const dflt = this.schema?.default(path);
    const placeholder = example ?? (Array.isArray(dflt) ? dflt.join(", ") : "");
    const input = h("input", { id, type: "text", "data-path": pathString(path), placeholder, spellcheck: "false", autocomplete: "off" });
    input.value = cur.join(", ");
    input.addEventListener("input", () => {
      const items = input.value
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);
      this.set(path, items.length ? items : undefined);
    });
    return h("div", { class: "fy-field fy-wide" }, h("label", { for: id }, label, h("span", { class: "fy-muted" }, " (comma-separated)")), input);
  }

  private rows(title: string, path: Path, row: (item: Obj, p: Path, i: number) => Child[], fresh: () => Obj, what: string, nameOf: (o: Obj, i: number) => string): HTMLElement {
    const items = arr(getAt(this.model.value, path));
    const list = h("ol", { class: "fy-rows", "aria-label": title });
    items.forEach((it, i) => {
      if (!isObj(it)) return;
      const p = [...path, i];
      const name = nameOf(it, i);
      list.append(
        h(
          "li",
          { class: "fy-row" },
          h("div", { class: "fy-row-head" }, h("span", { class: "fy-row-title" }, name), h("button", { type: "button", class: "fy-btn fy-btn-ghost fy-remove", "aria-label": `Remove ${what} ${name}`, onclick: () => this.remove(path, i) }, "Remove")),
          h("div", { class: "fy-row-body" }, ...row(it, p, i)),
        ),
      );
    });
    const add = h("button", { type: "button", class: "fy-btn fy-add", onclick: () => this.add(path, fresh()) }, `Add ${what}`);
    return h("div", { class: "fy-rows-wrap" }, list, add);
  }

  private add(path: Path, item: Obj): void {
    this.model.edit((v) => {
      const cur = getAt(v, path);
      if (Array.isArray(cur)) cur.push(item);
      else setAt(v, path, [item]);
    });
    this.render();
    const rows = this.root.querySelectorAll<HTMLElement>(`[data-path^="${CSS.escape(pathString(path))}["]`);
    rows[rows.length - 1]?.closest(".fy-row")?.querySelector<HTMLElement>("input, select, textarea")?.focus();
  }

  private remove(path: Path, i: number): void {
    this.model.edit((v) => {
      const cur = getAt(v, path);
      if (Array.isArray(cur)) {
        cur.splice(i, 1);
        if (cur.length === 0 && path.length > 0 && path[0] !== "machines") setAt(v, path, undefined);
      }
    });
    this.render();
  }

  // ---- sections ----

  private fleet(_v: Obj): HTMLElement {
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
    return arr(this.model.value?.machines).flatMap((m) => (isObj(m) && typeof m.name === "string" ? [m.name] : []));
  }

  private machines(_v: Obj): HTMLElement {
    const users = arr(this.model.value?.users).flatMap((u) => (isObj(u) && typeof u.name === "string" ? [u.name] : []));
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
            this.text("Name", [...p, "name"], { optional: false, placeholder: "hostname" }),
            this.choice("Class", [...p, "class"], { labels: { nixos: "NixOS", darwin: "nix-darwin (macOS)" }, onChange: (c) => this.setClass(p, c) }),
            // The schema lists every system; a machine takes those of its class. gen
            // defaults an unset system to the first of them (gen/defaults.go).
            this.choice("System", [...p, "system"], {
              labels: { "aarch64-darwin": "aarch64-darwin (Apple silicon)", "x86_64-darwin": "x86_64-darwin (Intel)" },
              filter: (v) => v.endsWith(systemSuffix(cls)),
              fallback: this.systemsOf(cls)[0],
            }),
            this.choice("ZeroTier", [...p, "zerotier"]),
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
                this.cloudToggle(p, het !== null),
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
              this.select("Primary user", [...p, "darwin", "primaryUser"], [["", "(none)"], ...users.map((u): Opt => [u, u])], "", (val) => this.set([...p, "darwin", "primaryUser"], val || undefined)),
              this.choice("ZeroTier on macOS via", [...p, "darwin", "networking"], { labels: { homebrew: "Homebrew cask", launchd: "launchd service", none: "not managed" } }),
            ),
          );
        }
        out.push(
          keyField({
            client: this.client,
            label: `Host key of ${str(m.name) || "this machine"} (public)`,
            keys: typeof m.hostKey === "string" && m.hostKey ? [m.hostKey] : [],
            single: true,
            path: pathString([...p, "hostKey"]),
            onAccept: (lines) => this.set([...p, "hostKey"], lines[0]),
          }),
        );
        return out;
      },
      () => ({ name: `machine-${this.machineNames().length + 1}`, class: "nixos" }),
      "machine",
      (m, i) => str(m.name) || `machine ${i + 1}`,
    );
  }

  private cloudToggle(p: Path, on: boolean): HTMLElement {
    const id = nextId("f");
    const input = h("input", { id, type: "checkbox", "data-path": pathString([...p, "hetzner"]) });
    input.checked = on;
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
  private systemsOf(cls: string): string[] {
    return (this.schema?.choices(["machines", 0, "system"]) ?? []).filter((v) => v.endsWith(systemSuffix(cls)));
  }

  private users(_v: Obj): HTMLElement {
    const machines = this.machineNames();
    return this.rows(
      "Users",
      ["users"],
      (u, p) => [
        h(
          "div",
          { class: "fy-grid" },
          this.text("Login name", [...p, "name"], { optional: false }),
          this.text("Full name", [...p, "fullName"]),
          this.text("Email", [...p, "email"]),
          this.number("UID", [...p, "uid"]),
          this.choice("Shell", [...p, "shell"]),
          this.check("Admin (wheel, sudo, trusted user)", [...p, "admin"]),
        ),
        this.machineChecks(`Machines where ${str(u.name) || "this user"} has an account`, [...p, "machines"], machines),
        keyField({
          client: this.client,
          label: `SSH public keys of ${str(u.name) || "this user"}`,
          keys: arr(u.sshKeys).filter((x): x is string => typeof x === "string"),
          path: pathString([...p, "sshKeys"]),
          onAccept: (lines) => this.set([...p, "sshKeys"], lines.length ? lines : undefined),
        }),
        h("div", { class: "fy-grid" }, this.list("Secrets", [...p, "secrets"], "github-token"), this.list("Home aggregates", [...p, "home", "aggregates"], "core, shell")),
      ],
      () => ({ name: `user${arr(this.model.value?.users).length + 1}`, machines: [] }),
      "user",
      (u, i) => str(u.name) || `user ${i + 1}`,
    );
  }

  private machineChecks(label: string, path: Path, machines: string[]): HTMLElement {
    const cur = new Set(arr(getAt(this.model.value, path)).filter((x): x is string => typeof x === "string"));
    const boxes = machines.map((m) => {
      const id = nextId("f");
      const input = h("input", { id, type: "checkbox", "data-machine": m });
      input.checked = cur.has(m);
      input.addEventListener("change", () => {
        if (input.checked) cur.add(m);
        else cur.delete(m);
        // Keep the spec's machine order, so the output does not depend on click order.
        this.set(path, machines.filter((x) => cur.has(x)));
      });
      return h("span", { class: "fy-check" }, input, h("label", { for: id }, m));
    });
    return h("fieldset", { class: "fy-field fy-wide fy-checks", "data-path": pathString(path) }, h("legend", {}, label), ...(boxes.length ? boxes : [h("span", { class: "fy-muted" }, "Add a machine first.")]));
  }

  private admins(_v: Obj): HTMLElement {
    return h(
      "div",
      {},
      h("p", { class: "fy-help" }, "Admin keys can decrypt every secret: keep one offline for recovery."),
      this.rows(
        "Admins",
        ["admins"],
        (a, p) => [
          h("div", { class: "fy-grid" }, this.text("Name", [...p, "name"], { optional: false }), this.list("age recipients", [...p, "ageKeys"], "age1…")),
          keyField({
            client: this.client,
            label: `SSH public keys of admin ${str(a.name)}`,
            keys: arr(a.sshKeys).filter((x): x is string => typeof x === "string"),
            path: pathString([...p, "sshKeys"]),
            onAccept: (lines) => this.set([...p, "sshKeys"], lines.length ? lines : undefined),
          }),
        ],
        () => ({ name: "admin" }),
        "admin",
        (a, i) => str(a.name) || `admin ${i + 1}`,
      ),
    );
  }

  private overlays(_v: Obj): HTMLElement {
    const o = ["overlays"];
    return h(
      "div",
      {},
      h("h3", { class: "fy-h3" }, "Hotfixes (take a package from stable)"),
      this.rows("Hotfixes", [...o, "hotfixes"], (_x, p) => [h("div", { class: "fy-grid" }, this.text("Package", [...p, "package"], { optional: false }), this.list("Platforms", [...p, "platforms"]), this.text("Reason", [...p, "reason"], { wide: true }), this.text("Added", [...p, "added"], { placeholder: "YYYY-MM-DD" }))], () => ({ package: "" }), "hotfix", (x, i) => str(x.package) || `hotfix ${i + 1}`),
      h("h3", { class: "fy-h3" }, "Custom packages (pkgs/by-name)"),
      this.rows("Packages", [...o, "packages"], (_x, p) => [h("div", { class: "fy-grid" }, this.text("Name", [...p, "name"], { optional: false }), this.text("Version", [...p, "version"]), this.text("Description", [...p, "description"], { wide: true }))], () => ({ name: "" }), "package", (x, i) => str(x.name) || `package ${i + 1}`),
      h("h3", { class: "fy-h3" }, "Overrides"),
      this.rows(
        "Overrides",
        [...o, "overrides"],
        (_x, p) => [h("div", { class: "fy-grid" }, this.text("Package", [...p, "package"], { optional: false }), this.select("Run tests (doCheck)", [...p, "doCheck"], [["", "unchanged"], ["false", "off"], ["true", "on"]], "", (val) => this.set([...p, "doCheck"], val === "" ? undefined : val === "true")), this.text("Reason", [...p, "reason"], { wide: true }))],
        () => ({ package: "" }),
        "override",
        (x, i) => str(x.package) || `override ${i + 1}`,
      ),
      h("h3", { class: "fy-h3" }, "Flake overlays"),
      this.rows("Flake overlays", [...o, "flakeOverlays"], (_x, p) => [h("div", { class: "fy-grid" }, this.text("Input", [...p, "input"], { optional: false }), this.text("URL", [...p, "url"], { optional: false, wide: true }), this.text("Overlay", [...p, "overlay"]))], () => ({ input: "", url: "" }), "flake overlay", (x, i) => str(x.input) || `flake overlay ${i + 1}`),
    );
  }

  private vars(_v: Obj): HTMLElement {
    return h(
      "div",
      {},
      h("p", { class: "fy-help" }, "Prompts and files of a generator are edited in the fleet.json tab."),
      this.rows(
        "Vars generators",
        ["vars"],
        (_x, p) => [h("div", { class: "fy-grid" }, this.text("Name", [...p, "name"], { optional: false }), this.list("Machines", [...p, "machines"]), this.check("Shared between machines", [...p, "share"]), this.text("Script", [...p, "script"], { wide: true, multiline: true }))],
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
      { class: "fy-grid" },
      this.check("nix-unit tests", [...c, "nixUnit"]),
      this.check("Integration (VM) tests", [...c, "integration"]),
      this.check("Validation checks", [...c, "validation"]),
      this.check("Performance checks", [...c, "performance"]),
    );
  }
}

/** The end of a Nix system name for a machine class: x86_64-linux, aarch64-darwin. */
function systemSuffix(cls: string): string {
  return cls === "darwin" ? "-darwin" : "-linux";
}

function arr(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

function isObj(v: Json | undefined): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Ends a diagnostic message with a full stop, so a hint after it reads as its own sentence. */
function sentence(m: string): string {
  return /[.!?]$/.test(m) ? m : `${m}.`;
}

function str(v: Json | undefined): string {
  return typeof v === "string" ? v : "";
}
