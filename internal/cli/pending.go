package cli

// Placeholders until gen.Schema and the site package land.

func schema() []byte { return []byte("{}\n") }

func runBuild(args []string, env Env) int { return exitFail }

func runServe(args []string, env Env) int { return exitFail }
