package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestRefuseSignOff: a sign-off is refused only by a manager who may give it, with a reason,
// once, recorded with who refused it and audited; the refusal is final for that home of the
// offer (nobody gives the sign-off after it, not even the director) and accepting the home is
// refused naming sign_offs and the kind, while the offer's other homes go on as before.
func TestRefuseSignOff(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newSignOffWorld(t, s)
		o := w.offer(t, s, w.child.ID, w.dear, w.leedsHome, w.plain)
		const reason = "Her needs are met as well at half the cost nearer school."
		ctx := context.Background()

		for _, tc := range []struct {
			name, who string
			sc        catalogue.Scope
			home      catalogue.PlacementID
			kind      catalogue.SignOffKind
			reason    string
			want      error
			field     string
		}{
			{"below the level", "team_manager", officerBirmingham, w.dear.ID, catalogue.SignOffHighCost, reason, catalogue.ErrForbidden, "kind"},
			{"not a manager", "officer", officerBirmingham, w.dear.ID, catalogue.SignOffHighCost, reason, catalogue.ErrForbidden, "kind"},
			{"not needed", "director", officerBirmingham, w.plain.ID, catalogue.SignOffHighCost, reason, catalogue.ErrInvalid, "kind"},
			{"not a home of the offer", "director", officerBirmingham, w.bad.ID, catalogue.SignOffHighCost, reason, catalogue.ErrInvalid, "placement"},
			{"no reason", "director", officerBirmingham, w.dear.ID, catalogue.SignOffHighCost, "  no ", catalogue.ErrInvalid, "reason"},
			{"reason too long", "director", officerBirmingham, w.dear.ID, catalogue.SignOffHighCost, strings.Repeat("x", catalogue.MaxReasonLen+1), catalogue.ErrInvalid, "reason"},
			{"the override's kind", "director", officerBirmingham, w.dear.ID, catalogue.SignOffInadequate, reason, catalogue.ErrInvalid, "kind"},
			{"not a kind", "director", officerBirmingham, w.dear.ID, "whim", reason, catalogue.ErrInvalid, "kind"},
			{"another council", "director", officerLeeds, w.dear.ID, catalogue.SignOffHighCost, reason, catalogue.ErrNotFound, ""},
		} {
			_, err := s.RefuseSignOff(w.as(tc.who), tc.sc, o.ID, tc.home, tc.kind, tc.reason)
			wantErr(t, err, tc.want)
			if fe := catalogue.FieldErrors(err); tc.field != "" && (len(fe) != 1 || fe[0].Field != tc.field) {
				t.Errorf("%s: %v does not name %s", tc.name, err, tc.field)
			}
		}
		if got := must[[]catalogue.SignOffRefusal](t)(s.SignOffRefusals(ctx, officerBirmingham, o.ID)); len(got) != 0 {
			t.Fatalf("mistakes recorded refusals: %+v", got)
		}

		r := must[catalogue.SignOffRefusal](t)(s.RefuseSignOff(w.as("nominated_officer"), officerBirmingham, o.ID, w.dear.ID, catalogue.SignOffHighCost, " "+reason+" "))
		if r.By != w.tokens["nominated_officer"] || r.ByRole != catalogue.RoleManager || r.ByLevel != catalogue.LevelNominatedOfficer ||
			r.Level != catalogue.LevelNominatedOfficer || r.Reason != reason || !r.At.Equal(s.Now()) || r.Council != birmingham ||
			r.Offer != o.ID || r.Placement != w.dear.ID || r.Kind != catalogue.SignOffHighCost {
			t.Fatalf("refusal recorded as %+v", r)
		}
		diff(t, "refusals", must[[]catalogue.SignOffRefusal](t)(s.SignOffRefusals(ctx, officerBirmingham, o.ID)), []catalogue.SignOffRefusal{r})
		_, err := s.SignOffRefusals(ctx, officerLeeds, o.ID)
		wantErr(t, err, catalogue.ErrNotFound)
		page := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "offer:" + o.ID.String()}))
		audited := 0
		for _, e := range page.Items {
			if e.Action == "refuse_sign_off:high_cost" && e.Actor == w.tokens["nominated_officer"] && e.Council == birmingham {
				audited++
			}
		}
		if audited != 1 {
			t.Fatalf("%d audit rows for the refusal, want 1", audited)
		}

		// Final: not refused again, not given after it by anyone.
		for _, who := range []string{"nominated_officer", "director"} {
			_, err = s.RefuseSignOff(w.as(who), officerBirmingham, o.ID, w.dear.ID, catalogue.SignOffHighCost, reason)
			wantErr(t, err, catalogue.ErrConflict)
			_, err = s.GiveSignOff(w.as(who), officerBirmingham, o.ID, w.dear.ID, catalogue.SignOffHighCost, reason)
			wantErr(t, err, catalogue.ErrConflict)
			if fe := catalogue.FieldErrors(err); len(fe) != 1 || fe[0].Field != "kind" || !strings.Contains(fe[0].Message, "refused") {
				t.Fatalf("giving after a refusal: %v", err)
			}
		}
		if got := must[[]catalogue.SignOff](t)(s.SignOffs(ctx, officerBirmingham, o.ID)); len(got) != 0 {
			t.Fatalf("given after the refusal: %+v", got)
		}

		// Accepting the refused home: 409 naming sign_offs and the kind, nothing changed.
		cur := must[catalogue.Offer](t)(s.Offer(ctx, officerBirmingham, o.ID))
		_, err = s.DecideOffer(w.as("officer"), officerBirmingham, o.ID, cur.Version,
			catalogue.Decision{Accepted: true, Placement: w.dear.ID, Reason: "The team's choice, for the record."})
		wantErr(t, err, catalogue.ErrConflict)
		if fe := catalogue.FieldErrors(err); len(fe) != 1 || fe[0].Field != "sign_offs" || !strings.Contains(fe[0].Message, "refused") ||
			!strings.Contains(fe[0].Message, "high_cost") {
			t.Fatalf("accepting a refused home: %v", err)
		}
		if after := must[catalogue.Offer](t)(s.Offer(ctx, officerBirmingham, o.ID)); after.Version != cur.Version || after.Status != cur.Status {
			t.Fatalf("a refused acceptance changed the offer: %s v%d", after.Status, after.Version)
		}
		// A sign-off given first cannot be refused afterwards; the plain home is accepted.
		must[catalogue.SignOff](t)(s.GiveSignOff(w.as("director"), officerBirmingham, o.ID, w.leedsHome.ID, catalogue.SignOffDistant, reason))
		_, err = s.RefuseSignOff(w.as("director"), officerBirmingham, o.ID, w.leedsHome.ID, catalogue.SignOffDistant, reason)
		wantErr(t, err, catalogue.ErrConflict)
		done := must[catalogue.Offer](t)(s.DecideOffer(w.as("officer"), officerBirmingham, o.ID, cur.Version,
			catalogue.Decision{Accepted: true, Placement: w.plain.ID, Reason: "The team's choice, for the record."}))
		if done.Status != catalogue.OfferAccepted {
			t.Fatalf("offer %s after accepting the plain home", done.Status)
		}
	})
}
