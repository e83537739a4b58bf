package exchange

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

func ymd(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// fixtureNetwork is a family network of children 11 and 20: one pending, one passed who cares
// for the child by a family arrangement, one not passed with a formula-looking reason, and a
// special guardian.
func fixtureNetwork() []catalogue.NetworkMember {
	return []catalogue.NetworkMember{
		{ID: 1, Child: 11, Name: "Nan", Relationship: catalogue.RelGrandparent, NamedBy: catalogue.NamedAtFGC,
			AssessmentDue: ymd(2026, time.February, 2), Outcome: catalogue.ViabilityPending},
		{ID: 2, Child: 11, Name: "Auntie Grace", Relationship: catalogue.RelAuntUncle, NamedBy: catalogue.NamedBySocialWorker,
			AssessmentDue: ymd(2026, time.January, 10), Outcome: catalogue.ViabilityPassed, OutcomeOn: ymd(2026, time.January, 8),
			Caring: catalogue.CaringFamilyArrangement},
		{ID: 3, Child: 20, Name: "=Uncle Tom", Relationship: catalogue.RelAuntUncle, NamedBy: catalogue.NamedByChild,
			AssessmentDue: ymd(2026, time.January, 10), Outcome: catalogue.ViabilityNotPassed, OutcomeOn: ymd(2026, time.January, 9),
			OutcomeReason: "-too far, and works nights"},
		{ID: 4, Child: 20, Name: "Mrs Patel", Relationship: catalogue.RelFriend, NamedBy: catalogue.NamedByFamily,
			AssessmentDue: ymd(2025, time.December, 1), Outcome: catalogue.ViabilityPassed, OutcomeOn: ymd(2025, time.November, 28),
			Caring: catalogue.CaringSpecialGuardianship},
	}
}

// networkAsRead is a network as a file gives it back: stored IDs, councils, versions and times are
// the store's, not the file's.
func networkAsRead(ms []catalogue.NetworkMember) []catalogue.NetworkMember {
	out := make([]catalogue.NetworkMember, len(ms))
	for i, m := range ms {
		out[i] = catalogue.NetworkMember{Child: m.Child, Name: m.Name, Relationship: m.Relationship, NamedBy: m.NamedBy,
			AssessmentDue: m.AssessmentDue, Outcome: m.Outcome, OutcomeOn: m.OutcomeOn, OutcomeReason: m.OutcomeReason, Caring: m.Caring}
	}
	return out
}

func decodeNetworkFile(t *testing.T, data []byte, f Format) Decoded {
	t.Helper()
	d, err := DecodeFile(bytes.NewReader(data), f, Network, DecodeOptions{})
	if err != nil {
		t.Fatalf("DecodeFile %s family network: %v\n%s", f, err, data)
	}
	return d
}

// TestNetworkRoundTrip: a family network written in either format reads back the same, free
// text escaped against spreadsheet formulas in CSV and read back unescaped.
func TestNetworkRoundTrip(t *testing.T) {
	t.Parallel()
	for _, f := range []Format{CSV, JSON} {
		t.Run(string(f), func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := EncodeNetwork(&buf, f, fixtureNetwork()); err != nil {
				t.Fatal(err)
			}
			if f == CSV && !strings.Contains(buf.String(), "'=Uncle Tom") {
				t.Errorf("a name starting with = is not escaped:\n%s", buf.String())
			}
			d := decodeNetworkFile(t, buf.Bytes(), f)
			if diff := gocmp.Diff(networkAsRead(fixtureNetwork()), d.Network); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNetworkBadFiles: every bad member is named by row and field as the file spells it, and
// nothing is returned.
func TestNetworkBadFiles(t *testing.T) {
	t.Parallel()
	const header = "id,child,name,relationship,named_by,assessment_due,outcome,outcome_on,outcome_reason,caring\n"
	cases := []struct {
		name string
		in   string
		f    Format
		want []where
	}{
		{"csv", header +
			"a,11,Nan,grandparent,family,2026-02-02,pending,,,\n" +
			"a,x,,cousin,,2026-13-01,maybe,,,adopted\n" +
			"b,12,Aunt,aunt_uncle,family,2026-02-02,not_passed,2026-01-01,,\n" +
			"c,12,Aunt,aunt_uncle,family,2026-02-02,pending,2026-01-01,,family_arrangement\n", CSV,
			[]where{{3, "child"}, {3, "name"}, {3, "relationship"}, {3, "named_by"}, {3, "assessment_due"}, {3, "outcome"}, {3, "caring"},
				{3, "id"}, {4, "outcome_reason"}, {5, "outcome_on"}}},
		{"csv without a required column", "child,name\n11,Nan\n", CSV,
			[]where{{1, "relationship"}, {1, "named_by"}, {1, "assessment_due"}, {1, "outcome"}}},
		{"json", `{"family_network": [{"child": 11, "name": "Nan", "relationship": "grandparent", "named_by": "family", "assessment_due": "2026-02-02", "outcome": "passed", "caring": "sgo"}, {"child": 11, "surname": "Smith"}]}`, JSON,
			[]where{{1, "caring"}, {1, "outcome_on"}, {2, "surname"}}},
		{"json, none", `{"family_network": []}`, JSON, []where{{0, "family_network"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := DecodeFile(strings.NewReader(tc.in), tc.f, Network, DecodeOptions{})
			if !errors.Is(err, catalogue.ErrInvalid) || d.Network != nil {
				t.Fatalf("got %v and %d members, want invalid and none", err, len(d.Network))
			}
			if diff := gocmp.Diff(tc.want, places(err)); diff != "" {
				t.Errorf("places (-want +got):\n%s\n%v", diff, err)
			}
		})
	}
	if _, err := Decode(strings.NewReader(header), CSV, Network, DecodeOptions{}); !errors.Is(err, catalogue.ErrInvalid) {
		t.Errorf("Decode of a family network: %v, want invalid (no batch)", err)
	}
}

// TestNetworkThroughStore imports a family network file into each store, exports what the
// store holds and reads the export: the same members. An officer's import of another
// council's children is refused, naming the rows, and writes nothing.
func TestNetworkThroughStore(t *testing.T) {
	t.Parallel()
	for _, f := range []Format{CSV, JSON} {
		t.Run(string(f), func(t *testing.T) {
			t.Parallel()
			sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
				ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 1, Role: catalogue.RoleAdmin})
				child := storedFixtureChildren(t, s)
				ms := fixtureNetwork()
				for i := range ms {
					ms[i].Child = child[ms[i].Child]
				}
				var file bytes.Buffer
				if err := EncodeNetwork(&file, f, ms); err != nil {
					t.Fatal(err)
				}
				d := decodeNetworkFile(t, file.Bytes(), f)

				// Manchester's officer (child 11's council) may not import child 20's network.
				_, err := s.ImportNetwork(ctx, catalogue.Scope{Council: "E08000003"}, d.Network)
				first := 2
				if f == JSON {
					first = 1
				}
				want := []where{{first + 2, "child"}, {first + 3, "child"}}
				if diff := gocmp.Diff(want, places(d.Locate(err))); diff != "" || !errors.Is(err, catalogue.ErrInvalid) {
					t.Fatalf("an officer's import of another council's network: %v; places (-want +got):\n%s", err, diff)
				}
				if got, _ := s.ListNetwork(ctx, catalogue.Everything, 0, 0); len(got.Items) != 0 {
					t.Fatalf("a refused import wrote %d members", len(got.Items))
				}

				if _, err := s.ImportNetwork(ctx, catalogue.Everything, d.Network); err != nil {
					t.Fatal(d.Locate(err))
				}
				stored, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.NetworkMember], error) {
					return s.ListNetwork(ctx, catalogue.Everything, catalogue.NetworkMemberID(after), catalogue.MaxLimit)
				})
				if err != nil {
					t.Fatal(err)
				}
				var export bytes.Buffer
				if err := EncodeNetwork(&export, f, stored); err != nil {
					t.Fatal(err)
				}
				again := decodeNetworkFile(t, export.Bytes(), f)
				if diff := gocmp.Diff(d.Network, again.Network); diff != "" {
					t.Errorf("the network changed through the store (-file +export):\n%s", diff)
				}
				mine, err := s.ListNetwork(ctx, catalogue.Scope{Council: "E08000003"}, 0, 0)
				if err != nil || len(mine.Items) != 2 {
					t.Fatalf("Manchester's officer sees %d members (%v), want its child's two", len(mine.Items), err)
				}
				kin, err := s.KinCaring(ctx)
				if err != nil || len(kin) != 2 {
					t.Errorf("children cared for by kin after the import: %+v (%v), want two ways", kin, err)
				}
			})
		})
	}
}

// FuzzDecodeNetwork: whatever the bytes, DecodeFile returns valid members or an invalid-input
// error whose every problem has a message; what it returns writes and reads back the same.
func FuzzDecodeNetwork(f *testing.F) {
	for _, format := range []Format{CSV, JSON} {
		var buf bytes.Buffer
		if err := EncodeNetwork(&buf, format, fixtureNetwork()); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes(), format == JSON)
	}
	f.Add([]byte("child,name,relationship,named_by,assessment_due,outcome,caring\n1,\"'=x\",grandparent,family,01/02/2026,passed,special guardianship order\n"), false)
	f.Add([]byte(`{"family_network": [{"child": 1e400}]}`), true)
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		format := CSV
		if isJSON {
			format = JSON
		}
		d, err := DecodeFile(bytes.NewReader(data), format, Network, DecodeOptions{MaxBytes: 1 << 20, MaxRows: 1000})
		if err != nil {
			if !errors.Is(err, catalogue.ErrInvalid) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error of no known kind: %v", err)
			}
			for _, fe := range catalogue.FieldErrors(err) {
				if fe.Message == "" {
					t.Fatalf("a problem without a message: %+v", fe)
				}
			}
			return
		}
		for i, m := range d.Network {
			if err := m.Validate(); err != nil {
				t.Fatalf("member %d decoded but not valid: %v", i, err)
			}
		}
		var buf bytes.Buffer
		if err := EncodeNetwork(&buf, format, d.Network); err != nil {
			t.Fatal(err)
		}
		again, err := DecodeFile(&buf, format, Network, DecodeOptions{})
		if err != nil {
			t.Fatalf("an export of decoded members does not read back: %v\n%s", err, buf.String())
		}
		if diff := gocmp.Diff(d.Network, again.Network); diff != "" {
			t.Fatalf("written and read back (-first +again):\n%s", diff)
		}
	})
}
