package exchange

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// genChildren makes n realistic children deterministically: about one in three in a sibling
// pair, most with needs, a school and two people in their contact plan.
func genChildren(n int) ([]catalogue.Child, []catalogue.SiblingGroup) {
	r := rand.New(rand.NewPCG(42, 7))
	councils := catalogue.Councils()
	var (
		children []catalogue.Child
		groups   []catalogue.SiblingGroup
	)
	near := func(l catalogue.Location) catalogue.Location {
		return catalogue.Location{Lat: l.Lat + r.Float64()*0.2 - 0.1, Lng: l.Lng + r.Float64()*0.2 - 0.1}
	}
	for i := range n {
		co := councils[r.IntN(len(councils))]
		paired := i > 0 && r.IntN(3) == 0 && children[i-1].SiblingGroup == 0
		if paired {
			// A brother or sister of the previous child.
			co, _ = catalogue.CouncilByCode(children[i-1].Council)
			groups = append(groups, catalogue.SiblingGroup{ID: catalogue.SiblingGroupID(len(groups) + 1), Council: co.Code, Plan: catalogue.PlanTogether})
			children[i-1].SiblingGroup = groups[len(groups)-1].ID
		}
		home := near(co.Centre)
		c := catalogue.Child{
			ID: catalogue.ChildID(i + 1), Council: co.Code, CaseRef: fmt.Sprintf("REF-%06d", i), FirstName: "Child",
			DateOfBirth: day(2008+r.IntN(17), time.Month(1+r.IntN(12)), 1+r.IntN(28)), Sex: catalogue.Sexes[r.IntN(2)],
			Ethnicity: "WBRI", Religion: catalogue.Religions[r.IntN(len(catalogue.Religions))], FirstLanguage: "en",
			LegalStatus: catalogue.LegalCareOrder, CareType: catalogue.CareFamilyFoster, Purpose: catalogue.PurposeLongTerm,
			NeededBy: day(2026, 2, 1+r.IntN(28)), Home: home,
			Companions: catalogue.CompanionsNoPreference, Pets: catalogue.PetsCan, Status: catalogue.ChildWaiting,
			Wishes: catalogue.Wishes{Priorities: []catalogue.Wish{catalogue.WishStayAtSchool, catalogue.WishNearFamily}},
		}
		if paired {
			c.SiblingGroup = groups[len(groups)-1].ID
		}
		for _, k := range catalogue.NeedKinds[:r.IntN(4)] {
			c.Needs = append(c.Needs, catalogue.Need{Kind: k, Level: catalogue.NeedLevel(1 + r.IntN(3))})
		}
		if r.IntN(5) != 0 {
			c.School = &catalogue.School{Name: "Local Primary", URN: "100000", Location: near(home), KeepPlanned: true}
		}
		c.Contacts = []catalogue.Contact{
			{Name: "Mum", Relationship: catalogue.RelMother, Location: near(home), Frequency: catalogue.FreqWeekly, Type: catalogue.ContactDirect},
			{Name: "Nan", Relationship: catalogue.RelGrandparent, Location: near(home), Frequency: catalogue.FreqMonthly, Type: catalogue.ContactDirect},
		}
		children = append(children, c)
	}
	return children, groups
}

func TestGeneratedChildrenRoundTrip(t *testing.T) {
	t.Parallel()
	children, groups := genChildren(500)
	for _, f := range []Format{CSV, JSON} {
		var buf bytes.Buffer
		if err := EncodeChildren(&buf, f, children, groups); err != nil {
			t.Fatal(err)
		}
		got, err := Decode(&buf, f, Children, DecodeOptions{})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if d := batchDiff(childrenAsImported(children, groups), got); d != "" {
			t.Errorf("%s: round trip (-want +got):\n%s", f, d)
		}
	}
}

// BenchmarkDecodeChildren decodes a council-sized and a national-sized file of children.
func BenchmarkDecodeChildren(b *testing.B) {
	for _, n := range []int{1000, 80_000} {
		for _, f := range []Format{CSV, JSON} {
			b.Run(fmt.Sprintf("%s/%d", f, n), func(b *testing.B) {
				children, groups := genChildren(n)
				var buf bytes.Buffer
				if err := EncodeChildren(&buf, f, children, groups); err != nil {
					b.Fatal(err)
				}
				data := buf.Bytes()
				b.ReportAllocs()
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					if _, err := Decode(bytes.NewReader(data), f, Children, DecodeOptions{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkEncodeChildren(b *testing.B) {
	children, groups := genChildren(80_000)
	for _, f := range []Format{CSV, JSON} {
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var buf bytes.Buffer
				if err := EncodeChildren(&buf, f, children, groups); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
