package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// supportWorld is a brother and sister of Birmingham planned together, with three homes of two
// places each: home 0 trained for autism only, home 1 for everything they need, home 2 for
// nothing.
type supportWorld struct {
	mia, leo catalogue.Child // Mia: trauma (high), disability and health (medium); Leo: autism (low)
	homes    []catalogue.Placement
}

func newSupportWorld(t *testing.T, s *sqlstore.Store) supportWorld {
	t.Helper()
	ctx := context.Background()
	prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Supporting")))
	g := must[catalogue.SiblingGroup](t)(s.CreateSiblingGroup(ctx, everything, catalogue.SiblingGroup{Council: birmingham, Plan: catalogue.PlanTogether}))
	var w supportWorld
	mia := plainChild(birmingham, at(52.48, -1.89))
	mia.FirstName, mia.SiblingGroup = "Mia", g.ID
	mia.Needs = []catalogue.Need{{Kind: catalogue.NeedTrauma, Level: catalogue.LevelHigh}, {Kind: catalogue.NeedDisabilityHealth, Level: catalogue.LevelMedium}}
	w.mia = must[catalogue.Child](t)(s.CreateChild(ctx, everything, mia))
	leo := plainChild(birmingham, at(52.48, -1.89))
	leo.FirstName, leo.SiblingGroup = "Leo", g.ID
	leo.Needs = []catalogue.Need{{Kind: catalogue.NeedAutism, Level: catalogue.LevelLow}}
	w.leo = must[catalogue.Child](t)(s.CreateChild(ctx, everything, leo))
	for i, skills := range [][]catalogue.Skill{
		{catalogue.SkillAutism},
		{catalogue.SkillTherapeuticParenting, catalogue.SkillDisability, catalogue.SkillAutism},
		nil,
	} {
		p := plainPlacement(prov.ID, birmingham, at(52.45+float64(i)/100, -1.9))
		p.Skills = skills
		p = must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, p))
		for range 2 {
			must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{Placement: p.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable}))
		}
		w.homes = append(w.homes, p)
	}
	return w
}

func (w supportWorld) offer(t *testing.T, s *sqlstore.Store, ctx context.Context) catalogue.Offer {
	t.Helper()
	var opts []catalogue.Option
	for i, h := range w.homes {
		role := catalogue.RoleChoice
		if i >= 2 {
			role = catalogue.RoleBackup
		}
		opts = append(opts, catalogue.Option{Rank: i + 1, Role: role, Placement: h.ID, Score: 0.5, Quality: 0.5, SchoolKm: -1})
	}
	return must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.mia.ID, Siblings: []catalogue.ChildID{w.leo.ID}, Options: opts}))
}

func countRows(t *testing.T, s *sqlstore.Store, table string) int {
	t.Helper()
	return len(must[[]map[string][]byte](t)(sqlstore.DumpTable(context.Background(), s, table)))
}

// TestSupportPlanMadeWithTheAccept: accepting a home makes a plan, in the same transaction, for
// each child moving whose needs its carers are not all trained for (Mia), and none for a child
// whose needs are covered (Leo); the plan is the child's council's to read and to mark arranged
// at the version read; it closes when the child's placement there ends.
func TestSupportPlanMadeWithTheAccept(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officerCtx(7)
		w := newSupportWorld(t, s)
		o := w.offer(t, s, ctx)
		o = must[catalogue.Offer](t)(s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version,
			catalogue.Decision{Accepted: true, Placement: w.homes[0].ID, Reason: "The offer was not sent: an emergency."}))
		if len(o.Decision.SupportPlans) != 1 || len(o.Decision.Filled) != 2 {
			t.Fatalf("decision %+v", o.Decision)
		}
		plans := must[[]catalogue.SupportPlan](t)(s.SupportPlans(ctx, officerBirmingham, w.mia.ID))
		if len(plans) != 1 || plans[0].ID != o.Decision.SupportPlans[0] {
			t.Fatalf("Mia's plans %+v", plans)
		}
		p := plans[0]
		want := catalogue.SupportPlan{ID: p.ID, Child: w.mia.ID, Council: birmingham, Placement: w.homes[0].ID, Offer: o.ID,
			Status: catalogue.SupportOpen, Version: 1, CreatedAt: p.CreatedAt, UpdatedAt: p.CreatedAt,
			Items: []catalogue.SupportItem{
				{Need: catalogue.NeedTrauma, Level: catalogue.LevelHigh, Training: catalogue.SkillTraumaInformed, Therapeutic: true},
				{Need: catalogue.NeedDisabilityHealth, Level: catalogue.LevelMedium, Training: catalogue.SkillDisability, Equipment: true},
			}}
		diff(t, "Mia's plan", p, want)
		if !p.CreatedAt.Equal(o.Decision.At) {
			t.Errorf("plan made at %v, decision at %v", p.CreatedAt, o.Decision.At)
		}
		diff(t, "one plan read", must[catalogue.SupportPlan](t)(s.SupportPlan(ctx, officerBirmingham, p.ID)), p)
		if leo := must[[]catalogue.SupportPlan](t)(s.SupportPlans(ctx, everything, w.leo.ID)); len(leo) != 0 {
			t.Errorf("Leo, whose autism the carers are trained for, has plans %+v", leo)
		}
		if a := auditActions(t, s, w.mia.ID); !strings.Contains(strings.Join(a, " "), "create_support_plan") {
			t.Errorf("audit of Mia: %v", a)
		}

		// Outside Birmingham the plans are not there.
		_, err := s.SupportPlans(ctx, officerLeeds, w.mia.ID)
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.SupportPlan(ctx, officerLeeds, p.ID)
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.SupportPlan(ctx, commissioner, p.ID)
		wantErr(t, err, catalogue.ErrNotFound)
		arrangeTrauma := catalogue.SupportUpdate{Plan: p.ID, Version: 1,
			Items: []catalogue.SupportChange{{Need: catalogue.NeedTrauma, Arranged: true, Note: "Course booked for 3 March."}}}
		_, err = s.UpdateSupportPlan(ctx, officerLeeds, arrangeTrauma)
		wantErr(t, err, catalogue.ErrNotFound)

		// Marking arranged: the version read, needs of the plan only.
		stale := arrangeTrauma
		stale.Version = 2
		_, err = s.UpdateSupportPlan(ctx, officerBirmingham, stale)
		wantErr(t, err, catalogue.ErrConflict)
		_, err = s.UpdateSupportPlan(ctx, officerBirmingham, catalogue.SupportUpdate{Plan: p.ID, Version: 1,
			Items: []catalogue.SupportChange{{Need: catalogue.NeedAutism, Arranged: true}}})
		wantField(t, err, "items[0].need")
		p = must[catalogue.SupportPlan](t)(s.UpdateSupportPlan(ctx, officerBirmingham, arrangeTrauma))
		if p.Version != 2 || p.Status != catalogue.SupportOpen || !p.Items[0].Arranged || p.Items[0].ArrangedAt.IsZero() ||
			p.Items[0].Note != "Course booked for 3 March." || p.Items[1].Arranged {
			t.Fatalf("after arranging the training: %+v", p)
		}
		p = must[catalogue.SupportPlan](t)(s.UpdateSupportPlan(ctx, officerBirmingham, catalogue.SupportUpdate{Plan: p.ID, Version: 2,
			Items: []catalogue.SupportChange{{Need: catalogue.NeedDisabilityHealth, Arranged: true, Note: "Hoist fitted."}}}))
		if p.Status != catalogue.SupportArranged || p.Version != 3 {
			t.Fatalf("after arranging everything: %+v", p)
		}
		diff(t, "stored after arranging", must[catalogue.SupportPlan](t)(s.SupportPlan(ctx, everything, p.ID)), p)

		sum := must[catalogue.SupportNeeds](t)(s.SupportNeeds(ctx, catalogue.SupportNeedsFilter{Council: birmingham}))
		wantTally := catalogue.SupportTally{Plans: 1, Households: 1,
			Training: []catalogue.SkillCount{
				{Skill: catalogue.SkillTraumaInformed, SupportCount: catalogue.SupportCount{Arranged: 1}},
				{Skill: catalogue.SkillDisability, SupportCount: catalogue.SupportCount{Arranged: 1}},
			},
			Therapeutic: catalogue.SupportCount{Arranged: 1}, Equipment: catalogue.SupportCount{Arranged: 1}}
		diff(t, "Birmingham's support needs", sum, catalogue.SupportNeeds{Council: birmingham, Total: wantTally,
			Regions:  []catalogue.RegionSupport{{Region: "E12000005", SupportTally: wantTally}},
			Councils: []catalogue.CouncilSupport{{Council: birmingham, SupportTally: wantTally}}})
		if west := must[catalogue.SupportNeeds](t)(s.SupportNeeds(ctx, catalogue.SupportNeedsFilter{Region: "E12000005"})); west.Total.Plans != 1 {
			t.Errorf("West Midlands: %+v", west)
		}
		if yorks := must[catalogue.SupportNeeds](t)(s.SupportNeeds(ctx, catalogue.SupportNeedsFilter{Region: "E12000003"})); yorks.Total.Plans != 0 || len(yorks.Councils) != 0 {
			t.Errorf("Yorkshire and The Humber: %+v", yorks)
		}
		_, err = s.SupportNeeds(ctx, catalogue.SupportNeedsFilter{Council: "E99999999"})
		wantField(t, err, "council")

		// Placed, then moved on: the plan for the home closes with the placement.
		o = must[catalogue.Offer](t)(s.MarkPlaced(ctx, officerBirmingham, o.ID, o.Version, catalogue.Arrival{On: catalogue.Day(s.Now()).AddDate(0, 0, -10)}))
		if got := must[catalogue.SupportPlan](t)(s.SupportPlan(ctx, everything, p.ID)); got.Status != catalogue.SupportArranged {
			t.Errorf("after the move in: %s", got.Status)
		}
		must[catalogue.MoveResult](t)(s.MoveChild(ctx, everything, catalogue.Move{Child: w.mia.ID, On: catalogue.Day(s.Now()),
			Reason: catalogue.ReasonCarePlan, Next: &catalogue.Episode{Setting: catalogue.SettingKinship, DistanceKm: 2}}))
		got := must[catalogue.SupportPlan](t)(s.SupportPlan(ctx, everything, p.ID))
		if got.Status != catalogue.SupportClosed || got.ClosedAt.IsZero() || !strings.Contains(got.ClosedReason, "ended") || got.Version != 4 {
			t.Fatalf("after Mia moved on: %+v", got)
		}
		_, err = s.UpdateSupportPlan(ctx, officerBirmingham, catalogue.SupportUpdate{Plan: p.ID, Version: 4,
			Items: []catalogue.SupportChange{{Need: catalogue.NeedTrauma}}})
		wantErr(t, err, catalogue.ErrConflict)
		if n := must[catalogue.SupportNeeds](t)(s.SupportNeeds(ctx, catalogue.SupportNeedsFilter{})); n.Total.Plans != 0 {
			t.Errorf("England counts a closed plan: %+v", n.Total)
		}
		if a := auditActions(t, s, w.mia.ID); !strings.Contains(strings.Join(a, " "), "update_support_plan update_support_plan") ||
			!strings.Contains(strings.Join(a, " "), "close_support_plan") {
			t.Errorf("audit of Mia: %v", a)
		}
	})
}

// TestSupportPlanChangeOfStatusKeepsIt: a change of legal status only (the same carers) keeps
// the plan; an officer can close a plan with a reason.
func TestSupportPlanChangeOfStatusKeepsIt(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officerCtx(7)
		w := newSupportWorld(t, s)
		o := w.offer(t, s, ctx)
		o = must[catalogue.Offer](t)(s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version,
			catalogue.Decision{Accepted: true, Placement: w.homes[2].ID, Reason: "Near school."}))
		if len(o.Decision.SupportPlans) != 2 { // home 2 is trained for nothing: Leo's autism too
			t.Fatalf("decision %+v", o.Decision)
		}
		o = must[catalogue.Offer](t)(s.MarkPlaced(ctx, officerBirmingham, o.ID, o.Version, catalogue.Arrival{On: catalogue.Day(s.Now()).AddDate(0, 0, -10)}))
		must[catalogue.MoveResult](t)(s.MoveChild(ctx, everything, catalogue.Move{Child: w.leo.ID, On: catalogue.Day(s.Now()),
			Reason: catalogue.ReasonStatusOnly, Next: &catalogue.Episode{Placement: w.homes[2].ID}}))
		leo := must[[]catalogue.SupportPlan](t)(s.SupportPlans(ctx, officerBirmingham, w.leo.ID))
		if len(leo) != 1 || leo[0].Status != catalogue.SupportOpen {
			t.Fatalf("Leo's plan after a change of status only: %+v", leo)
		}
		p := must[catalogue.SupportPlan](t)(s.UpdateSupportPlan(ctx, officerBirmingham, catalogue.SupportUpdate{Plan: leo[0].ID, Version: 1,
			Close: "His autism assessment was withdrawn."}))
		if p.Status != catalogue.SupportClosed || p.ClosedReason != "His autism assessment was withdrawn." {
			t.Errorf("closed by the officer: %+v", p)
		}
	})
}

// TestNoSupportPlanWithoutAnAccept: declining makes no plan; an accept that fails (a home full,
// or any step after the plans were written) leaves nothing: no plan, no place filled, the
// offer as it was; an accept of a home whose carers cover every need makes none.
func TestNoSupportPlanWithoutAnAccept(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officerCtx(7)
		w := newSupportWorld(t, s)
		o := w.offer(t, s, ctx)
		o = must[catalogue.Offer](t)(s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version, catalogue.Decision{Reason: "Going home to Mum."}))
		if n := countRows(t, s, "support_plans"); n != 0 || len(o.Decision.SupportPlans) != 0 {
			t.Fatalf("declining made %d plans", n)
		}

		// Home 0 full: one of its places is filled by another child.
		other := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(birmingham, at(52.5, -1.9))))
		places := must[catalogue.Page[catalogue.Vacancy]](t)(s.ListVacancies(ctx, everything, catalogue.VacancyFilter{Placement: w.homes[0].ID}))
		v := places.Items[0]
		v.Status, v.Child = catalogue.VacancyFilled, other.ID
		must[catalogue.Vacancy](t)(s.UpdateVacancy(ctx, everything, v))
		o = w.offer(t, s, ctx)
		before := must[[]string](t)(auditActionsErr(s, w.mia.ID))
		_, err := s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version, catalogue.Decision{Accepted: true, Placement: w.homes[0].ID, Reason: "x"})
		wantErr(t, err, catalogue.ErrConflict)
		if n := countRows(t, s, "support_plans"); n != 0 {
			t.Errorf("a refused accept left %d plans", n)
		}
		if after := must[[]string](t)(auditActionsErr(s, w.mia.ID)); len(after) != len(before) {
			t.Errorf("a refused accept was audited: %v", after[len(before):])
		}

		// A step after Mia's plan is written fails (Leo's needs do not make a valid plan): the
		// whole accept is undone.
		if err := sqlstore.ExecRaw(ctx, s, `UPDATE children SET needs = '[{"kind":"remand","level":9}]' WHERE id = ?`, int64(w.leo.ID)); err != nil {
			t.Fatal(err)
		}
		_, err = s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version, catalogue.Decision{Accepted: true, Placement: w.homes[2].ID, Reason: "x"})
		wantField(t, err, "items[0].level")
		if n := countRows(t, s, "support_plans"); n != 0 {
			t.Errorf("a failed accept left %d plans", n)
		}
		for _, h := range w.homes[1:] {
			for _, v := range must[catalogue.Page[catalogue.Vacancy]](t)(s.ListVacancies(ctx, everything, catalogue.VacancyFilter{Placement: h.ID})).Items {
				if v.Status != catalogue.VacancyAvailable {
					t.Errorf("a failed accept filled place %d", v.ID)
				}
			}
		}
		if got := must[catalogue.Offer](t)(s.Offer(ctx, everything, o.ID)); got.Status != catalogue.OfferProposed || got.Version != o.Version {
			t.Errorf("a failed accept changed the offer: %s v%d", got.Status, got.Version)
		}

		// Home 1 covers both: accepted, no plan.
		if err := sqlstore.ExecRaw(ctx, s, `UPDATE children SET needs = '[{"kind":"autism","level":1}]' WHERE id = ?`, int64(w.leo.ID)); err != nil {
			t.Fatal(err)
		}
		o = must[catalogue.Offer](t)(s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version, catalogue.Decision{Accepted: true, Placement: w.homes[1].ID, Reason: "x"}))
		if n := countRows(t, s, "support_plans"); o.Status != catalogue.OfferAccepted || n != 0 || len(o.Decision.SupportPlans) != 0 {
			t.Errorf("an accept with every need covered: %s, %d plans", o.Status, n)
		}
	})
}

func auditActionsErr(s *sqlstore.Store, child catalogue.ChildID) ([]string, error) {
	page, err := s.ListAudit(context.Background(), catalogue.AuditFilter{Subject: "child:" + child.String(), Limit: 500})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range page.Items {
		out = append(out, e.Action)
	}
	return out, nil
}

// TestRetentionDeletesSupportPlans: a child's plans go with their record; another's stay.
func TestRetentionDeletesSupportPlans(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officerCtx(7)
		w := newSupportWorld(t, s)
		o := w.offer(t, s, ctx)
		o = must[catalogue.Offer](t)(s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version,
			catalogue.Decision{Accepted: true, Placement: w.homes[2].ID, Reason: "x"}))
		if len(o.Decision.SupportPlans) != 2 {
			t.Fatalf("decision %+v", o.Decision)
		}
		// Mia leaves care: her place ends, her record is closed long enough ago.
		for _, id := range o.Decision.Filled {
			v := must[catalogue.Vacancy](t)(s.Vacancy(ctx, everything, id))
			if v.Child == w.mia.ID {
				v.Status, v.Child = catalogue.VacancyAvailable, 0
				must[catalogue.Vacancy](t)(s.UpdateVacancy(ctx, everything, v))
			}
		}
		if err := sqlstore.ExecRaw(ctx, s, "UPDATE children SET status = 'closed', updated_at = ? WHERE id = ?", s.Now().AddDate(-3, 0, 0), int64(w.mia.ID)); err != nil {
			t.Fatal(err)
		}
		// The decision is filed in the case record first (TestRetentionKeepsUnfiledDecisions).
		if _, _, err := s.MarkFiled(ctx, officerBirmingham, o.ID, "CASE-3"); err != nil {
			t.Fatal(err)
		}
		res := must[sqlstore.RetentionResult](t)(s.Retain(ctx, sqlstore.Retention{ClosedAfter: 365 * 24 * time.Hour, LinksAfter: 24 * time.Hour}))
		if res.Children != 1 || res.Offers != 1 || res.Dependents != 2 || res.Notices == 0 { // the plan and the filing
			t.Fatalf("retention %+v", res)
		}
		if n := countRows(t, s, "support_plans"); n != 1 {
			t.Errorf("%d plans left, want Leo's", n)
		}
		if leo := must[[]catalogue.SupportPlan](t)(s.SupportPlans(ctx, everything, w.leo.ID)); len(leo) != 1 {
			t.Errorf("Leo's plans: %+v", leo)
		}
	})
}
