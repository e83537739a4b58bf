package gen

import (
	"testing"

	"github.com/placematch/placematch/matcher/mcf"
)

func balanced(t *testing.T, g *mcf.Graph) {
	t.Helper()
	var sum int64
	for v := range g.NumNodes() {
		sum += g.Supply(v)
	}
	if sum != 0 {
		t.Errorf("supplies sum to %d", sum)
	}
}

func same(a, b *mcf.Graph) bool {
	if a.NumNodes() != b.NumNodes() || a.NumArcs() != b.NumArcs() {
		return false
	}
	for v := range a.NumNodes() {
		if a.Supply(v) != b.Supply(v) {
			return false
		}
	}
	for e := range a.NumArcs() {
		if a.Arc(e) != b.Arc(e) {
			return false
		}
	}
	return true
}

func TestBatch(t *testing.T) {
	const children, placements, k = 2000, 20000, 20
	g := Batch(children, placements, k, 1)
	balanced(t, g)
	if !same(g, Batch(children, placements, k, 1)) {
		t.Error("same seed, different graph")
	}
	if same(g, Batch(children, placements, k, 2)) {
		t.Error("different seeds, same graph")
	}
	sink := children + placements
	var vacancies int64
	seen := map[[2]int]bool{}
	for e := range g.NumArcs() {
		a := g.Arc(e)
		switch {
		case a.From < children && a.To == sink:
			if a.Upper != 2 || a.Cost != NoOfferPenalty {
				t.Fatalf("no-offer arc %+v", a)
			}
		case a.From < children:
			if a.Upper != 1 || a.Cost < 0 || a.Cost > 1000 || seen[[2]int{a.From, a.To}] {
				t.Fatalf("candidate arc %+v (repeated: %v)", a, seen[[2]int{a.From, a.To}])
			}
			seen[[2]int{a.From, a.To}] = true
		default:
			if a.To != sink || a.Upper < 1 || a.Upper > 3 {
				t.Fatalf("vacancy arc %+v", a)
			}
			vacancies += a.Upper
		}
	}
	if len(seen) != children*k {
		t.Errorf("%d candidate arcs, want %d", len(seen), children*k)
	}
	if perChild := float64(vacancies) / children; perChild < 1.3 || perChild > 1.7 {
		t.Errorf("%.2f vacancies per child, want about 1.5", perChild)
	}
}

func TestSparse(t *testing.T) {
	g := Sparse(1000, 10000, 1)
	balanced(t, g)
	if g.NumNodes() != 1000 || g.NumArcs() != 10000 {
		t.Errorf("%d nodes, %d arcs", g.NumNodes(), g.NumArcs())
	}
	if !same(g, Sparse(1000, 10000, 1)) {
		t.Error("same seed, different graph")
	}
}

func TestPlantedAssignment(t *testing.T) {
	for _, degree := range []int{1, 7, 50} {
		a := PlantedAssignment(50, degree, 1, 3)
		balanced(t, a.Graph)
		if a.Graph.NumArcs() != 50*degree {
			t.Errorf("degree %d: %d arcs", degree, a.Graph.NumArcs())
		}
		// The planted arcs are present and cost what the optimum says.
		var planted int64
		for e := range a.Graph.NumArcs() {
			arc := a.Graph.Arc(e)
			if arc.To-50 == a.Planted[arc.From] {
				planted += arc.Cost
			}
		}
		if planted != a.Optimum {
			t.Errorf("degree %d: planted arcs cost %d, optimum %d", degree, planted, a.Optimum)
		}
	}
}

func TestDropIsolated(t *testing.T) {
	g := Batch(100, 1000, 5, 1)
	h := DropIsolated(g)
	balanced(t, h)
	if h.NumArcs() != g.NumArcs() || h.NumNodes() >= g.NumNodes() {
		t.Fatalf("%d nodes %d arcs from %d nodes %d arcs", h.NumNodes(), h.NumArcs(), g.NumNodes(), g.NumArcs())
	}
	for e := range g.NumArcs() {
		a, b := g.Arc(e), h.Arc(e)
		if a.Cost != b.Cost || a.Upper != b.Upper || (a.From < 100) != (b.From < 100) {
			t.Fatalf("arc %d: %+v became %+v", e, a, b)
		}
	}
}
