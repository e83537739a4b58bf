package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// A client that hangs up mid-request (issue 14): a client abort, not a server error.

// eachStore runs fn on the offer fixture over the embedded store and over PostgreSQL.
func eachStore(t *testing.T, fn func(t *testing.T, f *offerFixture)) {
	t.Helper()
	t.Run(sqlstore.BackendSQLite, func(t *testing.T) { fn(t, newOfferFixture(t, nil)) })
	t.Run(sqlstore.BackendPostgres, func(t *testing.T) { fn(t, newOfferFixture(t, sqltest.Postgres(t))) })
}

// hungUp serves req as from a client that has gone away: its context is cancelled.
func hungUp(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	ctx, cancel := context.WithCancel(req.Context())
	cancel()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req.WithContext(ctx))
	return w
}

// TestHangUpIsAClientAbort: a child who hangs up while their page is being read or their answer
// saved, and an officer who does while a list is read or their token looked up, are logged as
// client aborts (499), never as an ERROR or a 500, on both stores (TestClientGoneIsNotAServerError
// covers the simplest case of /v1).
func TestHangUpIsAClientAbort(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, f *offerFixture) {
		o, link := f.makeOffer(f.amy.ID)
		child := f.visitor("192.0.2.70")
		f.want(child.do("POST", link, nil), http.StatusSeeOther)
		f.logs.mu.Lock()
		f.logs.b.Reset()
		f.logs.mu.Unlock()

		page := httptest.NewRequest("GET", fmt.Sprintf("/child/offers/%d", o.ID), nil)
		for _, c := range child.cookies {
			page.AddCookie(c)
		}
		form := httptest.NewRequest("POST", fmt.Sprintf("/child/offers/%d", o.ID), strings.NewReader("choice=unsure"))
		form.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range child.cookies {
			form.AddCookie(c)
		}
		list := httptest.NewRequest("GET", "/v1/children", nil)
		list.Header.Set("Authorization", "Bearer "+f.tokens["officer"])
		fresh := httptest.NewRequest("GET", "/v1/me", nil) // a token not looked up before
		fresh.Header.Set("Authorization", "Bearer "+f.tokens["provider"])
		for _, req := range []*http.Request{page, form, list, fresh} {
			if w := hungUp(f.h, req); w.Code == http.StatusInternalServerError {
				t.Errorf("%s %s whose client went away: 500", req.Method, req.URL.Path)
			}
		}
		levels, statuses := logLevels(t, f.logs.String())
		if levels["ERROR"] > 0 {
			t.Errorf("a client going away was logged as an error:\n%s", f.logs.String())
		}
		if fmt.Sprint(statuses) != "[499 499 499 499]" {
			t.Errorf("request log statuses %v, want four client aborts (499)", statuses)
		}
	})
}
