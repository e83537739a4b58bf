package scoring

import (
	"math"
	"strconv"

	"github.com/placematch/placematch/catalogue"
)

// explain collects the sentences and distances of one Score into one buffer, so that ten
// sentences cost one string allocation rather than dozens; Quick passes nil and builds none.
type explain struct {
	buf       []byte
	start     [nFactors]int
	end       [nFactors]int
	schoolKm  float64
	contactKm []float64
}

// begin starts factor i's sentence.
func (e *explain) begin(i int) { e.start[i] = len(e.buf) }

// done ends factor i's sentence and gives it a capital letter.
func (e *explain) done(i int) {
	e.end[i] = len(e.buf)
	if s := e.start[i]; s < len(e.buf) && e.buf[s] >= 'a' && e.buf[s] <= 'z' {
		e.buf[s] -= 'a' - 'A'
	}
}

// reasons returns every factor's sentence, all sharing one string.
func (e *explain) reasons() [nFactors]string {
	all := string(e.buf)
	var out [nFactors]string
	for i := range out {
		out[i] = all[e.start[i]:e.end[i]]
	}
	return out
}

// s writes strings.
func (e *explain) s(parts ...string) {
	for _, p := range parts {
		e.buf = append(e.buf, p...)
	}
}

// int writes a whole number in figures.
func (e *explain) int(n int) { e.buf = strconv.AppendInt(e.buf, int64(n), 10) }

// number writes a small whole number in words ("three"), a larger one in figures.
func (e *explain) number(n int) {
	if n >= 0 && n <= 10 {
		e.s(number(n))
		return
	}
	e.int(n)
}

// plural writes "one place" or "three places".
func (e *explain) plural(n int, one, many string) {
	if n == 1 {
		e.s("one ", one)
		return
	}
	e.number(n)
	e.s(" ", many)
}

// miles writes a distance given in km as miles: "4.2 miles", "1 mile", "less than 0.1 miles".
// With unit false it writes the figure alone ("4.2"), for lists that end with the unit.
func (e *explain) miles(km float64, unit bool) {
	m := math.Round(km/catalogue.MilesToKm*10) / 10
	switch {
	case m == 0:
		e.s("less than 0.1")
	case m == 1 && unit:
		e.s("1 mile")
		return
	case m == 1:
		e.s("1")
	default:
		e.buf = strconv.AppendFloat(e.buf, m, 'f', 1, 64)
	}
	if unit {
		e.s(" miles")
	}
}

// pounds writes whole pounds with thousands separators: "£820", "£4,500".
func (e *explain) pounds(n int) {
	e.s("£")
	if n < 0 {
		e.s("-")
		n = -n
	}
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], int64(n), 10)
	for i, c := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, c)
	}
}

// sep writes what goes before item i of n in a list: nothing, ", " or " and ".
func (e *explain) sep(i, n int, and string) {
	switch {
	case i == 0:
	case i == n-1:
		e.s(" ", and, " ")
	default:
		e.s(", ")
	}
}

// name writes the child's name, or their possessive ("Amy's").
func (e *explain) name(nm string, possessive bool) {
	e.s(nm)
	if possessive {
		e.s("'s")
	}
}
