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

	"github.com/placematch/placematch/catalogue/internal/districts"
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

// derive returns every pair of councils (the lesser code first, sorted) whose districts share
// an arc. Every district must belong to a known council, and every known council must have a
// district.
func derive(topo []byte, known map[string]bool) ([][2]string, error) {
	var t districts.Topology
	if err := json.Unmarshal(topo, &t); err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	owners := map[int]map[string]bool{} // arc -> the councils whose outlines use it
	seen := map[string]bool{}
	for _, g := range t.Objects.LAD.Geometries {
		p := g.Properties
		council, err := districts.CouncilOf(p.Code, p.OldCode)
		if err != nil {
			return nil, err
		}
		if !known[council] {
			return nil, fmt.Errorf("district %s (%s) maps to %s, which is not a council of the list", p.Code, p.Name, council)
		}
		seen[council] = true
		arcs, err := districts.ArcsOf(g.Type, g.Arcs)
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

// table is the CSV written: a header, then one line per pair.
func table(pairs [][2]string) []byte {
	var b bytes.Buffer
	b.WriteString("council,adjoins\n")
	for _, p := range pairs {
		fmt.Fprintf(&b, "%s,%s\n", p[0], p[1])
	}
	return b.Bytes()
}
