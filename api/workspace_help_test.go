package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
)

// pageAs is a page request of the named caller's session, with the form's CSRF token when form
// is not nil.
func (f *fixture) pageAs(who, method, path string, form url.Values) response {
	f.t.Helper()
	c := browserCall{method: method, path: path, cookie: &http.Cookie{Name: "placematch_session", Value: f.sessions[who]}, form: form}
	if form != nil {
		c.csrf = api.WorkspaceCSRF(f.sessions[who])
	}
	return f.browse(c)
}

// TestAdvocatePages: the advocate's list shows Amy's request for an advocate with what she
// chose to share, and nothing of her record (no school, no address, no link to the record);
// the request's page has the form; a note missing or too long is the page again (400, the
// error summary linking to the note, nothing written); a note records the contact as the JSON
// route does, and the request leaves the list. Leeds's advocate and Amy's IRO find no such
// request.
func TestAdvocatePages(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	req := f.advocacyRequest()
	list := f.pageAs("advocate", "GET", "/workspace/requests", nil)
	body := string(list.body)
	if list.status != 200 || !strings.Contains(body, "Amy, ") || !strings.Contains(body, "Help me see my brother.") || !strings.Contains(body, "a check-in") {
		t.Fatalf("the advocate's list: %d without Amy's request", list.status)
	}
	for _, never := range []string{"/workspace/children/", f.amy.CaseRef, "Reviews of unplanned moves"} {
		if never != "" && strings.Contains(body, never) {
			t.Errorf("the advocate's list shows %q", never)
		}
	}
	if r := f.pageAs("leedsAdvocate", "GET", "/workspace/requests", nil); strings.Contains(string(r.body), "Amy") {
		t.Error("Leeds's advocate sees Amy's request")
	}
	path := fmt.Sprintf("/workspace/requests/%d", req.ID)
	for who, status := range map[string]int{"advocate": 200, "leedsAdvocate": 404, "iro": 404, "officer": 403} {
		if r := f.pageAs(who, "GET", path, nil); r.status != status {
			t.Errorf("%s reading the request: %d, want %d", who, r.status, status)
		}
	}
	page := string(f.pageAs("advocate", "GET", path, nil).body)
	if !strings.Contains(page, `action="`+path+`/answer"`) || strings.Contains(page, "/workspace/children/") || (f.amy.CaseRef != "" && strings.Contains(page, f.amy.CaseRef)) {
		t.Fatal("the request's page has no form, or shows the child's record")
	}
	for _, note := range []string{"", "  ", strings.Repeat("x", catalogue.MaxShared+1)} {
		r := f.pageAs("advocate", "POST", path+"/answer", url.Values{"version": {"1"}, "note": {note}})
		if r.status != 400 || !strings.Contains(string(r.body), `href="#note"`) || !strings.Contains(string(r.body), `id="note-error"`) {
			t.Errorf("a note of %d characters: %d without the error summary linking to the note", len(note), r.status)
		}
	}
	if r := f.pageAs("advocate", "POST", path+"/answer", url.Values{"version": {"7"}, "note": {"Phoned Amy."}}); r.status != 409 {
		t.Errorf("a stale version: %d, want 409", r.status)
	}
	if h, err := f.store.HelpRequest(context.Background(), catalogue.Everything, catalogue.HelpAdvocacy, req.ID); err != nil || h.Done() {
		t.Fatalf("mistakes answered the request (%v)", err)
	}
	r := f.pageAs("advocate", "POST", path+"/answer", url.Values{"version": {"1"}, "note": {"Phoned Amy; we meet on Thursday."}})
	if r.status != 303 || r.header.Get("Location") != "/workspace/requests?answered=1" {
		t.Fatalf("recording contact: %d to %q", r.status, r.header.Get("Location"))
	}
	if h, err := f.store.HelpRequest(context.Background(), catalogue.Everything, catalogue.HelpAdvocacy, req.ID); err != nil || !h.Done() || h.Note != "Phoned Amy; we meet on Thursday." {
		t.Fatalf("the request after contact: %+v (%v)", h, err)
	}
	after := string(f.pageAs("advocate", "GET", "/workspace/requests?answered=1", nil).body)
	if !strings.Contains(after, "Recorded.") || !strings.Contains(after, "Nothing is waiting") {
		t.Error("the list after contact does not say so, or still lists it")
	}
	if all := string(f.pageAs("advocate", "GET", "/workspace/requests?all=1", nil).body); !strings.Contains(all, "answered ") {
		t.Error("the list of all requests does not show the answered one")
	}
}

// TestIROPages: Amy's unplanned move waits for her IRO's review on the IRO's list; the review's
// page has the form; no outcome, no answer about speaking with her, or concerns without
// findings are the page again (400, the error summary linking to the field, nothing written);
// the review is recorded as PUT /v1/move-reviews/{id} records it, and leaves the list. Leeds's
// IRO finds no such review, and an advocate may not read it.
func TestIROPages(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	rv := f.moveReview()
	list := string(f.pageAs("iro", "GET", "/workspace/requests", nil).body)
	path := "/workspace/move-reviews/" + rv.ID.String()
	if !strings.Contains(list, `href="`+path+`"`) || !strings.Contains(list, "Requests to look again") {
		t.Fatal("the IRO's list does not show Amy's move waiting")
	}
	for who, status := range map[string]int{"iro": 200, "leedsIro": 404, "advocate": 403, "officer": 403} {
		if r := f.pageAs(who, "GET", path, nil); r.status != status {
			t.Errorf("%s reading the review: %d, want %d", who, r.status, status)
		}
	}
	v := fmt.Sprint(rv.Version)
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
	}{
		{"no outcome", url.Values{"version": {v}, "spoken_to": {"yes"}}, "outcome"},
		{"not saying whether they spoke with her", url.Values{"version": {v}, "outcome": {"satisfied"}}, "spoken_to"},
		{"concerns without findings", url.Values{"version": {v}, "outcome": {"concerns_raised"}, "spoken_to": {"yes"}}, "findings"},
	} {
		r := f.pageAs("iro", "POST", path, tc.form)
		if r.status != 400 || !strings.Contains(string(r.body), `href="#`+tc.field+`"`) {
			t.Errorf("%s: %d without the error summary linking to %s", tc.name, r.status, tc.field)
		}
	}
	h, err := f.store.MoveReview(context.Background(), catalogue.Everything, rv.ID)
	if err != nil || h.Reviewed() {
		t.Fatalf("mistakes recorded the review (%v)", err)
	}
	r := f.pageAs("iro", "POST", path, url.Values{"version": {v}, "outcome": {"concerns_raised"}, "spoken_to": {"yes"},
		"findings": {"Amy was not told of the move until the day; raised with the team manager."}})
	if r.status != 303 {
		t.Fatalf("recording the review: %d %s", r.status, r.body)
	}
	h, err = f.store.MoveReview(context.Background(), catalogue.Everything, rv.ID)
	if err != nil || !h.Reviewed() || h.Outcome != catalogue.OutcomeConcerns || !h.ChildSpokenTo {
		t.Fatalf("the review after recording: %+v (%v)", h, err)
	}
	if list := string(f.pageAs("iro", "GET", "/workspace/requests", nil).body); strings.Contains(list, `href="`+path+`"`) {
		t.Error("the reviewed move is still waiting")
	}
	if page := string(f.pageAs("iro", "GET", path, nil).body); !strings.Contains(page, "Concerns raised") || strings.Contains(page, `action="`+path+`"`) {
		t.Error("the reviewed move's page does not show the review, or still has the form")
	}
}
