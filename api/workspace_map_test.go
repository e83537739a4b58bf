package api_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
)

// TestOptionsPageMap: the officer's options page has a map section: an SVG with role="img",
// its title and a text alternative naming every place, and a table of the same places beside
// it; Mia's dad, who must not know where she lives, is named as left out and not drawn.
func TestOptionsPageMap(t *testing.T) {
	t.Parallel()
	f, _ := personFixture(t)
	w := newPageWorld(t, f.store)
	ck := sessionCookie(t, f.browse(browserCall{method: "POST", path: "/sign-in", form: signInForm(personEmail, personPassword)}))
	page := f.browse(browserCall{method: "GET", path: fmt.Sprintf("/workspace/children/%d/options", w.mia.ID), cookie: ck})
	if page.status != 200 {
		t.Fatalf("the options page: %d %s", page.status, page.body)
	}
	body := string(page.body)
	desc := regexp.MustCompile(`<desc id="options-map-desc">([^<]*)</desc>`).FindStringSubmatch(body)
	if desc == nil || !strings.Contains(body, `role="img" aria-labelledby="options-map-title options-map-desc"`) || !strings.Contains(body, `<h2 class="govuk-heading-m" id="map">Map</h2>`) {
		t.Fatal("the options page has no accessible map")
	}
	wantPlaces := []string{"H: Mia’s home, to about a kilometre.", "S: School: St Anne&#39;s Primary.", "C1: Contact: Mum (mother), to about a kilometre.", "C2: Contact: Nan (grandparent), to about a kilometre."}
	for _, want := range wantPlaces {
		if !strings.Contains(desc[1], want) {
			t.Errorf("the map's text alternative lacks %q: %s", want, desc[1])
		}
	}
	for _, h := range w.homes {
		if strings.Contains(body, h.Name) && !strings.Contains(desc[1], ": "+h.Name+", "+h.AreaName) {
			t.Errorf("option %s is on the page but not in the map's text alternative", h.Name)
		}
	}
	if strings.Contains(desc[1], "father") {
		t.Error("the map draws a contact who must not know where Mia lives")
	}
	if !strings.Contains(body, "father: must not know where Mia lives, so not on the map") {
		t.Error("the map's table does not say who is left out")
	}
	options := strings.Count(desc[1], "Option ")
	if n, want := strings.Count(body, `data-label="Mark"`), len(wantPlaces)+options+1; options == 0 || n != want {
		t.Errorf("the map's table has %d rows, want %d (every place drawn, and the one left out)", n, want)
	}
}

// TestOptionsMapDrawsWhatTheStoreKeeps: people (the child's home, contacts) are drawn at the
// centre of their level-13 cell, whatever finer point they are given; a place's point (a home,
// a school) is drawn where it is; a person who must not know where the child lives changes
// nothing drawn, however far away they live.
func TestOptionsMapDrawsWhatTheStoreKeeps(t *testing.T) {
	t.Parallel()
	base := func() casework.Options {
		ch := catalogue.Child{FirstName: "Mia", Home: catalogue.Location{Lat: 53.4808, Lng: -2.2426},
			School:   &catalogue.School{Name: "St Anne's", Location: catalogue.Location{Lat: 53.4631, Lng: -2.2913}},
			Contacts: []catalogue.Contact{{Name: "Mum", Relationship: catalogue.RelMother, Location: catalogue.Location{Lat: 53.4521, Lng: -2.2711}}}}
		return casework.Options{Child: ch, Options: []casework.Option{{Rank: 1, HomeKm: 3,
			Placement: catalogue.Placement{Name: "Oak House", AreaName: "Sale", Location: catalogue.Location{Lat: 53.4251, Lng: -2.3231}}}}}
	}
	same := api.OptionsMapSVG(base())
	tests := []struct {
		name   string
		change func(*casework.Options)
		same   bool
	}{
		{"the home moved within its cell", func(o *casework.Options) { o.Child.Home.Lat += 0.0003; o.Child.Home.Lng -= 0.0003 }, true},
		{"a contact moved within their cell", func(o *casework.Options) { o.Child.Contacts[0].Location.Lng += 0.0003 }, true},
		{"a contact who must not know, far away", func(o *casework.Options) {
			o.Child.Contacts = append(o.Child.Contacts, catalogue.Contact{Relationship: catalogue.RelFather, MustNotKnow: true, Location: catalogue.Location{Lat: 51.5, Lng: -0.1}})
		}, true},
		{"the home moved a few cells", func(o *casework.Options) { o.Child.Home.Lat += 0.05 }, false},
		{"the school moved a little", func(o *casework.Options) { o.Child.School.Location.Lat += 0.003 }, false},
		{"the option moved a little", func(o *casework.Options) { o.Options[0].Placement.Location.Lat += 0.003 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := base()
			tt.change(&o)
			if got := api.OptionsMapSVG(o) == same; got != tt.same {
				t.Errorf("drawn the same: %v, want %v", got, tt.same)
			}
		})
	}
}
