package api_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// ownView reads /v1/sufficiency of council as who: the area the figures are unwithheld for,
// the first note, and the council's figures.
func ownView(t *testing.T, f *fixture, who, council string) (own, note string, metrics map[string]json.RawMessage) {
	t.Helper()
	r := f.do(who, "GET", "/v1/sufficiency?council="+council, nil)
	f.want(r, 200)
	var rep struct {
		OwnArea string `json:"own_area"`
		Notes   []string
		Areas   []struct {
			Area    struct{ Code string }
			Metrics map[string]json.RawMessage
		}
	}
	r.json(t, &rep)
	if len(rep.Areas) == 0 || rep.Areas[0].Area.Code != council || len(rep.Notes) == 0 {
		t.Fatalf("%s: no row for %s or no notes: %.300s", who, council, r.body)
	}
	return rep.OwnArea, rep.Notes[0], rep.Areas[0].Metrics
}

// awaitOwnView asks until who's own figures are ready: they are prepared in the background
// (api/sufficiency_readers.go), on the scheduler's time, which no test clock drives.
func awaitOwnView(t *testing.T, f *fixture, who, council, area string) map[string]json.RawMessage {
	t.Helper()
	for range 3000 {
		if own, _, m := ownView(t, f, who, council); own == area {
			return m
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s: the figures of %s were never prepared", who, area)
	return nil
}

// TestReaderFiguresPreparedInBackground: a commissioner scoped to a region that had no reader
// when the report was computed gets, at once, the published figures (Leeds's small counts
// withheld) with a note that the region's own are being prepared, and then, without the report
// being computed again, the region's own.
func TestReaderFiguresPreparedInBackground(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	const yorkshire = "E12000003"
	if own, _, _ := ownView(t, f, "commissioner", string(leeds)); own != "" {
		t.Fatalf("the national commissioner's figures are for %q", own)
	}
	r := f.do("admin", "POST", "/v1/tokens", map[string]any{"label": "Yorkshire commissioning", "role": "commissioner", "region": yorkshire})
	f.want(r, 201)
	var tok struct{ Token string }
	r.json(t, &tok)
	f.tokens["yorkshire"] = tok.Token
	own, note, m := ownView(t, f, "yorkshire", string(leeds))
	if own != "" || !strings.Contains(note, "being prepared") || string(m["waiting"]) != `"c"` {
		t.Errorf("before the region's figures are prepared: own_area %q, note %q, waiting %s; want the published figures and a note", own, note, m["waiting"])
	}
	m = awaitOwnView(t, f, "yorkshire", string(leeds), yorkshire)
	if string(m["waiting"]) == `"c"` {
		t.Error("the region's commissioner sees Leeds's children waiting withheld")
	}
}
