package scoring

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies: scoring is pure. It may import the standard library, catalogue and S2
// geometry, and nothing that does I/O on its behalf: no GORM, Gin or store.
func TestDependencies(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	allowed := []string{
		"github.com/placematch/placematch/scoring",
		"github.com/placematch/placematch/catalogue",
		"github.com/golang/geo/", // s1, s2, r1, r2, r3
	}
	for _, dep := range strings.Fields(string(out)) {
		ok := false
		for _, a := range allowed {
			if dep == a || strings.HasSuffix(a, "/") && strings.HasPrefix(dep, a) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("scoring depends on %s: it may use only the standard library, catalogue and golang/geo (it must stay pure and fast; storage and HTTP belong elsewhere)", dep)
		}
	}
}
