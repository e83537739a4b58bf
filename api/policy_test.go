package api_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// policyRead is what the tests read of GET /v1/policy.
type policyRead struct {
	Version int                `json:"version"`
	Council string             `json:"council"`
	Weights map[string]float64 `json:"weights"`
}

func (f *fixture) policy(t *testing.T, council string) policyRead {
	t.Helper()
	var p policyRead
	r := f.do("admin", "GET", "/v1/policy?council="+council, nil)
	f.want(r, 200)
	r.json(t, &p)
	return p
}

// TestConcurrentPolicyChanges: six administrators change Manchester's policy at once, each one
// weight, each from the version they read. Exactly one change is saved; the other five are 409
// and save nothing. Each of them reads again and sends their change again, and in the end every
// change is in force: none was lost. Before, PUT /v1/policy took no version and merged outside
// the store's transaction, so all six were saved, each over the policy as it was before the
// others, and five changes were lost (issue 15). On both stores.
func TestConcurrentPolicyChanges(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newFixture(t, s)
		council := string(manchester)
		read := f.policy(t, council)
		changes := []struct {
			factor string
			weight float64
		}{{"needs", 21}, {"siblings", 16}, {"school", 15}, {"family", 11}, {"stability", 12}, {"kinship", 9}}
		body := func(i, version int) map[string]any {
			return map[string]any{"council": council, "version": version, "note": "admin " + changes[i].factor,
				"weights": map[string]float64{changes[i].factor: changes[i].weight}}
		}
		statuses := make([]int, len(changes))
		details := make([]string, len(changes))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range changes {
			wg.Go(func() {
				<-start
				r := f.do("admin", "PUT", "/v1/policy", body(i, read.Version))
				statuses[i] = r.status
				if r.status == 409 {
					details[i] = r.problem(t).Detail
				}
			})
		}
		close(start)
		wg.Wait()
		won := -1
		for i, st := range statuses {
			switch {
			case st == 200 && won < 0:
				won = i
			case st == 200:
				t.Errorf("%s and %s were both saved from version %d", changes[won].factor, changes[i].factor, read.Version)
			case st != 409:
				t.Errorf("%s: %d, want 200 or 409", changes[i].factor, st)
			case !strings.Contains(details[i], "is stale"):
				t.Errorf("%s: 409 does not say the version is stale: %q", changes[i].factor, details[i])
			}
		}
		if won < 0 {
			t.Fatalf("no change was saved: %v", statuses)
		}
		after := f.policy(t, council)
		if after.Version <= read.Version || after.Council != council {
			t.Fatalf("after the race Manchester's policy is %+v", after)
		}
		for i, c := range changes {
			if w := after.Weights[c.factor]; (i == won) != (w == c.weight) {
				t.Errorf("after the race %s weighs %v (saved: %v)", c.factor, w, i == won)
			}
		}
		// The others read again and send again: every change ends in force.
		for i := range changes {
			if i == won {
				continue
			}
			f.want(f.do("admin", "PUT", "/v1/policy", body(i, f.policy(t, council).Version)), 200)
		}
		final := f.policy(t, council)
		for _, c := range changes {
			if w := final.Weights[c.factor]; w != c.weight {
				t.Errorf("%s weighs %v, want %v: a change was lost", c.factor, w, c.weight)
			}
		}
		var hist struct{ Items []policyRead }
		f.do("admin", "GET", "/v1/policy/versions?council="+council, nil).json(t, &hist)
		if len(hist.Items) != len(changes) {
			t.Errorf("Manchester has %d versions of its own, want %d: one a change", len(hist.Items), len(changes))
		}
	})
}

// TestPolicyChangeVersion: PUT /v1/policy without the version read is 400 naming version; with a
// version no longer in force (a change saved since, or, for a council without a policy of its
// own, a national change since) it is 409; neither saves anything.
func TestPolicyChangeVersion(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	national := f.policy(t, "")
	r := f.do("admin", "PUT", "/v1/policy", map[string]any{"weights": map[string]float64{"school": 20}, "note": "no version"})
	f.want(r, 400)
	wantField(t, r, "version")
	if p := f.policy(t, ""); p.Version != national.Version {
		t.Fatalf("a change without a version was saved: version %d", p.Version)
	}

	// Leeds has no policy of its own: it reads the national one. The national policy changes.
	leedsRead := f.policy(t, string(leeds))
	if leedsRead.Version != national.Version || leedsRead.Council != "" {
		t.Fatalf("Leeds reads %+v, want the national version %d", leedsRead, national.Version)
	}
	f.want(f.do("admin", "PUT", "/v1/policy", map[string]any{"version": national.Version, "weights": map[string]float64{"needs": 25}, "note": "needs"}), 200)
	// A second change from the same national version is stale.
	r = f.do("admin", "PUT", "/v1/policy", map[string]any{"version": national.Version, "weights": map[string]float64{"school": 20}, "note": "school"})
	f.want(r, 409)
	if d := r.problem(t).Detail; d != "national policy: version 1 is stale, the version in force is 2" {
		t.Errorf("stale national change: %q", d)
	}
	// So is Leeds's change made from the national version it read: it would undo the national
	// change for Leeds.
	r = f.do("admin", "PUT", "/v1/policy", map[string]any{"council": string(leeds), "version": leedsRead.Version,
		"weights": map[string]float64{"school": 20}, "note": "Leeds: school"})
	f.want(r, 409)
	if d := r.problem(t).Detail; !strings.HasPrefix(d, "policy of "+string(leeds)+": version 1 is stale") {
		t.Errorf("stale change for Leeds: %q", d)
	}
	if p := f.policy(t, string(leeds)); p.Council != "" || p.Weights["needs"] != 25 || p.Weights["school"] != 14 {
		t.Errorf("after the refused change Leeds follows %+v, want the national version 2", p)
	}
	// Read again, the change is saved over the national change.
	r = f.do("admin", "PUT", "/v1/policy", map[string]any{"council": string(leeds), "version": f.policy(t, string(leeds)).Version,
		"weights": map[string]float64{"school": 20}, "note": "Leeds: school"})
	f.want(r, 200)
	if p := f.policy(t, string(leeds)); p.Council != string(leeds) || p.Weights["needs"] != 25 || p.Weights["school"] != 20 {
		t.Errorf("Leeds's own policy %+v, want needs 25 (national) and school 20 (its own)", p)
	}
}

// TestPolicyWorkingDay: a council's working hours are part of its policy, as HH:MM; a time
// that is not one, or an end before the start, is a 400 naming the field and saves nothing.
func TestPolicyWorkingDay(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newFixture(t, s)
		council := string(manchester)
		read := f.policy(t, council)
		for _, tt := range []struct {
			start, end string
			field      string
		}{
			{"9am", "17:00", "working_day_start"},
			{"09:00", "25:00", "working_day_end"},
			{"17:00", "09:00", "working_day_end"},
		} {
			r := f.do("admin", "PUT", "/v1/policy", map[string]any{"council": council, "version": read.Version, "note": "hours",
				"working_day_start": tt.start, "working_day_end": tt.end})
			f.want(r, 400)
			wantField(t, r, tt.field)
		}
		r := f.do("admin", "PUT", "/v1/policy", map[string]any{"council": council, "version": read.Version, "note": "the team starts early",
			"working_day_start": "08:30"})
		f.want(r, 200)
		var got struct {
			Start string `json:"working_day_start"`
			End   string `json:"working_day_end"`
		}
		f.do("admin", "GET", "/v1/policy?council="+council, nil).json(t, &got)
		if got.Start != "08:30" || got.End != "17:00" {
			t.Errorf("working day %s to %s, want 08:30 to 17:00", got.Start, got.End)
		}
	})
}
