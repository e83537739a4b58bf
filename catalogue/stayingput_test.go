package catalogue_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// TestLeavingOn: a young person of 16 or 17 is eligible for Staying Put by a current placement
// with foster or kinship carers (with the carers' willingness as recorded there), for Staying
// Close by a current children's home; anyone younger or older, placed elsewhere, or between
// placements is neither.
func TestLeavingOn(t *testing.T) {
	t.Parallel()
	on := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	ep := func(s catalogue.Setting, sp catalogue.StayingPut, start, end time.Time) catalogue.Episode {
		return catalogue.Episode{Setting: s, StayingPut: sp, Start: start, End: end}
	}
	before, after := on.AddDate(-1, 0, 0), on.AddDate(0, 1, 0)
	for _, tc := range []struct {
		name  string
		years int
		eps   []catalogue.Episode
		want  catalogue.Leaving
	}{
		{"fostered, willing", 16, []catalogue.Episode{ep(catalogue.SettingCouncilFoster, catalogue.StayingPutWilling, before, time.Time{})},
			catalogue.Leaving{StayingPutEligible: true, StayingPut: catalogue.StayingPutWilling}},
		{"kinship, not asked", 17, []catalogue.Episode{ep(catalogue.SettingKinship, "", before, time.Time{})},
			catalogue.Leaving{StayingPutEligible: true}},
		{"children's home", 16, []catalogue.Episode{ep(catalogue.SettingChildrensHome, "", before, time.Time{})},
			catalogue.Leaving{StayingCloseEligible: true}},
		{"moved from foster care to a home", 17, []catalogue.Episode{
			ep(catalogue.SettingAgencyFoster, catalogue.StayingPutAgreed, before, on.AddDate(0, -1, 0)),
			ep(catalogue.SettingChildrensHome, "", on.AddDate(0, -1, 0), time.Time{})}, catalogue.Leaving{StayingCloseEligible: true}},
		{"placement ended today", 17, []catalogue.Episode{ep(catalogue.SettingAgencyFoster, catalogue.StayingPutAgreed, before, on)}, catalogue.Leaving{}},
		{"placement begins later", 17, []catalogue.Episode{ep(catalogue.SettingAgencyFoster, "", after, time.Time{})}, catalogue.Leaving{}},
		{"supported accommodation", 17, []catalogue.Episode{ep(catalogue.SettingSupported, "", before, time.Time{})}, catalogue.Leaving{}},
		{"15", 15, []catalogue.Episode{ep(catalogue.SettingCouncilFoster, "", before, time.Time{})}, catalogue.Leaving{}},
		{"18", 18, []catalogue.Episode{ep(catalogue.SettingCouncilFoster, catalogue.StayingPutAgreed, before, time.Time{})}, catalogue.Leaving{}},
		{"no history", 16, nil, catalogue.Leaving{}},
	} {
		dob := on.AddDate(-tc.years, -1, 0)
		if got := catalogue.LeavingOn(dob, tc.eps, on); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// TestStayingPutValidation: Staying Put is recorded only on a foster or kinship placement
// (s23CZA), with a known value; and it is not a purpose, for a child or a placement, saying why.
func TestStayingPutValidation(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	episode := func(s catalogue.Setting, sp catalogue.StayingPut) error {
		return catalogue.Episode{Child: 1, Council: "E08000003", Start: day, Setting: s, StayingPut: sp, DistanceKm: 3}.Validate()
	}
	child := validChild()
	child.Purpose = catalogue.PurposeStayingPut
	pl := validPlacement()
	pl.Approval.Purposes = []catalogue.Purpose{catalogue.PurposeLongTerm, catalogue.PurposeStayingPut}
	for _, tc := range []struct {
		name, field string // field empty: valid
		err         error
	}{
		{"kinship, agreed", "", episode(catalogue.SettingKinship, catalogue.StayingPutAgreed)},
		{"foster, not willing", "", episode(catalogue.SettingAgencyFoster, catalogue.StayingPutNotWilling)},
		{"children's home, unrecorded", "", episode(catalogue.SettingChildrensHome, "")},
		{"children's home, willing", "staying_put", episode(catalogue.SettingChildrensHome, catalogue.StayingPutWilling)},
		{"supported, agreed", "staying_put", episode(catalogue.SettingSupported, catalogue.StayingPutAgreed)},
		{"unknown value", "staying_put", episode(catalogue.SettingCouncilFoster, "maybe")},
		{"child's purpose", "purpose", child.Validate()},
		{"placement's purposes", "approval.purposes", pl.Validate()},
	} {
		var ce *catalogue.Error
		switch {
		case tc.field == "" && tc.err != nil:
			t.Errorf("%s: %v", tc.name, tc.err)
		case tc.field != "" && !errors.As(tc.err, &ce):
			t.Errorf("%s: %v, want a problem at %s", tc.name, tc.err, tc.field)
		case tc.field != "":
			found := false
			for _, f := range ce.Fields {
				found = found || f.Field == tc.field && (tc.field == "staying_put" || strings.Contains(f.Message, "s23CZA"))
			}
			if !found {
				t.Errorf("%s: %v, want a problem at %s", tc.name, ce.Fields, tc.field)
			}
		}
	}
}
