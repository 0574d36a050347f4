// The JSON Schema of fleet.json (gen.Schema, which the worker's wasm hands
// over, so it always matches the generator that validates the spec) as the
// form reads it: a field's choices (enum) and default, looked up by the same
// path the form writes. Only the keywords gen.Schema writes for structure
// are read; anything unexpected reads as "no information", so the form falls
// back to a plain text field instead of failing.
//
// An object's conditional rules (allOf of if/then, as gen.Schema writes a
// machine's class rules) narrow its fields when the caller knows the
// object's values: a darwin machine's systems are the darwin ones, and it
// has no hetzner block. Only "if" clauses of consts are understood; any
// other reads as not holding.
import type { Json, Path } from "./model";

interface Node {
  properties?: Record<string, Node | boolean>;
  items?: Node;
  enum?: Json[];
  default?: Json;
  description?: string;
  type?: string | string[];
  allOf?: unknown[];
}

/** Values an object already has (its scalar fields), for the conditional rules. */
export type Known = Readonly<Record<string, Json>>;

/** What the schema says about one field, for completion in the fleet.json editor. */
export interface FieldInfo {
  name: string;
  description: string;
  /** The JSON type ("string", "object", …) or "" when the schema names none. */
  type: string;
  enum: Json[] | null;
  default: Json | undefined;
}

export class FleetSchema {
  private constructor(private readonly root: Node) {}

  /** The schema from the worker's answer, or null if it is not one. */
  static from(v: unknown): FleetSchema | null {
    return isNode(v) && isNode(v.properties) ? new FleetSchema(v) : null;
  }

  /** The schema of the field at path (array indices step into items). */
  private node(path: Path): Node | undefined {
    let n: Node | undefined = this.root;
    for (const k of path) {
      if (!n) return undefined;
      const next: unknown = typeof k === "number" ? n.items : n.properties?.[k];
      n = isNode(next) ? next : undefined;
    }
    return n;
  }

  /**
   * The "then" properties of the rules of the object at path whose "if"
   * holds for its known values.
   */
  private rules(path: Path, known: Known | undefined): Record<string, unknown>[] {
    const all = known ? this.node(path)?.allOf : undefined;
    if (!known || !Array.isArray(all)) return [];
    return all.flatMap((r) => {
      if (!isNode(r) || !isNode(r.if) || !isNode(r.then) || !isNode(r.then.properties)) return [];
      const cond = r.if.properties;
      if (!isNode(cond)) return [];
      const holds = Object.entries(cond).every(([k, c]) => isNode(c) && "const" in c && k in known && known[k] === c.const);
      return holds ? [r.then.properties] : [];
    });
  }

  /**
   * The properties the object at path may have, in schema order (empty when
   * it is no object); with its known values, not those its rules forbid.
   */
  properties(path: Path, known?: Known): FieldInfo[] {
    const props = this.node(path)?.properties;
    if (!isNode(props)) return [];
    const rules = this.rules(path, known);
    return Object.keys(props).flatMap((k) => {
      if (rules.some((r) => r[k] === false)) return [];
      const f = this.field([...path, k]);
      return f ? [f] : [];
    });
  }

  /**
   * What the schema says about the field at path, or null when it does not
   * describe it (or the rules of its object, given the object's known
   * values, forbid it). The rules narrow the enum: to their own enum, less a
   * value they exclude ("not": {"const": …}).
   */
  field(path: Path, known?: Known): FieldInfo | null {
    const n = this.node(path);
    if (!n) return null;
    const last = path[path.length - 1];
    let values: Json[] | null = Array.isArray(n.enum) ? n.enum : null;
    if (typeof last === "string") {
      for (const r of this.rules(path.slice(0, -1), known)) {
        const c = r[last];
        if (c === false) return null;
        if (!isNode(c)) continue;
        if (Array.isArray(c.enum)) {
          const allowed = c.enum as Json[];
          values = values ? values.filter((v) => allowed.includes(v)) : allowed;
        }
        if (isNode(c.not) && "const" in c.not && values) {
          const no = c.not.const;
          values = values.filter((v) => v !== no);
        }
      }
    }
    return {
      name: typeof last === "string" ? last : "",
      description: typeof n.description === "string" ? n.description : "",
      type: typeof n.type === "string" ? n.type : Array.isArray(n.type) ? n.type.join(" | ") : "",
      enum: values,
      default: n.default,
    };
  }

  /**
   * The string values the field allows, or null when the schema lists none;
   * narrowed by its object's rules when known holds the object's values.
   */
  choices(path: Path, known?: Known): string[] | null {
    const e = this.field(path, known)?.enum;
    if (!Array.isArray(e)) return null;
    const out = e.filter((x): x is string => typeof x === "string");
    return out.length === e.length && out.length > 0 ? out : null;
  }

  /** The field's documented default, or undefined. */
  default(path: Path): Json | undefined {
    return this.node(path)?.default;
  }

  /** The default when it is a string (for selects and placeholders). */
  defaultString(path: Path): string | undefined {
    const d = this.default(path);
    return typeof d === "string" ? d : undefined;
  }

  /** The default when it is a boolean (for checkboxes). */
  defaultBool(path: Path): boolean | undefined {
    const d = this.default(path);
    return typeof d === "boolean" ? d : undefined;
  }
}

function isNode(v: unknown): v is Node & Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
