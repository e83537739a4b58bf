package catalogue

import (
	"context"
	"time"
)

// IdempotentRequest identifies a request sent with an Idempotency-Key: who sent it (a token, or
// a child's session for the child's page), the key they chose, the route it was for and the
// SHA-256 of its body, so that a retry with the same key but a different request is refused.
//
// Claim and Hold concern the one attempt being handled: a key it claims stays pending for Hold
// at most (the request's time limit: after it the request can no longer finish, whether it
// timed out or its process was killed), and only the attempt with the same Claim may finish or
// release it, so that a dead attempt's late word never touches a retry's claim.
type IdempotentRequest struct {
	Caller      string // "token:12" or "session:7"
	Key         string
	Route       string // method and route template: "POST /v1/children/:id/offers"
	Fingerprint [32]byte
	Claim       string        // names this attempt, unique to it (random)
	Hold        time.Duration // how long a pending claim holds; 0: IdempotencyHold
}

// StoredResponse is the response first given to an idempotent request, replayed to retries.
type StoredResponse struct {
	Status      int
	ContentType string
	Location    string
	Body        []byte
}

// IdempotencyState is what a store knows of a key when a request arrives with it.
type IdempotencyState int

const (
	IdempotencyNew        IdempotencyState = iota // first use: the request goes ahead
	IdempotencyPending                            // a request with this key is still being handled
	IdempotencyDone                               // answered before: replay the stored response
	IdempotencyMismatched                         // the key was used for a different request
)

// IdempotencyTTL is how long a key is remembered after its request was answered.
const IdempotencyTTL = 24 * time.Hour

// IdempotencyHold is how long a key claimed by a request still being handled is held when the
// request does not say (IdempotentRequest.Hold).
const IdempotencyHold = time.Minute

// MaxIdempotencyKey bounds the length of a key.
const MaxIdempotencyKey = 255

// IdempotencyStore keeps the first response to each request sent with an Idempotency-Key, so
// that a retry is answered with it rather than acting again. Keys belong to their Caller: no
// other scope applies.
type IdempotencyStore interface {
	// BeginIdempotent claims the key of a request. A new key (or one expired) is claimed and
	// IdempotencyNew returned: the request goes ahead, then FinishIdempotent or
	// AbandonIdempotent. A key in use for the same route and body is IdempotencyPending while
	// the first request is handled and IdempotencyDone, with the stored response, after; a key
	// used for another route or body is IdempotencyMismatched. Of two requests racing with one
	// key only one goes ahead. A pending claim expires r.Hold after it was made (on the
	// store's clock), so that a request killed before it could finish holds its key no longer
	// than it could have run.
	BeginIdempotent(ctx context.Context, r IdempotentRequest) (IdempotencyState, StoredResponse, error)
	// FinishIdempotent stores the response to the key claimed by r (the same Claim), given to
	// retries for IdempotencyTTL from now. A claim that has expired, and been claimed again by
	// a retry, is left to the retry.
	FinishIdempotent(ctx context.Context, r IdempotentRequest, resp StoredResponse) error
	// AbandonIdempotent releases the key claimed by r (the same Claim), whose request failed on
	// the server's side or lost its client, so that a retry goes ahead.
	AbandonIdempotent(ctx context.Context, r IdempotentRequest) error
	// PurgeIdempotent removes the expired keys and returns how many.
	PurgeIdempotent(ctx context.Context) (int64, error)
}
