package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/synth"
)

func runSeed(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "seed", "seed [options]")
	var sf storeFlags
	sf.register(fs, e)
	seed := fs.Uint64("seed", 1, "random seed: the same seed and sizes give the same catalogue")
	scale := fs.String("scale", "demo", `size: "national" (about 80,000 children), "demo" (a tenth of it) or a fraction of national such as 0.25`)
	children := fs.Int("children", 0, "children looked after (overrides --scale)")
	households := fs.Int("households", 0, "fostering households (overrides --scale)")
	homes := fs.Int("homes", 0, "children's homes (overrides --scale)")
	kinship := fs.Int("kinship", 0, "kinship households (overrides --scale)")
	supported := fs.Int("supported", 0, "supported accommodation settings (overrides --scale)")
	councils := fs.String("councils", "", "comma-separated ONS codes of the councils to generate (default: all 153)")
	today := fs.String("today", "", "reference date YYYY-MM-DD for ages and needed-by dates (default: today, on the service's clock)")
	tokens := fs.Bool("tokens", true, "create and print a demo token for each role")
	force := fs.Bool("force", false, "seed even if the store already holds children or placements")
	if err := parse(e, fs, args, 0); err != nil {
		return err
	}
	cfg, err := synthConfig(*scale)
	if err != nil {
		return err
	}
	cfg.Seed = *seed
	for _, o := range []struct {
		v   int
		dst *int
	}{{*children, &cfg.Children}, {*households, &cfg.FosterHouseholds}, {*homes, &cfg.Homes}, {*kinship, &cfg.Kinship}, {*supported, &cfg.Supported}} {
		if o.v < 0 {
			return usageError{"seed: sizes must not be negative"}
		}
		if o.v > 0 {
			*o.dst = o.v
		}
	}
	if *councils != "" {
		for _, c := range strings.Split(*councils, ",") {
			code := catalogue.CouncilCode(strings.TrimSpace(c))
			if !code.Valid() {
				return usageError{fmt.Sprintf("seed: --councils: %q is not the ONS code of an English upper-tier council", code)}
			}
			cfg.Councils = append(cfg.Councils, code)
		}
	}
	cfg.Today = catalogue.Day(e.now())
	if *today != "" {
		t, err := time.Parse(time.DateOnly, *today)
		if err != nil {
			return usageError{"seed: --today must be a date YYYY-MM-DD"}
		}
		cfg.Today = t
	}

	log := newLogger(e, e.stderr)
	store, err := sf.open(ctx, e, log)
	if err != nil {
		return err
	}
	defer store.Close()
	counts, err := store.Counts(ctx)
	if err != nil {
		return err
	}
	if (counts.Children > 0 || counts.Placements > 0) && !*force {
		return fmt.Errorf("the store already holds %d children and %d placements; use --force to add a second synthetic catalogue", counts.Children, counts.Placements)
	}
	res, err := seedStore(ctx, store, cfg, e.stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "seeded %s store (seed %d)\n%s", store.Backend(), cfg.Seed, res.summary)
	if *tokens {
		toks, err := createDemoTokens(ctx, store, res)
		if err != nil {
			return err
		}
		printTokens(e.stdout, "", toks)
	}
	return nil
}

func synthConfig(scale string) (synth.Config, error) {
	switch scale {
	case "national":
		return synth.National(), nil
	case "demo", "":
		return synth.Demo(), nil
	}
	f, err := strconv.ParseFloat(scale, 64)
	if err != nil || f <= 0 || f > 2 {
		return synth.Config{}, usageError{`--scale must be "national", "demo" or a fraction of national between 0 and 2`}
	}
	return synth.Scaled(f), nil
}

// seeded is what seeding wrote.
type seeded struct {
	summary  string
	batch    catalogue.Batch
	result   catalogue.BatchResult
	duration time.Duration
}

// importer is the part of the store seeding needs.
type importer interface {
	Import(ctx context.Context, b catalogue.Batch) (catalogue.BatchResult, error)
	CreateSharingAgreement(ctx context.Context, a catalogue.SharingAgreement) (catalogue.SharingAgreement, error)
	catalogue.ReferralHistoryStore
	catalogue.FrameworkPriceStore
	ImportNetwork(ctx context.Context, s catalogue.Scope, ms []catalogue.NetworkMember) ([]catalogue.NetworkMember, error)
}

// seedStore generates the catalogue and writes it in one transaction, with a progress bar.
func seedStore(ctx context.Context, store importer, cfg synth.Config, progress io.Writer) (seeded, error) {
	start := time.Now()
	batch, err := synth.Generate(cfg)
	if err != nil {
		return seeded{}, fmt.Errorf("generating the catalogue: %w", err)
	}
	bar := newProgressBar(progress, "seeding")
	batch.Progress = bar.update
	res, err := store.Import(ctx, batch)
	bar.done()
	if err != nil {
		return seeded{}, fmt.Errorf("writing the catalogue: %w", err)
	}
	for _, a := range synth.Agreements(cfg.Today) {
		if _, err := store.CreateSharingAgreement(ctx, a); err != nil {
			return seeded{}, fmt.Errorf("writing the demo's sharing agreements: %w", err)
		}
	}
	if err := seedReferrals(ctx, store, batch, res, cfg); err != nil {
		return seeded{}, err
	}
	// The family networks of the children waiting (synth.FamilyNetworks: assumptions), so that
	// the demo shows family first: assessments pending, overdue, passed and not.
	ms := synth.FamilyNetworks(batch, cfg.Today, cfg.Seed)
	for i := range ms {
		ms[i].Child = res.Children[ms[i].Child]
	}
	if len(ms) > 0 {
		if _, err := store.ImportNetwork(ctx, catalogue.Everything, ms); err != nil {
			return seeded{}, fmt.Errorf("writing the demo's family networks: %w", err)
		}
	}
	d := time.Since(start)
	sum := synth.Summarise(batch, cfg.Today).String()
	return seeded{summary: fmt.Sprintf("%s\nwritten in %s\n", strings.TrimRight(sum, "\n"), d.Round(time.Millisecond)), batch: batch, result: res, duration: d}, nil
}

// demoToken is a token created for the demo, with what it shows.
type demoToken struct {
	name   string // the role, and a manager's level: manager:director
	secret string
	scope  string
}

// createDemoTokens creates one token per role: the officer belongs to the council with the most
// children waiting, the provider runs the most placements.
// demoScope is the demo's council (the one with the most children waiting) and provider (the
// one with the most homes), for its tokens and accounts.
func demoScope(s seeded) (catalogue.CouncilCode, catalogue.ProviderID) {
	waiting := map[catalogue.CouncilCode]int{}
	for _, c := range s.batch.Children {
		if c.Status == catalogue.ChildWaiting {
			waiting[c.Council]++
		}
	}
	var council catalogue.CouncilCode
	for code, n := range waiting {
		if n > waiting[council] || (n == waiting[council] && code < council) {
			council = code
		}
	}
	runs := map[catalogue.ProviderID]int{}
	for _, p := range s.batch.Placements {
		runs[p.Provider]++
	}
	keys := make([]catalogue.ProviderID, 0, len(runs))
	for k := range runs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var provider catalogue.ProviderID
	for _, k := range keys {
		if provider == 0 || runs[k] > runs[provider] {
			provider = k
		}
	}
	if id, ok := s.result.Providers[provider]; ok {
		provider = id
	}
	return council, provider
}

func createDemoTokens(ctx context.Context, store catalogue.TokenStore, s seeded) ([]demoToken, error) {
	council, provider := demoScope(s)
	councilName := string(council)
	if c, ok := catalogue.CouncilByCode(council); ok {
		councilName = c.Name + " (" + string(council) + ")"
	}
	specs := []struct {
		t     catalogue.Token
		scope string
	}{
		{catalogue.Token{Label: "demo admin", Role: catalogue.RoleAdmin}, "everything"},
		{catalogue.Token{Label: "demo officer", Role: catalogue.RoleOfficer, Council: council}, "children of " + councilName},
		{catalogue.Token{Label: "demo independent reviewing officer", Role: catalogue.RoleIRO, Council: council}, "move reviews and children's requests to look again, " + councilName},
		{catalogue.Token{Label: "demo advocate", Role: catalogue.RoleAdvocate, Council: council}, "children's requests for an advocate, " + councilName},
		{catalogue.Token{Label: "demo commissioner", Role: catalogue.RoleCommissioner}, "aggregates only"},
		{catalogue.Token{Label: "demo provider", Role: catalogue.RoleProvider, Provider: provider}, "placements of provider " + provider.String()},
	}
	// One manager of each level for the demo council: they sign off what the law or the
	// council's policy reserves to them (catalogue.SignOffKind).
	for _, l := range catalogue.ManagerLevels {
		specs = append(specs, struct {
			t     catalogue.Token
			scope string
		}{catalogue.Token{Label: "demo manager (" + string(l) + ")", Role: catalogue.RoleManager, Council: council, Level: l},
			"sign-offs of " + councilName + " as " + l.Words()})
	}
	var out []demoToken
	for _, sp := range specs {
		if sp.t.Role.CouncilRole() && council == "" || sp.t.Role == catalogue.RoleProvider && provider <= 0 {
			continue
		}
		secret, hash := catalogue.NewSecret("pm_")
		sp.t.Hash = hash // the store stamps CreatedAt on its clock
		if _, err := store.CreateToken(ctx, sp.t); err != nil {
			return nil, fmt.Errorf("creating the demo %s token: %w", sp.t.Role, err)
		}
		name := string(sp.t.Role)
		if sp.t.Level != "" {
			name += ":" + string(sp.t.Level)
		}
		out = append(out, demoToken{name: name, secret: secret, scope: sp.scope})
	}
	return out, nil
}

func printTokens(w io.Writer, url string, toks []demoToken) {
	fmt.Fprintln(w, "demo tokens (shown once; create more with 'placematch token create'):")
	for _, t := range toks {
		fmt.Fprintf(w, "  %-26s %s  (%s)\n", t.name, t.secret, t.scope)
	}
	if url != "" && len(toks) > 1 {
		fmt.Fprintf(w, "try: curl -H 'Authorization: Bearer %s' %s/v1/children\n", toks[1].secret, url)
	}
}

// seedReferrals writes the demo's framework prices and referral histories (synth.Referrals,
// synth.FrameworkPrices: assumptions, see docs/sufficiency.md), in the stored IDs.
func seedReferrals(ctx context.Context, store importer, batch catalogue.Batch, res catalogue.BatchResult, cfg synth.Config) error {
	for _, p := range synth.FrameworkPrices(batch) {
		if _, err := store.SetFrameworkPrice(ctx, p); err != nil {
			return fmt.Errorf("writing the demo's framework prices: %w", err)
		}
	}
	rs := synth.Referrals(batch, cfg.Today, cfg.Seed)
	for i := range rs {
		r := &rs[i]
		r.Child, r.Placement, r.Provider = res.Children[r.Child], res.Placements[r.Placement], res.Providers[r.Provider]
	}
	if len(rs) == 0 {
		return nil
	}
	if _, err := store.ImportReferrals(ctx, catalogue.Everything, rs); err != nil {
		return fmt.Errorf("writing the demo's referral histories: %w", err)
	}
	return nil
}
