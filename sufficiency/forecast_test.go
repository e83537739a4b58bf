package sufficiency

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// fixedForecast forecasts, for every council asked about, 9 children in children's homes and 3
// in foster care on 31 March 2027, and 13 and 3 on 31 March 2028.
type fixedForecast struct{ asked [][]catalogue.CouncilCode }

func (f *fixedForecast) Need(_ context.Context, councils []catalogue.CouncilCode) ([]NeedYear, error) {
	f.asked = append(f.asked, councils)
	n := float64(len(councils))
	year := func(y int, homes float64) NeedYear {
		return NeedYear{On: time.Date(y, time.March, 31, 0, 0, 0, 0, time.UTC),
			Expected: []float64{3 * n, 0, homes * n, 0, 0}, Low: []float64{2 * n, 0, homes * n, 0, 0}, High: []float64{4 * n, 0, homes * n, 0, 0}}
	}
	return []NeedYear{year(2027, 9), year(2028, 13)}, nil
}

type brokenForecast struct{}

func (brokenForecast) Need(context.Context, []catalogue.CouncilCode) ([]NeedYear, error) {
	return []NeedYear{{Expected: []float64{1}}}, nil
}

func TestForecastAgainstSupply(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r, err := Analyse(ctx, fixture(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	var without bytes.Buffer
	v, _ := r.View(Filter{Council: northumberland})
	if err := WriteText(&without, r, v); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(without.String(), "Need forecast") {
		t.Error("a report with no forecast shows one")
	}
	if _, err := r.Plan(ctx, PlanRequest{Profile: Profile{Kind: catalogue.ChildrensHome}, Within: []catalogue.CouncilCode{northumberland}}); err == nil {
		t.Error("with no forecast, a plan of no carers is not refused")
	}

	f := &fixedForecast{}
	if err := r.AddForecast(ctx, f); err != nil {
		t.Fatal(err)
	}
	if len(f.asked) != len(r.Areas) || len(f.asked[0]) != 153 || !slices.Equal(f.asked[len(f.asked)-1], []catalogue.CouncilCode{catalogue.CouncilCode(r.Areas[len(r.Areas)-1].Area.Code)}) {
		t.Errorf("asked about %d areas, England with %d councils; want every area, England's 153", len(f.asked), len(f.asked[0]))
	}
	a, _ := r.Area(string(northumberland))
	// Northumberland: one children's home of 5 places, 6 foster carers of 2 places each.
	for _, tc := range []struct {
		cat, year, places, short int
	}{
		{2, 0, 5, 4}, {2, 1, 5, 8}, // 9 and 13 children against 5 places
		{0, 0, 12, 0}, // 3 children against 12 places
		{4, 0, 0, -1}, // other: no placement supplies it
	} {
		if got := a.Forecast.Places[tc.cat]; got != tc.places {
			t.Errorf("%s places = %d, want %d", NeedCategories[tc.cat].Name, got, tc.places)
		}
		if got := a.Forecast.Shortfall(tc.year, tc.cat); got != tc.short {
			t.Errorf("%s short in year %d = %d, want %d", NeedCategories[tc.cat].Name, tc.year, got, tc.short)
		}
	}
	var with bytes.Buffer
	if err := WriteText(&with, r, v); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(with.String(), "Need forecast") || !strings.Contains(with.String(), "13 (13 to 13)") {
		t.Errorf("the report does not set the forecast against supply:\n%s", with.String())
	}

	// The planner's target: 13 children in children's homes in 2028 against 5 places is 8
	// short, two homes of 4 places.
	p, err := r.Plan(ctx, PlanRequest{Profile: Profile{Kind: catalogue.ChildrensHome}, Within: []catalogue.CouncilCode{northumberland}})
	if err != nil {
		t.Fatal(err)
	}
	want := ForecastTarget{Category: "residential", On: time.Date(2028, time.March, 31, 0, 0, 0, 0, time.UTC), Need: 13, Places: 5, Carers: 2}
	if p.Target == nil || *p.Target != want {
		t.Fatalf("target = %+v, want %+v", p.Target, want)
	}
	if len(p.Steps) > want.Carers || (len(p.Steps) < want.Carers && p.Stopped == "") {
		t.Errorf("the plan has %d steps for a target of %d carers", len(p.Steps), want.Carers)
	}
	// Foster need (3) is met by 12 places: nothing to recruit.
	p, err = r.Plan(ctx, PlanRequest{Profile: Profile{Kind: catalogue.CouncilFoster}, Within: []catalogue.CouncilCode{northumberland}})
	if err != nil || p.Target == nil || p.Target.Carers != 0 || len(p.Steps) != 0 {
		t.Errorf("a met need: plan %+v, err %v; want no carer", p, err)
	}

	if err := r.AddForecast(ctx, brokenForecast{}); err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("a forecast of the wrong categories: err = %v", err)
	}
}
