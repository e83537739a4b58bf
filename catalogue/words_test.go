package catalogue

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestEveryValueHasBothWords: every value of each vocabulary that a child's page and an officer's
// reason both put into words has its row in the vocabulary's table, with words in both
// registers (not the fallback for a value missing from it, which spells the value itself).
func TestEveryValueHasBothWords(t *testing.T) {
	t.Parallel()
	check := func(vocab string, value any, w Words, ok bool) {
		t.Helper()
		if !ok {
			t.Errorf("%s %q has no words", vocab, value)
			return
		}
		if w.Child == "" || w.Officer == "" || strings.Contains(w.Child+w.Officer, "_") {
			t.Errorf("%s %q: child's words %q, officer's %q", vocab, value, w.Child, w.Officer)
		}
	}
	for _, s := range Skills {
		r, ok := skillWords[s]
		check("skill", s, r.Words, ok)
		if r.training == "" || strings.Contains(r.training, "_") {
			t.Errorf("training in %s is named %q", s, r.training)
		}
	}
	for _, k := range PlacementKinds {
		w, ok := placementKindWords[k]
		check("placement kind", k, w, ok)
	}
	for _, a := range Animals {
		r, ok := animalWords[a]
		check("animal", a, r.Words, ok)
		if r.kind == "" {
			t.Errorf("animal %s has no kind for the officer", a)
		}
	}
	for _, r := range Relationships {
		_, ok := relationshipWords[r]
		w := r.Words("Amy's")
		check("relationship", r, w, ok)
		if !strings.Contains(w.Officer, "Amy's") || strings.Contains(w.Officer, "%") {
			t.Errorf("relationship %s: the officer's words %q do not say whose", r, w.Officer)
		}
		if !strings.Contains(w.Child, "you") {
			t.Errorf("relationship %s: the child's words %q are not spoken to the child", r, w.Child)
		}
	}
	if len(skillWords) != len(Skills) || len(placementKindWords) != len(PlacementKinds) || len(animalWords) != len(Animals) ||
		len(relationshipWords) != len(Relationships) {
		t.Error("a table has words for a value that is not in its vocabulary")
	}
	code := regexp.MustCompile(`^[a-z]{2,3}$`)
	named := map[string]string{}
	for _, c := range LanguageCodes() {
		n, ok := LanguageName(c)
		if !ok || n == "" || !code.MatchString(c) {
			t.Errorf("language %q is named %q", c, n)
		}
		if other, dup := named[n]; dup {
			t.Errorf("languages %s and %s are both called %s", other, c, n)
		}
		named[n] = c
	}
	if _, ok := LanguageName("xx"); ok {
		t.Error(`"xx" is named`)
	}
}

// TestFarsiIsFarsi: "fa" has one name, whoever reads it (the child's page said Farsi, the
// officer's reason Persian).
func TestFarsiIsFarsi(t *testing.T) {
	t.Parallel()
	if n, _ := LanguageName("fa"); n != "Farsi" {
		t.Errorf(`"fa" is %q, want Farsi`, n)
	}
}

func ExampleRelationship_Words() {
	w := RelMother.Words("her")
	fmt.Println(w.Child + "; " + w.Officer)
	// Output: your mum; her mother
}
