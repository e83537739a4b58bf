package mcf_test

import (
	"bytes"
	"context"
	"errors"
	"github.com/placematch/placematch/matcher/mcf"
	"math/rand/v2"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestReadDIMACS(t *testing.T) {
	t.Parallel()
	const in = `c a small problem
c with comments

p min 4 5
n 1 4
n 4 -4
a 1 2 0 3 1
a 2 4 0 3 1
a 1 3 0 5 2
a 3 4 1 -1 2
	a 1 4 0 0 9
`
	g, err := mcf.ReadDIMACS(strings.NewReader(in))
	if err != nil {
		t.Fatalf("mcf.ReadDIMACS: %v", err)
	}
	if g.NumNodes() != 4 || g.NumArcs() != 5 {
		t.Fatalf("got %d nodes, %d arcs", g.NumNodes(), g.NumArcs())
	}
	if g.Supply(0) != 4 || g.Supply(3) != -4 || g.Supply(1) != 0 {
		t.Errorf("supplies %d %d %d", g.Supply(0), g.Supply(1), g.Supply(3))
	}
	if got, want := g.Arc(3), (mcf.Arc{From: 2, To: 3, Lower: 1, Upper: mcf.Infinity, Cost: 2}); got != want {
		t.Errorf("arc 3 = %+v, want %+v", got, want)
	}
	res, err := g.Solve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Cost != 3*2+1*4 {
		t.Errorf("cost %d, want 10", res.Cost)
	}
	var out bytes.Buffer
	if err := mcf.WriteFlow(&out, g, res); err != nil {
		t.Fatal(err)
	}
	if want := "s 10\nf 1 2 3\nf 2 4 3\nf 1 3 1\nf 3 4 1\n"; out.String() != want {
		t.Errorf("mcf.WriteFlow wrote\n%s\nwant\n%s", out.String(), want)
	}
}

func TestReadDIMACSErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string // every message, in order, each with its line number
	}{
		{"empty", "", []string{"line 1: no problem line"}},
		{"only comments", "c x\nc y\n", []string{"line 2: no problem line"}},
		{"arc before problem", "a 1 2 0 1 1\np min 2 1\na 1 2 0 1 1\n", []string{"line 1: arc line before the problem line"}},
		{"node before problem", "n 1 1\np min 1 0\n", []string{"line 1: node line before the problem line"}},
		{"not min", "p max 2 1\na 1 2 0 1 1\n", []string{`line 1: problem line must be "p min NODES ARCS"`}},
		{"second problem line", "p min 2 0\np min 2 0\n", []string{"line 2: second problem line"}},
		{"bad counts", "p min -1 x\n", []string{"line 1: node count -1 out of range", `line 1: arc count "x": not an integer`}},
		{"too many nodes", "p min 99999999999 0\n", []string{"line 1: node count 99999999999 out of range"}},
		{
			"every bad line",
			"c ok\np min 3 6\nn 1 5\nn 1 5\nn 4 1\nn 2 x\na 1 2 0 1\na 1 9 0 1 1\na 1 2 -1 1 1\na 1 2 3 2 1\na 1 2 0 1 99999999999999999999\nq 1 2\nn 3 -5 7\n",
			[]string{
				"line 4: second node line for node 1",
				"line 5: node 4 out of range [1, 3]",
				`line 6: supply "x": not an integer`,
				"line 7: arc line must be",
				"line 8: node 9 out of range",
				"line 9: lower bound -1 out of range",
				"line 10: capacity 2 below lower bound 3",
				"line 11: cost \"99999999999999999999\": out of the 64-bit range",
				`line 12: unknown line type "q"`,
				"line 13: node line must be",
			},
		},
		{"arc count mismatch", "p min 2 2\na 1 2 0 1 1\n", []string{"line 1: problem line declares 2 arcs, the file has 1"}},
		{"nodes the file cannot hold", "p min 67108864 10\n", []string{
			"line 1: problem line declares 67108864 nodes, but the file names at most 0 (up to 1048576 more may be named by no line)",
			"line 1: problem line declares 10 arcs, the file has 0"}},
		{"long line", "p min 1 0\nc " + strings.Repeat("x", mcf.MaxLine) + "\n", []string{"line 2: line longer than"}},
		{"unknown word", "pmin 2 0\n", []string{`line 1: unknown line type "pmin"`, "no problem line"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mcf.ReadDIMACS(strings.NewReader(tt.in))
			var fe *mcf.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *mcf.FormatError", err)
			}
			if len(fe.Lines) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(fe.Lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if got := fe.Lines[i].Error(); !strings.Contains(got, w) {
					t.Errorf("error %d = %q, want it to contain %q", i, got, w)
				}
			}
		})
	}
}

func TestReadDIMACSReportsManyErrorsBriefly(t *testing.T) {
	t.Parallel()
	in := "p min 2 0\n" + strings.Repeat("a 1 2 0 1\n", 250)
	_, err := mcf.ReadDIMACS(strings.NewReader(in))
	var fe *mcf.FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v", err)
	}
	if len(fe.Lines) != mcf.MaxReported || fe.Omitted != 250-mcf.MaxReported {
		t.Errorf("%d lines listed, %d omitted; want %d and %d", len(fe.Lines), fe.Omitted, mcf.MaxReported, 250-mcf.MaxReported)
	}
	if !strings.Contains(err.Error(), "and 150 more bad lines") {
		t.Errorf("message does not count the omitted lines: %.200s", err.Error())
	}
}

// TestReadDIMACSHeaderSizesNothing: a header's counts are checked against the lines that follow
// before anything is sized by them. The 18-byte file of issue 14 (item 16) declared 2^26 nodes
// and no arcs; reading it allocated half a gigabyte and solving it 1.34 GB for 17 seconds. It is
// now refused having allocated little more than the line buffer. Not parallel: it measures the
// heap.
func TestReadDIMACSHeaderSizesNothing(t *testing.T) {
	for _, in := range []string{
		"p min 67108864 0\r\n",                          // the 18 bytes of the issue
		"p min 67108864 1\na 67108864 1 0 1 1\n",        // one arc naming the last node
		"p min 67108864 1\nn 67108864 0\na 1 1 0 1 1\n", // and a node line
		"p min 2 1000000000\na 1 2 0 1 1\n",             // an arc count no file this short holds
	} {
		var err error
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err = mcf.ReadDIMACS(strings.NewReader(in))
		runtime.ReadMemStats(&after)
		var fe *mcf.FormatError
		if !errors.As(err, &fe) || len(fe.Lines) == 0 || fe.Lines[0].Line != 1 {
			t.Errorf("%q: err = %v, want a *mcf.FormatError at the problem line", in, err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("%q: reading allocated %d bytes, want at most 1 MiB", in, n)
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestReadDIMACSReaderError(t *testing.T) {
	t.Parallel()
	_, err := mcf.ReadDIMACS(failingReader{})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("err = %v, want the reader's error", err)
	}
}

func TestDIMACSRoundTrip(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 50 {
		g := randomGraph(rng, 1+rng.IntN(20), rng.IntN(60), 9, -50, 50, 0.2, i%2 == 0)
		var buf bytes.Buffer
		if err := mcf.WriteDIMACS(&buf, g); err != nil {
			t.Fatal(err)
		}
		text := buf.String()
		h, err := mcf.ReadDIMACS(&buf)
		if err != nil {
			t.Fatalf("instance %d: reading back: %v\n%s", i, err, text)
		}
		if d := graphDiff(g, h); d != "" {
			t.Fatalf("instance %d: round trip changed the graph: %s", i, d)
		}
	}
}

func graphDiff(g, h *mcf.Graph) string {
	if g.NumNodes() != h.NumNodes() || g.NumArcs() != h.NumArcs() {
		return "sizes differ"
	}
	for v := range g.NumNodes() {
		if g.Supply(v) != h.Supply(v) {
			return "supply of node " + strconv.Itoa(v)
		}
	}
	for a := range g.NumArcs() {
		if g.Arc(a) != h.Arc(a) {
			return "arc " + strconv.Itoa(a)
		}
	}
	return ""
}

var lineNumbered = regexp.MustCompile(`^line [1-9][0-9]*: `)

// FuzzReadDIMACS feeds arbitrary bytes to the reader: it must never panic, must name a line
// for every complaint, and whatever it accepts must survive a write and read back unchanged
// and solve (or fail with one of the documented errors) with a certified optimum.
func FuzzReadDIMACS(f *testing.F) {
	f.Add([]byte("p min 2 1\nn 1 1\nn 2 -1\na 1 2 0 1 5\n"))
	f.Add([]byte("c x\np min 3 3\na 1 2 0 -1 -1\na 2 3 0 -1 1\na 3 1 1 2 1\n"))
	f.Add([]byte("p min 1 1\na 1 1 0 4 -2\n"))
	f.Add([]byte("p min 2 1\nn 1 9223372036854775807\nn 2 -9223372036854775807\na 1 2 0 -1 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := mcf.ReadDIMACSLimited(bytes.NewReader(data), 64)
		if err != nil {
			var fe *mcf.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("not a mcf.FormatError: %v", err)
			}
			if len(fe.Lines) == 0 {
				t.Fatal("mcf.FormatError without lines")
			}
			for _, l := range fe.Lines {
				if !lineNumbered.MatchString(l.Error()) {
					t.Fatalf("error without a line number: %q", l.Error())
				}
			}
			return
		}
		var buf bytes.Buffer
		if err := mcf.WriteDIMACS(&buf, g); err != nil {
			t.Fatal(err)
		}
		h, err := mcf.ReadDIMACS(&buf)
		if err != nil {
			t.Fatalf("cannot read back what was written: %v", err)
		}
		if d := graphDiff(g, h); d != "" {
			t.Fatalf("round trip changed the graph: %s", d)
		}
		if g.NumArcs() > 200 {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		res, err := g.Solve(ctx)
		switch {
		case err == nil:
			if err := checkResult(g, res); err != nil {
				t.Fatal(err)
			}
		case errors.Is(err, mcf.ErrInfeasible), errors.Is(err, mcf.ErrUnbounded), errors.Is(err, mcf.ErrOverflow):
		default:
			t.Fatalf("Solve: %v", err)
		}
	})
}
