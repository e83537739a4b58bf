package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/aggregate"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/sufficiency"
)

// The aggregates the API serves (the stability summary, the support needs, the sufficiency
// report behind GET /v1/sufficiency and the dashboard, a what-if, a recruitment plan, and the
// catalogue's sizes in /metrics) come from one cache (package aggregate): a request gets the
// last copy with its age (an Age header, and computed_at in the body) while a new one is
// computed in the background, and never waits for a recomputation; one principal has at most
// one computation in flight, and is answered 429 with Retry-After when they ask for a second
// aggregate of which nothing is cached yet. Access is checked before the cache is asked; a key
// says what is computed over which area, never who asked, so every caller allowed to see an
// area gets the same copy of it and no one else's.

// defaultAggregateMaxAge is how long a copy of an aggregate other than the sufficiency report
// (whose service says) is fresh.
const defaultAggregateMaxAge = time.Minute

// Keys of aggregates with no parameters.
var (
	// sufficiencyKey: the report for England, from which every view (a region's, a council's,
	// a segment's) is taken on the request's path.
	sufficiencyKey = aggregate.Key{Route: "sufficiency report", Scope: "england"}
	// supportNeedsKey: England's sums of support plans, protected once; views are taken from it.
	supportNeedsKey = aggregate.Key{Route: "/v1/support-needs", Scope: "england"}
	// sizesKey: the catalogue's sizes that /metrics reports.
	sizesKey = aggregate.Key{Route: "/metrics", Scope: "everything", Params: "catalogue sizes"}
)

// areaScope is the Scope of an aggregate over a council, or over England when council is empty.
func areaScope(council catalogue.CouncilCode) string {
	if council == "" {
		return "england"
	}
	return "council:" + string(council)
}

// aggregateFor returns the copy of an aggregate for a request, charging any computation it
// starts to the token who, and says the copy's age in an Age header (whole seconds), with
// Cache-Control: no-store: aggregates are sums of children's records.
func aggregateFor[V any](c *gin.Context, s *server, who catalogue.TokenID, k aggregate.Key, maxAge time.Duration,
	compute func(context.Context) (V, error)) (aggregate.Copy[V], error) {
	cp, err := aggregate.Get(c.Request.Context(), s.agg, aggregate.Query{Key: k, Who: "token:" + who.String(), MaxAge: maxAge}, compute)
	if err != nil {
		return cp, aggregateError(err)
	}
	c.Header("Age", strconv.FormatInt(int64(cp.Age/time.Second), 10))
	c.Header("Cache-Control", "no-store")
	return cp, nil
}

// aggregateError turns the cache's refusals into problems with Retry-After.
func aggregateError(err error) error {
	var re *aggregate.RetryError
	switch {
	case errors.As(err, &re):
		retry := http.Header{"Retry-After": {strconv.FormatInt(int64(re.After/time.Second), 10)}}
		if errors.Is(err, aggregate.ErrBusy) {
			return &httpError{status: http.StatusTooManyRequests, header: retry,
				detail: "figures you asked for earlier are still being worked out; ask again when they are ready"}
		}
		return &httpError{status: http.StatusServiceUnavailable, header: retry,
			detail: "these figures are being worked out for the first time; ask again shortly"}
	case errors.Is(err, aggregate.ErrClosed):
		return &httpError{status: http.StatusServiceUnavailable, header: http.Header{"Retry-After": {"5"}},
			detail: "the service is stopping; ask again shortly"}
	}
	return err
}

// digest is the Params of an aggregate computed from a request's body: a hash of the body as
// parsed, so that the same question written two ways is one key.
func digest(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "unhashable"
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// report returns the sufficiency report's copy for a request by the token who.
func (s *server) report(c *gin.Context, who catalogue.TokenID) (aggregate.Copy[*sufficiency.Report], error) {
	return aggregateFor(c, s, who, sufficiencyKey, s.suff.MaxAge(), s.computeReport)
}

// reportWithin is the sufficiency report for a computation that needs it (a what-if, a plan):
// the service's own look-up, which waits for the first report but is charged to no one, the
// computation that asks being charged already.
func (s *server) reportWithin(ctx context.Context) (*sufficiency.Report, error) {
	cp, err := aggregate.Get(ctx, s.agg, aggregate.Query{Key: sufficiencyKey, MaxAge: s.suff.MaxAge()}, s.computeReport)
	return cp.Value, err
}

// warmAggregates starts computing, in the background, the aggregates slow to compute, so that
// the first commissioner does not wait for them.
func (s *server) warmAggregates() {
	aggregate.Warm(s.agg, sufficiencyKey, s.computeReport)
}

// sizes are the catalogue's sizes for /metrics, from the cache: a scrape never waits for a
// count when a copy exists.
func (s *server) sizes(ctx context.Context, store Sizes) (catalogue.Counts, time.Duration, bool, error) {
	cp, err := aggregate.Get(ctx, s.agg, aggregate.Query{Key: sizesKey, MaxAge: s.aggAge}, store.Counts)
	return cp.Value, cp.Age, !cp.RefreshFailed, err
}
