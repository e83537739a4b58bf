package catalogue

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"sort"
	"strconv"
	"sync"
)

// Council is an English upper-tier local authority with the sufficiency duty.
type Council struct {
	Code       CouncilCode
	Name       string
	Type       string // County council, Unitary authority, Metropolitan district, London borough
	Region     string
	RegionCode RegionCode
	Centre     Location // population-weighted centroid for counties
	Population int      // 2020 mid-year estimate
	AreaKm2    float64
}

// Region is one of England's nine regions.
type Region struct {
	Code RegionCode
	Name string
}

//go:embed data/england_upper_tier_las.csv
var councilsCSV []byte

// Attribution must accompany any output that ships the council reference data.
const Attribution = "Local authority names, codes and centroids from mySociety's UK Local Authority Names and Codes dataset (CC BY 4.0); contains ONS data (c) Crown copyright (OGL v3.0)."

type councilIndex struct {
	list   []Council
	byCode map[CouncilCode]int
}

var loadCouncils = sync.OnceValue(func() councilIndex {
	list, err := parseCouncils(councilsCSV)
	if err != nil {
		panic("catalogue: embedded council data is corrupt: " + err.Error())
	}
	idx := councilIndex{list: list, byCode: make(map[CouncilCode]int, len(list))}
	for i, c := range list {
		idx.byCode[c.Code] = i
	}
	return idx
})

func parseCouncils(data []byte) ([]Council, error) {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("no rows")
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, h := range []string{"gss_code", "name", "la_type", "region_code", "region", "lat", "long", "pop_2020", "area_km2"} {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("missing column %s", h)
		}
	}
	out := make([]Council, 0, len(rows)-1)
	for n, r := range rows[1:] {
		lat, err1 := strconv.ParseFloat(r[col["lat"]], 64)
		lng, err2 := strconv.ParseFloat(r[col["long"]], 64)
		pop, err3 := strconv.Atoi(r[col["pop_2020"]])
		area, err4 := strconv.ParseFloat(r[col["area_km2"]], 64)
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
			return nil, fmt.Errorf("line %d: bad number", n+2)
		}
		out = append(out, Council{
			Code:       CouncilCode(r[col["gss_code"]]),
			Name:       r[col["name"]],
			Type:       r[col["la_type"]],
			Region:     r[col["region"]],
			RegionCode: RegionCode(r[col["region_code"]]),
			Centre:     Location{Lat: lat, Lng: lng},
			Population: pop,
			AreaKm2:    area,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// Councils returns the 153 English upper-tier councils, ordered by code. The slice is shared:
// do not modify it.
func Councils() []Council { return loadCouncils().list }

// CouncilByCode returns the council with the given ONS code.
func CouncilByCode(code CouncilCode) (Council, bool) {
	idx := loadCouncils()
	i, ok := idx.byCode[code]
	if !ok {
		return Council{}, false
	}
	return idx.list[i], true
}

// Valid reports whether c is the code of an English upper-tier council.
func (c CouncilCode) Valid() bool { _, ok := CouncilByCode(c); return ok }

// Regions returns England's nine regions, ordered by code.
func Regions() []Region {
	seen := map[RegionCode]bool{}
	var out []Region
	for _, c := range Councils() {
		if !seen[c.RegionCode] {
			seen[c.RegionCode] = true
			out = append(out, Region{Code: c.RegionCode, Name: c.Region})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Valid reports whether r is the code of one of England's nine regions.
func (r RegionCode) Valid() bool {
	for _, g := range Regions() {
		if g.Code == r {
			return true
		}
	}
	return false
}
