package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestRecordStayingPut: on both stores, Staying Put is recorded during a fostered young
// person's current placement at its version (a stale one conflicts), with the day it was agreed
// (not before the placement began, not in the future), in the child's council's scope, audited;
// never on a children's home, and never once the placement has ended.
func TestRecordStayingPut(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 7, Role: catalogue.RoleOfficer})
		today := catalogue.Day(sqltest.Epoch)
		start := today.AddDate(-1, 0, 0)
		place := func(setting catalogue.Setting) catalogue.Episode {
			c := plainChild(leeds, at(53.8, -1.5))
			c.DateOfBirth = today.AddDate(-17, -1, 0)
			child := must[catalogue.Child](t)(s.CreateChild(ctx, everything, c))
			return must[catalogue.Episode](t)(s.StartPlacement(ctx, officerLeeds, catalogue.Episode{Child: child.ID, Start: start,
				Setting: setting, DistanceKm: catalogue.UnknownDistance}))
		}
		foster := place(catalogue.SettingCouncilFoster)
		if foster.Version != 1 {
			t.Fatalf("a new placement has version %d, want 1", foster.Version)
		}
		willing := catalogue.StayingPutChange{Child: foster.Child, Version: 1, StayingPut: catalogue.StayingPutWilling}

		_, err := s.RecordStayingPut(ctx, catalogue.Scope{Council: birmingham}, willing)
		wantErr(t, err, catalogue.ErrNotFound)
		got := must[catalogue.Episode](t)(s.RecordStayingPut(ctx, officerLeeds, willing))
		if got.StayingPut != catalogue.StayingPutWilling || got.Version != 2 || !got.StayingPutAgreedOn.IsZero() {
			t.Errorf("recorded %+v", got)
		}
		_, err = s.RecordStayingPut(ctx, officerLeeds, willing) // version 1 again: stale
		wantErr(t, err, catalogue.ErrConflict)

		for _, tc := range []struct {
			name  string
			on    time.Time
			field string
		}{
			{"agreed before the placement began", start.AddDate(0, 0, -1), "agreed_on"},
			{"agreed tomorrow", today.AddDate(0, 0, 1), "agreed_on"},
			{"agreed without a day", time.Time{}, "agreed_on"},
		} {
			_, err := s.RecordStayingPut(ctx, officerLeeds, catalogue.StayingPutChange{Child: foster.Child, Version: 2,
				StayingPut: catalogue.StayingPutAgreed, AgreedOn: tc.on})
			wantField(t, err, tc.field)
		}
		agreedOn := today.AddDate(0, 0, -3)
		got = must[catalogue.Episode](t)(s.RecordStayingPut(ctx, officerLeeds, catalogue.StayingPutChange{Child: foster.Child, Version: 2,
			StayingPut: catalogue.StayingPutAgreed, AgreedOn: agreedOn}))
		hist := must[[]catalogue.Episode](t)(s.History(ctx, officerLeeds, foster.Child))
		diff(t, "read back", hist, []catalogue.Episode{got})
		if !hist[0].StayingPutAgreedOn.Equal(agreedOn) || hist[0].StayingPut != catalogue.StayingPutAgreed || hist[0].Version != 3 {
			t.Errorf("read back %+v", hist[0])
		}

		home := place(catalogue.SettingChildrensHome)
		_, err = s.RecordStayingPut(ctx, officerLeeds, catalogue.StayingPutChange{Child: home.Child, Version: 1, StayingPut: catalogue.StayingPutWilling})
		wantField(t, err, "staying_put")

		must[catalogue.MoveResult](t)(s.MoveChild(ctx, officerLeeds, catalogue.Move{Child: foster.Child, On: today, Reason: catalogue.ReasonCarePlan}))
		_, err = s.RecordStayingPut(ctx, officerLeeds, catalogue.StayingPutChange{Child: foster.Child, Version: 3, StayingPut: catalogue.StayingPutWilling})
		wantErr(t, err, catalogue.ErrConflict) // no placement going on

		n := 0
		for _, r := range must[[]map[string][]byte](t)(sqlstore.DumpTable(ctx, s, "audit_log")) {
			if string(r["action"]) == "record_staying_put" && string(r["subject"]) == "child:"+foster.Child.String() {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%d audit rows of Staying Put recorded, want 2", n)
		}
	})
}
