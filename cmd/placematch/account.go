package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/passwd"
)

// runAccount is `placematch account add`: an account for a person to sign in to the workspace.
func runAccount(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(e.stderr, "usage: placematch account add --role ROLE --name NAME --email EMAIL [--council GSS | --region GSS] [--provider ID] [--level LEVEL] [--password-stdin]")
			return nil
		}
		return usageError{"account: say add"}
	}
	fs := newFlags(e, "account add", "account add --role ROLE --name NAME --email EMAIL [options]")
	var sf storeFlags
	sf.register(fs, e)
	role := fs.String("role", "", "admin, officer, commissioner, provider, manager, iro (independent reviewing officer) or advocate")
	name := fs.String("name", "", "the person's name, as the audit log shows it")
	email := fs.String("email", "", "the e-mail address they sign in with")
	council := fs.String("council", "", "ONS code of the council (officers and managers; optional for commissioners)")
	region := fs.String("region", "", "ONS code of the region (a region's commissioner, instead of a council)")
	level := fs.String("level", "", "a manager's level: team_manager, nominated_officer or director")
	provider := fs.Int64("provider", 0, "provider ID (provider role)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (default: generate one and print it once)")
	if err := parse(e, fs, args[1:], 0); err != nil {
		return err
	}
	password, generated := "", !*fromStdin
	if *fromStdin {
		if e.stdin == nil {
			return usageError{"account add: --password-stdin needs the password on standard input"}
		}
		line, err := bufio.NewReader(io.LimitReader(e.stdin, 1025)).ReadString('\n')
		if err != nil && err != io.EOF {
			return err
		}
		password = strings.TrimRight(line, "\r\n")
		if len(password) < passwd.MinLength || len(password) > 1024 {
			return usageError{fmt.Sprintf("account add: the password must be %d to 1024 characters", passwd.MinLength)}
		}
	} else {
		password = newPassword()
	}
	a := catalogue.Account{Name: strings.TrimSpace(*name), Email: catalogue.NormaliseEmail(*email), Role: catalogue.Role(*role),
		Council: catalogue.CouncilCode(*council), Region: catalogue.RegionCode(*region), Provider: catalogue.ProviderID(*provider), Level: catalogue.ManagerLevel(*level),
		PasswordHash: passwd.Hash(password)}
	if err := a.Validate(); err != nil {
		return usageError{"account add: " + err.Error()}
	}
	store, err := sf.open(ctx, e, newLogger(e, e.stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	if a, err = store.CreateAccount(ctx, a); err != nil {
		return err
	}
	if generated {
		fmt.Fprintln(e.stdout, password)
		fmt.Fprintf(e.stderr, "account %d (%s, %s) created; its password above is shown once\n", a.ID, a.Email, a.Role)
		return nil
	}
	fmt.Fprintf(e.stderr, "account %d (%s, %s) created\n", a.ID, a.Email, a.Role)
	return nil
}

// newPassword is a generated password (passwd.Generate).
func newPassword() string { return passwd.Generate() }

// demoAccount is an account the demo made, with its password, printed once.
type demoAccount struct{ email, password, role, scope string }

// lancashire is the council of the demo's council-scoped commissioner.
const lancashire catalogue.CouncilCode = "E10000017"

// createDemoAccounts makes one account per role for the demo: an administrator, an officer, a
// manager (a director), an independent reviewing officer and an advocate of the demo's council, a commissioner scoped to Lancashire and the
// demo provider's, each with a generated password.
func createDemoAccounts(ctx context.Context, store catalogue.AccountStore, s seeded) ([]demoAccount, error) {
	council, provider := demoScope(s)
	cname := councilLabel(council)
	specs := []struct {
		a     catalogue.Account
		scope string
	}{
		{catalogue.Account{Name: "Ada Admin", Email: "admin@demo.placematch.example", Role: catalogue.RoleAdmin}, "everything"},
		{catalogue.Account{Name: "Olu Officer", Email: "officer@demo.placematch.example", Role: catalogue.RoleOfficer, Council: council}, "children of " + cname},
		{catalogue.Account{Name: "Mina Manager", Email: "manager@demo.placematch.example", Role: catalogue.RoleManager, Council: council, Level: catalogue.LevelDirector},
			"sign-offs of " + cname + " as " + catalogue.LevelDirector.Words()},
		{catalogue.Account{Name: "Ira Reviewer", Email: "iro@demo.placematch.example", Role: catalogue.RoleIRO, Council: council},
			"move reviews and children's requests to look again, " + cname},
		{catalogue.Account{Name: "Ade Advocate", Email: "advocate@demo.placematch.example", Role: catalogue.RoleAdvocate, Council: council},
			"children's requests for an advocate, " + cname},
		{catalogue.Account{Name: "Cal Commissioner", Email: "commissioner@demo.placematch.example", Role: catalogue.RoleCommissioner, Council: lancashire},
			"aggregates, " + councilLabel(lancashire) + " first"},
		{catalogue.Account{Name: "Pat Provider", Email: "provider@demo.placematch.example", Role: catalogue.RoleProvider, Provider: provider},
			"placements of provider " + provider.String()},
	}
	var out []demoAccount
	for _, sp := range specs {
		if sp.a.Role.CouncilRole() && council == "" || sp.a.Role == catalogue.RoleProvider && provider <= 0 {
			continue
		}
		pw := newPassword()
		sp.a.PasswordHash = passwd.Hash(pw)
		if _, err := store.CreateAccount(ctx, sp.a); err != nil {
			return nil, fmt.Errorf("creating the demo %s account: %w", sp.a.Role, err)
		}
		out = append(out, demoAccount{email: sp.a.Email, password: pw, role: string(sp.a.Role), scope: sp.scope})
	}
	return out, nil
}

func councilLabel(code catalogue.CouncilCode) string {
	if c, ok := catalogue.CouncilByCode(code); ok {
		return c.Name + " (" + string(code) + ")"
	}
	return string(code)
}

// printAccounts says where to sign in, with the demo's accounts when it made them, or how to
// make one.
func printAccounts(w io.Writer, url string, accounts []demoAccount) {
	if len(accounts) == 0 {
		fmt.Fprintf(w, "sign in to the workspace at %s/sign-in; make an account with 'placematch account add --role officer --council GSS --name NAME --email EMAIL'\n", url)
		return
	}
	fmt.Fprintf(w, "sign in to the workspace at %s/sign-in with a demo account (passwords shown once):\n", url)
	for _, a := range accounts {
		fmt.Fprintf(w, "  %-38s %s  (%s: %s)\n", a.email, a.password, a.role, a.scope)
	}
}
