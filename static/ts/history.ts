// A small history of the fleets this browser worked on, so nothing that
// replaces the spec (a share link, an example, an import, "Update my repo")
// destroys the only copy of earlier work. Each entry is a whole spec text,
// kept in localStorage next to the autosave slot, deduplicated by the
// SHA-256 of its text, newest first, at most `limit` entries.
import { h } from "./dom";
import { containsPrivate } from "./secret";
import { sha256Hex } from "./session";

/** One saved fleet. */
export interface SavedFleet {
  /** SHA-256 of text, hex: two saves of the same text are one entry. */
  hash: string;
  /** The spec's name field, or a description when it has none or does not parse. */
  name: string;
  /** When it was saved (ISO 8601). */
  time: string;
  /** Why it was saved: what replaced it ("before opening a share link"). */
  reason: string;
  text: string;
}

export const HISTORY_KEY = "fleetyard:playground:history";
/** A spec larger than this is not kept (localStorage holds about 5 MB in all). */
const MAX_ENTRY = 1 << 20;

export class FleetHistory {
  constructor(
    private readonly storage: Storage | null,
    readonly limit = 5,
  ) {}

  /** The saved fleets, newest first (an unreadable store reads as empty). */
  list(): SavedFleet[] {
    try {
      const raw = this.storage?.getItem(HISTORY_KEY);
      const v = raw ? (JSON.parse(raw) as unknown) : [];
      if (!Array.isArray(v)) return [];
      return v.filter(
        (e): e is SavedFleet =>
          typeof e === "object" && e !== null && typeof e.hash === "string" && typeof e.text === "string" && typeof e.name === "string" && typeof e.time === "string" && !containsPrivate(e.text),
      );
    } catch {
      return [];
    }
  }

  /**
   * Saves text as the newest entry (an entry with the same text moves to the
   * front). Empty text, private key material and oversized specs are not
   * kept. Returns whether the text is now in the history.
   */
  async save(text: string, reason: string, now = new Date()): Promise<boolean> {
    if (!text.trim() || containsPrivate(text) || text.length > MAX_ENTRY || !this.storage) return false;
    const hash = await sha256Hex(new TextEncoder().encode(text));
    const entry: SavedFleet = { hash, name: fleetName(text), time: now.toISOString(), reason, text };
    let list = [entry, ...this.list().filter((e) => e.hash !== hash)].slice(0, this.limit);
    // A full store drops the oldest entries until the newest fits.
    while (list.length > 0) {
      try {
        this.storage.setItem(HISTORY_KEY, JSON.stringify(list));
        return list[0] === entry;
      } catch {
        list = list.slice(0, -1);
      }
    }
    return false;
  }
}

/** How a spec text is named in the history menu. */
export function fleetName(text: string): string {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const n = (v as Record<string, unknown>).name;
      const m = (v as Record<string, unknown>).machines;
      const count = Array.isArray(m) ? `, ${m.length} machine${m.length === 1 ? "" : "s"}` : "";
      return (typeof n === "string" && n ? n : "(unnamed fleet)") + count;
    }
    return "(not a JSON object)";
  } catch {
    return "(fleet.json with a syntax error)";
  }
}

/** "3 min ago", "yesterday 14:05", a date: short enough for a menu. */
export function ago(iso: string, now = new Date()): string {
  const t = new Date(iso);
  const s = Math.round((now.getTime() - t.getTime()) / 1000);
  if (Number.isNaN(s)) return iso;
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return t.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/**
 * The "Restore previous" menu: a disclosure listing the saved fleets other
 * than the current spec. Choosing one calls restore with it. refresh()
 * redraws the list (after a save or when the current spec changes).
 */
export function historyMenu(history: FleetHistory, current: () => string, restore: (e: SavedFleet) => void): { el: HTMLDetailsElement; refresh: () => void } {
  const list = h("ul", { class: "fy-history-list", id: "fy-history-list" });
  // "previous" is dropped on phones (fy-long), where the toolbar has no room for it.
  const label = (n: number): (string | HTMLElement)[] => ["Restore", h("span", { class: "fy-long" }, " previous"), n ? ` (${n})` : ""];
  const summary = h("summary", { class: "fy-btn", id: "fy-history-button" }, ...label(0));
  const el = h("details", { class: "fy-history", id: "fy-history" }, summary, h("div", { class: "fy-history-pop" }, h("p", { class: "fy-help fy-small" }, `Your last ${history.limit} fleets, kept in this browser only. Restoring one saves the current fleet here first.`), list));
  const refresh = (): void => {
    const cur = current();
    const entries = history.list().filter((e) => e.text !== cur);
    list.replaceChildren(
      ...entries.map((e) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "fy-history-item",
              "data-hash": e.hash,
              onclick: () => {
                el.open = false;
                restore(e);
              },
            },
            h("strong", {}, e.name),
            h("span", { class: "fy-muted fy-small" }, ` · ${ago(e.time)} · saved ${e.reason}`),
          ),
        ),
      ),
    );
    if (entries.length === 0) list.append(h("li", { class: "fy-muted fy-small" }, "Nothing saved yet: a fleet is saved here whenever a link, an example or an import replaces it."));
    summary.replaceChildren(...label(entries.length));
  };
  el.addEventListener("toggle", () => {
    if (el.open) refresh();
  });
  refresh();
  return { el, refresh };
}
