// The first code the playground runs: playground.ts imports this module
// before anything else, so the bundle evaluates it before CodeMirror, the
// form and the panels. It starts the generator worker and, when the spec the
// page will open with is already known (the autosaved one, else the default
// example; a share link needs decoding by the worker first), sends its
// generate request right away. That request then is the worker's first call
// (its warm-up), and its answer is the first preview, instead of the page
// asking only after it has built its editors.
import { clientOptions, firstExample, WorkerClient, type Answer } from "./client";
import { formatJSON, type Json } from "./model";
import type { GenerateResult } from "./protocol";
import { containsPrivate } from "./secret";
import { newSession } from "./session";

performance.mark("fy-boot");

/** The localStorage key of the autosaved spec. */
export const AUTOSAVE = "fleetyard:playground:spec";
/** Where the site publishes the JSON Schema of fleet.json (site/schema.go). */
export const SCHEMA_URL = "/schema/fleet.v1.json";

/** This tab's entropy and time: the first request already uses them. */
export const session = newSession();

const { worker: workerURL, wasm: wasmURL } = document.body.dataset;

/**
 * The spec the page will open with when nothing has to be decoded or asked
 * first: the autosaved spec, else the first example, formatted as the page
 * formats it. Null for a share link (openShared decides) or when the saved
 * spec holds private material (the page deletes it instead of loading it).
 */
export function predictedSpec(hash: string, saved: string | null, examplesJSON: string): string | null {
  if (hash.startsWith("#fleet=") && hash.length > "#fleet=".length) return null;
  if (saved !== null && containsPrivate(saved)) return null;
  if (saved !== null && saved.trim() !== "") return saved;
  try {
    const v = JSON.parse(examplesJSON) as unknown;
    const spec = Array.isArray(v) ? (v[0] as { spec?: Json } | undefined)?.spec : undefined;
    return spec === undefined ? null : formatJSON(spec) + "\n";
  } catch {
    return null;
  }
}

function savedSpec(): string | null {
  try {
    return window.localStorage.getItem(AUTOSAVE);
  } catch {
    return null;
  }
}

const first = workerURL && wasmURL ? predictedSpec(location.hash, savedSpec(), document.getElementById("fy-examples")?.textContent ?? "[]") : null;

/**
 * The idle warm-up, on unless the page's query has warm=0: e2e's TestMeasure
 * uses that to print the first keystrokes with and without it.
 */
const IDLE_WARM = new URLSearchParams(location.search).get("warm") !== "0";

/**
 * The page's generator client. Without a first request to make, the worker
 * warms up on the default example instead (a fresh module's first generate
 * is the slow one). Either way, once idle after its first answer it
 * exercises the generator on that example until V8 has optimized it.
 */
const example = firstExample();
export const client = new WorkerClient({
  ...clientOptions(workerURL ?? "", wasmURL ?? ""),
  ...(first === null && example !== undefined ? { warm: example } : {}),
  ...(IDLE_WARM && example !== undefined ? { idle: example } : {}),
});
if (workerURL && wasmURL) client.start();
// A worker cannot start while the main thread is busy, and evaluating the
// rest of the bundle (CodeMirror's modules first) keeps it busy for about
// 200 ms: wait here until the worker has said something (it is fetching the
// wasm then), so that the download, compile and first generation run beside
// the page's own start-up instead of after it.
await client.running(400);

let early: { text: string; answer: Promise<Answer<GenerateResult>> } | null = null;
if (first !== null && first.trim() !== "") {
  const answer = client.request("generate", { spec: first, entropy: session.entropy, time: session.time });
  // Handled here: when the page opens something else, this request is
  // superseded and nobody awaits it.
  answer.catch(() => undefined);
  early = { text: first, answer };
}

/**
 * The answer of the request sent at start, if it was for exactly this text
 * (the same spec, and the session's entropy and time, so the same bytes a
 * new request would give); null otherwise. Either way it is handed out at
 * most once: any later generation asks the worker itself.
 */
export function takeEarly(text: string): Promise<Answer<GenerateResult>> | null {
  const e = early;
  early = null;
  return e && e.text === text ? e.answer : null;
}

/** The schema, fetched now so that it is in before the form is first built (null: unavailable). */
export const schemaJSON: Promise<unknown> = fetch(SCHEMA_URL)
  .then((r) => (r.ok ? (r.json() as Promise<unknown>) : null))
  .catch(() => null);

/**
 * The build's pre-rendered files of the default example (data-prerendered),
 * fetched now: shown before the first answer, they must not wait for the
 * rest of the page to be built. Null when the page has none.
 */
export const prerenderedJSON: Promise<unknown> | null = document.body.dataset.prerendered
  ? fetch(document.body.dataset.prerendered)
      .then((r) => (r.ok ? (r.json() as Promise<unknown>) : null))
      .catch(() => null)
  : null;
