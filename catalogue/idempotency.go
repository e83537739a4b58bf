package catalogue

import "time"

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
