package exchange

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/golden"
)

// Fuzzing: go test ./exchange -run '^$' -fuzz FuzzDecodeCSV -fuzztime 60s
// The seeds (added here and in testdata/fuzz) run with every go test.

func FuzzDecodeCSV(f *testing.F) {
	children, groups := fixtureChildren()
	var cb, pb bytes.Buffer
	if err := EncodeChildren(&cb, CSV, children, groups); err != nil {
		f.Fatal(err)
	}
	if err := EncodePlacements(&pb, CSV, fixturePlacements()); err != nil {
		f.Fatal(err)
	}
	f.Add(cb.Bytes(), false)
	f.Add(pb.Bytes(), true)
	f.Add([]byte(childSheet(2).with(0, map[string]string{"sibling_group": "g", "neededBy": "Today", "referralDate": "1/2/2026"}).with(1, map[string]string{"sibling_group": "g"}).String()), false)
	f.Add([]byte(placementSheet(1).with(0, map[string]string{"vacancies": "2026-01-01:held:4", "member1_age": "3", "member1_sex": "m", "member1_role": "placed_child"}).String()), true)
	f.Add([]byte("id\n\"\n"), false)
	// Issue 17's fields in the standard's words: risks read as needs, communicationNeeds, a
	// deprivation of liberty order, the SDQ band (the DfE's name for it too) and CAMHS.
	f.Add([]byte(childSheet(1).with(0, map[string]string{"riskSelfHarm": "Risk Present", "riskEatingDisorder": "No known risk",
		"riskToOthersCriminal": "risk present", "deprivationOfLiberty": "Yes", "communicationNeeds": "Y", "sdq_band": "borderline",
		"camhs": "true", "needs": "mental_health:3", "homeAdaptation": "Yes", "riskOther": "x"}).String()), false)
	f.Add([]byte(placementSheet(1).with(0, map[string]string{"dol_conditions": "true", "skills": "mental_health;eating_disorders"}).String()), true)
	f.Fuzz(func(t *testing.T, data []byte, placements bool) {
		k := Children
		if placements {
			k = Placements
		}
		checkDecode(t, data, CSV, k)
	})
}

func FuzzDecodeJSON(f *testing.F) {
	children, groups := fixtureChildren()
	var cb, pb bytes.Buffer
	if err := EncodeChildren(&cb, JSON, children, groups); err != nil {
		f.Fatal(err)
	}
	if err := EncodePlacements(&pb, JSON, fixturePlacements()); err != nil {
		f.Fatal(err)
	}
	f.Add(cb.Bytes(), false)
	f.Add(pb.Bytes(), true)
	f.Add([]byte(`{"children": [`+childJSON(`"sibling_group": "g", "exclusion_zones": [{"shape": "polygon", "vertices": [{"lat": 53, "lng": -2}, {"lat": 53.1, "lng": -2}, {"lat": 53, "lng": -2.1}]}]`)+`], "sibling_groups": [{"id": "g"}]}`), false)
	f.Add([]byte(jsonPlacements(`"placementType": "Foster", "provider": "p"`, `{"id": "p", "name": "P", "kind": "agency"}`)), true)
	f.Add([]byte(`{"children": [{"id": 1e400}]}`), false)
	f.Add([]byte(`{"children": [`+childJSON(`"riskSelfHarm": "Risk Present", "riskToOthersCriminal": "No known risk", "deprivationOfLiberty": true, "communicationNeeds": "N", "sdq_band": "very_high", "camhs": true`)+`]}`), false)
	f.Fuzz(func(t *testing.T, data []byte, placements bool) {
		k := Children
		if placements {
			k = Placements
		}
		checkDecode(t, data, JSON, k)
	})
}

// TestWriteSeeds writes the fuzz seed corpus under testdata/fuzz when run with -update: the
// exports of the fixtures and every bad input of the decode tests.
func TestWriteSeeds(t *testing.T) {
	t.Parallel()
	if !golden.Update() {
		t.Skip("run with -update to rewrite the seed corpus")
	}
	children, groups := fixtureChildren()
	type seed struct {
		name string
		f    Format
		k    Kind
		data []byte
	}
	var seeds []seed
	for _, f := range []Format{CSV, JSON} {
		var cb, pb bytes.Buffer
		if err := EncodeChildren(&cb, f, children, groups); err != nil {
			t.Fatal(err)
		}
		if err := EncodePlacements(&pb, f, fixturePlacements()); err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, seed{"export children", f, Children, cb.Bytes()}, seed{"export placements", f, Placements, pb.Bytes()})
	}
	for _, tc := range badCases() {
		if len(tc.in) <= 8<<10 {
			seeds = append(seeds, seed{tc.name, tc.f, tc.k, []byte(tc.in)})
		}
	}
	for _, dir := range []string{"FuzzDecodeCSV", "FuzzDecodeJSON"} {
		if err := os.RemoveAll(filepath.Join("testdata", "fuzz", dir)); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range seeds {
		dir := filepath.Join("testdata", "fuzz", "FuzzDecode"+strings.ToUpper(string(s.f)))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		name := strings.NewReplacer(" ", "-", "'", "", "/", "-").Replace(strings.TrimPrefix(s.name, "json "))
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\nbool(%v)\n", s.data, s.k == Placements)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkDecode is the fuzz property: Decode never panics, and returns either an
// invalid-input *catalogue.Error or a batch whose every record validates; a batch that decodes
// exports and imports back to itself.
func checkDecode(t *testing.T, data []byte, f Format, k Kind) {
	b, err := Decode(bytes.NewReader(data), f, k, DecodeOptions{MaxRows: 1000})
	if err != nil {
		var ve *catalogue.Error
		if !errors.As(err, &ve) || len(ve.Fields) == 0 {
			t.Fatalf("Decode returned %T %v, want a *catalogue.Error", err, err)
		}
		if b.Len() != 0 {
			t.Fatalf("Decode returned an error and %d records", b.Len())
		}
		return
	}
	validateBatch(t, b)

	// Export as a store would hold the batch (positive IDs), then import again.
	stored := storedCopy(b)
	var buf bytes.Buffer
	switch k {
	case Children:
		if err := EncodeChildren(&buf, f, stored.Children, stored.SiblingGroups); err != nil {
			t.Fatalf("EncodeChildren of a decoded batch: %v", err)
		}
	case Placements:
		if err := EncodePlacements(&buf, f, stored.Placements); err != nil {
			t.Fatalf("EncodePlacements of a decoded batch: %v", err)
		}
	}
	again, err := Decode(&buf, f, k, DecodeOptions{MaxRows: 1000})
	if err != nil {
		t.Fatalf("Decode of an export: %v\n%s", err, buf.String())
	}
	want := b
	if k == Placements {
		// Providers defined in the file are named by stored ID in the export.
		want = storedProviders(b)
	}
	if k == Children && f == CSV {
		// A CSV file carries no sibling group that has no member.
		want.SiblingGroups = again.SiblingGroups
	}
	if d := batchDiff(want, again); d != "" {
		t.Fatalf("export then import changed the batch (-first +second):\n%s", d)
	}
}

// validateBatch checks every record validates once its batch-local references are resolved.
func validateBatch(t *testing.T, b catalogue.Batch) {
	t.Helper()
	for _, c := range b.Children {
		if c.SiblingGroup < 0 {
			if int(-c.SiblingGroup) > len(b.SiblingGroups) {
				t.Fatalf("child %d names sibling group %d, not in the batch", c.ID, c.SiblingGroup)
			}
			c.SiblingGroup = 1
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("decoded child %d does not validate: %v", c.ID, err)
		}
	}
	for _, g := range b.SiblingGroups {
		if err := g.Validate(); err != nil {
			t.Fatalf("decoded sibling group %d does not validate: %v", g.ID, err)
		}
	}
	for _, p := range b.Providers {
		if err := p.Validate(); err != nil {
			t.Fatalf("decoded provider %d does not validate: %v", p.ID, err)
		}
	}
	for _, p := range b.Placements {
		if p.Provider < 0 {
			if int(-p.Provider) > len(b.Providers) {
				t.Fatalf("placement %d names provider %d, not in the batch", p.ID, p.Provider)
			}
			p.Provider = 1
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("decoded placement %d does not validate: %v", p.ID, err)
		}
		for _, v := range p.Vacancies {
			v.Placement = 1
			if err := v.Validate(); err != nil {
				t.Fatalf("decoded vacancy of placement %d does not validate: %v", p.ID, err)
			}
		}
	}
}

// storedCopy gives every record of a batch the positive ID a store might: the key's magnitude.
func storedCopy(b catalogue.Batch) catalogue.Batch {
	out := catalogue.Batch{}
	for _, c := range b.Children {
		c.ID, c.SiblingGroup = -c.ID, -c.SiblingGroup
		out.Children = append(out.Children, c)
	}
	for _, g := range b.SiblingGroups {
		g.ID = -g.ID
		out.SiblingGroups = append(out.SiblingGroups, g)
	}
	out.Placements = storedProviders(b).Placements
	for i := range out.Placements {
		out.Placements[i].ID = -out.Placements[i].ID
	}
	return out
}

// storedProviders names the batch's providers by the stored IDs storedCopy gives them.
func storedProviders(b catalogue.Batch) catalogue.Batch {
	out := b
	out.Providers = []catalogue.Provider{}
	out.Placements = nil
	for _, p := range b.Placements {
		if p.Provider < 0 {
			p.Provider = 1_000_000 - p.Provider
		}
		out.Placements = append(out.Placements, p)
	}
	return out
}
