// Private key detection on the page, before anything reaches the model, the
// editor history, localStorage or the worker. It mirrors the fixed markers
// gen/sshkey refuses (never a heuristic on key bytes); the worker's answer is
// the second line of defence.
//
// containsPrivate is the one check. It runs at three kinds of door:
//   - SpecModel.setText/edit (model.ts): every spec text, whatever its
//     source (form, editor, example, import, drop, share link, autosave,
//     history), is refused there before any listener (autosave, share link,
//     generation, download) sees it;
//   - guardFields (below): a text field of the form is stopped before its own
//     handler runs and really emptied of what was pasted, so the key is not
//     left in the DOM either;
//   - the JSON editor's transaction filter (editor.ts), which keeps the key
//     out of CodeMirror's document and undo history.
// The sinks (autosave, history, share, downloads) check again, so a bug in
// one door still cannot write a key anywhere.

const markers: RegExp[] = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/,
  /---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----/,
  /PuTTY-User-Key-File-/,
  /Private-Lines:/,
  /AGE-SECRET-KEY-1/i,
  /AGE-PLUGIN-[A-Z0-9]+-1/i,
  // "openssh-key-v1" in base64: the start of every OpenSSH private key body,
  // even when the BEGIN line was not copied.
  /b3BlbnNzaC1rZXktdjE/,
];

/** Whether text holds (part of) a private key. */
export function containsPrivate(text: string): boolean {
  return markers.some((m) => m.test(text));
}

export const privateRefusal =
  "That was a private key. It was not accepted and has been cleared: Fleetyard only needs public keys, an SSH key's .pub file (e.g. ~/.ssh/id_ed25519.pub) or an age recipient (age1…, which age-keygen -y prints for an age key). Nothing you pasted was stored or sent anywhere.";

type TextField = HTMLInputElement | HTMLTextAreaElement;

/** Input types that hold free text (a number or checkbox cannot hold a key). */
const textTypes = new Set(["text", "search", "url", "email", "tel", "password"]);

function textField(t: EventTarget | null): TextField | null {
  if (t instanceof HTMLTextAreaElement) return t;
  if (t instanceof HTMLInputElement && textTypes.has(t.type)) return t;
  return null;
}

/**
 * Guards every free-text field under root, including fields added later:
 * private key material pasted, dropped or typed into one is refused before
 * the field's own listeners run (they are on the field, these capture on
 * root), the field goes back to its last clean value, and a refusal message
 * is shown next to it. onRefused is told (once per refusal) so the page can
 * say it in its notice area as well.
 */
export function guardFields(root: HTMLElement, onRefused: (field: TextField) => void): void {
  // The last value of each field that held no private material, taken on
  // focus, before each edit and after each clean one. A value set by script
  // (autofill) has no "before": such a field is emptied.
  const clean = new WeakMap<TextField, string>();
  const remember = (f: TextField): void => {
    if (!containsPrivate(f.value)) clean.set(f, f.value);
  };
  // Refused before it happened (paste, drop, beforeinput): the value never changed.
  const stop = (f: TextField, ev: Event): void => {
    ev.preventDefault();
    ev.stopImmediatePropagation();
    showRefusal(f);
    onRefused(f);
  };
  // Refused after the value changed: put the last clean value back.
  const refuse = (f: TextField, ev: Event): void => {
    f.value = clean.get(f) ?? "";
    stop(f, ev);
  };
  root.addEventListener("focusin", (ev) => {
    const f = textField(ev.target);
    if (f) remember(f);
  }, true);
  root.addEventListener("paste", (ev) => {
    const f = textField(ev.target);
    if (f && containsPrivate(ev.clipboardData?.getData("text/plain") ?? "")) stop(f, ev);
  }, true);
  root.addEventListener("drop", (ev) => {
    const f = textField(ev.target);
    if (f && containsPrivate(ev.dataTransfer?.getData("text/plain") ?? "")) stop(f, ev);
  }, true);
  root.addEventListener("beforeinput", (ev) => {
    const f = textField(ev.target);
    if (!f) return;
    const data = ev.data ?? ev.dataTransfer?.getData("text/plain") ?? "";
    if (data && containsPrivate(data)) stop(f, ev);
    else remember(f);
  }, true);
  // Whatever got past the events above (autofill, script, a marker completed
  // by typing its last character): checked on the whole value.
  root.addEventListener("input", (ev) => {
    const f = textField(ev.target);
    if (!f) return;
    if (containsPrivate(f.value)) {
      refuse(f, ev);
      return;
    }
    remember(f);
    clearRefusal(f);
  }, true);
}

/**
 * Shows the refusal next to a field: in a key field's result area, else at
 * the end of the field's box. The message is fixed text; nothing of the
 * input is echoed.
 */
function showRefusal(f: TextField): void {
  f.setAttribute("aria-invalid", "true");
  const keysOut = f.closest(".fy-keys")?.querySelector<HTMLElement>(".fy-keys-out");
  const msg = document.createElement("p");
  msg.className = "fy-refusal";
  msg.setAttribute("role", "alert");
  msg.dataset.refusal = "";
  msg.textContent = privateRefusal;
  if (keysOut) {
    keysOut.replaceChildren(msg);
    return;
  }
  const box = f.closest(".fy-field") ?? f.parentElement;
  if (!box) return;
  box.querySelector(":scope > [data-refusal]")?.remove();
  msg.id = `${f.id || "field"}-refusal`;
  f.setAttribute("aria-describedby", msg.id);
  box.append(msg);
}

function clearRefusal(f: TextField): void {
  const box = f.closest(".fy-field");
  const old = box?.querySelector(":scope > [data-refusal]");
  if (!old) return;
  old.remove();
  if (f.getAttribute("aria-describedby") === old.id) f.removeAttribute("aria-describedby");
  f.removeAttribute("aria-invalid");
}
