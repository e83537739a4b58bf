package catalogue_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

func TestTrainingForMeetsTheNeed(t *testing.T) {
	t.Parallel()
	for _, k := range catalogue.NeedKinds {
		s := catalogue.TrainingFor(k)
		if !slices.Contains(catalogue.SkillsFor(k), s) {
			t.Errorf("training for %s is %q, which does not meet it (%v)", k, s, catalogue.SkillsFor(k))
		}
		// Once trained, the carers cover the need: it leaves the plan.
		if got := catalogue.SupportFor([]catalogue.Need{{Kind: k, Level: catalogue.LevelHigh}}, []catalogue.Skill{s}); got != nil {
			t.Errorf("%s: carers trained in %s still need %+v", k, s, got)
		}
		if n := catalogue.TrainingName(s); n == "" || strings.Contains(n, "_") {
			t.Errorf("training in %s is named %q", s, n)
		}
	}
}

func TestSupportFor(t *testing.T) {
	t.Parallel()
	needs := []catalogue.Need{
		{Kind: catalogue.NeedTrauma, Level: catalogue.LevelHigh},
		{Kind: catalogue.NeedAutism, Level: catalogue.LevelMedium},
		{Kind: catalogue.NeedDisabilityHealth, Level: catalogue.LevelMedium},
		{Kind: catalogue.NeedEmotionalBehavioural, Level: catalogue.LevelLow},
		{Kind: catalogue.NeedLearning, Level: catalogue.LevelLow},
	}
	// Autism is met; learning is met by disability training (its second skill), so it is covered.
	skills := []catalogue.Skill{catalogue.SkillAutism, catalogue.SkillDisability}
	got := catalogue.SupportFor(needs, skills)
	want := []catalogue.SupportItem{
		{Need: catalogue.NeedTrauma, Level: catalogue.LevelHigh, Training: catalogue.SkillTraumaInformed, Therapeutic: true},
		{Need: catalogue.NeedEmotionalBehavioural, Level: catalogue.LevelLow, Training: catalogue.SkillBehaviour},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("support\n got %+v\nwant %+v", got, want)
	}
	got = catalogue.SupportFor(needs[2:3], nil)
	want = []catalogue.SupportItem{{Need: catalogue.NeedDisabilityHealth, Level: catalogue.LevelMedium, Training: catalogue.SkillDisability, Equipment: true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("disability without skills: %+v", got)
	}
	// A related skill (three quarters in scoring) covers the need.
	if cov, s := catalogue.Coverage(catalogue.NeedTrauma, []catalogue.Skill{catalogue.SkillTraumaInformed}); cov != 0.75 || s != catalogue.SkillTraumaInformed {
		t.Errorf("trauma-informed for trauma: %v %s", cov, s)
	}
	if got := catalogue.SupportFor(needs[:1], []catalogue.Skill{catalogue.SkillTraumaInformed}); got != nil {
		t.Errorf("trauma with trauma-informed carers: %+v", got)
	}
	if got := catalogue.SupportFor(nil, nil); got != nil {
		t.Errorf("no needs: %+v", got)
	}
}

var planDay = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

func goodPlan() catalogue.SupportPlan {
	return catalogue.SupportPlan{ID: 1, Child: 2, Council: "E08000025", Placement: 3, Offer: 4, Status: catalogue.SupportOpen,
		Items: catalogue.SupportFor([]catalogue.Need{{Kind: catalogue.NeedTrauma, Level: catalogue.LevelHigh},
			{Kind: catalogue.NeedAutism, Level: catalogue.LevelLow}}, nil),
		Version: 1, CreatedAt: planDay, UpdatedAt: planDay}
}

func TestSupportPlanValidate(t *testing.T) {
	t.Parallel()
	if err := goodPlan().Validate(); err != nil {
		t.Fatalf("good plan: %v", err)
	}
	cases := []struct {
		name   string
		change func(p *catalogue.SupportPlan)
		fields []string
	}{
		{"no child, placement or offer", func(p *catalogue.SupportPlan) { p.Child, p.Placement, p.Offer = 0, 0, 0 },
			[]string{"child", "placement", "offer"}},
		{"no items", func(p *catalogue.SupportPlan) { p.Items = nil; p.Status = catalogue.SupportArranged }, []string{"items"}},
		{"status not following the items", func(p *catalogue.SupportPlan) { p.Status = catalogue.SupportArranged }, []string{"status"}},
		{"unknown need, bad level", func(p *catalogue.SupportPlan) { p.Items[0].Need, p.Items[1].Level = "dragons", 7 },
			[]string{"items[0].need", "items[1].level"}},
		{"a need twice", func(p *catalogue.SupportPlan) { p.Items[1] = p.Items[0] }, []string{"items[1].need"}},
		{"no support at all", func(p *catalogue.SupportPlan) { p.Items[1].Training = "" }, []string{"items[1].training"}},
		{"training that does not meet the need", func(p *catalogue.SupportPlan) { p.Items[0].Training = catalogue.SkillRemand },
			[]string{"items[0].training"}},
		{"arranged without a time", func(p *catalogue.SupportPlan) { p.Items[0].Arranged = true }, []string{"items[0].arranged_at"}},
		{"closed without a reason", func(p *catalogue.SupportPlan) { p.Status = catalogue.SupportClosed }, []string{"closed_reason"}},
		{"a note too long", func(p *catalogue.SupportPlan) { p.Items[0].Note = strings.Repeat("x", catalogue.MaxNoteLen+1) },
			[]string{"items[0].note"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := goodPlan()
			c.change(&p)
			wantFields(t, p.Validate(), c.fields...)
		})
	}
}

func TestSupportUpdate(t *testing.T) {
	t.Parallel()
	wantFields(t, catalogue.SupportUpdate{}.Validate(), "version", "items")
	wantFields(t, catalogue.SupportUpdate{Version: 1, Items: []catalogue.SupportChange{{}, {Need: "dragons"},
		{Need: catalogue.NeedTrauma}, {Need: catalogue.NeedTrauma}}}.Validate(), "items[0].need", "items[1].need", "items[3].need")
	if err := (catalogue.SupportUpdate{Version: 1, Close: "The placement did not go ahead."}).Validate(); err != nil {
		t.Errorf("closing: %v", err)
	}

	p := goodPlan()
	later := planDay.Add(48 * time.Hour)
	u := catalogue.SupportUpdate{Version: 1, Items: []catalogue.SupportChange{{Need: catalogue.NeedTrauma, Arranged: true, Note: "Course on 3 March"}}}
	if err := u.Apply(&p, later); err != nil {
		t.Fatal(err)
	}
	if it := p.Items[0]; !it.Arranged || !it.ArrangedAt.Equal(later) || it.Note != "Course on 3 March" || p.Status != catalogue.SupportOpen {
		t.Fatalf("after arranging trauma: %+v, %s", it, p.Status)
	}
	// Arranged again later: the first time stays.
	if err := u.Apply(&p, later.Add(time.Hour)); err != nil || !p.Items[0].ArrangedAt.Equal(later) {
		t.Errorf("arranged twice: %v %v", err, p.Items[0].ArrangedAt)
	}
	u.Items = []catalogue.SupportChange{{Need: catalogue.NeedAutism, Arranged: true}}
	if err := u.Apply(&p, later); err != nil || p.Status != catalogue.SupportArranged {
		t.Fatalf("every item arranged: %v, %s", err, p.Status)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("arranged plan: %v", err)
	}
	// Undone by mistake: open again.
	u.Items = []catalogue.SupportChange{{Need: catalogue.NeedAutism}}
	if err := u.Apply(&p, later); err != nil || p.Status != catalogue.SupportOpen || !p.Items[1].ArrangedAt.IsZero() {
		t.Fatalf("undone: %v, %s, %+v", err, p.Status, p.Items[1])
	}
	// A need not in the plan is named.
	u.Items = []catalogue.SupportChange{{Need: catalogue.NeedAutism, Arranged: true}, {Need: catalogue.NeedRemand, Arranged: true}}
	before := p
	before.Items = slices.Clone(p.Items)
	wantFields(t, u.Apply(&p, later), "items[1].need")
	// Closed with a reason.
	p = before
	if err := (catalogue.SupportUpdate{Version: 2, Close: " No longer needed. "}).Apply(&p, later); err != nil {
		t.Fatal(err)
	}
	if p.Status != catalogue.SupportClosed || p.ClosedReason != "No longer needed." || !p.ClosedAt.Equal(later) || p.Validate() != nil {
		t.Errorf("closed: %+v (%v)", p, p.Validate())
	}
}

// TestSummariseSupport: training in households (a household counted once, waiting while any
// of it is to arrange), therapeutic support and equipment in plans; closed plans and plans
// outside the area left out.
func TestSummariseSupport(t *testing.T) {
	t.Parallel()
	const (
		birmingham = catalogue.CouncilCode("E08000025") // West Midlands
		coventry   = catalogue.CouncilCode("E08000026") // West Midlands
		leeds      = catalogue.CouncilCode("E08000035") // Yorkshire and The Humber
	)
	trauma := func(l catalogue.NeedLevel) catalogue.Need {
		return catalogue.Need{Kind: catalogue.NeedTrauma, Level: l}
	}
	disab := catalogue.Need{Kind: catalogue.NeedDisabilityHealth, Level: catalogue.LevelHigh}
	plan := func(child catalogue.ChildID, council catalogue.CouncilCode, home catalogue.PlacementID, needs ...catalogue.Need) catalogue.SupportPlan {
		return catalogue.SupportPlan{Child: child, Council: council, Placement: home, Offer: 1, Status: catalogue.SupportOpen,
			Items: catalogue.SupportFor(needs, nil)}
	}
	arrange := func(p catalogue.SupportPlan, k catalogue.NeedKind) catalogue.SupportPlan {
		u := catalogue.SupportUpdate{Version: 1, Items: []catalogue.SupportChange{{Need: k, Arranged: true}}}
		if err := u.Apply(&p, planDay); err != nil {
			t.Fatal(err)
		}
		return p
	}
	closed := plan(9, birmingham, 19, trauma(catalogue.LevelHigh))
	closed.Status = catalogue.SupportClosed
	plans := []catalogue.SupportPlan{
		// Two brothers in one household: one household needs trauma-informed training.
		plan(1, birmingham, 11, trauma(catalogue.LevelHigh)),
		plan(2, birmingham, 11, trauma(catalogue.LevelLow)),
		// Arranged here, so this household's training is arranged.
		arrange(plan(3, birmingham, 12, trauma(catalogue.LevelMedium), disab), catalogue.NeedTrauma),
		// A household with a Birmingham child arranged and a Coventry child waiting.
		arrange(plan(4, birmingham, 13, trauma(catalogue.LevelLow)), catalogue.NeedTrauma),
		plan(5, coventry, 13, trauma(catalogue.LevelLow)),
		plan(6, leeds, 14, disab),
		closed,
	}
	got := catalogue.SummariseSupport(catalogue.SupportNeedsFilter{Region: "E12000005"}, plans)
	bham := catalogue.SupportTally{Plans: 4, Households: 3,
		Training: []catalogue.SkillCount{
			{Skill: catalogue.SkillTraumaInformed, SupportCount: catalogue.SupportCount{Waiting: 1, Arranged: 2}},
			{Skill: catalogue.SkillDisability, SupportCount: catalogue.SupportCount{Waiting: 1}},
		},
		Therapeutic: catalogue.SupportCount{Waiting: 1, Arranged: 1}, // child 1 waits, child 3 arranged
		Equipment:   catalogue.SupportCount{Waiting: 1}}
	cov := catalogue.SupportTally{Plans: 1, Households: 1,
		Training: []catalogue.SkillCount{{Skill: catalogue.SkillTraumaInformed, SupportCount: catalogue.SupportCount{Waiting: 1}}}}
	total := catalogue.SupportTally{Plans: 5, Households: 3,
		Training: []catalogue.SkillCount{
			{Skill: catalogue.SkillTraumaInformed, SupportCount: catalogue.SupportCount{Waiting: 2, Arranged: 1}}, // 13 waits for Coventry's child
			{Skill: catalogue.SkillDisability, SupportCount: catalogue.SupportCount{Waiting: 1}},
		},
		Therapeutic: catalogue.SupportCount{Waiting: 1, Arranged: 1},
		Equipment:   catalogue.SupportCount{Waiting: 1}}
	want := catalogue.SupportNeeds{Region: "E12000005", Total: total,
		Regions:  []catalogue.RegionSupport{{Region: "E12000005", SupportTally: total}},
		Councils: []catalogue.CouncilSupport{{Council: birmingham, SupportTally: bham}, {Council: coventry, SupportTally: cov}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("West Midlands\n got %+v\nwant %+v", got, want)
	}
	if got := catalogue.SummariseSupport(catalogue.SupportNeedsFilter{Council: leeds}, plans); got.Total.Plans != 1 || len(got.Councils) != 1 ||
		got.Total.Equipment != (catalogue.SupportCount{Waiting: 1}) {
		t.Errorf("Leeds: %+v", got)
	}
	if got := catalogue.SummariseSupport(catalogue.SupportNeedsFilter{}, plans); got.Total.Plans != 6 || got.Total.Households != 4 ||
		len(got.Councils) != 3 || len(got.Regions) != 2 || got.Regions[0].Region != "E12000003" || got.Regions[0].Plans != 1 ||
		!reflect.DeepEqual(got.Regions[1].SupportTally, total) {
		t.Errorf("England: %+v", got)
	}
	wantFields(t, catalogue.SupportNeedsFilter{Council: birmingham, Region: "E12000005"}.Validate(), "region")
	wantFields(t, catalogue.SupportNeedsFilter{Region: "E12000010"}.Validate(), "region")
	wantFields(t, catalogue.SupportNeedsFilter{Council: "E0"}.Validate(), "council")
}
