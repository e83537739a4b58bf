package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/placematch/placematch/catalogue"
)

func runToken(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "revoke") {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(e.stderr, "usage: placematch token create --role ROLE [--council GSS | --region GSS] [--provider ID] [--level LEVEL] [--label TEXT] [--expires-in DURATION]")
			fmt.Fprintln(e.stderr, "       placematch token revoke ID")
			return nil
		}
		return usageError{"token: say create or revoke"}
	}
	if args[0] == "revoke" {
		return runTokenRevoke(ctx, e, args[1:])
	}
	fs := newFlags(e, "token create", "token create --role ROLE [options]")
	var sf storeFlags
	sf.register(fs, e)
	role := fs.String("role", "", "admin, officer, commissioner, provider or manager")
	council := fs.String("council", "", "ONS code of the council (officers and managers; optional for commissioners)")
	region := fs.String("region", "", "ONS code of the region (a region's commissioner, instead of a council)")
	level := fs.String("level", "", "a manager's level: team_manager, nominated_officer or director")
	provider := fs.Int64("provider", 0, "provider ID (provider role)")
	label := fs.String("label", "", "who or what the token is for")
	expires := fs.Duration("expires-in", 0, "lifetime, such as 720h (default: does not expire)")
	if err := parse(e, fs, args[1:], 0); err != nil {
		return err
	}
	secret, hash := catalogue.NewSecret("pm_")
	t := catalogue.Token{Label: *label, Role: catalogue.Role(*role), Council: catalogue.CouncilCode(*council), Region: catalogue.RegionCode(*region),
		Provider: catalogue.ProviderID(*provider), Level: catalogue.ManagerLevel(*level), Hash: hash, CreatedAt: e.now()}
	if *expires < 0 {
		return usageError{"token create: --expires-in must be positive"}
	}
	if *expires > 0 {
		t.ExpiresAt = t.CreatedAt.Add(*expires)
	}
	if err := t.Validate(); err != nil {
		return usageError{"token create: " + err.Error()}
	}
	store, err := sf.open(ctx, e, newLogger(e, e.stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	if t.Role == catalogue.RoleProvider {
		if _, err := store.Provider(ctx, t.Provider); err != nil {
			return fmt.Errorf("token create: provider %d: %w", t.Provider, err)
		}
	}
	t, err = store.CreateToken(ctx, t)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, secret)
	fmt.Fprintf(e.stderr, "token %d for role %s created; the secret above is shown once\n", t.ID, t.Role)
	return nil
}

func runTokenRevoke(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "token revoke", "token revoke ID")
	var sf storeFlags
	sf.register(fs, e)
	if err := parse(e, fs, args, 1); err != nil {
		return err
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id <= 0 {
		return usageError{"token revoke: give the token's ID"}
	}
	store, err := sf.open(ctx, e, newLogger(e, e.stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.RevokeToken(ctx, catalogue.TokenID(id)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "token %d revoked\n", id)
	return nil
}
