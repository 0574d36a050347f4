// A tiny element builder: enough to keep the UI code declarative without a
// framework. Children that are null/undefined/false are skipped.
export type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG = "http://www.w3.org/2000/svg";

export function s(tag: string, attrs: Record<string, string | number> = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

function setAttrs(el: HTMLElement, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, ""), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
}

function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c);
  }
}

let uid = 0;
/** A document-unique id for label/aria wiring. */
export function nextId(prefix: string): string {
  return `${prefix}-${++uid}`;
}

export function $(sel: string, root: ParentNode = document): HTMLElement {
  const el = root.querySelector<HTMLElement>(sel);
  if (!el) throw new Error(`missing element ${sel}`);
  return el;
}

/** Calls fn at most once per `ms` of quiet. */
export function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number): (...a: A) => void {
  let t = 0;
  return (...a: A) => {
    clearTimeout(t);
    t = window.setTimeout(() => fn(...a), ms);
  };
}

/**
 * Makes a popover close as menus do: on Escape (focus goes back to its
 * trigger) and on a pointer press outside both the popover and its trigger.
 * isOpen and close say how this popover opens (hidden, details.open).
 */
export function dismissable(pop: HTMLElement, trigger: HTMLElement, isOpen: () => boolean, close: () => void): void {
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && isOpen()) {
      close();
      trigger.focus();
    }
  });
  document.addEventListener("pointerdown", (ev) => {
    const t = ev.target as Node;
    if (isOpen() && !pop.contains(t) && !trigger.contains(t)) close();
  });
}
