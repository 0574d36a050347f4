package gen

import (
	"slices"

	"github.com/fleetyard/fleetyard/gen/nix"
)

// emitZerotier writes pattern 6. clan's zerotier service is NixOS-only: the
// controller runs the network and every NixOS member is a peer. Macs join
// outside clan, by homebrew cask or a nix-managed launchd daemon; a join step
// reads the network id (the public clan var of the shared generator
// zerotier-network-<instance>, clanServices/zerotier/default.nix) and prints
// the Mac's node id. Committing that id as zerotier/<mac>.node-id makes the
// controller admit it (roles.controller settings.allowedIds) on its next
// deploy. Node ids rather than addresses (allowedIps): `zerotier-cli info`
// prints the id as it is, and it does not depend on the network, so there
// is nothing to compute on the Mac and nothing to redo for another network.
// Nothing is emitted without a controller: there is no network to join.
// zerotierPattern is pattern 6: the clan zerotier instance and the Macs'
// way of joining it.
var zerotierPattern = pattern{name: "darwin-networking", page: true, emit: emitZerotier, bootstrap: zerotierBootstrap}

func emitZerotier(b *build) {
	s := b.spec
	ctl := controller(s)
	if ctl == nil {
		return
	}
	var peers []nix.Binding
	for _, m := range s.Machines {
		if m.Class == classNixOS && m.Zerotier != zerotierNone {
			peers = append(peers, nix.Bind(nix.Set(), m.Name))
		}
	}
	var macs []*machine
	for _, m := range machinesOf(s, classDarwin) {
		if m.Zerotier != zerotierNone &&
			(m.Darwin.Networking == networkHomebrew || m.Darwin.Networking == networkLaunchd) {
			macs = append(macs, m)
		}
	}

	controllerRole := nix.Expr(nix.Set())
	formals := []string(nil)
	var body nix.Expr
	if len(macs) > 0 {
		var names nix.List
		for _, m := range macs {
			names = append(names, nix.Str(m.Name))
		}
		controllerRole = nix.Set(nix.Bind(nix.Call(nix.Ident("memberIds"), names), "settings", "allowedIds"))
		formals = []string{"inputs", "lib"}
	}
	inst := clanInstance("zerotier", "zerotier",
		nix.Bind(controllerRole, "roles", "controller", "machines", ctl.Name),
		nix.Binding{
			Comment: []string{"Every NixOS member, the controller among them (clan's zerotier service joins every",
				"machine of the instance to the network, whatever its role)."},
			Path:  []string{"roles", "peer", "machines"},
			Value: nix.Set(peers...),
		},
	)
	body = inst
	if len(macs) > 0 {
		body = nix.Let{
			Binds: memberIDBinds,
			Body:  inst,
		}
	}
	header := []string{
		"The fleet's zerotier network: " + ctl.Name + " is the controller.",
		"`clan vars generate` writes the network id to " + zerotierNetworkIDPath + ".",
	}
	var f nix.File
	if formals == nil {
		f = nix.File{Header: header, Body: body}
	} else {
		f = nix.File{Header: header, Body: nix.Module(formals, body)}
	}
	b.addNix("modules/clan/inventory/services/zerotier.nix", f)

	if len(macs) == 0 {
		return
	}
	b.addNixMemo("modules/darwin/zerotier/join.nix", func() nix.File { return zerotierJoinFile(ctl.Name) }, string(fingerprint(nil).str(ctl.Name)))
	used := map[networking]bool{}
	for _, m := range macs {
		used[m.Darwin.Networking] = true
	}
	if used[networkHomebrew] {
		b.addNix("modules/darwin/zerotier/homebrew.nix", zerotierHomebrewFile)
	}
	if used[networkLaunchd] {
		b.addNix("modules/darwin/zerotier/launchd.nix", zerotierLaunchdFile)
	}
	for _, m := range macs {
		mod := "zerotier-" + string(m.Darwin.Networking)
		b.addNix("modules/machines/darwin/"+m.Name+"/zerotier.nix", nix.File{
			Header: []string{m.Name + " joins the zerotier network via " + string(m.Darwin.Networking) + "."},
			Body: nix.Module([]string{"config"}, nix.Let{
				Binds: []nix.Binding{nix.Bind(nix.Sel(ref("config.flake.modules.darwin"), mod), "zerotier")},
				Body: nix.Set(nix.Bind(nix.Set(
					nix.Bind(nix.List{nix.Ident("zerotier")}, "imports"),
				), "flake", "modules", string(classDarwin), machineModuleName(m))),
			}),
		})
	}
}

// The two ways a Mac runs zerotier-one. They depend on nothing in the spec,
// so they are composite literals: static data in the wasm module rather
// than code that builds the same trees on every call (emitZerotier was the
// module's biggest function, 24.5 KB of code).

// zerotierJoinRef is config.flake.modules.darwin.zerotier-join.
var zerotierJoinRef = nix.Select{X: nix.Ident("config"), Attrs: []string{"flake", "modules", "darwin", "zerotier-join"}}

// zerotierHomebrewFile is modules/darwin/zerotier/homebrew.nix.
var zerotierHomebrewFile = nix.File{
	Header: []string{"zerotier-one from its homebrew cask (homebrew itself must be installed on the Mac)."},
	Body: nix.Lambda{Formals: []nix.Formal{{Name: "config"}}, Ellipsis: true, Body: nix.Let{
		Binds: []nix.Binding{{Path: []string{"join"}, Value: zerotierJoinRef}},
		Body: nix.Attrs{Binds: []nix.Binding{{Path: []string{"flake", "modules", "darwin", "zerotier-homebrew"}, Value: nix.Attrs{Binds: []nix.Binding{
			{Path: []string{"imports"}, Value: nix.List{nix.Ident("join")}},
			{Path: []string{"homebrew", "enable"}, Value: nix.Bool(true)},
			{Path: []string{"homebrew", "casks"}, Value: nix.List{&nix.String{Parts: []nix.Part{{Text: "zerotier-one"}}}}},
		}}}}},
	}},
}

// zerotierLaunchdFile is modules/darwin/zerotier/launchd.nix.
var zerotierLaunchdFile = nix.File{
	Header: []string{
		"zerotier-one from nixpkgs, run by a nix-managed launchd daemon. nixpkgs' macOS build",
		"leaves out MacEthernetTapAgent, without which zerotier-one creates no network interface:",
		"prefer the homebrew variant. The unfree allowance is for nixpkgs before zerotierone 1.16",
		"(BUSL); from 1.16 on it is MPL-2.0.",
	},
	Body: nix.Lambda{Formals: []nix.Formal{{Name: "config"}}, Ellipsis: true, Body: nix.Let{
		Binds: []nix.Binding{{Path: []string{"join"}, Value: zerotierJoinRef}},
		Body: nix.Attrs{Binds: []nix.Binding{{Path: []string{"flake", "modules", "darwin", "zerotier-launchd"}, Value: nix.Lambda{
			Formals: []nix.Formal{{Name: "lib"}, {Name: "pkgs"}}, Ellipsis: true,
			Body: nix.Attrs{Binds: []nix.Binding{
				{Path: []string{"imports"}, Value: nix.List{nix.Ident("join")}},
				{Path: []string{"nixpkgs", "config", "allowUnfreePredicate"}, Value: nix.Lambda{Param: "pkg", Body: nix.Apply{
					Fn: nix.Select{X: nix.Ident("builtins"), Attrs: []string{"elem"}},
					Args: []nix.Expr{
						nix.Apply{Fn: nix.Select{X: nix.Ident("lib"), Attrs: []string{"getName"}}, Args: []nix.Expr{nix.Ident("pkg")}},
						nix.List{&nix.String{Parts: []nix.Part{{Text: "zerotierone"}}}},
					},
				}}},
				{Path: []string{"environment", "systemPackages"}, Value: nix.List{zerotierOnePkg}},
				{Path: []string{"launchd", "daemons", "zerotierone", "serviceConfig"}, Value: nix.Attrs{Binds: []nix.Binding{
					{Path: []string{"ProgramArguments"}, Value: nix.List{nix.String{Parts: []nix.Part{{Expr: zerotierOnePkg}, {Text: "/bin/zerotier-one"}}}}},
					{Path: []string{"KeepAlive"}, Value: nix.Bool(true)},
					{Path: []string{"RunAtLoad"}, Value: nix.Bool(true)},
					{Path: []string{"StandardErrorPath"}, Value: &nix.String{Parts: []nix.Part{{Text: "/var/log/zerotier-one.log"}}}},
				}}},
			}},
		}}}},
	}},
}

// zerotierOnePkg is pkgs.zerotierone.
var zerotierOnePkg = nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"zerotierone"}}

// ZerotierInstance is the name of the fleet's zerotier network in the clan
// inventory (clan.inventory.instances.<name>). clan's zerotier service
// names its generators after it: zerotier-network-<instance> and
// zerotier-ip-<machine>-<instance>.
const ZerotierInstance = "zerotier"

// zerotierNetworkIDPath is where clan stores the network id: the public file
// network-id of the shared generator zerotier-network-<instance>
// (clanServices/zerotier/default.nix, share = true, secret = false).
const zerotierNetworkIDPath = "vars/shared/zerotier-network-" + ZerotierInstance + "/network-id/value"

// memberIDBinds define memberIds, mapping Mac names to the node ids
// committed for them and skipping Macs that have not joined yet. A file
// that does not hold a node id stops evaluation with the fix, rather than
// reaching the controller's zerotier-members call at run time. They depend
// on nothing in the spec: a composite literal is static data in the wasm
// module, where building the trees was 9 KB of code.
var memberIDBinds = []nix.Binding{
	{
		Comment: []string{
			"Macs are not clan zerotier members. Each one's join step prints its node id;",
			"commit it as zerotier/<machine>.node-id and redeploy the controller to admit it.",
			"Deleting the file later revokes nothing (README, \"Add and remove zerotier members\").",
		},
		Path: []string{"nodeIdFile"},
		Value: nix.Lambda{Param: "name", Body: nix.String{Parts: []nix.Part{
			{Expr: nix.Select{X: nix.Ident("inputs"), Attrs: []string{"self"}}}, {Text: "/zerotier/"}, {Expr: nix.Ident("name")}, {Text: ".node-id"},
		}}},
	},
	{Path: []string{"nodeId"}, Value: nix.Lambda{Param: "name", Body: nix.Let{
		Binds: []nix.Binding{{Path: []string{"id"}, Value: nix.Apply{
			Fn:   nix.Select{X: nix.Ident("lib"), Attrs: []string{"trim"}},
			Args: []nix.Expr{nix.Apply{Fn: nix.Select{X: nix.Ident("builtins"), Attrs: []string{"readFile"}}, Args: []nix.Expr{nodeIDFileOfName}}},
		}}},
		Body: nix.Apply{Fn: nix.Select{X: nix.Ident("lib"), Attrs: []string{"throwIf"}}, Args: []nix.Expr{
			nix.BinOp{Op: "==", L: nix.Apply{Fn: nix.Select{X: nix.Ident("builtins"), Attrs: []string{"match"}}, Args: []nix.Expr{
				&nix.String{Parts: []nix.Part{{Text: "[0-9a-f]{10}"}}}, nix.Ident("id"),
			}}, R: nix.Null{}},
			nix.String{Parts: []nix.Part{{Text: "zerotier/"}, {Expr: nix.Ident("name")}, {Text: ".node-id must hold the 10 hex digits of the node id that `zerotier-cli info` prints"}}},
			nix.Ident("id"),
		}},
	}}},
	{Path: []string{"memberIds"}, Value: nix.Lambda{Param: "names", Body: nix.Apply{Fn: nix.Ident("map"), Args: []nix.Expr{
		nix.Ident("nodeId"),
		nix.Apply{Fn: nix.Select{X: nix.Ident("builtins"), Attrs: []string{"filter"}}, Args: []nix.Expr{
			nix.Lambda{Param: "name", Body: nix.Apply{Fn: nix.Select{X: nix.Ident("builtins"), Attrs: []string{"pathExists"}}, Args: []nix.Expr{nodeIDFileOfName}}},
			nix.Ident("names"),
		}},
	}}}},
}

// nodeIDFileOfName is `nodeIdFile name`.
var nodeIDFileOfName = nix.Apply{Fn: nix.Ident("nodeIdFile"), Args: []nix.Expr{nix.Ident("name")}}

// joinScript is the body of the zerotier-join command. $network, $ctl and
// $host are set by the Nix wrapper from escaped values. It is on the PATH
// too, and run by a user zerotier-cli could not read zerotier-one's
// authtoken.secret (root's: ZeroTierOne's macOS postinst) and would look
// like a stopped service: say so instead.
const joinScript = `if [ "$(id -u)" != 0 ]; then
  echo "zerotier: run it as root (sudo zerotier-join): zerotier-one's auth token is root's." >&2
  exit 1
fi
if [ -z "$network" ]; then
  echo "zerotier: no network id yet: run clan vars generate $ctl (clan commits vars/), pull it here, then rebuild $host." >&2
  exit 0
fi
PATH="$PATH:/usr/local/bin:/opt/homebrew/bin:/run/current-system/sw/bin"
if ! command -v zerotier-cli >/dev/null; then
  echo "zerotier: zerotier-cli is not installed yet; skipping the join." >&2
  exit 0
fi
if ! zerotier-cli info >/dev/null 2>&1; then
  echo "zerotier: the zerotier-one service is not running; skipping the join." >&2
  exit 0
fi
if ! zerotier-cli listnetworks | grep -q "$network"; then
  zerotier-cli join "$network"
fi
# "200 info <node id> <version> <status>"
node=$(zerotier-cli info | cut -d ' ' -f 3)
echo "zerotier: $host has node id $node on network $network."
echo "zerotier: to admit it, in the fleet repository: mkdir -p zerotier; echo $node > zerotier/$host.node-id; git add zerotier; clan machines update $ctl (with --target-host root@<address> unless its targetHost resolves here)"
`

func zerotierJoinFile(ctl string) nix.File {
	binds := slices.Clone(zerotierJoinBinds)
	binds[0] = nix.Bind(nix.Str(ctl), "controller")
	inner := nix.Module([]string{"config", "lib", "pkgs"}, nix.Let{Binds: binds, Body: zerotierJoinBody})
	return nix.File{
		Header: []string{
			"Joins a Mac to the network of " + ctl + " (the zerotier controller) and prints the",
			"node id to commit as zerotier/<machine>.node-id so the controller admits it.",
		},
		Body: nix.Module([]string{"inputs"}, nix.Set(
			nix.Bind(inner, "flake", "modules", string(classDarwin), "zerotier-join"),
		)),
	}
}

// escapeShellArg is lib.escapeShellArg.
var escapeShellArg = nix.Select{X: nix.Ident("lib"), Attrs: []string{"escapeShellArg"}}

// zerotierJoinBinds are the let bindings of the join module, the first of
// which zerotierJoinFile replaces with the controller's name; static data,
// as memberIDBinds.
var zerotierJoinBinds = []nix.Binding{
	{},
	{Path: []string{"networkIdFile"}, Value: nix.String{Parts: []nix.Part{
		{Expr: nix.Select{X: nix.Ident("inputs"), Attrs: []string{"self"}}}, {Text: "/" + zerotierNetworkIDPath},
	}}},
	{
		Comment: []string{"Empty until `clan vars generate` has run for the controller and this checkout has its vars/."},
		Path:    []string{"networkId"},
		Value: nix.If{
			Cond: nix.Apply{Fn: nix.Select{X: nix.Ident("builtins"), Attrs: []string{"pathExists"}}, Args: []nix.Expr{nix.Ident("networkIdFile")}},
			Then: nix.Apply{Fn: nix.Select{X: nix.Ident("lib"), Attrs: []string{"trim"}}, Args: []nix.Expr{
				nix.Apply{Fn: nix.Select{X: nix.Ident("builtins"), Attrs: []string{"readFile"}}, Args: []nix.Expr{nix.Ident("networkIdFile")}},
			}},
			Else: &nix.String{},
		},
	},
	{Path: []string{"join"}, Value: nix.Apply{Fn: nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"writeShellApplication"}}, Args: []nix.Expr{nix.Attrs{Binds: []nix.Binding{
		{Path: []string{"name"}, Value: &nix.String{Parts: []nix.Part{{Text: "zerotier-join"}}}},
		{Path: []string{"runtimeInputs"}, Value: nix.List{
			nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"coreutils"}}, nix.Select{X: nix.Ident("pkgs"), Attrs: []string{"gnugrep"}},
		}},
		{Path: []string{"text"}, Value: nix.String{Parts: []nix.Part{
			{Text: "network="}, {Expr: nix.Apply{Fn: escapeShellArg, Args: []nix.Expr{nix.Ident("networkId")}}}, {Text: "\n"},
			{Text: "ctl="}, {Expr: nix.Apply{Fn: escapeShellArg, Args: []nix.Expr{nix.Ident("controller")}}}, {Text: "\n"},
			{Text: "host="}, {Expr: nix.Apply{Fn: escapeShellArg, Args: []nix.Expr{nix.Select{X: nix.Ident("config"), Attrs: []string{"networking", "hostName"}}}}}, {Text: "\n"},
			{Text: joinScript},
		}}},
	}}}}},
}

// zerotierJoinBody is the join module's body.
var zerotierJoinBody = nix.Attrs{Binds: []nix.Binding{
	{Path: []string{"environment", "systemPackages"}, Value: nix.List{nix.Ident("join")}},
	{
		Comment: []string{
			"Runs on every darwin-rebuild; a failed join never fails activation. $systemConfig is the",
			"system being activated (nix-darwin's activate script): /run/current-system points at it",
			"only after this step, and the launchd variant's zerotier-cli is in it.",
		},
		Path: []string{"system", "activationScripts", "postActivation", "text"},
		Value: nix.Apply{Fn: nix.Select{X: nix.Ident("lib"), Attrs: []string{"mkAfter"}}, Args: []nix.Expr{nix.String{Parts: []nix.Part{
			{Text: "PATH=\"$PATH:$systemConfig/sw/bin\" "}, {Expr: nix.Ident("join")}, {Text: "/bin/zerotier-join || true\n"},
		}}}},
	},
}}

// zerotierBootstrap: changing the network's members later. The controller
// admits members only when it is deployed (clanServices/zerotier: the
// controller's autoaccept unit allows the allowedIds and the peers whose
// zerotier-ip var exists at build time), and only ever allows:
// zerotier-members has no deny, and the controller keeps each member's
// record in /var/lib/zerotier-one. Revoking is the controller API's
// {"authorized": false} on the member, the request zerotier-members makes
// with true (zerotier_tools/members.py).
func zerotierBootstrap(s *fleet) []readmeStep {
	c := controller(s)
	if c == nil {
		return nil
	}
	return []readmeStep{{rank: stepZerotier, title: "Add and remove zerotier members", body: func(w *mdWriter) {
		macs := false
		for _, m := range machinesOf(s, classDarwin) {
			macs = macs || m.Zerotier != zerotierNone && m.Darwin.Networking != networkNone
		}
		w.line("The controller (", mdCode(c.Name), ") admits members when it is deployed: the NixOS machines")
		if macs {
			w.WriteString("whose zerotier vars exist and the Macs with a `zerotier/<mac>.node-id`. After adding a\n" +
				"machine and running `clan vars generate`, deploy the controller too.\n")
		} else {
			w.WriteString("whose zerotier vars exist. After adding a machine and running `clan vars generate`, deploy\n" +
				"the controller too.\n")
		}
		// clanServices/zerotier: the controller's autoaccept unit allows
		// every listed member again at each deploy, so a node revoked while
		// it is still listed comes back.
		w.WriteString("\n" +
			"Removing a machine (or a Mac's node-id file) stops admitting it but revokes nothing: clan's\n" +
			"zerotier service only ever authorizes, and the controller keeps every member it admitted.\n" +
			"To take a lost or retired node off the network, remove it first and deploy the controller\n" +
			"(each deploy admits every member it lists again), then revoke it there (")
		if macs {
			w.WriteString("a Mac's id is the one\nits node-id file held, a NixOS machine's is what `zerotier-cli info` prints there):\n")
		} else {
			w.WriteString("its id is what\n`zerotier-cli info` prints on it):\n")
		}
		w.WriteString("\n")
		// root: authtoken.secret is root's; and an address, since a
		// targetHost may carry a :port that ssh does not take. The token
		// goes to curl on stdin (-H @-), not on its command line, which
		// every local user of the controller can read.
		w.code(
			"clan vars get "+c.Name+" zerotier-network-"+ZerotierInstance+"/network-id   # the <network id>",
			"ssh root@<address> 'sed \"s/^/X-ZT1-AUTH: /\" /var/lib/zerotier-one/authtoken.secret | curl -fsS -X POST -H @- -d \"{\\\"authorized\\\": false}\" http://localhost:9993/controller/network/<network id>/member/<node id>'",
		)
	}}}
}
