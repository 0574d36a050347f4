// Schema-aware completion in the fleet.json editor: property names of the
// object the cursor is in, and the allowed values (enums, booleans) of the
// field whose value it is at, both read from the JSON Schema the worker
// hands over (gen.Schema), so completion always matches the validator.
//
// Where the cursor is, in JSON terms, comes from a small scanner over the
// text before it rather than the syntax tree: while a user types, the text
// after the cursor is often not JSON yet, and the scanner only needs what
// comes before.
import type { Completion, CompletionContext, CompletionResult, CompletionSource } from "@codemirror/autocomplete";
import type { EditorView } from "@codemirror/view";
import type { Json, Path } from "./model";
import type { FieldInfo, FleetSchema } from "./schema";

/** What is being typed at a position of a JSON text. */
export interface JsonContext {
  /** A property name (of the object at path) or a value (of the field at path). */
  kind: "key" | "value";
  path: Path;
  /** The token being completed: from its first character (its opening quote) to its end. */
  from: number;
  to: number;
  /** Whether the token is a string (its text starts after the quote). */
  quoted: boolean;
  /** Keys the object already has before the cursor (for kind "key"). */
  present: string[];
  /**
   * The scalar values (strings, numbers, booleans, null) of the object the
   * key is in, or the value's field is in, before and after the cursor; the
   * schema's rules read them (a darwin machine's systems).
   */
  known: Record<string, Json>;
}

type Frame = { t: "o"; path: Path; key: string | null; expect: "key" | "colon" | "value" | "comma"; keys: string[]; vals: Record<string, Json> } | { t: "a"; path: Path; index: number; expect: "value" | "comma" };

/** A JSON scalar's text as its value, or undefined when it is none (yet). */
function scalar(text: string): Json | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The end of the string starting at i (the index of its closing quote), or -1 if it ends with the line. */
function stringEnd(doc: string, i: number): number {
  for (let j = i + 1; j < doc.length; j++) {
    const c = doc[j];
    if (c === "\\") j++;
    else if (c === '"') return j;
    else if (c === "\n") return -1;
  }
  return -1;
}

/**
 * The fields of the object that continues at i (the cursor's object, after
 * the cursor): strings at its own depth followed by ':', up to its end, and
 * the scalar values that follow them.
 */
function fieldsAfter(doc: string, i: number): { keys: string[]; known: Record<string, Json> } {
  const keys: string[] = [];
  const known: Record<string, Json> = {};
  let depth = 0;
  let key: string | null = null; // the key whose value comes next, at depth 0
  while (i < doc.length) {
    const c = doc[i]!;
    if (c === '"') {
      const end = stringEnd(doc, i);
      if (end < 0) {
        i = doc.indexOf("\n", i);
        if (i < 0) break;
        key = null;
        continue;
      }
      let j = end + 1;
      while (j < doc.length && /\s/.test(doc[j]!)) j++;
      const text = doc.slice(i, end + 1);
      if (depth === 0 && doc[j] === ":") {
        const k = scalar(text);
        // Not a well-formed key: not one to leave out either.
        if (typeof k === "string") keys.push(k);
        key = typeof k === "string" ? k : null;
        i = j + 1;
        continue;
      }
      if (depth === 0 && key !== null) {
        const v = scalar(text);
        if (v !== undefined) known[key] = v;
      }
      key = null;
      i = end + 1;
      continue;
    }
    if (c === "{" || c === "[") {
      depth++;
      key = null;
    } else if (c === "}" || c === "]") {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && key !== null && /[-\w]/.test(c)) {
      let j = i;
      while (j < doc.length && !/[\s,:\]}"]/.test(doc[j]!)) j++;
      const v = scalar(doc.slice(i, j));
      if (v !== undefined) known[key] = v;
      key = null;
      i = j;
      continue;
    }
    i++;
  }
  return { keys, known };
}

/** Where pos is in doc, or null outside any object or array (or where nothing can be typed). */
export function jsonContext(doc: string, pos: number): JsonContext | null {
  const stack: Frame[] = [];
  const top = (): Frame | undefined => stack[stack.length - 1];
  const childPath = (): Path => {
    const f = top();
    if (!f) return [];
    return f.t === "o" ? [...f.path, f.key ?? ""] : [...f.path, f.index];
  };
  const consumed = (): void => {
    const f = top();
    if (f) f.expect = "comma";
  };
  const here = (kind: "key" | "value", from: number, to: number, quoted: boolean): JsonContext | null => {
    const f = top();
    if (!f) return null;
    const after = f.t === "o" ? fieldsAfter(doc, to) : { keys: [], known: {} };
    // The object's values around the cursor, less the one being typed.
    const known = f.t === "o" ? { ...f.vals, ...after.known } : {};
    if (kind === "value" && f.t === "o" && f.key !== null) delete known[f.key];
    if (kind === "key") return f.t === "o" ? { kind, path: f.path, from, to, quoted, present: [...f.keys, ...after.keys], known } : null;
    return { kind, path: childPath(), from, to, quoted, present: [], known };
  };
  let i = 0;
  while (i < pos) {
    const c = doc[i]!;
    if (c === " " || c === "\n" || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    const f = top();
    if (c === "{" || c === "[") {
      const path = childPath();
      consumed();
      stack.push(c === "{" ? { t: "o", path, key: null, expect: "key", keys: [], vals: {} } : { t: "a", path, index: 0, expect: "value" });
      i++;
    } else if (c === "}" || c === "]") {
      stack.pop();
      i++;
    } else if (c === ",") {
      if (f?.t === "o") {
        f.expect = "key";
        f.key = null;
      } else if (f?.t === "a") {
        f.index++;
        f.expect = "value";
      }
      i++;
    } else if (c === ":") {
      if (f?.t === "o") f.expect = "value";
      i++;
    } else if (c === '"') {
      const end = stringEnd(doc, i);
      const isKey = f?.t === "o" && f.expect === "key";
      if (end < 0 || end >= pos) {
        // The cursor is inside this string.
        const to = end < 0 ? pos : end + 1;
        return here(isKey ? "key" : "value", i, to, true);
      }
      if (isKey && f?.t === "o") {
        let k = "";
        try {
          k = JSON.parse(doc.slice(i, end + 1)) as string;
        } catch {
          k = doc.slice(i + 1, end);
        }
        f.key = k;
        f.keys.push(k);
        f.expect = "colon";
      } else {
        if (f?.t === "o" && f.expect === "value" && f.key !== null) {
          const v = scalar(doc.slice(i, end + 1));
          if (v !== undefined) f.vals[f.key] = v;
        }
        consumed();
      }
      i = end + 1;
    } else {
      // A number or a literal (true, false, null), or a word being typed.
      let j = i;
      while (j < doc.length && !/[\s,:\]}"]/.test(doc[j]!)) j++;
      if (j >= pos) {
        const isKey = f?.t === "o" && f.expect === "key";
        return here(isKey ? "key" : "value", i, j, false);
      }
      if (f?.t === "o" && f.expect === "value" && f.key !== null) {
        const v = scalar(doc.slice(i, j));
        if (v !== undefined) f.vals[f.key] = v;
      }
      consumed();
      i = j;
    }
  }
  const f = top();
  if (!f) return null;
  if (f.t === "o" && f.expect === "key") return here("key", pos, pos, false);
  if (f.expect === "value") return here("value", pos, pos, false);
  return null;
}

/** A completion source for fleet.json over the schema schema() returns (none until it is loaded). */
export function schemaCompletion(schema: () => FleetSchema | null): CompletionSource {
  return (ctx: CompletionContext): CompletionResult | null => {
    const s = schema();
    if (!s) return null;
    const c = jsonContext(ctx.state.doc.toString(), ctx.pos);
    if (!c) return null;
    // Unprompted, only once a name or value has been started.
    if (!ctx.explicit && !c.quoted && c.from === ctx.pos) return null;
    const from = c.quoted ? c.from + 1 : c.from;
    // The whole token is replaced, as it is when the option is picked
    // (typing on after the query moves its end): a string with both its
    // quotes, a bare word to its end.
    const replace =
      (text: string) =>
      (view: EditorView, _c: Completion, start: number, end: number): void => {
        const line = view.state.doc.lineAt(start);
        const rest = line.text;
        const a = c.quoted ? start - 1 : start;
        let b = end;
        if (c.quoted) {
          const close = stringEnd(rest, a - line.from);
          if (close >= 0) b = line.from + close + 1;
        } else {
          while (b < line.to && !/[\s,:\]}"]/.test(rest[b - line.from]!)) b++;
        }
        view.dispatch({ changes: { from: a, to: b, insert: text }, selection: { anchor: a + text.length }, userEvent: "input.complete" });
      };
    if (c.kind === "key") {
      const options: Completion[] = s
        .properties(c.path, c.known)
        .filter((p) => !c.present.includes(p.name))
        .map((p): Completion => {
          const d = detail(p);
          return { label: p.name, type: "property", ...(d ? { detail: d } : {}), ...(p.description ? { info: p.description } : {}), apply: replace(`${JSON.stringify(p.name)}: `) };
        });
      return options.length ? { from, options, validFor: /^[\w-]*$/ } : null;
    }
    const f = s.field(c.path, c.known);
    if (!f) return null;
    const values: Json[] = f.enum ?? (f.type === "boolean" ? [true, false] : []);
    if (values.length === 0) return null;
    // In the schema's order (it puts the usual value first), not alphabetical.
    const options: Completion[] = values.map((v, i) => ({
      label: typeof v === "string" && c.quoted ? v : JSON.stringify(v),
      boost: -Math.min(i, 99),
      type: typeof v === "string" ? "enum" : "keyword",
      ...(v === f.default ? { detail: "default" } : {}),
      apply: replace(JSON.stringify(v)),
    }));
    return { from, options, validFor: /^[\w.-]*$/ };
  };
}

function detail(p: FieldInfo): string {
  const d = p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : "";
  return p.type ? p.type + d : d;
}
