package sufficiency

import (
	"encoding/binary"
	"slices"
)

// Protection's memo. breakdownMoves reads nothing of a tally but the figures of the areas its
// area change touches (canTake and least read only their rows), so its answer for the same
// arguments is the same while those areas' figures are: protect keeps every answer, and a
// what-if's suppression takes the report's answers for the changes whose areas' figures the
// what-if left as they were (moveMemo.prior), computing the others. The withheld figures are
// exactly those of a suppression from scratch (TestWhatIfEqualsFreshRunRandom): only the time
// differs.
type moveMemo struct {
	m map[string][]axisMove
	// prior is the published report's tally a what-if's tally was made beside (nil: none), and
	// same marks the areas whose figures are the same in both.
	prior *tally
	same  []bool
	taken int // answers taken from prior's
}

// usePrior lets the tally take the answers of prior's suppression where they hold: both are
// published reports (no reader's known figures) over the same areas.
func (t *tally) usePrior(prior *tally) {
	if prior == nil || prior.knownAreas != nil || t.knownAreas != nil || prior.areas != t.areas || len(prior.v) != len(t.v) || prior.memo.m == nil {
		return
	}
	width := nBreakdowns * nCount
	same := make([]bool, len(t.areas.list))
	for ar := range same {
		same[ar] = slices.Equal(prior.v[ar*width:(ar+1)*width], t.v[ar*width:(ar+1)*width])
	}
	t.memo.prior, t.memo.same = prior, same
}

// moves is breakdownMoves through the memo.
func (t *tally) moves(am axisMove, b int, mm axisMove, withUp bool) []axisMove {
	key := moveKey(am, b, mm, withUp)
	if out, ok := t.memo.m[key]; ok {
		return out
	}
	if p := t.memo.prior; p != nil && t.memo.sameAreas(am) {
		if out, ok := p.memo.m[key]; ok {
			t.memo.put(key, out)
			t.memo.taken++
			return out
		}
	}
	out := t.breakdownMoves(am, b, mm, withUp)
	t.memo.put(key, out)
	return out
}

func (mm *moveMemo) put(key string, out []axisMove) {
	if mm.m == nil {
		mm.m = map[string][]axisMove{}
	}
	mm.m[key] = slices.Clip(out)
}

func (mm *moveMemo) sameAreas(am axisMove) bool {
	for _, a := range am.idx {
		if !mm.same[a] {
			return false
		}
	}
	return true
}

// moveKey names breakdownMoves' arguments.
func moveKey(am axisMove, b int, mm axisMove, withUp bool) string {
	buf := make([]byte, 0, 3*(len(am.idx)+len(mm.idx))+6)
	put := func(m axisMove) {
		buf = append(buf, byte(len(m.idx)))
		for i, x := range m.idx {
			buf = binary.LittleEndian.AppendUint16(buf, uint16(x))
			buf = append(buf, byte(m.sign[i]))
		}
	}
	put(am)
	put(mm)
	buf = binary.LittleEndian.AppendUint16(buf, uint16(b))
	if withUp {
		buf = append(buf, 1)
	}
	return string(buf)
}
