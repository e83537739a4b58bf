package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

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

// httpError is an error with a status, a title and (optionally) the fields at fault.
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

// fieldError returns a 400 naming one field.
func fieldError(field, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &httpError{status: http.StatusBadRequest, detail: field + ": " + msg,
		fields: []catalogue.FieldError{{Field: field, Message: msg}}}
}

var (
	errUnauthenticated = &httpError{status: http.StatusUnauthorized, detail: "a valid bearer token is required",
		header: http.Header{"Www-Authenticate": {`Bearer realm="placematch"`}}}
	errForbidden = statusError(http.StatusForbidden, "your role may not use this route")
	errNotFound  = statusError(http.StatusNotFound, "no such record")
	// errUnavailable answers every error the store classes as catalogue.ErrUnavailable.
	errUnavailable = &httpError{status: http.StatusServiceUnavailable,
		detail: "the database cannot be reached for the moment; try again shortly",
		header: http.Header{"Retry-After": {retryUnavailable}}, logged: true}
)

// problemFor maps an error to its problem. Unknown errors are 500s whose detail is not shown.
func problemFor(err error) Problem {
	var he *httpError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &he):
		return Problem{Status: he.status, Detail: he.detail, Errors: he.fields}
	case errors.As(err, &mbe):
		return Problem{Status: http.StatusRequestEntityTooLarge,
			Detail: fmt.Sprintf("the request body is larger than %d bytes", mbe.Limit)}
	case errors.Is(err, catalogue.ErrInvalid):
		fields := catalogue.FieldErrors(err)
		p := Problem{Status: http.StatusBadRequest, Detail: summarise(fields, err), Errors: fields}
		var ve *catalogue.ValidationError
		if errors.As(err, &ve) && len(fields) > 0 && ve.Count() > len(fields) {
			p.ErrorCount = ve.Count()
			p.Detail = summariseCount(fields, ve.Count())
		}
		return p
	case errors.Is(err, catalogue.ErrNotFound):
		return Problem{Status: http.StatusNotFound, Detail: "no such record"}
	case errors.Is(err, catalogue.ErrNotApprover):
		return Problem{Status: http.StatusForbidden, Detail: "you may not approve this text for children: an officer or administrator who did not write it must"}
	case errors.Is(err, catalogue.ErrConflict):
		return Problem{Status: http.StatusConflict, Detail: conflictDetail(err)}
	}
	return Problem{Status: http.StatusInternalServerError, Detail: "something went wrong on our side; it has been logged"}
}

func summarise(fields []catalogue.FieldError, err error) string {
	if len(fields) == 0 {
		return err.Error()
	}
	return summariseCount(fields, len(fields))
}

// summariseCount is the first problem and how many more there are of count.
func summariseCount(fields []catalogue.FieldError, count int) string {
	msg := fields[0].Error()
	if count > 1 {
		msg += fmt.Sprintf(" (and %d more)", count-1)
	}
	return msg
}

// conflictDetail keeps the store's explanation of a conflict, which names no personal data.
func conflictDetail(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": conflict"); i > 0 {
		return msg[:i]
	}
	return "the record has changed or the place is no longer free"
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
	if errors.Is(err, catalogue.ErrUnavailable) {
		s.log.WarnContext(c.Request.Context(), "database unavailable", "route", c.FullPath(), "err", err)
		err = errUnavailable
	}
	p := problemFor(err)
	p.Type = "about:blank"
	p.Title = http.StatusText(p.Status)
	var he *httpError
	isHTTP := errors.As(err, &he)
	if p.Status >= 500 && (!isHTTP || !he.logged) {
		s.log.ErrorContext(c.Request.Context(), "request failed", "route", c.FullPath(), "err", err)
	}
	if isHTTP {
		for k, vs := range he.header {
			for _, v := range vs {
				c.Writer.Header().Add(k, v)
			}
		}
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
