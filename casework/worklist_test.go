package casework_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
	"github.com/placematch/placematch/matcher"
)

// TestWorklist: an officer's worklist holds their council's children waiting or with an offer
// out, never another council's nor a child placed; emergencies first, then those overdue, then
// by needed-by date, ties by ID; search finds a first name anywhere in it, or a case reference
// by its start, ignoring case.
func TestWorklist(t *testing.T) {
	t.Parallel()
	s := sqltest.SQLite(t)
	ctx := context.Background()
	today := catalogue.Day(sqltest.Epoch)
	type kid struct {
		name, ref string
		council   catalogue.CouncilCode
		purpose   catalogue.Purpose
		neededBy  int // days from today
		status    catalogue.ChildStatus
	}
	const manchester catalogue.CouncilCode = "E08000003"
	kids := []kid{
		{"Zoe", "M-100", leeds, catalogue.PurposeLongTerm, 30, catalogue.ChildWaiting},
		{"Yusuf", "M-101", leeds, catalogue.PurposeShortTerm, -3, catalogue.ChildWaiting},    // overdue
		{"Xena", "M-102", leeds, catalogue.PurposeEmergency, 2, catalogue.ChildWaiting},      // emergency
		{"Will", "M-103", leeds, catalogue.PurposeLongTerm, 5, catalogue.ChildOffered},       // an offer out
		{"Vic", "M-104", leeds, catalogue.PurposeLongTerm, 5, catalogue.ChildWaiting},        // same day as Will: by ID
		{"Una", "M-105", leeds, catalogue.PurposeLongTerm, 1, catalogue.ChildPlaced},         // placed: not waiting
		{"Tam", "X-900", manchester, catalogue.PurposeEmergency, -9, catalogue.ChildWaiting}, // another council
		{"Sam", "M-106", leeds, catalogue.PurposeEmergency, -1, catalogue.ChildWaiting},      // emergency and overdue
		{"Amani", "m-107", leeds, catalogue.PurposeShortTerm, 10, catalogue.ChildWaiting},
	}
	for _, k := range kids {
		c := catalogue.Child{
			Council: k.council, CaseRef: k.ref, FirstName: k.name, DateOfBirth: today.AddDate(-10, 0, 0), Sex: catalogue.Female,
			Ethnicity: "WBRI", Religion: catalogue.ReligionNone, FirstLanguage: "en", LegalStatus: catalogue.LegalCareOrder,
			CareType: catalogue.CareFamilyFoster, Purpose: k.purpose, NeededBy: today.AddDate(0, 0, k.neededBy),
			Home: catalogue.Location{Lat: 53.80, Lng: -1.55}, Companions: catalogue.CompanionsNoPreference,
			Pets: catalogue.PetsCan, Status: k.status,
		}
		if _, err := s.CreateChild(ctx, catalogue.Everything, c); err != nil {
			t.Fatalf("%s: %v", k.name, err)
		}
	}
	engine, err := matcher.NewEngine(ctx, s, matcher.Options{Now: s.Now})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := casework.New(casework.Config{Store: s, Matcher: engine, Now: s.Now})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		search string
		want   string
	}{
		{"", "Sam Xena Yusuf Will Vic Amani Zoe"},
		{"a", "Sam Xena Amani"},                       // in the name, any case
		{"AM", "Sam Amani"},                           // ignoring case
		{"m-10", "Sam Xena Yusuf Will Vic Amani Zoe"}, // the start of a reference, any case
		{"100", ""}, // a reference only by its start
		{"tam", ""}, // another council's child
		{"una", ""}, // a child placed
	}
	for _, c := range cases {
		list, err := svc.Worklist(ctx, catalogue.Scope{Council: leeds}, c.search)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, w := range list {
			names = append(names, w.Child.FirstName)
			if w.Overdue != w.Child.NeededBy.Before(today) || w.Emergency != (w.Child.Purpose == catalogue.PurposeEmergency) {
				t.Errorf("%s: overdue %v, emergency %v: wrong", w.Child.FirstName, w.Overdue, w.Emergency)
			}
		}
		if got := strings.Join(names, " "); got != c.want {
			t.Errorf("search %q: %s, want %s", c.search, got, c.want)
		}
	}
	if list, _ := svc.Worklist(ctx, catalogue.Scope{Council: leeds}, ""); fmt.Sprint(list[0].DaysLeft) != "-1" {
		t.Errorf("Sam's days left: %d, want -1", list[0].DaysLeft)
	}
}
