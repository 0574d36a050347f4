// Resolved by the site builder's esbuild plugin to $(go env GOROOT)/lib/wasm/wasm_exec.js,
// a classic script that defines globalThis.Go.
declare module "go:wasm_exec";

/** The Go runtime shim from wasm_exec.js. */
declare class Go {
  importObject: WebAssembly.Imports;
  /** The environment the Go program sees (os.Getenv; the runtime reads GOGC from it). */
  env: Record<string, string>;
  run(instance: WebAssembly.Instance): Promise<void>;
}

/** What wasm/main.go installs on globalThis (see wasm/api.go for the JSON shapes). */
interface FleetyardWasm {
  /**
   * meta: JSON (see GenerateResult in wasm/api.go), relative to the stream's
   * answer base ("0": a full answer); data: the answered files' bytes, at
   * files[i].offset.
   */
  generate(spec: string, entropyHex: string, timeRFC3339: string, stream: string, base: string): { meta: string; data: Uint8Array<ArrayBuffer> } | Error;
  /** The manifest stream's last answer left for later, as a delta of that answer (same shape as generate's); null when there is none. */
  settle(stream: string): { meta: string; data: Uint8Array<ArrayBuffer> } | null | Error;
  archive(spec: string, entropyHex: string, timeRFC3339: string, format: string): Uint8Array<ArrayBuffer> | Error;
  /** The "Update my repo" .zip: files of spec that differ from base's generation, plus UPDATE.txt. */
  changes(spec: string, base: string, entropyHex: string, timeRFC3339: string): Uint8Array<ArrayBuffer> | Error;
  keys(text: string): string | Error;
  /** One generation of spec nobody sees, on the warm-up's own session; "" ends the warm-up. */
  warm(spec: string): undefined | Error;
  shareEncode(spec: string): string | Error;
  shareDecode(fragment: string): string | Error;
}

// eslint-disable-next-line no-var
declare var fleetyard: FleetyardWasm | undefined;
