package matcher

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// writeLP writes the exact integer programme of a batch problem in CPLEX LP format, over every
// candidate the problem knows (in the flow or in reserve), for CBC, GLPK or HiGHS:
//
//	minimise   sum size_e cost_ek x_ek + sum size_e (penalty m1_e + 2 penalty m2_e)
//	subject to sum_k x_ek + m1_e + m2_e = 2                     for each entity e
//	           sum_{e,k at p, entry <= j} size_e x_ek <= places of p open at level j or before
//	           sum_{e,k at p} size_e x_ek <= room of p            for each placement p
//	           x binary, 0 <= m1, m2 <= 1
//
// x_ek = 1 offers entity e (a child, or a sibling group, which then needs size places in the
// household) candidate k. The integer programme's optimum is the best any method could do
// with the same candidates; the batch's own answer is measured against it.
func writeLP(w io.Writer, p *problem) error {
	bw := bufio.NewWriter(w)
	type use struct {
		v     string
		size  int32
		entry int
	}
	byPlace := map[int32][]use{}
	var slots []int32
	fmt.Fprintln(bw, "\\ batch match: offers first, then quality")
	fmt.Fprintln(bw, "Minimize")
	fmt.Fprint(bw, " obj:")
	var binaries []string
	term := 0
	wterm := func(coef int64, v string) {
		if term%8 == 7 {
			fmt.Fprint(bw, "\n ")
		}
		fmt.Fprintf(bw, " + %d %s", coef, v)
		term++
	}
	for i := range p.ents {
		e := &p.ents[i]
		for k, a := range e.candidates() {
			v := "x" + strconv.Itoa(i) + "_" + strconv.Itoa(k)
			wterm(int64(e.size)*int64(a.cost), v)
			binaries = append(binaries, v)
			if _, ok := byPlace[a.slot]; !ok {
				slots = append(slots, a.slot)
			}
			byPlace[a.slot] = append(byPlace[a.slot], use{v: v, size: e.size, entry: p.places[a.slot].entry(e.day)})
		}
		wterm(int64(e.size)*p.penalty, "m1_"+strconv.Itoa(i))
		wterm(2*int64(e.size)*p.penalty, "m2_"+strconv.Itoa(i))
	}
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, "Subject To")
	for i := range p.ents {
		fmt.Fprintf(bw, " e%d:", i)
		for k := range p.ents[i].candidates() {
			fmt.Fprintf(bw, " + x%d_%d", i, k)
		}
		fmt.Fprintf(bw, " + m1_%d + m2_%d = 2\n", i, i)
	}
	slices.Sort(slots)
	for _, s := range slots {
		pl := p.places[s]
		uses := byPlace[s]
		var open int32
		for j, l := range pl.levels {
			open += l.count
			if j == len(pl.levels)-1 {
				break // the total is bounded below with the room
			}
			n := 0
			for _, u := range uses {
				if u.entry <= j {
					if n == 0 {
						fmt.Fprintf(bw, " p%d_%d:", s, j)
					}
					fmt.Fprintf(bw, " + %d %s", u.size, u.v)
					n++
				}
			}
			if n > 0 {
				fmt.Fprintf(bw, " <= %d\n", open)
			}
		}
		fmt.Fprintf(bw, " p%d:", s)
		for _, u := range uses {
			fmt.Fprintf(bw, " + %d %s", u.size, u.v)
		}
		fmt.Fprintf(bw, " <= %d\n", min(open, pl.room))
	}
	fmt.Fprintln(bw, "Bounds")
	for i := range p.ents {
		fmt.Fprintf(bw, " 0 <= m1_%d <= 1\n 0 <= m2_%d <= 1\n", i, i)
	}
	fmt.Fprintln(bw, "Binaries")
	for k, v := range binaries {
		fmt.Fprint(bw, " ", v)
		if k%10 == 9 {
			fmt.Fprintln(bw)
		}
	}
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, "End")
	return bw.Flush()
}
