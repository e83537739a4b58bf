package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
)

// TestPlacedBrotherWeighedAlike: Amy's brother Ben already lives in a home (he fills its place).
// Her options and a match run both weigh how far each home is from him, with the same reason
// (issue 15: the run said "No brothers or sisters are to be considered" where the options
// counted him).
func TestPlacedBrotherWeighedAlike(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ctx := context.Background()
	benHome := f.addHome("Ward household", 53.50, -2.30, 1, nil)
	ben := childOn(f.today, manchester, "Ben")
	ben.SiblingGroup, ben.Status = f.group.ID, catalogue.ChildPlaced
	ben, err := f.store.CreateChild(ctx, catalogue.Everything, ben)
	if err != nil {
		t.Fatal(err)
	}
	v := benHome.Vacancies[0]
	v.Status, v.Child = catalogue.VacancyFilled, ben.ID
	if _, err := f.store.UpdateVacancy(ctx, catalogue.Everything, v); err != nil {
		t.Fatal(err)
	}
	if err := f.engine.Refresh(ctx); err != nil {
		t.Fatal(err)
	}

	siblings := func(factors []catalogue.FactorScore) string {
		for _, fs := range factors {
			if fs.Factor == catalogue.FactorSiblings {
				return fs.Reason
			}
		}
		return ""
	}
	r := f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/options", nil)
	f.want(r, 200)
	var opts struct {
		Options []struct {
			Placement struct {
				ID int64 `json:"id"`
			} `json:"placement"`
			Factors []catalogue.FactorScore `json:"factors"`
		} `json:"options"`
	}
	r.json(t, &opts)
	if len(opts.Options) == 0 {
		t.Fatal("Amy has no options")
	}
	byOptions := map[int64]string{}
	for _, o := range opts.Options {
		byOptions[o.Placement.ID] = siblings(o.Factors)
	}

	run, err := f.runs.Run(ctx, catalogue.Principal{Token: 1, Role: catalogue.RoleAdmin}, casework.RunParams{Council: manchester}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.store.ListRunResults(ctx, catalogue.Everything, run.ID, catalogue.RunPageFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, rr := range res.Items {
		if rr.Child != f.amy.ID {
			continue
		}
		for _, o := range rr.Offers {
			reason := siblings(o.Factors)
			if strings.Contains(reason, "No brothers or sisters") || !strings.Contains(reason, "lives elsewhere") {
				t.Errorf("the run's siblings reason for home %d does not weigh Ben: %q", o.Placement, reason)
			}
			if want, ok := byOptions[int64(o.Placement)]; ok {
				compared++
				if reason != want {
					t.Errorf("home %d: the run says %q, the options %q", o.Placement, reason, want)
				}
			}
		}
	}
	if compared == 0 {
		t.Error("no home both in Amy's options and in the run's offers to compare")
	}
}
