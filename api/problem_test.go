package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// render writes err as the API does and returns the answer and what was logged.
func render(t *testing.T, err error) (*httptest.ResponseRecorder, Problem, string) {
	t.Helper()
	var logged bytes.Buffer
	s := &server{log: slog.New(slog.NewTextHandler(&logged, nil))}
	w := httptest.NewRecorder()
	gin.SetMode(gin.ReleaseMode) // as New does
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodGet, "/v1/children/5", nil)
	s.writeProblem(c, err)
	var p Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || w.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("%d %q: not a problem: %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	if p.Status != w.Code {
		t.Errorf("problem status %d, response %d", p.Status, w.Code)
	}
	return w, p, logged.String()
}

// TestProblemKinds: each kind of catalogue.Error, however wrapped, answers its one status (the
// table kinds); the detail is the error's message, else its first field and how many more, else
// the kind's own sentence; an internal error's message is never shown, and is logged.
func TestProblemKinds(t *testing.T) {
	t.Parallel()
	wrap := func(err error) error { return fmt.Errorf("handler: %w", fmt.Errorf("store: %w", err)) }
	fields := []catalogue.FieldError{{Field: "council", Message: "is not yours"}, {Field: "region", Message: "is not yours"}}
	for _, c := range []struct {
		name   string
		err    error
		status int
		detail string
		fields int
	}{
		{"invalid", catalogue.Invalid("age", "must be 0 to %d", 25), 400, "age: must be 0 to 25", 1},
		{"invalid, a message", &catalogue.Error{Kind: catalogue.KindInvalid, Msg: "Idempotency-Key: too long", Fields: fields[:1]}, 400, "Idempotency-Key: too long", 1},
		{"invalid, no field", catalogue.Errorf(catalogue.KindInvalid, "offer 3: a referenced record does not exist"), 400, "offer 3: a referenced record does not exist", 0},
		{"invalid, bare", catalogue.ErrInvalid, 400, "the request is not valid", 0},
		{"forbidden, fields", &catalogue.Error{Kind: catalogue.KindForbidden, Fields: fields}, 403, "council: is not yours (and 1 more)", 2},
		{"forbidden, a message", catalogue.Errorf(catalogue.KindForbidden, "only administrators and placement officers run matches"), 403, "only administrators and placement officers run matches", 0},
		{"not approver", fmt.Errorf("placement 4: %w", catalogue.ErrNotApprover), 403, "you may not approve this text for children: an officer or administrator who did not write it must", 0},
		{"not found", fmt.Errorf("child 5: %w", catalogue.ErrNotFound), 404, "no such record", 0},
		{"not found, a message", catalogue.Errorf(catalogue.KindNotFound, "officers see the support needs of their own council only (E08000003)"), 404, "officers see the support needs of their own council only (E08000003)", 0},
		{"conflict", catalogue.Errorf(catalogue.KindConflict, "child 5: version 1 is stale, the stored version is 2"), 409, "child 5: version 1 is stale, the stored version is 2", 0},
		{"conflict, bare", catalogue.ErrConflict, 409, "the record has changed or the place is no longer free", 0},
		{"unavailable", fmt.Errorf("%w: %w", catalogue.ErrUnavailable, io.ErrUnexpectedEOF), 503, "the database cannot be reached for the moment; try again shortly", 0},
		{"internal", catalogue.Errorf(catalogue.KindInternal, "child 5: decode contacts: bad JSON"), 500, internalDetail, 0},
		{"an unknown kind", &catalogue.Error{Kind: 99, Msg: "secret"}, 500, internalDetail, 0},
		{"plain", io.ErrShortBuffer, 500, internalDetail, 0},
	} {
		for _, err := range []error{c.err, wrap(c.err)} {
			w, p, logged := render(t, err)
			if p.Status != c.status || p.Detail != c.detail || len(p.Errors) != c.fields {
				t.Errorf("%s (%q): %d %q %+v, want %d %q with %d fields", c.name, err, p.Status, p.Detail, p.Errors, c.status, c.detail, c.fields)
			}
			if p.Title != http.StatusText(c.status) || p.ErrorCount != 0 {
				t.Errorf("%s: title %q, error_count %d", c.name, p.Title, p.ErrorCount)
			}
			switch retry := w.Header().Get("Retry-After"); {
			case c.status == 503 && (retry != retryUnavailable || !strings.Contains(logged, "level=WARN") || strings.Contains(logged, "level=ERROR")):
				t.Errorf("%s: Retry-After %q, logged %q: want a warning and a time to wait", c.name, retry, logged)
			case c.status == 500 && !strings.Contains(logged, "level=ERROR"):
				t.Errorf("%s: a server error not logged: %q", c.name, logged)
			case c.status < 500 && (retry != "" || logged != ""):
				t.Errorf("%s: Retry-After %q, logged %q", c.name, retry, logged)
			}
		}
	}
}

// TestProblemCountsImport: an import's first problems and their count reach the caller.
func TestProblemCountsImport(t *testing.T) {
	t.Parallel()
	is := catalogue.NewIssues(func(a, b catalogue.FieldError) int { return a.Row - b.Row })
	for row := 2; row < 2+catalogue.MaxIssues+10; row++ {
		is.Add(catalogue.FieldError{Row: row, Field: "sex", Message: "must be female or male"})
	}
	_, p, _ := render(t, fmt.Errorf("import: nothing written: %w", is.Err()))
	if p.Status != 400 || len(p.Errors) != catalogue.MaxIssues || p.ErrorCount != catalogue.MaxIssues+10 ||
		p.Detail != fmt.Sprintf("line 2: sex: must be female or male (and %d more)", catalogue.MaxIssues+9) {
		t.Errorf("%d %q: %d errors of %d", p.Status, p.Detail, len(p.Errors), p.ErrorCount)
	}
}

// TestProblemOwnAnswers: the API's own answers keep their status and headers beside the kinds.
func TestProblemOwnAnswers(t *testing.T) {
	t.Parallel()
	w, p, _ := render(t, errUnauthenticated)
	if p.Status != 401 || w.Header().Get("Www-Authenticate") == "" {
		t.Errorf("unauthenticated: %d %v", p.Status, w.Header())
	}
	_, p, _ = render(t, fmt.Errorf("decode: %w", &http.MaxBytesError{Limit: 4096}))
	if p.Status != 413 || p.Detail != "the request body is larger than 4096 bytes" {
		t.Errorf("too large: %d %q", p.Status, p.Detail)
	}
	_, p, _ = render(t, errForbidden)
	if p.Status != 403 || p.Detail != "your role may not use this route" || !errors.Is(errForbidden, catalogue.ErrForbidden) {
		t.Errorf("role refused: %d %q", p.Status, p.Detail)
	}
	_, p, _ = render(t, fieldError("limit", "must be between 1 and %d", 5000))
	if p.Status != 400 || p.Detail != "limit: must be between 1 and 5000" || len(p.Errors) != 1 || p.Errors[0].Field != "limit" {
		t.Errorf("bad query: %d %q %+v", p.Status, p.Detail, p.Errors)
	}
}
