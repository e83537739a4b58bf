package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// signOffWorld is a child of Birmingham and four homes: a dear one in Birmingham (high cost), one
// in Leeds (at a distance), a plain one in Birmingham (nothing to sign off) and one rated
// inadequate; and a token for each level of manager of Birmingham, and an officer's.
type signOffWorld struct {
	child                       catalogue.Child
	dear, leedsHome, plain, bad catalogue.Placement
	tokens                      map[string]catalogue.TokenID
}

func newSignOffWorld(t *testing.T, s *sqlstore.Store) signOffWorld {
	t.Helper()
	ctx := context.Background()
	w := signOffWorld{tokens: map[string]catalogue.TokenID{}}
	prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Signing")))
	w.child = must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(birmingham, at(52.48, -1.89))))
	home := func(council catalogue.CouncilCode, loc catalogue.Location, f func(*catalogue.Placement)) catalogue.Placement {
		p := plainPlacement(prov.ID, council, loc)
		f(&p)
		p = must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, p))
		must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{Placement: p.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable}))
		return p
	}
	w.dear = home(birmingham, at(52.47, -1.9), func(p *catalogue.Placement) { p.WeeklyCost = 12000 })
	w.leedsHome = home(leeds, at(53.8, -1.55), func(p *catalogue.Placement) { p.WeeklyCost = 4000 })
	w.plain = home(birmingham, at(52.46, -1.9), func(p *catalogue.Placement) { p.WeeklyCost = 4000 })
	w.bad = home(birmingham, at(52.45, -1.9), func(p *catalogue.Placement) { p.Ofsted = catalogue.OfstedInadequate })
	for _, l := range catalogue.ManagerLevels {
		tok := must[catalogue.Token](t)(s.CreateToken(ctx, catalogue.Token{Role: catalogue.RoleManager, Council: birmingham, Level: l,
			Label: string(l), Hash: hashOf("signoffs-" + string(l))}))
		w.tokens[string(l)] = tok.ID
	}
	tok := must[catalogue.Token](t)(s.CreateToken(ctx, catalogue.Token{Role: catalogue.RoleOfficer, Council: birmingham, Hash: hashOf("signoffs-officer")}))
	w.tokens["officer"] = tok.ID
	return w
}

// as is the context of a request by the named token of the world.
func (w signOffWorld) as(name string) context.Context {
	role := catalogue.RoleManager
	if name == "officer" {
		role = catalogue.RoleOfficer
	}
	return catalogue.WithActor(context.Background(), catalogue.Actor{Token: w.tokens[name], Role: role})
}

func (w signOffWorld) offer(t *testing.T, s *sqlstore.Store, child catalogue.ChildID, homes ...catalogue.Placement) catalogue.Offer {
	t.Helper()
	var ops []catalogue.Option
	for i, h := range homes {
		role := catalogue.RoleChoice
		if i >= 2 {
			role = catalogue.RoleBackup
		}
		ops = append(ops, catalogue.Option{Rank: i + 1, Role: role, Placement: h.ID, Score: 0.5, Quality: 0.5, WeeklyCost: h.WeeklyCost, SchoolKm: -1})
	}
	return must[catalogue.Offer](t)(s.CreateOffer(w.as("officer"), officerBirmingham, catalogue.Offer{Child: child, Options: ops, PolicyVersion: 1}))
}

func wantForbiddenKind(t *testing.T, err error) {
	t.Helper()
	wantErr(t, err, catalogue.ErrForbidden)
	if fe := catalogue.FieldErrors(err); len(fe) != 1 || fe[0].Field != "kind" {
		t.Fatalf("error %v does not name kind", err)
	}
}

// TestSignOffs: each sign-off needed is worked out from the stored records, is given only by a
// manager of its level or above, once, with an audit row naming who gave it; accepting is
// refused (409 naming sign_offs, nothing changed) until it is given, and allowed after.
func TestSignOffs(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newSignOffWorld(t, s)
		o := w.offer(t, s, w.child.ID, w.dear, w.leedsHome, w.plain)
		needs := must[map[catalogue.PlacementID][]catalogue.SignOffNeed](t)(s.SignOffsNeeded(context.Background(), officerBirmingham, o.ID))
		kinds := func(id catalogue.PlacementID) string {
			var ks []string
			for _, n := range needs[id] {
				ks = append(ks, string(n.Kind))
			}
			return strings.Join(ks, ",")
		}
		if got := fmt.Sprint(kinds(w.dear.ID), "|", kinds(w.leedsHome.ID), "|", kinds(w.plain.ID)); got != "high_cost|distant_out_of_area|" {
			t.Fatalf("needs %s, want high_cost|distant_out_of_area|", got)
		}

		accept := func(p catalogue.PlacementID) (catalogue.Offer, error) {
			cur := must[catalogue.Offer](t)(s.Offer(context.Background(), officerBirmingham, o.ID))
			return s.DecideOffer(w.as("officer"), officerBirmingham, o.ID, cur.Version,
				catalogue.Decision{Accepted: true, Placement: p, Reason: "The team's choice, for the record."})
		}
		// Refused without the sign-off, and nothing changes.
		_, err := accept(w.dear.ID)
		wantErr(t, err, catalogue.ErrConflict)
		if fe := catalogue.FieldErrors(err); len(fe) != 1 || fe[0].Field != "sign_offs" || !strings.Contains(fe[0].Message, "high_cost") {
			t.Fatalf("refusal %v does not name sign_offs and the kind", err)
		}
		if cur := must[catalogue.Offer](t)(s.Offer(context.Background(), officerBirmingham, o.ID)); cur.Status != catalogue.OfferProposed || cur.Version != o.Version {
			t.Fatalf("a refused acceptance changed the offer: %s v%d", cur.Status, cur.Version)
		}

		const reason = "No other home can meet her needs this month."
		// Below the level, or not a manager: 403 naming kind.
		_, err = s.GiveSignOff(w.as("team_manager"), officerBirmingham, o.ID, w.dear.ID, catalogue.SignOffHighCost, reason)
		wantForbiddenKind(t, err)
		_, err = s.GiveSignOff(w.as("officer"), officerBirmingham, o.ID, w.dear.ID, catalogue.SignOffHighCost, reason)
		wantForbiddenKind(t, err)
		_, err = s.GiveSignOff(w.as("nominated_officer"), officerBirmingham, o.ID, w.leedsHome.ID, catalogue.SignOffDistant, reason)
		wantForbiddenKind(t, err)
		// Not needed, not a home of the offer, no reason, out of scope.
		_, err = s.GiveSignOff(w.as("director"), officerBirmingham, o.ID, w.plain.ID, catalogue.SignOffHighCost, reason)
		wantField(t, err, "kind")
		_, err = s.GiveSignOff(w.as("director"), officerBirmingham, o.ID, w.bad.ID, catalogue.SignOffHighCost, reason)
		wantField(t, err, "placement")
		_, err = s.GiveSignOff(w.as("director"), officerBirmingham, o.ID, w.dear.ID, catalogue.SignOffHighCost, " ok ")
		wantField(t, err, "reason")
		_, err = s.GiveSignOff(w.as("director"), officerBirmingham, o.ID, w.dear.ID, catalogue.SignOffInadequate, reason)
		wantField(t, err, "kind")
		_, err = s.GiveSignOff(w.as("director"), officerLeeds, o.ID, w.dear.ID, catalogue.SignOffHighCost, reason)
		wantErr(t, err, catalogue.ErrNotFound)

		// Given at the level, recorded with who gave it, audited; not twice.
		so := must[catalogue.SignOff](t)(s.GiveSignOff(w.as("nominated_officer"), officerBirmingham, o.ID, w.dear.ID, catalogue.SignOffHighCost, reason))
		if so.By != w.tokens["nominated_officer"] || so.ByRole != catalogue.RoleManager || so.ByLevel != catalogue.LevelNominatedOfficer ||
			so.Level != catalogue.LevelNominatedOfficer || so.Reason != reason || !so.At.Equal(s.Now()) || so.Council != birmingham {
			t.Fatalf("sign-off recorded as %+v", so)
		}
		_, err = s.GiveSignOff(w.as("director"), officerBirmingham, o.ID, w.dear.ID, catalogue.SignOffHighCost, reason)
		wantErr(t, err, catalogue.ErrConflict)
		given := must[[]catalogue.SignOff](t)(s.SignOffs(context.Background(), officerBirmingham, o.ID))
		diff(t, "sign-offs", given, []catalogue.SignOff{so})
		page := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(context.Background(), catalogue.AuditFilter{Subject: "offer:" + o.ID.String()}))
		audited := 0
		for _, e := range page.Items {
			if e.Action == "sign_off:high_cost" {
				audited++
				if e.Actor != w.tokens["nominated_officer"] || e.Role != catalogue.RoleManager || e.Council != birmingham {
					t.Errorf("audit row %+v", e)
				}
			}
		}
		if audited != 1 {
			t.Fatalf("%d audit rows for the sign-off, want 1", audited)
		}

		// The director signs off the distant home too; accepting the dear home is allowed now.
		must[catalogue.SignOff](t)(s.GiveSignOff(w.as("director"), officerBirmingham, o.ID, w.leedsHome.ID, catalogue.SignOffDistant, reason))
		done := must[catalogue.Offer](t)(accept(w.dear.ID))
		if done.Status != catalogue.OfferAccepted {
			t.Fatalf("offer %s after acceptance", done.Status)
		}
		_, err = s.GiveSignOff(w.as("director"), officerBirmingham, o.ID, w.leedsHome.ID, catalogue.SignOffDistant, reason)
		wantErr(t, err, catalogue.ErrConflict) // decided: no more sign-offs
	})
}

// TestInadequateOverride: only a director overrides a home's inadequate rating, for one child,
// once, with a reason and an audit row; the override stands as that child's inadequate_override
// sign-off, and another child's offer of the home still cannot be accepted.
func TestInadequateOverride(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newSignOffWorld(t, s)
		other := must[catalogue.Child](t)(s.CreateChild(context.Background(), everything, plainChild(birmingham, at(52.5, -1.9))))
		const reason = "The only registered home able to keep him safe; the alternative is unregistered."
		_, err := s.OverrideInadequate(w.as("nominated_officer"), officerBirmingham, w.child.ID, w.bad.ID, reason)
		wantForbiddenKind(t, err)
		_, err = s.OverrideInadequate(w.as("director"), officerBirmingham, w.child.ID, w.plain.ID, reason)
		wantField(t, err, "placement")
		_, err = s.OverrideInadequate(w.as("director"), officerBirmingham, w.child.ID, w.bad.ID, "")
		wantField(t, err, "reason")
		_, err = s.OverrideInadequate(w.as("director"), officerLeeds, w.child.ID, w.bad.ID, reason)
		wantErr(t, err, catalogue.ErrNotFound)
		ov := must[catalogue.InadequateOverride](t)(s.OverrideInadequate(w.as("director"), officerBirmingham, w.child.ID, w.bad.ID, reason))
		if ov.By != w.tokens["director"] || ov.ByLevel != catalogue.LevelDirector || ov.Child != w.child.ID || ov.Placement != w.bad.ID || !ov.At.Equal(s.Now()) {
			t.Fatalf("override recorded as %+v", ov)
		}
		_, err = s.OverrideInadequate(w.as("director"), officerBirmingham, w.child.ID, w.bad.ID, reason)
		wantErr(t, err, catalogue.ErrConflict)
		diff(t, "overrides", must[[]catalogue.InadequateOverride](t)(s.InadequateOverrides(context.Background(), officerBirmingham, w.child.ID)),
			[]catalogue.InadequateOverride{ov})
		page := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(context.Background(), catalogue.AuditFilter{Subject: "child:" + w.child.ID.String()}))
		if n := len(page.Items); n == 0 || page.Items[n-1].Action != "override_inadequate" || page.Items[n-1].Actor != w.tokens["director"] {
			t.Fatalf("no audit row for the override: %+v", page.Items)
		}

		for _, tc := range []struct {
			child  catalogue.ChildID
			accept bool
		}{{w.child.ID, true}, {other.ID, false}} {
			o := w.offer(t, s, tc.child, w.bad, w.plain)
			given := must[[]catalogue.SignOff](t)(s.SignOffs(context.Background(), officerBirmingham, o.ID))
			if (len(given) == 1 && given[0].Kind == catalogue.SignOffInadequate && given[0].Override == ov.ID) != tc.accept {
				t.Fatalf("child %d: given %+v", tc.child, given)
			}
			_, err := s.DecideOffer(w.as("officer"), officerBirmingham, o.ID, o.Version,
				catalogue.Decision{Accepted: true, Placement: w.bad.ID, Reason: "The director's override."})
			if tc.accept && err != nil {
				t.Fatalf("child %d with the override: %v", tc.child, err)
			}
			if !tc.accept {
				wantErr(t, err, catalogue.ErrConflict)
				if fe := catalogue.FieldErrors(err); len(fe) != 1 || fe[0].Field != "sign_offs" {
					t.Fatalf("refusal %v does not name sign_offs", err)
				}
			}
		}
	})
}
