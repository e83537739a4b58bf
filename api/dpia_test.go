package api_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/casework"
)

// profileRow is one row of docs/dpia.md's table of the referral profile: the field as the
// provider reads it (JSON), the casework.ReferralProfile field it comes from, and why.
var profileRow = regexp.MustCompile("^\\| `([a-z_.\\[\\]]+)` \\| `([A-Za-z.]+)` \\| (.+) \\|$")

// dpiaProfile reads the table of the section "What a provider is told" of docs/dpia.md.
func dpiaProfile(t *testing.T) (json, goFields map[string]string) {
	t.Helper()
	b, err := os.ReadFile("../docs/dpia.md")
	if err != nil {
		t.Fatal(err)
	}
	json, goFields = map[string]string{}, map[string]string{}
	in := false
	for line := range strings.Lines(string(b)) {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "## "):
			in = strings.Contains(line, "What a provider is told")
		case in && strings.HasPrefix(line, "| `"):
			m := profileRow.FindStringSubmatch(line)
			if m == nil {
				t.Errorf("docs/dpia.md: a row of the referral profile's table does not read | `json` | `Go` | why |: %s", line)
				continue
			}
			if len(strings.TrimSpace(m[3])) < 20 {
				t.Errorf("docs/dpia.md: %s: say why the provider needs it", m[1])
			}
			json[m[1]] = m[3]
			for f := range strings.SplitSeq(m[2], ".") {
				goFields[f] = m[3]
			}
		}
	}
	if len(json) == 0 {
		t.Fatal("docs/dpia.md has no table of the referral profile under a heading \"What a provider is told\"")
	}
	return json, goFields
}

// jsonLeaves lists the JSON names of a type's fields, a struct in a list as "needs[].kind".
func jsonLeaves(t reflect.Type, prefix string) []string {
	var out []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			out = append(out, prefix+name)
			out = append(out, jsonLeaves(ft.Elem(), prefix+name+"[].")...)
		default:
			out = append(out, prefix+name)
		}
	}
	return out
}

// TestReferralProfileIsInTheDPIA: every field of the referral profile a provider is told (as
// the API's JSON, and as casework.ReferralProfile, which the workspace's page shows) is listed
// in docs/dpia.md with why the provider needs it, and the table lists nothing the profile does
// not hold: a field added to the profile fails here until the DPIA says why it is shared.
func TestReferralProfileIsInTheDPIA(t *testing.T) {
	t.Parallel()
	json, goFields := dpiaProfile(t)
	leaves := jsonLeaves(api.ReferralProfileDTO, "")
	for _, f := range leaves {
		if _, ok := json[f]; !ok {
			t.Errorf("the referral profile's %q is not in docs/dpia.md's table of what a provider is told: add it, with why the provider needs it", f)
		}
	}
	for f := range json {
		if !slices.Contains(leaves, f) {
			t.Errorf("docs/dpia.md lists %q, which the referral profile does not hold", f)
		}
	}
	for f := range reflect.TypeFor[casework.ReferralProfile]().Fields() {
		if _, ok := goFields[f.Name]; !ok {
			t.Errorf("casework.ReferralProfile.%s is not in docs/dpia.md's table of what a provider is told", f.Name)
		}
	}
	if len(leaves) < 15 {
		t.Errorf("only %d fields found in the profile: %v", len(leaves), leaves)
	}
}

// TestDPIACitesRealTests: every test docs/dpia.md names as enforcing a measure exists, so that
// a test renamed or removed cannot leave the assessment citing nothing.
func TestDPIACitesRealTests(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../docs/dpia.md")
	if err != nil {
		t.Fatal(err)
	}
	cited := regexp.MustCompile("`(Test[A-Za-z0-9_]+)`").FindAllStringSubmatch(string(b), -1)
	if len(cited) < 20 {
		t.Fatalf("docs/dpia.md cites only %d tests", len(cited))
	}
	defined := map[string]bool{}
	decl := regexp.MustCompile(`(?m)^func (Test[A-Za-z0-9_]+)\(`)
	err = filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		for _, m := range decl.FindAllStringSubmatch(string(src), -1) {
			defined[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cited {
		if !defined[c[1]] {
			t.Errorf("docs/dpia.md cites %s, which is no test", c[1])
		}
	}
}
