// The playground's first script: a tiny classic script, loaded async from
// <head>, that starts the generator worker before the page's bundle has even
// been parsed. The worker's chain (its own start, the wasm download and
// compile, Go's start-up, the first generation) is the longest part of a
// cold load, and it needs nothing from the page but two URLs; the bundle
// (CodeMirror, the form) needs the main thread for a few hundred ms first.
// boot.ts adopts this worker (WorkerClient.start), replaying what it said
// meanwhile; if boot.ts runs first, this script does nothing.
import type { EARLY_GLOBAL, EarlyWorker } from "./protocol";

// Everything inside one function: a classic script's top-level names would
// be globals of the page.
(() => {
  // The type keeps this literal equal to protocol.ts's constant.
  const key: typeof EARLY_GLOBAL = "fleetyardEarlyWorker";
  const g = globalThis as { [key]?: EarlyWorker | false };
  const el = document.currentScript;
  if (g[key] !== undefined || !(el instanceof HTMLScriptElement)) return;
  const { worker, wasm, wasmSize } = el.dataset;
  if (!worker || !wasm || typeof Worker !== "function" || typeof WebAssembly !== "object") return;
  performance.mark("fy-worker-start");
  const w = new Worker(worker, { type: "module", name: "fleetyard-generator" });
  const early: EarlyWorker = { worker: w, workerURL: worker, wasmURL: wasm, messages: [], error: null };
  // Kept until boot.ts takes the worker over: a Worker drops messages that
  // arrive while it has no listener.
  w.onmessage = (ev: MessageEvent) => early.messages.push(ev.data);
  w.onerror = (ev) => {
    ev.preventDefault();
    early.error = ev.message || "unknown error";
  };
  const size = Number(wasmSize ?? "");
  w.postMessage({ id: 0, type: "init", wasm, ...(size > 0 ? { size } : {}) });
  g[key] = early;
})();
