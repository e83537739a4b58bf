package catalogue

import "testing"

// TestKinCaringOf: a child is counted once, in the way a court settled most firmly, whatever
// order their network lists the ways in; none when nobody cares for them outside care. Each
// way has its own words for the report.
func TestKinCaringOf(t *testing.T) {
	t.Parallel()
	fa, cao, sgo := CaringFamilyArrangement, CaringChildArrangementsOrder, CaringSpecialGuardianship
	cases := []struct {
		ways []Caring
		want Caring
	}{
		{nil, CaringNone},
		{[]Caring{CaringNone, CaringNone}, CaringNone},
		{[]Caring{fa}, fa},
		{[]Caring{fa, CaringNone}, fa},
		{[]Caring{fa, cao}, cao},
		{[]Caring{cao, fa}, cao},
		{[]Caring{sgo, fa, cao}, sgo},
		{[]Caring{fa, cao, sgo}, sgo},
	}
	for _, tc := range cases {
		if got := KinCaringOf(tc.ways); got != tc.want {
			t.Errorf("KinCaringOf(%v) = %q, want %q", tc.ways, got, tc.want)
		}
	}
	seen := map[string]bool{}
	for _, c := range Carings {
		w := c.ReportWords()
		if w == "" || seen[w] {
			t.Errorf("%s: report words %q empty or repeated", c, w)
		}
		seen[w] = true
	}
	if CaringNone.ReportWords() != "" {
		t.Error("no way of caring has report words")
	}
}
