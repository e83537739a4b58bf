package exchange

import (
	"bytes"
	"cmp"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/golden"
)

// childrenAsImported is what Decode should return for an export of children and groups: the
// records in ID order with batch-local keys for IDs, and no store bookkeeping.
func childrenAsImported(children []catalogue.Child, groups []catalogue.SiblingGroup) catalogue.Batch {
	children = slices.Clone(children)
	groups = slices.Clone(groups)
	slices.SortFunc(children, func(a, b catalogue.Child) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(groups, func(a, b catalogue.SiblingGroup) int { return cmp.Compare(a.ID, b.ID) })
	key := map[catalogue.SiblingGroupID]catalogue.SiblingGroupID{}
	for i := range groups {
		key[groups[i].ID] = catalogue.SiblingGroupID(-(i + 1))
		groups[i] = catalogue.SiblingGroup{ID: key[groups[i].ID], Council: groups[i].Council, Plan: groups[i].Plan, Reason: groups[i].Reason}
	}
	for i := range children {
		c := &children[i]
		c.ID = catalogue.ChildID(-(i + 1))
		c.SiblingGroup = key[c.SiblingGroup]
		c.Version, c.CreatedAt, c.UpdatedAt = 0, time.Time{}, time.Time{}
	}
	return catalogue.Batch{Children: children, SiblingGroups: groups}
}

func placementsAsImported(placements []catalogue.Placement) catalogue.Batch {
	placements = slices.Clone(placements)
	slices.SortFunc(placements, func(a, b catalogue.Placement) int { return cmp.Compare(a.ID, b.ID) })
	for i := range placements {
		p := &placements[i]
		p.ID = catalogue.PlacementID(-(i + 1))
		p.Version, p.CreatedAt, p.UpdatedAt = 0, time.Time{}, time.Time{}
		vs := slices.Clone(p.Vacancies)
		slices.SortFunc(vs, func(a, b catalogue.Vacancy) int { return cmp.Compare(a.ID, b.ID) })
		for j := range vs {
			vs[j] = catalogue.Vacancy{AvailableFrom: vs[j].AvailableFrom, Status: vs[j].Status, Child: vs[j].Child}
		}
		p.Vacancies = vs
	}
	return catalogue.Batch{Placements: placements, Providers: []catalogue.Provider{}}
}

// batchDiff compares two batches field by field; Progress is a function and not compared.
func batchDiff(want, got catalogue.Batch) string {
	want.Progress, got.Progress = nil, nil
	return gocmp.Diff(want, got)
}

func TestRoundTripChildren(t *testing.T) {
	t.Parallel()
	children, groups := fixtureChildren()
	want := childrenAsImported(children, groups)
	for _, f := range []Format{CSV, JSON} {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			if err := EncodeChildren(&buf, f, children, groups); err != nil {
				t.Fatal(err)
			}
			got, err := Decode(&buf, f, Children, DecodeOptions{})
			if err != nil {
				t.Fatalf("Decode of an export: %v", err)
			}
			if d := batchDiff(want, got); d != "" {
				t.Errorf("export then import changed the children (-want +got):\n%s", d)
			}
		})
	}
}

func TestRoundTripPlacements(t *testing.T) {
	t.Parallel()
	placements := fixturePlacements()
	want := placementsAsImported(placements)
	for _, f := range []Format{CSV, JSON} {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			if err := EncodePlacements(&buf, f, placements); err != nil {
				t.Fatal(err)
			}
			got, err := Decode(&buf, f, Placements, DecodeOptions{})
			if err != nil {
				t.Fatalf("Decode of an export: %v", err)
			}
			if d := batchDiff(want, got); d != "" {
				t.Errorf("export then import changed the placements (-want +got):\n%s", d)
			}
		})
	}
}

// TestRoundTripTwice checks an export of an import is byte for byte the first export, once the
// batch-local keys are given back as IDs.
func TestRoundTripTwice(t *testing.T) {
	t.Parallel()
	children, groups := fixtureChildren()
	for _, f := range []Format{CSV, JSON} {
		var first bytes.Buffer
		if err := EncodeChildren(&first, f, children, groups); err != nil {
			t.Fatal(err)
		}
		b, err := Decode(bytes.NewReader(first.Bytes()), f, Children, DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// Give the records their original IDs back, as a store would have them.
		stored := childrenAsImported(children, groups)
		ids := map[catalogue.SiblingGroupID]catalogue.SiblingGroupID{}
		sortedGroups := slices.Clone(groups)
		slices.SortFunc(sortedGroups, func(a, b catalogue.SiblingGroup) int { return cmp.Compare(a.ID, b.ID) })
		for i, g := range sortedGroups {
			ids[stored.SiblingGroups[i].ID] = g.ID
			b.SiblingGroups[i].ID = g.ID
		}
		sortedChildren := slices.Clone(children)
		slices.SortFunc(sortedChildren, func(a, b catalogue.Child) int { return cmp.Compare(a.ID, b.ID) })
		for i := range b.Children {
			b.Children[i].ID = sortedChildren[i].ID
			b.Children[i].SiblingGroup = ids[b.Children[i].SiblingGroup]
		}
		var second bytes.Buffer
		if err := EncodeChildren(&second, f, b.Children, b.SiblingGroups); err != nil {
			t.Fatal(err)
		}
		if d := gocmp.Diff(first.String(), second.String()); d != "" {
			t.Errorf("%s: second export differs (-first +second):\n%s", f, d)
		}
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	children, groups := fixtureChildren()
	placements := fixturePlacements()
	for _, tc := range []struct {
		name   string
		encode func(*bytes.Buffer) error
	}{
		{"children.csv", func(b *bytes.Buffer) error { return EncodeChildren(b, CSV, children, groups) }},
		{"children.json", func(b *bytes.Buffer) error { return EncodeChildren(b, JSON, children, groups) }},
		{"placements.csv", func(b *bytes.Buffer) error { return EncodePlacements(b, CSV, placements) }},
		{"placements.json", func(b *bytes.Buffer) error { return EncodePlacements(b, JSON, placements) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tc.encode(&buf); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, "testdata/"+tc.name+".golden", buf.Bytes())
		})
	}
}

func TestEncodeOrderIsByID(t *testing.T) {
	t.Parallel()
	children, groups := fixtureChildren()
	reversed := slices.Clone(children)
	slices.Reverse(reversed)
	var a, b bytes.Buffer
	if err := EncodeChildren(&a, CSV, children, groups); err != nil {
		t.Fatal(err)
	}
	if err := EncodeChildren(&b, CSV, reversed, groups); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("export depends on the order children are given in")
	}
}

func TestEncodeChildrenErrors(t *testing.T) {
	t.Parallel()
	children, groups := fixtureChildren()
	if err := EncodeChildren(&bytes.Buffer{}, JSON, children, groups[:1]); err == nil {
		t.Error("a child whose sibling group was not given was exported")
	}
	otherCouncil := slices.Clone(groups)
	otherCouncil[0].Council = "E08000035"
	if err := EncodeChildren(&bytes.Buffer{}, CSV, children, otherCouncil); err == nil {
		t.Error("CSV export of a group of another council than its members did not fail")
	}
	if err := EncodeChildren(&bytes.Buffer{}, JSON, children, otherCouncil); err != nil {
		t.Errorf("JSON can say a group's council: %v", err)
	}
	if err := EncodeChildren(&bytes.Buffer{}, "xml", nil, nil); !errors.Is(err, catalogue.ErrInvalid) {
		t.Errorf("unknown format: got %v", err)
	}
}

func TestDecodeUnknownFormatOrCouncil(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		f   Format
		k   Kind
		opt DecodeOptions
	}{{"xml", Children, DecodeOptions{}}, {CSV, "carers", DecodeOptions{}}, {CSV, Children, DecodeOptions{Council: "E99"}}} {
		_, err := Decode(strings.NewReader("id\n1\n"), tc.f, tc.k, tc.opt)
		if !errors.Is(err, catalogue.ErrInvalid) || len(catalogue.FieldErrors(err)) != 1 {
			t.Errorf("Decode(%q, %q, %+v) = %v, want one field error", tc.f, tc.k, tc.opt, err)
		}
	}
}

func TestParseFormatAndKind(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want Format
		ok   bool
	}{{"csv", CSV, true}, {" JSON ", JSON, true}, {"xml", "", false}, {"", "", false}} {
		got, err := ParseFormat(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseFormat(%q) = %q, %v", tc.in, got, err)
		}
	}
	for _, tc := range []struct {
		in   string
		want Kind
		ok   bool
	}{{"children", Children, true}, {"Placements", Placements, true}, {"child", "", false}} {
		got, err := ParseKind(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseKind(%q) = %q, %v", tc.in, got, err)
		}
	}
}

func TestEscapeCell(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, out string }{
		{"", ""},
		{"Tom", "Tom"},
		{"=1+1", "'=1+1"},
		{"+44 161", "'+44 161"},
		{"-2", "'-2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"'=x", "''=x"},
		{"''", "'''"},
		{"'", "'"},
		{"'Tis", "'Tis"},
		{"O'Brien", "O'Brien"},
	} {
		if got := escapeCell(tc.in); got != tc.out {
			t.Errorf("escapeCell(%q) = %q, want %q", tc.in, got, tc.out)
		}
		if got := unescapeCell(tc.out); got != tc.in {
			t.Errorf("unescapeCell(%q) = %q, want %q", tc.out, got, tc.in)
		}
	}
}

func FuzzEscapeCell(f *testing.F) {
	for _, s := range []string{"", "=", "'=", "''=", "x", "'", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := escapeCell(s)
		if len(e) > 0 && isFormulaStart(e[0]) {
			t.Errorf("escapeCell(%q) = %q starts with a formula character", s, e)
		}
		if got := unescapeCell(e); got != s {
			t.Errorf("unescapeCell(escapeCell(%q)) = %q", s, got)
		}
	})
}

// TestExportEscapesFormulas checks the CSV export of text that a spreadsheet would run.
func TestExportEscapesFormulas(t *testing.T) {
	t.Parallel()
	children, groups := fixtureChildren()
	var buf bytes.Buffer
	if err := EncodeChildren(&buf, CSV, children, groups); err != nil {
		t.Fatal(err)
	}
	for _, cell := range []string{`"'=HYPERLINK(""http://x"")"`, `"'+Nan; ""Gran"""`, "'@risk address", "''=KENT-1", "'-assessed"} {
		if !strings.Contains(buf.String(), cell) {
			t.Errorf("export has no cell %s", cell)
		}
	}
	var pbuf bytes.Buffer
	if err := EncodePlacements(&pbuf, CSV, fixturePlacements()); err != nil {
		t.Fatal(err)
	}
	for _, cell := range []string{"'=Chidi", "'@Canterbury", `"'-We live`} {
		if !strings.Contains(pbuf.String(), cell) {
			t.Errorf("placements export has no cell %s", cell)
		}
	}
	// Numbers are never escaped: a negative longitude stays a number for the spreadsheet.
	if strings.Contains(buf.String(), "'-2.2426") || !strings.Contains(buf.String(), ",-2.2426,") {
		t.Error("a negative longitude was escaped")
	}
}
