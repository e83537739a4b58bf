package exchange

import (
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// childRec is one child as read from a file, before references are resolved.
type childRec struct {
	sink         *rowSink
	key          string // the file's id, "" when not given
	child        catalogue.Child
	group        string // the sibling group's key, "" for none
	siblingCount *int   // PDS siblingCount, when given
	name         func(path string) string
	broken       bool // could not be read at all: nothing more to check
}

// groupRec is one sibling group as read from a file.
type groupRec struct {
	sink         *rowSink
	key          string
	group        catalogue.SiblingGroup
	councilGiven bool
	name         func(path string) string
	members      []int // the children that name it (their places in childAssembler.named)
}

// siblingCountOf is PDS siblingCount, the number of brothers and sisters to be placed with: the
// other members of the group unless the plan is to live apart.
func siblingCountOf(members int, plan catalogue.SiblingPlan) int {
	if members <= 1 || plan == catalogue.PlanApart {
		return 0
	}
	return members - 1
}

// childAssembler checks children as they are read, in file order: each record's own rules
// (its Validate, its council against the importing officer's) and those that need only the
// records before it (repeated keys and case references). It keeps every child while the file
// has no problem; once it has one, nothing will be written, so it keeps only what the checks at
// the end need: the keys seen, and the children that name a sibling group or give siblingCount.
// A bad file's memory so grows with its keys, not its records.
type childAssembler struct {
	opt         DecodeOptions
	rep         *report
	sameCouncil bool // the members of a group must agree on their council (CSV)
	n           int  // children added
	keys        map[string]int
	refs        map[caseKey]int
	kept        []childRec  // every child, while the report is empty
	named       []groupUser // the children that name a sibling group or give siblingCount
}

type caseKey struct {
	council catalogue.CouncilCode
	ref     string
}

// groupUser is what the checks at the end need of a child that names a sibling group or gives
// siblingCount.
type groupUser struct {
	index        int // the child's position in the file, from 0
	row          int
	council      catalogue.CouncilCode
	group        string // "" for none
	siblingCount *int
	groupIdx     int // the group's position in the file once found, or -1
}

// newChildAssembler checks children for an import with opt. sameCouncil makes the members of a
// group agree on their council (CSV, where the group's council is its members').
func newChildAssembler(opt DecodeOptions, rep *report, sameCouncil bool) *childAssembler {
	return &childAssembler{opt: opt, rep: rep, sameCouncil: sameCouncil, keys: map[string]int{}, refs: map[caseKey]int{}}
}

// add checks the next child of the file.
func (a *childAssembler) add(rec childRec) {
	i := a.n
	a.n++
	rec.child.ID = catalogue.ChildID(-(i + 1))
	if !rec.broken {
		a.check(i, &rec)
	}
	switch {
	case a.rep.empty():
		a.kept = append(a.kept, rec)
	case a.kept != nil:
		a.kept = nil // nothing will be written: let the records go
	}
}

func (a *childAssembler) check(i int, c *childRec) {
	if a.opt.Council != "" {
		switch {
		case c.child.Council == "" && !c.sink.reported(c.name("council")):
			c.child.Council = a.opt.Council
		case c.child.Council != a.opt.Council && !c.sink.reported(c.name("council")):
			c.sink.fail(c.name("council"), "must be %s: an officer imports children of their own council only", a.opt.Council)
		}
	}
	if c.key != "" {
		if first, dup := a.keys[c.key]; dup {
			c.sink.fail("id", "%q is the id of another child (record at %d)", clip(c.key), first)
		} else {
			a.keys[strings.Clone(c.key)] = c.sink.row
		}
	}
	if c.child.CaseRef != "" {
		k := caseKey{c.child.Council, c.child.CaseRef}
		if first, dup := a.refs[k]; dup {
			c.sink.fail(c.name("case_ref"), "%q is the case reference of another child of the same council (record at %d)", clip(c.child.CaseRef), first)
		} else {
			k.ref = strings.Clone(k.ref)
			a.refs[k] = c.sink.row
		}
	}
	// The sibling group is resolved at the end; Validate wants only a stored ID's sign.
	c.sink.validated(c.child.Validate(), c.name)
	if c.group != "" || c.siblingCount != nil {
		a.named = append(a.named, groupUser{index: i, row: c.sink.row, council: c.child.Council,
			group: strings.Clone(c.group), siblingCount: c.siblingCount, groupIdx: -1})
	}
}

// finish resolves the sibling groups children name, applies the rules of groups (their council,
// their members' siblingCount), validates every group and returns the batch, or an empty one
// when the file has a problem.
func (a *childAssembler) finish(groups []groupRec) catalogue.Batch {
	groupIdx := make(map[string]int, len(groups))
	for i, g := range groups {
		groupIdx[g.key] = i
	}
	for ui := range a.named {
		u := &a.named[ui]
		if u.group == "" {
			continue
		}
		gi, ok := groupIdx[u.group]
		if !ok {
			a.rep.add(u.row, "sibling_group", "refers to sibling group %q, which is not in the file", clip(u.group))
			continue
		}
		u.groupIdx = gi
		groups[gi].members = append(groups[gi].members, ui)
	}

	for i := range groups {
		g := &groups[i]
		g.group.ID = catalogue.SiblingGroupID(-(i + 1))
		if !g.councilGiven || a.sameCouncil {
			for _, ui := range g.members {
				mc := a.named[ui].council
				switch {
				case g.group.Council == "":
					g.group.Council = mc
				case mc != "" && mc != g.group.Council && a.sameCouncil:
					a.rep.add(a.named[ui].row, "council", "must be the council of the other children in sibling group %q (%s)", clip(g.key), g.group.Council)
				}
			}
			if g.group.Council == "" && a.opt.Council != "" {
				g.group.Council = a.opt.Council
			}
		}
		if a.opt.Council != "" && g.group.Council != a.opt.Council && !g.sink.reported(g.name("council")) {
			g.sink.fail(g.name("council"), "must be %s: an officer imports sibling groups of their own council only", a.opt.Council)
		}
		g.sink.validated(g.group.Validate(), g.name)
	}

	for _, u := range a.named {
		if u.siblingCount == nil {
			continue
		}
		want := 0
		if u.groupIdx >= 0 {
			g := groups[u.groupIdx]
			want = siblingCountOf(len(g.members), g.group.Plan)
		}
		if *u.siblingCount != want {
			a.rep.add(u.row, "siblingCount", "is %d, but the file has %d brothers and sisters to place with this child", *u.siblingCount, want)
		}
	}

	if !a.rep.empty() {
		return catalogue.Batch{}
	}
	for _, u := range a.named {
		if u.groupIdx >= 0 {
			a.kept[u.index].child.SiblingGroup = catalogue.SiblingGroupID(-(u.groupIdx + 1))
		}
	}
	b := catalogue.Batch{
		Children:      make([]catalogue.Child, len(a.kept)),
		SiblingGroups: make([]catalogue.SiblingGroup, len(groups)),
	}
	for i, c := range a.kept {
		b.Children[i] = c.child
	}
	for i, g := range groups {
		b.SiblingGroups[i] = g.group
	}
	return b
}
