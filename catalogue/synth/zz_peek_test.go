package synth

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

func TestPeek(t *testing.T) {
	cfg := Demo()
	cfg.Councils = []catalogue.CouncilCode{"E06000009", "E10000016"}
	b, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	for i := 0; i < len(b.Children); i += len(b.Children) / 5 {
		enc.Encode(b.Children[i])
	}
	seen := map[catalogue.PlacementKind]int{}
	for _, p := range b.Placements {
		if seen[p.Kind] < 2 {
			seen[p.Kind]++
			enc.Encode(p)
		}
	}
	for _, p := range b.Providers[:10] {
		enc.Encode(p)
	}
}
