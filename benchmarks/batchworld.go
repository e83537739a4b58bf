package benchmarks

import (
	"fmt"
	"math"

	"github.com/placematch/placematch/synth"
)

// National supply of the synthetic England (synth.NationalFostering and so on).
const nationalSupply = synth.NationalFostering + synth.NationalHomes + synth.NationalSupported

// BatchWorld returns a synthetic England with about waiting children waiting for a home
// (synth's share of the children looked after, with their sibling groups) and about placements
// placements: England's children scaled to the waiting wanted, its foster households,
// children's homes and supported accommodation scaled to the placements wanted (kinship carers
// follow the children). The same sizes always give the same world.
func BatchWorld(waiting, placements int) (synth.World, error) {
	childScale := float64(waiting) / synth.NationalWaiting
	cfg := synth.Scaled(childScale)
	kinship := cfg.Kinship
	supply := float64(placements-kinship) / nationalSupply
	if supply <= 0 {
		return synth.World{}, fmt.Errorf("benchmarks: %d placements is fewer than the %d kinship carers of %d children waiting", placements, kinship, waiting)
	}
	round := func(x float64) int { return int(math.Round(x)) }
	cfg.FosterHouseholds = round(synth.NationalFostering * supply)
	cfg.Homes = round(synth.NationalHomes * supply)
	cfg.Supported = round(synth.NationalSupported * supply)
	b, err := synth.Generate(cfg)
	if err != nil {
		return synth.World{}, err
	}
	return synth.Materialise(b, cfg.Today), nil
}
