package sufficiency

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// memSource serves a fixed input through the store's list methods, page by page.
type memSource struct {
	in    Input
	loads atomic.Int32 // ListPlacements calls from the first page
	delay time.Duration
}

func page[T any](items []T, id func(T) int64, after int64, limit int) catalogue.Page[T] {
	limit = catalogue.ClampLimit(limit)
	var out catalogue.Page[T]
	for _, it := range items {
		if id(it) <= after {
			continue
		}
		if len(out.Items) == limit {
			out.Next = id(out.Items[len(out.Items)-1])
			break
		}
		out.Items = append(out.Items, it)
	}
	return out
}

func (m *memSource) ListChildren(ctx context.Context, s catalogue.Scope, f catalogue.ChildFilter) (catalogue.Page[catalogue.Child], error) {
	var cs []catalogue.Child
	for _, c := range m.in.Children {
		if f.Status == "" || c.Status == f.Status {
			cs = append(cs, c)
		}
	}
	return page(cs, func(c catalogue.Child) int64 { return int64(c.ID) }, int64(f.After), 7), nil
}

func (m *memSource) ListSiblingGroups(ctx context.Context, s catalogue.Scope, f catalogue.GroupFilter) (catalogue.Page[catalogue.SiblingGroup], error) {
	return page(m.in.Groups, func(g catalogue.SiblingGroup) int64 { return int64(g.ID) }, int64(f.After), 3), nil
}

func (m *memSource) ListPlacements(ctx context.Context, s catalogue.Scope, f catalogue.PlacementFilter) (catalogue.Page[catalogue.Placement], error) {
	if f.After == 0 {
		m.loads.Add(1)
		select {
		case <-time.After(m.delay):
		case <-ctx.Done():
			return catalogue.Page[catalogue.Placement]{}, ctx.Err()
		}
	}
	return page(m.in.Placements, func(p catalogue.Placement) int64 { return int64(p.ID) }, int64(f.After), 10), nil
}

type fixedPolicies struct{ calls atomic.Int32 }

func (p *fixedPolicies) Policy(ctx context.Context, c catalogue.CouncilCode) (catalogue.PolicyVersion, error) {
	p.calls.Add(1)
	return catalogue.PolicyVersion{Policy: catalogue.DefaultPolicy()}, nil
}

// TestServiceComputes: the report loaded through the source, page by page with one policy
// look-up per council, is the one an analysis of the input gives; each Compute loads the
// catalogue afresh (the API keeps the copies); a computation past its timeout fails.
func TestServiceComputes(t *testing.T) {
	t.Parallel()
	in := fixture()
	src := &memSource{in: in}
	now := fixtureDay.Add(9 * time.Hour)
	pols := &fixedPolicies{}
	s, err := NewService(ServiceConfig{Source: src, Policies: pols, KinCaring: kinCounts(in.KinCaring), MaxAge: time.Minute, Now: catalogue.FixedClock(now)})
	if err != nil {
		t.Fatal(err)
	}
	if s.MaxAge() != time.Minute {
		t.Errorf("max age %v", s.MaxAge())
	}
	r, err := s.Compute(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if int(pols.calls.Load()) != len(catalogue.Councils()) {
		t.Errorf("%d policy look-ups, want one per council", pols.calls.Load())
	}
	// The same figures as an analysis of the input itself (without placement histories: the
	// young people turning 18 and the children in unregistered settings come with them).
	noHistories := fixture()
	noHistories.TurningEighteen, noHistories.Unregistered, noHistories.Leaving = nil, nil, nil
	direct := analyseInput(t, noHistories)
	var a, b bytes.Buffer
	if err := WriteCSV(&a, r.Rows()); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&b, direct.Rows()); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("the report loaded through the source differs from the analysis of the input")
	}
	if r2, err := s.Compute(context.Background(), nil); err != nil || r2 == r || src.loads.Load() != 2 {
		t.Errorf("a second Compute: %v, %d loads", err, src.loads.Load())
	}
	slow, _ := NewService(ServiceConfig{Source: &memSource{in: in, delay: time.Minute}, Timeout: time.Millisecond, Now: catalogue.FixedClock(now)})
	if _, err := slow.Compute(context.Background(), nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("past its timeout: %v", err)
	}
}

// TestStabilityHook: indicators and young people turning 18 from a StabilitySource are summed
// into regions and England, withheld below 5 with their protection, and said to be missing
// without one.
func TestStabilityHook(t *testing.T) {
	t.Parallel()
	in := fixture()
	src := &memSource{in: in}
	stab := StabilityFunc(func(ctx context.Context, c catalogue.CouncilCode, on time.Time) (HistoryFigures, error) {
		three := func(n, of int) []Indicator {
			return []Indicator{{Name: "three_plus_year", Label: "3 or more placements in the 12 months", Count: n, Denominator: of}}
		}
		switch c {
		case kent:
			return HistoryFigures{Indicators: three(40, 400), TurningEighteen: 30, Unregistered: 12,
				Leaving: Leaving{StayingPutEligible: 20, StayingPutWilling: 8, StayingClose: 6}}, nil
		case cornwall:
			return HistoryFigures{Indicators: three(3, 300), TurningEighteen: 2, Unregistered: 1,
				Leaving: Leaving{StayingPutEligible: 2, StayingPutWilling: 1}}, nil
		case northumberland:
			return HistoryFigures{Indicators: three(20, 200), TurningEighteen: 9, Unregistered: 6}, nil
		}
		return HistoryFigures{}, nil
	})
	s, _ := NewService(ServiceConfig{Source: src, Stability: stab, Now: func() time.Time { return fixtureDay }})
	r, err := s.Compute(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.StabilityRecorded {
		t.Error("stability not recorded")
	}
	eng := r.England().Stability
	if len(eng) != 1 || eng[0].Denominator.String() != "900" {
		t.Fatalf("England stability %+v", eng)
	}
	// Cornwall's 3 is withheld; so is England's 63 (it would give Cornwall's away with the South
	// East's and the North East's), or one of those.
	cw, _ := r.Area(string(cornwall))
	if !cw.Stability[0].Count.Withheld() || !cw.Stability[0].Percent.Withheld() {
		t.Errorf("Cornwall's count %s shown", cw.Stability[0].Count)
	}
	withheld := 0
	for _, code := range []string{EnglandCode, "E12000001", "E12000008", "E12000009"} {
		ar, _ := r.Area(code)
		if ar.Stability[0].Count.Withheld() {
			withheld++
		}
	}
	if withheld < 2 {
		t.Errorf("only %d of England and the regions withheld: Cornwall's 3 can be worked out", withheld)
	}
	// Young people turning 18: Kent's 30 shown, Cornwall's 2 withheld with its gap, and so are
	// two of England's 41 and the regions' (the South West's is Cornwall's, and the North East's
	// 9 protects it), or Cornwall's could be worked out.
	turning := func(code string) Figure { ar, _ := r.Area(code); return ar.All().Metrics.TurningEighteen }
	if turning(string(kent)).String() != "30" || turning(EnglandCode).String() != "41" {
		t.Errorf("Kent's young people turning 18 %s, England's %s", turning(string(kent)), turning(EnglandCode))
	}
	if !turning(string(cornwall)).Withheld() || !cw.All().Metrics.StayingPutGap.Withheld() {
		t.Errorf("Cornwall's young people turning 18 %s, gap %s", turning(string(cornwall)), cw.All().Metrics.StayingPutGap)
	}
	withheld = 0
	for _, code := range []string{EnglandCode, "E12000001", "E12000008", "E12000009"} {
		if turning(code).Withheld() {
			withheld++
		}
	}
	if withheld < 2 {
		t.Errorf("only %d of England and the regions' young people turning 18 withheld: Cornwall's 2 can be worked out", withheld)
	}
	// Staying Put through the source: Kent's 20 fostered, 12 of them without their own carers'
	// willingness, 6 in children's homes; Cornwall's 2 withheld with its gap, and with them
	// Kent's (the South East protects the South West in England's 22).
	if i := r.index[string(kent)]; r.tally.spEligible[i] != 20 || r.tally.spEligible[i]-r.tally.spWilling[i] != 12 {
		t.Errorf("Kent's fostered %d, willing %d", r.tally.spEligible[i], r.tally.spWilling[i])
	}
	if m := areaMetrics(r, string(cornwall)); !m.StayingPutEligible.Withheld() || !m.StayingPutGap.Withheld() {
		t.Errorf("Cornwall's fostered %s, gap %s", m.StayingPutEligible, m.StayingPutGap)
	}
	if m := areaMetrics(r, string(kent)); m.StayingClose.String() != "6" || areaMetrics(r, EnglandCode).StayingPutEligible.String() != "22" {
		t.Errorf("Kent's Staying Close %s, England's fostered %s", m.StayingClose, areaMetrics(r, EnglandCode).StayingPutEligible)
	}
	// Children in unregistered settings: Kent's 12 shown, England's 19, Cornwall's 1 withheld,
	// and with it two of England's and the regions' (or Cornwall's could be worked out).
	unreg := func(code string) Figure { ar, _ := r.Area(code); return ar.All().Metrics.Unregistered }
	if unreg(string(kent)).String() != "12" || !unreg(string(cornwall)).Withheld() {
		t.Errorf("children in unregistered settings: Kent %s, Cornwall %s", unreg(string(kent)), unreg(string(cornwall)))
	}
	withheld = 0
	for _, code := range []string{EnglandCode, "E12000001", "E12000008", "E12000009"} {
		if unreg(code).Withheld() {
			withheld++
		}
	}
	if withheld < 2 || (!unreg(EnglandCode).Withheld() && unreg(EnglandCode).String() != "19") {
		t.Errorf("England's children in unregistered settings %s, %d of England and the regions withheld", unreg(EnglandCode), withheld)
	}
	// Without a source the report says the indicators need histories.
	s2, _ := NewService(ServiceConfig{Source: src, Now: func() time.Time { return fixtureDay }})
	r2, _ := s2.Compute(context.Background(), nil)
	if r2.StabilityRecorded || !slices.ContainsFunc(r2.Notes, func(n string) bool { return strings.Contains(n, "placement histories") }) {
		t.Error("a report without histories does not say so")
	}
	if m := r2.England().All().Metrics; m.TurningEighteen.Shown() || m.TurningEighteen.Withheld() || m.StayingPutGap.Shown() || m.StayingPutGap.Withheld() ||
		m.StayingClose.Shown() || m.StayingPutPlaces.String() != "26" {
		t.Errorf("without histories: turning 18 %s, gap %s, places %s", m.TurningEighteen, m.StayingPutGap, m.StayingPutPlaces)
	}
	if m := r2.England().All().Metrics; m.Unregistered.Shown() || m.Unregistered.Withheld() {
		t.Errorf("without histories: children in unregistered settings %s", m.Unregistered)
	}
}

// TestViews: filters choose the scope, its rows and its benchmark; bad filters are errors.
func TestViews(t *testing.T) {
	t.Parallel()
	r := analyseFixture(t)
	v, err := r.View(Filter{})
	if err != nil || v.Scope.Area.Level != LevelEngland || len(v.Areas) != len(r.Areas) || v.Benchmark != nil {
		t.Fatalf("England view: %v %+v", err, v.Scope.Area)
	}
	v, err = r.View(Filter{Region: "E12000002"})
	if err != nil || v.Scope.Area.Name != "North West" || v.Areas[0].Area.Code != "E12000002" {
		t.Fatalf("region view: %v", err)
	}
	for _, row := range v.Areas[1:] {
		if row.Area.Level != LevelCouncil || row.Area.Region != "E12000002" {
			t.Errorf("region view holds %s", row.Area.Name)
		}
	}
	v, err = r.View(Filter{Council: cornwall, Segment: "key_need:siblings_3_plus"})
	if err != nil || v.Benchmark == nil || len(v.Areas) != 3 || v.Breakdowns != nil {
		t.Fatalf("council segment view: %v", err)
	}
	if m := v.Areas[0].Metrics; m.Waiting.String() != "18" || m.NoChoice.String() != "18" {
		t.Errorf("Cornwall's sibling groups: %s waiting, %s with no choice", m.Waiting, m.NoChoice)
	}
	if k, ok := r.Area(string(kent)); !ok || k.Area.Name != "Kent" {
		t.Error("Kent not found")
	}
	for _, f := range []Filter{{Council: "E99999999"}, {Region: "E06000052"}, {Segment: "age_band:99"}, {Council: kent, Region: "E12000002"}} {
		if _, err := r.View(f); err == nil {
			t.Errorf("%+v accepted", f)
		}
	}
	b, _ := ParseBreakdown("16_plus/childrens_home/none")
	if b.Key() != "segment:16_plus/childrens_home/none" {
		t.Errorf("bare segment parsed as %s", b.Key())
	}
}

// TestCSVEscapes: text cells that a spreadsheet would read as a formula are escaped as the
// catalogue's exports escape them; figures are plain.
func TestCSVEscapes(t *testing.T) {
	t.Parallel()
	row := Row{Area: Area{Level: LevelCouncil, Code: "E06000052", Name: "=HYPERLINK(\"x\")", Region: "@SUM(1)"},
		Breakdown: Breakdown{Dimension: DimKeyNeed, Value: "-1", Label: "+cmd"}, Metrics: emptyMetrics()}
	var b bytes.Buffer
	if err := WriteCSV(&b, []Row{row}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := recs[1]
	for i, want := range []string{"council", "E06000052", "'=HYPERLINK(\"x\")", "'@SUM(1)", "key_need", "'-1", "'+cmd", "0"} {
		if got[i] != want {
			t.Errorf("column %s = %q, want %q", recs[0][i], got[i], want)
		}
	}
	if len(recs[0]) != len(got) {
		t.Errorf("header has %d columns, row %d", len(recs[0]), len(got))
	}
}

// areaMetrics is the metrics of all children of an area of the report.
func areaMetrics(r *Report, code string) Metrics {
	ar, _ := r.Area(code)
	return ar.All().Metrics
}

// offeredMeanwhile is a source on which a waiting child is offered a home between the read of
// the children waiting and the read of those offered: it answers the offered read as if the
// first waiting child had moved.
type offeredMeanwhile struct{ *memSource }

func (m offeredMeanwhile) ListChildren(ctx context.Context, s catalogue.Scope, f catalogue.ChildFilter) (catalogue.Page[catalogue.Child], error) {
	p, err := m.memSource.ListChildren(ctx, s, f)
	if err != nil || f.Status != catalogue.ChildOffered || f.After != 0 {
		return p, err
	}
	for _, c := range m.in.Children {
		if c.Status == catalogue.ChildWaiting {
			c.Status = catalogue.ChildOffered
			p.Items = append([]catalogue.Child{c}, p.Items...)
			break
		}
	}
	return p, nil
}

// TestChildOfferedWhileLoading: a child offered a home while the report reads the catalogue
// (read as waiting, then as offered) is counted once, as offered, and the report is made (the
// joint match refuses a child given twice: serve's demo test met it).
func TestChildOfferedWhileLoading(t *testing.T) {
	t.Parallel()
	in := fixture()
	s, err := NewService(ServiceConfig{Source: offeredMeanwhile{&memSource{in: in}}, Now: catalogue.FixedClock(fixtureDay.Add(9 * time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[catalogue.ChildID]int{}
	for _, c := range loaded.Children {
		seen[c.ID]++
		if seen[c.ID] > 1 {
			t.Fatalf("child %d loaded twice", c.ID)
		}
	}
	if len(loaded.Children) != len(in.Children) {
		t.Errorf("%d children loaded, want %d", len(loaded.Children), len(in.Children))
	}
	if _, err := s.Compute(context.Background(), nil); err != nil {
		t.Fatalf("the report of a catalogue read while a child was offered: %v", err)
	}
}
