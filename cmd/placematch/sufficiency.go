package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/sufficiency"
)

// runSufficiency prints the sufficiency report computed from a snapshot of the store, writes it
// as CSV, and runs what-ifs and the recruitment planner.
func runSufficiency(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "sufficiency", "sufficiency [options]")
	var sf storeFlags
	sf.register(fs, e)
	council := fs.String("council", "", "ONS code of a council: its report, with the benchmark against its region and England")
	region := fs.String("region", "", "ONS code of a region (E12000001 to E12000009): its report and its councils")
	segment := fs.String("segment", "", "one breakdown of the children: age_band:16_plus, key_need:siblings_3_plus, segment:16_plus/childrens_home/none, ...")
	csvPath := fs.String("csv", "", "write every row of the report (every area and breakdown) to this CSV file")
	refCSV := fs.String("referrals-csv", "", "write the referral figures of every area (and England's by provider) to this CSV file")
	day := fs.String("today", "", "the day the figures are for, YYYY-MM-DD (default: today)")
	add := fs.String("add", "", "what-if: carers of the profile to add, COUNCIL=N[,COUNCIL=N...] (ONS codes); prints every figure that changes")
	plan := fs.Int("plan", 0, "recruitment planner: place this many carers of the profile, one by one, where each closes the most of the choice gap")
	within := fs.String("within", "", "planner: comma-separated ONS codes of the councils the carers may go to (default: any)")
	kind := fs.String("kind", "council_foster", "profile: council_foster, agency_foster, childrens_home or supported_accommodation")
	places := fs.Int("places", 0, "profile: approved places (default 1 for foster carers, 4 for a home)")
	ages := fs.String("ages", "", "profile: approved ages MIN-MAX (default 0-17; 16-17 for supported accommodation)")
	siblings := fs.Bool("siblings", false, "profile: approved for brothers and sisters together")
	skills := fs.String("skills", "", "profile: comma-separated skills (trauma_informed, therapeutic_parenting, disability, autism, ...)")
	wheelchair := fs.Bool("wheelchair", false, "profile: step-free access")
	withForecast := fs.Bool("forecast", false, "set each area's forecast need (the stock-and-flow model on the store's placement histories, 1 to 3 years ahead) against its places")
	forecastYears := fs.Int("forecast-years", MaxForecastYears, "with --forecast: years ahead")
	planForecast := fs.Bool("plan-forecast", false, "recruitment planner, with --forecast: recruit the carers of the profile that the forecast need of its category beyond today's places asks for")
	progress := fs.Bool("progress", true, "show a progress bar on stderr")
	if err := parse(e, fs, args, 0); err != nil {
		return err
	}
	now := e.now()
	if *day != "" {
		t, err := time.Parse(time.DateOnly, *day)
		if err != nil {
			return usageError{"sufficiency: --today must be a date YYYY-MM-DD"}
		}
		now = t.Add(9 * time.Hour)
	}
	prof := sufficiency.Profile{Kind: catalogue.PlacementKind(*kind), Places: *places, SiblingGroups: *siblings, WheelchairAccessible: *wheelchair}
	if *ages != "" {
		lo, hi, ok := strings.Cut(*ages, "-")
		a, err1 := strconv.Atoi(lo)
		b, err2 := strconv.Atoi(hi)
		if !ok || err1 != nil || err2 != nil {
			return usageError{"sufficiency: --ages must be MIN-MAX, such as 0-17"}
		}
		prof.MinAge, prof.MaxAge = a, b
	}
	for _, s := range splitList(*skills) {
		prof.Skills = append(prof.Skills, catalogue.Skill(s))
	}
	var scenario sufficiency.Scenario
	for _, item := range splitList(*add) {
		code, n, ok := strings.Cut(item, "=")
		count, err := strconv.Atoi(n)
		if !ok || err != nil {
			return usageError{fmt.Sprintf("sufficiency: --add: %q must be COUNCIL=N", item)}
		}
		scenario.Additions = append(scenario.Additions, sufficiency.Addition{Council: catalogue.CouncilCode(code), Count: count, Profile: prof})
	}
	if *plan < 0 || *plan > sufficiency.MaxPlanSteps {
		return usageError{fmt.Sprintf("sufficiency: --plan must be between 1 and %d", sufficiency.MaxPlanSteps)}
	}

	log := newLogger(e, e.stderr)
	store, err := sf.open(ctx, e, log)
	if err != nil {
		return err
	}
	defer store.Close()
	if *forecastYears < 1 || *forecastYears > MaxForecastYears {
		return usageError{fmt.Sprintf("sufficiency: --forecast-years must be between 1 and %d", MaxForecastYears)}
	}
	if *planForecast && !*withForecast {
		return usageError{"sufficiency: --plan-forecast needs --forecast"}
	}
	var need sufficiency.DemandSource
	if *withForecast {
		need = storeDemand{store: store, years: *forecastYears}
	}
	svc, err := sufficiency.NewService(sufficiency.ServiceConfig{Source: store, Policies: store, Demand: need,
		Stability: sufficiency.StabilityFromStore(store), Histories: store, Referrals: store, KinCaring: store, Now: func() time.Time { return now }, Logger: log})
	if err != nil {
		return err
	}
	var report func(stage string, done, total int)
	bar := newProgressBar(e.stderr, "")
	if *progress {
		report = bar.stage
	}
	r, err := svc.Compute(ctx, report)
	bar.done()
	if err != nil {
		return err
	}
	v, err := r.View(sufficiency.Filter{Council: catalogue.CouncilCode(*council), Region: catalogue.RegionCode(*region), Segment: *segment})
	if err != nil {
		return usageError{err.Error()}
	}
	if err := sufficiency.WriteText(e.stdout, r, v); err != nil {
		return err
	}
	if *csvPath != "" {
		f, err := os.Create(*csvPath)
		if err != nil {
			return err
		}
		rows := r.Rows()
		if err := sufficiency.WriteCSV(f, rows); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "\nwrote %d rows to %s\n", len(rows), *csvPath)
	}
	if *refCSV != "" {
		f, err := os.Create(*refCSV)
		if err != nil {
			return err
		}
		areas := make([]*sufficiency.AreaReport, len(r.Areas))
		for i := range r.Areas {
			areas[i] = &r.Areas[i]
		}
		if err := sufficiency.WriteReferralCSV(f, r, areas); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote the referral figures to %s\n", *refCSV)
	}
	if len(scenario.Additions) > 0 {
		c, err := r.WhatIf(ctx, scenario)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout)
		if err := sufficiency.WriteWhatIfText(e.stdout, c); err != nil {
			return err
		}
	}
	if *plan > 0 || *planForecast {
		var codes []catalogue.CouncilCode
		for _, c := range splitList(*within) {
			codes = append(codes, catalogue.CouncilCode(c))
		}
		carers := *plan
		if *planForecast {
			carers = 0 // the forecast's shortfall
		}
		p, err := r.Plan(ctx, sufficiency.PlanRequest{Profile: prof, Carers: carers, Within: codes, Verify: true})
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout)
		if err := sufficiency.WritePlanText(e.stdout, p); err != nil {
			return err
		}
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
