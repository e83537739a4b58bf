package catalogue_test

import (
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

func offerOf(status catalogue.OfferStatus, say catalogue.ChildSay) catalogue.Offer {
	return catalogue.Offer{
		Child: 1, Council: "E08000003", Status: status, Say: say,
		Options: []catalogue.Option{
			{Rank: 1, Role: catalogue.RoleChoice, Placement: 10, Score: 0.8, Quality: 0.8},
			{Rank: 2, Role: catalogue.RoleChoice, Placement: 20, Score: 0.7, Quality: 0.7},
			{Rank: 3, Role: catalogue.RoleBackup, Placement: 30, Score: 0.6, Quality: 0.6},
		},
	}
}

// TestDecisionReasons: a decision needs a written reason exactly when it departs from the
// top-ranked option or from what the child said (or the child was never asked).
func TestDecisionReasons(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name      string
		status    catalogue.OfferStatus
		say       catalogue.ChildSay
		accepted  bool
		placement catalogue.PlacementID
		want      string // the departure named, or "" when no reason is needed
	}{
		{"top, child silent", catalogue.OfferViewed, catalogue.ChildSay{}, true, 10, ""},
		{"top, child prefers it", catalogue.OfferPreferenceGiven, catalogue.ChildSay{Preference: 10}, true, 10, ""},
		{"second, child prefers it", catalogue.OfferPreferenceGiven, catalogue.ChildSay{Preference: 20}, true, 20, "not the top-ranked"},
		{"top, child prefers the second", catalogue.OfferPreferenceGiven, catalogue.ChildSay{Preference: 20}, true, 10, "not the home the child preferred"},
		{"top, child wants neither", catalogue.OfferPreferenceGiven, catalogue.ChildSay{Neither: true}, true, 10, "wanted neither"},
		{"back-up", catalogue.OfferViewed, catalogue.ChildSay{}, true, 30, "not the top-ranked"},
		{"never sent", catalogue.OfferProposed, catalogue.ChildSay{}, true, 10, "never sent"},
		{"declined", catalogue.OfferViewed, catalogue.ChildSay{Neither: true}, false, 0, "declined"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := offerOf(c.status, c.say)
			got := strings.Join(o.Departures(c.accepted, c.placement), "; ")
			if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
				t.Errorf("departures %q, want one naming %q", got, c.want)
			}
			err := o.CheckDecision(c.accepted, c.placement, "")
			if (c.want == "") != (err == nil) {
				t.Errorf("without a reason: %v", err)
			}
			if err := o.CheckDecision(c.accepted, c.placement, "Because."); err != nil {
				t.Errorf("with a reason: %v", err)
			}
		})
	}
	o := offerOf(catalogue.OfferViewed, catalogue.ChildSay{})
	for _, c := range []struct {
		accepted  bool
		placement catalogue.PlacementID
		field     string
	}{{true, 0, "placement"}, {true, 99, "placement"}, {false, 10, "placement"}} {
		if err := o.CheckDecision(c.accepted, c.placement, "x"); !hasField(err, c.field) {
			t.Errorf("accepted=%v placement=%d: %v, want an error on %s", c.accepted, c.placement, err, c.field)
		}
	}
	// A withdrawn option cannot be accepted, and the top moves to the next one.
	o.Options[0].Withdrawn, o.Options[0].WithdrawnReason = true, "The carers said no."
	if err := o.CheckDecision(true, 10, "x"); !hasField(err, "placement") {
		t.Errorf("accepting a withdrawn option: %v", err)
	}
	if o.Top() != 20 || len(o.Choices()) != 1 || len(o.Backups()) != 1 {
		t.Errorf("after withdrawing: top %d, choices %v, back-ups %v", o.Top(), o.Choices(), o.Backups())
	}
}

func hasField(err error, field string) bool {
	for _, f := range catalogue.FieldErrors(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}

func TestOfferValidate(t *testing.T) {
	t.Parallel()
	if err := offerOf(catalogue.OfferProposed, catalogue.ChildSay{}).Validate(); err != nil {
		t.Fatalf("a good offer: %v", err)
	}
	for field, mod := range map[string]func(o *catalogue.Offer){
		"child":                    func(o *catalogue.Offer) { o.Child = 0 },
		"council":                  func(o *catalogue.Offer) { o.Council = "X" },
		"status":                   func(o *catalogue.Offer) { o.Status = "maybe" },
		"options":                  func(o *catalogue.Offer) { o.Options[2].Role = catalogue.RoleChoice },
		"options[1].placement":     func(o *catalogue.Offer) { o.Options[1].Placement = 10 },
		"options[0].score":         func(o *catalogue.Offer) { o.Options[0].Score = 1.5 },
		"options[0].rank":          func(o *catalogue.Offer) { o.Options[0].Rank = 0 },
		"options[0].role":          func(o *catalogue.Offer) { o.Options[0].Role = "spare" },
		"options[0].school_km":     func(o *catalogue.Offer) { o.Options[0].SchoolKm = -2 },
		"siblings[0]":              func(o *catalogue.Offer) { o.Siblings = []catalogue.ChildID{1} },
		"say.in_own_words":         func(o *catalogue.Offer) { o.Say.InOwnWords = strings.Repeat("x", catalogue.MaxWordsLen+1) },
		"say.preference":           func(o *catalogue.Offer) { o.Say.Neither, o.Say.Preference = true, 10 },
		"options[0].contact_km[0]": func(o *catalogue.Offer) { o.Options[0].ContactKm = []float64{-1} },
	} {
		o := offerOf(catalogue.OfferProposed, catalogue.ChildSay{})
		mod(&o)
		if err := o.Validate(); !hasField(err, field) {
			t.Errorf("%s: %v", field, err)
		}
	}
	o := offerOf(catalogue.OfferViewed, catalogue.ChildSay{})
	if err := o.CheckSay(catalogue.ChildSay{Preference: 30}); !hasField(err, "preference") {
		t.Errorf("a back-up as the child's preference: %v", err)
	}
	if err := o.CheckSay(catalogue.ChildSay{Preference: 20, InOwnWords: "the dog"}); err != nil {
		t.Errorf("a choice as the child's preference: %v", err)
	}
}
