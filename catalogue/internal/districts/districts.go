// Package districts reads the 2013 local authority district boundaries (TopoJSON) and says which
// council runs children's services on each district's area today. The programs that derive data
// from the boundaries (adjacencygen, mapgen) share it, so the districts are dissolved into
// councils in one place.
package districts

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Topology is the part of a TopoJSON file read: the districts, the arcs each outline uses and
// the arcs' quantised points (delta-encoded, as the transform says).
type Topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]int `json:"arcs"`
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

// CouncilOf is the council that runs children's services on a 2013 district's area today.
func CouncilOf(code, oldCode string) (string, error) {
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

// RingsOf are a Polygon's rings, or a MultiPolygon's polygons' rings, each a list of arcs
// (~i: arc i reversed, as TopoJSON writes it).
func RingsOf(kind string, raw json.RawMessage) ([][]int, error) {
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
	return rings, nil
}

// ArcsOf flattens a Polygon's rings or a MultiPolygon's polygons' rings into their arcs.
func ArcsOf(kind string, raw json.RawMessage) ([]int, error) {
	rings, err := RingsOf(kind, raw)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, r := range rings {
		out = append(out, r...)
	}
	return out, nil
}
