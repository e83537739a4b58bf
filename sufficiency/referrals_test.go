package sufficiency

import (
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/golden"
)

const (
	refLeeds    catalogue.CouncilCode = "E08000035"
	refBradford catalogue.CouncilCode = "E08000032"
	refYorks                          = "E12000003"
)

var refDay = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// handReferrals is a hand-built year of referrals for Leeds: five copies of five children.
//   - child 1 (at risk of sexual exploitation): three agency homes; two said yes (fees £900 and
//     £1,000, a day and two days after), one no;
//   - child 2 (at risk of sexual exploitation): two children's homes, both said no;
//   - child 3: three agency homes: yes after three days (£800), no answer, no;
//   - child 4: two council foster homes: yes after half a day (no fee), no;
//   - child 5: two agency homes, both no.
//
// And one referral sent 400 days before the day, outside the year.
func handReferrals() []catalogue.ReferralFact {
	var out []catalogue.ReferralFact
	sent := refDay.AddDate(0, -2, 0)
	cse := []catalogue.NeedKind{catalogue.NeedExploitationCSE}
	id := catalogue.ReferralID(0)
	add := func(child catalogue.ChildID, council catalogue.CouncilCode, home catalogue.PlacementID, kind catalogue.PlacementKind, needs []catalogue.NeedKind, answer string, hours float64, fee int) {
		id++
		f := catalogue.ReferralFact{Referral: id, Child: child, Council: council, Provider: catalogue.ProviderID(1 + int(home)%4),
			Placement: home, Kind: kind, Needs: needs, SentAt: sent, Status: catalogue.ReferralExpired}
		switch answer {
		case "yes":
			f.Answered, f.Accepted, f.WeeklyFee, f.Status = true, true, fee, catalogue.ReferralAccepted
		case "no":
			f.Answered, f.Decline, f.Status = true, catalogue.DeclineNoCapacity, catalogue.ReferralDeclined
		}
		if f.Answered {
			f.AnsweredAt = sent.Add(time.Duration(hours * float64(time.Hour)))
		}
		out = append(out, f)
	}
	for copy := range 5 {
		c := catalogue.ChildID(copy * 10)
		add(c+1, refLeeds, 1, catalogue.AgencyFoster, cse, "yes", 24, 900)
		add(c+1, refLeeds, 2, catalogue.AgencyFoster, cse, "no", 5, 0)
		add(c+1, refLeeds, 3, catalogue.AgencyFoster, cse, "yes", 48, 1000)
		add(c+2, refLeeds, 4, catalogue.ChildrensHome, cse, "no", 3, 0)
		add(c+2, refLeeds, 5, catalogue.ChildrensHome, cse, "no", 30, 0)
		add(c+3, refLeeds, 1, catalogue.AgencyFoster, nil, "yes", 72, 800)
		add(c+3, refLeeds, 2, catalogue.AgencyFoster, nil, "", 0, 0)
		add(c+3, refLeeds, 3, catalogue.AgencyFoster, nil, "no", 10, 0)
		add(c+4, refLeeds, 6, catalogue.CouncilFoster, nil, "yes", 12, 0)
		add(c+4, refLeeds, 7, catalogue.CouncilFoster, nil, "no", 12, 0)
		add(c+5, refLeeds, 2, catalogue.AgencyFoster, nil, "no", 1, 0)
		add(c+5, refLeeds, 3, catalogue.AgencyFoster, nil, "no", 1, 0)
	}
	add(999, refLeeds, 1, catalogue.AgencyFoster, cse, "yes", 1, 5000)
	out[len(out)-1].SentAt = refDay.AddDate(0, 0, -400)
	return out
}

var handPrices = []catalogue.FrameworkPrice{{Council: refLeeds, Kind: catalogue.AgencyFoster, WeeklyPrice: 900}}

func TestReferralFigures(t *testing.T) {
	t.Parallel()
	ix := newAreaIndex()
	figs, provs := publishReferrals(ix, refDay, handReferrals(), handPrices, nil)
	leeds := figs[ix.byCode[string(refLeeds)]]
	kind := func(k catalogue.PlacementKind) ReferralRate {
		for _, r := range leeds.ByKind {
			if r.Key == string(k) {
				return r
			}
		}
		t.Fatalf("no row for %s", k)
		return ReferralRate{}
	}
	need := func(k catalogue.NeedKind) ReferralRate {
		for _, r := range leeds.ByNeed {
			if r.Key == string(k) {
				return r
			}
		}
		t.Fatalf("no row for %s", k)
		return ReferralRate{}
	}
	for _, tc := range []struct {
		name string
		got  Figure
		want string
	}{
		{"referrals", leeds.All.Referrals, "60"},
		{"accepted", leeds.All.Accepted, "20"},
		{"declined", leeds.All.Declined, "35"},
		{"not answered", leeds.All.NoAnswer, "5"},
		{"accepted %", leeds.All.AcceptedPct, "33.3"},
		{"declined %", leeds.All.DeclinedPct, "58.3"},
		{"agency referrals", kind(catalogue.AgencyFoster).Referrals, "40"},
		{"agency accepted %", kind(catalogue.AgencyFoster).AcceptedPct, "37.5"},
		{"children's homes declined %", kind(catalogue.ChildrensHome).DeclinedPct, "100.0"},
		{"council foster accepted %", kind(catalogue.CouncilFoster).AcceptedPct, "50.0"},
		{"no kinship referrals", kind(catalogue.Kinship).Referrals, "0"},
		{"kinship: no rate", kind(catalogue.Kinship).AcceptedPct, "z"},
		{"CSE referrals", need(catalogue.NeedExploitationCSE).Referrals, "25"},
		{"CSE declined %", need(catalogue.NeedExploitationCSE).DeclinedPct, "60.0"},
		{"children referred", leeds.Children, "25"},
		{"none agreed", leeds.NoneAgreed, "10"},
		{"one agreed", leeds.OneAgreed, "10"},
		{"two or more agreed", leeds.TwoAgreed, "5"},
		{"two or more %", leeds.TwoAgreedPct, "20.0"},
		{"children with an acceptance", leeds.FirstAcceptance[0].Children, "15"},
		{"median days to the first yes", leeds.FirstAcceptance[0].MedianDays, "1.0"},
		{"90th percentile", leeds.FirstAcceptance[0].P90Days, "3.0"},
		{"fees compared", leeds.FeesCompared, "15"},
		{"fees above the price", leeds.FeesAbove, "5"},
		{"fees above %", leeds.FeesAbovePct, "33.3"},
		{"median fee / price", leeds.MedianFeeRatio, "1.00"},
		{"England is Leeds", figs[0].All.Referrals, "60"},
		{"Bradford: none", figs[ix.byCode[string(refBradford)]].All.Referrals, "0"},
	} {
		if s := tc.got.String(); s != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, s, tc.want)
		}
	}
	// First acceptances by kind: agency (children 1 and 3), council foster (child 4).
	for _, tm := range leeds.FirstAcceptance[1:] {
		want := map[string]string{"agency_foster": "10", "council_foster": "5"}[tm.Key]
		if want == "" {
			want = "0"
		}
		if tm.Children.String() != want {
			t.Errorf("first acceptances of %s: %s, want %s", tm.Key, tm.Children, want)
		}
	}
	total := 0.0
	for _, p := range provs {
		total += p.Referrals.Value()
	}
	if len(provs) != 4 || total != 60 {
		t.Errorf("providers: %d with %v referrals, want 4 with 60", len(provs), total)
	}
	golden.Check(t, "testdata/referrals_leeds.txt", strings.Join(leeds.Sentences, "\n")+"\n")

	// The CSV of Leeds's figures.
	r := &Report{Areas: []AreaReport{{Area: ix.list[0], Referrals: &figs[0]}, {Area: ix.list[ix.byCode[string(refLeeds)]], Referrals: &leeds}}, Providers: provs}
	var b strings.Builder
	if err := WriteReferralCSV(&b, r, []*AreaReport{&r.Areas[1]}); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/referrals_leeds.csv", b.String())
}

// TestReferralSuppression: Bradford's three referrals are withheld, and so is a second
// council's figure of the region, so that the region less Leeds does not give them away.
func TestReferralSuppression(t *testing.T) {
	t.Parallel()
	facts := handReferrals()
	sent := refDay.AddDate(0, -1, 0)
	for i := range 3 {
		facts = append(facts, catalogue.ReferralFact{Referral: catalogue.ReferralID(900 + i), Child: 900, Council: refBradford, Provider: 1,
			Placement: catalogue.PlacementID(1 + i), Kind: catalogue.AgencyFoster, SentAt: sent, Answered: true, Accepted: i == 0, AnsweredAt: sent.Add(time.Hour)})
	}
	ix := newAreaIndex()
	figs, _ := publishReferrals(ix, refDay, facts, handPrices, nil)
	brad, leeds, yorks := figs[ix.byCode[string(refBradford)]], figs[ix.byCode[string(refLeeds)]], figs[ix.byCode[refYorks]]
	if !brad.All.Referrals.Withheld() || !brad.All.AcceptedPct.Withheld() || !brad.Children.Withheld() {
		t.Fatalf("Bradford's 3 referrals: %s, accepted %s%%, children %s: want c", brad.All.Referrals, brad.All.AcceptedPct, brad.Children)
	}
	if yorks.All.Referrals.Shown() && leeds.All.Referrals.Shown() {
		t.Errorf("Yorkshire %s less Leeds %s gives Bradford's withheld count away", yorks.All.Referrals, leeds.All.Referrals)
	}
	if len(brad.Sentences) != 0 {
		t.Errorf("sentences of withheld figures: %q", brad.Sentences)
	}
	// A figure withheld is never shown by its area's sentences.
	for _, s := range yorks.Sentences {
		if strings.Contains(s, " c ") {
			t.Errorf("a sentence shows a withheld figure: %q", s)
		}
	}
}
