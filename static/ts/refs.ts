// Where a spec names its machines and users (gen/spec.go, and the
// cross-field rules of shared/design/spec.md): a user's machines and a vars
// generator's machines name machines; a Mac's darwin.primaryUser names a
// user. Admins, tags and everything else are not referenced by name. The
// form renames and drops these references together with the machine or user.
import { arr, getAt, isObj, type Obj, type Path } from "./model";

export type RefKind = "machine" | "user";

/** The paths of every reference to the machine or user called name, in spec order. */
export function refsTo(spec: Obj | null, kind: RefKind, name: string): Path[] {
  const out: Path[] = [];
  if (!spec || name === "") return out;
  if (kind === "machine") {
    for (const list of ["users", "vars"]) {
      arr(spec[list]).forEach((item, i) => {
        if (!isObj(item)) return;
        arr(item.machines).forEach((m, j) => {
          if (m === name) out.push([list, i, "machines", j]);
        });
      });
    }
  } else {
    arr(spec.machines).forEach((m, i) => {
      if (getAt(m, ["darwin", "primaryUser"]) === name) out.push(["machines", i, "darwin", "primaryUser"]);
    });
  }
  return out;
}

/**
 * Removes every reference to a machine or user that is being deleted: the
 * machine leaves the users' and generators' machine lists; a Mac whose
 * primary user it was goes back to gen's default (the first admin user on it).
 */
export function dropRefs(spec: Obj, kind: RefKind, name: string): void {
  if (name === "") return;
  if (kind === "machine") {
    for (const list of ["users", "vars"]) {
      for (const item of arr(spec[list])) {
        if (isObj(item) && Array.isArray(item.machines)) item.machines = item.machines.filter((m) => m !== name);
      }
    }
    return;
  }
  for (const m of arr(spec.machines)) {
    if (isObj(m) && isObj(m.darwin) && m.darwin.primaryUser === name) {
      delete m.darwin.primaryUser;
      if (Object.keys(m.darwin).length === 0) delete m.darwin;
    }
  }
}
