// What the file tree and preview show, said in words: the current output,
// the last good output gone stale (the spec has errors), the default
// example pre-rendered at build time (before the generator's first result),
// nothing (an empty spec, or a generator that failed). The same state
// decides whether the downloads are on, and a disabled download says why,
// visibly and to screen readers (aria-describedby).

export type Output =
  /** Nothing generated yet; the generator is loading or working. */
  | { kind: "pending" }
  /** The build's pre-rendered files of the default example; stuck: the generator timed out (Retry). */
  | { kind: "prerendered"; stuck?: boolean }
  /** The output of the current spec. */
  | { kind: "fresh" }
  /** The last good output; the current spec has `errors` errors (or could not be generated: `error`). */
  | { kind: "stale"; errors: number; error?: string }
  /** The spec is empty: no files at all. */
  | { kind: "empty" }
  /** No output: the generator failed or timed out (retry: press Retry), or the first spec had errors. */
  | { kind: "failed"; error: string; retry: boolean }
  /** No output, ever: this browser cannot run the generator (error says why and what to use). */
  | { kind: "unsupported"; error: string };

export interface OutputStateOptions {
  /** #fy-pg: carries data-output for styles and tests. */
  root: HTMLElement;
  /** The pane the label goes at the top of (the preview). */
  pane: HTMLElement;
  /** The download buttons that need a generated result. */
  downloads: HTMLButtonElement[];
  /** Where the reason a download is off is shown (beside the details' status line). */
  whyParent: HTMLElement;
  /** Called after every change of the output state. */
  onChange?: (out: Output) => void;
}

export class OutputState {
  readonly label: HTMLElement;
  readonly why: HTMLElement;
  current: Output = { kind: "pending" };

  constructor(private readonly o: OutputStateOptions) {
    this.label = document.createElement("p");
    this.label.id = "fy-output-state";
    this.label.className = "fy-output-state";
    o.pane.prepend(this.label);
    this.why = document.createElement("span");
    this.why.id = "fy-export-why";
    this.why.className = "fy-export-why";
    o.whyParent.append(this.why);
    this.set(this.current);
  }

  /** Whether the downloads are on (only for the current spec's own output). */
  get exportable(): boolean {
    return this.current.kind === "fresh";
  }

  set(out: Output): void {
    this.current = out;
    this.o.root.dataset.output = out.kind;
    const [label, why] = describe(out);
    this.label.textContent = label;
    this.label.hidden = label === "";
    this.why.textContent = why;
    this.why.hidden = why === "";
    for (const b of this.o.downloads) {
      b.disabled = why !== "";
      if (why) {
        b.title = why;
        b.setAttribute("aria-describedby", this.why.id);
      } else {
        b.removeAttribute("title");
        b.removeAttribute("aria-describedby");
      }
    }
    this.o.onChange?.(out);
  }
}

/** The pane label and the reason downloads are off ("" when on / no label). */
export function describe(out: Output): [label: string, why: string] {
  switch (out.kind) {
    case "pending":
      return ["Generating your files…", "Download is available once your files are generated."];
    case "prerendered":
      return [
        `Pre-rendered: the default example as built with the site (its secret stubs use the public docs entropy). ${out.stuck ? "The generator did not finish your files: press Retry." : "Your own files replace it as soon as the generator is ready."}`,
        out.stuck ? "Download is off: the generator did not produce your files (press Retry)." : "Download is available once your files are generated.",
      ];
    case "fresh":
      return ["", ""];
    case "stale": {
      const what = out.error ? "the spec could not be generated" : `the spec has ${out.errors} error${out.errors === 1 ? "" : "s"}`;
      return [
        `Stale: these files are from the last valid spec; ${what}. Fix ${out.error || out.errors !== 1 ? "them" : "it"} (see Diagnostics) to update.`,
        `Download is off: ${what} (see Diagnostics).`,
      ];
    }
    case "empty":
      return ["The spec is empty, so there are no files. Choose an example, import a fleet.json, or write one in the fleet.json tab.", "Download is off: the spec is empty."];
    case "unsupported":
      return [out.error, "Download is off: this browser cannot run the generator."];
    case "failed":
      return out.retry
        ? [`Not generated: ${out.error.replace(/\.$/, "")}. Press Retry.`, "Download is off: the generator did not produce the files (press Retry)."]
        : [`Not generated: ${out.error} (see Diagnostics).`, `Download is off: ${out.error} (see Diagnostics).`];
  }
}

/** What the preview says when there is no file to show. */
export function emptyPreview(out: Output): string {
  switch (out.kind) {
    case "unsupported":
      return "No files: the generator cannot run in this browser.";
    case "failed":
      if (out.retry) return "No files yet: the generator did not finish (press Retry).";
      break;
    case "empty":
      return "The spec is empty, so there are no files.";
  }
  return "The generated files appear here once the spec is valid.";
}
