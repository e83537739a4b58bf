package synth

import (
	"testing"

	"github.com/placematch/placematch/catalogue"
)

func TestMaterialise(t *testing.T) {
	t.Parallel()
	cfg := Scaled(0.02)
	b, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := Materialise(b, cfg.Today)
	if len(w.Children) != len(b.Children) || len(w.Placements) != len(b.Placements) {
		t.Fatalf("%d children and %d placements from %d and %d", len(w.Children), len(w.Placements), len(b.Children), len(b.Placements))
	}
	if b.Children[0].ID >= 0 {
		t.Fatal("the batch was modified")
	}
	members := 0
	for i, c := range w.Children {
		if c.ID != catalogue.ChildID(i+1) {
			t.Fatalf("child %d has ID %d", i, c.ID)
		}
		if got, ok := w.Child(c.ID); !ok || got.ID != c.ID {
			t.Fatalf("Child(%d) not found", c.ID)
		}
		if c.SiblingGroup < 0 {
			t.Fatalf("child %d keeps a batch key for its group", c.ID)
		}
		if c.SiblingGroup > 0 {
			g, ok := w.Group(c.SiblingGroup)
			if !ok || g.Council != c.Council {
				t.Fatalf("child %d: group %d missing or of another council", c.ID, c.SiblingGroup)
			}
		}
	}
	for _, g := range w.SiblingGroups {
		members += len(g.Members)
		for _, m := range g.Members {
			if c, ok := w.Child(m); !ok || c.SiblingGroup != g.ID {
				t.Fatalf("group %d lists child %d, who is not in it", g.ID, m)
			}
		}
	}
	if members == 0 {
		t.Fatal("no sibling group has members")
	}
	if len(w.Episodes) != len(b.Episodes) || len(w.Episodes) == 0 {
		t.Fatalf("%d episodes from %d", len(w.Episodes), len(b.Episodes))
	}
	for _, e := range w.Episodes {
		if c, ok := w.Child(e.Child); e.ID <= 0 || !ok || c.Council != e.Council || e.Placement < 0 || e.Provider < 0 {
			t.Fatalf("episode %+v", e)
		}
	}
	seen := map[catalogue.VacancyID]bool{}
	providers := map[catalogue.ProviderID]bool{}
	for _, p := range w.Providers {
		providers[p.ID] = true
	}
	for _, p := range w.Placements {
		if p.ID <= 0 || !providers[p.Provider] {
			t.Fatalf("placement %d with provider %d", p.ID, p.Provider)
		}
		for _, c := range p.ConnectedTo {
			if k, ok := w.Child(c); !ok || k.ID != c {
				t.Fatalf("kinship placement %d names child %d, who does not exist", p.ID, c)
			}
		}
		for _, v := range p.Vacancies {
			if v.ID <= 0 || seen[v.ID] || v.Placement != p.ID || v.Child < 0 {
				t.Fatalf("vacancy %+v of placement %d", v, p.ID)
			}
			seen[v.ID] = true
		}
	}
}
