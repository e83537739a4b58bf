package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a test that keeps its first failure instead of failing.
type recorder struct {
	testing.TB
	failure string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	if r.failure == "" {
		r.failure = fmt.Sprintf(format, args...)
	}
}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }

func TestCheck(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "x.golden")
	if err := os.WriteFile(path, []byte("one\ntwo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	Check(r, path, "one\ntwo\n")
	Check(r, path, []byte("one\ntwo\n"))
	if r.failure != "" {
		t.Errorf("the same output failed: %s", r.failure)
	}
	Check(r, path, "one\nthree\n")
	if !strings.Contains(r.failure, "two") || !strings.Contains(r.failure, "three") || !strings.Contains(r.failure, "-update") {
		t.Errorf("a difference is reported as %q", r.failure)
	}
	r = &recorder{TB: t}
	Check(r, filepath.Join(t.TempDir(), "missing.golden"), "x")
	if !strings.Contains(r.failure, "creates it") {
		t.Errorf("a missing file is reported as %q", r.failure)
	}
}
