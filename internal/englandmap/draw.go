package englandmap

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"html"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/golang/geo/s2"
)

//go:embed boundaries.txt
var boundariesTxt []byte

// Shape is how a mark is drawn, so that kinds of point differ by shape as well as colour.
type Shape int

const (
	Circle Shape = iota
	Square
	Triangle
	Diamond
)

// Mark is one point on a map.
type Mark struct {
	Label    string // the few characters drawn beside it: "H", "S", "1"
	Text     string // what it is, in the map's text alternative: "Option 1: Oak House"
	Shape    Shape
	Colour   string // a fill colour
	Lat, Lng float64
	// Person: a person's location (a child's home, a contact's), drawn no finer than the store
	// keeps it: the centre of its S2 cell of level 13 (DESIGN.md section 9).
	Person bool
}

// Map is a map to draw: its title and summary (the text alternative's first words), its
// marks, and the councils filled by colour (a choropleth; the rest are drawn plain).
type Map struct {
	ID             string // the prefix of the SVG's element IDs, unique on the page
	Title, Summary string
	Marks          []Mark
	Fill           map[string]string // council code -> colour
	// Councils, when given, are the councils the map is framed on; else it is framed on the
	// marks (with a margin, and at least MinSpanKm across), or England without either.
	Councils []string
}

// MinSpanKm is the least width and height a map framed on its marks shows.
const MinSpanKm = 40

// CoarseLevel is the S2 cell level people's locations are kept at (about 1 km).
const CoarseLevel = 13

// Coarse is the centre of the level-13 S2 cell holding a point: where a person is drawn.
func Coarse(lat, lng float64) (float64, float64) {
	ll := s2.CellIDFromLatLng(s2.LatLngFromDegrees(lat, lng)).Parent(CoarseLevel).LatLng()
	return ll.Lat.Degrees(), ll.Lng.Degrees()
}

type box struct{ x0, y0, x1, y1 float64 }

func emptyBox() box { return box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)} }

func (b *box) add(x, y float64) {
	b.x0, b.y0, b.x1, b.y1 = min(b.x0, x), min(b.y0, y), max(b.x1, x), max(b.y1, y)
}

func (b box) empty() bool { return b.x0 > b.x1 }

func (b box) meets(o box) bool { return b.x0 <= o.x1 && o.x0 <= b.x1 && b.y0 <= o.y1 && o.y0 <= b.y1 }

type council struct {
	code  string
	rings [][]int // arcs, ^i reversed
	box   box
}

type boundaries struct {
	arcs     [][]float64 // x y x y ...
	arcBox   []box
	councils []council
	byCode   map[string]int
	border   []int // the arcs drawn as boundaries
	all      box
}

var loadBoundaries = sync.OnceValue(func() *boundaries {
	b, err := parse(boundariesTxt)
	if err != nil {
		panic("englandmap: embedded boundaries are corrupt: " + err.Error())
	}
	return b
})

func parse(data []byte) (*boundaries, error) {
	b := &boundaries{byCode: map[string]int{}, all: emptyBox()}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || f[0] == "#" {
			continue
		}
		switch f[0] {
		case "a":
			pts := make([]float64, len(f)-1)
			bx := emptyBox()
			for i, s := range f[1:] {
				v, err := strconv.Atoi(s)
				if err != nil {
					return nil, fmt.Errorf("line %d: %w", n, err)
				}
				pts[i] = float64(v)
			}
			if len(pts)%2 != 0 || len(pts) == 0 {
				return nil, fmt.Errorf("line %d: an arc needs pairs of numbers", n)
			}
			for i := 0; i < len(pts); i += 2 {
				bx.add(pts[i], pts[i+1])
			}
			b.arcs, b.arcBox = append(b.arcs, pts), append(b.arcBox, bx)
			b.all.add(bx.x0, bx.y0)
			b.all.add(bx.x1, bx.y1)
		case "c":
			if len(f) != 3 {
				return nil, fmt.Errorf("line %d: a council needs a code and rings", n)
			}
			c := council{code: f[1], box: emptyBox()}
			for _, r := range strings.Split(f[2], ";") {
				var ring []int
				for _, s := range strings.Split(r, ",") {
					rev := strings.HasPrefix(s, "~")
					i, err := strconv.Atoi(strings.TrimPrefix(s, "~"))
					if err != nil || i < 0 || i >= len(b.arcs) {
						return nil, fmt.Errorf("line %d: bad arc %q", n, s)
					}
					bx := b.arcBox[i]
					c.box.add(bx.x0, bx.y0)
					c.box.add(bx.x1, bx.y1)
					if rev {
						i = ^i
					}
					ring = append(ring, i)
				}
				c.rings = append(c.rings, ring)
			}
			b.byCode[c.code] = len(b.councils)
			b.councils = append(b.councils, c)
		case "b":
			for _, s := range f[1:] {
				i, err := strconv.Atoi(s)
				if err != nil || i < 0 || i >= len(b.arcs) {
					return nil, fmt.Errorf("line %d: bad arc %q", n, s)
				}
				b.border = append(b.border, i)
			}
		default:
			return nil, fmt.Errorf("line %d: unknown line %q", n, f[0])
		}
	}
	return b, sc.Err()
}

// Councils are the codes of the councils drawn, sorted.
func Councils() []string {
	b := loadBoundaries()
	out := make([]string, len(b.councils))
	for i, c := range b.councils {
		out[i] = c.code
	}
	slices.Sort(out)
	return out
}

// Plain is the fill of a council without a colour of its own.
const Plain = "#f3f2f1"

// SVG draws the map: an inline SVG with role="img", its title, and a description naming
// every mark (the text alternative: a mark's colour is never all that tells it apart).
func (m Map) SVG() string {
	b := loadBoundaries()
	view := m.frame(b)
	w, h := view.x1-view.x0, view.y1-view.y0
	r := max(w, h) / 90 // a mark's size
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" class="pm-map" width="100%%" viewBox="%s %s %s %s" role="img" aria-labelledby="%[5]s-title %[5]s-desc" preserveAspectRatio="xMidYMid meet">`,
		num(view.x0), num(view.y0), num(w), num(h), m.ID)
	fmt.Fprintf(&s, `<title id="%s-title">%s</title>`, m.ID, html.EscapeString(m.Title))
	desc := m.Summary
	for _, k := range m.Marks {
		desc += " " + k.Label + ": " + k.Text + "."
	}
	fmt.Fprintf(&s, `<desc id="%s-desc">%s</desc>`, m.ID, html.EscapeString(strings.TrimSpace(desc)))
	fmt.Fprintf(&s, `<rect x="%s" y="%s" width="%s" height="%s" fill="#ffffff"/>`, num(view.x0), num(view.y0), num(w), num(h))
	for _, c := range b.councils {
		if !c.box.meets(view) {
			continue
		}
		fill := Plain
		if f, ok := m.Fill[c.code]; ok {
			fill = f
		}
		fmt.Fprintf(&s, `<path fill="%s" stroke="%[1]s" stroke-width="0.5" vector-effect="non-scaling-stroke" data-council="%s" d="%s"/>`, html.EscapeString(fill), c.code, b.ringsPath(c.rings))
	}
	s.WriteString(`<path fill="none" stroke="#505a5f" stroke-width="1" vector-effect="non-scaling-stroke" stroke-linejoin="round" d="`)
	for _, i := range b.border {
		if b.arcBox[i].meets(view) {
			b.arcPath(&s, i, true)
		}
	}
	s.WriteString(`"/>`)
	for _, k := range m.Marks {
		lat, lng := k.Lat, k.Lng
		if k.Person {
			lat, lng = Coarse(lat, lng)
		}
		x, y := Project(lat, lng)
		colour := k.Colour
		if colour == "" {
			colour = "#1d70b8"
		}
		s.WriteString(`<g>`)
		switch k.Shape {
		case Square:
			fmt.Fprintf(&s, `<rect x="%s" y="%s" width="%s" height="%[3]s"`, num(x-r), num(y-r), num(2*r))
		case Triangle:
			fmt.Fprintf(&s, `<path d="M%s %sL%s %sL%s %sZ"`, num(x), num(y-1.3*r), num(x+1.2*r), num(y+r), num(x-1.2*r), num(y+r))
		case Diamond:
			fmt.Fprintf(&s, `<path d="M%s %sL%s %sL%s %sL%s %sZ"`, num(x), num(y-1.4*r), num(x+1.4*r), num(y), num(x), num(y+1.4*r), num(x-1.4*r), num(y))
		default:
			fmt.Fprintf(&s, `<circle cx="%s" cy="%s" r="%s"`, num(x), num(y), num(r))
		}
		fmt.Fprintf(&s, ` fill="%s" stroke="#0b0c0c" stroke-width="1.5" vector-effect="non-scaling-stroke"/>`, html.EscapeString(colour))
		fmt.Fprintf(&s, `<text x="%s" y="%s" font-size="%s" font-family="system-ui, sans-serif" font-weight="bold" fill="#0b0c0c" stroke="#ffffff" stroke-width="3" paint-order="stroke" vector-effect="non-scaling-stroke">%s</text>`,
			num(x+1.6*r), num(y+r), num(3*r), html.EscapeString(k.Label))
		s.WriteString(`</g>`)
	}
	s.WriteString(`</svg>`)
	return s.String()
}

// frame is the part of the plane the map shows.
func (m Map) frame(b *boundaries) box {
	v := emptyBox()
	for _, code := range m.Councils {
		if i, ok := b.byCode[code]; ok {
			c := b.councils[i].box
			v.add(c.x0, c.y0)
			v.add(c.x1, c.y1)
		}
	}
	if v.empty() {
		for _, k := range m.Marks {
			lat, lng := k.Lat, k.Lng
			if k.Person {
				lat, lng = Coarse(lat, lng)
			}
			v.add(Project(lat, lng))
		}
		if !v.empty() {
			minSpan := MinSpanKm / Unit
			cx, cy := (v.x0+v.x1)/2, (v.y0+v.y1)/2
			hw, hh := max(v.x1-v.x0, minSpan)/2, max(v.y1-v.y0, minSpan)/2
			v = box{cx - hw, cy - hh, cx + hw, cy + hh}
		}
	}
	if v.empty() {
		v = b.all
	}
	pad := max(v.x1-v.x0, v.y1-v.y0) * 0.08
	return box{math.Floor(v.x0 - pad), math.Floor(v.y0 - pad), math.Ceil(v.x1 + pad), math.Ceil(v.y1 + pad)}
}

// ringsPath is the path data of a council's rings.
func (b *boundaries) ringsPath(rings [][]int) string {
	var s strings.Builder
	for _, r := range rings {
		for j, a := range r {
			b.arcPath(&s, a, j == 0)
		}
		s.WriteString("Z")
	}
	return s.String()
}

// arcPath writes an arc's points (^i: reversed), starting a new subpath when move is set and
// otherwise going on from where the last arc ended (so its first point is left out).
func (b *boundaries) arcPath(s *strings.Builder, a int, move bool) {
	pts := b.arcs[max(a, ^a)]
	n := len(pts) / 2
	for k := range n {
		i := k
		if a < 0 {
			i = n - 1 - k
		}
		switch {
		case k == 0 && move:
			fmt.Fprintf(s, "M%s %s", num(pts[2*i]), num(pts[2*i+1]))
		case k == 0:
		default:
			fmt.Fprintf(s, "L%s %s", num(pts[2*i]), num(pts[2*i+1]))
		}
	}
}

// num writes a coordinate with at most one decimal.
func num(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
