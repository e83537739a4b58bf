package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"sync"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

func TestIdempotencyKeys(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		req := catalogue.IdempotentRequest{Caller: "token:1", Key: "k1", Route: "POST /v1/children", Fingerprint: sha256.Sum256([]byte("{}"))}
		// Sixteen at once: exactly one claims the key.
		var wg sync.WaitGroup
		states := make([]catalogue.IdempotencyState, 16)
		for i := range states {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st, _, err := s.BeginIdempotent(ctx, req)
				if err != nil {
					t.Error(err)
				}
				states[i] = st
			}()
		}
		wg.Wait()
		news := 0
		for _, st := range states {
			switch st {
			case catalogue.IdempotencyNew:
				news++
			case catalogue.IdempotencyPending:
			default:
				t.Errorf("state %v while the first is pending", st)
			}
		}
		if news != 1 {
			t.Fatalf("%d requests claimed one key", news)
		}
		resp := catalogue.StoredResponse{Status: 201, ContentType: "application/json", Location: "/v1/children/9", Body: []byte(`{"id":9}`)}
		if err := s.FinishIdempotent(ctx, req, resp); err != nil {
			t.Fatal(err)
		}
		st, got, err := s.BeginIdempotent(ctx, req)
		if err != nil || st != catalogue.IdempotencyDone {
			t.Fatalf("after finishing: %v %v", st, err)
		}
		diff(t, "stored response", got, resp)
		other := req
		other.Fingerprint = sha256.Sum256([]byte(`{"x":1}`))
		if st, _, _ := s.BeginIdempotent(ctx, other); st != catalogue.IdempotencyMismatched {
			t.Errorf("another body with the same key: %v", st)
		}
		// An abandoned key can be claimed again.
		req2 := req
		req2.Key = "k2"
		if st, _, _ := s.BeginIdempotent(ctx, req2); st != catalogue.IdempotencyNew {
			t.Fatal("k2 not new")
		}
		if err := s.AbandonIdempotent(ctx, req2); err != nil {
			t.Fatal(err)
		}
		if st, _, _ := s.BeginIdempotent(ctx, req2); st != catalogue.IdempotencyNew {
			t.Errorf("an abandoned key was not free again: %v", st)
		}
		if n, err := s.PurgeIdempotent(ctx); err != nil || n != 0 {
			t.Errorf("purged %d fresh keys: %v", n, err)
		}
	})
}

// TestIdempotencyClaimsExpire: a pending key is held only for its request's time (Hold), on the
// store's clock: a request killed mid-way leaves a key that a retry can claim once that time
// has passed, and the dead request's late finish or release, if it ever comes, touches only its
// own claim. A finished key is kept for IdempotencyTTL.
func TestIdempotencyClaimsExpire(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		clock := sqltest.Clock(t, s)
		req := catalogue.IdempotentRequest{Caller: "token:1", Key: "k1", Route: "POST /v1/children",
			Fingerprint: sha256.Sum256([]byte("{}")), Claim: "first", Hold: 30 * time.Second}
		state := func(r catalogue.IdempotentRequest) catalogue.IdempotencyState {
			t.Helper()
			st, _, err := s.BeginIdempotent(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		if st := state(req); st != catalogue.IdempotencyNew {
			t.Fatalf("first claim: %v", st)
		}
		retry := req
		retry.Claim = "second"
		clock.Advance(29 * time.Second)
		if st := state(retry); st != catalogue.IdempotencyPending {
			t.Fatalf("a retry within the first's time: %v, want pending", st)
		}
		clock.Advance(2 * time.Second)
		if st := state(retry); st != catalogue.IdempotencyNew {
			t.Fatalf("a retry after the first's time: %v, want new", st)
		}
		// The first request's late answer is not kept, nor does its release free the key.
		if err := s.FinishIdempotent(ctx, req, catalogue.StoredResponse{Status: 201, Body: []byte("late")}); err != nil {
			t.Fatal(err)
		}
		if err := s.AbandonIdempotent(ctx, req); err != nil {
			t.Fatal(err)
		}
		if st := state(retry); st != catalogue.IdempotencyPending {
			t.Fatalf("after the dead request's late finish and release: %v, want the retry's claim pending", st)
		}
		resp := catalogue.StoredResponse{Status: 201, ContentType: "application/json", Body: []byte(`{"id":1}`)}
		if err := s.FinishIdempotent(ctx, retry, resp); err != nil {
			t.Fatal(err)
		}
		// Kept for a day from the answer, whoever asks again.
		clock.Advance(catalogue.IdempotencyTTL - time.Minute)
		third := req
		third.Claim = "third"
		st, got, err := s.BeginIdempotent(ctx, third)
		if err != nil || st != catalogue.IdempotencyDone {
			t.Fatalf("a day less a minute after the answer: %v %v, want done", st, err)
		}
		diff(t, "stored response", got, resp)
		clock.Advance(2 * time.Minute)
		if st := state(third); st != catalogue.IdempotencyNew {
			t.Fatalf("a day after the answer: %v, want new", st)
		}
		// Without a Hold a claim holds for IdempotencyHold.
		free := catalogue.IdempotentRequest{Caller: "token:1", Key: "k2", Route: "POST /v1/children", Claim: "a"}
		state(free)
		clock.Advance(catalogue.IdempotencyHold + time.Second)
		free.Claim = "b"
		if st := state(free); st != catalogue.IdempotencyNew {
			t.Errorf("a claim without a Hold after IdempotencyHold: %v, want new", st)
		}
	})
}
