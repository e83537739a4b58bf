package api_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMetrics: /metrics is Prometheus text for admins and commissioners, labels requests by
// route template (never the raw path with its IDs), and reports option searches and the
// catalogue's sizes.
func TestMetrics(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	f.want(f.do("officer", "GET", "/v1/children/"+id(f.amy.ID), nil), 200)
	f.want(f.do("officer", "GET", "/v1/children/424242", nil), 404)
	f.want(f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/options", nil), 200)
	f.want(f.do("", "GET", "/no/such/route/pm_secret", nil), 404)

	f.want(f.do("", "GET", "/metrics", nil), 401)
	f.want(f.do("officer", "GET", "/metrics", nil), 403)
	r := f.do("commissioner", "GET", "/metrics", nil)
	f.want(r, 200)
	body := string(r.body)
	for _, want := range []string{
		`placematch_http_requests_total{method="GET",route="/v1/children/:id",status="200"} 1`,
		`placematch_http_requests_total{method="GET",route="/v1/children/:id",status="404"} 1`,
		`placematch_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`placematch_http_request_duration_seconds_bucket{method="POST",route="/v1/children/:id/options",le="+Inf"} 1`,
		`placematch_options_search_seconds_count{two_or_more="false"} 1`,
		`placematch_catalogue_records{kind="children"} 2`,
		`placematch_catalogue_records{kind="placements"} 1`,
		`placematch_store_up 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, never := range []string{"/v1/children/" + id(f.amy.ID), "424242", "pm_secret", "Amy"} {
		if strings.Contains(body, never) {
			t.Errorf("metrics contain %q", never)
		}
	}
}

// TestClientGoneIsNotAServerError: a request whose client has gone is answered 499 (nginx's
// convention, for the log and the metrics), not 500, and is not logged as an error.
func TestClientGoneIsNotAServerError(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest("GET", "/v1/children", nil).WithContext(ctx)
	req.Header.Set("Authorization", "Bearer "+f.tokens["officer"])
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	if w.Code != 499 {
		t.Errorf("status %d for a client gone, want 499", w.Code)
	}
}
