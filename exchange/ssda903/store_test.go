package ssda903

import (
	"bytes"
	"context"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
	"github.com/placematch/placematch/synth"
)

func TestMain(m *testing.M) { sqltest.Main(m) }

// stored reads back every child of the store and their histories, by ascending ID.
func stored(t *testing.T, s *sqlstore.Store) ([]catalogue.Child, map[catalogue.ChildID][]catalogue.Episode) {
	t.Helper()
	ctx := t.Context()
	children, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Child], error) {
		return s.ListChildren(ctx, catalogue.Everything, catalogue.ChildFilter{After: catalogue.ChildID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]catalogue.ChildID, len(children))
	for i, c := range children {
		ids[i] = c.ID
	}
	eps, err := s.EpisodesOf(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	return children, eps
}

// TestSampleThroughStore imports the sample return on both stores, all of it, then exports what
// the store holds and decodes the export: a round trip keeps every episode, field for field,
// and importing the same return again is refused with the rows at fault and writes nothing.
func TestSampleThroughStore(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := t.Context()
		d := decodeSample(t)
		res, err := s.Import(ctx, d.Batch)
		if err != nil {
			t.Fatal(issues(d.Locate(err)))
		}
		if len(res.Children) != d.Report.Children || res.Episodes != d.Report.Episodes {
			t.Fatalf("imported %d children, %d episodes; the report says %d, %d", len(res.Children), res.Episodes, d.Report.Children, d.Report.Episodes)
		}
		children, histories := stored(t, s)
		n := 0
		for _, c := range children {
			n += len(histories[c.ID])
		}
		if len(children) != d.Report.Children || n != d.Report.Episodes {
			t.Fatalf("the store holds %d children, %d episodes; want %d, %d", len(children), n, d.Report.Children, d.Report.Episodes)
		}

		var header, episodes bytes.Buffer
		if err := Encode(&header, &episodes, children, histories); err != nil {
			t.Fatal(err)
		}
		again, err := Decode([]File{{Name: "header.csv", R: &header}, {Name: "episodes.csv", R: &episodes}},
			Options{Council: lancashire, Districts: districts(t)})
		if err != nil {
			t.Fatal(issues(err))
		}
		if diff := gocmp.Diff(d.Batch.Episodes, again.Batch.Episodes); diff != "" {
			t.Errorf("the round trip changed episodes (-imported +exported and read again):\n%s", diff)
		}
		if diff := gocmp.Diff(d.Batch.Children, again.Batch.Children); diff != "" {
			t.Errorf("the round trip changed children:\n%s", diff)
		}

		// The same return again: every child's case reference is used; nothing is written.
		_, err = s.Import(ctx, d.Batch)
		located := catalogue.FieldErrors(d.Locate(err))
		if len(located) == 0 || located[0].Field != "2017-header.csv:CHILD" || located[0].Row < 2 {
			t.Errorf("importing twice: %v; want the Header rows' CHILD", err)
		}
		if after, _ := stored(t, s); len(after) != len(children) {
			t.Errorf("a refused import wrote %d children", len(after)-len(children))
		}
	})
}

// TestSyntheticEnglandRoundTrip exports a council of the synthetic England as a return and
// imports it into a store: every episode comes back, on its days, in its setting, and every
// reason for a move.
func TestSyntheticEnglandRoundTrip(t *testing.T) {
	t.Parallel()
	cfg := synth.Scaled(0.02)
	b, err := synth.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := synth.Materialise(b, cfg.Today)
	histories := map[catalogue.ChildID][]catalogue.Episode{}
	for _, e := range w.Episodes {
		histories[e.Child] = append(histories[e.Child], e)
	}
	var children []catalogue.Child
	want := 0
	for _, c := range w.Children {
		if c.Council == lancashire && len(histories[c.ID]) > 0 {
			children = append(children, c)
			want += len(histories[c.ID])
		}
	}
	if len(children) < 10 {
		t.Fatalf("the synthetic Lancashire has %d children with a history", len(children))
	}
	var header, episodes bytes.Buffer
	if err := Encode(&header, &episodes, children, histories); err != nil {
		t.Fatal(err)
	}
	d, err := Decode([]File{{Name: "header.csv", R: &header}, {Name: "episodes.csv", R: &episodes}}, Options{Council: lancashire})
	if err != nil {
		t.Fatal(issues(err))
	}
	if len(d.Batch.Children) != len(children) || len(d.Batch.Episodes) != want {
		t.Fatalf("read back %d children, %d episodes; exported %d, %d", len(d.Batch.Children), len(d.Batch.Episodes), len(children), want)
	}
	if d.Report.CeasedMismatches != 0 || d.Report.OpenCodesIgnored != 0 {
		t.Errorf("the export's REC disagrees with its episodes %d times, and gives open episodes codes %d times", d.Report.CeasedMismatches, d.Report.OpenCodesIgnored)
	}
	type kept struct {
		Start, End string
		Setting    catalogue.Setting
		Reason     catalogue.ChangeReason // when the child moved
	}
	keep := func(eps []catalogue.Episode) []kept {
		var out []kept
		for k, e := range eps {
			r := kept{Start: e.Start.Format("2006-01-02"), Setting: e.Setting}
			if !e.End.IsZero() {
				r.End = e.End.Format("2006-01-02")
				if k+1 < len(eps) && eps[k+1].Start.Equal(e.End) {
					r.Reason = e.Reason
				}
			}
			out = append(out, r)
		}
		return out
	}
	got := map[catalogue.ChildID][]catalogue.Episode{}
	for _, e := range d.Batch.Episodes {
		got[e.Child] = append(got[e.Child], e)
	}
	for i, c := range children {
		back := d.Batch.Children[i]
		if back.DateOfBirth != c.DateOfBirth || back.Sex != c.Sex || back.Ethnicity != c.Ethnicity {
			t.Fatalf("child %s came back as %v %v %v", c.ID, back.DateOfBirth, back.Sex, back.Ethnicity)
		}
		if diff := gocmp.Diff(keep(histories[c.ID]), keep(got[back.ID])); diff != "" {
			t.Fatalf("child %s's history changed:\n%s", c.ID, diff)
		}
	}

	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		res, err := s.Import(context.Background(), d.Batch)
		if err != nil {
			t.Fatal(issues(d.Locate(err)))
		}
		if res.Episodes != want {
			t.Errorf("imported %d episodes; want %d", res.Episodes, want)
		}
	})
}

// TestEncodeCodes: a native episode is written in the return's codes and dates.
func TestEncodeCodes(t *testing.T) {
	t.Parallel()
	day := func(s string) catalogue.Episode {
		d, _ := parseDate(s)
		return catalogue.Episode{Start: d}
	}
	c := catalogue.Child{ID: 7, CaseRef: "A7", Sex: catalogue.Female, DateOfBirth: day("01/02/2010").Start, Ethnicity: "WBRI",
		LegalStatus: catalogue.LegalSection20, Purpose: catalogue.PurposeShortTerm}
	first, second, third := day("01/01/2020"), day("01/06/2020"), day("01/09/2021")
	first.End, first.Reason, first.Setting = second.Start, catalogue.ReasonCarerBehaviour, catalogue.SettingAgencyFoster
	second.End, second.Reason, second.Setting = day("01/03/2021").Start, catalogue.ReasonCarePlan, catalogue.SettingChildrensHome
	third.Setting = catalogue.SettingKinship
	var h, e bytes.Buffer
	if err := Encode(&h, &e, []catalogue.Child{c}, map[catalogue.ChildID][]catalogue.Episode{7: {first, second, third}}); err != nil {
		t.Fatal(err)
	}
	wantH := headerLine + "A7,2,01/02/2010,WBRI,,,\n"
	wantE := episodesLine +
		"A7,01/01/2020,S,V2,N1,U6,PR4,01/06/2020,X1,CREQB,,,\n" +
		"A7,01/06/2020,P,V2,N1,K2,PR4,01/03/2021,E8,,,,\n" +
		"A7,01/09/2021,S,V2,N1,U3,PR1,,,,,,\n"
	if h.String() != wantH || e.String() != wantE {
		t.Errorf("got\n%s%s\nwant\n%s%s", h.String(), e.String(), wantH, wantE)
	}
}
