package api

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// TestStayWords: how long a home is for follows the child's purpose, and a child whose future the
// court has still to decide is told so (issue 20, item 8).
func TestStayWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		purpose catalogue.Purpose
		legal   catalogue.LegalStatus
		want    string
	}{
		{catalogue.PurposeLongTerm, catalogue.LegalCareOrder, "for a long time"},
		{catalogue.PurposeShortTerm, catalogue.LegalCareOrder, "for some weeks or months"},
		{catalogue.PurposeEmergency, catalogue.LegalPoliceProtection, "for a few days or weeks"},
		{catalogue.PurposeRespite, catalogue.LegalSection20, "a short break"},
		{catalogue.PurposeRemand, catalogue.LegalRemand, "until the court makes its decision"},
		{catalogue.PurposeShortTerm, catalogue.LegalInterimCareOrder, "until the court decides"},
		{catalogue.PurposeEmergency, catalogue.LegalInterimCareOrder, "until the court decides"},
		// A long-term plan under an interim order is still a long-term home.
		{catalogue.PurposeLongTerm, catalogue.LegalInterimCareOrder, "for a long time"},
	} {
		got := stayWords(english(), catalogue.Child{Purpose: tt.purpose, LegalStatus: tt.legal})
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s, %s: %q, want it to say %q", tt.purpose, tt.legal, got, tt.want)
		}
	}
}

// TestSchoolWords: whether the child keeps their school, said plainly; nothing for a child not
// at school.
func TestSchoolWords(t *testing.T) {
	t.Parallel()
	keep := catalogue.Child{School: &catalogue.School{Name: "Oakfield Primary", KeepPlanned: true}}
	move := catalogue.Child{School: &catalogue.School{Name: "Oakfield Primary"}}
	for _, tt := range []struct {
		ch   catalogue.Child
		want string
	}{
		{keep, "You would keep going to Oakfield Primary, your school."},
		{move, "You would move to a new school."},
		{catalogue.Child{}, ""},
	} {
		if got := schoolWords(english(), tt.ch); !strings.HasPrefix(got, tt.want) || (tt.want == "") != (got == "") {
			t.Errorf("%+v: %q, want %q", tt.ch.School, got, tt.want)
		}
	}
}

// TestMilesWordsNeverShrink: a farther home is never said to be nearer, and up to 20 miles the
// words are within half a mile of the truth.
func TestMilesWordsNeverShrink(t *testing.T) {
	t.Parallel()
	miles := func(w string) float64 {
		var n float64
		if w == "less than a mile" {
			return 0
		}
		for _, r := range strings.TrimPrefix(w, "about ") {
			if r < '0' || r > '9' {
				break
			}
			n = n*10 + float64(r-'0')
		}
		return n
	}
	last := 0.0
	for mi := 0.0; mi < 80; mi += 0.05 {
		got := miles(milesWords(english(), mi*catalogue.MilesToKm))
		if got < last {
			t.Fatalf("%.2f miles said as %g, nearer than a nearer home (%g)", mi, got, last)
		}
		if mi >= 1 && mi <= 20 && (got-mi > 0.5 || mi-got > 0.5) {
			t.Errorf("%.2f miles said as %g", mi, got)
		}
		last = got
	}
}

// TestDistinctTitles: no two choices share a title, a children's home is never called by its
// name, and a confidential page names no carer.
func TestDistinctTitles(t *testing.T) {
	t.Parallel()
	home := func(kind catalogue.PlacementKind, area string, places int, carers ...string) catalogue.Placement {
		p := catalogue.Placement{Kind: kind, Name: "Ashgrove House", AreaName: area, Approval: catalogue.Approval{MaxChildren: places}}
		for _, c := range carers {
			p.Household.Carers = append(p.Household.Carers, catalogue.Carer{FirstName: c})
		}
		return p
	}
	ch := catalogue.ChildrensHome
	for _, tt := range []struct {
		name         string
		homes        []catalogue.Placement
		confidential bool
		want         []string
	}{
		{"one children's home", []catalogue.Placement{home(ch, "Stretford", 4, "Dan")}, false,
			[]string{"A children's home"}},
		{"in two areas", []catalogue.Placement{home(ch, "Stretford", 4), home(ch, "Sale", 4)}, false,
			[]string{"A children's home in Stretford", "A children's home in Sale"}},
		{"in one area, of two sizes", []catalogue.Placement{home(ch, "Sale", 4), home(ch, "Sale", 2)}, false,
			[]string{"A children's home in Sale for up to four young people", "A children's home in Sale for up to two young people"}},
		{"alike", []catalogue.Placement{home(ch, "Sale", 1), home(ch, "Sale", 1)}, false,
			[]string{"A children's home in Sale for one young person (the first one)", "A children's home in Sale for one young person (the second one)"}},
		{"confidential, in two areas", []catalogue.Placement{home(ch, "Stretford", 4), home(ch, "Sale", 3)}, true,
			[]string{"A children's home for up to four young people", "A children's home for up to three young people"}},
		{"confidential families", []catalogue.Placement{home(catalogue.AgencyFoster, "Sale", 2, "Karen"), home(catalogue.CouncilFoster, "Sale", 2, "Ngozi", "Paul")}, true,
			[]string{"A family home (the first one)", "A family home (the second one)"}},
		{"families", []catalogue.Placement{home(catalogue.AgencyFoster, "Sale", 2, "Karen"), home(catalogue.CouncilFoster, "Sale", 2, "Ngozi", "Paul")}, false,
			[]string{"Karen's home", "Ngozi and Paul's home"}},
	} {
		if got := distinctTitles(english(), tt.homes, tt.confidential); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	// Any choices at all: every title its own, never a home's name, never a carer's on a
	// confidential page.
	r := rand.New(rand.NewPCG(20, 9))
	kinds := []catalogue.PlacementKind{ch, ch, catalogue.SupportedAccommodation, catalogue.AgencyFoster, catalogue.Kinship}
	areas := []string{"Sale", "Stretford", ""}
	names := []string{"Karen", "Dan", "Sam"}
	for range 500 {
		var homes []catalogue.Placement
		for range 2 + r.IntN(3) {
			var carers []string
			if r.IntN(3) > 0 {
				carers = append(carers, names[r.IntN(len(names))])
			}
			homes = append(homes, home(kinds[r.IntN(len(kinds))], areas[r.IntN(len(areas))], r.IntN(4), carers...))
		}
		secret := r.IntN(2) == 0
		got := distinctTitles(english(), homes, secret)
		seen := map[string]bool{}
		for _, title := range got {
			if seen[title] || strings.Contains(title, "Ashgrove") {
				t.Fatalf("%q for %+v", got, homes)
			}
			seen[title] = true
			for _, n := range names {
				if secret && strings.Contains(title, n) {
					t.Fatalf("a confidential page names %s: %q", n, got)
				}
			}
		}
	}
}

// TestDecisionWords: a decision says who decided, when, and how to ask for a review; a
// confidential one names no area.
func TestDecisionWords(t *testing.T) {
	t.Parallel()
	on := time.Date(2026, 11, 22, 15, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		d           catalogue.Decision
		title, area string
		want        string
	}{
		{catalogue.Decision{Accepted: true, At: on}, "Karen's home", "Sale", "The placement team at your council decided on 22 November that you will live at Karen's home, in Sale."},
		{catalogue.Decision{Accepted: true, At: on}, "A family home", "", "The placement team at your council decided on 22 November that you will live at a family home. Your social worker will talk to you about why, where it is"},
		{catalogue.Decision{At: on}, "", "", "The placement team at your council decided on 22 November not to go ahead with these homes."},
	} {
		said, review := decisionWords(english(), tt.d, tt.title, tt.area)
		if !strings.HasPrefix(said, tt.want) {
			t.Errorf("%q, want %q", said, tt.want)
		}
		if !strings.Contains(review, "independent reviewing officer") || !strings.Contains(review, "complaint") || !strings.Contains(review, "advocate") {
			t.Errorf("the review does not say how to ask: %q", review)
		}
	}
}

// TestWhoLivesThere: a confidential page names nobody in a household and still counts the
// carers' children among the children who live there.
func TestWhoLivesThere(t *testing.T) {
	t.Parallel()
	p := catalogue.Placement{Kind: catalogue.AgencyFoster, Household: catalogue.Household{
		Carers:  []catalogue.Carer{{FirstName: "Ngozi"}, {FirstName: "Paul"}},
		Members: []catalogue.Member{{FirstName: "Tobi", Age: 14, Sex: catalogue.Male, Role: catalogue.MemberCarersChild}, {FirstName: "Ada", Role: catalogue.MemberAdult}}}}
	for _, tt := range []struct {
		named bool
		want  []string
	}{
		{true, []string{"Ngozi and Paul would look after you.", "Tobi, their son, is 14.", "Ada, another grown-up, lives here too."}},
		{false, []string{"Two carers would look after you.", "The carers' son, who is 14, lives here too.", "Another grown-up lives here too."}},
	} {
		if got := whoLivesThere(english(), p, tt.named); !slices.Equal(got, tt.want) {
			t.Errorf("named %v: %q, want %q", tt.named, got, tt.want)
		}
	}
}

// TestDurationWords: the privacy notice's periods, as a child would say them.
func TestDurationWords(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	for d, want := range map[time.Duration]string{
		time.Hour: "an hour", 24 * time.Hour: "24 hours", 90 * time.Minute: "90 minutes", 2 * day: "2 days", 14 * day: "14 days",
		30 * day: "a month", 90 * day: "3 months", 365 * day: "a year", 730 * day: "2 years", 400 * day: "400 days", 36 * time.Hour: "36 hours",
	} {
		if got := durationWords(english(), d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
