package placematch_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/placematch/placematch"

// pkgInfo is what `go list -json` says of one package.
type pkgInfo struct {
	ImportPath string
	Deps       []string
	Imports    []string
	Standard   bool
	Doc        string
	Name       string
}

// listPackages runs `go list -deps`-style listing of every package in the module.
func listPackages(t *testing.T) []pkgInfo {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkgInfo
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkgInfo
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// TestArchitecture enforces DESIGN.md section 10. Each rule names the packages it governs, what
// they may not depend on (directly or not), and why.
func TestArchitecture(t *testing.T) {
	if testing.Short() {
		t.Skip("architecture test runs go list")
	}
	rules := []struct {
		name    string
		applies func(pkg string) bool
		forbids func(dep string) bool
		why     string
	}{
		{
			name:    "catalogue is the standard library only",
			applies: func(p string) bool { return p == module+"/catalogue" },
			forbids: func(d string) bool { return !isStd(d) && d != module+"/catalogue" },
			why:     "the vocabulary must be free of frameworks so every layer can use it",
		},
		{
			name:    "catalogue and its store know nothing of the layers above",
			applies: func(p string) bool { return strings.HasPrefix(p, module+"/catalogue") },
			forbids: func(d string) bool {
				for _, above := range []string{"/scoring", "/matcher", "/sufficiency", "/casework", "/api", "/aggregate", "/exchange", "/synth", "/notify"} {
					if strings.HasPrefix(d, module+above) {
						return true
					}
				}
				return false
			},
			why: "catalogue is the complete contract (types, validation, the policy, errors, store interfaces) and its store keeps records, nothing more",
		},
		{
			name:    "casework never touches storage drivers or HTTP",
			applies: func(p string) bool { return strings.HasPrefix(p, module+"/casework") },
			forbids: func(d string) bool {
				return strings.HasPrefix(d, "gorm.io/") || strings.HasPrefix(d, "github.com/gin-gonic/") ||
					strings.HasPrefix(d, module+"/catalogue/sqlstore") || strings.HasPrefix(d, module+"/api") ||
					d == "database/sql" || d == "net/http"
			},
			why: "the use cases read and write through catalogue's store interfaces, and answer in the catalogue's terms",
		},
		{
			name:    "scoring never touches storage or HTTP",
			applies: func(p string) bool { return strings.HasPrefix(p, module+"/scoring") },
			forbids: func(d string) bool {
				return strings.HasPrefix(d, "gorm.io/") || strings.HasPrefix(d, "github.com/gin-gonic/") ||
					strings.HasPrefix(d, module+"/catalogue/sqlstore") || strings.HasPrefix(d, module+"/api") ||
					strings.HasPrefix(d, module+"/matcher") || d == "net/http" || d == "database/sql"
			},
			why: "scoring is pure functions: no I/O, no clock, no randomness",
		},
		{
			name:    "matcher never touches storage drivers or HTTP",
			applies: func(p string) bool { return strings.HasPrefix(p, module+"/matcher") },
			forbids: func(d string) bool {
				return strings.HasPrefix(d, "gorm.io/") || strings.HasPrefix(d, "github.com/gin-gonic/") ||
					strings.HasPrefix(d, module+"/catalogue/sqlstore") || strings.HasPrefix(d, module+"/api") ||
					d == "database/sql"
			},
			why: "the engine works on an in-memory snapshot loaded through catalogue's store interfaces",
		},
		{
			name:    "sufficiency never touches storage drivers or HTTP",
			applies: func(p string) bool { return strings.HasPrefix(p, module+"/sufficiency") },
			forbids: func(d string) bool {
				return strings.HasPrefix(d, "gorm.io/") || strings.HasPrefix(d, "github.com/gin-gonic/") ||
					strings.HasPrefix(d, module+"/catalogue/sqlstore") || strings.HasPrefix(d, module+"/api") ||
					d == "database/sql" || d == "net/http"
			},
			why: "the analysis works on a snapshot held in memory, loaded through interfaces the store satisfies; the API serves it",
		},
		{
			name:    "notify never touches storage drivers or HTTP",
			applies: func(p string) bool { return strings.HasPrefix(p, module+"/notify") },
			forbids: func(d string) bool {
				return strings.HasPrefix(d, "gorm.io/") || strings.HasPrefix(d, "github.com/gin-gonic/") ||
					strings.HasPrefix(d, module+"/catalogue/sqlstore") || strings.HasPrefix(d, module+"/api") ||
					d == "database/sql" || d == "net/http"
			},
			why: "the delivery worker claims and finishes notifications through catalogue's store interface and speaks only SMTP",
		},
		{
			name:    "api never imports the store implementation",
			applies: func(p string) bool { return strings.HasPrefix(p, module+"/api") },
			forbids: func(d string) bool {
				return strings.HasPrefix(d, module+"/catalogue/sqlstore") || strings.HasPrefix(d, "gorm.io/") ||
					d == "database/sql"
			},
			why: "handlers talk to catalogue's store interfaces; cmd wires concrete types",
		},
		{
			name: "only cmd wires the store implementation",
			applies: func(p string) bool {
				return !strings.HasPrefix(p, module+"/cmd/") && !strings.HasPrefix(p, module+"/catalogue/sqlstore") &&
					!strings.HasPrefix(p, module+"/benchmarks")
			},
			forbids: func(d string) bool { return strings.HasPrefix(d, module+"/catalogue/sqlstore") },
			why:     "concrete types are chosen in one place",
		},
	}
	pkgs := listPackages(t)
	if len(pkgs) < 3 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	// Direct imports: the API parses, makes one call to casework (or a store interface) and
	// renders; it asks neither the matcher nor scoring itself.
	for _, p := range pkgs {
		if !strings.HasPrefix(p.ImportPath, module+"/api") {
			continue
		}
		for _, d := range p.Imports {
			if d == module+"/scoring" || strings.HasPrefix(d, module+"/matcher") {
				t.Errorf("%s imports %s: the use cases are casework's; the API calls casework", p.ImportPath, d)
			}
		}
	}
	for _, r := range rules {
		t.Run(r.name, func(t *testing.T) {
			checked := 0
			for _, p := range pkgs {
				if !r.applies(p.ImportPath) {
					continue
				}
				checked++
				for _, d := range p.Deps {
					if r.forbids(d) {
						t.Errorf("%s depends on %s: %s", p.ImportPath, d, r.why)
					}
				}
			}
			if checked == 0 {
				t.Errorf("rule governs no package: is the layout as DESIGN.md section 10 says?")
			}
		})
	}
}

// TestEveryPackageSaysWhatItIs: every package of the module has a doc comment (STYLE.md), so
// that `go doc` and the map in the README have something to say of it.
func TestEveryPackageSaysWhatItIs(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs go list")
	}
	for _, p := range listPackages(t) {
		if strings.TrimSpace(p.Doc) == "" {
			t.Errorf("%s has no doc comment: say what it is for in a doc.go", p.ImportPath)
		}
	}
}
