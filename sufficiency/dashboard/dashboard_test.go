package dashboard_test

import (
	"bytes"
	"context"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/sufficiency"
	"github.com/placematch/placematch/sufficiency/dashboard"
	"github.com/placematch/placematch/synth"
)

// tyneside is five councils of the synthetic England at national scale.
var tyneside = []catalogue.CouncilCode{"E08000021", "E08000022", "E08000023", "E08000024", "E08000037"}

var (
	batchOnce sync.Once
	batch     catalogue.Batch
	batchCfg  synth.Config
)

func tynesideBatch(t testing.TB) (catalogue.Batch, synth.Config) {
	t.Helper()
	batchOnce.Do(func() {
		batchCfg = synth.National()
		batchCfg.Councils = tyneside
		var err error
		if batch, err = synth.Generate(batchCfg); err != nil {
			t.Fatal(err)
		}
	})
	return batch, batchCfg
}

// kinCaring are Tyneside's children cared for by kin outside care: Newcastle's and North
// Tyneside's shown, Gateshead's few withheld.
var kinCaring = []catalogue.KinCaringCount{
	{Council: tyneside[0], Caring: catalogue.CaringFamilyArrangement, Children: 31},
	{Council: tyneside[0], Caring: catalogue.CaringChildArrangementsOrder, Children: 12},
	{Council: tyneside[0], Caring: catalogue.CaringSpecialGuardianship, Children: 40},
	{Council: tyneside[1], Caring: catalogue.CaringFamilyArrangement, Children: 17},
	{Council: tyneside[1], Caring: catalogue.CaringChildArrangementsOrder, Children: 9},
	{Council: tyneside[1], Caring: catalogue.CaringSpecialGuardianship, Children: 22},
	{Council: tyneside[4], Caring: catalogue.CaringChildArrangementsOrder, Children: 3},
}

func report(t *testing.T) *sufficiency.Report {
	t.Helper()
	b, cfg := tynesideBatch(t)
	w := synth.Materialise(b, cfg.Today)
	r, err := sufficiency.Analyse(context.Background(), sufficiency.Input{Today: w.Today, Children: w.Children, Groups: w.SiblingGroups,
		Placements: w.Placements, LoadedAt: w.Today, TurningEighteen: sufficiency.TurningEighteenFromHistories(w.Children, w.Episodes, w.Today),
		Referrals: referralFacts(b, cfg), FrameworkPrices: synth.FrameworkPrices(b), KinCaring: kinCaring},
		sufficiency.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// referralFacts are the synthetic referral histories of the batch as the report reads them.
func referralFacts(b catalogue.Batch, cfg synth.Config) []catalogue.ReferralFact {
	kinds := map[catalogue.PlacementID]catalogue.PlacementKind{}
	for _, p := range b.Placements {
		kinds[p.ID] = p.Kind
	}
	needs := map[catalogue.ChildID][]catalogue.Need{}
	for _, c := range b.Children {
		needs[c.ID] = c.Needs
	}
	names := map[catalogue.ProviderID]string{}
	for _, p := range b.Providers {
		names[p.ID] = p.Name
	}
	var out []catalogue.ReferralFact
	for _, r := range synth.Referrals(b, cfg.Today, cfg.Seed) {
		f := catalogue.FactOf(r, kinds[r.Placement], needs[r.Child])
		f.ProviderName = names[r.Provider]
		out = append(out, f)
	}
	return out
}

// TestRender: the dashboard of England and of a council: every council on the map, the bar
// charts, the benchmark for a council, no script, no address outside the site, the gap of each
// council in its circle's title.
func TestRender(t *testing.T) {
	t.Parallel()
	r := report(t)
	for _, f := range []sufficiency.Filter{{}, {Council: tyneside[0]}, {Region: "E12000001", Segment: "key_need:siblings_3_plus"}} {
		v, err := r.View(f)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := dashboard.Render(&b, dashboard.Page{Report: r, View: v, FreshUntil: r.ComputedAt, Role: "commissioner", CSRF: "abc"}); err != nil {
			t.Fatal(err)
		}
		html := b.String()
		// Built on GOV.UK Frontend's components: its stylesheet, its table, heading and form
		// classes; the checks below read the figures with the table's classes left out.
		for _, want := range []string{`href="/assets/placematch.css"`, `class="govuk-table"`, `class="govuk-heading-m"`, `class="govuk-select"`, `class="govuk-header"`} {
			if !strings.Contains(html, want) {
				t.Errorf("%+v: not on GOV.UK Frontend: no %s", f, want)
			}
		}
		html = tableClasses.ReplaceAllString(html, "")
		if n := strings.Count(html, `class="council"`); n != len(catalogue.Councils()) {
			t.Errorf("%+v: %d councils on the map", f, n)
		}
		if !strings.Contains(html, `<svg class="chart"`) || !strings.Contains(html, `id="equity"`) || !strings.Contains(html, `id="capacity"`) {
			t.Errorf("%+v: charts or tables missing", f)
		}
		// Every group that fares worse has its gap's decomposition under its name.
		decomposed := 0
		if v.Equity != nil && f.Segment == "" {
			for _, d := range v.Equity.Dimensions {
				for _, g := range d.Groups {
					for _, x := range g.Decompositions {
						decomposed++
						if !strings.Contains(html, template.HTMLEscapeString(x.Text)) {
							t.Errorf("%+v: %s: the decomposition %q is not shown", f, g.Noun, x.Text)
						}
					}
				}
			}
		}
		if f == (sufficiency.Filter{}) && decomposed == 0 {
			t.Error("England: no group's gap decomposed")
		}
		if (f.Council != "") != strings.Contains(html, `id="benchmark"`) {
			t.Errorf("%+v: benchmark shown %v", f, strings.Contains(html, `id="benchmark"`))
		}
		for _, bad := range []string{"<script", "http://", "https://", " style=", "javascript:"} {
			if strings.Contains(html, bad) {
				t.Errorf("%+v: the page contains %q", f, bad)
			}
		}
		// Every Tyneside council's circle is titled with its gap, or says it is withheld.
		shown, withheld := 0, 0
		for _, code := range tyneside {
			area, _ := r.Area(string(code))
			g := area.All().Metrics.ShortOfTwoPct
			want := area.Area.Name + ": " + g.String() + "% short of two real choices"
			if g.Withheld() {
				want, withheld = area.Area.Name+": withheld (small numbers)", withheld+1
			} else {
				shown++
			}
			if f.Segment == "" && (f.Council == "" || f.Council == code) && !strings.Contains(html, want) {
				t.Errorf("%+v: no circle titled %q", f, want)
			}
		}
		if shown == 0 {
			t.Errorf("every Tyneside council's gap is withheld (%d): the fixture shows nothing", withheld)
		}
		// Leaving care: the scope's young people turning 18 and Staying Put places, and the
		// areas beside it (none for a segment).
		sp := v.Scope.All().Metrics
		for _, want := range []string{`id="staying-put-chart"`, "Young people turning 18: " + sp.TurningEighteen.String() + "; Staying Put places: " + sp.StayingPutPlaces.String()} {
			if !strings.Contains(html, want) {
				t.Errorf("%+v: no %q", f, want)
			}
		}
		if !sp.TurningEighteen.Shown() || sp.StayingPutPlaces.Value() == 0 {
			t.Errorf("%+v: the scope's Staying Put figures %s and %s", f, sp.TurningEighteen, sp.StayingPutPlaces)
		}
		if (f.Segment == "") != strings.Contains(html, `id="staying-put"`) {
			t.Errorf("%+v: the Staying Put table shown %v", f, strings.Contains(html, `id="staying-put"`))
		}
		if f.Council != "" {
			table := html[strings.Index(html, `id="staying-put-chart"`):]
			table = table[:strings.Index(table, "</table>")]
			ne, _ := r.Area("E12000001")
			for _, want := range []string{`<a href="?region=E12000001">North East</a></th><td>` + ne.All().Metrics.TurningEighteen.String() + "</td>",
				`<a href="?">England</a></th><td>` + r.England().All().Metrics.TurningEighteen.String() + "</td>"} {
				if !strings.Contains(table, want) {
					t.Errorf("%+v: the Staying Put table lacks %q", f, want)
				}
			}
		}
		// The DfE's combined indicator beside today's, and the scope's own and external foster
		// supply, as the report publishes them.
		sum := v.Areas[0].Metrics
		for _, want := range []string{
			"<span class=\"n\">" + sum.OutsideBeyond20Pct.String() + "%</span><span class=\"l\">of those placed, outside their council and over 20 miles",
			"The council's own foster carers</th><td>" + sp.OwnFosterPlaces.String() + "</td>",
			"shared by an agreement</th><td>" + sp.SharedInFosterPlaces.String() + "</td>",
			"Agency foster carers in the area</th><td>" + sp.AgencyFosterPlaces.String() + "</td>",
			"average weekly cost (" + r.PriceBasis() + ")",
		} {
			if !strings.Contains(html, want) {
				t.Errorf("%+v: no %q", f, want)
			}
		}
		// Children cared for by family or friends outside care: each way's figure as the report
		// publishes it, and all of them.
		kin := v.Scope.All().Metrics
		for k, c := range catalogue.Carings {
			if want := "<th scope=\"row\">" + c.ReportWords() + "</th><td>" + kin.KinCaringBy[k].String() + "</td>"; !strings.Contains(html, want) {
				t.Errorf("%+v: the kin caring table lacks %q", f, want)
			}
		}
		if want := "outside care</th><td>" + kin.KinCaring.String() + "</td>"; !strings.Contains(html, want) || !kin.KinCaring.Shown() {
			t.Errorf("%+v: the kin caring table lacks %q, or it is not shown", f, want)
		}
		// Referrals in the year: the scope's figures as the report publishes them (withheld as
		// "c"), by kind of home, and England's providers in England's view only.
		ref := v.Scope.Referrals
		for _, want := range []string{`id="referrals-kind"`, `id="referrals-children"`, `id="referrals-fees"`,
			"<span class=\"n\">" + ref.All.Referrals.String() + "</span><span class=\"l\">referrals sent, for " + ref.Children.String() + " children",
			"<th scope=\"row\">Children&#39;s homes</th><td>" + ref.ByKind[3].Referrals.String() + "</td><td>" + ref.ByKind[3].AcceptedPct.String() + "</td>",
			"<span class=\"n\">" + ref.ToPlacement.MedianDays.String() + "</span><span class=\"l\">days, median, from a child's first referral to their move into a home (" + ref.ToPlacement.Children.String() + " children moved"} {
			if !strings.Contains(html, want) {
				t.Errorf("%+v: the referral figures lack %q", f, want)
			}
		}
		if !ref.All.Referrals.Shown() || ref.All.Referrals.Value() < 5 {
			t.Errorf("%+v: the scope's referrals %s: the synthetic histories give none", f, ref.All.Referrals)
		}
		if (f == sufficiency.Filter{}) != strings.Contains(html, `id="referrals-providers"`) {
			t.Errorf("%+v: the providers' table shown %v", f, strings.Contains(html, `id="referrals-providers"`))
		}
		// Every bar's width is its share of the 300-pixel track.
		for _, m := range regexp.MustCompile(`class="bar" x="300" y="0" width="([0-9.]+)"`).FindAllStringSubmatch(html, -1) {
			if w, err := strconv.ParseFloat(m[1], 64); err != nil || w < 0 || w > 300 {
				t.Errorf("a bar %s wide overflows its track", m[1])
			}
		}
	}
	var b bytes.Buffer
	if err := dashboard.RenderSignIn(&b, dashboard.SignIn{Error: "<b>bad</b>"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "&lt;b&gt;bad&lt;/b&gt;") || !strings.Contains(b.String(), `type="password"`) || !strings.Contains(b.String(), "govuk-error-summary") {
		t.Errorf("sign-in page: %s", b.String())
	}
	if css := dashboard.Stylesheet(); !bytes.Contains(css, []byte(".cards")) {
		t.Error("no stylesheet")
	}
}

// tableClasses are GOV.UK Frontend's classes on a table's rows and cells.
var tableClasses = regexp.MustCompile(` class="govuk-table__(?:header|cell|row|head|body)"`)
