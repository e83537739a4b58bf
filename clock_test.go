package placematch_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// durationMark is what a line that reads the wall clock only to measure how long something took
// says in a comment on the same line.
const durationMark = "measures a duration"

// TestOneClock enforces DESIGN.md section 10's one clock: outside cmd/ (which injects the wall
// clock) and catalogue/clock.go (the clock itself), no Go file, tests included, calls time.Now,
// time.Since or time.Until, except on a line marked as measuring a duration. Everything else
// takes the time from the injected catalogue.Clock, and timings use catalogue.Stopwatch.
func TestOneClock(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	var bad []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch name := d.Name(); {
			case path == "cmd", name == "testdata", name == "node_modules", name != "." && strings.HasPrefix(name, "."):
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || filepath.ToSlash(path) == "catalogue/clock.go" {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		bad = append(bad, wallClockReads(fset, f)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Errorf("%s reads the wall clock: take the time from the injected catalogue.Clock, or use catalogue.Stopwatch for a timing (or mark the line %q)", b, durationMark)
	}
}

// wallClockReads lists where f calls time.Now, time.Since or time.Until on a line not marked as
// measuring a duration, as file:line.
func wallClockReads(fset *token.FileSet, f *ast.File) []string {
	names := map[string]bool{} // what the file calls the time package
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "time" {
			name := "time"
			if imp.Name != nil {
				name = imp.Name.Name
			}
			names[name] = true
		}
	}
	if len(names) == 0 {
		return nil
	}
	marked := map[int]bool{}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.Contains(c.Text, durationMark) {
				marked[fset.Position(c.Slash).Line] = true
			}
		}
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		x, ok := sel.X.(*ast.Ident)
		if !ok || !names[x.Name] {
			return true
		}
		switch sel.Sel.Name {
		case "Now", "Since", "Until":
			pos := fset.Position(sel.Pos())
			if !marked[pos.Line] {
				out = append(out, pos.Filename+":"+strconv.Itoa(pos.Line))
			}
		}
		return true
	})
	return out
}

// TestOneClockCatches checks the rule above finds what it must and passes what it may.
func TestOneClockCatches(t *testing.T) {
	t.Parallel()
	const src = `package p

import (
	"time"
	clock "time"
)

var a = time.Now()
var b = time.Since(a) // measures a duration
var c = clock.Until(a)
var d = time.Now
var e = time.Duration(3)
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(wallClockReads(fset, f), " ")
	if want := "p.go:8 p.go:10 p.go:11"; got != want {
		t.Errorf("found %q, want %q", got, want)
	}
}
