package cli

import (
	"context"
	"fmt"
	"os/signal"
	"syscall"

	"github.com/fleetyard/fleetyard/gen"
	"github.com/fleetyard/fleetyard/site"
)

func schema() []byte { return gen.Schema() }

func runBuild(args []string, env Env) int {
	fs := newFlags("build", env)
	out := fs.String("o", "public", "output `DIR` (replaced)")
	noMinify := fs.Bool("no-minify", false, "leave HTML and CSS unminified")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	st, err := site.BuildWithStats(site.Options{Root: ".", Out: *out, Log: env.Stderr, NoMinify: *noMinify})
	if err != nil {
		fmt.Fprintln(env.Stderr, "fleetyard build:", err)
		return exitFail
	}
	fmt.Fprintln(env.Stdout, "built", *out+":", st)
	return exitOK
}

func runServe(args []string, env Env) int {
	fs := newFlags("serve", env)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address`")
	out := fs.String("o", "public", "build into `DIR`")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := site.Serve(ctx, *addr, site.Options{Root: ".", Out: *out, Log: env.Stderr}); err != nil {
		fmt.Fprintln(env.Stderr, "fleetyard serve:", err)
		return exitFail
	}
	return exitOK
}
