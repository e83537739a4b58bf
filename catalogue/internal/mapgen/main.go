// Command mapgen draws England's councils for the workspace's maps: it reads the 2013 local
// authority district boundaries (TopoJSON), dissolves the districts into the councils that run
// children's services today (package districts, as adjacencygen does), projects every arc onto
// the map's plane (englandmap.Project), simplifies each arc (Douglas-Peucker, to a unit: a
// quarter of a kilometre; an arc shared by two councils is simplified once, so neighbours still
// meet) and writes internal/englandmap/boundaries.txt, which the service embeds, so nothing
// reads the 1 MB of boundaries at start-up.
//
// The file's lines: "a x y x y ..." is an arc (numbered from 0 in order), in whole units;
// "c CODE r;r;..." is a council whose outline is the rings r, each a comma-separated list of
// arc numbers (~n: arc n reversed); "b n n ..." lists the arcs drawn as council boundaries
// (between two councils, or the coast), not those inside one council.
//
// Run it from the module's root with the boundary data's folder (its licence and attribution
// are kept beside the output, in internal/englandmap/LICENCE.md):
//
//	go run ./catalogue/internal/mapgen -boundaries /work/shared/data/boundaries
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/placematch/placematch/catalogue/internal/districts"
	"github.com/placematch/placematch/internal/englandmap"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mapgen:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("mapgen", flag.ContinueOnError)
	dir := fs.String("boundaries", "../shared/data/boundaries", "folder of england_lad_2013.topo.json")
	out := fs.String("out", "internal/englandmap/boundaries.txt", "the file written")
	if err := fs.Parse(args); err != nil {
		return err
	}
	topo, err := os.ReadFile(filepath.Join(*dir, "england_lad_2013.topo.json"))
	if err != nil {
		return err
	}
	b, err := generate(topo)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d bytes of council boundaries written to %s\n", len(b), *out)
	return nil
}

type point struct{ x, y int }

// generate is the file's content from the topology.
func generate(topo []byte) ([]byte, error) {
	var t districts.Topology
	if err := json.Unmarshal(topo, &t); err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	arcs := make([][]point, len(t.Arcs))
	for i, a := range t.Arcs {
		var qx, qy int
		var pts []point
		for _, d := range a {
			qx, qy = qx+d[0], qy+d[1]
			lng := float64(qx)*t.Transform.Scale[0] + t.Transform.Translate[0]
			lat := float64(qy)*t.Transform.Scale[1] + t.Transform.Translate[1]
			x, y := englandmap.Project(lat, lng)
			p := point{int(math.Round(x)), int(math.Round(y))}
			if len(pts) == 0 || pts[len(pts)-1] != p {
				pts = append(pts, p)
			}
		}
		arcs[i] = simplify(pts, 2)
	}
	rings := map[string][]string{}
	owners := map[int]map[string]int{} // arc -> council -> how many of its rings use it
	for _, g := range t.Objects.LAD.Geometries {
		council, err := districts.CouncilOf(g.Properties.Code, g.Properties.OldCode)
		if err != nil {
			return nil, err
		}
		rs, err := districts.RingsOf(g.Type, g.Arcs)
		if err != nil {
			return nil, fmt.Errorf("district %s: %w", g.Properties.Code, err)
		}
		for _, r := range rs {
			var s []string
			for _, a := range r {
				n := a
				if a < 0 {
					n = ^a
					s = append(s, "~"+strconv.Itoa(n))
				} else {
					s = append(s, strconv.Itoa(n))
				}
				if owners[n] == nil {
					owners[n] = map[string]int{}
				}
				owners[n][council]++
			}
			rings[council] = append(rings[council], strings.Join(s, ","))
		}
	}
	var buf bytes.Buffer
	buf.WriteString("# England's councils (children's services, today) from the 2013 local authority districts: see mapgen and LICENCE.md\n")
	for _, a := range arcs {
		buf.WriteString("a")
		for _, p := range a {
			fmt.Fprintf(&buf, " %d %d", p.x, p.y)
		}
		buf.WriteByte('\n')
	}
	codes := make([]string, 0, len(rings))
	for c := range rings {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		fmt.Fprintf(&buf, "c %s %s\n", c, strings.Join(rings[c], ";"))
	}
	buf.WriteString("b")
	for i := range arcs {
		// A boundary: used by two councils, or once by one (the coast); an arc used twice by
		// one council lies between two of its districts.
		if o := owners[i]; len(o) > 1 || (len(o) == 1 && sum(o) == 1) {
			fmt.Fprintf(&buf, " %d", i)
		}
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// simplify is Douglas-Peucker with its ends kept: the points farther than tol from the line
// between the kept points either side of them.
func simplify(pts []point, tol float64) []point {
	if len(pts) <= 2 {
		return pts
	}
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	var walk func(i, j int)
	walk = func(i, j int) {
		far, at := 0.0, -1
		for k := i + 1; k < j; k++ {
			if d := distance(pts[k], pts[i], pts[j]); d > far {
				far, at = d, k
			}
		}
		if at >= 0 && far > tol {
			keep[at] = true
			walk(i, at)
			walk(at, j)
		}
	}
	walk(0, len(pts)-1)
	var out []point
	for i, p := range pts {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}

// distance is how far p is from the segment a-b.
func distance(p, a, b point) float64 {
	dx, dy := float64(b.x-a.x), float64(b.y-a.y)
	px, py := float64(p.x-a.x), float64(p.y-a.y)
	l := dx*dx + dy*dy
	if l == 0 {
		return math.Hypot(px, py)
	}
	t := max(0, min(1, (px*dx+py*dy)/l))
	return math.Hypot(px-t*dx, py-t*dy)
}
