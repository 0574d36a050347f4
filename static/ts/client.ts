// The page side of the worker protocol: request ids, latest-wins per slot,
// a timeout that terminates and restarts a runaway worker, and the loading
// state (download progress, compiling, ready, failed).
import { GenStream } from "./genstream";
import type { FromWorker, GenerateResult, GenerateWire, Kind, LoadPhases, RequestMsg, Requests, StartedWorker, ToWorker } from "./protocol";
import { fromWire } from "./wire";

export type LoadState =
  | { phase: "idle" }
  | { phase: "fetching"; loaded: number; total: number }
  | { phase: "compiling" }
  | { phase: "ready"; ms: number }
  | { phase: "failed"; error: string }
  | { phase: "unsupported"; error: string };

/** Thrown (as a rejection) when a newer request in the same slot replaced this one. */
export class Superseded extends Error {
  constructor() {
    super("superseded");
  }
}

/** Rejects a request that ran past the time limit (the worker was then restarted). */
export class TimedOut extends Error {
  constructor(readonly seconds: number) {
    super(`the generator took longer than ${seconds} s and was restarted`);
  }
}

/** Rejects requests that were in flight when the worker was restarted (for another request's timeout, or Retry). */
export class Restarted extends Error {
  constructor() {
    super("the generator was restarted");
  }
}

/** The worker's answer to a request (not a loading message). */
type Reply = Extract<FromWorker, { ok: boolean }>;

export interface Answer<T> {
  result: T;
  /** Time spent inside the worker call. */
  ms: number;
}

interface Pending {
  slot: string;
  resolve: (a: Answer<unknown>) => void;
  reject: (e: Error) => void;
  /** The time-limit timer, armed once the worker is ready (null before). */
  timer: number | null;
}

export interface ClientOptions {
  workerURL: string;
  wasmURL: string;
  /** The wasm's uncompressed size, for the progress bar when the response is compressed. */
  wasmSize?: number;
  /**
   * A request that runs longer than this kills the worker; it is restarted.
   * The time counts from when the worker is ready (or from the request, if
   * later): downloading and compiling the wasm are not the request's time.
   */
  timeoutMs?: number;
  /** A spec for the worker to generate once, unseen, while the page starts (see InitMsg.warm). */
  warm?: string;
  /** A spec for the worker to exercise its generator on while the page is idle (see InitMsg.idle). */
  idle?: string;
  /**
   * The full wasm module (data-wasm-full), which answers the FULL_KINDS
   * requests. With it, the client runs a second worker for them, started on
   * the first such request, so the generator module stays small and the
   * generate path never waits for the full one. Without it, every request
   * goes to the one worker (whose module must then be the full one).
   */
  fullWasmURL?: string;
  /** The worker's name, for the browser's tools. */
  name?: string;
  /** The prefix of this client's performance marks (default "fy-"; the full module's client uses "fy-full-"). */
  marks?: string;
}

/**
 * The requests only the full wasm module answers: downloads and share links
 * (see wasm/main.go).
 */
export const FULL_KINDS: readonly Kind[] = ["archive", "changes", "shareEncode", "shareDecode"];

export class WorkerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private latest = new Map<string, number>();
  private listeners = new Set<(s: LoadState) => void>();
  /** Each generate slot's copy of its stream (genstream.ts): what the worker's deltas apply to. */
  private streams = new Map<string, GenStream>();
  /**
   * Generate requests the worker has not answered yet, by id, including
   * ones already settled as superseded here: the worker may still run them,
   * and every answer it sends must be merged, in order, to keep the stream
   * in step with the worker's.
   */
  private generating = new Map<number, RequestMsg>();
  /** Who hears of each slot's settled manifests (onSettled). */
  private settledTo = new Map<string, (r: GenerateResult) => void>();
  state: LoadState = { phase: "idle" };
  private readonly timeoutMs: number;
  private fullClient: WorkerClient | null = null;
  private readonly marks: string;

  constructor(private readonly opts: ClientOptions) {
    this.timeoutMs = opts.timeoutMs ?? 20000;
    this.marks = opts.marks ?? "fy-";
  }

  /**
   * Calls fn with the whole result once the worker has settled the manifest
   * a generate answer of slot left for later (GenerateResult.manifestLater),
   * unless a newer generate of slot is on its way by then (its answer
   * comes next). One listener per slot.
   */
  onSettled(slot: string, fn: (r: GenerateResult) => void): void {
    this.settledTo.set(slot, fn);
  }

  onState(fn: (s: LoadState) => void): () => void {
    this.listeners.add(fn);
    fn(this.state);
    return () => this.listeners.delete(fn);
  }

  private setState(s: LoadState): void {
    this.state = s;
    if (s.phase === "ready") for (const [id, p] of this.pending) if (p.timer === null) p.timer = this.arm(id);
    for (const fn of this.listeners) fn(s);
  }

  /** Starts request id's time limit; when it runs out the request fails and the worker restarts. */
  private arm(id: number): number {
    return window.setTimeout(() => {
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      p.reject(new TimedOut(Math.round(this.timeoutMs / 1000)));
      this.restart();
    }, this.timeoutMs);
  }

  /**
   * The client of the full module's worker, created (and its download
   * started) on first use; null when the page has no full module.
   */
  full(): WorkerClient | null {
    const url = this.opts.fullWasmURL;
    if (!url) return null;
    if (!this.fullClient) {
      this.fullClient = new WorkerClient({ workerURL: this.opts.workerURL, wasmURL: url, timeoutMs: this.timeoutMs, name: "fleetyard-full", marks: "fy-full-" });
      this.fullClient.start();
    }
    return this.fullClient;
  }

  /** The time limit of a request, in milliseconds. */
  get limitMs(): number {
    return this.timeoutMs;
  }

  /** Starts (or restarts after a failure) the worker and the wasm download. */
  start(): void {
    if (this.worker && this.state.phase !== "failed") return;
    this.stop();
    if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
      this.setState({
        phase: "unsupported",
        error: "This browser has no WebAssembly or Web Worker support, which the generator needs. Use a current Firefox, Chrome or Safari, or run `fleetyard gen` on the command line.",
      });
      return;
    }
    mark(this.marks + "worker-start");
    const started = takeStartedWorker(this.opts.wasmURL);
    const w = started?.worker ?? new Worker(this.opts.workerURL, { type: "module", name: this.opts.name ?? "fleetyard-generator" });
    this.worker = w;
    w.onmessage = (ev: MessageEvent<FromWorker>) => this.receive(ev.data);
    w.onerror = (ev) => {
      ev.preventDefault();
      this.fail(workerFailed(ev.message));
    };
    this.setState({ phase: "fetching", loaded: 0, total: 0 });
    if (started) {
      if (started.error !== null) {
        this.fail(workerFailed(started.error));
        return;
      }
      for (const m of started.heard) this.receive(m);
      if (this.worker !== w) return; // what it said was a failure
    }
    const init: ToWorker = {
      id: 0,
      type: "init",
      wasm: this.opts.wasmURL,
      ...(this.opts.wasmSize ? { size: this.opts.wasmSize } : {}),
      ...(this.opts.warm !== undefined ? { warm: this.opts.warm } : {}),
      ...(this.opts.idle !== undefined ? { idle: this.opts.idle } : {}),
    };
    w.postMessage(init);
  }

  private stop(): void {
    this.worker?.terminate();
    this.worker = null;
    // A new worker remembers nothing: every stream starts again in full.
    this.streams.clear();
    this.generating.clear();
  }

  private fail(error: string): void {
    this.stop();
    this.setState({ phase: "failed", error });
    this.rejectAll(new Error(error));
  }

  private rejectAll(e: Error): void {
    for (const [id, p] of this.pending) {
      if (p.timer !== null) clearTimeout(p.timer);
      p.reject(e);
      this.pending.delete(id);
    }
  }

  private heard: (() => void) | null = null;
  private alive = false;

  /**
   * Resolves when the worker has said anything (it is running), or after ms.
   * A worker created while the main thread is busy does not start until the
   * main thread is free: waiting for it here lets its download and compile
   * run beside the page's own start-up instead of after it.
   */
  running(ms: number): Promise<void> {
    if (this.alive || !this.worker) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = window.setTimeout(resolve, ms);
      this.heard = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * Merges the worker's answer to generate request g into its stream and
   * returns the answer with the whole result, or null when it was asked
   * again: an answer that does not apply to the stream's copy (it was reset
   * after a failure) is never merged; the request goes out once more with
   * base 0, for a full answer, if anyone still waits for it.
   */
  private merge(g: RequestMsg, m: Reply): Reply | null {
    this.generating.delete(m.id);
    const st = this.streams.get(g.slot);
    if (!m.ok) {
      // A failure may have left the worker's side anywhere; superseded
      // requests never ran.
      if (!m.superseded) st?.reset();
      return m;
    }
    const d = fromWire(m.result as GenerateWire);
    if (!st) return { ...m, result: d };
    const result = st.apply(d);
    if (result !== null) return { ...m, result };
    if (!this.pending.has(m.id) || !this.worker) return null;
    const again: RequestMsg = { ...g, base: 0 };
    this.generating.set(m.id, again);
    this.worker.postMessage(again satisfies ToWorker);
    return null;
  }

  private receive(m: FromWorker): void {
    if (!this.alive) {
      this.alive = true;
      mark(this.marks + "worker-heard");
      this.heard?.();
      this.heard = null;
    }
    if ("type" in m) {
      switch (m.type) {
        case "progress":
          this.setState({ phase: "fetching", loaded: m.loaded, total: m.total });
          return;
        case "compiling":
          this.setState({ phase: "compiling" });
          return;
        case "ready":
          markPhases(this.marks, m.phases);
          this.setState({ phase: "ready", ms: m.ms });
          return;
        case "failed":
          this.fail(m.error);
          return;
        case "warmed":
          mark(this.marks + "wasm-warmed", { ms: m.ms });
          return;
        case "idle-warmed":
          mark(this.marks + "wasm-idle-warmed", { steps: m.steps, ms: m.ms, end: m.end });
          return;
        case "settled": {
          // Merged like any answer: the worker's stream has moved on by it.
          const r = this.streams.get(m.slot)?.apply(fromWire(m.result));
          const newer = [...this.generating.values()].some((g) => g.slot === m.slot);
          if (r && !newer) this.settledTo.get(m.slot)?.(r);
          return;
        }
      }
    }
    let r: Reply = m;
    const g = this.generating.get(r.id);
    if (g) {
      const merged = this.merge(g, r);
      if (merged === null) return;
      r = merged;
    }
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    if (p.timer !== null) clearTimeout(p.timer);
    if (this.latest.get(p.slot) === r.id) this.latest.delete(p.slot);
    if (r.ok) {
      // The first answer, and how long the worker spent on it: in a fresh
      // module the first call pays for warming the code up.
      mark(this.marks + "first-answer", { ms: r.ms });
      p.resolve({ result: r.result, ms: r.ms });
    }
    else p.reject(r.superseded ? new Superseded() : new Error(r.error));
  }

  /**
   * Sends a request. A newer request with the same slot (default: the kind)
   * supersedes this one: its promise rejects with Superseded.
   */
  request<K extends Kind>(type: K, args: Requests[K]["args"], slot: string = type): Promise<Answer<Requests[K]["result"]>> {
    const full = FULL_KINDS.includes(type) ? this.full() : null;
    if (full) return full.request(type, args, slot);
    if (!this.worker) this.start();
    const w = this.worker;
    if (!w) return Promise.reject(new Error(this.state.phase === "unsupported" ? this.state.error : "the generator is not running"));
    const id = this.nextId++;
    const prev = this.latest.get(slot);
    if (prev !== undefined) {
      const pp = this.pending.get(prev);
      if (pp) {
        // The worker will still answer it (as superseded or with a result
        // nobody wants); settle it now so callers never wait on stale work.
        this.pending.delete(prev);
        if (pp.timer !== null) clearTimeout(pp.timer);
        pp.reject(new Superseded());
      }
    }
    this.latest.set(slot, id);
    mark(this.marks + "first-request");
    return new Promise((resolve, reject) => {
      // The clock starts when the worker is ready (setState arms it then):
      // the download may be slow on a poor connection, and compiling slow
      // on a slow CPU, and neither is a runaway request.
      this.pending.set(id, { slot, resolve: resolve as (a: Answer<unknown>) => void, reject, timer: this.state.phase === "ready" ? this.arm(id) : null });
      const msg: RequestMsg = { id, type, slot, args };
      if (type === "generate") {
        let st = this.streams.get(slot);
        if (!st) this.streams.set(slot, (st = new GenStream()));
        msg.base = st.seq;
        this.generating.set(id, msg);
      }
      w.postMessage(msg satisfies ToWorker);
    });
  }

  /** Kills the worker (dropping everything in flight) and starts a new one. */
  restart(): void {
    this.stop();
    this.rejectAll(new Restarted());
    this.latest.clear();
    this.setState({ phase: "idle" });
    this.start();
  }
}

function workerFailed(message: string): string {
  return `the generator worker failed to start: ${message || "unknown error"}`;
}

/**
 * The worker start.ts started for wasmURL, once: the first client of that
 * module adopts it; any other (the full module's, a restart) starts its own.
 */
function takeStartedWorker(wasmURL: string): StartedWorker | null {
  const g = globalThis as { fleetyardStarted?: StartedWorker };
  const s = g.fleetyardStarted;
  if (!s || s.wasm !== wasmURL) return null;
  delete g.fleetyardStarted;
  return s;
}

/**
 * Marks a moment of the cold load on the page's performance timeline, once
 * (the first time it happens), for TestMeasure and the browser's profiler.
 */
function mark(name: string, detail?: unknown, startTime?: number): void {
  if (performance.getEntriesByName(name).length > 0) return;
  performance.mark(name, { detail, ...(startTime !== undefined ? { startTime } : {}) });
}

/** Puts the worker's loading steps on the page's timeline (they come as epoch times). */
function markPhases(prefix: string, p: LoadPhases): void {
  for (const [k, at] of Object.entries(p)) if (at > 0) mark(`${prefix}wasm-${k}`, undefined, Math.max(0, at - performance.timeOrigin));
}

/** Reads data-worker, data-wasm and data-wasm-full from <body> (set by the site builder on every page). */
export function clientFromBody(idle?: string): WorkerClient | null {
  const { worker, wasm } = document.body.dataset;
  if (!worker || !wasm) return null;
  return new WorkerClient({ ...clientOptions(worker, wasm), ...(idle !== undefined ? { idle } : {}) });
}

/**
 * Options for a client of the page's generator: the URLs, the wasm size the
 * build wrote on <body> (data-wasm-size), the full module's URL
 * (data-wasm-full), and the time limit. A test may shorten the limit by
 * defining globalThis.fleetyardTestHooks.timeoutMs
 * before the page's scripts run (only script already running in the page
 * can, so a link cannot).
 */
export function clientOptions(workerURL: string, wasmURL: string): ClientOptions {
  const size = Number(document.body.dataset.wasmSize ?? "");
  const full = document.body.dataset.wasmFull;
  const hooks = (globalThis as { fleetyardTestHooks?: { timeoutMs?: unknown } }).fleetyardTestHooks;
  const t = hooks?.timeoutMs;
  return {
    workerURL,
    wasmURL,
    ...(size > 0 ? { wasmSize: size } : {}),
    ...(full ? { fullWasmURL: full } : {}),
    ...(typeof t === "number" && t > 0 ? { timeoutMs: t } : {}),
  };
}

/**
 * The page's first example (the #fy-examples gallery) as JSON text, for the
 * worker to warm up on (ClientOptions.warm and .idle); undefined when the
 * page has none.
 */
export function firstExample(): string | undefined {
  try {
    const v = JSON.parse(document.getElementById("fy-examples")?.textContent ?? "[]") as unknown;
    const spec = Array.isArray(v) ? (v[0] as { spec?: unknown } | undefined)?.spec : undefined;
    return spec === undefined ? undefined : JSON.stringify(spec);
  } catch {
    return undefined;
  }
}
