package catalogue

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"sync"
)

//go:embed data/council_adjacency.csv
var adjacencyCSV []byte

// AdjacencyAttribution must accompany any output that ships the council adjacency table, which
// is derived from boundary data under CC BY 4.0 (data/boundaries_LICENCE.md).
const AdjacencyAttribution = "Council adjacency derived from GeoJSON and TopoJSON UK Boundary Data by Martin Chorley (CC BY 4.0, https://github.com/martinjc/UK-GeoJson); contains Ordnance Survey data (c) Crown copyright and database right 2014."

var loadAdjacency = sync.OnceValue(func() map[CouncilCode][]CouncilCode {
	adj, err := parseAdjacency(adjacencyCSV)
	if err != nil {
		panic("catalogue: embedded adjacency data is corrupt: " + err.Error())
	}
	return adj
})

func parseAdjacency(data []byte) (map[CouncilCode][]CouncilCode, error) {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 || len(rows[0]) != 2 || rows[0][0] != "council" || rows[0][1] != "adjoins" {
		return nil, fmt.Errorf("the header must be council,adjoins")
	}
	adj := map[CouncilCode][]CouncilCode{}
	for n, r := range rows[1:] {
		a, b := CouncilCode(r[0]), CouncilCode(r[1])
		if !a.Valid() || !b.Valid() || a == b {
			return nil, fmt.Errorf("line %d: %s,%s is not a pair of councils", n+2, a, b)
		}
		adj[a] = append(adj[a], b)
		adj[b] = append(adj[b], a)
	}
	for c := range adj {
		slices.Sort(adj[c])
	}
	return adj, nil
}

// Adjoins reports whether two different councils' areas share a boundary (regulation 11 of the
// Care Planning, Placement and Case Review (England) Regulations 2010 treats a placement in an
// adjoining council's area apart from one at a distance). A council does not adjoin itself.
func Adjoins(a, b CouncilCode) bool {
	_, found := slices.BinarySearch(loadAdjacency()[a], b)
	return found
}

// Neighbours returns the councils adjoining c, ordered by code: none for an island (the Isle of
// Wight, the Isles of Scilly) or an unknown code. The slice is shared: do not modify it.
func Neighbours(c CouncilCode) []CouncilCode { return loadAdjacency()[c] }
