// Hydrates live examples on docs pages. The page is complete without
// JavaScript (the build pre-renders every shown file); on the first
// interaction with a figure (pointer, focus, key, or "Edit this example"),
// the shared worker starts (once per page), the spec becomes a JSON editor,
// and each edit regenerates the shown files in place with the docs' fixed
// entropy and time, marking what differs from the example as shipped; a
// reset button brings that back.
import { Compartment } from "@codemirror/state";
import type { EditorView } from "@codemirror/view";
import { Superseded, clientFromBody, type WorkerClient } from "./client";
import { debounce, h } from "./dom";
import { SpecEditor } from "./editor";
import { readOnlyView } from "./lang";
import { loadCodeMirror } from "./lazycm";
import type { Diagnostic, GenerateResult } from "./protocol";
import { privateRefusal } from "./secret";
import { StyleModule } from "style-mod";

// The hydrated parts of an example; the static look is site.css's. The
// status and the problems list are a <p> and a <ul> in .fy-prose, whose
// margins win over one class: ".fy-example" before each makes them ours
// (the status sat 50 px above the first file).
StyleModule.mount(
  document,
  new StyleModule({
    ".fy-example-edit": { padding: "0.75rem 0.75rem 0" },
    ".fy-example .fy-example-edit > .fy-example-head": { display: "flex", alignItems: "baseline", justifyContent: "space-between", gap: "0.5rem", flexWrap: "wrap", margin: "0 0 0.4rem" },
    ".fy-example .fy-example-head > p.fy-example-label": { margin: "0" },
    ".fy-example .fy-example-reset": { font: "inherit", fontSize: "0.85rem", padding: "0.15rem 0.6rem", border: "1px solid var(--border, #d8dee4)", borderRadius: "6px", background: "var(--bg, #fff)", color: "var(--fg, #1f2328)", cursor: "pointer" },
    ".fy-example .fy-example-reset:hover": { borderColor: "var(--accent, #2f6fde)" },
    ".fy-example .fy-example-reset[hidden]": { display: "none" },
    ".fy-example-editor": { border: "1px solid var(--border, #d8dee4)", borderRadius: "6px", overflow: "hidden", margin: "0.25rem 0 0.5rem" },
    ".fy-example-editor .cm-editor": { maxHeight: "24rem" },
    ".fy-example .fy-example-status": { margin: "0.25rem 0 0", fontSize: "0.85rem", color: "var(--fg-soft, #57606a)" },
    ".fy-example .fy-example-diags": { margin: "0", paddingLeft: "1.2rem", fontSize: "0.85rem" },
    ".fy-example-diags:empty": { display: "none" },
    ".fy-example-diags .fy-error": { color: "#cf222e" },
    ".fy-example-diags .fy-where": { font: "inherit", color: "inherit", background: "none", border: "0", padding: "0", textDecoration: "underline", cursor: "pointer" },
    ".fy-file-view .cm-editor": { maxHeight: "32rem" },
    ".fy-file-missing .fy-file-view": { opacity: "0.6" },
  }),
);

let client: WorkerClient | null | undefined;

/** The page's worker, started on the first example touched, whose spec it warms up on when idle. */
function worker(spec: string): WorkerClient | null {
  if (client === undefined) {
    client = clientFromBody(spec);
    client?.start();
  }
  return client;
}

const entropy = document.body.dataset.docsEntropy ?? "";
const time = document.body.dataset.docsTime ?? "";

function hydrate(fig: HTMLElement, index: number, focus: boolean): void {
  if (fig.dataset.hydrated) {
    if (focus) fig.querySelector<HTMLElement>(".cm-content")?.focus();
    return;
  }
  fig.dataset.hydrated = "true";
  const specEl = fig.querySelector<HTMLScriptElement>("script.fy-spec");
  const c = worker(specEl?.textContent ?? "");
  const filesEl = fig.querySelector<HTMLElement>(".fy-example-files");
  if (!c || !specEl || !filesEl) return;
  const original = specEl.textContent ?? "";

  // Shown files become read-only code views we can update in place. Each
  // keeps its text as shipped: once an edit changes a file, the view marks
  // the lines that differ from it (codemirror.ts changeMarks, loaded with
  // the editor's CodeMirror).
  type Shown = { view: EditorView; section: HTMLElement; shipped: string; marks: Compartment; marked: boolean };
  const views = new Map<string, Shown>();
  for (const sec of fig.querySelectorAll<HTMLElement>(".fy-file[data-path]")) {
    const path = sec.dataset.path ?? "";
    const pre = sec.querySelector("pre");
    const box = h("div", { class: "fy-file-view" });
    if (pre) pre.replaceWith(box);
    else sec.append(box);
    const shipped = pre?.textContent ?? "";
    const marks = new Compartment();
    views.set(path, { view: readOnlyView(box, path, shipped, `${path} (generated)`, [marks.of([])]), section: sec, shipped, marks, marked: false });
  }
  const mark = (v: Shown, on: boolean): void => {
    if (v.marked === on) return;
    v.marked = on;
    void loadCodeMirror()
      .then((cm) => {
        if (v.marked === on) v.view.dispatch({ effects: v.marks.reconfigure(on ? cm.changeMarks(v.shipped) : []) });
      })
      .catch(() => undefined); // unmarked lines are all a failed load costs
  };

  const status = h("p", { class: "fy-example-status", role: "status" }, "Loading the generator…");
  const diags = h("ul", { class: "fy-example-diags", "aria-label": "Problems in this example" });
  const edBox = h("div", { class: "fy-example-editor" });
  const label = h("p", { class: "fy-example-label" }, "fleet.json — edit it and the files below update");
  const reset = h("button", { type: "button", class: "fy-example-reset", hidden: true, title: "Put back the example's fleet.json as the page shipped it" }, "Reset example");
  // In the files' inset, so the editor lines up with the files below it.
  filesEl.before(h("div", { class: "fy-example-edit" }, h("div", { class: "fy-example-head" }, label, reset), edBox, diags, status));
  const open = fig.querySelector<HTMLAnchorElement>("a.fy-open");

  const editor = new SpecEditor({
    parent: edBox,
    text: original,
    label: "Example fleet.json",
    onChange: () => {
      reset.hidden = editor.text === original;
      regenerate();
    },
    onRefused: () => {
      status.textContent = privateRefusal;
    },
  });

  const show = (result: GenerateResult): void => {
    const byPath = new Map(result.files.map((f) => [f.path, f]));
    for (const [path, v] of views) {
      const f = byPath.get(path);
      v.section.classList.toggle("fy-file-missing", !f);
      const next = f ? (f.text ?? `(binary file, ${f.size} bytes)`) : `(this spec does not generate ${path})`;
      if (v.view.state.doc.toString() !== next) v.view.dispatch({ changes: { from: 0, to: v.view.state.doc.length, insert: next } });
      // A file the spec no longer makes is dimmed instead (fy-file-missing).
      mark(v, !!f && next !== v.shipped);
    }
  };
  reset.addEventListener("click", () => {
    editor.setText(original);
    reset.hidden = true;
    editor.focus();
    regenerate();
  });
  const slot = `docs-gen:${index}`;
  // An edit's answer leaves the manifest for later (WorkerClient.onSettled).
  c.onSettled(slot, show);
  const regenerate = debounce(() => {
    const text = editor.text;
    const t0 = performance.now();
    c.request("generate", { spec: text, entropy, time }, slot)
      .then(({ result, ms }) => {
        editor.setDiagnostics(result.diagnostics, text);
        showDiags(diags, result.diagnostics, result.error, (d) => editor.reveal(d.line, d.col));
        if (!result.ok) {
          status.textContent = "Not regenerated: fix the problems above. The files below are from the last valid spec.";
          return;
        }
        show(result);
        status.textContent = `Regenerated ${result.files.length} files in ${ms.toFixed(1)} ms (${(performance.now() - t0).toFixed(0)} ms with the round trip).`;
      })
      .catch((e: unknown) => {
        if (!(e instanceof Superseded)) status.textContent = `Not regenerated: ${e instanceof Error ? e.message : String(e)}`;
      });
    linkSpec = text;
  }, 60);

  // The "Open in playground" link follows the edits. Share links are the
  // full wasm module's work (see WorkerClient.full), so the link is brought
  // up to date only when the reader points at it, focuses or clicks it:
  // editing an example downloads the generator module alone.
  let linkSpec: string | null = null;
  const updateLink = (): Promise<void> => {
    const text = linkSpec;
    if (!open || text === null) return Promise.resolve();
    return c
      .request("shareEncode", { spec: text }, `docs-share:${index}`)
      .then(({ result }) => {
        if (result.ok && result.value) open.href = `/playground/#fleet=${result.value}`;
        if (linkSpec === text) linkSpec = null;
      })
      .catch(() => undefined);
  };
  if (open) {
    open.addEventListener("pointerenter", () => void updateLink());
    open.addEventListener("focus", () => void updateLink());
    open.addEventListener("click", (ev) => {
      if (linkSpec === null || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
      ev.preventDefault();
      void updateLink().then(() => location.assign(open.href));
    });
  }

  c.onState((s) => {
    if (s.phase === "ready" && status.textContent?.startsWith("Loading")) status.textContent = "Ready: edit the spec to regenerate.";
    else if (s.phase === "fetching" && s.total > 0) status.textContent = `Loading the generator… ${Math.min(99, Math.floor((s.loaded / s.total) * 100))}%`;
    else if (s.phase === "failed" || s.phase === "unsupported") status.textContent = `The generator is unavailable: ${s.error}`;
  });
  if (focus) editor.focus();
}

/** Lists the example's problems; a problem's line:col moves the editor's cursor there, as in the playground. */
function showDiags(list: HTMLElement, ds: Diagnostic[], error: string | undefined, reveal: (d: Diagnostic) => void): void {
  const items = ds.map((d) =>
    h(
      "li",
      { class: `fy-${d.severity}` },
      d.line > 0 ? h("button", { type: "button", class: "fy-where", onclick: () => reveal(d), "aria-label": `Go to line ${d.line}:${d.col} in the example's fleet.json` }, `line ${d.line}:${d.col}`) : "",
      d.line > 0 ? " " : "",
      d.path ? h("code", {}, d.path) : null,
      ` ${d.message}`,
      d.hint ? ` — ${d.hint}` : "",
    ),
  );
  if (error) items.unshift(h("li", { class: "fy-error" }, error));
  list.replaceChildren(...items);
}

function main(): void {
  const figs = [...document.querySelectorAll<HTMLElement>("figure.fy-example")];
  // Decision: an example hydrates (and the page starts the ~1.0 MB br
  // generator download) on the first interaction with it, never because it
  // scrolled into view: reading a page costs no download. A pointer down,
  // a focus or a key inside the figure is interaction; the "Open in
  // playground" link is not (it leaves the page).
  figs.forEach((fig, i) => {
    const wake = (ev: Event): void => {
      if (ev.target instanceof Element && ev.target.closest("a.fy-open")) return;
      for (const t of triggers) fig.removeEventListener(t, wake);
      hydrate(fig, i, false);
    };
    const triggers = ["pointerdown", "focusin", "keydown"] as const;
    for (const t of triggers) fig.addEventListener(t, wake);
    fig.querySelector(".fy-edit")?.addEventListener("click", () => hydrate(fig, i, true));
  });
}

main();
