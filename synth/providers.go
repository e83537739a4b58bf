package synth

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// Words for provider names. Real organisations' names are avoided on purpose.
const (
	genericWords     = "Brightwater Oakfield Harbour Meadowbank Northstar Keystone Heartwood Evergreen Lighthouse Willowbrook Kestrel Hearthstone Beacon Rowan Swallow Bluebell Foxglove Juniper Linden Orchard Sunrise Haven Kindred Greenleaf Starling Cornerstone Kingfisher Hawthorn Bramble Heather Skylark Silverbirch Elmwood Ashdown Primrose Clover Harmony Nurture Homeward Hillside Waypoint Anchor Lantern Riverbank Fairhaven Brookside Meadowlark Bluebird Wildflower Seedling Treetops Sunflower Larkspur Daybreak Firefly Tidewater Hollybrook Ashgrove Moorhen Goldcrest Thornfield"
	agencySuffixes   = "Fostering|Foster Care|Fostering Services|Family Placements|Families|Foster Families|Fostering Partnership"
	largeHomeSuffix  = "Care Group|Children's Services|Care|Group"
	midHomeSuffix    = "Care|Residential Care|Young People's Services|Homes"
	smallHomeSuffix  = "Care Ltd|Children's Homes Ltd|Residential Ltd|Care Services Ltd|Homes for Children Ltd|Childcare Ltd"
	charitySuffix    = "Children's Trust|Children's Charity|Children's Society|Trust"
	supportedSuffix  = "Supported Living|Housing|Pathways|Independence|Living Ltd|Next Steps"
	voluntaryHousing = "Foyer Trust|Youth Housing|Young People's Housing|Housing Association"
	saints           = "St Anne's|St Christopher's|St Michael's|St Cuthbert's|St Francis|St Luke's|St Vincent's|St Mary's|St Hilda's|St Aidan's|St Bede's|St Chad's"
)

// regionalWords name rivers, hills and old kingdoms of each region, for regional providers.
func regionalWords() [numRegions]string {
	return [numRegions]string{
		"Tyne Wear Cheviot Northumbria Tees Wansbeck Hadrian Coquet Allendale Weardale",
		"Pennine Mersey Lakeland Ribble Bowland Fylde Irwell Lune Eden Solway Weaver Rossendale",
		"Dales Humber Wolds Aire Wharfe Don Holderness Calder Nidd Swaledale",
		"Trent Sherwood Peak Charnwood Soar Nene Welland Erewash Rockingham Derwent",
		"Severn Mercia Malvern Wrekin Teme Arden Cannock Clent Stour Tame",
		"Fenland Anglia Broads Chiltern Orwell Colne Breckland Waveney Stort Ivel",
		"Thames Capital Wandle Ravensbourne Fleet Albion Thameside Metro Riverside Lea",
		"Weald Solent Downs Kennet Itchen Arun Rother Vectis Loddon Cherwell",
		"Wessex Cotswold Moorland Tamar Mendip Exmoor Quantock Purbeck Dart Kernow",
	}
}

// Pool sizes, and shares of private children's homes by operator size.
const (
	nationalAgencies   = 12
	regionalAgencies   = 24 // per region
	voluntaryAgencies  = 18
	largeHomeGroups    = 7
	midHomeOperators   = 40
	smallHomeOperators = 600
	homeCharities      = 14
	supportedNational  = 6
	supportedRegional  = 30 // private, per region
	supportedCharities = 8  // per region
	shareLargeHomes    = 0.36
	shareMidHomes      = 0.22
	shareSmallHomes    = 0.42
)

// provider pool extras, parallel to world.pool.
type poolInfo struct {
	ofsted catalogue.OfstedGrade // agencies' grade, given to their households
}

// councilBody is the name of the council as an organisation: "Kent County Council".
func councilBody(c catalogue.Council) string {
	switch c.Name {
	case "City of London":
		return "City of London Corporation"
	case "Isles of Scilly":
		return "Council of the Isles of Scilly"
	case "County Durham":
		return "Durham County Council"
	case "City of Bristol":
		return "Bristol City Council"
	case "Dorset Council":
		return "Dorset Council"
	case "Kingston upon Hull":
		return "Hull City Council"
	}
	if c.Type == "County" || c.Type == "County council" {
		return c.Name + " County Council"
	}
	return c.Name + " Council"
}

type namer struct {
	r    *rand.Rand
	used map[string]bool
	urns map[string]bool
}

// name returns an unused name made of a word and a suffix.
func (n *namer) name(words []string, suffixes []string) string {
	for range 200 {
		s := pickOne(n.r, words) + " " + pickOne(n.r, suffixes)
		if !n.used[s] {
			n.used[s] = true
			return s
		}
	}
	for i := 2; ; i++ { // every combination is taken: number it
		s := pickOne(n.r, words) + " " + pickOne(n.r, suffixes) + " " + strconv.Itoa(i)
		if !n.used[s] {
			n.used[s] = true
			return s
		}
	}
}

// urn returns an unused Ofsted-style reference, SC and six digits from 900000 (homes have the
// numbers below).
func (n *namer) urn() string {
	for {
		s := "SC" + strconv.Itoa(900000+n.r.IntN(100000))
		if !n.urns[s] {
			n.urns[s] = true
			return s
		}
	}
}

// addProvider adds a provider to England's pool and returns its index.
func (w *world) addProvider(p catalogue.Provider, info poolInfo) int {
	w.pool = append(w.pool, p)
	w.poolInfo = append(w.poolInfo, info)
	return len(w.pool) - 1
}

// setupProviders creates every provider England could use and, for each council, the tables
// its homes draw their provider from. Providers that end up with no placement are dropped.
func (w *world) setupProviders(r *rand.Rand) {
	n := &namer{r: r, used: map[string]bool{}, urns: map[string]bool{}}
	generic := strings.Fields(genericWords)
	var regional [numRegions][]string
	for i, s := range regionalWords() {
		regional[i] = strings.Fields(s)
	}
	split := func(s string) []string { return strings.Split(s, "|") }
	agencyGrades := tableOf([]catalogue.OfstedGrade{catalogue.OfstedOutstanding, catalogue.OfstedGood, catalogue.OfstedRequiresImprovement, catalogue.OfstedInadequate}, 25, 65, 9, 1)

	for i := range w.councils {
		p := &w.councils[i]
		body := councilBody(p.c)
		p.fosterProvider = w.addProvider(catalogue.Provider{Name: body + " Fostering Service", Kind: catalogue.ProviderCouncil, URN: n.urn(), Council: p.c.Code}, poolInfo{})
		p.residentialProvider = w.addProvider(catalogue.Provider{Name: body + " Children's Residential Services", Kind: catalogue.ProviderCouncil, Council: p.c.Code}, poolInfo{})
	}

	// Independent fostering agencies: a few large national ones, many regional, some charities.
	type weightedProvider struct {
		idx    int
		region int // -1: national
		weight float64
	}
	var agencies, homesLarge, homesMid, homesSmall, charities, supported []weightedProvider
	for range nationalAgencies {
		idx := w.addProvider(catalogue.Provider{Name: n.name(generic, split(agencySuffixes)), Kind: catalogue.ProviderAgency, URN: n.urn()}, poolInfo{ofsted: agencyGrades.pick(r)})
		agencies = append(agencies, weightedProvider{idx, -1, uniform(r, 25, 70)})
	}
	for reg := range numRegions {
		for range regionalAgencies {
			words := regional[reg]
			if chance(r, 0.4) {
				words = generic
			}
			idx := w.addProvider(catalogue.Provider{Name: n.name(words, split(agencySuffixes)), Kind: catalogue.ProviderAgency, URN: n.urn()}, poolInfo{ofsted: agencyGrades.pick(r)})
			agencies = append(agencies, weightedProvider{idx, reg, math.Exp(normal(r, 1, 0.8, -1, 3))})
		}
	}
	for k := range voluntaryAgencies {
		reg := -1
		weight := uniform(r, 8, 15)
		if k >= 6 {
			reg, weight = k%numRegions, uniform(r, 3, 6)
		}
		idx := w.addProvider(catalogue.Provider{Name: n.name(append(split(saints), generic[:20]...), []string{"Fostering", "Family Placement Service", "Children's Society"}), Kind: catalogue.ProviderVoluntary, URN: n.urn()}, poolInfo{ofsted: agencyGrades.pick(r)})
		agencies = append(agencies, weightedProvider{idx, reg, weight})
	}

	// Children's home operators: a few large groups, regional operators, many small ones.
	for range largeHomeGroups {
		idx := w.addProvider(catalogue.Provider{Name: n.name(generic, split(largeHomeSuffix)), Kind: catalogue.ProviderPrivate}, poolInfo{})
		homesLarge = append(homesLarge, weightedProvider{idx, -1, uniform(r, 40, 90)})
	}
	for k := range midHomeOperators {
		reg := k % numRegions
		words := regional[reg]
		if chance(r, 0.5) {
			words = generic
		}
		idx := w.addProvider(catalogue.Provider{Name: n.name(words, split(midHomeSuffix)), Kind: catalogue.ProviderPrivate}, poolInfo{})
		homesMid = append(homesMid, weightedProvider{idx, reg, uniform(r, 5, 15)})
	}
	facts := regions()
	var shares [numRegions]float64
	for i := range shares {
		shares[i] = facts[i].homesShare
	}
	surnames := strings.Fields(britishSurnames)
	for reg, count := range apportion(smallHomeOperators, shares[:]) {
		for range count {
			var words []string
			switch x := r.Float64(); {
			case x < 0.45:
				words = generic
			case x < 0.75:
				words = regional[reg]
			default:
				words = surnames
			}
			idx := w.addProvider(catalogue.Provider{Name: n.name(words, split(smallHomeSuffix)), Kind: catalogue.ProviderPrivate}, poolInfo{})
			homesSmall = append(homesSmall, weightedProvider{idx, reg, 1})
		}
	}
	for range homeCharities {
		idx := w.addProvider(catalogue.Provider{Name: n.name(append(split(saints), generic...), split(charitySuffix)), Kind: catalogue.ProviderVoluntary}, poolInfo{})
		charities = append(charities, weightedProvider{idx, -1, uniform(r, 1, 4)})
	}

	// Supported accommodation providers.
	for range supportedNational {
		idx := w.addProvider(catalogue.Provider{Name: n.name(generic, split(supportedSuffix)), Kind: catalogue.ProviderPrivate}, poolInfo{})
		supported = append(supported, weightedProvider{idx, -1, uniform(r, 10, 25)})
	}
	for reg := range numRegions {
		for range supportedRegional {
			words := regional[reg]
			if chance(r, 0.5) {
				words = generic
			}
			idx := w.addProvider(catalogue.Provider{Name: n.name(words, split(supportedSuffix)), Kind: catalogue.ProviderPrivate}, poolInfo{})
			supported = append(supported, weightedProvider{idx, reg, math.Exp(normal(r, 0.5, 0.7, -1, 2.5))})
		}
		for range supportedCharities {
			idx := w.addProvider(catalogue.Provider{Name: n.name(append(split(saints), regional[reg]...), split(voluntaryHousing)), Kind: catalogue.ProviderVoluntary}, poolInfo{})
			supported = append(supported, weightedProvider{idx, reg, uniform(r, 3, 8)})
		}
	}

	// Per-council tables: national providers everywhere, regional ones in their region.
	sumIn := func(list []weightedProvider, reg int) float64 {
		s := 0.0
		for _, p := range list {
			if p.region == -1 || p.region == reg {
				s += p.weight
			}
		}
		return s
	}
	for i := range w.councils {
		p := &w.councils[i]
		reg := p.region
		for _, a := range agencies {
			if a.region == -1 || a.region == reg {
				p.agencies.add(a.idx, a.weight)
			}
		}
		for _, g := range []struct {
			list  []weightedProvider
			share float64
		}{{homesLarge, shareLargeHomes}, {homesMid, shareMidHomes}, {homesSmall, shareSmallHomes}} {
			s := sumIn(g.list, reg)
			for _, h := range g.list {
				if h.region == -1 || h.region == reg {
					p.homeOperators.add(h.idx, g.share*h.weight/s)
				}
			}
		}
		for _, s := range supported {
			if s.region == -1 || s.region == reg {
				p.supportedProviders.add(s.idx, s.weight)
			}
		}
	}
	for _, c := range charities {
		w.homeCharities.add(c.idx, c.weight)
	}
}
