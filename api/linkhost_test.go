package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
)

// Links to children built only from a configured address (issue 14): a spoofed Host is refused.

// TestLinksOnlyFromAllowedHosts: without a base URL, a link is built only from a Host on the
// allow-list (the loopback names by default); any other Host is refused with a 400 naming
// Host before anything is written; with a base URL the Host is not used at all.
func TestLinksOnlyFromAllowedHosts(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	r := f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/offers", nil)
	f.want(r, 201)
	var o offerBody
	r.json(t, &o)
	send := func(h http.Handler, host string) response {
		req := httptest.NewRequest("POST", fmt.Sprintf("/v1/offers/%d/send", o.ID), nil)
		req.Host = host
		req.Header.Set("Authorization", "Bearer "+f.tokens["officer"])
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
	}
	linkOf := func(r response) string {
		t.Helper()
		var sent struct {
			Link struct {
				URL string `json:"url"`
			} `json:"link"`
		}
		r.json(t, &sent)
		return sent.Link.URL
	}
	handler := func(cfg api.Config) http.Handler {
		t.Helper()
		cfg.Store, cfg.Matcher, cfg.Now = f.store, f.engine, f.store.Now
		h, err := api.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}

	// Neither a base URL nor an allow-list: only the loopback names, as for local use.
	local := handler(api.Config{})
	for _, host := range []string{"evil.example", "example.com", "127.0.0.1.evil.example:8080"} {
		r := send(local, host)
		f.want(r, 400)
		wantField(t, r, "Host")
	}
	if l := f.offer("officer", o.ID).Links; len(l) != 0 {
		t.Fatalf("a refused send made %d links", len(l))
	}
	if u := linkOf(send(local, "127.0.0.1:8080")); !strings.HasPrefix(u, "http://127.0.0.1:8080/c/pmc_") {
		t.Errorf("local link %q", u)
	}
	if u := linkOf(send(local, "localhost:8080")); !strings.HasPrefix(u, "http://localhost:8080/c/pmc_") {
		t.Errorf("local link %q", u)
	}

	// An allow-list: its hosts, and nothing else.
	listed := handler(api.Config{Settings: api.Settings{AllowedHosts: []string{"placematch.example.gov.uk", "placematch.internal:8443"}}})
	if u := linkOf(send(listed, "PlaceMatch.example.gov.uk")); !strings.HasPrefix(u, "http://placematch.example.gov.uk/c/pmc_") {
		t.Errorf("allowed host's link %q", u)
	}
	if u := linkOf(send(listed, "placematch.internal:8443")); !strings.HasPrefix(u, "http://placematch.internal:8443/c/pmc_") {
		t.Errorf("allowed host's link %q", u)
	}
	for _, host := range []string{"evil.example", "placematch.internal:8080", "127.0.0.1:8080"} {
		r := send(listed, host)
		f.want(r, 400)
		wantField(t, r, "Host")
	}

	// A base URL: whatever the Host.
	based := handler(api.Config{Settings: api.Settings{BaseURL: "https://placematch.example.gov.uk/"}})
	if u := linkOf(send(based, "evil.example")); !strings.HasPrefix(u, "https://placematch.example.gov.uk/c/pmc_") {
		t.Errorf("link with a base URL %q", u)
	}

	// A check-in link is made the same way.
	req := httptest.NewRequest("POST", "/v1/children/"+id(f.amy.ID)+"/check-in-links", nil)
	req.Host = "evil.example"
	req.Header.Set("Authorization", "Bearer "+f.tokens["officer"])
	w := httptest.NewRecorder()
	local.ServeHTTP(w, req)
	cr := response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
	f.want(cr, 400)
	wantField(t, cr, "Host")
}
