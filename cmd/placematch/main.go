// Command placematch is the one binary of placematch: it serves the API, seeds a synthetic
// England, imports and exports the catalogue, and creates API tokens.
//
//	placematch serve     start the service (seeds a demo catalogue into an empty embedded store)
//	placematch seed      write a deterministic synthetic England into the store
//	placematch token     create or revoke API tokens
//	placematch import    import children or placements from CSV or JSON
//	placematch export    export children or placements as CSV or JSON
//	placematch match     match every child waiting jointly and store the run
//	placematch solve     solve a DIMACS min-cost flow file with the exact solver
//	placematch retention delete closed records past their retention period
//	placematch sufficiency  print the sufficiency report, write CSV, what-ifs and the planner
//	placematch forecast  forecast the children looked after from their placement histories, with a backtest
//	placematch help      show every command, option and environment variable
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/placematch/placematch/catalogue"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "placematch:", err)
		}
		os.Exit(exitCode(err))
	}
}

// usageError is a mistake on the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error) int {
	var ue usageError
	if errors.As(err, &ue) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

// env is what every command gets from the outside world; nothing reads globals.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	now    catalogue.Clock // the one clock of every component the command wires (see clockFrom)
}

func commands() []command {
	return []command{
		{"serve", "start the API service", runServe},
		{"seed", "write a deterministic synthetic England into the store", runSeed},
		{"token", "create or revoke an API token (token create|revoke)", runToken},
		{"account", "add an account for a person to sign in to the workspace (account add)", runAccount},
		{"import", "import children or placements from a CSV or JSON file", runImport},
		{"export", "export children or placements as CSV or JSON", runExport},
		{"match", "match every child waiting jointly, store the run and print a summary", runMatch},
		{"solve", "solve a DIMACS min-cost flow file exactly (objective, and the flow with --flow)", runSolve},
		{"retention", "delete closed records past their retention period (see docs/operations.md)", runRetention},
		{"subject-access", "export everything held about one child or carer's household (a subject access request)", runSubjectAccess},
		{"sufficiency", "print the sufficiency report, write it as CSV, run what-ifs and the recruitment planner", runSufficiency},
		{"forecast", "forecast the children looked after by category, 1 to 3 years ahead, and backtest it (see docs/sufficiency.md)", runForecast},
		{"translations", "check a council's translation of the child's pages (translations check FILE...), or print the English to translate from (translations english)", runTranslations},
		{"help", "show every command, option and environment variable", runHelp},
	}
}

// run is main without the process: tests call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	now, err := clockFrom(getenv)
	if err != nil {
		return err
	}
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr, now: now}
	if len(args) == 0 {
		writeUsage(stderr)
		return usageError{"no command given"}
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "-help" {
		name = "help"
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, e, args[1:])
		}
	}
	writeUsage(stderr)
	return usageError{fmt.Sprintf("unknown command %q", name)}
}
