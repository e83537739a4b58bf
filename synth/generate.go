package synth

import (
	"math/rand/v2"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Generate builds the synthetic catalogue described by cfg: providers, placements with their
// vacancies, sibling groups and children, referring to each other by batch-local negative keys.
// The same Config always gives the same Batch.
func Generate(cfg Config) (catalogue.Batch, error) {
	cfg, err := cfg.normalise()
	if err != nil {
		return catalogue.Batch{}, err
	}
	w := newWorld(cfg)
	v := newVocabulary()
	sel := w.selected()
	out := &output{pool: w.pool, providerKey: make([]catalogue.ProviderID, len(w.pool))}
	children, placements, groups := 0, 0, 0
	for _, p := range sel {
		children += p.children
		placements += p.fosterCouncil + p.fosterAgency + p.homes + p.supported + p.kinship
		groups += p.children / 7
	}
	out.batch.Children = make([]catalogue.Child, 0, children)
	out.batch.Placements = make([]catalogue.Placement, 0, placements)
	out.batch.SiblingGroups = make([]catalogue.SiblingGroup, 0, groups)
	out.batch.Episodes = make([]catalogue.Episode, 0, children*7/2)
	sl := &slabs{}
	for _, p := range sel {
		g := &gen{w: w, v: v, p: p, today: cfg.Today, out: out, slabs: sl, moves: defaultMoveModel()}
		if cfg.moves != nil {
			g.moves = *cfg.moves
		}
		g.r = newRand(cfg.Seed, p.idx, streamChildren)
		g.nextCase = 1_000_000 + int64(g.r.IntN(7_000_000))
		mh := newRand(cfg.Seed, p.idx, streamMentalHealth)
		kids, homes := len(out.batch.Children), len(out.batch.Placements)
		units := g.children()
		g.mentalHealthNeeds(mh, kids)
		g.r = newRand(cfg.Seed, p.idx, streamSupply)
		g.supply(units)
		g.mentalHealthSupply(mh, homes)
		g.r = newRand(cfg.Seed, p.idx, streamHistory)
		g.histories(units)
	}
	return out.batch, nil
}

// output is the batch being built, and which pool providers it uses.
type output struct {
	batch       catalogue.Batch
	pool        []catalogue.Provider
	providerKey []catalogue.ProviderID // pool index -> batch key, 0 until first used
}

// provider returns the batch key of a pool provider, adding it to the batch on first use.
func (o *output) provider(idx int) catalogue.ProviderID {
	if k := o.providerKey[idx]; k != 0 {
		return k
	}
	k := catalogue.ProviderID(-int64(len(o.batch.Providers) + 1))
	p := o.pool[idx]
	p.ID = k
	o.batch.Providers = append(o.batch.Providers, p)
	o.providerKey[idx] = k
	return k
}

// gen generates one council's records.
type gen struct {
	w        *world
	v        *vocabulary
	p        *councilPlan
	r        *rand.Rand
	today    time.Time
	out      *output
	slabs    *slabs
	scratch  scratch
	nextCase int64
	nextURN  int64
	buf      []byte
	drafts   []draft // reused by history
	moves    moveModel
}

// scratch holds reusable buffers for lists being built; finished lists are copied to slabs.
type scratch struct {
	needs     []catalogue.Need
	risks     []catalogue.RiskToOthers
	comms     []catalogue.Communication
	contacts  []catalogue.Contact
	zones     []catalogue.ExclusionZone
	wishes    []catalogue.Wish
	skills    []catalogue.Skill
	members   []catalogue.Member
	carers    []catalogue.Carer
	langs     []string
	purposes  []catalogue.Purpose
	animals   []catalogue.Animal
	vacancies []catalogue.Vacancy
	connected []catalogue.ChildID
}

// slabs back the small lists of many records with a few large arrays, so that generating
// England costs a few thousand allocations for lists rather than millions.
type slabs struct {
	needs     []catalogue.Need
	risks     []catalogue.RiskToOthers
	comms     []catalogue.Communication
	contacts  []catalogue.Contact
	zones     []catalogue.ExclusionZone
	wishes    []catalogue.Wish
	skills    []catalogue.Skill
	members   []catalogue.Member
	carers    []catalogue.Carer
	langs     []string
	purposes  []catalogue.Purpose
	animals   []catalogue.Animal
	sexes     []catalogue.Sex
	vacancies []catalogue.Vacancy
	connected []catalogue.ChildID
}

const slabSize = 4096

// keep copies src into the slab and returns the copy, capped so that appending to it never
// overwrites its neighbour. An empty list is nil.
func keep[T any](slab *[]T, src []T) []T {
	if len(src) == 0 {
		return nil
	}
	if cap(*slab)-len(*slab) < len(src) {
		*slab = make([]T, 0, max(slabSize, len(src)))
	}
	start := len(*slab)
	*slab = append(*slab, src...)
	return (*slab)[start:len(*slab):len(*slab)]
}
