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
	{"PLACEMATCH_DB", "path of the embedded store's file (default placematch.db in the working directory); same as --db"},
	{"PLACEMATCH_ADDR", "address serve listens on (HOST:PORT); same as --addr"},
	{"PORT", "port serve listens on, on every interface, when neither --addr nor PLACEMATCH_ADDR is set"},
	{"PLACEMATCH_LOG_LEVEL", "debug, info (default), warn or error"},
	{"PLACEMATCH_BASE_URL", "public address of the service (https://...), used in the links sent to children; same as serve --base-url"},
	{"PLACEMATCH_TRUSTED_PROXIES", "comma-separated proxies whose X-Forwarded-For is believed; same as serve --trusted-proxies"},
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

// newFlags returns a flag set whose usage and errors go to the command's stderr.
func newFlags(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: placematch %s\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags and refuses stray arguments unless allowed.
func parse(fs *flag.FlagSet, args []string, maxArgs int) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > maxArgs {
		return usageError{fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(maxArgs))}
	}
	return nil
}
