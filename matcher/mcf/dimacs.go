package mcf

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// The DIMACS min-cost flow format, one item per line, nodes numbered from 1:
//
//	c any comment
//	p min NODES ARCS
//	n ID SUPPLY            (nodes without a line have supply 0)
//	a FROM TO LOW CAP COST (CAP -1: no upper bound, as LEMON reads it)
//
// A solution is "s COST" followed by "f FROM TO FLOW" for each arc with positive flow.

// MaxDIMACSNodes is the largest node count ReadDIMACS accepts.
const MaxDIMACSNodes = 1 << 26

// MaxDIMACSIsolated is how many nodes a DIMACS file may declare beyond those its lines name
// (two for each arc line, one for each node line): nodes without arcs or supply, which the
// solver ignores. Nothing is sized by the problem line until the file is read, and a node count
// beyond this bound is refused, so that a short file cannot make ReadDIMACS or the solver
// allocate gigabytes.
const MaxDIMACSIsolated = 1 << 20

// maxReported is how many bad lines a FormatError lists before it only counts them.
const maxReported = 100

// maxLine is the longest line ReadDIMACS reads.
const maxLine = 1 << 16

// LineError is one bad line of a DIMACS file.
type LineError struct {
	Line int // 1-based
	Msg  string
}

func (e LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// FormatError lists the bad lines of a DIMACS file in order: every one of them, up to a
// hundred, and how many more there were.
type FormatError struct {
	Lines   []LineError
	Omitted int
}

func (e *FormatError) Error() string {
	var b strings.Builder
	b.WriteString("mcf: bad DIMACS file: ")
	for i, l := range e.Lines {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(l.Error())
	}
	if e.Omitted > 0 {
		fmt.Fprintf(&b, "; and %d more bad lines", e.Omitted)
	}
	return b.String()
}

// ReadDIMACS reads a min-cost flow problem in DIMACS format. A bad file gives a *FormatError
// naming every bad line with its number (a missing problem line, an arc count that does not
// match the problem line, and a node count beyond the nodes the lines name plus
// MaxDIMACSIsolated are reported too); a failing reader gives its error, wrapped.
func ReadDIMACS(r io.Reader) (*Graph, error) {
	return readDIMACS(r, MaxDIMACSNodes)
}

// dimacsReader collects the problem while reading. Nothing is sized by the problem line: arcs
// and node lines are kept as they arrive, and the nodes are allocated once the file is read and
// its counts agree with its lines.
type dimacsReader struct {
	maxNodes int
	errs     FormatError
	line     int

	problemLine int  // line of the problem line, 0 before it
	badProblem  bool // the problem line was bad: node and arc lines cannot be checked
	nodes       int
	declArcs    int64
	hasSupply   map[int32]struct{} // nodes with a node line (a set as big as the file, not the header)
	supplies    []nodeSupply       // the node lines, in order
	g           *Graph             // its arcs; its nodes are allocated at the end
}

// nodeSupply is one node line.
type nodeSupply struct {
	node   int32
	supply int64
}

func readDIMACS(r io.Reader, maxNodes int) (*Graph, error) {
	d := &dimacsReader{maxNodes: maxNodes}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	var fields [7][]byte
	for sc.Scan() {
		d.line++
		f := splitFields(sc.Bytes(), fields[:0])
		if len(f) == 0 {
			continue
		}
		d.parseLine(f)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			d.fail(d.line+1, "line longer than %d bytes", maxLine)
		} else {
			return nil, fmt.Errorf("mcf: reading DIMACS: %w", err)
		}
	}
	switch {
	case d.badProblem:
	case d.problemLine == 0:
		d.fail(max(d.line, 1), "no problem line (p min NODES ARCS)")
	case len(d.errs.Lines) == 0:
		arcs := d.g.NumArcs()
		if named := 2*int64(arcs) + int64(len(d.supplies)); int64(d.nodes) > named+MaxDIMACSIsolated {
			d.fail(d.problemLine, "problem line declares %d nodes, but the file names at most %d (up to %d more may be named by no line)",
				d.nodes, named, MaxDIMACSIsolated)
		}
		if int64(arcs) != d.declArcs {
			d.fail(d.problemLine, "problem line declares %d arcs, the file has %d", d.declArcs, arcs)
		}
	}
	if len(d.errs.Lines) > 0 || d.errs.Omitted > 0 {
		return nil, &d.errs
	}
	d.g.supply = make([]int64, d.nodes)
	for _, ns := range d.supplies {
		d.g.supply[ns.node] = ns.supply
	}
	return d.g, nil
}

func (d *dimacsReader) fail(line int, format string, args ...any) {
	if len(d.errs.Lines) >= maxReported {
		d.errs.Omitted++
		return
	}
	d.errs.Lines = append(d.errs.Lines, LineError{Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (d *dimacsReader) parseLine(f [][]byte) {
	if len(f[0]) != 1 {
		d.fail(d.line, "unknown line type %q (want c, p, n or a)", truncate(f[0]))
		return
	}
	switch f[0][0] {
	case 'c':
	case 'p':
		d.parseProblem(f)
	case 'n':
		d.parseNode(f)
	case 'a':
		d.parseArc(f)
	default:
		d.fail(d.line, "unknown line type %q (want c, p, n or a)", truncate(f[0]))
	}
}

func (d *dimacsReader) parseProblem(f [][]byte) {
	if d.problemLine != 0 || d.badProblem {
		d.fail(d.line, "second problem line")
		return
	}
	if len(f) != 4 || string(f[1]) != "min" {
		d.fail(d.line, "problem line must be \"p min NODES ARCS\"")
		d.badProblem = true
		return
	}
	nodes, ok1 := d.number(f[2], "node count", 0, int64(d.maxNodes))
	arcs, ok2 := d.number(f[3], "arc count", 0, maxArcs)
	if !ok1 || !ok2 {
		d.badProblem = true
		return
	}
	d.problemLine, d.nodes, d.declArcs = d.line, int(nodes), arcs
	d.g = NewGraph(0, 0) // the arcs grow as their lines arrive; the nodes are made at the end
}

func (d *dimacsReader) parseNode(f [][]byte) {
	if d.badProblem {
		return
	}
	if d.problemLine == 0 {
		d.fail(d.line, "node line before the problem line")
		return
	}
	if len(f) != 3 {
		d.fail(d.line, "node line must be \"n ID SUPPLY\", got %d fields", len(f))
		return
	}
	id, ok1 := d.node(f[1])
	s, ok2 := d.number(f[2], "supply", -Infinity, Infinity)
	if !ok1 || !ok2 {
		return
	}
	if _, dup := d.hasSupply[id]; dup {
		d.fail(d.line, "second node line for node %d", id+1)
		return
	}
	if d.hasSupply == nil {
		d.hasSupply = make(map[int32]struct{})
	}
	d.hasSupply[id] = struct{}{}
	d.supplies = append(d.supplies, nodeSupply{node: id, supply: s})
}

func (d *dimacsReader) parseArc(f [][]byte) {
	if d.badProblem {
		return
	}
	if d.problemLine == 0 {
		d.fail(d.line, "arc line before the problem line")
		return
	}
	if len(f) != 6 {
		d.fail(d.line, "arc line must be \"a FROM TO LOW CAP COST\", got %d fields", len(f))
		return
	}
	u, ok1 := d.node(f[1])
	v, ok2 := d.node(f[2])
	lo, ok3 := d.number(f[3], "lower bound", 0, Infinity-1)
	up, ok4 := d.number(f[4], "capacity", -1, Infinity-1)
	c, ok5 := d.number(f[5], "cost", -Infinity, Infinity)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return
	}
	if up == -1 {
		up = Infinity
	} else if up < lo {
		d.fail(d.line, "capacity %d below lower bound %d", up, lo)
		return
	}
	if int64(d.g.NumArcs()) >= maxArcs {
		d.fail(d.line, "more than %d arcs", maxArcs)
		return
	}
	// Not AddArc: the graph has no nodes yet, and u and v were checked against the node count.
	g := d.g
	if n := len(g.from); n == cap(g.from) {
		// Room for three times the arcs so far, but not beyond the count declared when the
		// file keeps to it: memory follows the lines that arrived, never the header alone.
		more := max(3*n, 1<<12)
		if left := d.declArcs - int64(n); left > 0 && left < int64(more) {
			more = int(left)
		}
		g.from, g.to = slices.Grow(g.from, more), slices.Grow(g.to, more)
		g.lower, g.upper, g.cost = slices.Grow(g.lower, more), slices.Grow(g.upper, more), slices.Grow(g.cost, more)
	}
	g.from, g.to = append(g.from, u), append(g.to, v)
	g.lower, g.upper, g.cost = append(g.lower, lo), append(g.upper, up), append(g.cost, c)
}

// node parses a 1-based node number and returns it 0-based.
func (d *dimacsReader) node(b []byte) (int32, bool) {
	id, ok := d.number(b, "node", 1, int64(d.nodes))
	return int32(id - 1), ok
}

// number parses a decimal integer in [lo, hi], reporting a bad one.
func (d *dimacsReader) number(b []byte, what string, lo, hi int64) (int64, bool) {
	x, err := parseInt(b)
	if err != nil {
		d.fail(d.line, "%s %q: %v", what, truncate(b), err)
		return 0, false
	}
	if x < lo || x > hi {
		d.fail(d.line, "%s %d out of range [%d, %d]", what, x, lo, hi)
		return 0, false
	}
	return x, true
}

var errSyntax = errors.New("not an integer")
var errRange = errors.New("out of the 64-bit range")

// parseInt parses an optionally signed decimal integer without allocating.
func parseInt(b []byte) (int64, error) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, errSyntax
	}
	var x uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, errSyntax
		}
		if x > (1<<63)/10 {
			return 0, errRange
		}
		x = x*10 + uint64(c-'0')
		if x > 1<<63 {
			return 0, errRange
		}
	}
	if neg {
		return -int64(x), nil // x == 1<<63 gives MinInt64
	}
	if x > 1<<63-1 {
		return 0, errRange
	}
	return int64(x), nil
}

// splitFields splits a line on spaces and tabs, appending to dst.
func splitFields(line []byte, dst [][]byte) [][]byte {
	i := 0
	for i < len(line) {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		j := i
		for j < len(line) && !isSpace(line[j]) {
			j++
		}
		if j > i {
			dst = append(dst, line[i:j])
		}
		i = j
	}
	return dst
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }

// truncate shortens a field quoted in an error message.
func truncate(b []byte) string {
	if len(b) > 24 {
		return string(b[:24]) + "..."
	}
	return string(b)
}

// WriteDIMACS writes g in DIMACS min-cost flow format: the problem line, a node line for
// each node with non-zero supply, and an arc line for each arc in order, with capacity -1
// for an arc without upper bound.
func WriteDIMACS(w io.Writer, g *Graph) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	buf := make([]byte, 0, 128)
	buf = append(buf, "c min-cost flow problem\np min "...)
	buf = strconv.AppendInt(buf, int64(g.NumNodes()), 10)
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, int64(g.NumArcs()), 10)
	buf = append(buf, '\n')
	bw.Write(buf)
	for v, s := range g.supply {
		if s == 0 {
			continue
		}
		buf = append(buf[:0], "n "...)
		buf = strconv.AppendInt(buf, int64(v)+1, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, s, 10)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	for a := range g.from {
		up := g.upper[a]
		if up == Infinity {
			up = -1
		}
		buf = append(buf[:0], "a "...)
		buf = strconv.AppendInt(buf, int64(g.from[a])+1, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(g.to[a])+1, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, g.lower[a], 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, up, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, g.cost[a], 10)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("mcf: writing DIMACS: %w", err)
	}
	return nil
}

// WriteFlow writes a solution of g in DIMACS format: "s COST", then "f FROM TO FLOW" for each
// arc with positive flow, in arc order.
func WriteFlow(w io.Writer, g *Graph, r Result) error {
	if len(r.Flow) != g.NumArcs() {
		return fmt.Errorf("mcf: WriteFlow: result has %d flows for %d arcs", len(r.Flow), g.NumArcs())
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	buf := make([]byte, 0, 128)
	buf = append(buf, "s "...)
	buf = strconv.AppendInt(buf, r.Cost, 10)
	buf = append(buf, '\n')
	bw.Write(buf)
	for a, f := range r.Flow {
		if f <= 0 {
			continue
		}
		buf = append(buf[:0], "f "...)
		buf = strconv.AppendInt(buf, int64(g.from[a])+1, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(g.to[a])+1, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, f, 10)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("mcf: writing flow: %w", err)
	}
	return nil
}
