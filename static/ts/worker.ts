// The module Web Worker that owns the Go wasm generator. It loads the wasm
// once (reporting download progress), then answers requests one at a time.
// Requests that share a slot are coalesced: when several are waiting, only
// the newest runs and the others are answered as superseded, so a burst of
// keystrokes costs one generation, not one per key.
import "go:wasm_exec";
import type { FromWorker, LoadPhases, GenerateWire, Kind, RequestMsg, Requests, ToWorker, WasmGenerateResult } from "./protocol";

interface Scope {
  postMessage(msg: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as Scope;
const post = (m: FromWorker, transfer?: Transferable[]): void => scope.postMessage(m, transfer ?? []);

let ready: Promise<FleetyardWasm> | null = null;
// Absolute time (epoch ms) of a moment on this worker's clock.
const epoch = (): number => performance.timeOrigin + performance.now();
const workerStart = epoch();
const queue: RequestMsg[] = [];
/** Whether a request has run: the warm-up is for a module no request has warmed yet. */
let ran = false;
let draining = false;

scope.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.type === "init") {
    if (!ready) {
      // Says the worker is running (the page may wait for this before it
      // builds its editors: see WorkerClient.running). Only the first
      // init: a second one (see InitMsg) would set the progress back.
      post({ id: 0, type: "progress", loaded: 0, total: msg.size ?? 0 });
      ready = load(msg.wasm, msg.size ?? 0);
      ready.catch((e: unknown) => post({ id: 0, type: "failed", error: errText(e) }));
    }
    const warm = msg.warm;
    if (warm !== undefined) {
      ready = ready.then((api) => warmUp(api, warm));
      ready.catch(() => undefined); // reported once, above
    }
    if (msg.idle !== undefined) idleTexts = idleTextsOf(msg.idle);
    return;
  }
  // A request: the page is busy, so is the worker, and the warm-up waits.
  clearTimeout(idleTimer);
  queue.push(msg);
  if (!draining) {
    draining = true;
    // Let every message already posted arrive before choosing what to run.
    setTimeout(() => void drain(), 0);
  }
};

async function drain(): Promise<void> {
  try {
    if (!ready) throw new Error("worker not initialised");
    const api = await ready;
    while (queue.length > 0) {
      const msg = queue.shift()!;
      if (queue.some((m) => m.slot === msg.slot)) {
        post({ id: msg.id, ok: false, error: "superseded", superseded: true });
        continue;
      }
      run(api, msg);
      // Yield so new messages can supersede what is still queued.
      await new Promise((r) => setTimeout(r, 0));
      if (queue.length === 0) settle(api);
    }
  } catch (e) {
    for (const m of queue.splice(0)) post({ id: m.id, ok: false, error: errText(e) });
  } finally {
    draining = false;
  }
  if (queue.length === 0 && ready) void ready.then((api) => scheduleIdle(api, IDLE_QUIET_MS), () => undefined);
}

// The idle warm-up (InitMsg.idle). V8 optimizes a wasm function only after
// it has run enough; until then the user's keystrokes run baseline code,
// several times slower (on large.json in a fresh worker: 40 to 150 ms per
// keystroke for the first ten, 13 to 20 after). So once the worker has been
// quiet for IDLE_QUIET_MS after an answer, it runs keystroke-sized
// generations of the page's first example on a session of their own
// (wasm/warm.go), one per task so that a request waits at most one of them,
// until IDLE_STEPS have run or they have taken IDLE_BUDGET_MS. A request
// pauses it; the next quiet spell resumes it. 60 steps of the seed example
// take about 0.9 s here; after 24 the first keystrokes in the seed were
// still 50-70 ms in the worker, after 60 they were 10-25 (e2e, 3 pages each).
const IDLE_QUIET_MS = 300;
const IDLE_STEPS = 60;
const IDLE_BUDGET_MS = 2000;
let idleTexts: string[] | null = null;
let idleTimer: ReturnType<typeof setTimeout> | undefined;
let idleSteps = 0;
let idleMs = 0;

/**
 * Texts of spec that differ in the fleet's name, which many files carry
 * (README, clan meta, Terraform, the Macs' key links): going from one to the
 * next makes each step a keystroke's delta. The first two are laid out
 * differently too, so that those steps parse the whole text and run every
 * pattern: a keystroke inside one string takes shortcuts (gen/retype.go,
 * gen/replay.go) that would leave the decoder, the validator and most
 * emitters unoptimized, and too little optimized code for Chromium to keep
 * in its code cache (TestRepeatVisitUsesCodeCache). The third is the second
 * with a letter more in the name, laid out alike: the step to it is a
 * keystroke that takes the shortcuts, so that they are optimized too (with
 * two texts only, a fresh page's first keystrokes in large.json took as
 * long in the worker with the warm-up as without it). Null when spec is not
 * a JSON object.
 */
function idleTextsOf(spec: string): string[] | null {
  try {
    const v = JSON.parse(spec) as unknown;
    if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
    const o = v as Record<string, unknown>;
    const name = typeof o.name === "string" ? o.name : "fleet";
    return [
      JSON.stringify({ ...o, name: name + "-a" }),
      JSON.stringify({ ...o, name: name + "-b" }, null, 1),
      JSON.stringify({ ...o, name: name + "-bc" }, null, 1),
    ];
  } catch {
    return null;
  }
}

function scheduleIdle(api: FleetyardWasm, delay: number): void {
  if (idleTexts === null) return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => idleStep(api), delay);
}

function idleStep(api: FleetyardWasm): void {
  // A request came in meanwhile: its drain schedules the next step.
  if (idleTexts === null || queue.length > 0 || draining) return;
  const t0 = performance.now();
  const out = api.warm(idleTexts[idleSteps % idleTexts.length]!);
  idleMs += performance.now() - t0;
  idleSteps++;
  const end = out instanceof Error ? "error" : idleSteps >= IDLE_STEPS ? "steps" : idleMs >= IDLE_BUDGET_MS ? "time" : null;
  if (end !== null) {
    idleTexts = null;
    api.warm("");
    post({ id: 0, type: "idle-warmed", steps: idleSteps, ms: idleMs, end });
    return;
  }
  scheduleIdle(api, 0);
}

// Slots whose last generate answer left the manifest for later
// (manifestLater): settled as soon as no request is waiting, so that a
// keystroke's answer does not wait for the SHA-256 of every file it changed
// (about a fifth of a keystroke on a large fleet), and a burst of keystrokes
// builds one manifest, not one each.
const unsettled = new Set<string>();

function settle(api: FleetyardWasm): void {
  for (const slot of unsettled) {
    if (queue.length > 0) return; // the drain goes on, and comes back here
    unsettled.delete(slot);
    const t0 = performance.now();
    try {
      const out = api.settle(slot);
      if (out instanceof Error) throw out;
      if (out === null) continue;
      const result = answer(out);
      post({ id: 0, type: "settled", slot, result, ms: performance.now() - t0 }, [result.data.buffer]);
    } catch {
      // The page keeps the earlier manifest; its next request settles anew.
    }
  }
}

/**
 * A generate or settle answer as the worker posts it: the wasm's JSON, read
 * here for manifestLater, and its blob, whose buffer is transferred (wire.ts
 * decodes on the page what is read).
 */
function answer(out: { meta: string; data: Uint8Array<ArrayBuffer> }): GenerateWire {
  return { ...(JSON.parse(out.meta) as WasmGenerateResult), data: out.data };
}

function run(api: FleetyardWasm, msg: RequestMsg): void {
  ran = true;
  const t0 = performance.now();
  try {
    const out = call(api, msg);
    const ms = performance.now() - t0;
    // Bytes move to the page rather than being copied: an archive, and a
    // generate answer's blob of file contents.
    const transfer = out instanceof Uint8Array ? [out.buffer] : msg.type === "generate" ? [(out as GenerateWire).data.buffer] : [];
    post({ id: msg.id, ok: true, result: out, ms }, transfer);
  } catch (e) {
    post({ id: msg.id, ok: false, error: errText(e) });
  }
}

function call(api: FleetyardWasm, msg: RequestMsg): unknown {
  const k: Kind = msg.type;
  switch (k) {
    case "generate": {
      const a = msg.args as Requests["generate"]["args"];
      // The stream is the slot; the answer holds only what changed since
      // msg.base, which the page merges (genstream.ts).
      const out = api.generate(a.spec, a.entropy, a.time, msg.slot, String(msg.base ?? 0));
      if (out instanceof Error) throw out;
      const res = answer(out);
      if (res.manifestLater) unsettled.add(msg.slot);
      else unsettled.delete(msg.slot);
      return res;
    }
    case "archive": {
      const a = msg.args as Requests["archive"]["args"];
      const out = api.archive(a.spec, a.entropy, a.time, a.format);
      if (out instanceof Error) throw out;
      return out;
    }
    case "changes": {
      const a = msg.args as Requests["changes"]["args"];
      const out = api.changes(a.spec, a.base, a.entropy, a.time);
      if (out instanceof Error) throw out;
      return out;
    }
    case "keys":
      return json(api.keys((msg.args as Requests["keys"]["args"]).text));
    case "shareEncode":
      return json(api.shareEncode((msg.args as Requests["shareEncode"]["args"]).spec));
    case "shareDecode":
      return json(api.shareDecode((msg.args as Requests["shareDecode"]["args"]).fragment));
  }
}

function json(out: string | Error): unknown {
  if (out instanceof Error) throw out;
  return JSON.parse(out) as unknown;
}

async function load(url: string, size: number): Promise<FleetyardWasm> {
  if (typeof WebAssembly !== "object") throw new Error("WebAssembly is not available in this browser");
  const t0 = performance.now();
  const resp = await fetch(url);
  const phases: LoadPhases = { workerStart, response: epoch(), downloaded: 0, instantiated: 0, started: 0 };
  if (!resp.ok || !resp.body) throw new Error(`could not download the generator (${resp.status} ${resp.statusText})`);
  // The stream yields decompressed bytes, so a compressed response's
  // Content-Length (the br or gzip size) is no total: use the size the build
  // wrote on the page, else show progress without a total.
  const encoded = (resp.headers.get("Content-Encoding") ?? "identity") !== "identity";
  const total = size > 0 ? size : encoded ? 0 : Number(resp.headers.get("Content-Length") ?? "0");
  // Count bytes as they stream past, for the progress bar, while the
  // browser compiles the module from the same bytes: compiling during the
  // download instead of after it is most of the cold-load budget.
  let loaded = 0;
  let lastPost = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, ctl) {
      loaded += chunk.length;
      const now = performance.now();
      if (now - lastPost > 50) {
        lastPost = now;
        post({ id: 0, type: "progress", loaded, total });
      }
      ctl.enqueue(chunk);
    },
    flush() {
      phases.downloaded = epoch();
      post({ id: 0, type: "progress", loaded, total: loaded });
      post({ id: 0, type: "compiling" });
    },
  });
  // The browser compiles the response fetch gave, not a Response made
  // from its body: only that one is tied to the HTTP cache entry, where
  // Chromium keeps the module's optimized code once V8 has tiered it up
  // and hands it back at the next visit (a repeat visit's first generate
  // took 400-650 ms through a made-up Response, 60-160 ms with the code
  // cache; e2e TestMeasure/repeat). The progress counter reads a clone.
  // A server that labels the wasm otherwise gets the made-up Response,
  // which instantiateStreaming accepts.
  const streamable = (resp.headers.get("Content-Type") ?? "").split(";")[0]!.trim() === "application/wasm";
  let compiled: Response;
  // Done once the counter has seen the last byte: the page hears
  // "progress", then "compiling", then "ready", in that order.
  let counted: Promise<void> = Promise.resolve();
  if (streamable) {
    compiled = resp;
    counted = resp.clone().body!.pipeThrough(counter).pipeTo(new WritableStream()).catch(() => undefined);
  } else {
    compiled = new Response(resp.body.pipeThrough(counter), { headers: { "Content-Type": "application/wasm" } });
  }
  const go = new Go();
  // The worker holds one spec and its repository (a few MB at most), and
  // the wasm collector is single-threaded and stops the world: collecting
  // less often trades memory we have for regeneration latency. Set here
  // rather than by runtime/debug in the module, which would cost the
  // download 3.6 KB.
  go.env = { GOGC: "400" };
  const { instance } = typeof WebAssembly.instantiateStreaming === "function"
    ? await WebAssembly.instantiateStreaming(compiled, go.importObject)
    : await WebAssembly.instantiate(await compiled.arrayBuffer(), go.importObject);
  phases.instantiated = epoch();
  await counted;
  // go.run executes main until it blocks in select{}, by which time the
  // functions are registered; its promise settles only when Go exits.
  void go.run(instance).then(() => post({ id: 0, type: "failed", error: "the generator stopped unexpectedly" }));
  const api = globalThis.fleetyard;
  if (!api) throw new Error("the generator did not start (globalThis.fleetyard missing)");
  phases.started = epoch();
  post({ id: 0, type: "ready", ms: performance.now() - t0, phases });
  return api;
}

/**
 * Runs one generate of spec whose result nobody sees, unless a request is
 * already waiting (then that request is the warm-up). A request that arrives
 * meanwhile waits for it, at most about as long as its own first call in a
 * cold module would have taken.
 */
function warmUp(api: FleetyardWasm, spec: string | undefined): FleetyardWasm {
  if (spec === undefined || queue.length > 0 || ran) return api;
  const t0 = performance.now();
  try {
    // No stream: answered in full and not remembered, but it leaves the
    // digests of its files for the page's first (full) answer to reuse.
    api.generate(spec, "00".repeat(32), "2025-01-01T00:00:00Z", "", "0");
  } catch {
    // Only a warm-up: the page's own requests report their errors.
  }
  post({ id: 0, type: "warmed", ms: performance.now() - t0 });
  return api;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
