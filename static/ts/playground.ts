// The playground page: wires the spec model, the two editors, the worker,
// the file tree/preview, the panels, export, share, autosave and import,
// inside the full-viewport layout of layout.ts.
// boot.ts comes first: it starts the worker and the first request before
// the rest of this bundle is evaluated.
import { AUTOSAVE, client, prerenderedJSON, schemaJSON, SCHEMA_URL, session, takeEarly } from "./boot";
import { Restarted, Superseded, TimedOut, type LoadState } from "./client";
import { $, debounce, dismissable, h } from "./dom";
import { SpecForm } from "./form";
import { FleetHistory, fleetName, historyMenu } from "./history";
import { Layout, phone } from "./layout";
import { askReplace, reviewLink } from "./linkreview";
import { formatJSON, SpecModel, type Json, type Obj } from "./model";
import { dismiss as dismissNotice, notify as notice, type NoticeKind } from "./notices";
import { emptyPreview, OutputState, type Output } from "./outputstate";
import { SpecEditor } from "./editor";
import { FilesView, formatSize } from "./files";
import { DetailPanels, renderDiagnostics } from "./panels";
import type { Diagnostic, FileOut, GenerateResult } from "./protocol";
import { readRepoSpec, updateCommand } from "./reshape";
import { FleetSchema } from "./schema";
import { containsPrivate, guardFields, privateRefusal } from "./secret";
import { sha256Hex, shellQuote } from "./session";
import { tabs } from "./tabs";

// CodeMirror (four fifths of the page's JavaScript) is not imported here:
// editor.ts and files.ts load it through lazycm.ts once the first preview
// is on screen, or when the reader opens the JSON editor or a diff first.

const MAX_IMPORT = 4 << 20;
/** How long the first spec waits for the schema before the form is built without it. */
const SCHEMA_WAIT_MS = 300;

interface Example {
  name: string;
  title: string;
  spec: Json;
}

performance.mark("fy-module-start");
const root = $("#fy-pg");
const model = new SpecModel();
let generation = 0;
let lastResult: GenerateResult | null = null;
let sharedText: string | null = null;
/** Whether the automatic retry after a timeout has been spent (reset by a result or by Retry). */
let retried = false;
/** Why the last generation produced nothing (a timeout, twice): shown in the header with Retry. */
let trouble: string | null = null;
const fleetHistory = new FleetHistory(storage());

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // disabled storage: no autosave and no history, the page still works
  }
}

/** "Update my repo": the repository's spec (the starting point) and its generation's file IDs. */
let repoBase: { text: string; source: string; ids: Map<string, string> } | null = null;

// ---- notices ----

/** The key of the notices saying what replaced the fleet. */
const REPLACED = "fleet-replaced";
/** The key of the notice offering to undo a removal in the form. */
const REMOVED = "form-removed";

/**
 * A notice in the one notice area (notices.ts); the same text is never
 * shown twice. Notices given one key replace each other: the fleet
 * replaced by an example, an import, a link or a restore is one message.
 */
function notify(msg: string | Node, kind: NoticeKind = "info", actions: [string, () => void][] = [], key = typeof msg === "string" ? msg : (msg.textContent ?? "")): HTMLElement {
  return notice(
    kind,
    key,
    msg,
    actions.map(([label, run]) => ({ label, run })),
  );
}

// ---- worker & loading state ----

const { worker: workerURL, wasm: wasmURL } = document.body.dataset;
// boot.ts started the worker before anything else was built, so the wasm
// download and compile overlap with building the editors and the form:
// started from start() at the end of this module, the worker began about
// 1.4 s into a cold load. start() registers the state listener, which is
// handed the state so far.

/**
 * The header's loading line. "Generator ready" is only said once a result
 * is in: a ready worker with nothing generated yet is still "Generating",
 * and one whose requests timed out says so with a Retry button.
 */
function showLoad(s: LoadState): void {
  const text = $("#fy-load-text");
  const prog = $("#fy-load-progress") as HTMLProgressElement;
  const retry = $("#fy-retry");
  retry.hidden = true;
  prog.hidden = true;
  root.dataset.state = s.phase;
  switch (s.phase) {
    case "idle":
    case "fetching": {
      const pct = s.phase === "fetching" && s.total > 0 ? Math.min(99, Math.floor((s.loaded / s.total) * 100)) : null;
      text.textContent = pct === null ? "Downloading the generator…" : `Downloading the generator… ${pct}%`;
      prog.hidden = false;
      if (pct === null) prog.removeAttribute("value");
      else prog.value = pct;
      break;
    }
    case "compiling":
      text.textContent = "Starting the generator…";
      prog.hidden = false;
      prog.removeAttribute("value");
      break;
    case "ready":
      if (trouble !== null) {
        root.dataset.state = "stuck";
        text.textContent = trouble;
        retry.hidden = false;
      } else if (generation === 0 && model.text.trim() !== "") {
        root.dataset.state = "generating";
        text.textContent = "Generating your files…";
        prog.hidden = false;
        prog.removeAttribute("value");
      } else if (generation === 0) {
        // A share link being opened or reviewed: nothing to generate yet.
        root.dataset.state = "waiting";
        text.textContent = "Generator loaded; waiting for a spec";
      } else text.textContent = "Generator ready";
      break;
    case "failed":
      text.textContent = `The generator failed: ${s.error}`;
      retry.hidden = false;
      break;
    case "unsupported":
      text.textContent = s.error;
      break;
  }
  // The status's slot is narrow and ends in an ellipsis when the toolbar is
  // full ("Generator re…"): the whole text on hover.
  text.title = text.textContent ?? "";
  // Nothing generated and no generator: the panes say so instead of waiting.
  if (output.current.kind === "pending") {
    if (s.phase === "failed") output.set({ kind: "failed", error: s.error, retry: true });
    if (s.phase === "unsupported") output.set({ kind: "unsupported", error: s.error });
  }
}

// ---- editors ----

const editor = new SpecEditor({
  parent: $("#fy-panel-json"),
  text: "",
  label: "fleet.json",
  // Behind the Form tab at first: built when shown, or once the page is idle after the first preview.
  lazy: true,
  onChange: (text) => model.setText(text, "editor"),
  onRefused: () => notify(privateRefusal, "error"),
});
// A removal in the form can be undone from its notice until the spec
// changes again (undoing later would drop the edits made since).
const form = new SpecForm($("#fy-panel-form"), model, client, (message, undo) => {
  const after = model.text;
  notify(message, "info", [["Undo", () => model.text === after && undo()]], REMOVED);
});
// Any change closes it: the removal's own comes before the notice.
model.onChange(() => dismissNotice(REMOVED));
const layout = new Layout(root);
// The output state (output, below) as the empty preview describes it.
let shownOutput: Output = { kind: "pending" };
/** The generation the status line describes (showStatus). */
let statusOf: GenerateResult | null = null;
const files = new FilesView($("#fy-files"), $("#fy-preview"), {
  // On a phone, picking a file means wanting to read it.
  onSelect: () => {
    if (phone.matches) layout.show("preview");
  },
  wrap: () => phone.matches,
  empty: () => emptyPreview(shownOutput),
  // "14 changed since load" must follow "Changes since" at once, not at
  // the next generation.
  onBaseline: () => {
    if (statusOf && root.dataset.ok === "true") showStatus(statusOf);
  },
});
phone.addEventListener("change", () => files.renderPreview(true));
const output = new OutputState({
  root,
  pane: $("#fy-preview"),
  downloads: ["#fy-export-tar", "#fy-export-zip"].map((id) => $(id) as HTMLButtonElement),
  // Beside the details' status line, not in the toolbar: a reason that
  // comes and goes there would wrap the toolbar and move every pane.
  whyParent: $("#fy-status").parentElement ?? root,
  // An empty preview says why there are no files, which depends on the state.
  onChange: (out) => {
    shownOutput = out;
    if (!files.hasFiles) files.renderPreview(true);
  },
});
// Every text field of the page (the form's, the key fields, the share
// link box) refuses private key material before its own handler runs.
guardFields(root, () => notify(privateRefusal, "error"));
model.onRefused((source) => {
  // A door before the model missed it (the editor only checks around an
  // edit): put the editor back to the model's text, which never held it.
  if (source === "editor") editor.setText(model.text);
  notify(privateRefusal, "error");
});
tabs($('.fy-pane-edit [role="tablist"]'), (id) => {
  // The hidden one of the two catches up when it is shown, not on every keystroke in the other.
  editor.setVisible(id === "fy-tab-json");
  form.setVisible(id === "fy-tab-form");
});
const details = new DetailPanels({ access: $("#fy-panel-access"), picture: $("#fy-panel-picture"), tf: $("#fy-panel-tf") });
const showDetail = tabs($('.fy-pg-bottom [role="tablist"]'), (id) => details.show(id));

model.onChange((c) => {
  if (c.source !== "editor") editor.setText(c.text);
  // A loaded spec (example, import, link, restore) is the new "since load" baseline.
  if (c.source === "load") files.resetLoadBaseline();
  syncExampleMenu();
  if (sharedText !== null && c.text !== sharedText) {
    // The link in the address bar no longer describes the spec.
    sharedText = null;
    history.replaceState(null, "", location.pathname + location.search);
  }
  autosave(c.text);
  scheduleGenerate();
  if (generation === 0) showLoad(client.state); // "waiting for a spec" becomes "Generating…"
});

const autosave = debounce((text: string) => {
  if (containsPrivate(text)) return; // never reached: the model refuses it
  try {
    localStorage.setItem(AUTOSAVE, text);
  } catch {
    // Storage full or disabled: the spec stays in the editor.
  }
}, 250);

/** The spec for a download or a link: null (and a refusal) if it holds private material, which the model never lets in. */
function outgoingSpec(): string | null {
  if (!containsPrivate(model.text)) return model.text;
  notify(privateRefusal, "error");
  return null;
}

// ---- generation ----

// No debounce: the worker drops superseded requests (latest wins), so the
// only coalescing needed is of edits made in the same task. A microtask,
// not a timer: the request leaves as soon as the handler of the keystroke
// returns, where a setTimeout(0) waited behind the frame the keystroke
// paints (20-35 ms on the large example).
let queued = false;
function scheduleGenerate(): void {
  if (queued) return;
  queued = true;
  queueMicrotask(() => {
    queued = false;
    void generate();
  });
}

async function generate(): Promise<void> {
  const text = model.text;
  if (!text.trim()) {
    showEmpty();
    return;
  }
  const t0 = performance.now();
  try {
    // The first generation was usually asked for by boot.ts already.
    const { result, ms } = await (takeEarly(text) ?? client.request("generate", { spec: text, entropy: session.entropy, time: session.time }));
    apply(result, text, ms, performance.now() - t0);
  } catch (e) {
    if (e instanceof Superseded) return;
    if (e instanceof Restarted) {
      // Another request's timeout (or Retry) restarted the worker under this
      // one: ask again once the new worker is up.
      scheduleGenerate();
      return;
    }
    if (e instanceof TimedOut && !retried) {
      retried = true;
      $("#fy-status").textContent = `The generator took longer than ${e.seconds} s; it was restarted and is trying once more…`;
      scheduleGenerate();
      return;
    }
    const msg = e instanceof TimedOut ? `the generator took longer than ${e.seconds} s twice` : e instanceof Error ? e.message : String(e);
    if (e instanceof TimedOut) {
      trouble = `The generator took longer than ${e.seconds} s twice and was stopped. Press Retry to try again.`;
      showLoad(client.state);
      if (output.current.kind === "prerendered") output.set({ kind: "prerendered", stuck: true });
    }
    $("#fy-status").textContent = `Not generated: ${msg}`;
    // Whatever is shown stays, marked: no output at all gets a message.
    // Retry cannot help a browser that has no WebAssembly or workers.
    if (generation === 0 && output.current.kind !== "prerendered") output.set(client.state.phase === "unsupported" ? { kind: "unsupported", error: msg } : { kind: "failed", error: msg, retry: true });
    else if (output.current.kind === "fresh" || output.current.kind === "stale") output.set({ kind: "stale", errors: 0, error: msg });
    setExportEnabled();
  }
}

/** Deleting the whole spec leaves no files and no downloads behind. */
function showEmpty(): void {
  files.reset();
  lastResult = null;
  // The old diagnostics were about a spec that is gone.
  editor.setDiagnostics([], model.text);
  form.markDiagnostics([]);
  $("#fy-diag-count").textContent = "0";
  $("#fy-tab-diags").classList.remove("fy-has-errors");
  $("#fy-panel-diags").replaceChildren(h("p", { class: "fy-muted" }, "The spec is empty: nothing to check."));
  shownDiags = "";
  output.set({ kind: "empty" });
  setExportEnabled();
  $("#fy-status").textContent = "The spec is empty.";
  root.dataset.ok = "false";
}

/** The diagnostics the Diagnostics panel shows, as JSON ("": the panel shows something else). */
let shownDiags = "";

function apply(r: GenerateResult, text: string, ms: number, roundTrip: number): void {
  // The first real result replaces the pre-rendered placeholder without
  // taking it as the diff baseline (its secret stubs differ by entropy): it
  // becomes the "since load" baseline itself. The tree's rows, the chosen
  // file and its preview stay (updated in place, not built again: the
  // preview's CodeMirror costs 100-150 ms to build on a cold page). A
  // baseline other than "since load" (a pin of the placeholder) is dropped.
  if (output.current.kind === "prerendered" && r.ok) {
    if (files.compareWith === "load") files.resetLoadBaseline();
    else files.reset();
  }
  generation++;
  root.dataset.generation = String(generation);
  retried = false;
  trouble = null;
  showLoad(client.state);
  lastResult = r;
  editor.setDiagnostics(r.diagnostics, text);
  form.markDiagnostics(r.diagnostics);
  const errors = r.diagnostics.filter((d) => d.severity === "error").length;
  const count = String(r.diagnostics.length + (r.error ? 1 : 0));
  $("#fy-diag-count").textContent = count;
  $("#fy-tab-diags").classList.toggle("fy-has-errors", errors > 0 || !!r.error);
  // The phone's Details tab says there are problems too.
  $("#fy-ptab-count").textContent = count;
  $("#fy-ptab-count").hidden = count === "0";
  $("#fy-ptab-details").classList.toggle("fy-has-errors", errors > 0 || !!r.error);
  // Drawn again only when they changed (a keystroke of a valid spec has none before and after).
  const diagKey = JSON.stringify([r.diagnostics, r.error ?? null]);
  if (diagKey !== shownDiags) {
    shownDiags = diagKey;
    renderDiagnostics($("#fy-panel-diags"), r.diagnostics, r.error, reveal);
  }
  if (r.ok) output.set({ kind: "fresh" });
  else if (output.current.kind === "fresh" || output.current.kind === "stale") output.set({ kind: "stale", errors, ...(r.error ? { error: r.error } : {}) });
  else if (output.current.kind !== "prerendered") output.set({ kind: "failed", error: r.error ?? `the spec has ${errors} error${errors === 1 ? "" : "s"}`, retry: false });
  setExportEnabled();
  if (r.ok) {
    files.update(r.files);
    details.update(r);
    refreshReproduce();
    lastMs = ms;
    showStatus(r);
    $("#fy-status").title = `generate ${ms.toFixed(1)} ms in the worker, ${roundTrip.toFixed(1)} ms round trip`;
    if (!performance.getEntriesByName("fy-first-preview").length) {
      performance.mark("fy-first-preview");
      markPainted("fy-first-preview-painted");
      // Now CodeMirror: the editor's view is built behind the form tab,
      // and the preview's plain text gets its colours.
      whenIdle(() => editor.warm());
    }
    if (repoBase) renderUpdatePanel(r);
  } else {
    const what = r.error ? "generation failed" : `${errors} error${errors === 1 ? "" : "s"} in the spec`;
    $("#fy-status").textContent = `Not generated: ${what}; showing the last good output.`;
    showDetail("fy-tab-diags");
  }
  root.dataset.ok = String(r.ok);
  // Settled: the manifest is this generation's (else settleManifest says when).
  if (!r.manifestLater) root.dataset.settled = String(generation);
}

/** The worker's time for the generation on screen (the status line's figure). */
let lastMs = 0;
function showStatus(r: GenerateResult): void {
  statusOf = r;
  $("#fy-status").textContent = `${r.files.length} files, ${files.changedCount()} changed ${files.baselineWords()}, ${lastMs.toFixed(lastMs < 10 ? 1 : 0)} ms`;
}

/**
 * The manifest the last generation left for later (wasm/stream.go settle),
 * built by the worker once no keystroke was waiting: only
 * .fleetyard/generated.json changes, in the tree and the preview.
 */
function settleManifest(r: GenerateResult): void {
  if (!r.ok || !lastResult?.ok) return;
  lastResult = r;
  files.settle(r.files);
  showStatus(r);
  root.dataset.settled = String(generation);
}
client.onSettled("generate", settleManifest);

function reveal(d: Diagnostic): void {
  if (phone.matches) layout.show("edit", false);
  // From the form, to the field that already shows the message; to the
  // JSON text where the form has no field of that path.
  if (d.path && form.reveal(d.path)) return;
  ($("#fy-tab-json") as HTMLButtonElement).click();
  editor.reveal(d.line, d.col);
}

// ---- loading specs ----

/** Where the spec came from, when it is no example: the example menu says it. */
let origin: { label: string; text: string } | null = null;

function load(text: string, from?: string): boolean {
  const ok = model.setText(text, "load");
  if (ok) origin = from ? { label: from, text } : null;
  syncExampleMenu();
  return ok;
}

/**
 * Replaces the spec with text from outside (an example, an import, a link,
 * a saved fleet), first saving the current spec in the history so it can be
 * restored; from is what the example menu calls it. Returns false (nothing
 * replaced) for private material.
 */
async function replaceSpec(text: string, reason: string, from?: string): Promise<boolean> {
  if (containsPrivate(text)) {
    notify(privateRefusal, "error");
    return false;
  }
  const cur = model.text;
  if (cur.trim() !== "" && cur !== text) await fleetHistory.save(cur, reason);
  const ok = load(text, from);
  historyUI?.refresh();
  return ok;
}

/**
 * The example menu shows the example the spec is, else where it came from
 * ("Imported fleet.json", "Custom"): never an example the spec no longer is.
 */
function syncExampleMenu(): void {
  const sel = document.getElementById("fy-example");
  if (!(sel instanceof HTMLSelectElement) || sel.options.length === 0) return;
  // Runs on every keystroke: examples() and exampleText() are computed once.
  const match = examples().find((e) => exampleText(e) === model.text);
  const first = sel.options[0]!;
  const label = match ? "Choose…" : origin ? origin.label + (origin.text === model.text ? "" : " (edited)") : "Custom";
  if (first.textContent !== label) first.textContent = label;
  const want = match?.name ?? "";
  if (sel.value !== want) sel.value = want;
}

let gallery: Example[] | null = null;

function examples(): Example[] {
  if (gallery) return gallery;
  try {
    const raw = document.getElementById("fy-examples")?.textContent ?? "[]";
    const v = JSON.parse(raw) as unknown;
    gallery = Array.isArray(v) ? (v as Example[]) : [];
  } catch {
    gallery = [];
  }
  return gallery;
}

const exampleTexts = new WeakMap<Example, string>();

function exampleText(e: Example): string {
  let t = exampleTexts.get(e);
  if (t === undefined) {
    t = formatJSON(e.spec) + "\n";
    exampleTexts.set(e, t);
  }
  return t;
}

async function importText(text: string, name: string): Promise<void> {
  if (containsPrivate(text)) {
    notify(privateRefusal, "error");
    return;
  }
  // JSON that is plainly something else (a package.json, a list) is
  // refused and the fleet kept; text that does not parse is taken, since
  // it may be a fleet with a typo to fix in the editor, but said so.
  const shape = specShape(text);
  if (shape === "other") {
    notify(`${name} is not a fleet spec: it has no "machines", "admins" or "version": 1 at its top level. Your fleet is unchanged.`, "error");
    return;
  }
  if (!(await replaceSpec(text, `before importing ${name}`, `Imported ${name}`))) return;
  if (shape === "invalid") notify(`Imported ${name}, but it is not valid JSON: the diagnostics say where. The fleet it replaced is under Restore previous.`, "warn", [], REPLACED);
  else notify(`Imported ${name}. The fleet it replaced is under Restore previous.`, "info", [], REPLACED);
}

/** What imported text looks like: a fleet spec, JSON of another kind, or not JSON at all. */
function specShape(text: string): "fleet" | "other" | "invalid" {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return "invalid";
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return "other";
  // A package.json has a "version" too, but not the number 1.
  const o = v as Record<string, unknown>;
  return "machines" in o || "admins" in o || o["version"] === 1 ? "fleet" : "other";
}

async function importFile(f: File): Promise<void> {
  // A repository's tarball can only mean "update my repo": it is not a spec.
  if (/\.(tar\.gz|tgz)$/i.test(f.name)) {
    await startUpdate(f);
    return;
  }
  if (f.size > MAX_IMPORT) {
    notify(`${f.name} is ${formatSize(f.size)}; the playground opens specs up to 4 MiB.`, "error");
    return;
  }
  await importText(await f.text(), f.name);
}

// ---- export & share ----

function specName(): string {
  const n = model.value?.name;
  return typeof n === "string" && /^[a-z][a-z0-9-]*$/.test(n) ? n : "fleet";
}

/** Syncs the buttons that depend on the output and the spec (the archives' own state is OutputState's). */
function setExportEnabled(): void {
  ($("#fy-export-changes") as HTMLButtonElement).disabled = !output.exportable || repoBase === null;
  const empty = model.text.trim() === "";
  for (const id of ["#fy-share", "#fy-export-json"]) {
    const b = $(id) as HTMLButtonElement;
    b.disabled = empty;
    b.title = empty ? "The spec is empty." : "";
  }
}

// ---- update my repo ----

/** What `fleetyard update` may write: not secrets/ or vars/, not the manifest (mirrors gen/update.Changes). */
function updatable(path: string): boolean {
  return !path.startsWith("secrets/") && !path.startsWith("vars/") && path !== ".fleetyard/generated.json";
}

/** Paths the current generation adds, changes or drops relative to the starting point. */
function changedSinceBase(r: GenerateResult): string[] {
  if (!repoBase) return [];
  const now = new Set<string>();
  const out: string[] = [];
  for (const f of r.files) {
    if (!updatable(f.path)) continue;
    now.add(f.path);
    if (repoBase.ids.get(f.path) !== f.id) out.push(f.path);
  }
  for (const p of repoBase.ids.keys()) if (!now.has(p)) out.push(p);
  return out.sort();
}

function changesRoot(): string {
  return `${specName()}-changes`;
}

function renderUpdatePanel(r: GenerateResult | null, last?: { name: string; size: number; sha: string }): void {
  const out = $("#fy-update-out");
  if (!repoBase) {
    out.hidden = true;
    out.replaceChildren();
    return;
  }
  const changed = r ? changedSinceBase(r) : [];
  out.hidden = false;
  out.replaceChildren(
    h(
      "div",
      { class: "fy-notice fy-update", id: "fy-update-panel" },
      h(
        "p",
        { class: "fy-notice-msg" },
        h("strong", {}, "Updating your repository. "),
        `Starting point: ${repoBase.source}. `,
        h("span", { id: "fy-update-count" }, `${changed.length} file${changed.length === 1 ? "" : "s"} differ from it`),
        changed.length ? ` (${changed.slice(0, 4).join(", ")}${changed.length > 4 ? ", …" : ""}).` : ". Edit the fleet to reshape it.",
      ),
      last
        ? h(
            "p",
            { class: "fy-export-result", id: "fy-update-result" },
            h("span", { "aria-hidden": "true" }, "⬇ "),
            h("strong", {}, last.name),
            ` · ${formatSize(last.size)} · SHA-256 `,
            h("code", { class: "fy-sha" }, last.sha),
          )
        : "",
      h("p", {}, "Download changes, unpack it next to your repository and run, in a clean git work tree (add -n first to preview):"),
      h("pre", { class: "fy-cmd", id: "fy-update-cmd" }, updateCommand(changesRoot(), "path/to/your/repo")),
      h("p", { class: "fy-help fy-small" }, "The update merges your own edits to the generated files, which never leave your machine; the download is for review, not for copying over."),
      h(
        "button",
        {
          type: "button",
          class: "fy-btn fy-btn-small",
          onclick: () => {
            repoBase = null;
            ($("#fy-export-changes") as HTMLButtonElement).hidden = true;
            renderUpdatePanel(null);
          },
        },
        "Stop updating",
      ),
    ),
  );
}

async function startUpdate(f: File): Promise<void> {
  if (f.size > 64 * MAX_IMPORT) {
    notify(`${f.name} is ${formatSize(f.size)}; that is larger than a Fleetyard repository should be.`, "error");
    return;
  }
  try {
    const { text, source } = await readRepoSpec(f);
    if (containsPrivate(text)) {
      notify(privateRefusal, "error");
      return;
    }
    const { result } = await client.request("generate", { spec: text, entropy: session.entropy, time: session.time }, "base");
    if (!result.ok) {
      notify(`${source} does not generate (${result.error ?? "the spec has errors"}); it cannot be a starting point. Import it instead to see the diagnostics.`, "error");
      return;
    }
    repoBase = { text, source, ids: new Map(result.files.filter((x) => updatable(x.path)).map((x) => [x.path, x.id])) };
    ($("#fy-export-changes") as HTMLButtonElement).hidden = false;
    await replaceSpec(text, `before updating ${source}`);
    renderUpdatePanel(lastResult);
  } catch (e) {
    if (!(e instanceof Superseded)) notify(`Could not read ${f.name}: ${e instanceof Error ? e.message : String(e)}`, "error");
  }
}

async function exportChanges(): Promise<void> {
  if (!repoBase) return;
  const spec = outgoingSpec();
  if (spec === null) return;
  const btn = $("#fy-export-changes") as HTMLButtonElement;
  const name = `${changesRoot()}.zip`;
  const done = busy(btn);
  try {
    const { result } = await client.request("changes", { spec, base: repoBase.text, entropy: session.entropy, time: session.time }, "archive");
    download(result, name, "application/zip");
    renderUpdatePanel(lastResult, { name, size: result.byteLength, sha: await sha256Hex(result) });
  } catch (e) {
    if (!(e instanceof Superseded)) notify(`Download failed: ${e instanceof Error ? e.message : String(e)}`, "error");
  } finally {
    done();
  }
}

function downloadSpec(): void {
  const spec = outgoingSpec();
  if (spec !== null && spec.trim()) download(spec, "fleet.json", "application/json");
}

function download(data: BlobPart, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Before any download, the command names the file a download would get now (the fleet's name changes). */
function refreshReproduce(): void {
  const cmd = document.getElementById("fy-reproduce-cmd");
  if (cmd && !document.getElementById("fy-export-result")) cmd.textContent = reproduceCommand("tar.gz");
}

function reproduceCommand(format: "tar.gz" | "zip"): string {
  const flag = format === "tar.gz" ? "--tar" : "--zip";
  return `fleetyard gen ${flag} --entropy ${session.entropy} --time ${session.time} fleet.json > ${shellQuote(specName())}.${format}`;
}

function renderExportPanel(last?: { name: string; size: number; sha: string }): void {
  const out = $("#fy-export-out");
  // Redrawn after each download: the reader who opened the CLI command
  // keeps it open.
  const wasOpen = (document.getElementById("fy-reproduce") as HTMLDetailsElement | null)?.open ?? false;
  const cmd = h("code", { id: "fy-reproduce-cmd" }, reproduceCommand(last?.name.endsWith(".zip") ? "zip" : "tar.gz"));
  out.replaceChildren(
    last
      ? h(
          "p",
          { class: "fy-export-result", id: "fy-export-result" },
          h("span", { "aria-hidden": "true" }, "⬇ "),
          h("strong", {}, last.name),
          ` · ${formatSize(last.size)} · SHA-256 `,
          h("code", { class: "fy-sha", id: "fy-export-sha" }, last.sha),
        )
      : h("p", { class: "fy-hint", id: "fy-export-none" }, "Download the repository with “Download .tar.gz” or “.zip” at the top: its file name and SHA-256 show here."),
    h(
      "p",
      { class: "fy-hint", id: "fy-export-regen" },
      "Regenerating over an existing checkout? Do not unpack over it: run ",
      h("code", {}, "fleetyard update"),
      " (or ",
      h("code", {}, "fleetyard gen -o"),
      ") there, which removes the files the fleet no longer needs and prints the ",
      h("code", {}, "sops updatekeys"),
      " / ",
      h("code", {}, "sops rotate"),
      " commands for secrets whose readers changed.",
    ),
    h(
      "details",
      { class: "fy-reproduce", id: "fy-reproduce", open: wasOpen, "data-entropy": session.entropy, "data-time": session.time },
      h("summary", {}, "Reproduce with the CLI"),
      h("p", {}, "Save the spec as fleet.json (the fleet.json button), then run:"),
      h("pre", { class: "fy-cmd" }, cmd),
      h(
        "p",
        { class: "fy-warn" },
        h("strong", {}, "Keep this entropy private. "),
        "It seeds the keys of the encrypted secret stubs in your download: anyone who has it can decrypt them. It is made fresh for this browser tab and is never saved, sent, or put in a share link.",
      ),
    ),
  );
}

/**
 * Marks btn busy until the returned function is called. The first download
 * or share link waits for the full wasm module (see WorkerClient.full): the
 * button then says "Preparing…" instead of looking frozen.
 */
function busy(btn: HTMLElement): () => void {
  // The label's nodes, not its text: "Share<span class=fy-long> link</span>"
  // flattened to text would show its long form on phones from then on.
  const label = Array.from(btn.childNodes);
  btn.setAttribute("aria-busy", "true");
  if (client.full() !== null && client.full()?.state.phase !== "ready") btn.textContent = "Preparing…";
  return () => {
    btn.removeAttribute("aria-busy");
    btn.replaceChildren(...label);
  };
}

async function exportArchive(format: "tar.gz" | "zip"): Promise<void> {
  const spec = outgoingSpec();
  if (spec === null || !output.exportable) return;
  const btn = $(format === "tar.gz" ? "#fy-export-tar" : "#fy-export-zip") as HTMLButtonElement;
  // Named for the spec it holds: the answer may come after more edits (the
  // first download waits for the full module).
  const name = `${specName()}.${format}`;
  const done = busy(btn);
  try {
    const { result } = await client.request("archive", { spec, entropy: session.entropy, time: session.time, format }, "archive");
    const sha = await sha256Hex(result);
    download(result, name, format === "zip" ? "application/zip" : "application/gzip");
    files.markExported();
    renderExportPanel({ name, size: result.byteLength, sha });
    showDetail("fy-tab-export");
  } catch (e) {
    if (!(e instanceof Superseded)) notify(`Export failed: ${e instanceof Error ? e.message : String(e)}`, "error");
  } finally {
    done();
  }
}

async function share(): Promise<void> {
  const text = outgoingSpec();
  if (text === null || !text.trim()) return;
  const out = $("#fy-share-out");
  // The first link waits for the full module's worker to start: say so.
  const btn = $("#fy-share");
  const done = busy(btn);
  try {
    const { result } = await client.request("shareEncode", { spec: text });
    if (!result.ok || !result.value) {
      out.replaceChildren(
        h(
          "p",
          { class: "fy-notice fy-notice-warn" },
          result.tooLarge ? "This spec is too large for a link. Download fleet.json instead and share the file. " : `No link: ${result.error ?? "unknown error"} `,
          h("button", { type: "button", class: "fy-btn fy-btn-small", onclick: () => downloadSpec() }, "Download fleet.json"),
        ),
      );
      out.hidden = false;
      return;
    }
    const url = `${location.origin}${location.pathname}#fleet=${result.value}`;
    sharedText = text;
    history.replaceState(null, "", `#fleet=${result.value}`);
    const input = h("input", { type: "text", id: "fy-share-url", readonly: true, value: url, spellcheck: "false" });
    const status = h("span", { class: "fy-muted", role: "status" });
    out.replaceChildren(
      h("label", { for: "fy-share-url" }, "Share link"),
      input,
      h(
        "button",
        {
          type: "button",
          class: "fy-btn",
          onclick: () => {
            input.select();
            navigator.clipboard?.writeText(url).then(
              () => (status.textContent = "Copied."),
              () => (status.textContent = "Select the link and copy it."),
            );
          },
        },
        "Copy",
      ),
      status,
      h("p", { class: "fy-help fy-small" }, `The spec (${formatSize(text.length)}) is compressed into the part after #, which browsers never send to a server. Public keys only; the session entropy is not included.`),
    );
    out.hidden = false;
    input.select();
  } catch (e) {
    if (!(e instanceof Superseded)) notify(`Sharing failed: ${e instanceof Error ? e.message : String(e)}`, "error");
  } finally {
    done();
  }
}

// ---- schema ----

let schemaLoaded = false;
/** The fetch boot.ts started, used by the first loadSchema; Retry fetches anew. */
let prefetched: Promise<unknown> | null = schemaJSON;

/**
 * Fetches the JSON Schema the site publishes (site/schema.go writes
 * gen.Schema there in the same build as the wasm, so they always agree)
 * and hands it to the form, which reads its choices and defaults from it.
 * It is not asked of the worker: fetched, it arrives before the generator
 * does, and it keeps the schema code (about 15 KB brotli) out of the wasm.
 * Without it the form still works with plain fields, so a failure is only
 * recorded on #fy-pg (data-schema), not reported.
 */
async function loadSchema(): Promise<void> {
  if (schemaLoaded) return;
  const pre = prefetched;
  prefetched = null;
  try {
    let raw: unknown;
    if (pre) raw = await pre;
    else {
      const resp = await fetch(SCHEMA_URL);
      if (!resp.ok) throw new Error(`${SCHEMA_URL}: ${resp.status}`);
      raw = await resp.json();
    }
    if (schemaLoaded) return; // a second caller got there first
    const s = FleetSchema.from(raw);
    if (!s) throw new Error("not a schema");
    schemaLoaded = true;
    root.dataset.schema = "loaded";
    form.setSchema(s);
    editor.setSchema(s);
  } catch {
    root.dataset.schema = "unavailable";
  }
}

// ---- start ----

function fragment(): string {
  return location.hash.startsWith("#fleet=") ? location.hash.slice("#fleet=".length) : "";
}

/** Removes the #fleet= fragment from the address bar: a refused or declined link must not stay there. */
function dropFragment(): void {
  sharedText = null;
  history.replaceState(null, "", location.pathname + location.search);
}

function parseObj(text: string): Obj | null {
  try {
    const v = JSON.parse(text) as Json;
    return v !== null && typeof v === "object" && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Opens a share link's spec over `previous` (the autosaved or current
 * spec). Private material is refused and the fragment dropped. Over existing
 * work that differs, a link that grants access or runs code compared with
 * it is shown and the user asked first; the replaced work is saved in the
 * history either way. Returns whether the link's spec was loaded.
 */
async function openShared(frag: string, previous: string | null): Promise<boolean> {
  $("#fy-status").textContent = "Opening the shared fleet…";
  let value: string;
  try {
    const { result } = await client.request("shareDecode", { fragment: frag });
    if (!result.ok || result.value === undefined) {
      notify(`This link could not be opened: ${result.error ?? "it holds no spec"}`, "error");
      return false;
    }
    value = result.value;
  } catch (e) {
    if (!(e instanceof Superseded)) notify(`This link could not be opened: ${e instanceof Error ? e.message : String(e)}`, "error");
    return false;
  }
  if (containsPrivate(value)) {
    dropFragment();
    notify("This link holds private key material, so it was not opened and has been removed from the address bar. Ask whoever sent it for a link made from public keys only.", "error");
    return false;
  }
  const prev = previous ?? "";
  if (prev.trim() !== "" && prev !== value) {
    const findings = reviewLink(parseObj(prev), parseObj(value) ?? {});
    root.dataset.linkReview = findings.length ? "asked" : "clean";
    if (findings.length > 0 && !(await askReplace(findings, fleetName(value), fleetName(prev)))) {
      dropFragment();
      notify("Kept your fleet; the link was not opened.", "info", [["Open the link anyway", () => void acceptShared(value, model.text)]]);
      return false;
    }
  }
  await acceptShared(value, prev);
  return true;
}

/** Loads a link's spec, saving what it replaces in the history and offering it back. */
async function acceptShared(value: string, prev: string): Promise<void> {
  const kept = prev.trim() !== "" && prev !== value && (await fleetHistory.save(prev, "before opening a share link"));
  if (model.text.trim() !== "" && model.text !== prev && model.text !== value) await fleetHistory.save(model.text, "before opening a share link");
  sharedText = value;
  load(value, "From a share link");
  historyUI?.refresh();
  if (kept) notify("Opened the fleet from the link. Your previous fleet is saved under Restore previous.", "info", [["Restore my fleet", () => void replaceSpec(prev, "before restoring your fleet")]]);
  else notify("Opened the fleet from the link.", "info", [], REPLACED);
}

/** Runs fn when the page is idle (soon, where requestIdleCallback is missing). */
function whenIdle(fn: () => void): void {
  if (typeof requestIdleCallback === "function") requestIdleCallback(fn, { timeout: 2000 });
  else setTimeout(fn, 200);
}

/**
 * Resolves once the frame now being built has been painted; at once in a
 * hidden tab, which paints no frames. The timeout only guards against a
 * frame that never comes: a cold page's first frame (first layout, fonts)
 * can take a few hundred ms on a slow machine, and a shorter one let the
 * form's build overtake the tree it is meant to follow.
 */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (document.visibilityState === "hidden") {
      resolve();
      return;
    }
    const t = setTimeout(resolve, 1000);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(t);
        resolve();
      }, 0),
    );
  });
}

/** Marks name once the frame now being built has been painted (a task queued from the frame's animation callback runs after it). */
function markPainted(name: string): void {
  requestAnimationFrame(() => setTimeout(() => performance.mark(name), 0));
}

/** The build's pre-rendered output of the default example (data-prerendered), or null. */
async function fetchPrerendered(): Promise<{ example: string; files: FileOut[] } | null> {
  // Fetched by boot.ts; a failure is no error: only a placeholder, the real output comes anyway.
  const v = ((await prerenderedJSON) ?? {}) as { example?: unknown; files?: unknown };
  return typeof v.example === "string" && Array.isArray(v.files) ? { example: v.example, files: v.files as FileOut[] } : null;
}

/**
 * Shows the pre-rendered files until the first result, if the spec is still
 * exactly the example they were rendered from (or is about to be: still
 * empty) and nothing was generated.
 */
function showPrerendered(pre: { example: string; files: FileOut[] } | null, ex: Example[]): void {
  const e = pre && ex.find((x) => x.name === pre.example);
  if (!pre || !e || generation > 0 || (model.text !== "" && model.text !== exampleText(e)) || output.current.kind !== "pending") return;
  // The preview is plain text until CodeMirror is in (files.ts): cheap
  // enough to go up with the tree.
  files.update(pre.files);
  output.set({ kind: "prerendered" });
  performance.mark("fy-prerendered");
  markPainted("fy-prerendered-painted");
  $("#fy-status").textContent = `${pre.files.length} files of the default example, pre-rendered with the site; generating yours…`;
}

let historyUI: ReturnType<typeof historyMenu> | null = null;

/**
 * Starts loading the full module (downloads, share links, the changes zip:
 * WorkerClient.full) when the pointer comes over, or the focus into, a
 * button that needs it. The moment between pointing and clicking covers
 * part of its load, and a visitor who never reaches for those buttons never
 * downloads it. Not before the generator is ready: during a cold start the
 * two would compete for the same cores.
 */
function prefetchFullOnIntent(): void {
  const intent = () => {
    if (client.state.phase === "ready") client.full();
  };
  for (const id of ["#fy-export-tar", "#fy-export-zip", "#fy-share", "#fy-update-repo", "#fy-export-changes"]) {
    const el = $(id);
    el.addEventListener("pointerenter", intent);
    el.addEventListener("focus", intent);
  }
}

async function start(): Promise<void> {
  performance.mark("fy-ui-built");
  client.onState(showLoad);
  prefetchFullOnIntent();
  // Fetched (by boot.ts) while the generator downloads: the form has its
  // choices and defaults before the first preview, with or without
  // WebAssembly. The first spec is loaded once it is in (or after a short
  // wait), so that the form is built once, not plain and then again.
  const schemaIn = loadSchema();
  if (!workerURL || !wasmURL) {
    showLoad({ phase: "failed", error: "this page was built without the generator (no data-worker/data-wasm)" });
  } else {
    client.start();
  }
  $("#fy-retry").addEventListener("click", () => {
    retried = false;
    trouble = null;
    if (output.current.kind === "prerendered") output.set({ kind: "prerendered" });
    client.restart();
    void loadSchema();
    scheduleGenerate();
  });
  const prerendered = fetchPrerendered();
  historyUI = historyMenu(
    fleetHistory,
    () => model.text,
    (e) =>
      void replaceSpec(e.text, "before restoring another").then((ok) => {
        if (ok) notify(`Restored ${e.name}. The fleet it replaced is under Restore previous.`, "info", [], REPLACED);
      }),
  );
  $("#fy-import").after(historyUI.el);
  // Like the share link's: the <details> stayed open over the file tree.
  const historyEl = historyUI.el;
  dismissable(
    historyEl,
    $("#fy-history-button", historyEl),
    () => historyEl.open,
    () => (historyEl.open = false),
  );

  const ex = examples();
  const sel = $("#fy-example") as HTMLSelectElement;
  sel.replaceChildren(h("option", { value: "" }, "Choose…"), ...ex.map((e) => h("option", { value: e.name }, e.title || e.name)));
  sel.disabled = ex.length === 0;
  sel.addEventListener("change", () => {
    const e = ex.find((x) => x.name === sel.value);
    if (!e) {
      syncExampleMenu();
      return;
    }
    void replaceSpec(exampleText(e), `before loading the ${e.name} example`).then((ok) => {
      if (ok) notify(`Loaded the “${e.title || e.name}” example. The fleet it replaced is under Restore previous.`, "info", [], REPLACED);
    });
  });

  const fileInput = $("#fy-import-file") as HTMLInputElement;
  $("#fy-import").addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", () => {
    const f = fileInput.files?.[0];
    if (f) void importFile(f);
    fileInput.value = "";
  });
  document.addEventListener("dragover", (ev) => {
    if (ev.dataTransfer?.types.includes("Files")) {
      ev.preventDefault();
      root.classList.add("fy-dropping");
    }
  });
  document.addEventListener("dragleave", (ev) => {
    if (ev.relatedTarget === null) root.classList.remove("fy-dropping");
  });
  document.addEventListener("drop", (ev) => {
    const f = ev.dataTransfer?.files[0];
    root.classList.remove("fy-dropping");
    if (!f) return;
    ev.preventDefault();
    void importFile(f);
  });
  const updateInput = $("#fy-update-file") as HTMLInputElement;
  $("#fy-update-repo").addEventListener("click", () => updateInput.click());
  updateInput.addEventListener("change", () => {
    const f = updateInput.files?.[0];
    if (f) void startUpdate(f);
    updateInput.value = "";
  });
  $("#fy-export-changes").addEventListener("click", () => void exportChanges());
  $("#fy-share").addEventListener("click", () => void share());
  // The share link is a popover: Escape or a click elsewhere closes it.
  const shareOut = $("#fy-share-out");
  dismissable(
    shareOut,
    $("#fy-share"),
    () => !shareOut.hidden,
    () => (shareOut.hidden = true),
  );
  $("#fy-export-tar").addEventListener("click", () => void exportArchive("tar.gz"));
  $("#fy-export-zip").addEventListener("click", () => void exportArchive("zip"));
  $("#fy-export-json").addEventListener("click", () => downloadSpec());
  for (const id of ["#fy-import", "#fy-update-repo", "#fy-share", "#fy-export-json"]) ($(id) as HTMLButtonElement).disabled = false;
  model.onChange(() => setExportEnabled());
  renderExportPanel();

  // Initial spec: a share link wins over autosave, which wins over the first example.
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(AUTOSAVE);
  } catch {
    saved = null;
  }
  window.addEventListener("hashchange", () => {
    // A share link pasted into the address bar of an open playground.
    const f = fragment();
    if (f) void openShared(f, model.text);
  });
  if (saved !== null && containsPrivate(saved)) {
    // Written by an older version, or by hand: it is dropped, not loaded.
    try {
      localStorage.removeItem(AUTOSAVE);
    } catch {
      // nothing stored, nothing to remove
    }
    saved = null;
    notify("The spec autosaved in this browser held private key material, so it was deleted instead of restored.", "error");
  }
  // boot.ts fetched the schema and the pre-rendered files: wait a little
  // for both, so that the form is built once, with its schema, and the
  // pre-rendered tree can go up before it (see below).
  let pre: Awaited<typeof prerendered> | undefined; // undefined: not in yet
  void prerendered.then((p) => (pre = p));
  await Promise.race([Promise.all([schemaIn, prerendered]), new Promise((r) => setTimeout(r, SCHEMA_WAIT_MS))]);
  // Typed into meanwhile (the fleet.json tab can be opened already): that stays.
  if (model.text !== "") return;
  const frag = fragment();
  if (frag && (await openShared(frag, saved))) return;
  if (saved !== null && saved.trim() !== "") {
    load(saved, "Restored from this browser");
    notify("Restored your spec from the last visit (autosaved in this browser only).", "info", ex[0] ? [["Start from the example", () => void replaceSpec(exampleText(ex[0]!), "before starting from the example")]] : []);
    return;
  }
  if (ex[0]) {
    sel.value = ex[0].name;
    // The pre-rendered tree and preview go up before the form is built: the
    // preview is the page's first CodeMirror, whose styles, added to the
    // document, restyle every element already on the page.
    if (pre !== undefined) {
      showPrerendered(pre, ex);
      // The tree reaches the screen before the form is built (100-150 ms).
      await afterPaint();
      // Typed into meanwhile (the fleet.json tab): that stays.
      if (model.text !== "") return;
    }
    load(exampleText(ex[0]));
    performance.mark("fy-spec-loaded");
    if (pre === undefined) showPrerendered(await prerendered, ex);
  } else {
    load('{\n  "version": 1,\n  "name": "my-fleet",\n  "machines": [{ "name": "server", "class": "nixos" }]\n}\n');
  }
}

void start();
