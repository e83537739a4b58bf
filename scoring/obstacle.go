package scoring

import (
	"github.com/golang/geo/s2"

	"github.com/placematch/placematch/catalogue"
)

// CheckAt is Check for a placement whose S2 point (Point(pl.Location)) the caller already holds,
// as a scan over an index does: it spares the trigonometry of locating the placement again.
func (p *Prepared) CheckAt(pl *catalogue.Placement, pt s2.Point) (r Rejection) {
	located := true
	for i := range nConstraints {
		if p.fails(i, pl, &pt, &located, &r) {
			r.idx = i
			return r
		}
	}
	return Rejection{}
}

// OnlyObstacle reports the one hard constraint the placement breaks, when it breaks exactly one:
// relaxing that constraint alone would make the placement an option. It returns false when the
// placement passes every constraint or breaks two or more. It tests constraints in the order of
// Constraints and stops at the second broken, so it costs about as much as Check; it does not
// allocate. Sufficiency analysis uses it to say which rule stands between a child and a home.
func (p *Prepared) OnlyObstacle(pl *catalogue.Placement) (Constraint, bool) {
	var pt s2.Point
	return p.onlyObstacle(pl, &pt, false)
}

// OnlyObstacleAt is OnlyObstacle for a placement whose S2 point the caller already holds.
func (p *Prepared) OnlyObstacleAt(pl *catalogue.Placement, pt s2.Point) (Constraint, bool) {
	return p.onlyObstacle(pl, &pt, true)
}

func (p *Prepared) onlyObstacle(pl *catalogue.Placement, pt *s2.Point, located bool) (Constraint, bool) {
	found := -1
	for i := range nConstraints {
		var r Rejection
		if p.fails(i, pl, pt, &located, &r) {
			if found >= 0 {
				return "", false
			}
			found = i
		}
	}
	if found < 0 {
		return "", false
	}
	return Constraints[found], true
}
