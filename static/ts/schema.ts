// The JSON Schema of fleet.json (gen.Schema, which the worker's wasm hands
// over, so it always matches the generator that validates the spec) as the
// form reads it: a field's choices (enum) and default, looked up by the same
// path the form writes. Only the keywords gen.Schema writes for structure
// are read; anything unexpected reads as "no information", so the form falls
// back to a plain text field instead of failing.
import type { Json, Path } from "./model";

interface Node {
  properties?: Record<string, Node>;
  items?: Node;
  enum?: Json[];
  default?: Json;
  description?: string;
  type?: string | string[];
}

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

  /** The properties the object at path may have, in schema order (empty when it is no object). */
  properties(path: Path): FieldInfo[] {
    const props = this.node(path)?.properties;
    if (!isNode(props)) return [];
    return Object.keys(props).flatMap((k) => {
      const f = this.field([...path, k]);
      return f ? [f] : [];
    });
  }

  /** What the schema says about the field at path, or null when it does not describe it. */
  field(path: Path): FieldInfo | null {
    const n = this.node(path);
    if (!n) return null;
    const last = path[path.length - 1];
    return {
      name: typeof last === "string" ? last : "",
      description: typeof n.description === "string" ? n.description : "",
      type: typeof n.type === "string" ? n.type : Array.isArray(n.type) ? n.type.join(" | ") : "",
      enum: Array.isArray(n.enum) ? n.enum : null,
      default: n.default,
    };
  }

  /** The string values the field allows, or null when the schema lists none. */
  choices(path: Path): string[] | null {
    const e = this.node(path)?.enum;
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
