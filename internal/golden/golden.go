// Package golden keeps the golden files of the tests: it compares what a test produced with the
// file kept in the repository, and rewrites the file instead when the tests run with -update
// (STYLE.md item 9). One helper and one -update flag serve every package:
//
//	go test ./scoring -run TestGolden -update
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files from the current output")

// Update reports whether the tests run with -update, to rewrite their golden files.
func Update() bool { return *update }

// Check compares got with the golden file at path (slash-separated, relative to the package's
// directory: "testdata/amy.golden"), failing the test with the difference when they differ.
// With -update it writes got to the file first, making the directories it needs.
func Check[T ~string | ~[]byte](t testing.TB, path string, got T) {
	t.Helper()
	path = filepath.FromSlash(path)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (%s creates it)", err, rerun(t))
	}
	if string(want) != string(got) {
		t.Errorf("%s differs from what the test produced (-want +got; %s rewrites it):\n%s", path, rerun(t),
			cmp.Diff(string(want), string(got)))
	}
}

// rerun is the command that rewrites the test's golden files.
func rerun(t testing.TB) string {
	top, _, _ := strings.Cut(t.Name(), "/")
	return "go test -run '^" + top + "$' -update"
}
