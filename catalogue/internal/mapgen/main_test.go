package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestSimplify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []point
		tol  float64
		want []point
	}{
		{"two points stay", []point{{0, 0}, {5, 5}}, 1, []point{{0, 0}, {5, 5}}},
		{"a wobble under the tolerance goes", []point{{0, 0}, {5, 1}, {10, 0}}, 2, []point{{0, 0}, {10, 0}}},
		{"a corner over it stays", []point{{0, 0}, {5, 5}, {10, 0}}, 2, []point{{0, 0}, {5, 5}, {10, 0}}},
		{"a closed ring keeps its far side", []point{{0, 0}, {10, 0}, {10, 10}, {0, 0}}, 1, []point{{0, 0}, {10, 0}, {10, 10}, {0, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := simplify(tt.in, tt.tol); !slices.Equal(got, tt.want) {
				t.Errorf("simplify(%v, %v) = %v, want %v", tt.in, tt.tol, got, tt.want)
			}
		})
	}
}

// A tiny topology: two unitary districts sharing arc 0, and two districts of Hertfordshire
// (county 26) sharing arc 2: arc 0 is a boundary, arc 2 lies inside one council.
const tiny = `{"type":"Topology","transform":{"scale":[0.001,0.001],"translate":[-2,52]},"objects":{"lad":{"type":"GeometryCollection","geometries":[
{"type":"Polygon","properties":{"LAD13CD":"E06000001","LAD13CDO":"00EB"},"arcs":[[0,1]]},
{"type":"Polygon","properties":{"LAD13CD":"E06000002","LAD13CDO":"00EC"},"arcs":[[-1,3]]},
{"type":"Polygon","properties":{"LAD13CD":"E07000095","LAD13CDO":"26UB"},"arcs":[[2,4]]},
{"type":"Polygon","properties":{"LAD13CD":"E07000096","LAD13CDO":"26UC"},"arcs":[[-3,5]]}
]}},"arcs":[[[0,0],[100,0]],[[100,0],[-100,100]],[[500,0],[0,100]],[[0,0],[100,-100]],[[500,100],[100,0]],[[500,0],[-100,0]]]}`

func TestGenerate(t *testing.T) {
	t.Parallel()
	got, err := generate([]byte(tiny))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\nc E06000001 0,1\n", "\nc E06000002 ~0,3\n", "\nc E10000015 2,4;~2,5\n", "\nb 0 1 3 4 5\n"} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("the file lacks %q:\n%s", want, got)
		}
	}
}

// TestFileIsCurrent draws the file again from the boundary data, when it is at hand (it lives
// outside the repository, in the project's shared data), and compares it with the one checked in.
func TestFileIsCurrent(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("PLACEMATCH_BOUNDARIES")
	if dir == "" {
		dir = "/work/shared/data/boundaries"
	}
	topo, err := os.ReadFile(filepath.Join(dir, "england_lad_2013.topo.json"))
	if err != nil {
		t.Skipf("boundary data not at hand (%v): set PLACEMATCH_BOUNDARIES", err)
	}
	got, err := generate(topo)
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("../../../internal/englandmap/boundaries.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, have) {
		t.Error("internal/englandmap/boundaries.txt is not what the boundaries give: go run ./catalogue/internal/mapgen")
	}
}
