package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/passwd"
	"github.com/placematch/placematch/sufficiency"
)

// steadyDemand forecasts, for n councils, 20n foster, 5n kinship, 3n residential, 2n supported
// and n other children on each of the next three 31 Marches, growing by n a year, with an
// interval of 10% either side. It stands for the fitted model (forecast/, tested there): the
// API's part is to carry what the report holds.
type steadyDemand struct{ asked *int }

func (d steadyDemand) Demand(context.Context, time.Time) (sufficiency.DemandForecast, error) {
	*d.asked++
	return d, nil
}

func (d steadyDemand) Need(_ context.Context, councils []catalogue.CouncilCode) ([]sufficiency.NeedYear, error) {
	n := float64(len(councils))
	var out []sufficiency.NeedYear
	for y := range 3 {
		ny := sufficiency.NeedYear{On: time.Date(2027+y, time.March, 31, 0, 0, 0, 0, time.UTC)}
		for _, base := range []float64{20, 5, 3, 2, 1} {
			e := base*n + float64(y)*n
			ny.Expected, ny.Low, ny.High = append(ny.Expected, e), append(ny.Low, e*0.9), append(ny.High, e*1.1)
		}
		out = append(out, ny)
	}
	return out, nil
}

// brokenDemand is a forecast that cannot be made.
type brokenDemand struct{}

func (brokenDemand) Demand(context.Context, time.Time) (sufficiency.DemandForecast, error) {
	return nil, errors.New("no history to fit")
}

// TestSufficiencyWithoutItsForecast: a forecast that cannot be made costs the report its
// forecast, not the report, and a note says so.
func TestSufficiencyWithoutItsForecast(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	svc, err := sufficiency.NewService(sufficiency.ServiceConfig{Source: f.store, Policies: f.store, Now: f.store.Now, Demand: brokenDemand{}})
	if err != nil {
		t.Fatal(err)
	}
	if f.h, err = api.New(api.Config{Store: f.store, Matcher: f.engine, Now: f.store.Now, Matching: matching{f.runs}, Sufficiency: svc,
		Settings: api.Settings{AllowedHosts: []string{"example.com"}, RequestTimeout: testRequestTimeout}}); err != nil {
		t.Fatal(err)
	}
	r := f.do("commissioner", "GET", "/v1/sufficiency", nil)
	f.want(r, 200)
	if body := string(r.body); !strings.Contains(body, `"forecast":null`) || !strings.Contains(body, "The demand forecast could not be made") {
		t.Errorf("a report whose forecast failed: %.400s", body)
	}
}

// TestSufficiencyForecast: a service with a demand forecast asks for it once a report; the
// report's JSON carries the scope's forecast need against its places (places and shortfall null
// for "other"), the forecast table downloads as CSV, and the workspace page shows it; a service
// without one gives null and a CSV of the header only.
func TestSufficiencyForecast(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	without := f.do("commissioner", "GET", "/v1/sufficiency?council="+string(manchester), nil)
	f.want(without, 200)
	if !strings.Contains(string(without.body), `"forecast":null`) {
		t.Errorf("a report without a forecast: %.300s", without.body)
	}
	if r := f.do("commissioner", "GET", "/v1/sufficiency?format=csv&table=forecast&council="+string(manchester), nil); r.status != 200 ||
		strings.Count(string(r.body), "\n") != 1 {
		t.Errorf("the forecast CSV without a forecast: %d %s", r.status, r.body)
	}

	asked := 0
	svc, err := sufficiency.NewService(sufficiency.ServiceConfig{Source: f.store, Policies: f.store, Now: f.store.Now, Demand: steadyDemand{&asked}})
	if err != nil {
		t.Fatal(err)
	}
	if f.h, err = api.New(api.Config{Store: f.store, Matcher: f.engine, Now: f.store.Now, Matching: matching{f.runs}, Sufficiency: svc,
		Settings: api.Settings{AllowedHosts: []string{"example.com"}, RequestTimeout: testRequestTimeout}}); err != nil {
		t.Fatal(err)
	}
	r := f.do("commissioner", "GET", "/v1/sufficiency?council="+string(manchester), nil)
	f.want(r, 200)
	var got struct {
		Capacity []struct {
			Kind     string
			Approved int
		}
		Forecast []struct {
			YearEnd   string `json:"year_end"`
			Category  string
			Expected  int
			Low80     int  `json:"low_80"`
			High80    int  `json:"high_80"`
			Places    *int `json:"places_now"`
			Shortfall *int
		}
	}
	r.json(t, &got)
	if asked != 1 {
		t.Errorf("the demand forecast was asked for %d times for one report", asked)
	}
	if len(got.Forecast) != 15 {
		t.Fatalf("%d forecast rows, want 3 years x 5 categories: %+v", len(got.Forecast), got.Forecast)
	}
	foster := 0
	for _, c := range got.Capacity {
		if c.Kind == string(catalogue.CouncilFoster) || c.Kind == string(catalogue.AgencyFoster) {
			foster += c.Approved
		}
	}
	for i, row := range got.Forecast {
		y, c := i/5, i%5
		want := []int{20, 5, 3, 2, 1}[c] + y // one council
		if row.YearEnd != strconv.Itoa(2027+y)+"-03-31" || row.Category != sufficiency.NeedCategories[c].Name || row.Expected != want {
			t.Errorf("row %d: %+v, want %s on %d-03-31 expecting %d", i, row, sufficiency.NeedCategories[c].Name, 2027+y, want)
		}
		if row.Low80 > row.Expected || row.High80 < row.Expected {
			t.Errorf("row %d: the interval %d to %d leaves out %d", i, row.Low80, row.High80, row.Expected)
		}
		switch {
		case row.Category == "other" && (row.Places != nil || row.Shortfall != nil):
			t.Errorf("other has places or a shortfall: %+v", row)
		case row.Category != "other" && (row.Places == nil || row.Shortfall == nil || *row.Shortfall != max(0, row.Expected-*row.Places)):
			t.Errorf("row %d: shortfall is not the need beyond the places: %+v", i, row)
		case row.Category == "foster" && *row.Places != foster:
			t.Errorf("foster places %d, the capacity table's approved foster places %d", *row.Places, foster)
		}
	}

	r = f.do("commissioner", "GET", "/v1/sufficiency?format=csv&table=forecast&council="+string(manchester), nil)
	f.want(r, 200)
	recs, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
	if err != nil || len(recs) != 16 || recs[0][2] != "year_end" || recs[1][0] != string(manchester) || recs[5][3] != "other" || recs[5][7] != "" {
		t.Errorf("the forecast CSV: %v %q", err, recs)
	}

	const email, password = "cat.commissioner@manchester.example.gov.uk", "correct horse battery staple"
	if _, err := f.store.CreateAccount(context.Background(), catalogue.Account{Name: "Cat Commissioner", Email: email, Role: catalogue.RoleCommissioner,
		Council: manchester, PasswordHash: passwd.Hash(password)}); err != nil {
		t.Fatal(err)
	}
	ck := sessionCookie(t, f.browse(browserCall{method: "POST", path: "/sign-in", form: signInForm(email, password)}))
	page := f.browse(browserCall{method: "GET", path: "/workspace/sufficiency", cookie: ck})
	body := string(page.body)
	for _, want := range []string{`id="forecast">Need forecast against places`, `data-label="Need, 31 March 2027">20 (18 to 22)`,
		`data-label="Short, 31 March 2029">–`, "table=forecast"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
}
