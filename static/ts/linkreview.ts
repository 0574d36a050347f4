// What a share link would change that grants access or runs code, compared
// with the fleet it replaces, and the dialog that asks before replacing it.
// A link is just a spec, so it can add an admin (who decrypts every secret),
// recipients of secrets, vars generator scripts (run by whoever generates
// the vars), flake inputs (code that is evaluated and built) and deploy
// targets (where clan sends a machine's secrets). Opening one over existing
// work must not adopt those silently.
import { h } from "./dom";
import { isObj, str, strs, type Json, type Obj } from "./model";

/** One thing an incoming spec adds that grants access or runs code. */
export interface Finding {
  kind: "admin" | "wheel" | "recipient" | "script" | "input" | "deploy";
  /** Plain sentence, e.g. "Makes mallory an admin". */
  title: string;
  /** What it means, or the value it brings (a key, a URL, a script). */
  detail: string;
  /** Multi-line text (a script) shown in a <pre>. */
  code?: string;
}

/**
 * Lists what `incoming` grants or runs that `current` does not. current may
 * be null (it did not parse); then everything in incoming counts as new.
 */
export function reviewLink(current: Obj | null, incoming: Obj): Finding[] {
  const out: Finding[] = [];
  const cur = current ?? {};

  // Admins: a new name, or new keys for an existing one.
  const curAdmins = new Map(objs(cur.admins).map((a) => [str(a.name), keysOf(a)]));
  for (const a of objs(incoming.admins)) {
    const name = str(a.name) || "(unnamed)";
    const had = curAdmins.get(str(a.name));
    const added = [...keysOf(a)].filter((k) => !had?.has(k));
    if (!had) out.push({ kind: "admin", title: `Makes ${name} an admin`, detail: `Admins can decrypt every secret of the fleet${added.length ? `; keys: ${added.map(shortKey).join(", ")}` : ""}.` });
    else if (added.length) out.push({ kind: "admin", title: `Gives admin ${name} new keys`, detail: `These keys could decrypt every secret: ${added.map(shortKey).join(", ")}.` });
  }

  // Users who become admins (wheel, sudo, trusted Nix user).
  const curWheel = new Set(objs(cur.users).filter((u) => u.admin === true).map((u) => str(u.name)));
  for (const u of objs(incoming.users)) {
    if (u.admin === true && !curWheel.has(str(u.name))) {
      const on = strs(u.machines);
      out.push({ kind: "wheel", title: `Makes user ${str(u.name) || "(unnamed)"} an administrator`, detail: `wheel, sudo and trusted Nix user${on.length ? ` on ${on.join(", ")}` : ""}.` });
    }
  }

  // New recipients, per principal: a key a user (or machine) does not have
  // now, even if someone else in the fleet has it, reads that user's (or
  // machine's) secrets.
  const curUserKeys = new Map(objs(cur.users).map((u) => [str(u.name), keysOf(u)]));
  for (const u of objs(incoming.users)) {
    const had = curUserKeys.get(str(u.name));
    const added = [...keysOf(u)].filter((k) => !had?.has(k));
    if (added.length) out.push({ kind: "recipient", title: `Adds ${added.length === 1 ? "a key" : `${added.length} keys`} for user ${str(u.name) || "(unnamed)"}`, detail: `Logs in and decrypts that user's secrets: ${added.map(shortKey).join(", ")}.` });
  }
  const curHostKeys = new Map(objs(cur.machines).map((m) => [str(m.name), normKey(str(m.hostKey))]));
  for (const m of objs(incoming.machines)) {
    const k = normKey(str(m.hostKey));
    if (k && curHostKeys.get(str(m.name)) !== k) {
      out.push({ kind: "recipient", title: `Sets the host key of ${str(m.name) || "(unnamed)"}`, detail: `That key decrypts the machine's secrets: ${shortKey(k)}.` });
    }
  }

  // Deploy targets: where `clan machines update` connects (and sends secrets).
  const curTargets = new Map(objs(cur.machines).map((m) => [str(m.name), str(m.targetHost)]));
  for (const m of objs(incoming.machines)) {
    const t = str(m.targetHost);
    if (t && curTargets.get(str(m.name)) !== t) out.push({ kind: "deploy", title: `Deploys ${str(m.name) || "(unnamed)"} to ${t}`, detail: "clan connects there to install the machine and its secrets." });
  }

  // Vars generator scripts: new, or changed under the same name.
  const curScripts = new Map(objs(cur.vars).map((v) => [str(v.name), str(v.script)]));
  for (const v of objs(incoming.vars)) {
    const s = str(v.script);
    if (s && curScripts.get(str(v.name)) !== s) {
      out.push({ kind: "script", title: `Runs the vars generator script ${str(v.name) || "(unnamed)"}`, detail: "It runs on the machine of whoever runs clan vars generate.", code: firstLines(s, 8) });
    }
  }

  // Flake inputs: code fetched, evaluated and built.
  const curInputs = new Map(objs(obj(cur.overlays)?.flakeOverlays).map((f) => [str(f.input), str(f.url)]));
  for (const f of objs(obj(incoming.overlays)?.flakeOverlays)) {
    const u = str(f.url);
    if (u && curInputs.get(str(f.input)) !== u) out.push({ kind: "input", title: `Adds the flake input ${str(f.input) || "(unnamed)"}`, detail: `${u}: its code is evaluated and built with the fleet.` });
  }
  return out;
}

/**
 * Asks whether to replace the current fleet with a link's. Resolves true to
 * open the link, false to keep the current fleet (also on Escape).
 */
export function askReplace(findings: Finding[], linkName: string, currentName: string): Promise<boolean> {
  return new Promise((resolve) => {
    const items = findings.map((f) => h("li", { class: `fy-finding fy-finding-${f.kind}` }, h("strong", {}, f.title), " ", h("span", {}, f.detail), f.code ? h("pre", { class: "fy-finding-code" }, f.code) : null));
    const open = h("button", { type: "button", class: "fy-btn", id: "fy-link-open", value: "open" }, "Open the link's fleet");
    const keep = h("button", { type: "button", class: "fy-btn fy-btn-primary", id: "fy-link-keep", value: "keep" }, "Keep my fleet");
    const dlg = h(
      "dialog",
      { class: "fy-dialog", id: "fy-link-review", "aria-labelledby": "fy-link-review-title", "aria-describedby": "fy-link-review-intro" },
      h("h2", { id: "fy-link-review-title" }, "This link grants access or runs code"),
      h(
        "p",
        { id: "fy-link-review-intro" },
        "The link holds the fleet ",
        h("strong", {}, linkName),
        ". Opening it replaces your fleet ",
        h("strong", {}, currentName),
        " (which stays under Restore previous). Compared with yours, it:",
      ),
      h("ul", { class: "fy-findings" }, ...items),
      h("p", { class: "fy-help fy-small" }, "Open it only if you trust whoever sent it. Nothing is generated or downloaded until you choose."),
      h("div", { class: "fy-dialog-actions" }, keep, open),
    );
    const done = (yes: boolean): void => {
      dlg.close();
      dlg.remove();
      resolve(yes);
    };
    open.addEventListener("click", () => done(true));
    keep.addEventListener("click", () => done(false));
    dlg.addEventListener("cancel", (ev) => {
      ev.preventDefault();
      done(false);
    });
    document.body.append(dlg);
    dlg.showModal();
    keep.focus();
  });
}

function obj(v: Json | undefined): Obj | null {
  return isObj(v) ? v : null;
}

function objs(v: Json | undefined): Obj[] {
  return Array.isArray(v) ? v.flatMap((x) => (obj(x) ? [x as Obj] : [])) : [];
}

/** An SSH key as "type base64" (the comment does not change who can decrypt); an age key as is. */
function normKey(k: string): string {
  return k.trim().split(/\s+/).slice(0, 2).join(" ");
}

function keysOf(o: Obj): Set<string> {
  return new Set([...strs(o.sshKeys), ...strs(o.ageKeys)].map(normKey).filter(Boolean));
}

/** "ssh-ed25519 …Xk3q" or "age1…q8z": enough to recognise, short enough to read. */
function shortKey(k: string): string {
  const [type, body] = k.split(" ");
  if (body) return `${type} …${body.slice(-8)}`;
  return k.length > 16 ? `${k.slice(0, 8)}…${k.slice(-6)}` : k;
}

function firstLines(s: string, n: number): string {
  const lines = s.split("\n");
  return lines.length > n ? [...lines.slice(0, n), `… (${lines.length - n} more lines)`].join("\n") : s;
}
