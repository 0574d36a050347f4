// The playground's first script: a few hundred bytes the page's <head>
// loads as an async module, so it runs as soon as it arrives, while the
// browser is still parsing the page and long before the playground's
// bundle has been fetched and evaluated. All it does is start the generator
// worker and its wasm download (an init message without options), so that
// the download, the compile and the Go runtime's start run on the second
// core beside the page's own start-up. The bundle's WorkerClient adopts the
// worker (takeStartedWorker in client.ts), replays what it has said so far,
// and sends its own init with the options it knows only then.
import type { FromWorker, StartedWorker, ToWorker } from "./protocol";

const el = document.querySelector<HTMLScriptElement>("script[data-fy-start]");
const { worker: workerURL, wasm, wasmSize } = el?.dataset ?? {};
if (workerURL && wasm && typeof Worker === "function" && typeof WebAssembly === "object") {
  performance.mark("fy-worker-start");
  const worker = new Worker(workerURL, { type: "module", name: "fleetyard-generator" });
  const started: StartedWorker = { worker, wasm, heard: [], error: null };
  worker.onmessage = (ev: MessageEvent<FromWorker>) => void started.heard.push(ev.data);
  worker.onerror = (ev) => {
    ev.preventDefault();
    started.error = ev.message || "unknown error";
  };
  const size = Number(wasmSize ?? "");
  worker.postMessage({ id: 0, type: "init", wasm, ...(size > 0 ? { size } : {}) } satisfies ToWorker);
  (globalThis as { fleetyardStarted?: StartedWorker }).fleetyardStarted = started;
}
