// Package dashboard renders the commissioner's sufficiency dashboard: server-side HTML from
// embedded templates, with a map of England (each council drawn at its centroid, coloured by
// the share of its children waiting without two real choices), bar charts of that gap by need
// and age, and the benchmark, equity and capacity tables, all as inline SVG and HTML. It loads
// nothing from elsewhere and runs no script, so it works under the strictest
// Content-Security-Policy. The API serves it (api/dashboard.go); this package only renders.
package dashboard

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/sufficiency"
)

//go:embed templates
var files embed.FS

// templates are parsed when first used, not at init: commands that draw no dashboard do not
// pay for them.
var templates = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{
		"gapText": gapText,
		"date":    func(t time.Time) string { return t.Format("2 January 2006") },
		"clock":   func(t time.Time) string { return t.UTC().Format("15:04 MST, 2 January 2006") },
		"signed":  signed,
		"kind":    kindWords,
		"add":     func(a, b int) int { return a + b },
	}).ParseFS(files, "templates/*.html"))
})

// Stylesheet is the dashboard's own stylesheet, beside GOV.UK Frontend's (Page.Stylesheet).
func Stylesheet() []byte {
	b, err := files.ReadFile("templates/dashboard.css")
	if err != nil {
		panic(err)
	}
	return b
}

// Page is what the dashboard shows.
type Page struct {
	Report     *sufficiency.Report
	View       *sufficiency.View
	FreshUntil time.Time
	// Role and Council say who is signed in (a commissioner may be a council's).
	Role    string
	Council string
	// CSRF is the token the sign-out form carries.
	CSRF string
	// Stylesheet is the address of the GOV.UK Frontend stylesheet the workspace serves (the
	// dashboard is built on its components); DefaultStylesheet when empty.
	Stylesheet string
}

// DefaultStylesheet is where the service serves the GOV.UK Frontend stylesheet.
const DefaultStylesheet = "/assets/placematch.css"

// SignIn is the page that asks for a token.
type SignIn struct {
	Error      string // why the last attempt failed, in plain words
	Stylesheet string // as Page.Stylesheet
}

// Render writes the dashboard.
func Render(w io.Writer, p Page) error {
	if p.Stylesheet == "" {
		p.Stylesheet = DefaultStylesheet
	}
	return templates().ExecuteTemplate(w, "dashboard.html", newModel(p))
}

// RenderSignIn writes the sign-in page.
func RenderSignIn(w io.Writer, s SignIn) error {
	if s.Stylesheet == "" {
		s.Stylesheet = DefaultStylesheet
	}
	return templates().ExecuteTemplate(w, "signin.html", s)
}

// model is what the dashboard template reads.
type model struct {
	Page
	Title     string
	Scope     sufficiency.Area
	Summary   sufficiency.Metrics
	Capacity  []sufficiency.KindCapacity
	Stability []sufficiency.IndicatorFigure
	Map       mapModel
	Charts    []chart
	Areas     []sufficiency.Row
	Councils  []option
	Regions   []option
	Segment   string
	// Leaving care: the scope's figures (of all its children, whatever the segment), two bars
	// (young people turning 18 against Staying Put places) and the areas beside it.
	StayingPut     sufficiency.Metrics
	StayingPutBars []bar
	StayingPutRows []sufficiency.Row
	// KinWays are the scope's children cared for by kin outside care, way by way (nil when the
	// report has none); their total is StayingPut.KinCaring.
	KinWays []kinWay
	// Referrals are the scope's referral figures (nil when the report has none); NeedRows the
	// needs with referrals, and Providers England's busiest providers (England's view only).
	Referrals *sufficiency.ReferralFigures
	NeedRows  []sufficiency.ReferralRate
	Providers []sufficiency.ReferralRate
	// Prices are the framework prices of the scope's councils, each with its note (a council's
	// or a region's view; England's would list every council's).
	Prices []price
}

// price is a framework price as the dashboard lists it.
type price struct {
	Council, Kind, Note string
	WeeklyPrice         int
}

// maxProviders bounds the providers the dashboard lists: the busiest, as the report orders them.
const maxProviders = 10

type option struct {
	Code, Name string
	Selected   bool
}

func newModel(p Page) model {
	v := p.View
	m := model{Page: p, Scope: v.Scope.Area, Summary: v.Areas[0].Metrics, Capacity: v.Scope.Capacity, Stability: v.Scope.Stability}
	m.Title = "Sufficiency: " + v.Scope.Area.Name
	m.Map = newMap(p.Report, v)
	for _, d := range []sufficiency.Dimension{sufficiency.DimKeyNeed, sufficiency.DimAgeBand, sufficiency.DimCareType} {
		m.Charts = append(m.Charts, newChart(v, d))
	}
	for _, row := range v.Areas[1:] {
		if row.Area.Level == sufficiency.LevelRegion || (v.Scope.Area.Level != sufficiency.LevelEngland) {
			m.Areas = append(m.Areas, row)
		}
	}
	for _, c := range catalogue.Councils() {
		m.Councils = append(m.Councils, option{Code: string(c.Code), Name: c.Name, Selected: string(c.Code) == string(v.Filter.Council)})
	}
	slices.SortFunc(m.Councils, func(a, b option) int { return strings.Compare(a.Name, b.Name) })
	for _, r := range catalogue.Regions() {
		m.Regions = append(m.Regions, option{Code: string(r.Code), Name: r.Name, Selected: string(r.Code) == string(v.Filter.Region)})
	}
	m.Segment = v.Filter.Segment
	m.StayingPut = v.Scope.All().Metrics
	m.StayingPutBars = stayingPutBars(&m.StayingPut)
	m.StayingPutRows = sufficiency.StayingPutRows(v)
	m.KinWays = kinWays(&m.StayingPut)
	if f := v.Scope.Referrals; f != nil {
		m.Referrals = f
		for _, r := range f.ByNeed {
			if r.Referrals.Withheld() || r.Referrals.Value() > 0 {
				m.NeedRows = append(m.NeedRows, r)
			}
		}
		if v.Scope.Area.Level == sufficiency.LevelEngland {
			m.Providers = p.Report.Providers[:min(len(p.Report.Providers), maxProviders)]
		} else {
			for _, fp := range p.Report.FrameworkPrices(v.Scope.Area) {
				name := string(fp.Council)
				if c, ok := catalogue.CouncilByCode(fp.Council); ok {
					name = c.Name
				}
				m.Prices = append(m.Prices, price{Council: name, Kind: kindWords(string(fp.Kind)), Note: fp.Note, WeeklyPrice: fp.WeeklyPrice})
			}
		}
	}
	return m
}

// stayingPutBars draws the scope's young people turning 18 against its Staying Put places, on
// one scale: the larger fills the track.
func stayingPutBars(m *sufficiency.Metrics) []bar {
	top := math.Max(m.TurningEighteen.Value(), m.StayingPutPlaces.Value())
	out := []bar{
		{Label: "Young people turning 18", Fill: "#1d70b8"},
		{Label: "Staying Put places", Fill: "#00703c"},
	}
	for i, f := range []sufficiency.Figure{m.TurningEighteen, m.StayingPutPlaces} {
		b := &out[i]
		b.Y, b.Value = float64(i)*(barHeight+8), f.String()
		if f.Shown() && top > 0 {
			b.Width = round1(barWidth * f.Value() / top)
		}
	}
	return out
}

// gap is the share of children waiting without two real choices: the dashboard's measure of
// where need outstrips supply.
func gap(m *sufficiency.Metrics) sufficiency.Figure { return m.ShortOfTwoPct }

func gapText(m sufficiency.Metrics) string {
	g := gap(&m)
	switch {
	case g.Withheld():
		return "withheld (small numbers)"
	case !g.Shown():
		return "no child waiting"
	}
	return g.String() + "% short of two real choices"
}

func signed(f sufficiency.Figure) string {
	if f.Shown() && f.Value() > 0 {
		return "+" + f.String()
	}
	return f.String()
}

// Colours of the gap, light to dark (a sequential scale readable in greyscale), and of
// withheld and empty areas.
var (
	scale    = []string{"#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"}
	bounds   = []float64{10, 20, 30, 45} // % short of two choices: upper bounds of all but the last colour
	withheld = "#bdbdbd"
	empty    = "#ffffff"
)

func colour(g sufficiency.Figure) string {
	switch {
	case g.Withheld():
		return withheld
	case !g.Shown():
		return empty
	}
	for i, b := range bounds {
		if g.Value() < b {
			return scale[i]
		}
	}
	return scale[len(scale)-1]
}

// legend is one key of the map.
type legend struct {
	Colour, Label string
	Y             float64
}

func legends() []legend {
	var out []legend
	lo := 0.0
	for i, c := range scale {
		label := fmt.Sprintf("%.0f%% or more", lo)
		if i < len(bounds) {
			label = fmt.Sprintf("%.0f%% to under %.0f%%", lo, bounds[i])
			lo = bounds[i]
		}
		out = append(out, legend{Colour: c, Label: label})
	}
	out = append(out, legend{Colour: withheld, Label: "withheld (small numbers)"}, legend{Colour: empty, Label: "no child waiting"})
	for i := range out {
		out[i].Y = 24 + float64(i)*18
	}
	return out
}

// mapModel is the map of England: a dot per council at its centroid.
type mapModel struct {
	Width, Height float64
	Dots          []dot
	Legend        []legend
}

type dot struct {
	X, Y, R  float64
	Fill     string
	Stroke   string
	Title    string
	Href     string
	Selected bool
}

// England's extent, for the projection: an equirectangular projection scaled by the cosine of
// the middle latitude, so that distances east and north look alike.
const (
	minLat, maxLat = 49.85, 55.85
	minLng, maxLng = -5.8, 1.8
	mapWidth       = 440.0
)

func project(l catalogue.Location) (x, y float64) {
	k := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	w := (maxLng - minLng) * k
	s := mapWidth / w
	return (l.Lng-minLng)*k*s + 10, (maxLat-l.Lat)*s + 10
}

func newMap(r *sufficiency.Report, v *sufficiency.View) mapModel {
	_, h := project(catalogue.Location{Lat: minLat, Lng: minLng})
	m := mapModel{Width: mapWidth + 200, Height: h + 10, Legend: legends()}
	for i := range r.Areas {
		ar := &r.Areas[i]
		if ar.Area.Level != sufficiency.LevelCouncil {
			continue
		}
		met := ar.All().Metrics
		if v.Filter.Segment != "" {
			if row, ok := ar.Row(segmentKey(v.Filter.Segment)); ok {
				met = row.Metrics
			} else {
				met = sufficiency.Metrics{}
			}
		}
		x, y := project(ar.Area.Centre)
		waiting := met.Waiting.Value()
		rad := 3 + math.Min(9, math.Sqrt(waiting)/1.5)
		if met.Waiting.Withheld() {
			rad = 3
		}
		q := url.Values{"council": {ar.Area.Code}}
		if v.Filter.Segment != "" {
			q.Set("segment", v.Filter.Segment)
		}
		d := dot{X: round1(x), Y: round1(y), R: round1(rad), Fill: colour(gap(&met)), Stroke: "#636363",
			Title: fmt.Sprintf("%s: %s (%s children waiting)", ar.Area.Name, gapText(met), met.Waiting),
			Href:  "?" + q.Encode(), Selected: ar.Area.Code == v.Scope.Area.Code || ar.Area.Region == v.Scope.Area.Code}
		if d.Selected && v.Scope.Area.Level != sufficiency.LevelEngland {
			d.Stroke = "#000000"
		}
		m.Dots = append(m.Dots, d)
	}
	// Small dots last, so that they are not hidden under big ones.
	slices.SortStableFunc(m.Dots, func(a, b dot) int { return int(10 * (b.R - a.R)) })
	return m
}

func segmentKey(s string) string {
	if b, err := sufficiency.ParseBreakdown(s); err == nil {
		return b.Key()
	}
	return s
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// chart is a horizontal bar chart of the gap by the groups of one dimension.
type chart struct {
	Title  string
	Height float64
	Bars   []bar
}

type bar struct {
	Label  string
	Value  string
	Y      float64
	Width  float64
	Fill   string
	Waited string
}

const (
	barWidth  = 300.0
	barHeight = 18.0
	labelW    = 300.0
)

func newChart(v *sufficiency.View, d sufficiency.Dimension) chart {
	title := map[sufficiency.Dimension]string{
		sufficiency.DimKeyNeed:  "Short of two real choices, by key need",
		sufficiency.DimAgeBand:  "Short of two real choices, by age",
		sufficiency.DimCareType: "Short of two real choices, by care assessed",
	}[d]
	c := chart{Title: title}
	for _, row := range v.Breakdowns {
		if row.Breakdown.Dimension != d {
			continue
		}
		g := gap(&row.Metrics)
		b := bar{Label: row.Breakdown.Label, Value: g.String() + "%", Y: float64(len(c.Bars)) * (barHeight + 8), Fill: colour(g),
			Waited: row.Metrics.Waiting.String()}
		switch {
		case g.Withheld():
			b.Value = "c"
		case !g.Shown():
			b.Value = "z"
		default:
			b.Width = round1(barWidth * g.Value() / 100)
		}
		c.Bars = append(c.Bars, b)
	}
	c.Height = float64(len(c.Bars))*(barHeight+8) + 4
	return c
}

// kindWords names a kind of placement in the capacity table.
func kindWords(k string) string {
	switch catalogue.PlacementKind(k) {
	case catalogue.CouncilFoster:
		return "Council foster carers"
	case catalogue.AgencyFoster:
		return "Agency foster carers"
	case catalogue.Kinship:
		return "Kinship carers"
	case catalogue.ChildrensHome:
		return "Children's homes"
	case catalogue.SupportedAccommodation:
		return "Supported accommodation"
	}
	return "All placements"
}

// GapColour is the colour the dashboard gives a share of children short of two real choices
// (withheld and no child waiting have their own), for other maps drawn on the same scale.
func GapColour(g sufficiency.Figure) string { return colour(g) }

// GapKey is the key of that scale: each colour with what it means, light to dark, then
// withheld and no child waiting.
func GapKey() (colours, labels []string) {
	for _, l := range legends() {
		colours, labels = append(colours, l.Colour), append(labels, l.Label)
	}
	return colours, labels
}

// GapText is a share short of two real choices in words, as the dashboard's map says it.
func GapText(m sufficiency.Metrics) string { return gapText(m) }
