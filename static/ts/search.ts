// The docs' search box: a few kilobytes on every docs page, which fetch the
// index the build wrote (site/search.go) the first time the box is focused
// or typed into, and then search it in the page. Nothing is sent anywhere:
// the query never leaves the browser, like everything else on the site.
//
// The results are a list of links (they stay links: a middle click opens a
// tab). Enter in the box opens the first; the down arrow moves into the
// list, where the arrows move between results and Escape goes back to the
// box; Escape in the box closes the list, then clears it; "/" anywhere
// outside a text field focuses the box, as on most docs sites.

/** One heading's part of a page, as site/search.go writes it. */
interface Section {
  u: string; // URL, with #id below the page's first heading
  p: string; // page title
  h?: string; // heading
  t: string; // text
}

interface Index {
  v: number;
  sections: Section[];
}

interface Hit {
  s: Section;
  score: number;
  at: number; // where the first term is in the text, -1 if not there
}

const MAX_RESULTS = 8;

let index: Promise<Section[]> | null = null;

function load(url: string): Promise<Section[]> {
  index ??= fetch(url)
    .then((r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return r.json() as Promise<Index>;
    })
    .then((ix) => ix.sections)
    .catch((e: unknown) => {
      index = null; // the next keystroke tries again
      throw e;
    });
  return index;
}

/** The query's words, lower-cased; a section matches when it has all of them. */
function terms(q: string): string[] {
  return q.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
}

/**
 * Scores the sections that contain every term: a term in the page title
 * counts most, then in the heading, then each place in the text (up to
 * three). Ties keep the index's order, which is the sidebar's.
 */
function search(sections: Section[], q: string): Hit[] {
  const ws = terms(q);
  if (ws.length === 0) return [];
  const hits: Hit[] = [];
  for (const s of sections) {
    const page = s.p.toLowerCase();
    const head = (s.h ?? "").toLowerCase();
    const text = s.t.toLowerCase();
    let score = 0;
    let ok = true;
    for (const w of ws) {
      let here = 0;
      if (page.includes(w)) here += 8;
      if (head.includes(w)) here += 5;
      let from = 0;
      for (let n = 0; n < 3; n++) {
        const i = text.indexOf(w, from);
        if (i < 0) break;
        here += 1;
        from = i + w.length;
      }
      if (here === 0) {
        ok = false;
        break;
      }
      score += here;
    }
    if (ok) hits.push({ s, score, at: text.indexOf(ws[0] ?? "") });
  }
  return hits.sort((a, b) => b.score - a.score).slice(0, MAX_RESULTS);
}

/** Appends text to el with every term's occurrences in <mark>. */
function marked(el: HTMLElement, text: string, ws: string[]): void {
  const lower = text.toLowerCase();
  let i = 0;
  while (i < text.length) {
    let next = -1;
    let len = 0;
    for (const w of ws) {
      const j = lower.indexOf(w, i);
      if (j >= 0 && (next < 0 || j < next || (j === next && w.length > len))) {
        next = j;
        len = w.length;
      }
    }
    if (next < 0) {
      el.append(text.slice(i));
      return;
    }
    el.append(text.slice(i, next));
    const m = document.createElement("mark");
    m.textContent = text.slice(next, next + len);
    el.append(m);
    i = next + len;
  }
}

/** The part of the text around the first term, cut at word boundaries. */
function snippet(t: string, at: number): string {
  if (at < 0) return t.length > 140 ? `${t.slice(0, t.lastIndexOf(" ", 140))} …` : t;
  let start = Math.max(0, at - 50);
  if (start > 0) start = t.indexOf(" ", start) + 1 || start;
  let end = Math.min(t.length, at + 110);
  if (end < t.length) end = t.lastIndexOf(" ", end) > at ? t.lastIndexOf(" ", end) : end;
  return `${start > 0 ? "… " : ""}${t.slice(start, end)}${end < t.length ? " …" : ""}`;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string>, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...kids);
  return e;
}

function main(): void {
  const url = document.body.dataset.search;
  const sidebar = document.querySelector<HTMLElement>(".fy-sidebar");
  if (!url || !sidebar) return;

  const input = el("input", {
    type: "search",
    class: "fy-search-input",
    id: "fy-search",
    placeholder: "Search the docs",
    autocomplete: "off",
    spellcheck: "false",
    "aria-controls": "fy-search-results",
    "aria-describedby": "fy-search-note",
    "aria-keyshortcuts": "/",
  });
  const label = el("label", { for: "fy-search", class: "fy-sr" }, "Search the docs");
  const list = el("ul", { class: "fy-search-results", id: "fy-search-results", "aria-label": "Search results" });
  const note = el("p", { class: "fy-search-note", id: "fy-search-note", role: "status" });
  const box = el("div", { class: "fy-search", role: "search" }, label, input, note, list);
  list.hidden = true;
  // Above the sidebar's <details>, which phones keep closed: the box is
  // there at once on every screen.
  sidebar.prepend(box);

  let hits: Hit[] = [];
  const links = (): HTMLAnchorElement[] => [...list.querySelectorAll<HTMLAnchorElement>("a")];

  const close = (): void => {
    list.hidden = true;
    note.textContent = "";
  };

  const render = (q: string): void => {
    const ws = terms(q);
    list.replaceChildren(
      ...hits.map((hit) => {
        const title = el("span", { class: "fy-search-title" });
        marked(title, hit.s.h ? `${hit.s.p} › ${hit.s.h}` : hit.s.p, ws);
        const text = el("span", { class: "fy-search-text" });
        marked(text, snippet(hit.s.t, hit.at), ws);
        return el("li", {}, el("a", { href: hit.s.u }, title, text));
      }),
    );
    const open = ws.length > 0;
    list.hidden = !open || hits.length === 0;
    note.textContent = open ? (hits.length === 0 ? `Nothing in the docs matches “${q.trim()}”.` : `${hits.length}${hits.length === MAX_RESULTS ? "+" : ""} result${hits.length === 1 ? "" : "s"}: Enter opens the first, ↓ moves to the others`) : "";
  };

  const run = (): void => {
    const q = input.value;
    if (terms(q).length === 0) {
      hits = [];
      close();
      return;
    }
    load(url)
      .then((sections) => {
        if (input.value !== q) return; // a later keystroke runs its own search
        hits = search(sections, q);
        render(q);
      })
      .catch((e: unknown) => {
        note.textContent = `The search index did not load (${e instanceof Error ? e.message : String(e)}): try again.`;
      });
  };

  input.addEventListener("focus", () => void load(url).catch(() => undefined));
  input.addEventListener("input", run);
  input.addEventListener("keydown", (ev) => {
    switch (ev.key) {
      case "ArrowDown":
        if (hits.length === 0) return;
        ev.preventDefault();
        if (list.hidden) render(input.value);
        links()[0]?.focus();
        break;
      case "Enter": {
        const hit = hits[0];
        if (!hit || list.hidden) return;
        ev.preventDefault();
        location.assign(hit.s.u);
        break;
      }
      case "Escape":
        if (!list.hidden) close();
        else input.value = "";
        ev.preventDefault();
        break;
    }
  });
  // Inside the list: the arrows move between results (up from the first
  // goes back to the box), Escape goes back to the box.
  list.addEventListener("keydown", (ev) => {
    const all = links();
    const i = all.indexOf(document.activeElement as HTMLAnchorElement);
    if (i < 0) return;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      const j = i + (ev.key === "ArrowDown" ? 1 : -1);
      if (j < 0) input.focus();
      else all[Math.min(j, all.length - 1)]?.focus();
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      input.focus();
    }
  });
  // A click on a result follows its link; anywhere else closes the list.
  document.addEventListener("pointerdown", (ev) => {
    if (ev.target instanceof Node && !box.contains(ev.target)) close();
  });
  // "/" focuses the box. Its keydown is cancelled, which in a browser also
  // cancels the character; a key sent as separate down, char and up events
  // (DevTools' protocol, some input methods) may still deliver the "/" to
  // the box just focused, so until the key's keyup the box refuses it.
  let slashKey = false;
  document.addEventListener("keydown", (ev) => {
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    if (t instanceof HTMLElement && (t.isContentEditable || t.closest("input, textarea, select, .cm-editor"))) return;
    ev.preventDefault();
    slashKey = true;
    input.focus();
    input.select();
  });
  document.addEventListener("keyup", () => {
    slashKey = false;
  });
  input.addEventListener("beforeinput", (ev) => {
    if (slashKey && ev.data === "/") ev.preventDefault();
    slashKey = false;
  });
}

main();
