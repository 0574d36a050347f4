package gen

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
)

// emitReadme writes README.md: a bootstrap guide for this fleet (machines,
// users, who can decrypt what, and the commands in the order to run them).
// It runs last so it can describe the files the other emitters wrote.
//
// Markdown is user-facing text, so every spec string goes through mdText or
// mdCell; names that appear in commands are validated identifiers
// (machines ^[a-z][a-z0-9-]*$, users ^[a-z_][a-z0-9_-]*$) and are also
// escaped when they appear outside code.
// readmePattern writes the tailored README.md; it lists the files the other
// patterns wrote, so it runs after them.
var readmePattern = pattern{name: "readme", emit: emitReadme}

func emitReadme(b *build) {
	b.addKept("README.md", readme(b))
}

// mdEscaper backslash-escapes the Markdown punctuation that could start
// formatting, links, HTML or a table cell boundary (CommonMark allows a
// backslash before any ASCII punctuation).
const mdEscaper = byteEscaper("\\`*_[]<>|#!&")

// mdText escapes s for running Markdown text: line breaks become spaces so a
// description cannot start a heading, list or code block.
func mdText(s string) string {
	if mdPlain(s) {
		return s // the common case, without the Fields/Join/Replace garbage
	}
	return mdEscaper.Replace(strings.Join(strings.Fields(s), " "))
}

// mdPlain reports whether mdText would return s unchanged: printable ASCII
// with no character mdEscaper escapes, single spaces between words and none
// at either end. Anything else (UTF-8 included) takes the general path.
func mdPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f {
			if c == ' ' && i > 0 && i < len(s)-1 && s[i-1] != ' ' {
				continue
			}
			return false
		}
		if strings.IndexByte("\\`*_[]<>|#!&", c) >= 0 {
			return false
		}
	}
	return true
}

// mdCell is mdText for a table cell; an empty cell shows a dash.
func mdCell(s string) string {
	if t := mdText(s); t != "" {
		return t
	}
	return "–"
}

// mdCode is s as inline code, for validated identifiers. Backticks and line
// breaks cannot occur in them; they are dropped defensively, and "|" is
// escaped because GFM splits table cells on it even inside code spans.
func mdCode(s string) string {
	if strings.ContainsAny(s, "`\n\r|") {
		s = strings.Map(func(r rune) rune {
			if r == '`' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, s)
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	return "`" + s + "`"
}

// mdCodeList is names as comma-separated inline code, "–" when empty. Only
// for validated names (machines, users, systems): they hold no "|".
func mdCodeList(names []string) string {
	if len(names) == 0 {
		return "–"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = mdCode(n)
	}
	return strings.Join(q, ", ")
}

// mdWriter writes into the build's scratch buffer (already grown by the
// Nix files printed before the README), so the README costs one exact-size
// copy instead of a builder doubling its way up plus a string-to-bytes copy.
type mdWriter struct{ *bytes.Buffer }

func (w *mdWriter) line(parts ...string) {
	for _, p := range parts {
		w.WriteString(p)
	}
	w.WriteByte('\n')
}

// blank ends a paragraph with an empty line, unless one ends the text
// already (a paragraph that ends its text with it, followed by optional
// ones that may all be absent).
func (w *mdWriter) blank() {
	if !bytes.HasSuffix(w.Bytes(), []byte("\n\n")) {
		w.WriteByte('\n')
	}
}

// row writes "| a | b |", cell by cell rather than through a joined string.
func (w *mdWriter) row(cells ...string) {
	w.WriteString("|")
	for _, c := range cells {
		w.WriteString(" ")
		w.WriteString(c)
		w.WriteString(" |")
	}
	w.WriteByte('\n')
}

// The streaming form of row, for the tables with a row per machine or per
// secret file: cells are written as they are made, without building each
// cell's string first. cell writes a cell's text; cellStart and cellEnd
// bracket a cell written piecewise.
func (w *mdWriter) cellStart() { w.WriteString(" ") }
func (w *mdWriter) cellEnd()   { w.WriteString(" |") }

func (w *mdWriter) cell(s string) {
	w.cellStart()
	w.WriteString(s)
	w.cellEnd()
}

// inlineCode writes s as mdCode would, without building the string.
func (w *mdWriter) inlineCode(s string) {
	if strings.ContainsAny(s, "`\n\r|") {
		w.WriteString(mdCode(s))
		return
	}
	w.WriteByte('`')
	w.WriteString(s)
	w.WriteByte('`')
}

func (w *mdWriter) header(cells ...string) {
	w.row(cells...)
	w.WriteString("|")
	for range cells {
		w.WriteString(" --- |")
	}
	w.WriteByte('\n')
}

// code writes a fenced shell block. The fence is longer than any run of
// backticks in the lines, so no content (a quoted target host, say) can end it.
func (w *mdWriter) code(lines ...string) {
	longest := 0
	for _, l := range lines {
		run := 0
		for i := 0; i < len(l); i++ {
			if l[i] == '`' {
				run++
				longest = max(longest, run)
			} else {
				run = 0
			}
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	w.line(fence, "sh")
	for _, l := range lines {
		w.line(l)
	}
	w.line(fence)
	w.line()
}

func readme(b *build) []byte {
	s := b.spec
	w := &mdWriter{bytes.NewBuffer(b.scratch[:0])}
	// Grown once here rather than by doubling, each step clearing and copying
	// what came before (bytes.growSlice, 2% of a cold 1000-machine run).
	w.Grow(b.cache.readmeSizeHint(b.files["fleet.json"].Data))
	w.line("# ", mdText(s.Name))
	w.line()
	if s.Description != "" {
		w.line(mdText(s.Description))
		w.line()
	}
	w.WriteString("This repository was generated by Fleetyard from `fleet.json`: a clan-core + flake-parts\n" +
		"fleet whose modules are all under `modules/`: import-tree loads every `.nix` file there as a\n" +
		"flake-parts module, except where a directory or file name starts with `_` (keep modules\n" +
		"you import by path, plain NixOS or home-manager ones, in such a directory).\n" +
		"Reopen `fleet.json` in Fleetyard to change the fleet and regenerate.\n" +
		"\n")

	readmeMachines(w, s)
	spec := b.files["fleet.json"].Data
	if mid := b.cache.readmeMiddle(spec); mid != nil {
		w.Write(mid)
	} else {
		start := w.Len()
		readmeUsers(w, s)
		readmeAccess(w, s)
		readmeBootstrap(w, s)
		b.cache.setReadmeMiddle(spec, bytes.Clone(w.Bytes()[start:]))
	}
	readmeLayout(w, b)
	b.scratch = w.Bytes()
	b.cache.setReadmeLen(len(b.scratch))
	return bytes.Clone(b.scratch)
}

func readmeMachines(w *mdWriter, s *fleet) {
	w.WriteString("## Machines\n" +
		"\n")
	w.line("Clan domain: ", mdCode(s.Domain), ".")
	w.line()
	w.header("Machine", "Class", "System", "Zerotier", "Where", "Users", "Description")
	ctl := controller(s)
	for _, m := range s.Machines {
		w.WriteString("|")
		w.cellStart()
		w.inlineCode(m.Name)
		w.cellEnd()
		w.cell(mdCell(string(m.Class)))
		w.cellStart()
		w.inlineCode(m.System)
		w.cellEnd()
		w.cell(mdCell(readmeZerotier(m, ctl != nil)))
		w.cell(mdCell(readmeWhere(m)))
		// mdCodeList of the user names
		w.cellStart()
		if len(m.users) == 0 {
			w.WriteString("–")
		}
		for i, u := range m.users {
			if i > 0 {
				w.WriteString(", ")
			}
			w.inlineCode(u.Name)
		}
		w.cellEnd()
		w.cell(mdCell(m.Description))
		w.WriteByte('\n')
	}
	w.line()
}

// readmeZerotier is a machine's zerotier role; without a controller there
// is no network (emitZerotier writes nothing), whatever the role says.
func readmeZerotier(m *machine, hasController bool) string {
	if m.Zerotier != zerotierNone && !hasController {
		return "off (no controller)"
	}
	if m.Class == classDarwin && m.Zerotier != zerotierNone {
		if m.Darwin.Networking == networkNone {
			// Nothing installs or joins zerotier on it, and the
			// controller admits no Mac without a join step.
			return "off (darwin networking none)"
		}
		return string(m.Zerotier) + " (" + string(m.Darwin.Networking) + ")"
	}
	return string(m.Zerotier)
}

func readmeWhere(m *machine) string {
	if h := m.Hetzner; h != nil {
		state := "enabled"
		if !h.Enabled {
			state = "disabled: not created"
		}
		return "Hetzner Cloud " + h.ServerType + " in " + h.Location + " (" + state + ")"
	}
	if m.TargetHost != "" {
		return "own hardware, deployed to " + m.TargetHost
	}
	return "own hardware"
}

func readmeUsers(w *mdWriter, s *fleet) {
	if len(s.Users) == 0 {
		return
	}
	w.WriteString("## Users\n" +
		"\n")
	w.header("User", "Name", "Admin", "Shell", "Machines", "Home aggregates", "Standalone home", "Secrets")
	for _, u := range s.Users {
		admin := "no"
		if u.Admin {
			admin = "yes"
		}
		var standalone []string
		if homeStandalone(u) {
			for _, sys := range userSystems(u) {
				standalone = append(standalone, u.Name+"@"+sys)
			}
		}
		w.row(mdCode(u.Name), mdCell(u.FullName), admin, mdCell(u.Shell),
			mdCodeList(u.Machines), mdCell(strings.Join(u.Aggregates, ", ")),
			mdCodeList(standalone), mdCell(strings.Join(u.Secrets, ", ")))
	}
	w.line()
}

// readmeAccess explains who can decrypt what, from the same data the
// .sops.yaml rules and the playground's matrix are made of (Access).
func readmeAccess(w *mdWriter, s *fleet) {
	files := s.secretFiles()
	if len(files) == 0 {
		return
	}
	w.WriteString("## Who can decrypt what\n" +
		"\n" +
		"Two tiers. **clan vars** (machine secrets under `vars/`) and **clan secrets**\n" +
		"(`sops/secrets/`) are encrypted by clan for the machines that use them and the\n")
	w.line("clan admins (the `" + adminGroup + "` group); a file its generator marks `deploy = false`")
	// clan_cli/vars: a file with secret = false is written to value, in
	// plain text, not encrypted.
	w.WriteString("(a plain-text password next to the hash a machine gets, a CA key) for the admins only.\n" +
		"A file its generator marks `secret = false` (a public key, an id) is kept in plain text:\n" +
		"a row ending in `/*` means the secret files there.\n" +
		"**sops-nix** files (users' home secrets) follow `.sops.yaml`: first matching rule wins.\n" +
		"Any one listed key opens a file.\n" +
		"\n")
	w.header("File", "Tier", "Readers")
	type key struct{ kind, name, recipient, anchor string }
	var keys []key
	seen := map[key]bool{}
	group := "the `" + adminGroup + "` group"
	var who []string // this row's readers so far: a file has a handful
	noneYet := false // a sops-nix file that is only a rule so far
	for _, f := range files {
		w.WriteString("|")
		w.cellStart()
		w.inlineCode(f.Path)
		if f.Tier == TierSopsNix && !f.Stub {
			w.WriteString(" (none yet)")
			noneYet = true
		}
		w.cellEnd()
		w.cell(f.Tier)
		w.cellStart()
		who = who[:0]
		for _, r := range f.Readers {
			// The group's members are listed below the table.
			label := group
			if r.Kind != "group" {
				label = mdText(r.Name) + " (" + r.Kind + ")"
				if r.Anchor != "" {
					k := key{r.Kind, r.Name, r.Recipient, r.Anchor}
					if !seen[k] {
						seen[k] = true
						keys = append(keys, k)
					}
				}
			}
			if slices.Contains(who, label) {
				continue
			}
			if len(who) > 0 {
				w.WriteString(", ")
			}
			who = append(who, label)
			w.WriteString(label)
		}
		w.cellEnd()
		w.WriteByte('\n')
	}
	w.line()
	// A "(none yet)" file has its .sops.yaml rule (so sops encrypts a new
	// one for the right keys) but nothing reads it: no module sets a
	// sopsFile under secrets/hosts/ or secrets/shared.yaml.
	if noneYet {
		// sops writes the new file in place and creates no directory: in a
		// missing one it fails after the editor closes, and what was typed
		// is gone.
		w.WriteString("A file marked (none yet) has its rule in `.sops.yaml`, so `sops <file>` encrypts it\n" +
			"for the readers listed (make its directory first, `mkdir -p`: sops creates none, and fails\n" +
			"only after the editor closes, losing what you typed), but no module reads it: once it exists,\n" +
			"point a secret at it in the module that needs it\n" +
			"(`sops.secrets.<name>.sopsFile = ./<relative path>;`, sops-nix).\n" +
			"\n")
	}
	if len(keys) > 0 {
		if givenRecipients(s) {
			w.WriteString("The sops-nix keys, as derived from each SSH key (`ssh-to-age`), or as `fleet.json` gives\n" +
				"them (`ageKeys`, a Mac's age `hostKey`):\n" +
				"\n")
		} else {
			w.WriteString("The sops-nix keys, as derived from each SSH key (`ssh-to-age`):\n" +
				"\n")
		}
		w.header("Who", "Kind", ".sops.yaml anchor", "age recipient")
		for _, k := range keys {
			w.row(mdCell(k.name), k.kind, mdCode("&"+k.anchor), mdCode(k.recipient))
		}
		w.line()
	}
	var members []string
	kr := s.keys
	for _, h := range clanUsers(s, kr) {
		members = append(members, mdText(h.Name))
	}
	w.line("The `"+adminGroup+"` group (`sops/groups/"+adminGroup+"`, see the bootstrap below): ", strings.Join(members, ", "), ".")
	w.WriteString("\n" +
		"Machine keys:\n" +
		"\n")
	keysTitle := "" // macKeysTitle, once, where a Mac needs it
	for _, m := range s.Machines {
		switch {
		case m.Class == classNixOS:
			w.line("- ", mdCode(m.Name), ": created by clan at its first `clan vars generate` (public half in")
			w.line("  `sops/machines/" + m.Name + "/key.json`, private half in `sops/secrets/" + m.Name + "-age.key`),")
			w.line("  uploaded to `/var/lib/sops-nix/key.txt` by `clan machines install` and `update`.")
		case m.HostKey != "" && macAgeHostKey(s, m):
			if keysTitle == "" {
				keysTitle = macKeysTitle(s)
			}
			w.line("- ", mdCode(m.Name), ": the age key its `hostKey` names (`sops/machines/"+m.Name+"/key.json`), whose")
			w.line("  identity you put in `" + macAgeKeyFile + "` on the Mac (\"" + keysTitle + "\" below).")
		case m.HostKey != "":
			w.line("- ", mdCode(m.Name), ": its SSH host key (`/etc/ssh/ssh_host_ed25519_key`), converted in")
			w.line("  `sops/machines/" + m.Name + "/key.json`; nothing to upload, `darwin-rebuild` decrypts locally.")
		case machineHasVars(s, m):
			w.line("- ", mdCode(m.Name), ": created by clan at `clan vars generate` and uploaded by")
			w.line("  `clan vars upload " + m.Name + "` or `clan machines update " + m.Name + "` (it has a `targetHost`).")
		default:
			w.line("- ", mdCode(m.Name), ": none (it has no secrets).")
		}
	}
	w.line()
}

func readmeBootstrap(w *mdWriter, s *fleet) {
	w.WriteString("## Bootstrap, in order\n" +
		"\n")
	var steps []readmeStep
	for _, p := range patterns {
		if p.bootstrap != nil {
			steps = append(steps, p.bootstrap(s)...)
		}
	}
	sortStable(steps, func(a, b *readmeStep) bool { return a.rank < b.rank })
	for i, st := range steps {
		w.line("### ", strconv.Itoa(i+1), ". ", st.title)
		w.line()
		st.body(w)
	}
}

// readmeCodeList formats names as `a`, `b` and `c`.
func readmeCodeList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = mdCode(n)
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// shellWord quotes s for a POSIX shell unless it is plainly safe.
func shellWord(s string) string {
	safe := s != ""
	for i := 0; i < len(s) && safe; i++ {
		c := s[i]
		safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("@%+=:,./_-", c) >= 0
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// readmeLayout lists the generated directories with how many files each
// has. It is a function of the set of paths alone, so when the build reuses
// the previous generation's path list (a keystroke), it reuses the section.
func readmeLayout(w *mdWriter, b *build) {
	paths := b.paths()
	if text := b.cache.layout(paths); text != nil {
		w.Write(text)
		return
	}
	start := w.Len()
	counts := map[string]int{}
	for _, p := range paths {
		dir := "."
		if i := strings.LastIndexByte(p, '/'); i >= 0 {
			dir = p[:i]
		}
		counts[dir]++
	}
	counts["."]++ // README.md itself
	// and the manifest, which manifestPattern writes after the README.
	counts[".fleetyard"]++ // ManifestPath's directory
	dirs := make([]string, 0, len(counts))
	for d := range counts {
		dirs = append(dirs, d)
	}
	slices.Sort(dirs)
	w.WriteString("## Layout\n" +
		"\n")
	w.header("Directory", "Files")
	for _, d := range dirs {
		w.row(mdCode(d+"/"), strconv.Itoa(counts[d]))
	}
	w.line()
	b.cache.setLayout(paths, bytes.Clone(w.Bytes()[start:]))
}
