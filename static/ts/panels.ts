// The bottom panels: diagnostics, who can decrypt what, the fleet picture
// and the Terraform JSON. The last three are drawn only when their tab is
// shown and their data changed (DetailPanels): on the large example the
// access matrix alone is thousands of cells, which a keystroke must not
// rebuild while nobody looks at it.
import { h, s } from "./dom";
import { codemirror, loadCodeMirror } from "./lazycm";
import type { AccessOut, Diagnostic, FleetOut, GenerateResult, MachineOut } from "./protocol";

type Panel = "access" | "picture" | "tf";

/** Draws the access matrix, the fleet picture and the Terraform JSON lazily. */
export class DetailPanels {
  private data: { access: AccessOut[]; fleet: FleetOut | undefined; tf: string | undefined } | null = null;
  private drawn: Record<Panel, string> = { access: "", picture: "", tf: "" };
  private drawnFrom: Record<Panel, { src: unknown; cols: number } | null> = { access: null, picture: null, tf: null };
  private showing: Panel | null = null;

  constructor(private readonly roots: Record<Panel, HTMLElement>) {
    let t = 0;
    window.addEventListener("resize", () => {
      clearTimeout(t);
      t = window.setTimeout(() => {
        if (this.showing) this.draw(this.showing);
      }, 200);
    });
  }

  /** Takes a generation's data; draws the shown panel if its part changed. */
  update(r: GenerateResult): void {
    this.data = { access: r.access, fleet: r.fleet, tf: r.terraform };
    if (this.showing) this.draw(this.showing);
  }

  /** The details tab now shown (by its tab id). */
  show(tabId: string): void {
    const p: Panel | null = tabId === "fy-tab-access" ? "access" : tabId === "fy-tab-picture" ? "picture" : tabId === "fy-tab-tf" ? "tf" : null;
    this.showing = p;
    if (p) this.draw(p);
  }

  private draw(p: Panel): void {
    if (!this.data) return;
    const d = this.data;
    // The picture also depends on the width it is drawn for (its number of columns).
    const cols = p === "picture" ? pictureColumns(this.roots.picture) : 0;
    // The same objects as last drawn (the worker said they did not change,
    // genstream.ts kept them): nothing to compare, nothing to draw.
    const src = p === "access" ? d.access : p === "picture" ? d.fleet : d.tf;
    const seen = this.drawnFrom[p];
    if (seen && seen.src === src && seen.cols === cols) return;
    this.drawnFrom[p] = { src, cols };
    const key = JSON.stringify(p === "access" ? d.access : p === "picture" ? [d.fleet ?? null, cols] : (d.tf ?? null));
    if (key === this.drawn[p]) return;
    this.drawn[p] = key;
    if (p === "access") renderAccess(this.roots.access, d.access);
    else if (p === "picture") renderPicture(this.roots.picture, d.fleet);
    else renderTerraform(this.roots.tf, d.tf);
  }
}

export function renderDiagnostics(root: HTMLElement, diags: Diagnostic[], error: string | undefined, reveal: (d: Diagnostic) => void): void {
  root.replaceChildren();
  if (diags.length === 0 && !error) {
    root.append(h("p", { class: "fy-ok" }, h("span", { "aria-hidden": "true" }, "✓ "), "No problems: the spec is valid."));
    return;
  }
  const list = h("ul", { class: "fy-diags" });
  if (error) list.append(h("li", { class: "fy-diag fy-error" }, h("strong", {}, "Generation failed: "), error));
  for (const d of diags) {
    const where = d.line > 0 ? `line ${d.line}:${d.col}` : "";
    list.append(
      h(
        "li",
        { class: `fy-diag fy-${d.severity}` },
        h("span", { class: "fy-sev" }, d.severity),
        d.line > 0 ? h("button", { type: "button", class: "fy-link fy-where", onclick: () => reveal(d), "aria-label": `Go to ${where} in fleet.json` }, where) : null,
        d.path ? h("code", { class: "fy-diag-path" }, d.path) : null,
        h("span", { class: "fy-diag-msg" }, d.message),
        d.hint ? h("span", { class: "fy-hint" }, d.hint) : null,
      ),
    );
  }
  root.append(list);
}

export function renderAccess(root: HTMLElement, access: AccessOut[]): void {
  root.replaceChildren();
  if (access.length === 0) {
    root.append(h("p", { class: "fy-muted" }, "No encrypted files: add user secrets or vars generators to see who can read them."));
    return;
  }
  const readers = new Map<string, { kind: string; name: string; recipient: string }>();
  for (const a of access) for (const r of a.readers) if (!readers.has(`${r.kind}:${r.name}`) || r.recipient) readers.set(`${r.kind}:${r.name}`, r);
  const cols = [...readers.entries()].sort(([a], [b]) => kindOrder(a) - kindOrder(b) || a.localeCompare(b));
  const keyTitle = (r: { kind: string; recipient: string }): string =>
    r.recipient ||
    (r.kind === "machine" ? "age key made by clan at `clan vars generate`" : r.kind === "group" ? "clan's sops group of every clan admin (sops/groups/admins)" : "no age key yet");
  const table = h(
    "table",
    { class: "fy-matrix" },
    h("caption", { class: "fy-sr" }, "Who can decrypt each secret"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Secret"), h("th", { scope: "col" }, "Tier"), ...cols.map(([, r]) => h("th", { scope: "col", title: keyTitle(r) }, h("span", { class: `fy-kind fy-kind-${r.kind}` }, r.kind), h("br"), r.name)))),
    h(
      "tbody",
      {},
      ...access.map((a) => {
        const has = new Set(a.readers.map((r) => `${r.kind}:${r.name}`));
        return h(
          "tr",
          { class: `fy-tier-${a.tier.replace(/[^a-z]+/g, "-")}` },
          h("th", { scope: "row" }, h("code", {}, a.path)),
          h("td", { class: "fy-tier" }, a.tier),
          ...cols.map(([k, r]) => h("td", { class: has.has(k) ? "fy-yes" : "fy-no" }, has.has(k) ? h("span", { "aria-label": `${r.name} can decrypt` }, "✓") : h("span", { class: "fy-sr" }, `${r.name} cannot decrypt`))),
        );
      }),
    ),
  );
  // The explanation stays outside the scrolling region, so that it wraps to
  // the pane on a phone instead of running off with the table's width.
  root.append(
    h("p", { class: "fy-matrix-note" }, "Who can decrypt each secret (✓ = can decrypt). sops-nix files follow .sops.yaml; clan vars and clan secrets are encrypted by clan for the machines that use them and the admins group (a file marked deploy = false, for the admins group only)."),
    h("div", { class: "fy-table-wrap", tabindex: 0, role: "region", "aria-label": "Who can decrypt what" }, table),
  );
}

function kindOrder(k: string): number {
  return k.startsWith("admin:") ? 0 : k.startsWith("group:") ? 1 : k.startsWith("user:") ? 2 : 3;
}

const MAX_MACHINES = 24;

/** A small SVG of the fleet: machines by class, the zerotier mesh, cloud on/off, users. */
export function renderPicture(root: HTMLElement, fleet: FleetOut | undefined): void {
  root.replaceChildren();
  if (!fleet) {
    root.append(h("p", { class: "fy-muted" }, "The picture appears once the spec is valid."));
    return;
  }
  const shown = fleet.machines.slice(0, MAX_MACHINES);
  const groups: [string, MachineOut[]][] = [
    ["NixOS · cloud", shown.filter((m) => m.class === "nixos" && m.hetzner)],
    ["NixOS · local", shown.filter((m) => m.class === "nixos" && !m.hetzner)],
    ["macOS (nix-darwin)", shown.filter((m) => m.class === "darwin")],
  ].filter(([, ms]) => (ms as MachineOut[]).length > 0) as [string, MachineOut[]][];
  const W = 176,
    H = 66,
    GAP = 18,
    // As many columns as fit the panel (at the drawn size), up to four: a phone gets two.
    COLS = pictureColumns(root);
  const pos = new Map<string, { x: number; y: number }>();
  const nodes: SVGElement[] = [];
  let y = 10;
  for (const [label, ms] of groups) {
    nodes.push(s("text", { x: 10, y: y + 14, class: "fy-svg-group" }, label));
    y += 24;
    ms.forEach((m, i) => {
      const x = 10 + (i % COLS) * (W + GAP);
      const yy = y + Math.floor(i / COLS) * (H + GAP);
      pos.set(m.name, { x: x + W / 2, y: yy + H / 2 });
      const cls = ["fy-svg-machine", `fy-svg-${m.class}`, m.zerotier === "controller" ? "fy-svg-controller" : "", m.hetzner === "off" ? "fy-svg-off" : ""].join(" ");
      nodes.push(
        s(
          "g",
          { class: cls },
          s("title", {}, `${m.name}: ${m.class} ${m.system}, zerotier ${m.zerotier}${m.hetzner ? `, hetzner ${m.hetzner}` : ""}`),
          s("rect", { x, y: yy, width: W, height: H, rx: 8 }),
          // Text is cut to the box (the full name is in the title): the cloud mark takes the top right corner.
          s("text", { x: x + 10, y: yy + 21, class: "fy-svg-name" }, fit(m.name, W - 20 - (m.hetzner ? 40 : 0), 8.6)),
          s("text", { x: x + 10, y: yy + 40, class: "fy-svg-sub" }, fit(m.system, W - 20, 6.2)),
          s("text", { x: x + 10, y: yy + 56, class: "fy-svg-sub" }, m.zerotier === "controller" ? "ZT controller" : m.zerotier === "none" ? "no ZT" : "ZT peer"),
          m.hetzner ? s("text", { x: x + W - 10, y: yy + 21, "text-anchor": "end", class: `fy-svg-cloud fy-svg-cloud-${m.hetzner}` }, m.hetzner === "on" ? "☁ on" : "☁ off") : null,
        ),
      );
    });
    y += Math.ceil(ms.length / COLS) * (H + GAP) + 6;
  }
  const edges: SVGElement[] = [];
  const ctl = fleet.machines.find((m) => m.zerotier === "controller");
  const cp = ctl ? pos.get(ctl.name) : undefined;
  if (ctl && cp) {
    for (const m of shown) {
      const p = pos.get(m.name);
      if (m.zerotier === "peer" && p) edges.push(s("line", { x1: cp.x, y1: cp.y, x2: p.x, y2: p.y, class: "fy-svg-zt" }));
    }
  }
  // Users along the bottom, linked to their machines.
  const users = fleet.users.slice(0, 12);
  const uy = y + 30;
  users.forEach((u, i) => {
    const x = 10 + i * 110 + 40;
    for (const mn of u.machines) {
      const p = pos.get(mn);
      if (p) edges.push(s("line", { x1: x, y1: uy - 14, x2: p.x, y2: p.y + H / 2, class: "fy-svg-user-edge" }));
    }
    nodes.push(
      s("g", { class: `fy-svg-user${u.admin ? " fy-svg-admin" : ""}` }, s("title", {}, `${u.name}${u.admin ? " (admin)" : ""}: ${u.machines.join(", ") || "no machines"}`), s("circle", { cx: x, cy: uy, r: 14 }), s("text", { x, y: uy + 32, "text-anchor": "middle", class: "fy-svg-sub" }, fit(u.name, 104, 6.2))),
    );
  });
  const height = users.length ? uy + 44 : y + 10;
  const width = 10 + COLS * (W + GAP);
  const more = fleet.machines.length - shown.length;
  const svg = s(
    "svg",
    { viewBox: `0 0 ${Math.max(width, users.length * 110 + 30)} ${height}`, role: "img", "aria-labelledby": "fy-pic-title", class: "fy-picture" },
    s("title", { id: "fy-pic-title" }, describe(fleet)),
    s("g", {}, ...edges),
    s("g", {}, ...nodes),
  );
  root.append(
    svg,
    h(
      "p",
      { class: "fy-legend fy-small" },
      h("span", { class: "fy-legend-zt" }, "— zerotier"),
      h("span", { class: "fy-legend-user" }, "— account"),
      h("span", {}, "☁ Hetzner server (on / off)"),
      more > 0 ? h("span", {}, `…and ${more} more machines`) : null,
    ),
  );
}

/** Columns of machine boxes that fit root at their natural size (4 when it is not laid out). */
function pictureColumns(root: HTMLElement): number {
  const w = root.clientWidth;
  if (w === 0) return 4;
  return Math.max(1, Math.min(4, Math.floor((w - 30) / 194)));
}

/**
 * text cut with "…" to about width pixels, at charWidth pixels a character
 * (the name is monospace; the sans-serif line uses a generous average).
 */
function fit(text: string, width: number, charWidth: number): string {
  const max = Math.max(3, Math.floor(width / charWidth));
  return text.length <= max ? text : text.slice(0, max - 1) + "…";
}

function describe(f: FleetOut): string {
  const nixos = f.machines.filter((m) => m.class === "nixos").length;
  const darwin = f.machines.length - nixos;
  const cloud = f.machines.filter((m) => m.hetzner === "on").length;
  const ctl = f.machines.find((m) => m.zerotier === "controller");
  return `Fleet ${f.name}: ${nixos} NixOS and ${darwin} macOS machines, ${cloud} running on Hetzner, ${ctl ? `zerotier controller ${ctl.name}` : "no zerotier controller"}, ${f.users.length} users.`;
}

let tfView: { destroy(): void } | null = null;
/** Counts renderTerraform calls: a view that arrives after a newer call is not drawn. */
let tfDrawn = 0;

export function renderTerraform(root: HTMLElement, tf: string | undefined): void {
  tfView?.destroy();
  tfView = null;
  const n = ++tfDrawn;
  root.replaceChildren();
  if (!tf) {
    root.append(h("p", { class: "fy-muted" }, "No machine is managed by terranix: tick “Managed by terranix” on a NixOS machine to see the Terraform JSON."));
    return;
  }
  root.append(h("p", { class: "fy-help" }, "What ", h("code", {}, "nix run .#terraform"), " renders from modules/terranix (config.tf.json):"));
  const box = h("div", { class: "fy-tf" });
  root.append(box);
  const draw = (cm: NonNullable<ReturnType<typeof codemirror>>): void => {
    box.replaceChildren();
    tfView = cm.readOnlyView(box, "config.tf.json", tf, "Terraform JSON");
  };
  const cm = codemirror();
  if (cm) {
    draw(cm);
    return;
  }
  // Plain until CodeMirror is in (the panel can be opened before the page loaded it).
  box.append(h("pre", { class: "fy-plain-pre" }, tf));
  loadCodeMirror().then(
    (m) => {
      if (n === tfDrawn) draw(m);
    },
    () => undefined,
  );
}
