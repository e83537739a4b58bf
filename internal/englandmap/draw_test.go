package englandmap

import (
	"encoding/xml"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/golang/geo/s2"

	"github.com/placematch/placematch/catalogue"
)

// TestCouncilsAreEngland's: the boundaries name every council of the catalogue, and no other.
func TestCouncilsAreEngland(t *testing.T) {
	t.Parallel()
	var want []string
	for _, c := range catalogue.Councils() {
		want = append(want, string(c.Code))
	}
	slices.Sort(want)
	if got := Councils(); !slices.Equal(got, want) {
		t.Errorf("the map's councils (%d) are not the catalogue's (%d)", len(got), len(want))
	}
}

// TestCoarse: a person is drawn at the centre of their level-13 cell: twice coarse is coarse,
// it is within the cell's reach (under a kilometre), and two points of one cell draw alike.
func TestCoarse(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		lat, lng := 50+r.Float64()*5.5, -5.5+r.Float64()*7
		clat, clng := Coarse(lat, lng)
		if a, b := Coarse(clat, clng); math.Abs(a-clat) > 1e-9 || math.Abs(b-clng) > 1e-9 {
			t.Fatalf("Coarse(%v, %v) moved a cell centre to %v, %v", clat, clng, a, b)
		}
		d := s2.LatLngFromDegrees(lat, lng).Distance(s2.LatLngFromDegrees(clat, clng)).Radians() * 6371
		if d > 1 {
			t.Fatalf("Coarse(%v, %v) is %.2f km away", lat, lng, d)
		}
		if cell := s2.CellIDFromLatLng(s2.LatLngFromDegrees(lat, lng)).Parent(CoarseLevel); cell != s2.CellIDFromLatLng(s2.LatLngFromDegrees(clat, clng)).Parent(CoarseLevel) {
			t.Fatalf("Coarse(%v, %v) left its cell", lat, lng)
		}
	}
}

var numbers = regexp.MustCompile(`-?[0-9]+(\.[0-9]+)?`)

func TestSVG(t *testing.T) {
	t.Parallel()
	home := Mark{Label: "H", Text: "home", Shape: Square, Lat: 53.4808, Lng: -2.2426, Person: true}
	near := home
	near.Lat, near.Lng = home.Lat+0.0004, home.Lng+0.0004 // the same level-13 cell, a finer point
	if c1, c2 := s2.CellIDFromLatLng(s2.LatLngFromDegrees(home.Lat, home.Lng)).Parent(13), s2.CellIDFromLatLng(s2.LatLngFromDegrees(near.Lat, near.Lng)).Parent(13); c1 != c2 {
		t.Fatal("the fixture's points are not in one cell")
	}
	option := Mark{Label: "1", Text: "Option 1: Oak House", Shape: Circle, Lat: 53.8, Lng: -2.5}
	tests := []struct {
		name     string
		m        Map
		want     []string // in the SVG
		framedOn []Mark   // inside the view box
	}{
		{"marks", Map{ID: "m", Title: "Where", Summary: "Two points.", Marks: []Mark{home, option}},
			[]string{`role="img"`, `aria-labelledby="m-title m-desc"`, `<title id="m-title">Where</title>`, `<desc id="m-desc">Two points. H: home. 1: Option 1: Oak House.</desc>`, `>H</text>`, `>1</text>`, `<rect x=`},
			[]Mark{home, option}},
		{"choropleth", Map{ID: "c", Title: "Short", Fill: map[string]string{"E10000017": "#d4351c"}, Councils: []string{"E10000017"}},
			[]string{`fill="#d4351c" stroke="#d4351c" stroke-width="0.5" vector-effect="non-scaling-stroke" data-council="E10000017"`, `data-council="E08000001"`},
			nil},
		{"England", Map{ID: "e", Title: "England"}, []string{`data-council="E09000001"`, `data-council="E06000057"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svg := tt.m.SVG()
			if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
				t.Fatalf("not well-formed: %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(svg, w) {
					t.Errorf("the SVG lacks %q", w)
				}
			}
			vb := regexp.MustCompile(`viewBox="([^"]+)"`).FindStringSubmatch(svg)
			var v [4]float64
			for i, f := range strings.Fields(vb[1]) {
				v[i], _ = strconv.ParseFloat(f, 64)
			}
			for _, k := range tt.framedOn {
				x, y := Project(k.Lat, k.Lng)
				if x < v[0] || x > v[0]+v[2] || y < v[1] || y > v[1]+v[3] {
					t.Errorf("%s at %v,%v is outside the view %v", k.Text, x, y, v)
				}
				if v[2] < MinSpanKm/Unit || v[3] < MinSpanKm/Unit {
					t.Errorf("the view %v is narrower than %d km", v, MinSpanKm)
				}
			}
		})
	}
	// A person's finer point is never drawn: two points of one cell give the same map.
	a := Map{ID: "p", Title: "p", Marks: []Mark{home}}.SVG()
	b := Map{ID: "p", Title: "p", Marks: []Mark{near}}.SVG()
	if a != b {
		t.Error("two points of one level-13 cell drew differently: a person's finer point leaks")
	}
	fine := near
	fine.Person = false
	if c := (Map{ID: "p", Title: "p", Marks: []Mark{fine}}).SVG(); c == a {
		t.Error("a place's exact point was drawn coarse: the test above cannot fail")
	}
	if n := len(numbers.FindAllString(a, -1)); n > 20000 {
		t.Errorf("a map framed on one point has %d numbers: it draws far too much", n)
	}
}

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"a 1\n", "a 1 2\nc X 0,7\n", "b 3\n", "z\n", "a 1 x\n"} {
		if _, err := parse([]byte(bad)); err == nil {
			t.Errorf("parse(%q) accepted it", bad)
		}
	}
}
