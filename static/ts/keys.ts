// Key paste fields: one per user, admin (several keys) and machine (one host
// key). Each shows, per key, the derived age1… recipient and the SHA256
// fingerprint, and per line what is wrong with the rest. Private key material
// is refused before it enters the field where possible (paste/beforeinput),
// and cleared at once otherwise; it never reaches the model.
import { Superseded, type WorkerClient } from "./client";
import { debounce, h, nextId } from "./dom";
import type { KeysResult } from "./protocol";
import { containsPrivate, privateRefusal } from "./secret";

export interface KeyFieldOptions {
  client: WorkerClient;
  label: string;
  keys: string[];
  /** One key only (a machine host key). */
  single?: boolean;
  /** Called with the accepted lines (never private material). */
  onAccept: (lines: string[]) => void;
  path: string;
}

export function keyField(o: KeyFieldOptions): HTMLElement {
  const id = nextId("keys");
  const outId = `${id}-out`;
  let accepted = o.keys.join("\n");
  const area = h("textarea", {
    id,
    class: "fy-keys-input",
    rows: o.single ? 2 : Math.min(4, Math.max(2, o.keys.length + 1)),
    spellcheck: "false",
    autocomplete: "off",
    "aria-describedby": outId,
    "data-path": o.path,
    placeholder: o.single ? "ssh-ed25519 AAAA… root@host" : "ssh-ed25519 AAAA… you@laptop (one per line)",
  });
  area.value = accepted;
  const out = h("div", { id: outId, class: "fy-keys-out", "aria-live": "polite" });
  const field = h("div", { class: "fy-keys" }, h("label", { for: id }, o.label), area, out);

  const refuse = (): void => {
    area.value = accepted;
    out.replaceChildren(h("p", { class: "fy-refusal", role: "alert" }, privateRefusal));
    area.setAttribute("aria-invalid", "true");
  };
  // Stop private material at the door: it never becomes the field's value.
  area.addEventListener("paste", (ev) => {
    const text = ev.clipboardData?.getData("text/plain") ?? "";
    if (containsPrivate(text)) {
      ev.preventDefault();
      refuse();
    }
  });
  area.addEventListener("beforeinput", (ev) => {
    const data = ev.data ?? ev.dataTransfer?.getData("text/plain") ?? "";
    if (data && containsPrivate(data)) {
      ev.preventDefault();
      refuse();
    }
  });
  area.addEventListener("drop", (ev) => {
    const text = ev.dataTransfer?.getData("text/plain") ?? "";
    if (containsPrivate(text)) {
      ev.preventDefault();
      refuse();
    }
  });

  const check = debounce((text: string) => {
    o.client
      .request("keys", { text }, `keys:${id}`)
      .then(({ result }) => {
        if (area.value !== text) return;
        if (result.errors.some((e) => e.private)) {
          refuse();
          return;
        }
        area.removeAttribute("aria-invalid");
        render(out, result);
        if (result.errors.length) area.setAttribute("aria-invalid", "true");
        const lines = text
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => l && !l.startsWith("#"));
        const next = lines.join("\n");
        if (next === accepted) return;
        accepted = next;
        o.onAccept(lines);
      })
      .catch((e: unknown) => {
        if (e instanceof Superseded) return;
        out.replaceChildren(h("p", { class: "fy-muted" }, `Keys are checked once the generator has loaded (${e instanceof Error ? e.message : String(e)}).`));
      });
  }, 150);

  area.addEventListener("input", () => {
    if (containsPrivate(area.value)) {
      refuse();
      return;
    }
    check(area.value);
  });
  if (accepted) check(accepted);
  return field;
}

function render(out: HTMLElement, r: KeysResult): void {
  const items: HTMLElement[] = [];
  for (const k of r.keys) {
    items.push(
      h(
        "li",
        { class: "fy-key-ok" },
        h("span", { class: "fy-key-icon", "aria-hidden": "true" }, "✓"),
        h("span", { class: "fy-sr" }, `Line ${k.line}: `),
        h("code", { class: "fy-recipient", title: "age recipient derived from this key" }, k.recipient),
        k.fingerprint ? h("code", { class: "fy-fingerprint" }, k.fingerprint) : null,
        k.comment ? h("span", { class: "fy-key-comment" }, printable(k.comment)) : null,
      ),
    );
  }
  for (const e of r.errors) {
    items.push(
      h(
        "li",
        { class: "fy-key-err" },
        h("span", { class: "fy-key-icon", "aria-hidden": "true" }, "✗"),
        `Line ${e.line}: ${e.msg}`,
        e.hint ? h("span", { class: "fy-hint" }, ` ${e.hint}`) : null,
      ),
    );
  }
  items.sort((a, b) => lineOf(a) - lineOf(b));
  out.replaceChildren(items.length ? h("ul", { class: "fy-key-list" }, ...items) : "");
}

function lineOf(li: HTMLElement): number {
  const m = /Line (\d+)/.exec(li.textContent ?? "");
  return m ? Number(m[1]) : 0;
}

/**
 * A key comment as shown: every character that is not printable (control
 * and format characters such as bidi overrides, which would reorder the text
 * around them, and spaces other than U+0020) becomes a space, as
 * `fleetyard keys` does with Go's strconv.IsPrint (letters, marks, numbers,
 * punctuation, symbols and the ASCII space).
 */
function printable(s: string): string {
  return s.replace(/[\p{C}\p{Z}]/gu, " ");
}
