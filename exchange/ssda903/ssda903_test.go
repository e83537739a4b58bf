package ssda903

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// lancashire is the council the tests' returns are of.
const lancashire = catalogue.CouncilCode("E10000017")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update to accept):\n got: %s\nwant: %s", name, got, want)
	}
}

// sampleFiles opens the sample return's ten files.
func sampleFiles(t *testing.T) []File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "sample", "*.csv"))
	if err != nil || len(names) != 10 {
		t.Fatalf("sample files: %v %v", names, err)
	}
	var files []File
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, File{Name: filepath.Base(n), R: bytes.NewReader(b)})
	}
	return files
}

func districts(t *testing.T) Districts {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "postcode_districts.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := ReadDistricts("postcode_districts.csv", f)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// decodeSample decodes the sample return, its overlaps trimmed.
func decodeSample(t *testing.T) Decoded {
	t.Helper()
	d, err := Decode(sampleFiles(t), Options{Council: lancashire, Districts: districts(t), TrimOverlaps: true})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// issues lists the problems of an error one a line: file:column line row: message.
func issues(err error) string {
	var b strings.Builder
	for _, f := range catalogue.FieldErrors(err) {
		fmt.Fprintf(&b, "%s line %d: %s\n", f.Field, f.Row, f.Message)
	}
	var ce *catalogue.Error
	if errors.As(err, &ce) && ce.Total > 0 {
		fmt.Fprintf(&b, "(%d in all)\n", ce.Total)
	}
	return b.String()
}

// TestSampleOverlaps: the sample return, read as the DfE would, has overlapping episodes; each
// is reported by file, row and column, and nothing is decoded.
func TestSampleOverlaps(t *testing.T) {
	t.Parallel()
	d, err := Decode(sampleFiles(t), Options{Council: lancashire})
	if err == nil || len(d.Batch.Episodes) != 0 {
		t.Fatalf("the sample decoded without its overlaps reported: %d episodes", len(d.Batch.Episodes))
	}
	for _, f := range catalogue.FieldErrors(err) {
		if !strings.HasSuffix(f.Field, ":DECOM") || !strings.Contains(f.Message, "overlaps") || f.Row < 2 {
			t.Errorf("not an overlap by file, row and column: %+v", f)
		}
	}
	golden(t, "sample_overlaps.golden", issues(err))
}

// TestSampleReport decodes the sample return, overlaps trimmed, and checks the report.
func TestSampleReport(t *testing.T) {
	t.Parallel()
	d := decodeSample(t)
	golden(t, "sample_report.golden", d.Report.String())
	r := d.Report
	if r.Children != len(d.Batch.Children) || r.Episodes != len(d.Batch.Episodes) {
		t.Errorf("report counts %d children, %d episodes; batch has %d, %d", r.Children, r.Episodes, len(d.Batch.Children), len(d.Batch.Episodes))
	}
	if r.HomesInDistrict == 0 || r.HomesAtCouncilCentre == 0 || r.HomesInDistrict+r.HomesAtCouncilCentre != r.Children {
		t.Errorf("homes located %d + fell back %d, of %d children: the fixture locates some and not others", r.HomesInDistrict, r.HomesAtCouncilCentre, r.Children)
	}
	if r.Dropped["UPN"] == 0 {
		t.Error("UPN dropped uncounted")
	}
	centre, _ := catalogue.CouncilByCode(lancashire)
	for _, c := range d.Batch.Children {
		if c.Status != catalogue.ChildClosed || c.CaseRef == "" || c.Council != lancashire {
			t.Fatalf("child %s: status %s, case ref %q, council %s: history, not waiting, with its SSDA903 id", c.ID, c.Status, c.CaseRef, c.Council)
		}
		if c.Home != centre.Centre && !slices.Contains(mapValues(districts(t)), c.Home) {
			t.Fatalf("child %s lives at %v: neither a district's centre nor the council's", c.ID, c.Home)
		}
	}
	distances := 0
	for _, e := range d.Batch.Episodes {
		if e.DistanceKm != catalogue.UnknownDistance {
			distances++
		}
		if strings.Contains(e.Return.HomeDistrict, " ") || strings.Contains(e.Return.PlacedDistrict, " ") {
			t.Fatalf("a whole postcode kept: %+v", e.Return)
		}
	}
	if distances == 0 {
		t.Error("no episode's distance from home found, though the fixture locates both ends of some")
	}
}

func mapValues(d Districts) []catalogue.Location {
	out := make([]catalogue.Location, 0, len(d))
	for _, l := range d {
		out = append(out, l)
	}
	return out
}

const (
	headerLine   = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
	episodesLine = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
	goodHeader   = headerLine + "101,1,03/04/2010,WBRI,A123,,\n102,2,05/06/2012,BAFR,,,\n"
	goodEpisodes = episodesLine +
		"101,01/02/2019,S,C2,N1,U4,PR1,01/03/2020,X1,CARPL,PR1 2HE,PR2 3AB,\n" +
		"101,01/03/2020,P,C2,N1,K2,PR4,,,,PR1 2HE,BB1 1AA,SC123456\n" +
		"102,10/10/2020,S,V2,N4,U3,PR1,11/11/2021,E4A,,,,\n"
)

// TestBrokenReturns: each broken return is refused with every problem named by file, row and
// column, and nothing decoded.
func TestBrokenReturns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		header   string
		episodes string
		want     []string // file:column line row
	}{
		{"good", goodHeader, goodEpisodes, nil},
		{"bad dates", goodHeader + "103,1,31/02/2011,WBRI,,,\n", episodesLine +
			"101,2019-02-30,S,C2,N1,U4,PR1,,,,,,\n103,01/02/2019,S,C2,N1,U4,PR1,yesterday,X1,,,,\n",
			[]string{"header.csv:DOB line 4", "episodes.csv:DECOM line 2", "episodes.csv:DEC line 3"}},
		{"unknown codes", goodHeader, episodesLine +
			"101,01/02/2019,Q,C9,N0,U9,PR9,01/03/2020,E99,OOPS,,,\n",
			[]string{"episodes.csv:RNE line 2", "episodes.csv:LS line 2", "episodes.csv:CIN line 2", "episodes.csv:PLACE line 2",
				"episodes.csv:PLACE_PROVIDER line 2", "episodes.csv:REC line 2", "episodes.csv:REASON_PLACE_CHANGE line 2"}},
		{"unknown sex and ethnicity", headerLine + "101,3,03/04/2010,XXXX,,,\n", episodesLine + "101,01/02/2019,S,C2,N1,U4,PR1,,,,,,\n",
			[]string{"header.csv:SEX line 2", "header.csv:ETHNIC line 2"}},
		{"overlapping episodes", goodHeader, episodesLine +
			"101,01/02/2019,S,C2,N1,U4,PR1,01/03/2020,X1,CARPL,,,\n101,01/01/2020,P,C2,N1,K2,PR4,,,,,,\n",
			[]string{"episodes.csv:DECOM line 3"}},
		{"an open episode before another", goodHeader, episodesLine +
			"101,01/02/2019,S,C2,N1,U4,PR1,,,,,,\n101,01/01/2020,P,C2,N1,K2,PR4,,,,,,\n",
			[]string{"episodes.csv:DEC line 2"}},
		{"DEC before DECOM", goodHeader, episodesLine + "101,01/02/2019,S,C2,N1,U4,PR1,01/01/2019,X1,,,,\n102,01/02/2019,S,C2,N1,U4,PR1,01/02/2019,E8,,,,\n",
			[]string{"episodes.csv:DEC line 2", "episodes.csv:DEC line 3"}},
		{"DEC without REC", goodHeader, episodesLine + "101,01/02/2019,S,C2,N1,U4,PR1,01/03/2019,,,,,\n",
			[]string{"episodes.csv:REC line 2"}},
		{"missing header row", "101,1,03/04/2010,WBRI,,,\n", "101,01/02/2019,S,C2,N1,U4,PR1,,,,,,\n",
			[]string{"header.csv:101 line 1", "header.csv:1 line 1", "header.csv:03/04/2010 line 1", "header.csv:WBRI line 1",
				"header.csv:column 5 line 1", "header.csv:column 6 line 1", "header.csv:column 7 line 1",
				"header.csv:CHILD line 1", "header.csv:SEX line 1", "header.csv:DOB line 1", "header.csv:ETHNIC line 1",
				"episodes.csv:101 line 1", "episodes.csv:01/02/2019 line 1", "episodes.csv:S line 1", "episodes.csv:C2 line 1", "episodes.csv:N1 line 1",
				"episodes.csv:U4 line 1", "episodes.csv:PR1 line 1", "episodes.csv:column 8 line 1", "episodes.csv:column 9 line 1",
				"episodes.csv:column 10 line 1", "episodes.csv:column 11 line 1", "episodes.csv:column 12 line 1", "episodes.csv:column 13 line 1",
				"episodes.csv:CHILD line 1", "episodes.csv:DECOM line 1", "episodes.csv:RNE line 1", "episodes.csv:LS line 1",
				"episodes.csv:PLACE line 1", "episodes.csv:DEC line 1", "episodes.csv:REC line 1"}},
		{"a child in Episodes but not Header", goodHeader, goodEpisodes + "999,01/02/2019,S,C2,N1,U4,PR1,,,,,,\n",
			[]string{"episodes.csv:CHILD line 5"}},
		{"a child twice in a Header file", goodHeader + "101,1,03/04/2010,WBRI,,,\n", goodEpisodes, []string{"header.csv:CHILD line 4"}},
		{"a postcode that is none", goodHeader, episodesLine + "101,01/02/2019,S,C2,N1,U4,PR1,,,,not a postcode,LS1 4AP,\n",
			[]string{"episodes.csv:HOME_POST line 2"}},
		{"a row of the wrong length", goodHeader, episodesLine + "101,01/02/2019,S\n", []string{"episodes.csv line 2"}},
		{"empty files", "", "", []string{"header.csv line 1", "episodes.csv line 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := Decode([]File{{Name: "header.csv", R: strings.NewReader(tt.header)}, {Name: "episodes.csv", R: strings.NewReader(tt.episodes)}},
				Options{Council: lancashire})
			var got []string
			for _, f := range catalogue.FieldErrors(err) {
				got = append(got, fmt.Sprintf("%s line %d", f.Field, f.Row))
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("problems:\n got %q\nwant %q\n%s", got, want, issues(err))
			}
			if err != nil && (len(d.Batch.Children) > 0 || len(d.Batch.Episodes) > 0) {
				t.Errorf("a refused return decoded %d children", len(d.Batch.Children))
			}
			if err == nil && (len(d.Batch.Children) != 2 || len(d.Batch.Episodes) != 3) {
				t.Errorf("decoded %d children, %d episodes; want 2, 3", len(d.Batch.Children), len(d.Batch.Episodes))
			}
		})
	}
}

// TestYearsMerged: a later year's row of the same episode (CHILD, DECOM) replaces an earlier
// year's, whatever order the files are given in.
func TestYearsMerged(t *testing.T) {
	t.Parallel()
	open := episodesLine + "101,01/02/2019,S,C2,N1,U4,PR1,,,,,,\n"
	closed := episodesLine + "101,01/02/2019,S,C2,N1,U4,PR1,01/03/2020,E4A,,,,\n"
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}} {
		all := []File{
			{Name: "2019_header.csv", R: strings.NewReader(headerLine + "101,1,03/04/2010,WBRI,,,\n")},
			{Name: "2019_episodes.csv", R: strings.NewReader(open)},
			{Name: "2020_episodes.csv", R: strings.NewReader(closed)},
		}
		var files []File
		for _, i := range order {
			files = append(files, all[i])
		}
		d, err := Decode(files, Options{Council: lancashire})
		if err != nil {
			t.Fatal(issues(err))
		}
		if len(d.Batch.Episodes) != 1 || d.Batch.Episodes[0].End.IsZero() || d.Report.RowsReplaced != 1 {
			t.Errorf("order %v: %d episodes, the first ending %v, %d rows replaced; want the 2020 row", order, len(d.Batch.Episodes), d.Batch.Episodes[0].End, d.Report.RowsReplaced)
		}
	}
}

// TestOutwardCode: only a postcode's outward code is kept.
func TestOutwardCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"LS1 4AP", "LS1", true}, {"ls14ap", "LS1", true}, {"SW1A 1AA", "SW1A", true}, {"M60 1QD", "M60", true},
		{"B12", "B12", true}, {" c13  6wc ", "C13", true}, {"", "", false}, {"LS1 4A", "", false}, {"12 3AB", "", false},
		{"LS1 4AP X", "", false},
	}
	for _, tt := range tests {
		got, ok := catalogue.OutwardCode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("OutwardCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
