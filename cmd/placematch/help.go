package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// environment lists every environment variable the binary reads.
var environment = []struct{ name, use string }{
	{"DATABASE_URL", "PostgreSQL URL (postgres://user:password@host/db). When set, the store is PostgreSQL; when not, the embedded store. Secrets only come from the environment."},
	{"PLACEMATCH_<OPTION>", "any option of serve, seed, import and export: --request-timeout is PLACEMATCH_REQUEST_TIMEOUT, --db is PLACEMATCH_DB (a flag on the command line wins)"},
	{"PORT", "port serve listens on, on every interface, when neither --addr nor PLACEMATCH_ADDR is set"},
	{"PLACEMATCH_SMTP_PASSWORD", "password of --smtp-username on the SMTP server that delivers notifications (a secret: only from the environment)"},
	{"PLACEMATCH_OIDC_CLIENT_SECRET", "the client secret of --oidc-client-id at the council's identity provider, instead of --oidc-client-secret-file (a secret: only from the environment or a file; docs/oidc.md)"},
	{"PLACEMATCH_LOG_LEVEL", "debug, info (default), warn or error"},
	{"PLACEMATCH_NOW", "start the service's clock at this instant (2030-01-31T09:00:00Z) or date (2030-01-31, at 09:00 UTC) and let it run on: for training and tests only; unset, the clock is the system's"},
}

func writeUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: placematch <command> [options]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'placematch <command> --help' for a command's options.")
}

func runHelp(ctx context.Context, e *env, args []string) error {
	if len(args) == 1 {
		for _, c := range commands() {
			if c.name == args[0] && c.name != "help" {
				return c.run(ctx, e, []string{"--help"})
			}
		}
	}
	w := e.stdout
	fmt.Fprintln(w, "placematch: placement matching and choice for children in care in England.")
	fmt.Fprintln(w)
	writeUsage(w)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "environment:")
	for _, v := range environment {
		fmt.Fprintf(w, "  %-21s %s\n", v.name, v.use)
	}
	for _, c := range commands() {
		if c.name == "help" {
			continue
		}
		fmt.Fprintf(w, "\nplacematch %s: %s\n", c.name, c.summary)
		var b strings.Builder
		sub := &env{getenv: e.getenv, stdin: e.stdin, stdout: &b, stderr: &b}
		_ = c.run(ctx, sub, []string{"--help"})
		fmt.Fprint(w, indent(b.String()))
	}
	return nil
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n") + "\n"
}

// newFlags returns a flag set whose usage and errors go to the command's stderr. Every option
// can also be set from the environment: --request-timeout from PLACEMATCH_REQUEST_TIMEOUT, and
// so on (see envName); a flag on the command line wins.
func newFlags(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: placematch %s\n", synopsis)
		fs.VisitAll(func(f *flag.Flag) {
			kind, usage := flag.UnquoteUsage(f)
			fmt.Fprintf(w, "  --%s %s\n    \t%s", f.Name, kind, usage)
			if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" {
				fmt.Fprintf(w, " (default %s)", f.DefValue)
			}
			if !fromEnv(fs, f) {
				fmt.Fprintln(w)
				return
			}
			fmt.Fprintf(w, " [env %s]\n", envName(f.Name))
		})
	}
	return fs
}

// fromEnv reports whether a flag may be set from the environment: all may, but what a token
// is made for (tokens are made on purpose, never from a stray variable).
func fromEnv(fs *flag.FlagSet, f *flag.Flag) bool {
	return !strings.HasPrefix(fs.Name(), "token") || f.Name == "db"
}

// envName is the environment variable that sets a flag: PLACEMATCH_ and the flag's name in
// capitals with dashes as underscores.
func envName(flagName string) string {
	return "PLACEMATCH_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parse sets flags from the environment, then from args, and refuses stray arguments unless
// allowed. A bad value in the environment is a usage error naming the variable.
func parse(e *env, fs *flag.FlagSet, args []string, maxArgs int) error {
	var bad error
	fs.VisitAll(func(f *flag.Flag) {
		if !fromEnv(fs, f) {
			return
		}
		if v := e.getenv(envName(f.Name)); v != "" && bad == nil {
			if err := fs.Set(f.Name, v); err != nil {
				bad = usageError{fmt.Sprintf("%s=%q: %v", envName(f.Name), v, err)}
			}
		}
	})
	if bad != nil {
		return bad
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > maxArgs {
		return usageError{fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(maxArgs))}
	}
	return nil
}
