// The playground's one notice area (#fy-notices): messages float over the
// workspace instead of pushing it down, one per key (a second notice with
// the same key replaces the first instead of stacking a copy), at most
// MAX_SHOWN at a time, each closable with its ✕ button or Escape; plain
// information without actions closes by itself after INFO_MS.
import { h } from "./dom";

export type NoticeKind = "info" | "warn" | "error";

/** A button on a notice; the notice closes after it ran. */
export interface NoticeAction {
  label: string;
  run: () => void;
}

const MAX_SHOWN = 3;

/**
 * An info notice without actions closes by itself after this long (not
 * while the pointer or the focus is on it): "Loaded the example" stayed
 * over the preview's code until closed by hand.
 */
const INFO_MS = 8000;

function area(): HTMLElement | null {
  return document.getElementById("fy-notices");
}

/**
 * Shows text under key, replacing the notice already shown under that key
 * (so the same message never stacks), and returns its element. Errors are
 * announced assertively (role=alert), the rest politely (role=status).
 */
export function notify(kind: NoticeKind, key: string, text: string | Node, actions: NoticeAction[] = []): HTMLElement {
  const box = area();
  const n = h("div", { class: `fy-notice fy-notice-${kind}`, role: kind === "error" ? "alert" : "status", "data-key": key }, h("span", { class: "fy-notice-msg" }, text));
  for (const a of actions)
    n.append(
      h(
        "button",
        {
          type: "button",
          class: "fy-btn fy-btn-small",
          onclick: () => {
            a.run();
            close(n);
          },
        },
        a.label,
      ),
    );
  n.append(h("button", { type: "button", class: "fy-btn fy-btn-ghost fy-btn-small fy-notice-close", "aria-label": "Dismiss this message", title: "Dismiss (Esc)", onclick: () => close(n) }, "✕"));
  n.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") {
      ev.stopPropagation();
      close(n);
    }
  });
  if (kind === "info" && actions.length === 0) {
    const later = (): void => {
      window.setTimeout(() => {
        if (!n.isConnected) return;
        if (n.matches(":hover") || n.contains(document.activeElement)) later();
        else close(n);
      }, INFO_MS);
    };
    later();
  }
  if (!box) return n;
  // The newest notice is last; an older copy of it goes.
  for (const c of [...box.children]) if (c instanceof HTMLElement && c.dataset.key === key) c.remove();
  box.append(n);
  while (box.children.length > MAX_SHOWN) box.firstElementChild?.remove();
  return n;
}

/** Closes the notice shown under key, if any. */
export function dismiss(key: string): void {
  const box = area();
  if (!box) return;
  for (const c of [...box.children]) if (c instanceof HTMLElement && c.dataset.key === key) close(c);
}

/** Removes a notice; focus inside it goes back to the page's main area instead of <body>. */
function close(n: HTMLElement): void {
  const hadFocus = n.contains(document.activeElement);
  n.remove();
  if (hadFocus) document.getElementById("fy-pg")?.focus();
}
