package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// A tiny topology: A and B (unitary) share arc 1; C and D are districts of county 26
// (Hertfordshire) sharing arc 2 with each other, and C shares arc 3 (reversed) with B; E is an
// island; Christchurch (a 2013 Dorset district) goes to Bournemouth, Christchurch and Poole.
const tiny = `{"type":"Topology","objects":{"lad":{"type":"GeometryCollection","geometries":[
{"type":"Polygon","properties":{"LAD13CD":"E06000001","LAD13CDO":"00EB"},"arcs":[[0,1]]},
{"type":"MultiPolygon","properties":{"LAD13CD":"E06000002","LAD13CDO":"00EC"},"arcs":[[[-2,3]],[[4]]]},
{"type":"Polygon","properties":{"LAD13CD":"E07000095","LAD13CDO":"26UB"},"arcs":[[2,-4]]},
{"type":"Polygon","properties":{"LAD13CD":"E07000096","LAD13CDO":"26UC"},"arcs":[[-3,5]]},
{"type":"Polygon","properties":{"LAD13CD":"E06000046","LAD13CDO":"00MW"},"arcs":[[6]]},
{"type":"Polygon","properties":{"LAD13CD":"E07000048","LAD13CDO":"19UC"},"arcs":[[7,-6]]}
]}},"arcs":[]}`

func TestDerive(t *testing.T) {
	t.Parallel()
	known := map[string]bool{"E06000001": true, "E06000002": true, "E10000015": true, "E06000046": true, "E06000058": true}
	got, err := derive([]byte(tiny), known)
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]string{{"E06000001", "E06000002"}, {"E06000002", "E10000015"}, {"E06000058", "E10000015"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pairs = %v, want %v (districts of one county dissolve; an island adjoins none)", got, want)
	}
	delete(known, "E06000046")
	if _, err := derive([]byte(tiny), known); err == nil {
		t.Error("a district of no known council was accepted")
	}
	known["E06000046"], known["E06000099"] = true, true
	if _, err := derive([]byte(tiny), known); err == nil {
		t.Error("a council with no district was accepted")
	}
}

// TestTableIsCurrent derives the table again from the boundary data, when it is at hand (it
// lives outside the repository, in the project's shared data), and compares it with the one
// checked in.
func TestTableIsCurrent(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("PLACEMATCH_BOUNDARIES")
	if dir == "" {
		dir = "/work/shared/data/boundaries"
	}
	topo, err := os.ReadFile(filepath.Join(dir, "england_lad_2013.topo.json"))
	if err != nil {
		t.Skipf("boundary data not at hand (%v): set PLACEMATCH_BOUNDARIES", err)
	}
	list, err := os.ReadFile("../../data/england_upper_tier_las.csv")
	if err != nil {
		t.Fatal(err)
	}
	known, err := councilCodes(list)
	if err != nil {
		t.Fatal(err)
	}
	pairs, err := derive(topo, known)
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("../../data/council_adjacency.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(table(pairs), have) {
		t.Error("catalogue/data/council_adjacency.csv is not what the boundaries give: go run ./catalogue/internal/adjacencygen")
	}
}
