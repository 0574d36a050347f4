// The messages between the page (client.ts) and the worker (worker.ts), and
// the JSON shapes the wasm module returns. Those mirror wasm/api.go by hand:
// each interface that does carries `@go <Go type>` in its doc comment, and
// wasm/contract_test.go checks them field by field against the Go types
// (names, types, optional exactly where Go has omitempty). Keep the mirrored
// interfaces to the syntax that test reads: one field per line or `;`,
// string, number, boolean, string-literal unions, arrays and other mirrored
// interfaces.

export type Severity = "error" | "warning";

/** @go gen.Diagnostic */
export interface Diagnostic {
  path: string;
  line: number; // 1-based, 0 when unknown
  col: number; // 1-based, 0 when unknown
  severity: Severity;
  message: string;
  hint?: string;
}

/** A file as the UI sees it: text decoded from the answer's blob when first read (absent for binary files; wire.ts). Not in wasm/api.go. */
export interface FileOut {
  path: string;
  mode: number;
  size: number;
  /** Equal IDs, equal bytes (internal/fileid: the length and a CRC-64). */
  id: string;
  text?: string;
}

/**
 * A file as the wasm describes it: its bytes are at offset in the data blob.
 * @go FileOut
 */
export interface WasmFile {
  path: string;
  mode: number;
  size: number;
  offset: number;
  id: string;
  binary?: boolean;
}

/** @go MachineOut */
export interface MachineOut {
  name: string;
  class: string;
  system: string;
  zerotier: string;
  hetzner: "on" | "off" | "";
}

/** @go UserOut */
export interface UserOut {
  name: string;
  admin: boolean;
  machines: string[];
}

/** @go FleetOut */
export interface FleetOut {
  name: string;
  machines: MachineOut[];
  users: UserOut[];
  admins: string[];
}

/** @go ReaderOut */
export interface ReaderOut {
  kind: string;
  name: string;
  recipient: string;
}

/** @go AccessOut */
export interface AccessOut {
  path: string;
  /** "sops-nix", "clan vars" or "clan secrets" (gen.Tier*). */
  tier: string;
  readers: ReaderOut[];
}

/**
 * The JSON of generate's meta: a full answer (base 0) or the changes since
 * the stream's answer `base` (see GenerateResult in wasm/api.go).
 * @go GenerateResult
 */
export interface WasmGenerateResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  error?: string;
  base: number;
  seq: number;
  /** Full answer: every file, in order. Delta: the new and changed files. */
  files: WasmFile[];
  removed?: string[];
  /** The whole path order, when it is not the previous one minus removed. */
  order?: string[];
  fleet?: FleetOut;
  sameFleet?: boolean;
  access?: AccessOut[];
  sameAccess?: boolean;
  terraform?: string;
  sameTerraform?: boolean;
  /** The manifest is still an earlier answer's: a settle answer brings this one's. */
  manifestLater?: boolean;
}

/**
 * What the worker posts for a generate or settle answer: the wasm's answer
 * and the blob its files point into, transferred, not copied. The page
 * decodes a file's text only when something reads it (wire.ts).
 */
export type GenerateWire = WasmGenerateResult & { data: Uint8Array<ArrayBuffer> };

/** A generate answer with its files as the UI sees them (wire.ts makes it). genstream.ts merges it. */
export type GenerateDelta = Omit<WasmGenerateResult, "files"> & { files: FileOut[] };

/** What a generate request resolves to (client.ts merges the worker's deltas): the whole result, as if generated from scratch. */
export interface GenerateResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  error?: string;
  /** Every file, in order; empty when ok is false. */
  files: FileOut[];
  fleet?: FleetOut;
  access: AccessOut[];
  terraform?: string;
  /** The manifest (.fleetyard/generated.json) is still an earlier generation's: the worker settles it once idle (WorkerClient.onSettled). */
  manifestLater?: boolean;
}

/** @go KeyOut */
export interface KeyOut {
  line: number;
  type: string;
  recipient: string;
  fingerprint: string;
  comment: string;
}

/** @go LineErrOut */
export interface LineErrOut {
  line: number;
  msg: string;
  hint?: string;
  private: boolean;
}

/** @go KeysResult */
export interface KeysResult {
  keys: KeyOut[];
  errors: LineErrOut[];
}

/** @go ShareResult */
export interface ShareResult {
  ok: boolean;
  value?: string;
  error?: string;
  tooLarge?: boolean;
}

/** Requests: every kind with its arguments and its result type. */
export interface Requests {
  generate: { args: { spec: string; entropy: string; time: string }; result: GenerateResult };
  archive: { args: { spec: string; entropy: string; time: string; format: "tar.gz" | "zip" }; result: Uint8Array<ArrayBuffer> };
  changes: { args: { spec: string; base: string; entropy: string; time: string }; result: Uint8Array<ArrayBuffer> };
  keys: { args: { text: string }; result: KeysResult };
  shareEncode: { args: { spec: string }; result: ShareResult };
  shareDecode: { args: { fragment: string }; result: ShareResult };
}

export type Kind = keyof Requests;

export interface RequestMsg<K extends Kind = Kind> {
  id: number;
  type: K;
  /** Requests with the same slot replace each other (latest wins). */
  slot: string;
  args: Requests[K]["args"];
  /**
   * generate only: the answer (seq) of this slot's stream the page holds, 0
   * for none; the worker answers relative to it when it can (wasm/stream.go).
   */
  base?: number;
}

/**
 * Starts the worker's wasm download, compile and start. A worker may get a
 * second init for the same wasm (start.ts sends the first, before the page
 * knows warm and idle; the page's client the second): the download is not
 * repeated, and the second's options apply.
 */
export interface InitMsg {
  id: 0;
  type: "init";
  wasm: string;
  /** The wasm's uncompressed size (the build knows it): the progress total when the response is compressed. */
  size?: number;
  /**
   * A spec to generate once, result unused, as soon as the generator is
   * loaded if no request is waiting: the first call into a fresh module is
   * several times slower than the next, so it is better spent before the
   * page asks.
   */
  warm?: string;
  /**
   * A spec to exercise the generator on while the page is idle, on a session
   * of its own, a few generations long (worker.ts, idleWarm): V8 optimizes a
   * wasm function only after it has run enough, so without this the user's
   * first keystrokes run unoptimized code (several times slower).
   */
  idle?: string;
}

export type ToWorker = RequestMsg | InitMsg;

/**
 * The worker static/ts/start.ts started while the page was still being
 * parsed (globalThis.fleetyardStarted), for the page's WorkerClient to adopt:
 * its wasm URL, what it has said so far, and the error it failed with
 * before anyone listened, if any.
 */
export interface StartedWorker {
  worker: Worker;
  wasm: string;
  heard: FromWorker[];
  error: string | null;
}

/**
 * When each step of loading the generator ended, in milliseconds since the
 * Unix epoch (performance.timeOrigin + now()), so the page can place them on
 * its own timeline: the worker's clock starts at a different origin.
 */
export interface LoadPhases {
  /** The worker script started running. */
  workerStart: number;
  /** The wasm response's headers arrived. */
  response: number;
  /** The last byte of the wasm arrived. */
  downloaded: number;
  /** The module was compiled and instantiated. */
  instantiated: number;
  /** Go's main had registered the API (runtime and package initialisation done). */
  started: number;
}

export type FromWorker =
  | { id: number; ok: true; result: unknown; ms: number }
  | { id: number; ok: false; error: string; superseded?: boolean }
  | { id: 0; type: "progress"; loaded: number; total: number }
  | { id: 0; type: "compiling" }
  | { id: 0; type: "ready"; ms: number; phases: LoadPhases }
  | { id: 0; type: "warmed"; ms: number }
  /** The idle warm-up is over: steps generations, ms of the worker's time in all, and why it ended. */
  | { id: 0; type: "idle-warmed"; steps: number; ms: number; end: "steps" | "time" | "error" }
  | { id: 0; type: "failed"; error: string }
  /** The manifest a generate answer of slot left for later, as a delta of that answer (wasm/stream.go settle). */
  | { id: 0; type: "settled"; slot: string; result: GenerateWire; ms: number };
