package exchange

import (
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
	members      []int // indexes of the children that name it
}

// siblingCountOf is PDS siblingCount, the number of brothers and sisters to be placed with: the
// other members of the group unless the plan is to live apart.
func siblingCountOf(members int, plan catalogue.SiblingPlan) int {
	if members <= 1 || plan == catalogue.PlanApart {
		return 0
	}
	return members - 1
}

// assembleChildren resolves keys and references, applies the cross-record rules and validates
// every record. sameCouncil makes the members of a group agree on their council (CSV, where the
// group's council is its members').
func assembleChildren(children []childRec, groups []groupRec, opt DecodeOptions, rep *report, sameCouncil bool) catalogue.Batch {
	groupIdx := make(map[string]int, len(groups))
	for i, g := range groups {
		groupIdx[g.key] = i
	}
	type caseKey struct {
		council catalogue.CouncilCode
		ref     string
	}
	keys := make(map[string]int, len(children))
	refs := make(map[caseKey]int, len(children))
	for i := range children {
		c := &children[i]
		c.child.ID = catalogue.ChildID(-(i + 1))
		if c.broken {
			continue
		}
		if opt.Council != "" {
			switch {
			case c.child.Council == "" && !c.sink.reported(c.name("council")):
				c.child.Council = opt.Council
			case c.child.Council != opt.Council && !c.sink.reported(c.name("council")):
				c.sink.fail(c.name("council"), "must be %s: an officer imports children of their own council only", opt.Council)
			}
		}
		if c.key != "" {
			if first, dup := keys[c.key]; dup {
				c.sink.fail("id", "%q is the id of another child (record at %d)", clip(c.key), children[first].sink.row)
			} else {
				keys[c.key] = i
			}
		}
		if c.child.CaseRef != "" {
			k := caseKey{c.child.Council, c.child.CaseRef}
			if first, dup := refs[k]; dup {
				c.sink.fail(c.name("case_ref"), "%q is the case reference of another child of the same council (record at %d)", clip(c.child.CaseRef), children[first].sink.row)
			} else {
				refs[k] = i
			}
		}
		if c.group != "" {
			gi, ok := groupIdx[c.group]
			if !ok {
				c.sink.fail(c.name("sibling_group"), "refers to sibling group %q, which is not in the file", clip(c.group))
				continue
			}
			c.child.SiblingGroup = catalogue.SiblingGroupID(-(gi + 1))
			groups[gi].members = append(groups[gi].members, i)
		}
	}

	for i := range groups {
		g := &groups[i]
		g.group.ID = catalogue.SiblingGroupID(-(i + 1))
		if !g.councilGiven || sameCouncil {
			for _, m := range g.members {
				mc := children[m].child.Council
				switch {
				case g.group.Council == "":
					g.group.Council = mc
				case mc != "" && mc != g.group.Council && sameCouncil:
					children[m].sink.fail(children[m].name("council"), "must be the council of the other children in sibling group %q (%s)", clip(g.key), g.group.Council)
				}
			}
			if g.group.Council == "" && opt.Council != "" {
				g.group.Council = opt.Council
			}
		}
		if opt.Council != "" && g.group.Council != opt.Council && !g.sink.reported(g.name("council")) {
			g.sink.fail(g.name("council"), "must be %s: an officer imports sibling groups of their own council only", opt.Council)
		}
		g.sink.validated(g.group.Validate(), g.name)
	}

	for i := range children {
		c := &children[i]
		if c.broken {
			continue
		}
		if c.siblingCount != nil {
			want := 0
			if c.child.SiblingGroup < 0 {
				g := groups[-int(c.child.SiblingGroup)-1]
				want = siblingCountOf(len(g.members), g.group.Plan)
			}
			if *c.siblingCount != want {
				c.sink.fail("siblingCount", "is %d, but the file has %d brothers and sisters to place with this child", *c.siblingCount, want)
			}
		}
		check := c.child
		if check.SiblingGroup < 0 {
			check.SiblingGroup = 1 // a batch-local key; Validate wants a stored ID's sign
		}
		c.sink.validated(check.Validate(), c.name)
	}

	if !rep.empty() {
		return catalogue.Batch{}
	}
	b := catalogue.Batch{
		Children:      make([]catalogue.Child, len(children)),
		SiblingGroups: make([]catalogue.SiblingGroup, len(groups)),
	}
	for i, c := range children {
		b.Children[i] = c.child
	}
	for i, g := range groups {
		b.SiblingGroups[i] = g.group
	}
	return b
}
