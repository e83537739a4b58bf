package exchange

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/placematch/placematch/catalogue"
)

// refNow is the import's time in the referral tests.
var refNow = time.Date(2026, time.March, 1, 9, 0, 0, 0, time.UTC)

// fixtureReferrals are past referrals of every kind a file holds: an acceptance with a fee
// and brothers and sisters, an emergency decline for another reason, an expiry, an acceptance
// later withdrawn.
func fixtureReferrals() []catalogue.Referral {
	sent := time.Date(2026, time.January, 5, 9, 30, 0, 0, time.UTC)
	return []catalogue.Referral{
		{ID: 1, Child: 11, Siblings: []catalogue.ChildID{12}, Placement: 3, Status: catalogue.ReferralAccepted, CreatedAt: sent,
			Deadline: sent.Add(48 * time.Hour), Response: &catalogue.ReferralResponse{Accepted: true, WeeklyFee: 950,
				Impact: catalogue.ImportedImpact, At: sent.Add(20 * time.Hour)}},
		{ID: 2, Child: 20, Placement: 4, Status: catalogue.ReferralDeclined, Emergency: true, CreatedAt: sent,
			Deadline: sent.Add(4 * time.Hour), Response: &catalogue.ReferralResponse{Decline: catalogue.DeclineOther,
				Note: catalogue.ImportedNote, At: sent.Add(time.Hour)}},
		{ID: 3, Child: 20, Placement: 5, Status: catalogue.ReferralExpired, CreatedAt: sent, Deadline: sent.Add(48 * time.Hour)},
		{ID: 4, Child: 30, Placement: 3, Status: catalogue.ReferralWithdrawn, CreatedAt: sent, Deadline: sent.Add(48 * time.Hour),
			Response: &catalogue.ReferralResponse{Accepted: true, Impact: catalogue.ImportedImpact, At: sent.Add(2 * time.Hour)}},
	}
}

// asRead is what reading a referral back gives: no stored ID (the file's keys are not kept).
func asRead(rs []catalogue.Referral) []catalogue.Referral {
	out := make([]catalogue.Referral, len(rs))
	for i, r := range rs {
		r.ID = 0
		out[i] = r
	}
	return out
}

func decodeReferralsFile(t *testing.T, data []byte, f Format) Decoded {
	t.Helper()
	d, err := DecodeFile(bytes.NewReader(data), f, Referrals, DecodeOptions{Now: refNow})
	if err != nil {
		t.Fatalf("DecodeFile %s referrals: %v\n%s", f, err, data)
	}
	return d
}

func TestReferralsRoundTrip(t *testing.T) {
	t.Parallel()
	for _, f := range []Format{CSV, JSON} {
		t.Run(string(f), func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := EncodeReferrals(&buf, f, fixtureReferrals()); err != nil {
				t.Fatal(err)
			}
			d := decodeReferralsFile(t, buf.Bytes(), f)
			if diff := gocmp.Diff(asRead(fixtureReferrals()), d.Referrals); diff != "" {
				t.Errorf("referrals changed through a %s file (-want +got):\n%s", f, diff)
			}
			// No free text leaves: neither the impact assessment nor a note.
			for _, text := range []string{"Assessed", "note", "Given"} {
				if bytes.Contains(buf.Bytes(), []byte(text)) {
					t.Errorf("the export holds %q:\n%s", text, buf.Bytes())
				}
			}
		})
	}
}

func TestDecodeReferralsInTheStandardsWords(t *testing.T) {
	t.Parallel()
	csv := "Child,placement,referralDate,neededBy,status,outcome,answered_at,decline_reason,referralOfficerName,impact_assessment\n" +
		"7,9,05/01/2026,Today,declined,declined,2026-01-05T10:00:00Z,no_capacity,Jo Bloggs,\n" +
		"8,9,2026-01-05,in more than 5 days,accepted,Accepted,2026-01-06,,,It will work well with Sam there\n" +
		"8,10,2026-01-05,2026-01-05,expired,,,,,\n"
	d, err := DecodeFile(strings.NewReader(csv), CSV, Referrals, DecodeOptions{Now: refNow})
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, time.January, 5, 0, 0, 0, 0, time.UTC)
	want := []catalogue.Referral{
		{Child: 7, Placement: 9, CreatedAt: day, Emergency: true, Deadline: day.Add(4 * time.Hour), Status: catalogue.ReferralDeclined,
			Response: &catalogue.ReferralResponse{Decline: catalogue.DeclineNoCapacity, At: day.Add(10 * time.Hour)}},
		{Child: 8, Placement: 9, CreatedAt: day, Deadline: day.Add(48 * time.Hour), Status: catalogue.ReferralAccepted,
			Response: &catalogue.ReferralResponse{Accepted: true, Impact: catalogue.ImportedImpact, At: day.AddDate(0, 0, 1)}},
		{Child: 8, Placement: 10, CreatedAt: day, Emergency: true, Deadline: day.Add(4 * time.Hour), Status: catalogue.ReferralExpired},
	}
	if diff := gocmp.Diff(want, d.Referrals); diff != "" {
		t.Errorf("referrals read (-want +got):\n%s", diff)
	}
	var kept []string
	for _, n := range d.NotKept {
		kept = append(kept, n.Field)
	}
	if diff := gocmp.Diff([]string{"referralOfficerName", "impact_assessment"}, kept); diff != "" {
		t.Errorf("not kept (-want +got):\n%s", diff)
	}
}

const refHeader = "id,child,siblings,siblingCount,placement,neededBy,referralDate,status,outcome,answered_at,weekly_fee,decline_reason,hold_until\n"

func TestDecodeReferralsBadRows(t *testing.T) {
	t.Parallel()
	good := "r1,11,,,3,,2026-01-05,declined,declined,2026-01-06,,location,\n"
	for _, tc := range []struct {
		name string
		in   string
		f    Format
		want []where
	}{
		{"every bad row named, none written", refHeader + good +
			"r2,x,,,3,,2026-01-05,declined,declined,2026-01-06,,location,\n" +
			"r3,11,,,3,,2026-01-05,sent,,,,,\n" +
			"r4,11,,,,,2026-01-05,sent,,,,,\n", CSV,
			[]where{{3, "child"}, {4, "status"}, {5, "placement"}}},
		{"answers that disagree", refHeader +
			"r1,11,,,3,,2026-01-05,accepted,declined,2026-01-06,,location,\n" +
			"r2,11,,,4,,2026-01-05,declined,declined,,,,\n" +
			"r3,11,,,5,,2026-01-05,accepted,accepted,2026-01-06,60000,,\n" +
			"r4,11,,,6,,2026-01-05,declined,declined,2026-01-04,,other,\n" +
			"r5,11,,,7,,2026-01-05,expired,,2026-01-06,,,\n", CSV,
			[]where{{2, "outcome"}, {3, "answered_at"}, {3, "decline_reason"}, {4, "weekly_fee"}, {5, "answered_at"}, {6, "answered_at"}}},
		{"times and counts", refHeader +
			"r1,11,12;12,1,3,,2026-04-01,expired,,,,,\n" +
			"r2,11,,,3,soon,5 Jan,expired,,,,,\n" +
			"r3,11,,,3,,2026-01-05,accepted,accepted,2026-01-06,,,2026-03-01T00:00:00Z\n" +
			"r3,12,,,3,,2026-01-05,withdrawn,,,,,\n", CSV,
			[]where{{2, "siblingCount"}, {2, "siblings"}, {3, "neededBy"}, {3, "referralDate"}, {4, "hold_until"}, {5, "id"}}},
		{"one acceptance of a child by a home", refHeader +
			"r1,11,,,3,,2026-01-05,accepted,accepted,2026-01-06,,,\n" +
			"r2,11,,,3,,2026-01-07,accepted,accepted,2026-01-08,,,\n", CSV,
			[]where{{3, "placement"}}},
		{"unknown column", "child,placement,referralDate,status,imapct\n11,3,2026-01-05,expired,\n", CSV, []where{{1, "imapct"}}},
		{"missing columns", "child,status\n11,expired\n", CSV, []where{{1, "placement"}, {1, "referralDate"}}},
		{"JSON names the item", `{"referrals": [{"child": 11, "placement": 3, "referralDate": "2026-01-05", "status": "expired", "siblings": [12, -1]},
			{"child": "eleven", "placement": 3, "referralDate": "2026-01-05", "status": "expired"},
			{"child": 11, "placement": 4, "referralDate": "2026-01-05", "status": "declined", "outcome": "declined", "answered_at": "2026-01-06", "decline_reason": "fish"}]}`, JSON,
			[]where{{1, "siblings[1]"}, {2, "child"}, {3, "decline_reason"}}},
		{"JSON with no referrals", `{"referrals": []}`, JSON, []where{{0, "referrals"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := DecodeFile(strings.NewReader(tc.in), tc.f, Referrals, DecodeOptions{Now: refNow})
			if !errors.Is(err, catalogue.ErrInvalid) {
				t.Fatalf("got %v, want invalid input", err)
			}
			if len(d.Referrals) != 0 {
				t.Errorf("a failed decode returned %d referrals", len(d.Referrals))
			}
			if diff := gocmp.Diff(sortWhere(tc.want), sortWhere(places(err))); diff != "" {
				t.Errorf("problems found (-want +got):\n%s\n%v", diff, err)
			}
		})
	}
}

// TestLocateNamesTheRow: a store's problems with referrals[i] are given the row and column
// of the file.
func TestLocateNamesTheRow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		f    Format
		in   string
		want []where
	}{
		{CSV, refHeader + "a,11,,,3,,2026-01-05,expired,,,,,\nb,12,13,1,4,,2026-01-05,expired,,,,,\n",
			[]where{{2, "child"}, {3, "placement"}, {3, "siblings"}}},
		{JSON, `{"referrals": [{"child": 11, "placement": 3, "referralDate": "2026-01-05", "status": "expired"},
			{"child": 12, "siblings": [13], "placement": 4, "referralDate": "2026-01-05", "status": "expired"}]}`,
			[]where{{1, "child"}, {2, "placement"}, {2, "siblings[0]"}}},
	} {
		d, err := DecodeFile(strings.NewReader(tc.in), tc.f, Referrals, DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		storeErr := catalogue.InvalidFields([]catalogue.FieldError{
			{Row: 1, Field: "referrals[0].child", Message: "no such child"},
			{Row: 2, Field: "referrals[1].placement", Message: "no such placement"},
			{Row: 2, Field: "referrals[1].siblings[0]", Message: "must be a brother or sister"},
		})
		if diff := gocmp.Diff(tc.want, places(d.Locate(storeErr))); diff != "" {
			t.Errorf("%s: located (-want +got):\n%s", tc.f, diff)
		}
		if other := errors.New("disk full"); d.Locate(other) != other {
			t.Errorf("%s: Locate changed an error that names no referral", tc.f)
		}
	}
}

func TestDecodeRefusesReferralsAsABatch(t *testing.T) {
	t.Parallel()
	if _, err := Decode(strings.NewReader(refHeader), CSV, Referrals, DecodeOptions{}); !errors.Is(err, catalogue.ErrInvalid) {
		t.Fatalf("Decode of referrals: %v, want invalid input", err)
	}
}

func FuzzDecodeReferrals(f *testing.F) {
	for _, format := range []Format{CSV, JSON} {
		var buf bytes.Buffer
		if err := EncodeReferrals(&buf, format, fixtureReferrals()); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes(), format == JSON)
	}
	f.Add([]byte(refHeader+"r1,11,12;x,2,3,Today,31/12/2025,accepted,accepted,2026-01-06,,,\n"), false)
	f.Add([]byte(`{"referrals": [{"child": 1, "placement": 2, "referralDate": "2026-01-05T09:00:00+01:00", "status": "declined", "outcome": "declined", "answered_at": "2026-01-05", "decline_reason": "other"}]}`), true)
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		format := CSV
		if isJSON {
			format = JSON
		}
		d, err := DecodeFile(bytes.NewReader(data), format, Referrals, DecodeOptions{Now: refNow, MaxBytes: 1 << 20})
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
		for i, r := range d.Referrals {
			if err := r.CheckPast(refNow); err != nil {
				t.Fatalf("referral %d decoded but not valid: %v", i, err)
			}
		}
		// What was read is written and read back the same.
		for _, out := range []Format{CSV, JSON} {
			var buf bytes.Buffer
			if err := EncodeReferrals(&buf, out, d.Referrals); err != nil {
				t.Fatal(err)
			}
			again, err := DecodeFile(&buf, out, Referrals, DecodeOptions{Now: refNow})
			if err != nil {
				t.Fatalf("the %s export of a good file does not read back: %v", out, err)
			}
			if diff := gocmp.Diff(d.Referrals, again.Referrals); diff != "" {
				t.Fatalf("changed through %s (-first +again):\n%s", out, diff)
			}
		}
	})
}
