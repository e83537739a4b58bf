package synth

import (
	"math"

	"github.com/placematch/placematch/catalogue"
)

// councilPlan is what England's figures mean for one council: how many of each record it gets
// and the identity profile of its children and carers.
type councilPlan struct {
	c          catalogue.Council
	idx        int // index in catalogue.Councils()
	region     int // 0..8
	radiusKm   float64
	invRadius2 float64    // 1/radius², the radius in degrees of latitude: for councilAt
	short      string     // "Bristol", "Hull"
	areaNames  [10]string // filled on first use by areaName
	rate       float64    // children looked after per 10,000 children, as set in rates.go

	children, uasc, waiting                     int
	fosterCouncil, fosterAgency                 int
	homes, supported, kinship                   int
	heritage, carers                            table[int] // indices into world.heritages
	fosterProvider, residentialProvider         int        // indices into world.pool
	agencies, homeOperators, supportedProviders table[int]
}

// world is the plan for all of England, computed the same way whatever subset is generated.
type world struct {
	cfg       Config
	heritages []heritage
	uasc      table[int] // heritages of unaccompanied children
	ages      table[int] // ages of children who are not UASC
	ageShare  [18]float64
	uascAges  table[int]
	maleShare float64 // among children who are not UASC
	councils  []councilPlan
	pool      []catalogue.Provider
	poolInfo  []poolInfo
	// homeCharities are the charities that run children's homes, anywhere in England.
	homeCharities table[int]
}

// Year-of-age weights of children looked after (0..17), summing to 100: 0-4 19, 5-9 16,
// 10-15 38, 16-17 27. Most children enter care as babies or teenagers.
func ageProfile() [18]float64 {
	return [18]float64{5.0, 3.5, 3.4, 3.5, 3.6, 3.2, 3.2, 3.2, 3.2, 3.2, 5.5, 6.0, 6.3, 6.5, 6.8, 6.9, 13, 14}
}

// uascAgeProfile: unaccompanied children are mostly 16 or 17.
func uascAgeProfile() [18]float64 {
	return [18]float64{12: 0.5, 13: 1, 14: 3, 15: 10.5, 16: 37, 17: 48}
}

const (
	maleShare     = 0.56
	uascMaleShare = 0.95
	uascCap       = 0.4 // most a council's children can be UASC
)

func newWorld(cfg Config) *world {
	w := &world{cfg: cfg, heritages: parseHeritages()}
	all := catalogue.Councils()
	rates := councilRates()
	facts := regions()
	w.councils = make([]councilPlan, len(all))
	for i, c := range all {
		p := &w.councils[i]
		p.c, p.idx, p.region = c, i, regionIndex(c.RegionCode)
		p.radiusKm = radiusKm(c.AreaKm2)
		p.invRadius2 = math.Pow(kmPerDegree/p.radiusKm, 2)
		p.short = shortName(c.Name)
		p.rate = rates[c.Name]
		if p.rate == 0 {
			p.rate = facts[p.region].rate
		}
	}
	r := newRand(cfg.Seed, -1, streamWorld)

	// Children and UASC.
	weights := make([]float64, len(all))
	for i, p := range w.councils {
		weights[i] = float64(p.c.Population) * p.rate
	}
	for i, n := range apportion(cfg.Children, weights) {
		w.councils[i].children = n
	}
	for i, p := range w.councils {
		weights[i] = float64(p.children)
	}
	for i, n := range apportion(int(math.Round(float64(cfg.Children)*cfg.Waiting)), weights) {
		w.councils[i].waiting = n
	}
	uascTotal := int(math.Round(float64(cfg.Children) * NationalUASC / NationalChildren))
	for i, n := range w.shareUASC(uascTotal) {
		w.councils[i].uasc = n
	}
	w.setupIdentity()
	w.setupAges()

	// Fostering households: by children, with the region's recruitment and a council's own
	// variation; then council or agency.
	for i, p := range w.councils {
		weights[i] = float64(p.children) * facts[p.region].fosterRatio * normal(r, 1, 0.15, 0.6, 1.4)
	}
	for i, n := range apportion(cfg.FosterHouseholds, weights) {
		p := &w.councils[i]
		share := normal(r, facts[p.region].agencyShare, 0.08, 0.15, 0.8)
		p.fosterAgency = int(math.Round(float64(n) * share))
		p.fosterCouncil = n - p.fosterAgency
	}

	// Children's homes: by region, then towards cheaper councils within it.
	var shares [numRegions]float64
	for i := range shares {
		shares[i] = facts[i].homesShare
	}
	byRegion := apportion(cfg.Homes, shares[:])
	cheap := homeCheapness()
	for reg := range numRegions {
		var idx []int
		var ws []float64
		for i, p := range w.councils {
			if p.region != reg {
				continue
			}
			f, ok := cheap[p.c.Name]
			if !ok {
				f = typeFactor(p.c.Type) * math.Sqrt(p.rate/facts[reg].rate)
			}
			idx = append(idx, i)
			ws = append(ws, float64(p.c.Population)*f*normal(r, 1, 0.2, 0.5, 1.5))
		}
		for k, n := range apportion(byRegion[reg], ws) {
			w.councils[idx[k]].homes = n
		}
	}

	// Supported accommodation: by young people of 16 and 17, many of them UASC.
	for i, p := range w.councils {
		weights[i] = float64(p.children) + 2*float64(p.uasc)
	}
	for i, n := range apportion(cfg.Supported, weights) {
		w.councils[i].supported = n
	}
	// Kinship: by children.
	for i, p := range w.councils {
		weights[i] = float64(p.children)
	}
	for i, n := range apportion(cfg.Kinship, weights) {
		w.councils[i].kinship = n
	}

	w.setupProviders(r)
	return w
}

// shareUASC shares total among councils by child population, weighted towards the councils
// where most arrive, never more than uascCap of a council's children.
func (w *world) shareUASC(total int) []int {
	uw := uascWeights()
	weights := make([]float64, len(w.councils))
	for i, p := range w.councils {
		weights[i] = uascWeight(p.c, uw)
	}
	out := make([]int, len(w.councils))
	for range 8 {
		given := 0
		for _, n := range out {
			given += n
		}
		if given >= total {
			break
		}
		add := apportion(total-given, weights)
		for i, n := range add {
			limit := int(uascCap * float64(w.councils[i].children))
			if out[i]+n >= limit {
				n = max(0, limit-out[i])
				weights[i] = 0
			}
			out[i] += n
		}
	}
	return out
}

// uascWeight is a council's weight for unaccompanied children: its population, times the
// weight set in rates.go (London 1.5, others 1 when not set).
func uascWeight(c catalogue.Council, uw map[string]float64) float64 {
	f, ok := uw[c.Name]
	if !ok {
		f = 1
		if c.RegionCode == london {
			f = 1.5
		}
	}
	return float64(c.Population) * f
}

// setupIdentity builds each council's heritage tables, fitting the regional profiles so that
// England as a whole, UASC included, has the national shares of ethnic groups.
func (w *world) setupIdentity() {
	order := ethnicOrder()
	groupOf := func(g catalogue.EthnicGroup) int {
		for i, x := range order {
			if x == g {
				return i
			}
		}
		return len(order) - 1
	}
	// UASC by heritage and group.
	var uascGroup [numGroups]float64
	uascTotal := 0.0
	for i, h := range w.heritages {
		w.uasc.add(i, h.uasc)
		uascGroup[groupOf(h.group)] += h.uasc
		uascTotal += h.uasc
	}
	// Expected children (not UASC) by council at national scale, so the fit does not depend on
	// the scale or the subset.
	weights := make([]float64, len(w.councils))
	sum := 0.0
	for i, p := range w.councils {
		weights[i] = float64(p.c.Population) * p.rate
		sum += weights[i]
	}
	div := diversity()
	profiles := ethnicProfiles()
	base := make([][numGroups]float64, len(w.councils))
	notUASC := make([]float64, len(w.councils))
	uw := uascWeights()
	uascSum := 0.0
	for _, p := range w.councils {
		uascSum += uascWeight(p.c, uw)
	}
	for i, p := range w.councils {
		n := NationalChildren * weights[i] / sum
		u := math.Min(uascCap*n, NationalUASC*uascWeight(p.c, uw)/uascSum)
		notUASC[i] = n - u
		base[i] = profiles[p.region]
		if d, ok := div[p.c.Name]; ok {
			for g := 1; g < numGroups; g++ {
				base[i][g] *= d
			}
		}
	}
	targets := ethnicTargets()
	var want [numGroups]float64
	for g := range numGroups {
		want[g] = math.Max(0, targets[g]*NationalChildren-NationalUASC*uascGroup[g]/uascTotal)
	}
	adj := [numGroups]float64{1, 1, 1, 1, 1, 1}
	for range 60 {
		var got [numGroups]float64
		for i := range w.councils {
			z := 0.0
			for g := range numGroups {
				z += base[i][g] * adj[g]
			}
			for g := range numGroups {
				got[g] += notUASC[i] * base[i][g] * adj[g] / z
			}
		}
		for g := range numGroups {
			if got[g] > 0 {
				adj[g] *= want[g] / got[g]
			}
		}
	}
	for i := range w.councils {
		p := &w.councils[i]
		inLondon := p.c.RegionCode == london
		var groupWeight [numGroups]float64 // heritage weights summed by group, for this council
		lf := func(h heritage) float64 {
			if inLondon {
				return h.weight * h.london
			}
			return h.weight
		}
		for _, h := range w.heritages {
			groupWeight[groupOf(h.group)] += lf(h)
		}
		for hi, h := range w.heritages {
			g := groupOf(h.group)
			share := base[i][g] * adj[g] * lf(h) / groupWeight[g]
			p.heritage.add(hi, share)
			// Carers: fostering households are whiter than the children they look after.
			carer := share
			switch g {
			case 0:
				carer *= 1.8
			case numGroups - 1:
				carer = 0
			}
			p.carers.add(hi, carer)
		}
	}
}

// setupAges derives the age and sex of children who are not UASC so that, with the UASC,
// England has the national shares.
func (w *world) setupAges() {
	all, ua := ageProfile(), uascAgeProfile()
	uascFrac := float64(NationalUASC) / NationalChildren
	uTotal := 0.0
	for _, x := range ua {
		uTotal += x
	}
	sum := 0.0
	for a := range all {
		w.ageShare[a] = math.Max(0, all[a]/100-uascFrac*ua[a]/uTotal)
		sum += w.ageShare[a]
		w.ages.add(a, w.ageShare[a])
		w.uascAges.add(a, ua[a])
	}
	for a := range w.ageShare {
		w.ageShare[a] /= sum
	}
	w.maleShare = (maleShare - uascFrac*uascMaleShare) / (1 - uascFrac)
}

// selected lists the councils to generate, in code order.
func (w *world) selected() []*councilPlan {
	if len(w.cfg.Councils) == 0 {
		out := make([]*councilPlan, len(w.councils))
		for i := range w.councils {
			out[i] = &w.councils[i]
		}
		return out
	}
	want := make(map[catalogue.CouncilCode]bool, len(w.cfg.Councils))
	for _, c := range w.cfg.Councils {
		want[c] = true
	}
	var out []*councilPlan
	for i := range w.councils {
		if want[w.councils[i].c.Code] {
			out = append(out, &w.councils[i])
		}
	}
	return out
}
