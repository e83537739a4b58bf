package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// actorCtx is a context speaking for a token of a role.
func actorCtx(token catalogue.TokenID, role catalogue.Role) context.Context {
	return catalogue.WithActor(context.Background(), catalogue.Actor{Token: token, Role: role, Request: "review"})
}

// Who writes and who reviews in these tests.
var (
	asProvider = actorCtx(11, catalogue.RoleProvider)
	asOfficer  = actorCtx(21, catalogue.RoleOfficer)
	asOfficer2 = actorCtx(22, catalogue.RoleOfficer)
	asAdmin    = actorCtx(31, catalogue.RoleAdmin)
)

// forged is a review a caller might try to pass in with a placement: approved, by someone.
func forged(text string) catalogue.ProfileReview {
	return catalogue.ProfileReview{Author: 99, ApprovedHash: catalogue.ProfileHash(text), ApprovedBy: 98,
		ApprovedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// TestProfileReview: a home's own words are approved for children by an officer or an
// administrator who did not write them, as the exact text they read, recorded with who and when
// on the store's clock; any change to the text, by any path, withdraws the approval.
func TestProfileReview(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		clock := sqltest.Clock(t, s)
		prov := must[catalogue.Provider](t)(s.CreateProvider(asAdmin, agency("Northern Fostering")))
		mine := catalogue.Scope{Provider: prov.ID}
		in := plainPlacement(prov.ID, leeds, at(53.8, -1.55))
		in.Profile = "We love walks by the canal and Sunday dinners."
		in.ProfileReview = forged(in.Profile) // ignored: only the store sets the review
		pl := must[catalogue.Placement](t)(s.CreatePlacement(asProvider, mine, in))
		if pl.ProfileReview != (catalogue.ProfileReview{Author: 11}) || pl.ProfileApproved() || pl.ProfileForChildren() != "" {
			t.Fatalf("a new placement's review is %+v (approved %v), want written by token 11 and not approved",
				pl.ProfileReview, pl.ProfileApproved())
		}
		hash := catalogue.ProfileHash(pl.Profile)

		// Nobody but an officer or administrator with a token approves; the author never does.
		for name, ctx := range map[string]context.Context{
			"the provider":                     asProvider,
			"a provider's other token":         actorCtx(12, catalogue.RoleProvider),
			"a commissioner":                   actorCtx(41, catalogue.RoleCommissioner),
			"the system (no token)":            catalogue.WithActor(context.Background(), catalogue.Actor{Role: catalogue.RoleAdmin}),
			"an officer in a provider's scope": asOfficer,
		} {
			sc := everything
			if name == "an officer in a provider's scope" {
				sc = mine
			}
			_, err := s.ApproveProfile(ctx, sc, pl.ID, hash)
			if !errors.Is(err, catalogue.ErrNotApprover) {
				t.Errorf("%s approving: %v, want ErrNotApprover", name, err)
			}
		}
		_, err := s.ApproveProfile(asOfficer, everything, pl.ID, catalogue.ProfileHash("another text"))
		wantErr(t, err, catalogue.ErrConflict)
		_, err = s.ApproveProfile(asOfficer, everything, 999999, hash)
		wantErr(t, err, catalogue.ErrNotFound)
		if got := must[catalogue.Placement](t)(s.Placement(asOfficer, everything, pl.ID)); got.Version != pl.Version || got.ProfileApproved() {
			t.Fatalf("refused approvals changed the placement: version %d, approved %v", got.Version, got.ProfileApproved())
		}

		clock.Advance(time.Hour)
		approvedAt := s.Now()
		ok := must[catalogue.Placement](t)(s.ApproveProfile(asOfficer, officerBirmingham, pl.ID, hash))
		want := catalogue.ProfileReview{Author: 11, ApprovedHash: hash, ApprovedBy: 21, ApprovedAt: approvedAt}
		if ok.ProfileReview != want || ok.Version != pl.Version+1 || !ok.ProfileApproved() || ok.ProfileForChildren() != in.Profile {
			t.Fatalf("approved: review %+v version %d, want %+v version %d", ok.ProfileReview, ok.Version, want, pl.Version+1)
		}
		diff(t, "read back", must[catalogue.Placement](t)(s.Placement(asProvider, mine, pl.ID)).ProfileReview, want)
		listed := must[catalogue.Page[catalogue.Placement]](t)(s.ListPlacements(asOfficer, everything, catalogue.PlacementFilter{Provider: prov.ID}))
		diff(t, "listed", listed.Items[0].ProfileReview, want)

		// A change to anything but the text keeps the approval, whatever review is sent with it.
		clock.Advance(time.Hour)
		ok.WeeklyCost, ok.ProfileReview = 850, catalogue.ProfileReview{}
		kept := must[catalogue.Placement](t)(s.UpdatePlacement(asProvider, mine, ok))
		diff(t, "after another change", kept.ProfileReview, want)

		// Any change to the text withdraws it, even with a forged review sent along.
		kept.Profile, kept.ProfileReview = "We love walks by the canal. Ring us on 0113 496 0000.", forged(kept.Profile)
		edited := must[catalogue.Placement](t)(s.UpdatePlacement(asProvider, mine, kept))
		if edited.ProfileReview != (catalogue.ProfileReview{Author: 11}) || edited.ProfileForChildren() != "" {
			t.Fatalf("after the text changed the review is %+v, want written by 11 and not approved", edited.ProfileReview)
		}
		_, err = s.ApproveProfile(asOfficer, everything, pl.ID, hash) // the text the officer read before
		wantErr(t, err, catalogue.ErrConflict)

		// Changed back to the approved words, the text is still new to a reviewer.
		edited.Profile = in.Profile
		back := must[catalogue.Placement](t)(s.UpdatePlacement(asProvider, mine, edited))
		if back.ProfileApproved() {
			t.Fatalf("the old approval came back with the old words: %+v", back.ProfileReview)
		}

		// An administrator who writes the text is its author: someone else approves it.
		back.Profile = "We love walks by the canal."
		byAdmin := must[catalogue.Placement](t)(s.UpdatePlacement(asAdmin, everything, back))
		if byAdmin.ProfileReview.Author != 31 {
			t.Fatalf("the administrator's edit is by %d, want 31", byAdmin.ProfileReview.Author)
		}
		_, err = s.ApproveProfile(asAdmin, everything, pl.ID, catalogue.ProfileHash(byAdmin.Profile))
		wantErr(t, err, catalogue.ErrNotApprover)
		ok2 := must[catalogue.Placement](t)(s.ApproveProfile(asOfficer2, everything, pl.ID, catalogue.ProfileHash(byAdmin.Profile)))
		if !ok2.ProfileApproved() || ok2.ProfileReview.ApprovedBy != 22 {
			t.Fatalf("a second officer's approval: %+v", ok2.ProfileReview)
		}

		// Withdrawn on request, by its author or anyone else who reviews; twice changes nothing.
		gone := must[catalogue.Placement](t)(s.WithdrawProfileApproval(asAdmin, everything, pl.ID))
		if gone.ProfileApproved() || gone.ProfileReview != (catalogue.ProfileReview{Author: 31}) || gone.Version != ok2.Version+1 {
			t.Fatalf("withdrawn: %+v version %d", gone.ProfileReview, gone.Version)
		}
		again := must[catalogue.Placement](t)(s.WithdrawProfileApproval(asOfficer, everything, pl.ID))
		if again.Version != gone.Version {
			t.Errorf("withdrawing nothing made version %d of %d", again.Version, gone.Version)
		}
		_, err = s.WithdrawProfileApproval(asProvider, mine, pl.ID)
		wantErr(t, err, catalogue.ErrNotApprover)

		// Every approval and withdrawal is audited, with who made it.
		page := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(asAdmin, catalogue.AuditFilter{Subject: "placement:" + pl.ID.String()}))
		var got []string
		for _, e := range page.Items {
			if e.Action != "create" && e.Action != "update" {
				got = append(got, e.Action+" by "+e.Actor.String())
			}
		}
		diff(t, "audited reviews", got, []string{"approve_profile by 21", "withdraw_profile_approval by 11",
			"approve_profile by 22", "withdraw_profile_approval by 31"})

		// A placement with no words has nothing to approve.
		blank := must[catalogue.Placement](t)(s.CreatePlacement(asProvider, mine, plainPlacement(prov.ID, leeds, at(53.8, -1.55))))
		_, err = s.ApproveProfile(asOfficer, everything, blank.ID, catalogue.ProfileHash(""))
		wantErr(t, err, catalogue.ErrConflict)
	})
}

// TestProfileReviewImport: an import writes new text, whoever it says approved it: its author is
// the importer and nothing it brings is approved.
func TestProfileReviewImport(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		p := plainPlacement(-1, leeds, at(53.8, -1.55))
		p.ID, p.Profile = -2, "A quiet home with a big garden."
		p.ProfileReview = forged(p.Profile)
		res := must[catalogue.BatchResult](t)(s.Import(asOfficer, catalogue.Batch{
			Providers: []catalogue.Provider{{ID: -1, Name: "Imported Homes", Kind: catalogue.ProviderAgency}}, Placements: []catalogue.Placement{p}}))
		got := must[catalogue.Placement](t)(s.Placement(asAdmin, everything, res.Placements[-2]))
		if got.ProfileReview != (catalogue.ProfileReview{Author: 21}) || got.ProfileForChildren() != "" {
			t.Fatalf("imported review %+v, want written by the importer (21) and not approved", got.ProfileReview)
		}
		_, err := s.ApproveProfile(asOfficer, everything, got.ID, catalogue.ProfileHash(got.Profile))
		wantErr(t, err, catalogue.ErrNotApprover)
		must[catalogue.Placement](t)(s.ApproveProfile(asAdmin, everything, got.ID, catalogue.ProfileHash(got.Profile)))
	})
}

// TestProfileReviewRace: an approval racing a change of the text never leaves the new text
// approved: either the approval comes first and the change withdraws it, or the change comes
// first and the approval, of the text read before, is refused.
func TestProfileReviewRace(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		prov := must[catalogue.Provider](t)(s.CreateProvider(asAdmin, agency("Racing Homes")))
		mine := catalogue.Scope{Provider: prov.ID}
		in := plainPlacement(prov.ID, leeds, at(53.8, -1.55))
		in.Profile = "Round 0."
		pl := must[catalogue.Placement](t)(s.CreatePlacement(asProvider, mine, in))
		for round := 1; round <= 8; round++ {
			cur := must[catalogue.Placement](t)(s.Placement(asOfficer, everything, pl.ID))
			hash := catalogue.ProfileHash(cur.Profile)
			var wg sync.WaitGroup
			var approveErr, updateErr error
			wg.Go(func() { _, approveErr = s.ApproveProfile(asOfficer, everything, pl.ID, hash) })
			wg.Go(func() {
				next := cur
				next.Profile = fmt.Sprintf("Round %d, new words.", round)
				_, updateErr = s.UpdatePlacement(asProvider, mine, next)
			})
			wg.Wait()
			if approveErr != nil && !errors.Is(approveErr, catalogue.ErrConflict) {
				t.Fatalf("round %d: approve: %v", round, approveErr)
			}
			if updateErr != nil && !errors.Is(updateErr, catalogue.ErrConflict) {
				t.Fatalf("round %d: update: %v", round, updateErr)
			}
			after := must[catalogue.Placement](t)(s.Placement(asOfficer, everything, pl.ID))
			if after.Profile != cur.Profile && after.ProfileReview.ApprovedHash != "" {
				t.Fatalf("round %d: the new text %q is stored as approved: %+v", round, after.Profile, after.ProfileReview)
			}
			if after.ProfileReview.ApprovedHash != "" && !after.ProfileApproved() {
				t.Fatalf("round %d: an approval of another text is stored: %+v", round, after.ProfileReview)
			}
		}
	})
}
