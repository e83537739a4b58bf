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

func fixtureStayingPut() []catalogue.StayingPutChange {
	return []catalogue.StayingPutChange{
		{Child: 11, StayingPut: catalogue.StayingPutWilling},
		{Child: 12, StayingPut: catalogue.StayingPutNotWilling},
		{Child: 20, StayingPut: catalogue.StayingPutAgreed, AgreedOn: ymd(2026, time.January, 3)},
	}
}

func decodeStayingPutFile(t *testing.T, data []byte, f Format) Decoded {
	t.Helper()
	d, err := DecodeFile(bytes.NewReader(data), f, StayingPut, DecodeOptions{})
	if err != nil {
		t.Fatalf("DecodeFile %s Staying Put: %v\n%s", f, err, data)
	}
	return d
}

// TestStayingPutRoundTrip: Staying Put written in either format reads back the same; a bad
// file names every bad record by row and field, and gives nothing back.
func TestStayingPutRoundTrip(t *testing.T) {
	t.Parallel()
	for _, f := range []Format{CSV, JSON} {
		var buf bytes.Buffer
		if err := EncodeStayingPut(&buf, f, fixtureStayingPut()); err != nil {
			t.Fatal(err)
		}
		if diff := gocmp.Diff(fixtureStayingPut(), decodeStayingPutFile(t, buf.Bytes(), f).StayingPut); diff != "" {
			t.Errorf("%s round trip (-want +got):\n%s", f, diff)
		}
	}
	cases := []struct {
		name string
		in   string
		f    Format
		want []where
	}{
		{"csv", "child,staying_put,agreed_on\n11,willing,\n11,agreed,\nx,maybe,2026-01-01\n12,not_willing,2026-01-01\n", CSV,
			[]where{{3, "child"}, {3, "agreed_on"}, {4, "child"}, {4, "staying_put"}, {5, "agreed_on"}}},
		{"csv without staying_put", "child\n11\n", CSV, []where{{1, "staying_put"}}},
		{"json", `{"staying_put": [{"child": 11, "staying_put": "agreed", "agreed_on": "03/13/2026"}, {"child": 12, "willing": true}]}`, JSON,
			[]where{{1, "agreed_on"}, {2, "willing"}}},
		{"json, none", `{"staying_put": []}`, JSON, []where{{0, "staying_put"}}},
	}
	for _, tc := range cases {
		d, err := DecodeFile(strings.NewReader(tc.in), tc.f, StayingPut, DecodeOptions{})
		if !errors.Is(err, catalogue.ErrInvalid) || d.StayingPut != nil {
			t.Fatalf("%s: got %v and %d records, want invalid and none", tc.name, err, len(d.StayingPut))
		}
		if diff := gocmp.Diff(tc.want, places(err)); diff != "" {
			t.Errorf("%s: places (-want +got):\n%s\n%v", tc.name, diff, err)
		}
	}
}

// TestStayingPutThroughStore: on each store, a Staying Put file is recorded on the young
// people's current placements, all or none: a file naming a child outside the officer's
// council, or a child with no placement going on, is refused by row and writes nothing. What
// the store holds exports to the same file.
func TestStayingPutThroughStore(t *testing.T) {
	t.Parallel()
	for _, f := range []Format{CSV, JSON} {
		t.Run(string(f), func(t *testing.T) {
			t.Parallel()
			sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
				ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 1, Role: catalogue.RoleAdmin})
				child := storedFixtureChildren(t, s)
				start := catalogue.Day(sqltest.Epoch).AddDate(-1, 0, 0)
				for _, id := range []catalogue.ChildID{11, 12, 20} {
					if _, err := s.StartPlacement(ctx, catalogue.Everything, catalogue.Episode{Child: child[id], Start: start,
						Setting: catalogue.SettingCouncilFoster, DistanceKm: catalogue.UnknownDistance}); err != nil {
						t.Fatal(err)
					}
				}
				cs := fixtureStayingPut()
				for i := range cs {
					cs[i].Child = child[cs[i].Child]
				}
				cs[2].AgreedOn = catalogue.Day(sqltest.Epoch).AddDate(0, 0, -3)
				noPlacement := append(cs, catalogue.StayingPutChange{Child: child[21], StayingPut: catalogue.StayingPutWilling})
				var file bytes.Buffer
				if err := EncodeStayingPut(&file, f, noPlacement); err != nil {
					t.Fatal(err)
				}
				d := decodeStayingPutFile(t, file.Bytes(), f)
				first := 2
				if f == JSON {
					first = 1
				}
				// Manchester's officer: children 20 and 21 are another council's; as admin, 21
				// has no placement going on.
				_, err := s.ImportStayingPut(ctx, catalogue.Scope{Council: "E08000003"}, d.StayingPut)
				if diff := gocmp.Diff([]where{{first + 2, "child"}, {first + 3, "child"}}, places(d.Locate(err))); diff != "" {
					t.Fatalf("an officer's import of another council's: %v (-want +got):\n%s", err, diff)
				}
				_, err = s.ImportStayingPut(ctx, catalogue.Everything, d.StayingPut)
				if diff := gocmp.Diff([]where{{first + 3, "child"}}, places(d.Locate(err))); diff != "" {
					t.Fatalf("a child with no placement: %v (-want +got):\n%s", err, diff)
				}
				eps, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Episode], error) {
					return s.ListEpisodes(ctx, catalogue.Everything, catalogue.EpisodeFilter{After: catalogue.EpisodeID(after), Limit: catalogue.MaxLimit})
				})
				if err != nil || len(StayingPutOf(eps)) != 0 {
					t.Fatalf("refused imports recorded %+v (%v)", StayingPutOf(eps), err)
				}

				if _, err := s.ImportStayingPut(ctx, catalogue.Everything, d.StayingPut[:3]); err != nil {
					t.Fatal(d.Locate(err))
				}
				eps, err = catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Episode], error) {
					return s.ListEpisodes(ctx, catalogue.Everything, catalogue.EpisodeFilter{After: catalogue.EpisodeID(after), Limit: catalogue.MaxLimit})
				})
				if err != nil {
					t.Fatal(err)
				}
				if diff := gocmp.Diff(d.StayingPut[:3], StayingPutOf(eps)); diff != "" {
					t.Errorf("Staying Put changed through the store (-file +store):\n%s", diff)
				}
			})
		})
	}
}

// FuzzDecodeStayingPut: whatever the bytes, DecodeFile returns valid records or an
// invalid-input error whose every problem has a message; what it returns writes and reads back
// the same.
func FuzzDecodeStayingPut(f *testing.F) {
	for _, format := range []Format{CSV, JSON} {
		var buf bytes.Buffer
		if err := EncodeStayingPut(&buf, format, fixtureStayingPut()); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes(), format == JSON)
	}
	f.Add([]byte("child,staying_put,agreed_on\n1,Agreed,01/02/2026\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		format := CSV
		if isJSON {
			format = JSON
		}
		d, err := DecodeFile(bytes.NewReader(data), format, StayingPut, DecodeOptions{MaxBytes: 1 << 20, MaxRows: 1000})
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
		var buf bytes.Buffer
		if err := EncodeStayingPut(&buf, format, d.StayingPut); err != nil {
			t.Fatal(err)
		}
		again, err := DecodeFile(&buf, format, StayingPut, DecodeOptions{})
		if err != nil {
			t.Fatalf("an export of decoded records does not read back: %v\n%s", err, buf.String())
		}
		if diff := gocmp.Diff(d.StayingPut, again.StayingPut); diff != "" {
			t.Fatalf("written and read back (-first +again):\n%s", diff)
		}
	})
}
