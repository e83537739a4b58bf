// Command adjacencygen derives which English upper-tier councils adjoin from the 2013 local
// authority district boundaries (TopoJSON) and writes catalogue/data/council_adjacency.csv, the
// small table catalogue.Adjoins reads, so that nothing parses the 1 MB of boundaries at start-up.
//
// Two districts adjoin when their outlines share an arc of the topology (a stretch of common
// boundary; touching at one point is not adjoining). Districts are dissolved into the council
// that runs children's services there today: unitary authorities, metropolitan districts and
// London boroughs are their own; a two-tier county's districts (E07) go to their county, named
// by the first two characters of the old ONS code; and the changes since 2013 are applied
// (Bournemouth, Christchurch and Poole, and Dorset, 2019; Buckinghamshire, 2020; North and West
// Northamptonshire, 2021; Cumberland, Westmorland and Furness, North Yorkshire and Somerset,
// 2023). Councils whose districts share an arc adjoin.
//
// Run it from the module's root with the boundary data's folder (see its README.md and
// LICENCE.md: the licence and attribution are kept beside the table):
//
//	go run ./catalogue/internal/adjacencygen -boundaries /work/shared/data/boundaries
package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "adjacencygen:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("adjacencygen", flag.ContinueOnError)
	dir := fs.String("boundaries", "../shared/data/boundaries", "folder of england_lad_2013.topo.json")
	councils := fs.String("councils", "catalogue/data/england_upper_tier_las.csv", "the councils")
	out := fs.String("out", "catalogue/data/council_adjacency.csv", "the table written")
	if err := fs.Parse(args); err != nil {
		return err
	}
	topo, err := os.ReadFile(filepath.Join(*dir, "england_lad_2013.topo.json"))
	if err != nil {
		return err
	}
	list, err := os.ReadFile(*councils)
	if err != nil {
		return err
	}
	known, err := councilCodes(list)
	if err != nil {
		return err
	}
	pairs, err := derive(topo, known)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, table(pairs), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d pairs of adjoining councils written to %s\n", len(pairs), *out)
	return nil
}

// councilCodes reads the GSS codes of the councils' list.
func councilCodes(data []byte) (map[string]bool, error) {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 || rows[0][0] != "gss_code" {
		return nil, errors.New("councils: the first column must be gss_code")
	}
	out := map[string]bool{}
	for _, r := range rows[1:] {
		out[r[0]] = true
	}
	return out, nil
}

// topology is the part of a TopoJSON file read: the districts and the arcs each outline uses.
type topology struct {
	Objects struct {
		LAD struct {
			Geometries []struct {
				Type       string          `json:"type"`
				Arcs       json.RawMessage `json:"arcs"`
				Properties struct {
					Code    string `json:"LAD13CD"`
					OldCode string `json:"LAD13CDO"`
					Name    string `json:"LAD13NM"`
				} `json:"properties"`
			} `json:"geometries"`
		} `json:"lad"`
	} `json:"objects"`
}

// counties are the two-tier counties of 2013 by the first two characters of their districts'
// old ONS codes, each with the council that runs children's services on its area today.
var counties = map[string]string{
	"11": "E06000060", // Buckinghamshire: unitary since 2020
	"12": "E10000003", // Cambridgeshire
	"17": "E10000007", // Derbyshire
	"18": "E10000008", // Devon
	"19": "E06000059", // Dorset: unitary since 2019, but Christchurch (splits)
	"21": "E10000011", // East Sussex
	"22": "E10000012", // Essex
	"23": "E10000013", // Gloucestershire
	"24": "E10000014", // Hampshire
	"26": "E10000015", // Hertfordshire
	"29": "E10000016", // Kent
	"30": "E10000017", // Lancashire
	"31": "E10000018", // Leicestershire
	"32": "E10000019", // Lincolnshire
	"33": "E10000020", // Norfolk
	"36": "E06000065", // North Yorkshire: unitary since 2023
	"37": "E10000024", // Nottinghamshire
	"38": "E10000025", // Oxfordshire
	"40": "E06000066", // Somerset: unitary since 2023
	"41": "E10000028", // Staffordshire
	"42": "E10000029", // Suffolk
	"43": "E10000030", // Surrey
	"44": "E10000031", // Warwickshire
	"45": "E10000032", // West Sussex
	"47": "E10000034", // Worcestershire
}

// splits are districts whose county was divided between new unitary councils, and districts
// merged since 2013, by their 2013 GSS code.
var splits = map[string]string{
	"E06000028": "E06000058", // Bournemouth: Bournemouth, Christchurch and Poole (2019)
	"E06000029": "E06000058", // Poole
	"E07000048": "E06000058", // Christchurch
	"E07000026": "E06000063", // Allerdale: Cumberland (2023)
	"E07000028": "E06000063", // Carlisle
	"E07000029": "E06000063", // Copeland
	"E07000027": "E06000064", // Barrow-in-Furness: Westmorland and Furness (2023)
	"E07000030": "E06000064", // Eden
	"E07000031": "E06000064", // South Lakeland
	"E07000150": "E06000061", // Corby: North Northamptonshire (2021)
	"E07000152": "E06000061", // East Northamptonshire
	"E07000153": "E06000061", // Kettering
	"E07000156": "E06000061", // Wellingborough
	"E07000151": "E06000062", // Daventry: West Northamptonshire (2021)
	"E07000154": "E06000062", // Northampton
	"E07000155": "E06000062", // South Northamptonshire
}

// councilOf is the council that runs children's services on a 2013 district's area today.
func councilOf(code, oldCode string) (string, error) {
	if c, ok := splits[code]; ok {
		return c, nil
	}
	if strings.HasPrefix(code, "E07") {
		if len(oldCode) < 2 {
			return "", fmt.Errorf("district %s has no old ONS code to name its county", code)
		}
		c, ok := counties[oldCode[:2]]
		if !ok {
			return "", fmt.Errorf("district %s: county %s is not known", code, oldCode[:2])
		}
		return c, nil
	}
	return code, nil // unitary, metropolitan district or London borough
}

// derive returns every pair of councils (the lesser code first, sorted) whose districts share
// an arc. Every district must belong to a known council, and every known council must have a
// district.
func derive(topo []byte, known map[string]bool) ([][2]string, error) {
	var t topology
	if err := json.Unmarshal(topo, &t); err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	owners := map[int]map[string]bool{} // arc -> the councils whose outlines use it
	seen := map[string]bool{}
	for _, g := range t.Objects.LAD.Geometries {
		p := g.Properties
		council, err := councilOf(p.Code, p.OldCode)
		if err != nil {
			return nil, err
		}
		if !known[council] {
			return nil, fmt.Errorf("district %s (%s) maps to %s, which is not a council of the list", p.Code, p.Name, council)
		}
		seen[council] = true
		arcs, err := arcsOf(g.Type, g.Arcs)
		if err != nil {
			return nil, fmt.Errorf("district %s: %w", p.Code, err)
		}
		for _, a := range arcs {
			if a < 0 {
				a = ^a // a reversed arc: ~i in TopoJSON
			}
			if owners[a] == nil {
				owners[a] = map[string]bool{}
			}
			owners[a][council] = true
		}
	}
	for c := range known {
		if !seen[c] {
			return nil, fmt.Errorf("council %s has no district in the boundaries", c)
		}
	}
	set := map[[2]string]bool{}
	for _, cs := range owners {
		var list []string
		for c := range cs {
			list = append(list, c)
		}
		slices.Sort(list)
		for i := range list {
			for j := i + 1; j < len(list); j++ {
				set[[2]string{list[i], list[j]}] = true
			}
		}
	}
	pairs := make([][2]string, 0, len(set))
	for p := range set {
		pairs = append(pairs, p)
	}
	slices.SortFunc(pairs, func(a, b [2]string) int {
		if c := strings.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return strings.Compare(a[1], b[1])
	})
	return pairs, nil
}

// arcsOf flattens a Polygon's rings or a MultiPolygon's polygons' rings into their arcs.
func arcsOf(kind string, raw json.RawMessage) ([]int, error) {
	var rings [][]int
	switch kind {
	case "Polygon":
		if err := json.Unmarshal(raw, &rings); err != nil {
			return nil, err
		}
	case "MultiPolygon":
		var polys [][][]int
		if err := json.Unmarshal(raw, &polys); err != nil {
			return nil, err
		}
		for _, p := range polys {
			rings = append(rings, p...)
		}
	default:
		return nil, fmt.Errorf("geometry %q is not a polygon", kind)
	}
	var out []int
	for _, r := range rings {
		out = append(out, r...)
	}
	return out, nil
}

// table is the CSV written: a header, then one line per pair.
func table(pairs [][2]string) []byte {
	var b bytes.Buffer
	b.WriteString("council,adjoins\n")
	for _, p := range pairs {
		fmt.Fprintf(&b, "%s,%s\n", p[0], p[1])
	}
	return b.Bytes()
}
