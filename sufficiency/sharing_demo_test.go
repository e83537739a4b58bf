package sufficiency

import (
	"context"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/synth"
)

// TestDemoOwnCarersShare measures, on the demo's synthetic England, the share of council
// foster options (a child's top three) that are another council's own carers: before the rule
// (as if every council shared with every other) and after it, with the demo's assumed
// agreements. Run with -v to read the figures; after the rule, every such option is shared by
// an agreement in force.
func TestDemoOwnCarersShare(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the demo England")
	}
	t.Parallel()
	cfg := synth.Demo()
	b, err := synth.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := synth.Materialise(b, cfg.Today)
	var waiting []catalogue.Child
	for _, c := range w.Children {
		if c.Status == catalogue.ChildWaiting {
			waiting = append(waiting, c)
		}
	}
	reqs := matcher.Waiting(waiting, w.SiblingGroups, nil, nil, w.Today)
	everyone := catalogue.SharingAgreement{Name: "everyone", Kind: catalogue.SharingRegionalPool,
		Kinds: []catalogue.PlacementKind{catalogue.CouncilFoster}, From: w.Today.AddDate(-1, 0, 0)}
	for _, c := range catalogue.Councils() {
		everyone.Members = append(everyone.Members, c.Code)
	}
	agreed := synth.Agreements(w.Today)
	share := func(sharing []catalogue.SharingAgreement) (foster, other, unshared int) {
		e := matcher.NewEngineFrom(w.Placements, matcher.Options{Now: func() time.Time { return w.Today }, Sharing: sharing})
		s := catalogue.NewSharing(sharing)
		for _, r := range reqs {
			res, err := e.Options(context.Background(), matcher.OptionsRequest{Request: r, Policy: catalogue.DefaultPolicy(), Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range res.Options {
				owner := o.Placement.OwningCouncil()
				if owner == "" {
					continue
				}
				foster++
				if owner != r.Child.Council {
					other++
					if _, ok := s.OwnersFor(r.Child.Council, catalogue.CouncilFoster, res.Day)[owner]; !ok {
						unshared++
					}
				}
			}
		}
		return foster, other, unshared
	}
	bf, bo, _ := share([]catalogue.SharingAgreement{everyone})
	af, ao, au := share(agreed)
	t.Logf("council foster options (top three) from another council, %d searches: before %d of %d (%.0f%%), after %d of %d (%.0f%%), every one shared by an agreement",
		len(reqs), bo, bf, pct(bo, bf), ao, af, pct(ao, af))
	if au != 0 {
		t.Errorf("%d options were another council's own carers with no agreement", au)
	}
	if bo == 0 || ao >= bo {
		t.Errorf("before %d, after %d: the rule should cut another council's carers from the options", bo, ao)
	}
}

func pct(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return 100 * float64(n) / float64(d)
}
