package sufficiency

import (
	"math"
	"strconv"
)

// Figure is one published number: shown, withheld (suppressed, "c" as the DfE prints it), or
// not applicable ("z": a percentage of no children, a figure areas do not have).
type Figure struct {
	v     float64
	state uint8
	dp    uint8 // decimal places shown
}

const (
	figureNA uint8 = iota
	figureShown
	figureWithheld
)

// Symbols of withheld and not applicable figures, as the DfE's statistics print them.
const (
	SymbolWithheld      = "c"
	SymbolNotApplicable = "z"
)

// CountFigure is a shown count.
func CountFigure(n int) Figure { return Figure{v: float64(n), state: figureShown} }

func countFigure(n int32, withheld bool) Figure {
	if withheld {
		return Figure{state: figureWithheld}
	}
	return Figure{v: float64(n), state: figureShown}
}

// withheldFigure is a withheld figure.
func withheldFigure() Figure { return Figure{state: figureWithheld} }

// WithheldFigure is a withheld figure, for counts suppressed elsewhere (the API's sums of
// support plans).
func WithheldFigure() Figure { return withheldFigure() }

// valueFigure is a shown number with dp decimal places.
func valueFigure(x float64, dp uint8) Figure {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Figure{}
	}
	return Figure{v: round(x, dp), state: figureShown, dp: dp}
}

// Shown reports whether the figure is published.
func (f Figure) Shown() bool { return f.state == figureShown }

// Withheld reports whether the figure is suppressed.
func (f Figure) Withheld() bool { return f.state == figureWithheld }

// Value is the figure's value; 0 unless shown.
func (f Figure) Value() float64 {
	if f.state != figureShown {
		return 0
	}
	return f.v
}

// Int is the figure's value as a whole number; 0 unless shown.
func (f Figure) Int() int { return int(math.Round(f.Value())) }

// String prints the figure as the DfE does: the number, "c" when withheld, "z" when not
// applicable.
func (f Figure) String() string {
	switch f.state {
	case figureShown:
		return strconv.FormatFloat(f.v, 'f', int(f.dp), 64)
	case figureWithheld:
		return SymbolWithheld
	}
	return SymbolNotApplicable
}

// MarshalJSON writes a shown figure as a number, a withheld one as "c", and one not applicable
// as null.
func (f Figure) MarshalJSON() ([]byte, error) {
	switch f.state {
	case figureShown:
		return strconv.AppendFloat(nil, f.v, 'f', int(f.dp), 64), nil
	case figureWithheld:
		return []byte(`"c"`), nil
	}
	return []byte("null"), nil
}

// percent is num/den as a percentage to one decimal place; withheld when either is, not
// applicable when den is 0.
func percent(num, den Figure) Figure {
	switch {
	case num.Withheld() || den.Withheld():
		return withheldFigure()
	case !num.Shown() || !den.Shown() || den.v == 0:
		return Figure{}
	}
	return valueFigure(100*num.v/den.v, 1)
}

// ratio is x/den to dp decimal places, withheld with den, not applicable when den is 0.
func ratio(x float64, den Figure, dp uint8) Figure {
	switch {
	case den.Withheld():
		return withheldFigure()
	case !den.Shown() || den.v == 0:
		return Figure{}
	}
	return valueFigure(x/den.v, dp)
}

// difference is a-b, withheld when either is.
func difference(a, b Figure) Figure {
	switch {
	case a.Withheld() || b.Withheld():
		return withheldFigure()
	case !a.Shown() || !b.Shown():
		return Figure{}
	}
	return valueFigure(a.v-b.v, max(a.dp, b.dp))
}

// sumFigures adds shown figures; withheld when any is (used only for sums that the shown
// figures already give away, such as one choice plus none).
func sumFigures(fs ...Figure) Figure {
	total := 0.0
	for _, f := range fs {
		switch {
		case f.Withheld():
			return withheldFigure()
		case !f.Shown():
			return Figure{}
		}
		total += f.v
	}
	return Figure{v: total, state: figureShown}
}

func round(x float64, dp uint8) float64 {
	p := math.Pow10(int(dp))
	return math.Round(x*p) / p
}
