package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// Problem is an RFC 9457 problem detail. Errors lists each field at fault.
type Problem struct {
	Type     string                 `json:"type"`
	Title    string                 `json:"title"`
	Status   int                    `json:"status"`
	Detail   string                 `json:"detail,omitempty"`
	Instance string                 `json:"instance,omitempty"`
	Errors   []catalogue.FieldError `json:"errors,omitempty"`
	// ErrorCount is how many problems were found when Errors lists only the first of them (an
	// import lists at most catalogue.MaxIssues); left out when Errors lists them all.
	ErrorCount int `json:"error_count,omitempty"`
}

// Two kinds of error reach the one renderer, writeProblem:
//
//   - *catalogue.Error, what the store and the services say (and the API's own checks of the
//     same kinds: a bad field, a role refused, a record outside the caller's reach). Its Kind
//     picks the status from the table kinds; the detail shown is its Msg, else the first of
//     its Fields, else its kind's fixed sentence.
//   - *httpError, what is the API's own as a web server: 401 (with WWW-Authenticate), 404 for
//     no such route, 405, 413, 415, 422 (an Idempotency-Key reused), 429, 501, and the 503s and
//     the 409 that carry a Retry-After (a time limit, figures being worked out, the store not
//     ready, a request with the same Idempotency-Key still being handled) or say the server
//     lacks a part (match runs). The offers' handlers (offers.go, runoffers.go) still answer a
//     stale offer, a home that can no longer take the child, a run not succeeded (409) and no
//     home at all (422) this way, until that work moves out of the API.
//
// Anything else is a 500 whose detail is not shown.

// httpError is an error with a status, a detail and (optionally) the fields at fault and
// headers: an answer of the API's own (see above).
type httpError struct {
	status int
	detail string
	fields []catalogue.FieldError
	header http.Header
	logged bool // a server error already logged where it arose, at its own level
}

func (e *httpError) Error() string { return fmt.Sprintf("%d %s", e.status, e.detail) }

// statusError returns an error rendered with the given status and detail.
func statusError(status int, format string, args ...any) error {
	return &httpError{status: status, detail: fmt.Sprintf(format, args...)}
}

// fieldError returns a 400 naming one field (catalogue.Invalid).
func fieldError(field, format string, args ...any) error {
	return catalogue.Invalid(field, format, args...)
}

var (
	errUnauthenticated = &httpError{status: http.StatusUnauthorized, detail: "a valid bearer token is required",
		header: http.Header{"Www-Authenticate": {`Bearer realm="placematch"`}}}
	errForbidden = catalogue.Errorf(catalogue.KindForbidden, "your role may not use this route")
)

// kindAnswer is how the API answers one kind of catalogue.Error: its status, and the detail
// shown when the error has neither a message nor fields of its own.
type kindAnswer struct {
	status int
	detail string
}

// kinds is the one table from the kinds of catalogue.Error to HTTP statuses. An internal
// error (the zero kind), or a kind not listed, is a 500 whose own message is never shown.
var kinds = map[catalogue.Kind]kindAnswer{
	catalogue.KindInvalid:     {http.StatusBadRequest, "the request is not valid"},
	catalogue.KindForbidden:   {http.StatusForbidden, "you may not do this"},
	catalogue.KindNotFound:    {http.StatusNotFound, "no such record"},
	catalogue.KindConflict:    {http.StatusConflict, "the record has changed or the place is no longer free"},
	catalogue.KindUnavailable: {http.StatusServiceUnavailable, "the database cannot be reached for the moment; try again shortly"},
}

// internalDetail is all a caller is told of a server error.
const internalDetail = "something went wrong on our side; it has been logged"

// problemFor maps an error to its problem. Unknown errors are 500s whose detail is not shown.
func problemFor(err error) Problem {
	var he *httpError
	var mbe *http.MaxBytesError
	var ce *catalogue.Error
	switch {
	case errors.As(err, &he):
		return Problem{Status: he.status, Detail: he.detail, Errors: he.fields}
	case errors.As(err, &mbe):
		return Problem{Status: http.StatusRequestEntityTooLarge,
			Detail: fmt.Sprintf("the request body is larger than %d bytes", mbe.Limit)}
	case errors.As(err, &ce):
		return kindProblem(ce)
	}
	return Problem{Status: http.StatusInternalServerError, Detail: internalDetail}
}

// kindProblem is the problem of a catalogue.Error: its kind's status; its message, else its
// first field (and how many more), else its kind's sentence.
func kindProblem(e *catalogue.Error) Problem {
	k, ok := kinds[e.Kind]
	if !ok {
		return Problem{Status: http.StatusInternalServerError, Detail: internalDetail}
	}
	p := Problem{Status: k.status, Detail: e.Msg, Errors: e.Fields}
	if n := e.Count(); len(e.Fields) > 0 && n > len(e.Fields) {
		p.ErrorCount = n
	}
	switch {
	case p.Detail != "":
	case len(e.Fields) > 0:
		p.Detail = summariseCount(e.Fields, e.Count())
	default:
		p.Detail = k.detail
	}
	return p
}

// summariseCount is the first problem and how many more there are of count.
func summariseCount(fields []catalogue.FieldError, count int) string {
	msg := fields[0].Error()
	if count > 1 {
		msg += fmt.Sprintf(" (and %d more)", count-1)
	}
	return msg
}

// statusClientClosed is what the log and the metrics record for a request whose client went
// away before the answer (nginx's 499): not a server error.
const statusClientClosed = 499

// clientGone reports whether the request's client went away before its answer (its context
// was cancelled: the connection closed). The request is then recorded as a client abort (499,
// logged at debug level), whatever error its handler met on the way out (a store's driver may
// report the cancelled context in its own words), and nothing is written.
func (s *server) clientGone(c *gin.Context, err error) bool {
	if !errors.Is(c.Request.Context().Err(), context.Canceled) {
		return false
	}
	s.log.DebugContext(c.Request.Context(), "client went away", "route", c.FullPath(), "err", err)
	c.AbortWithStatus(statusClientClosed)
	return true
}

// retryUnavailable is what a client is told to wait when the database cannot be reached.
const retryUnavailable = "5"

// writeProblem renders err as problem+json and logs server errors. A request whose client has
// gone is not a server error; one that ran out of time is 503, and so is one that found the
// database unreachable (catalogue.ErrUnavailable), logged as a warning with the cause.
func (s *server) writeProblem(c *gin.Context, err error) {
	if s.clientGone(c, err) {
		return
	}
	if ctxErr := c.Request.Context().Err(); ctxErr != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		err = &httpError{status: http.StatusServiceUnavailable, detail: "the request took longer than the server allows; try again",
			header: http.Header{"Retry-After": {"1"}}}
	}
	unavailable := errors.Is(err, catalogue.ErrUnavailable)
	if unavailable {
		s.log.WarnContext(c.Request.Context(), "database unavailable", "route", c.FullPath(), "err", err)
		c.Writer.Header().Set("Retry-After", retryUnavailable)
	}
	p := problemFor(err)
	p.Type = "about:blank"
	p.Title = http.StatusText(p.Status)
	var he *httpError
	isHTTP := errors.As(err, &he)
	if p.Status >= 500 && !unavailable && (!isHTTP || !he.logged) {
		s.log.ErrorContext(c.Request.Context(), "request failed", "route", c.FullPath(), "err", err)
	}
	if isHTTP {
		for k, vs := range he.header {
			for _, v := range vs {
				c.Writer.Header().Add(k, v)
			}
		}
	}
	if c.GetBool(keyPage) {
		s.renderWorkspaceError(c, p)
		c.Abort()
		return
	}
	body, _ := json.Marshal(p)
	c.Data(p.Status, "application/problem+json", body)
	c.Abort()
}

// handlerFunc is a handler that returns its error for the one renderer.
type handlerFunc func(c *gin.Context) error

func (s *server) adapt(h handlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.writeProblem(c, err)
		}
	}
}
