package sufficiency

import (
	"context"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestPreparedReaders: until an area's report is prepared, PreparedFor and PreparedForRegion
// give the published figures (every small count withheld) with a note saying the area's own
// are being prepared, and compute nothing; once Prepare has run they give the same report For
// would, and more areas asked for on demand than the cache keeps do not push a prepared one out.
func TestPreparedReaders(t *testing.T) {
	t.Parallel()
	r := analyseFixture(t)
	var councils []string
	var region string
	for _, ar := range r.Areas {
		switch {
		case ar.Area.Level == LevelCouncil:
			councils = append(councils, ar.Area.Code)
		case ar.Area.Level == LevelRegion && region == "":
			region = ar.Area.Code
		}
	}
	council := councils[0]
	for _, tt := range []struct {
		name string
		get  func() (*Report, bool, error)
		code string
	}{
		{"council", func() (*Report, bool, error) { return r.PreparedFor(catalogue.CouncilCode(council)) }, council},
		{"region", func() (*Report, bool, error) { return r.PreparedForRegion(catalogue.RegionCode(region)) }, region},
	} {
		got, ready, err := tt.get()
		if err != nil || ready {
			t.Fatalf("%s before Prepare: ready %v, %v", tt.name, ready, err)
		}
		if got.Reader != "" || got.sup == nil || len(got.Notes) != len(r.Notes)+1 || !strings.Contains(got.Notes[0], "being prepared") {
			t.Errorf("%s before Prepare: reader %q, notes %q; want the published figures with a note", tt.name, got.Reader, got.Notes)
		}
		if r.readers.done(tt.code) != nil {
			t.Errorf("%s: asking before Prepare worked the report out", tt.name)
		}
		if err := r.Prepare(context.Background(), tt.code); err != nil {
			t.Fatal(err)
		}
		got, ready, err = tt.get()
		if err != nil || !ready || got.Reader != tt.code {
			t.Fatalf("%s after Prepare: ready %v, reader %q, %v", tt.name, ready, got.Reader, err)
		}
	}
	if want, _ := r.For(catalogue.CouncilCode(council)); want != r.readers.done(council) {
		t.Error("For worked out again the report Prepare had prepared")
	}
	for _, c := range councils[1 : maxReaders+3] {
		if _, err := r.For(catalogue.CouncilCode(c)); err != nil {
			t.Fatal(err)
		}
	}
	if _, ready, _ := r.PreparedFor(catalogue.CouncilCode(council)); !ready {
		t.Error("reports asked for on demand pushed a prepared one out")
	}
	if _, ready, _ := r.PreparedFor(catalogue.CouncilCode(councils[1])); ready {
		t.Errorf("%d reports worked out on demand are all kept; want the least recently asked for gone", maxReaders+2)
	}
	if _, _, err := r.PreparedFor("E12000002"); !isInvalidField(err, "council") {
		t.Errorf("a region as a council: %v", err)
	}
	if _, _, err := r.PreparedForRegion("E08000003"); !isInvalidField(err, "region") {
		t.Errorf("a council as a region: %v", err)
	}
	if err := r.Prepare(context.Background(), "nonsense"); !isInvalidField(err, "area") {
		t.Errorf("Prepare(nonsense): %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Prepare(ctx, councils[len(councils)-1]); err == nil || r.readers.done(councils[len(councils)-1]) != nil {
		t.Errorf("Prepare after its context ended: %v", err)
	}
}
