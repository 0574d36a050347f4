// The messages between the page (client.ts) and the worker (worker.ts), and
// the JSON shapes the wasm module returns (mirrors wasm/api.go).

export type Severity = "error" | "warning";

export interface Diagnostic {
  path: string;
  line: number; // 1-based, 0 when unknown
  col: number; // 1-based, 0 when unknown
  severity: Severity;
  message: string;
  hint?: string;
}

/** A file as the UI sees it: text decoded in the worker (absent for binary files). */
export interface FileOut {
  path: string;
  mode: number;
  size: number;
  sha256: string;
  text?: string;
}

/** A file as the wasm describes it: its bytes are at offset in the data blob. */
export interface WasmFile {
  path: string;
  mode: number;
  size: number;
  offset: number;
  sha256: string;
  binary?: boolean;
}

export interface MachineOut {
  name: string;
  class: string;
  system: string;
  zerotier: string;
  hetzner: "on" | "off" | "";
}

export interface UserOut {
  name: string;
  admin: boolean;
  machines: string[];
}

export interface FleetOut {
  name: string;
  machines: MachineOut[];
  users: UserOut[];
  admins: string[];
}

export interface ReaderOut {
  kind: string;
  name: string;
  recipient: string;
}

export interface AccessOut {
  path: string;
  /** "sops-nix", "clan vars" or "clan secrets" (gen.Tier*). */
  tier: string;
  readers: ReaderOut[];
}

export interface GenerateResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  error?: string;
  files: FileOut[];
  fleet?: FleetOut;
  access: AccessOut[];
  terraform?: string;
}

export interface KeyOut {
  line: number;
  type: string;
  recipient: string;
  fingerprint: string;
  comment: string;
}

export interface LineErrOut {
  line: number;
  msg: string;
  hint?: string;
  private: boolean;
}

export interface KeysResult {
  keys: KeyOut[];
  errors: LineErrOut[];
}

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
  schema: { args: Record<string, never>; result: unknown };
}

export type Kind = keyof Requests;

export interface RequestMsg<K extends Kind = Kind> {
  id: number;
  type: K;
  /** Requests with the same slot replace each other (latest wins). */
  slot: string;
  args: Requests[K]["args"];
}

export interface InitMsg {
  id: 0;
  type: "init";
  wasm: string;
}

export type ToWorker = RequestMsg | InitMsg;

export type FromWorker =
  | { id: number; ok: true; result: unknown; ms: number }
  | { id: number; ok: false; error: string; superseded?: boolean }
  | { id: 0; type: "progress"; loaded: number; total: number }
  | { id: 0; type: "compiling" }
  | { id: 0; type: "ready"; ms: number }
  | { id: 0; type: "failed"; error: string };
