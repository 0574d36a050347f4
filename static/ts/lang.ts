// Read-only code views shared by the playground preview and the docs
// examples: language by file name, one theme that follows the page's colour
// scheme through CSS variables.
import { json } from "@codemirror/lang-json";
import { yaml } from "@codemirror/lang-yaml";
import { HighlightStyle, syntaxHighlighting, type LanguageSupport } from "@codemirror/language";
import { EditorState, type Extension } from "@codemirror/state";
import { EditorView, lineNumbers } from "@codemirror/view";
import { tags as t } from "@lezer/highlight";
import { nix } from "@replit/codemirror-lang-nix";
import { StyleModule } from "style-mod";

// Colours for code views, light and dark, as CSS variables on :root. They
// live here (not in a stylesheet) because docs pages load only site.css, and
// they derive from site.css's palette where one exists.
const palette = new StyleModule({
  ":root": {
    "--fy-fg": "var(--fg, #1f2328)",
    "--fy-muted": "var(--fg-faint, #8c959f)",
    "--fy-code-bg": "var(--bg-code, #f6f8fa)",
    "--fy-mono": "var(--font-mono, ui-monospace, monospace)",
    "--fy-focus": "var(--accent, #2f6fde)",
    "--fy-active-line": "rgb(47 111 222 / 0.06)",
    "--fy-selection": "rgb(47 111 222 / 0.22)",
    "--fy-tok-keyword": "#cf222e",
    "--fy-tok-string": "#0a3069",
    "--fy-tok-number": "#0550ae",
    "--fy-tok-comment": "#6e7781",
    "--fy-tok-property": "#8250df",
    "--fy-tok-name": "#953800",
    "--fy-tok-punct": "#57606a",
    "--fy-tok-invalid": "#82071e",
    "--fy-diff-add-bg": "rgb(26 127 55 / 0.10)",
    "--fy-diff-add-strong": "rgb(26 127 55 / 0.28)",
    "--fy-diff-del-bg": "rgb(207 34 46 / 0.10)",
    "--fy-diff-del-strong": "rgb(207 34 46 / 0.28)",
  },
  "@media (prefers-color-scheme: dark)": {
    ":root": {
      "--fy-active-line": "rgb(110 168 254 / 0.08)",
      "--fy-selection": "rgb(110 168 254 / 0.28)",
      "--fy-tok-keyword": "#ff7b72",
      "--fy-tok-string": "#a5d6ff",
      "--fy-tok-number": "#79c0ff",
      "--fy-tok-comment": "#8b949e",
      "--fy-tok-property": "#d2a8ff",
      "--fy-tok-name": "#ffa657",
      "--fy-tok-punct": "#9da7b3",
      "--fy-tok-invalid": "#ffa198",
      "--fy-diff-add-bg": "rgb(46 160 67 / 0.15)",
      "--fy-diff-add-strong": "rgb(46 160 67 / 0.40)",
      "--fy-diff-del-bg": "rgb(248 81 73 / 0.15)",
      "--fy-diff-del-strong": "rgb(248 81 73 / 0.40)",
    },
  },
});
StyleModule.mount(document, palette);

export function languageFor(path: string): LanguageSupport | null {
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (base.endsWith(".nix")) return nix();
  if (base.endsWith(".yaml") || base.endsWith(".yml") || base === ".sops.yaml") return yaml();
  if (base.endsWith(".json") || base === "flake.lock") return json();
  return null;
}

/** Token colours: the --fy-tok-* variables of the palette above, light and dark. */
export const highlight = syntaxHighlighting(
  HighlightStyle.define([
    { tag: [t.keyword, t.operatorKeyword, t.controlKeyword, t.definitionKeyword], color: "var(--fy-tok-keyword)" },
    { tag: [t.string, t.special(t.string), t.regexp], color: "var(--fy-tok-string)" },
    { tag: [t.number, t.bool, t.null, t.atom], color: "var(--fy-tok-number)" },
    { tag: [t.comment, t.lineComment, t.blockComment], color: "var(--fy-tok-comment)", fontStyle: "italic" },
    { tag: [t.propertyName, t.attributeName, t.definition(t.variableName)], color: "var(--fy-tok-property)" },
    { tag: [t.variableName, t.name], color: "var(--fy-tok-name)" },
    { tag: [t.url, t.link], color: "var(--fy-tok-string)", textDecoration: "underline" },
    { tag: [t.punctuation, t.bracket, t.separator], color: "var(--fy-tok-punct)" },
    { tag: t.invalid, color: "var(--fy-tok-invalid)" },
  ]),
);

export const baseTheme = EditorView.theme({
  "&": { color: "var(--fy-fg)", backgroundColor: "var(--fy-code-bg)", fontSize: "13px" },
  // On the scroller, not the content: gutters must use the same font and
  // line height or line numbers drift from wrapped lines.
  ".cm-scroller": { fontFamily: "var(--fy-mono)", lineHeight: "1.5" },
  ".cm-content": { caretColor: "var(--fy-fg)" },
  ".cm-gutters": { backgroundColor: "var(--fy-code-bg)", color: "var(--fy-muted)", border: "none" },
  ".cm-activeLine": { backgroundColor: "var(--fy-active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--fy-active-line)" },
  "&.cm-focused": { outline: "2px solid var(--fy-focus)", outlineOffset: "-2px" },
  ".cm-selectionBackground, &.cm-focused .cm-selectionBackground, ::selection": { backgroundColor: "var(--fy-selection) !important" },
  ".cm-cursor": { borderLeftColor: "var(--fy-fg)" },
  ".cm-changedLine": { backgroundColor: "var(--fy-diff-add-bg) !important" },
  ".cm-deletedChunk": { backgroundColor: "var(--fy-diff-del-bg)" },
  ".cm-changedText": { background: "var(--fy-diff-add-strong) !important" },
  ".cm-deletedChunk .cm-deletedText": { background: "var(--fy-diff-del-strong)" },
});

/** Extensions for a read-only highlighted view of a generated file. */
export function readOnlyExtensions(path: string, label: string): Extension[] {
  const lang = languageFor(path);
  return [
    lineNumbers(),
    EditorState.readOnly.of(true),
    EditorView.editable.of(false),
    EditorView.contentAttributes.of({ "aria-label": label, tabindex: "0" }),
    baseTheme,
    highlight,
    ...(lang ? [lang] : []),
  ];
}

export function readOnlyView(parent: HTMLElement, path: string, text: string, label: string, extra: Extension[] = []): EditorView {
  return new EditorView({ parent, state: EditorState.create({ doc: text, extensions: [...readOnlyExtensions(path, label), ...extra] }) });
}
