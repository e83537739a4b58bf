package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"sync"
	"testing"

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
