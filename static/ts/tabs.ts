// WAI-ARIA tabs: click or arrow keys switch; one tab stop per tab list.
export function tabs(list: HTMLElement, onSwitch?: (id: string) => void): (id: string) => void {
  const all = (): HTMLElement[] => [...list.querySelectorAll<HTMLElement>('[role="tab"]')];
  const show = (tab: HTMLElement, focus = false): void => {
    for (const t of all()) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(t.getAttribute("aria-controls") ?? "");
      if (panel) panel.hidden = !on;
    }
    if (focus) tab.focus();
    onSwitch?.(tab.id);
  };
  list.addEventListener("click", (ev) => {
    const t = (ev.target as HTMLElement).closest<HTMLElement>('[role="tab"]');
    if (t) show(t);
  });
  list.addEventListener("keydown", (ev) => {
    const ts = all();
    const i = ts.indexOf(document.activeElement as HTMLElement);
    if (i < 0) return;
    let j = i;
    if (ev.key === "ArrowRight") j = (i + 1) % ts.length;
    else if (ev.key === "ArrowLeft") j = (i - 1 + ts.length) % ts.length;
    else if (ev.key === "Home") j = 0;
    else if (ev.key === "End") j = ts.length - 1;
    else return;
    ev.preventDefault();
    show(ts[j]!, true);
  });
  return (id: string) => {
    const t = document.getElementById(id);
    if (t) show(t);
  };
}
