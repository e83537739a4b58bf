package sqlstore_test

import (
	"context"
	"math"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// officerCtx is an officer's request: their token is the actor of every change.
func officerCtx(token catalogue.TokenID) context.Context {
	return catalogue.WithActor(context.Background(), catalogue.Actor{Token: token, Role: catalogue.RoleOfficer, Request: "req-1"})
}

func auditActions(t *testing.T, s *sqlstore.Store, child catalogue.ChildID) []string {
	t.Helper()
	page := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(context.Background(),
		catalogue.AuditFilter{Subject: "child:" + child.String(), Limit: 500}))
	var out []string
	for _, e := range page.Items {
		out = append(out, e.Action)
	}
	return out
}

func TestHistoryMoves(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officerCtx(41)
		w := newWorld(t, s)
		child := w.children[0] // Birmingham, home 52.48,-1.89
		foster, home, leedsHome := w.placements[0], w.placements[1], w.placements[2]

		first := must[catalogue.Episode](t)(s.StartPlacement(ctx, officerBirmingham, catalogue.Episode{
			Child: child.ID, Start: day(2025, 1, 10), Placement: foster.ID}))
		if first.Setting != catalogue.SettingAgencyFoster || first.Provider != w.agency.ID || first.PlacedIn != birmingham ||
			math.Abs(first.DistanceKm-5.0) > 0.5 || first.Council != birmingham || !first.Current() {
			t.Errorf("first placement taken from the catalogue: %+v", first)
		}
		// A second start while one is going on is a conflict: it needs a move, with a reason.
		_, err := s.StartPlacement(ctx, officerBirmingham, catalogue.Episode{Child: child.ID, Start: day(2025, 2, 1), Setting: catalogue.SettingKinship})
		wantErr(t, err, catalogue.ErrConflict)

		// Ending a placement requires a reason, and writes nothing without one.
		_, err = s.MoveChild(ctx, officerBirmingham, catalogue.Move{Child: child.ID, On: day(2025, 6, 1),
			Next: &catalogue.Episode{Placement: home.ID}})
		wantField(t, err, "reason")
		_, err = s.MoveChild(ctx, officerBirmingham, catalogue.Move{Child: child.ID, On: day(2025, 1, 10), Reason: catalogue.ReasonCarePlan})
		wantField(t, err, "on")
		_, err = s.MoveChild(ctx, officerBirmingham, catalogue.Move{Child: child.ID, On: s.Now().AddDate(0, 0, 3), Reason: catalogue.ReasonCarePlan})
		wantField(t, err, "on")
		// A next placement that does not exist rolls the whole move back.
		_, err = s.MoveChild(ctx, officerBirmingham, catalogue.Move{Child: child.ID, On: day(2025, 6, 1), Reason: catalogue.ReasonCarerBehaviour,
			Next: &catalogue.Episode{Placement: 999999}})
		wantField(t, err, "next.placement")
		h := must[[]catalogue.Episode](t)(s.History(ctx, officerBirmingham, child.ID))
		if len(h) != 1 || !h[0].Current() {
			t.Fatalf("after refused moves the history is %+v", h)
		}
		open := must[catalogue.Page[catalogue.MoveReview]](t)(s.ListMoveReviews(ctx, everything, catalogue.MoveReviewFilter{}))
		if len(open.Items) != 0 {
			t.Fatalf("a refused move opened %d reviews", len(open.Items))
		}

		// A planned move opens no review.
		planned := must[catalogue.MoveResult](t)(s.MoveChild(ctx, officerBirmingham, catalogue.Move{
			Child: child.ID, On: day(2025, 6, 1), Reason: catalogue.ReasonCarePlan, Next: &catalogue.Episode{Placement: home.ID}}))
		if planned.Review != nil || planned.Started == nil || planned.Ended.End != day(2025, 6, 1) || planned.Ended.Reason != catalogue.ReasonCarePlan {
			t.Errorf("planned move: %+v", planned)
		}
		// An unplanned one opens a review for the independent reviewing officer.
		unplanned := must[catalogue.MoveResult](t)(s.MoveChild(ctx, officerBirmingham, catalogue.Move{
			Child: child.ID, On: day(2026, 1, 15), Reason: catalogue.ReasonCarerBehaviour, Note: "Carers gave notice after an assault.",
			Next: &catalogue.Episode{Placement: leedsHome.ID, ChangedSchool: true}}))
		r := unplanned.Review
		if r == nil || r.Reviewed() || r.Reason != catalogue.ReasonCarerBehaviour || r.Episode != planned.Started.ID ||
			r.Next != unplanned.Started.ID || r.MovedOn != day(2026, 1, 15) || r.Council != birmingham || r.Version != 1 {
			t.Fatalf("review opened: %+v", r)
		}
		if unplanned.Started.PlacedIn != leeds || unplanned.Started.DistanceKm < 100 {
			t.Errorf("placement in Leeds: %+v", unplanned.Started)
		}

		h = must[[]catalogue.Episode](t)(s.History(ctx, officerBirmingham, child.ID))
		if len(h) != 3 || !h[2].Current() || h[0].End != h[1].Start || h[1].End != h[2].Start {
			t.Fatalf("history %+v", h)
		}
		// The history (one query joining the child and their episodes) holds every field as
		// the moves returned it.
		if want := []catalogue.Episode{planned.Ended, unplanned.Ended, *unplanned.Started}; !reflect.DeepEqual(h, want) {
			t.Errorf("history read back:\n got %+v\nwant %+v", h, want)
		}
		// A child with no history: found, with none, and nothing to count.
		if none := must[[]catalogue.Episode](t)(s.History(ctx, officerBirmingham, w.children[1].ID)); len(none) != 0 {
			t.Errorf("a child never placed has history %+v", none)
		}
		if st := must[catalogue.Stability](t)(s.ChildStability(ctx, officerBirmingham, w.children[1].ID, day(2026, 11, 1))); st.Placements12m != 0 || st.Moves12m != 0 {
			t.Errorf("a child never placed has stability %+v", st)
		}
		_, err = s.History(ctx, officerBirmingham, 999999)
		wantErr(t, err, catalogue.ErrNotFound)
		st := must[catalogue.Stability](t)(s.ChildStability(ctx, officerBirmingham, child.ID, day(2026, 11, 1)))
		if st.Placements12m != 2 || st.Moves12m != 1 || st.UnplannedMoves12m != 1 || st.SchoolMoves12m != 1 ||
			st.Placements24m != 3 || !st.Outside || !st.Over20Miles() {
			t.Errorf("stability %+v", st)
		}

		// The officer of Leeds, where the child lives now, still cannot see a Birmingham child.
		_, err = s.History(ctx, officerLeeds, child.ID)
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.MoveChild(ctx, officerLeeds, catalogue.Move{Child: child.ID, On: day(2026, 2, 1), Reason: catalogue.ReasonCarePlan})
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.MoveReview(ctx, officerLeeds, r.ID)
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.ChildStability(ctx, commissioner, child.ID, day(2026, 11, 1))
		wantErr(t, err, catalogue.ErrNotFound)

		// The list of open reviews is the council's.
		list := func(sc catalogue.Scope, f catalogue.MoveReviewFilter) []catalogue.MoveReview {
			return must[catalogue.Page[catalogue.MoveReview]](t)(s.ListMoveReviews(ctx, sc, f)).Items
		}
		if got := list(officerBirmingham, catalogue.MoveReviewFilter{Status: catalogue.ReviewOpen}); len(got) != 1 || got[0].ID != r.ID {
			t.Errorf("Birmingham's open reviews: %+v", got)
		}
		if got := list(officerLeeds, catalogue.MoveReviewFilter{}); len(got) != 0 {
			t.Errorf("Leeds sees %d reviews", len(got))
		}
		if got := list(everything, catalogue.MoveReviewFilter{Council: leeds}); len(got) != 0 {
			t.Errorf("Leeds filter finds %d reviews", len(got))
		}

		// The review: findings are required for concerns; it is recorded once, by the actor.
		_, err = s.ReviewMove(ctx, officerBirmingham, catalogue.ReviewDecision{Review: r.ID, Outcome: catalogue.OutcomeConcerns, Version: 1})
		wantField(t, err, "findings")
		_, err = s.ReviewMove(ctx, officerBirmingham, catalogue.ReviewDecision{Review: r.ID, Outcome: catalogue.OutcomeSatisfied, Version: 7})
		wantErr(t, err, catalogue.ErrConflict)
		_, err = s.ReviewMove(ctx, officerLeeds, catalogue.ReviewDecision{Review: r.ID, Outcome: catalogue.OutcomeSatisfied, Version: 1})
		wantErr(t, err, catalogue.ErrNotFound)
		done := must[catalogue.MoveReview](t)(s.ReviewMove(ctx, officerBirmingham, catalogue.ReviewDecision{
			Review: r.ID, Outcome: catalogue.OutcomeConcerns, ChildSpokenTo: true, Findings: "No disruption meeting was held.", Version: 1}))
		if !done.Reviewed() || done.ReviewedBy != 41 || done.Outcome != catalogue.OutcomeConcerns || !done.ChildSpokenTo || done.Version != 2 {
			t.Errorf("reviewed: %+v", done)
		}
		_, err = s.ReviewMove(ctx, officerBirmingham, catalogue.ReviewDecision{Review: r.ID, Outcome: catalogue.OutcomeSatisfied, Version: 2})
		wantErr(t, err, catalogue.ErrConflict)
		if got := list(officerBirmingham, catalogue.MoveReviewFilter{Status: catalogue.ReviewOpen}); len(got) != 0 {
			t.Errorf("%d reviews still open", len(got))
		}
		if got := list(officerBirmingham, catalogue.MoveReviewFilter{Status: catalogue.ReviewDone, Child: child.ID}); len(got) != 1 {
			t.Errorf("%d reviews done", len(got))
		}
		reread := must[catalogue.MoveReview](t)(s.MoveReview(ctx, officerBirmingham, r.ID))
		diff(t, "review read back", reread, done)

		// Leaving care, and coming back.
		left := must[catalogue.MoveResult](t)(s.MoveChild(ctx, officerBirmingham, catalogue.Move{Child: child.ID, On: day(2026, 3, 1), Reason: catalogue.ReasonCarePlan}))
		if left.Started != nil || left.Review != nil {
			t.Errorf("leaving care: %+v", left)
		}
		_, err = s.StartPlacement(ctx, officerBirmingham, catalogue.Episode{Child: child.ID, Start: day(2026, 2, 1), Setting: catalogue.SettingKinship})
		wantField(t, err, "start")
		back := must[catalogue.Episode](t)(s.StartPlacement(ctx, officerBirmingham, catalogue.Episode{
			Child: child.ID, Start: day(2026, 4, 1), Setting: catalogue.SettingKinship, DistanceKm: catalogue.UnknownDistance}))
		st = must[catalogue.Stability](t)(s.ChildStability(ctx, officerBirmingham, child.ID, day(2026, 11, 1)))
		if !st.InCare || st.InCareSince != back.Start || st.DistanceKm != catalogue.UnknownDistance {
			t.Errorf("back in care: %+v", st)
		}
		// A change of status only must stay with the same placement.
		_, err = s.MoveChild(ctx, officerBirmingham, catalogue.Move{Child: child.ID, On: day(2026, 5, 1), Reason: catalogue.ReasonStatusOnly,
			Next: &catalogue.Episode{Setting: catalogue.SettingKinship, DistanceKm: catalogue.UnknownDistance}})
		if err != nil {
			t.Errorf("change of status only: %v", err)
		}

		diff(t, "audit of the child's record", auditActions(t, s, child.ID)[1:], []string{
			"start_placement", "move", "move", "open_move_review", "review_move", "move", "start_placement", "move"})
		page := must[catalogue.Page[catalogue.Episode]](t)(s.ListEpisodes(ctx, officerBirmingham, catalogue.EpisodeFilter{Child: child.ID}))
		if len(page.Items) != 5 || page.Items[0].Council != birmingham {
			t.Errorf("listed %d episodes: %+v", len(page.Items), page.Items)
		}
		if page := must[catalogue.Page[catalogue.Episode]](t)(s.ListEpisodes(ctx, officerLeeds, catalogue.EpisodeFilter{})); len(page.Items) != 0 {
			t.Errorf("Leeds lists %d episodes", len(page.Items))
		}
	})
}

func TestConcurrentMoves(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officerCtx(7)
		w := newWorld(t, s)
		child := w.children[0]
		must[catalogue.Episode](t)(s.StartPlacement(ctx, everything, catalogue.Episode{Child: child.ID, Start: day(2025, 1, 1), Placement: w.placements[0].ID}))
		var wg sync.WaitGroup
		errs := make([]error, 12)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = s.MoveChild(ctx, everything, catalogue.Move{Child: child.ID, On: day(2025, 9, 1), Reason: catalogue.ReasonChildRequest,
					Next: &catalogue.Episode{Placement: w.placements[1].ID}})
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			}
		}
		h := must[[]catalogue.Episode](t)(s.History(ctx, everything, child.ID))
		reviews := must[catalogue.Page[catalogue.MoveReview]](t)(s.ListMoveReviews(ctx, everything, catalogue.MoveReviewFilter{}))
		if ok != 1 || len(h) != 2 || len(reviews.Items) != 1 {
			t.Errorf("%d of 12 concurrent moves succeeded, history %d episodes, %d reviews: %v", ok, len(h), len(reviews.Items), errs)
		}
	})
}

func TestCheckIns(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		child := w.children[0]
		today := catalogue.Day(s.Now())
		// No current placement: nothing is due and a check-in has nothing to be about.
		st := must[catalogue.CheckInStatus](t)(s.CheckInStatus(ctx, officerBirmingham, child.ID, today))
		if st.Current != nil || st.Schedule.Due || st.Plan.Agreed() {
			t.Errorf("status without a placement: %+v", st)
		}
		_, err := s.RecordCheckIn(ctx, officerBirmingham, catalogue.CheckIn{Child: child.ID, Safe: catalogue.AnswerYes})
		wantErr(t, err, catalogue.ErrConflict)

		since := today.AddDate(0, 0, -10)
		cur := must[catalogue.Episode](t)(s.StartPlacement(ctx, everything, catalogue.Episode{Child: child.ID, Start: since, Placement: w.placements[0].ID}))
		st = must[catalogue.CheckInStatus](t)(s.CheckInStatus(ctx, officerBirmingham, child.ID, today))
		if st.Current == nil || !st.Schedule.Due || st.Schedule.DueSince != since.AddDate(0, 0, 7) || st.Schedule.Next != since.AddDate(0, 0, 28) {
			t.Errorf("due a week after the move: %+v", st.Schedule)
		}
		_, err = s.RecordCheckIn(ctx, officerBirmingham, catalogue.CheckIn{Child: child.ID})
		wantField(t, err, "answers")
		_, err = s.RecordCheckIn(ctx, officerLeeds, catalogue.CheckIn{Child: child.ID, Safe: catalogue.AnswerYes})
		wantErr(t, err, catalogue.ErrNotFound)
		c := must[catalogue.CheckIn](t)(s.RecordCheckIn(ctx, officerBirmingham, catalogue.CheckIn{
			Child: child.ID, Settled: catalogue.AnswerMostly, Safe: catalogue.AnswerYes, WouldHelp: "My bike", Way: catalogue.WayFaces}))
		if c.Episode != cur.ID || c.At.IsZero() || c.Council != birmingham || c.GettingOn != catalogue.NotAnswered {
			t.Errorf("check-in: %+v", c)
		}
		st = must[catalogue.CheckInStatus](t)(s.CheckInStatus(ctx, officerBirmingham, child.ID, today))
		if st.Schedule.Due || len(st.CheckIns) != 1 {
			t.Errorf("after checking in: %+v", st)
		}
		got := must[[]catalogue.CheckIn](t)(s.CheckIns(ctx, officerBirmingham, child.ID))
		diff(t, "check-ins", got, []catalogue.CheckIn{c})
		_, err = s.CheckIns(ctx, officerLeeds, child.ID)
		wantErr(t, err, catalogue.ErrNotFound)

		// The plan agreed with the child.
		plan := catalogue.CheckInPlan{Child: child.ID, Days: []int{3, 14}, ThenEvery: 30}
		_, err = s.SetCheckInPlan(ctx, officerBirmingham, catalogue.CheckInPlan{Child: child.ID, Days: []int{14, 3}})
		wantField(t, err, "days[1]")
		agreed := must[catalogue.CheckInPlan](t)(s.SetCheckInPlan(ctx, officerBirmingham, plan))
		if agreed.Version != 1 || !agreed.Agreed() || agreed.AgreedAt.IsZero() || agreed.Council != birmingham {
			t.Errorf("agreed plan: %+v", agreed)
		}
		_, err = s.SetCheckInPlan(ctx, officerBirmingham, plan) // version 0 again: stale
		wantErr(t, err, catalogue.ErrConflict)
		plan.Version, plan.Days = 1, []int{7}
		again := must[catalogue.CheckInPlan](t)(s.SetCheckInPlan(ctx, officerBirmingham, plan))
		read := must[catalogue.CheckInPlan](t)(s.CheckInPlan(ctx, officerBirmingham, child.ID))
		if again.Version != 2 || !slices.Equal(read.Days, []int{7}) || read.ThenEvery != 30 || read.Version != 2 {
			t.Errorf("plan changed to %+v, read back %+v", again, read)
		}
		_, err = s.SetCheckInPlan(ctx, officerLeeds, plan)
		wantErr(t, err, catalogue.ErrNotFound)
		diff(t, "audit", auditActions(t, s, child.ID)[1:], []string{"start_placement", "check_in", "agree_check_in_plan", "agree_check_in_plan"})
	})
}

// historyBatch is two children of Birmingham with histories, a review and a check-in.
func historyBatch() catalogue.Batch {
	b := catalogue.Batch{
		Providers:  []catalogue.Provider{{ID: -1, Name: "Horizon Fostering", Kind: catalogue.ProviderAgency}},
		Placements: []catalogue.Placement{plainPlacement(-1, birmingham, at(52.5, -1.85))},
		Children:   []catalogue.Child{plainChild(birmingham, at(52.48, -1.89)), plainChild(birmingham, at(52.45, -1.9))},
	}
	b.Placements[0].ID = -1
	b.Children[0].ID, b.Children[1].ID = -1, -2
	b.Children[0].DateOfBirth, b.Children[1].DateOfBirth = day(2014, 1, 1), day(2015, 7, 1)
	b.Episodes = []catalogue.Episode{
		{ID: -1, Child: -1, Start: day(2022, 1, 1), End: day(2025, 12, 1), Reason: catalogue.ReasonCarerOther, Setting: catalogue.SettingCouncilFoster,
			DistanceKm: 3, PlacedIn: birmingham},
		{ID: -2, Child: -1, Start: day(2025, 12, 1), Setting: catalogue.SettingChildrensHome, Placement: -1, Provider: -1, DistanceKm: 4, PlacedIn: birmingham},
		{ID: -3, Child: -2, Start: day(2020, 5, 5), Setting: catalogue.SettingKinship, DistanceKm: 1, PlacedIn: birmingham},
	}
	// Text that array literals must escape: quotes, backslashes, commas, braces, NULL.
	b.MoveReviews = []catalogue.MoveReview{{Episode: -1, Next: -2, Note: `Carers said "no more", {again}, C:\path, NULL`}}
	b.CheckIns = []catalogue.CheckIn{{Episode: -2, At: time.Date(2026, 1, 5, 16, 0, 0, 0, time.UTC), Settled: catalogue.AnswerSortOf,
		WouldHelp: "NULL"}}
	return b
}

func TestImportHistory(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		b := historyBatch()
		res := must[catalogue.BatchResult](t)(s.Import(ctx, b))
		if res.Episodes != 3 || res.MoveReviews != 1 || res.CheckIns != 1 {
			t.Fatalf("imported %+v", res)
		}
		kid := res.Children[-1]
		h := must[[]catalogue.Episode](t)(s.History(ctx, officerBirmingham, kid))
		if len(h) != 2 || h[1].Placement != res.Placements[-1] || h[1].Provider != res.Providers[-1] || h[0].Reason != catalogue.ReasonCarerOther {
			t.Errorf("history %+v", h)
		}
		reviews := must[catalogue.Page[catalogue.MoveReview]](t)(s.ListMoveReviews(ctx, officerBirmingham, catalogue.MoveReviewFilter{Status: catalogue.ReviewOpen}))
		if len(reviews.Items) != 1 || reviews.Items[0].Child != kid || reviews.Items[0].Episode != h[0].ID || reviews.Items[0].Next != h[1].ID ||
			reviews.Items[0].MovedOn != day(2025, 12, 1) || reviews.Items[0].Reason != catalogue.ReasonCarerOther ||
			reviews.Items[0].Note != b.MoveReviews[0].Note {
			t.Errorf("reviews %+v", reviews.Items)
		}
		cs := must[[]catalogue.CheckIn](t)(s.CheckIns(ctx, officerBirmingham, kid))
		if len(cs) != 1 || cs[0].Episode != h[1].ID || cs[0].Settled != catalogue.AnswerSortOf || cs[0].WouldHelp != "NULL" {
			t.Errorf("check-ins %+v", cs)
		}

		// A young person of 16 waiting to come into care, with no placement yet: not looked
		// after, but turning 18 within two years.
		teen := plainChild(birmingham, at(52.47, -1.88))
		teen.DateOfBirth = day(2010, 6, 30)
		teen = must[catalogue.Child](t)(s.CreateChild(ctx, everything, teen))

		// The summary from the store is the pure function's on the same records.
		on := day(2026, 11, 1)
		sum := must[catalogue.StabilitySummary](t)(s.StabilitySummary(ctx, birmingham, on))
		var kids []catalogue.ChildHistory
		for _, id := range []catalogue.ChildID{res.Children[-1], res.Children[-2], teen.ID} {
			c := must[catalogue.Child](t)(s.Child(ctx, everything, id))
			kids = append(kids, catalogue.ChildHistory{Child: id, Council: c.Council, DateOfBirth: c.DateOfBirth, Status: c.Status,
				Episodes: must[[]catalogue.Episode](t)(s.History(ctx, everything, id))})
		}
		diff(t, "summary", sum, catalogue.SummariseStability(birmingham, kids, on))
		if sum.LookedAfter != 2 || sum.Moved12m != 1 || sum.LongTermEligible != 2 || sum.LongTermStable != 1 || sum.TurningEighteen != 1 {
			t.Errorf("summary %+v", sum)
		}
		all := must[catalogue.StabilitySummary](t)(s.StabilitySummary(ctx, "", on))
		if all.LookedAfter != 2 {
			t.Errorf("England: %+v", all)
		}
		_, err := s.StabilitySummary(ctx, "Brum", on)
		wantField(t, err, "council")
	})
}

func TestImportHistoryReportsEveryFault(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		b := historyBatch()
		b.Episodes[0].Reason = "" // ended without a reason
		b.Episodes[2].Child = -9  // no such child
		b.Episodes = append(b.Episodes, catalogue.Episode{ID: -4, Child: -1, Start: day(2023, 1, 1), End: day(2024, 1, 1),
			Reason: catalogue.ReasonCarePlan, Setting: catalogue.SettingKinship, DistanceKm: -1}) // overlaps episodes[0]
		b.MoveReviews[0].Episode = -7
		b.CheckIns[0].Settled, b.CheckIns[0].WouldHelp = 0, ""
		b.CheckIns = append(b.CheckIns, catalogue.CheckIn{Episode: -2, Safe: catalogue.AnswerYes}) // no time
		_, err := s.Import(ctx, b)
		var fields []string
		for _, f := range catalogue.FieldErrors(err) {
			fields = append(fields, f.Field)
		}
		diff(t, "fields at fault", fields, []string{"check_ins[0].answers", "check_ins[1].at", "episodes[0].reason",
			"episodes[2].child", "episodes[3].start", "move_reviews[0].episode"})
		counts := must[catalogue.Counts](t)(s.Counts(ctx))
		diff(t, "nothing written", counts, catalogue.Counts{})
	})
}

// TestRetentionDeletesHistories: a child's record deleted by retention takes their placement
// history, reviews, check-ins and plan with it; another child's stay.
func TestRetentionDeletesHistories(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officerCtx(3)
		w := newWorld(t, s)
		withHistory := func(c catalogue.Child) {
			must[catalogue.Episode](t)(s.StartPlacement(ctx, everything, catalogue.Episode{Child: c.ID, Start: day(2025, 1, 1), Placement: w.placements[0].ID}))
			must[catalogue.MoveResult](t)(s.MoveChild(ctx, everything, catalogue.Move{Child: c.ID, On: day(2025, 6, 1),
				Reason: catalogue.ReasonChildRequest, Next: &catalogue.Episode{Placement: w.placements[1].ID}}))
			must[catalogue.CheckIn](t)(s.RecordCheckIn(ctx, everything, catalogue.CheckIn{Child: c.ID, Safe: catalogue.AnswerYes}))
			must[catalogue.CheckInPlan](t)(s.SetCheckInPlan(ctx, everything, catalogue.CheckInPlan{Child: c.ID, Days: []int{7}}))
		}
		gone, kept := w.children[0], w.children[2]
		withHistory(gone)
		withHistory(kept)
		c := must[catalogue.Child](t)(s.Child(ctx, everything, gone.ID))
		c.Status = catalogue.ChildClosed
		must[catalogue.Child](t)(s.UpdateChild(ctx, everything, c))
		if err := sqlstore.ExecRaw(ctx, s, "UPDATE children SET updated_at = ? WHERE id = ?", s.Now().AddDate(-3, 0, 0), int64(gone.ID)); err != nil {
			t.Fatal(err)
		}
		res := must[sqlstore.RetentionResult](t)(s.Retain(ctx, sqlstore.Retention{ClosedAfter: 365 * 24 * time.Hour, LinksAfter: 24 * time.Hour}))
		if res.Children != 1 || res.Dependents != 5 { // two episodes, a review, a check-in, a plan
			t.Fatalf("retention %+v", res)
		}
		eps := must[catalogue.Page[catalogue.Episode]](t)(s.ListEpisodes(ctx, everything, catalogue.EpisodeFilter{Child: gone.ID}))
		reviews := must[catalogue.Page[catalogue.MoveReview]](t)(s.ListMoveReviews(ctx, everything, catalogue.MoveReviewFilter{Child: gone.ID}))
		if len(eps.Items)+len(reviews.Items) != 0 {
			t.Errorf("left behind: %d episodes, %d reviews", len(eps.Items), len(reviews.Items))
		}
		if h := must[[]catalogue.Episode](t)(s.History(ctx, everything, kept.ID)); len(h) != 2 {
			t.Errorf("the other child's history: %d episodes", len(h))
		}
		if cs := must[[]catalogue.CheckIn](t)(s.CheckIns(ctx, everything, kept.ID)); len(cs) != 1 {
			t.Errorf("the other child's check-ins: %d", len(cs))
		}
	})
}
