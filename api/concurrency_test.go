package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestConcurrentAcceptsAndRuns: 200 offers name the same home with two places; their officers
// accept all at once over the API while match runs start and finish beside them, on both
// backends. Exactly two accepts win; every other one gets 409 and leaves its offer as it was;
// the home is never over-filled; every run ends (succeeded), none half-written.
func TestConcurrentAcceptsAndRuns(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newFixture(t, s)
		ctx := context.Background()
		home := f.addHome("Contested household", 53.47, -2.26, 2, nil)
		const n = 200
		offers := make([]catalogue.Offer, n)
		for i := range n {
			c, err := s.CreateChild(ctx, catalogue.Everything, childIn(manchester, fmt.Sprintf("Child%d", i)))
			if err != nil {
				t.Fatal(err)
			}
			offers[i], err = s.CreateOffer(ctx, catalogue.Everything, catalogue.Offer{Child: c.ID, Council: manchester, Options: []catalogue.Option{{
				Rank: 1, Role: catalogue.RoleChoice, Placement: home.ID, Score: 0.7, Quality: 0.7, WeeklyCost: 650, HomeKm: 2, SchoolKm: 1,
				Factors: []catalogue.FactorScore{{Factor: catalogue.FactorSchool, Weight: 0.14, Score: 1, Reason: "Close to school."}}}}})
			if err != nil {
				t.Fatal(err)
			}
		}
		statuses := make([]int, n)
		var runIDs []string
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				body := fmt.Sprintf(`{"version":%d,"outcome":"accepted","placement":%d,"reason":"decided with the child in person"}`, offers[i].Version, home.ID)
				req := httptest.NewRequest("POST", "/v1/offers/"+offers[i].ID.String()+"/decision", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+f.tokens["officer"])
				w := httptest.NewRecorder()
				f.h.ServeHTTP(w, req)
				statuses[i] = w.Code
			})
		}
		for range 3 {
			wg.Go(func() {
				<-start
				r := f.do("admin", "POST", "/v1/match-runs", map[string]any{"council": string(manchester)})
				if r.status != 202 {
					t.Errorf("start a match run: %d %s", r.status, r.body)
					return
				}
				var run struct{ ID int64 }
				r.json(t, &run)
				mu.Lock()
				runIDs = append(runIDs, fmt.Sprint(run.ID))
				mu.Unlock()
			})
		}
		close(start)
		wg.Wait()

		won, lost := 0, 0
		for i, st := range statuses {
			switch st {
			case 200:
				won++
			case 409:
				lost++
				o, err := s.Offer(ctx, catalogue.Everything, offers[i].ID)
				if err != nil || o.Status != catalogue.OfferProposed || o.Version != offers[i].Version || o.Decision != nil {
					t.Errorf("a lost accept changed offer %d: %+v %v", offers[i].ID, o, err)
				}
			default:
				t.Errorf("accept %d: status %d", i, st)
			}
		}
		if won != 2 || lost != n-2 {
			t.Errorf("%d accepts won and %d lost for a home with two places; want 2 and %d", won, lost, n-2)
		}
		filled := 0
		vs, err := s.ListVacancies(ctx, catalogue.Everything, catalogue.VacancyFilter{Placement: home.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs.Items {
			if v.Status == catalogue.VacancyFilled {
				filled++
			}
		}
		if filled != 2 || len(vs.Items) != 2 {
			t.Errorf("the home has %d places, %d filled; want 2 filled of 2", len(vs.Items), filled)
		}
		// Every run ends, succeeded, with results for every child it matched.
		deadline := time.Now().Add(2 * time.Minute) // measures a duration
		for _, id := range runIDs {
			for {
				var run struct {
					Status string
					Counts struct{ Children int }
				}
				f.do("admin", "GET", "/v1/match-runs/"+id, nil).json(t, &run)
				if run.Status == "succeeded" {
					var res struct{ Items []any }
					f.do("admin", "GET", "/v1/match-runs/"+id+"/results?limit=500", nil).json(t, &res)
					if len(res.Items) != run.Counts.Children || run.Counts.Children == 0 {
						t.Errorf("run %s: %d results for %d children", id, len(res.Items), run.Counts.Children)
					}
					break
				}
				if run.Status == "failed" || time.Now().After(deadline) { // measures a duration
					t.Fatalf("run %s: %s", id, run.Status)
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
	})
}
