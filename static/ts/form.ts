// The form editor over the spec model. Every control is labelled, carries
// data-path (the same field path gen diagnostics use, e.g.
// machines[0].hetzner.enabled) and writes straight into the model; adding or
// removing rows re-renders. When the JSON does not parse, the form says so
// instead of guessing.
import type { WorkerClient } from "./client";
import { clear, h, nextId, type Child } from "./dom";
import { keyField } from "./keys";
import { getAt, pathString, setAt, type Json, type Obj, type Path, type SpecModel } from "./model";
import type { Diagnostic } from "./protocol";

type Opt = [value: string, label: string];

export class SpecForm {
  private open = new Map<string, boolean>();

  constructor(
    private readonly root: HTMLElement,
    private readonly model: SpecModel,
    private readonly client: WorkerClient,
  ) {
    model.onChange((c) => {
      if (c.source !== "form") this.render();
    });
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
      const msg = h("p", { class: `fy-field-diag fy-${d.severity}`, "data-diag": "" }, d.message, d.hint ? ` ${d.hint}` : "");
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

  private text(label: string, path: Path, o: { placeholder?: string; optional?: boolean; wide?: boolean; multiline?: boolean } = {}): HTMLElement {
    const id = nextId("f");
    const cur = getAt(this.model.value, path);
    const attrs = { id, "data-path": pathString(path), placeholder: o.placeholder, spellcheck: "false", autocomplete: "off" };
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

  private check(label: string, path: Path, dflt: boolean, rerender = false, title?: string): HTMLElement {
    const id = nextId("f");
    const cur = getAt(this.model.value, path);
    const input = h("input", { id, type: "checkbox", "data-path": pathString(path) });
    input.checked = typeof cur === "boolean" ? cur : dflt;
    input.addEventListener("change", () => this.set(path, input.checked, rerender));
    return h("div", { class: "fy-field fy-check", title }, input, h("label", { for: id }, label));
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
  private list(label: string, path: Path, placeholder = ""): HTMLElement {
    const id = nextId("f");
    const cur = arr(getAt(this.model.value, path)).filter((x): x is string => typeof x === "string");
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
      this.text("Domain", ["domain"], { placeholder: "clan" }),
      this.text("Description", ["description"], { wide: true }),
      this.text("nixpkgs unstable branch", ["channels", "unstable"], { placeholder: "nixpkgs-unstable" }),
      this.text("NixOS stable branch", ["channels", "nixos"], { placeholder: "nixos-25.05" }),
      this.text("Darwin stable branch", ["channels", "darwin"], { placeholder: "nixpkgs-25.05-darwin" }),
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
        const sys: Opt[] = cls === "darwin" ? [["aarch64-darwin", "aarch64-darwin (Apple silicon)"], ["x86_64-darwin", "x86_64-darwin (Intel)"]] : [["x86_64-linux", "x86_64-linux"], ["aarch64-linux", "aarch64-linux"]];
        const het = isObj(m.hetzner) ? m.hetzner : null;
        const out: Child[] = [
          h(
            "div",
            { class: "fy-grid" },
            this.text("Name", [...p, "name"], { optional: false, placeholder: "hostname" }),
            this.select("Class", [...p, "class"], [["nixos", "NixOS"], ["darwin", "nix-darwin (macOS)"]], "nixos", (c) => this.setClass(p, c)),
            this.select("System", [...p, "system"], sys, sys[0]![0]),
            this.select("ZeroTier", [...p, "zerotier"], [["controller", "controller"], ["peer", "peer"], ["none", "none"]], "peer"),
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
                het ? this.check("Server enabled", [...p, "hetzner", "enabled"], false, false, "Unticked keeps the config but destroys the server on the next terraform apply") : null,
                het ? this.text("Server type", [...p, "hetzner", "serverType"], { placeholder: "cx43" }) : null,
                het ? this.select("Location", [...p, "hetzner", "location"], ["fsn1", "nbg1", "hel1", "ash", "hil", "sin"].map((x): Opt => [x, x]), "fsn1") : null,
              ),
            ),
            h("div", { class: "fy-grid" }, this.select("Disk layout", [...p, "disk", "layout"], [["ext4", "ext4"], ["zfs", "ZFS"]], "ext4"), this.text("Disk device", [...p, "disk", "device"], { placeholder: "/dev/sda" })),
          );
        } else {
          out.push(
            h(
              "div",
              { class: "fy-grid" },
              this.select("Primary user", [...p, "darwin", "primaryUser"], [["", "(none)"], ...users.map((u): Opt => [u, u])], "", (val) => this.set([...p, "darwin", "primaryUser"], val || undefined)),
              this.select("ZeroTier on macOS via", [...p, "darwin", "networking"], [["homebrew", "Homebrew cask"], ["launchd", "launchd service"], ["none", "not managed"]], "homebrew"),
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
    input.addEventListener("change", () => this.set([...p, "hetzner"], input.checked ? { enabled: true, serverType: "cx43", location: "fsn1" } : undefined, true));
    return h("div", { class: "fy-field fy-check" }, input, h("label", { for: id }, "Managed by terranix"));
  }

  private setClass(p: Path, c: string): void {
    this.model.edit((v) => {
      const m = getAt(v, p);
      if (!isObj(m)) return;
      m.class = c;
      if (c === "darwin") {
        delete m.disk;
        delete m.hetzner;
        if (m.system !== undefined) m.system = "aarch64-darwin";
      } else {
        delete m.darwin;
        if (m.system !== undefined) m.system = "x86_64-linux";
      }
    });
    this.render();
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
          this.select("Shell", [...p, "shell"], [["zsh", "zsh"], ["bash", "bash"], ["fish", "fish"]], "zsh"),
          this.check("Admin (wheel, sudo, trusted user)", [...p, "admin"], false),
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
      this.rows("Hotfixes", [...o, "hotfixes"], (_x, p) => [h("div", { class: "fy-grid" }, this.text("Package", [...p, "package"], { optional: false }), this.list("Platforms", [...p, "platforms"], "darwin, linux"), this.text("Reason", [...p, "reason"], { wide: true }), this.text("Added", [...p, "added"], { placeholder: "YYYY-MM-DD" }))], () => ({ package: "" }), "hotfix", (x, i) => str(x.package) || `hotfix ${i + 1}`),
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
      this.rows("Flake overlays", [...o, "flakeOverlays"], (_x, p) => [h("div", { class: "fy-grid" }, this.text("Input", [...p, "input"], { optional: false }), this.text("URL", [...p, "url"], { optional: false, wide: true }), this.text("Overlay", [...p, "overlay"], { placeholder: "default" }))], () => ({ input: "", url: "" }), "flake overlay", (x, i) => str(x.input) || `flake overlay ${i + 1}`),
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
        (_x, p) => [h("div", { class: "fy-grid" }, this.text("Name", [...p, "name"], { optional: false }), this.list("Machines", [...p, "machines"]), this.check("Shared between machines", [...p, "share"], false), this.text("Script", [...p, "script"], { wide: true, multiline: true }))],
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
      this.check("nix-unit tests", [...c, "nixUnit"], true),
      this.check("Integration (VM) tests", [...c, "integration"], true),
      this.check("Validation checks", [...c, "validation"], true),
      this.check("Performance checks", [...c, "performance"], false),
    );
  }
}

function arr(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

function isObj(v: Json | undefined): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function str(v: Json | undefined): string {
  return typeof v === "string" ? v : "";
}
