package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// Idempotency keys held by requests that died (issue 14): a hung-up client keeps nothing, and a
// killed request's claim runs out with the request timeout.

// killingIdem is the store, but a request that claims an idempotency key then dies: its client
// hangs up (cancel), or its process is killed (abort) before it can finish or release the key.
type killingIdem struct {
	*sqlstore.Store
	cancel context.CancelFunc
	abort  bool
}

func (k *killingIdem) BeginIdempotent(ctx context.Context, r catalogue.IdempotentRequest) (catalogue.IdempotencyState, catalogue.StoredResponse, error) {
	st, resp, err := k.Store.BeginIdempotent(ctx, r)
	if k.cancel != nil {
		k.cancel()
	}
	if k.abort {
		panic(http.ErrAbortHandler) // what net/http does with a request it gives up; here: the process dies
	}
	return st, resp, err
}

// TestIdempotencyKeyOutlivesNoDeadRequest: on both stores, a request whose client hung up
// (499) keeps nothing for its key, and a key claimed by a request that was killed is given up
// once the request timeout has passed on the store's clock, so that a retry acts once.
func TestIdempotencyKeyOutlivesNoDeadRequest(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, f *offerFixture) {
		body := toJSON(t, childIn(manchester, "Nia"))
		delete(body, "id")
		before := f.countChildren("admin")
		k := &killingIdem{Store: f.store}
		h, err := api.New(api.Config{Store: k, Matcher: f.engine, Now: f.store.Now, Settings: api.Settings{RequestTimeout: 30 * time.Second}})
		if err != nil {
			t.Fatal(err)
		}
		post := func(key string, ctx context.Context) *httptest.ResponseRecorder {
			buf, _ := json.Marshal(body)
			req := httptest.NewRequestWithContext(ctx, "POST", "/v1/children", bytes.NewReader(buf))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+f.tokens["officer"])
			req.Header.Set("Idempotency-Key", key)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			return w
		}

		// The client hangs up once the key is claimed: nothing is kept; the retry acts.
		ctx, cancel := context.WithCancel(context.Background())
		k.cancel = cancel
		if w := post("hang-up", ctx); w.Code != 499 {
			t.Fatalf("the request whose client hung up: %d, want 499", w.Code)
		}
		k.cancel = nil
		if w := post("hang-up", context.Background()); w.Code != http.StatusCreated || w.Header().Get("Idempotency-Replayed") != "" {
			t.Fatalf("the retry after a hang-up: %d (replayed %q), want 201, acted: %s", w.Code, w.Header().Get("Idempotency-Replayed"), w.Body)
		}

		// The process dies once the key is claimed: retries are told to wait while it could
		// still be running, and act once it cannot.
		body["first_name"] = "Noor"
		k.abort = true
		func() {
			defer func() {
				if v := recover(); v != http.ErrAbortHandler {
					t.Fatalf("recovered %v", v)
				}
			}()
			post("killed", context.Background())
		}()
		k.abort = false
		if w := post("killed", context.Background()); w.Code != http.StatusConflict {
			t.Fatalf("a retry while the first could still run: %d, want 409", w.Code)
		}
		sqltest.Clock(t, f.store).Advance(29 * time.Second)
		if w := post("killed", context.Background()); w.Code != http.StatusConflict {
			t.Fatalf("a retry 29 s after a claim with a 30 s timeout: %d, want 409", w.Code)
		}
		sqltest.Clock(t, f.store).Advance(2 * time.Second)
		w := post("killed", context.Background())
		if w.Code != http.StatusCreated {
			t.Fatalf("a retry once the killed request's time is up: %d, want 201: %s", w.Code, w.Body)
		}
		if r := post("killed", context.Background()); r.Code != http.StatusCreated || r.Header().Get("Idempotency-Replayed") != "true" ||
			!bytes.Equal(r.Body.Bytes(), w.Body.Bytes()) {
			t.Errorf("the retry's answer is not kept: %d %q", r.Code, r.Header().Get("Idempotency-Replayed"))
		}
		if n := f.countChildren("admin"); n != before+2 {
			t.Errorf("%d children made by two requests and their retries, want 2", n-before)
		}
	})
}
