package gen

import "github.com/fleetyard/fleetyard/gen/nix"

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
			Binds: memberIDBinds(),
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
// reaching the controller's zerotier-members call at run time.
func memberIDBinds() []nix.Binding {
	file := nix.Call(nix.Ident("nodeIdFile"), nix.Ident("name"))
	id := nix.Ident("id")
	return []nix.Binding{
		{
			Comment: []string{
				"Macs are not clan zerotier members. Each one's join step prints its node id;",
				"commit it as zerotier/<machine>.node-id and redeploy the controller to admit it.",
				"Deleting the file later revokes nothing (README, \"Add and remove zerotier members\").",
			},
			Path:  []string{"nodeIdFile"},
			Value: nix.Lambda{Param: "name", Body: nix.Interp(ref("inputs.self"), "/zerotier/", nix.Ident("name"), ".node-id")},
		},
		nix.Bind(nix.Lambda{Param: "name", Body: nix.Let{
			Binds: []nix.Binding{nix.Bind(nix.Call(ref("lib.trim"), nix.Call(ref("builtins.readFile"), file)), "id")},
			Body: nix.Call(ref("lib.throwIf"),
				nix.BinOp{Op: "==", L: nix.Call(ref("builtins.match"), nix.Str("[0-9a-f]{10}"), id), R: nix.Null{}},
				nix.Interp("zerotier/", nix.Ident("name"), ".node-id must hold the 10 hex digits of the node id that `zerotier-cli info` prints"),
				id,
			),
		}}, "nodeId"),
		nix.Bind(nix.Lambda{Param: "names", Body: nix.Call(ref("map"), nix.Ident("nodeId"),
			nix.Call(ref("builtins.filter"),
				nix.Lambda{Param: "name", Body: nix.Call(ref("builtins.pathExists"), file)},
				nix.Ident("names"),
			),
		)}, "memberIds"),
	}
}

// joinScript is the body of the zerotier-join command. $network, $ctl and
// $host are set by the Nix wrapper from escaped values.
const joinScript = `if [ -z "$network" ]; then
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
	networkFile := nix.Interp(ref("inputs.self"), "/"+zerotierNetworkIDPath)
	escape := ref("lib.escapeShellArg")
	script := nix.Interp(
		"network=", nix.Call(escape, nix.Ident("networkId")), "\n",
		"ctl=", nix.Call(escape, nix.Ident("controller")), "\n",
		"host=", nix.Call(escape, ref("config.networking.hostName")), "\n",
		joinScript,
	)
	inner := nix.Module([]string{"config", "lib", "pkgs"}, nix.Let{
		Binds: []nix.Binding{
			nix.Bind(nix.Str(ctl), "controller"),
			nix.Bind(networkFile, "networkIdFile"),
			{
				Comment: []string{"Empty until `clan vars generate` has run for the controller and this checkout has its vars/."},
				Path:    []string{"networkId"},
				Value: nix.If{
					Cond: nix.Call(ref("builtins.pathExists"), nix.Ident("networkIdFile")),
					Then: nix.Call(ref("lib.trim"), nix.Call(ref("builtins.readFile"), nix.Ident("networkIdFile"))),
					Else: nix.Str(""),
				},
			},
			nix.Bind(nix.Call(ref("pkgs.writeShellApplication"), nix.Set(
				nix.Bind(nix.Str("zerotier-join"), "name"),
				nix.Bind(nix.List{ref("pkgs.coreutils"), ref("pkgs.gnugrep")}, "runtimeInputs"),
				nix.Bind(script, "text"),
			)), "join"),
		},
		Body: nix.Set(
			nix.Bind(nix.List{nix.Ident("join")}, "environment", "systemPackages"),
			nix.Binding{
				Comment: []string{"Runs on every darwin-rebuild; a failed join never fails activation."},
				Path:    []string{"system", "activationScripts", "postActivation", "text"},
				Value:   nix.Call(ref("lib.mkAfter"), nix.Interp(nix.Ident("join"), "/bin/zerotier-join || true\n")),
			},
		),
	})
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
		w.line("The controller (", mdCode(c.Name), ") admits members when it is deployed: the NixOS machines")
		w.WriteString("whose zerotier vars exist and the Macs with a `zerotier/<mac>.node-id`. After adding a\n" +
			"machine and running `clan vars generate`, deploy the controller too.\n" +
			"\n" +
			"Removing a Mac's node-id file or a machine stops admitting it but revokes nothing: clan's\n" +
			"zerotier service only ever authorizes, and the controller keeps every member it admitted.\n" +
			"Revoke a lost or retired node on the controller (a Mac's id is in its node-id file, a\n" +
			"NixOS machine's is what `zerotier-cli info` prints there):\n" +
			"\n")
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
