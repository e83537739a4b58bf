package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// maxReplayBody bounds the response kept for a retry; a larger one (none of the API's POSTs
// answers with so much) is not kept, and a retry acts again.
const maxReplayBody = 4 << 20

// idempotent makes a POST sent with an Idempotency-Key act once: the first request with a key
// goes ahead and its response is kept for a day; a retry with the same key and body gets that
// response again (with Idempotency-Replayed: true) without acting; a retry while the first is
// still being handled gets 409, and the key reused for a different request 422. A request that
// fails on the server's side (5xx) or whose client went away (499) releases its key, so that a
// retry acts; one that can no longer finish (its time is up, or its process was killed) holds it
// no longer than the request timeout. Keys belong to the token that sent them.
func (s *server) idempotent(c *gin.Context) {
	key := c.GetHeader("Idempotency-Key")
	if key == "" {
		c.Next()
		return
	}
	if err := checkIdempotencyKey(key); err != nil {
		s.writeProblem(c, err)
		return
	}
	fingerprint, body, err := spool(c.Request.Body)
	if err != nil {
		s.writeProblem(c, err)
		return
	}
	defer body.Close()
	c.Request.Body = body
	req := catalogue.IdempotentRequest{
		Caller: "token:" + principal(c).Token.String(), Key: key,
		Route: c.Request.Method + " " + c.FullPath(), Fingerprint: fingerprint,
		Claim: rand.Text(), Hold: s.timeout,
	}
	ctx := c.Request.Context()
	state, stored, err := s.store.BeginIdempotent(ctx, req)
	if err != nil {
		s.writeProblem(c, err)
		return
	}
	switch state {
	case catalogue.IdempotencyPending:
		s.writeProblem(c, &httpError{status: http.StatusConflict,
			detail: "a request with this Idempotency-Key is still being handled; retry in a moment",
			header: http.Header{"Retry-After": {"1"}}})
		return
	case catalogue.IdempotencyMismatched:
		s.writeProblem(c, &httpError{status: http.StatusUnprocessableEntity,
			detail: "Idempotency-Key: this key was used for a different request; use a new key for a new request",
			fields: []catalogue.FieldError{{Field: "Idempotency-Key", Message: "was used for a different request"}}})
		return
	case catalogue.IdempotencyDone:
		h := c.Writer.Header()
		h.Set("Idempotency-Replayed", "true")
		if stored.Location != "" {
			h.Set("Location", stored.Location)
		}
		c.Data(stored.Status, stored.ContentType, stored.Body)
		c.Abort()
		return
	}
	w := &captureWriter{ResponseWriter: c.Writer}
	c.Writer = w
	c.Next()
	done := context.WithoutCancel(ctx)
	status := w.Status()
	if status >= 500 || status == statusClientClosed || w.overflow || c.GetBool(keyNoReplay) {
		if err := s.store.AbandonIdempotent(done, req); err != nil {
			s.log.WarnContext(ctx, "idempotency key not released", "route", c.FullPath(), "err", err)
		}
		return
	}
	resp := catalogue.StoredResponse{Status: status, ContentType: w.Header().Get("Content-Type"),
		Location: w.Header().Get("Location"), Body: w.buf.Bytes()}
	if err := s.store.FinishIdempotent(done, req, resp); err != nil {
		s.log.WarnContext(ctx, "idempotent response not kept", "route", c.FullPath(), "err", err)
	}
}

// spoolInMemory is how much of a request's body the Idempotency-Key check keeps in memory; the
// rest of a larger body (an import, up to --max-import) waits in a temporary file, so that
// imports sent with a key at once cost the server no more memory than imports without one.
const spoolInMemory = 1 << 20

// spool reads a request's body once, to fingerprint it (SHA-256), and returns a reader of the
// same bytes for the handler, which the caller closes: in memory up to spoolInMemory, else a
// temporary file removed when closed.
func spool(body io.Reader) ([32]byte, io.ReadCloser, error) {
	h := sha256.New()
	var head bytes.Buffer
	if _, err := io.CopyN(io.MultiWriter(&head, h), body, spoolInMemory+1); errors.Is(err, io.EOF) {
		return [32]byte(h.Sum(nil)), io.NopCloser(&head), nil
	} else if err != nil {
		return [32]byte{}, nil, err
	}
	f, err := os.CreateTemp("", "placematch-body-")
	if err != nil {
		return [32]byte{}, nil, fmt.Errorf("spooling a request's body: %w", err)
	}
	tmp := &tempBody{File: f}
	if _, err := head.WriteTo(f); err != nil {
		tmp.Close()
		return [32]byte{}, nil, fmt.Errorf("spooling a request's body: %w", err)
	}
	if _, err := io.Copy(io.MultiWriter(f, h), body); err != nil {
		tmp.Close()
		return [32]byte{}, nil, err // the body's own error: too large (413), or the client gone
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		tmp.Close()
		return [32]byte{}, nil, fmt.Errorf("spooling a request's body: %w", err)
	}
	return [32]byte(h.Sum(nil)), tmp, nil
}

// tempBody is a spooled body in a temporary file, removed when closed.
type tempBody struct{ *os.File }

func (t *tempBody) Close() error {
	err := t.File.Close()
	if rerr := os.Remove(t.Name()); err == nil {
		err = rerr
	}
	return err
}

// keyNoReplay marks a response that must never be kept for a replay: it carries a secret shown
// once (a new API token, a child's link), which is stored nowhere but as a hash. A retry with the
// same key then acts again and makes a new secret.
const keyNoReplay = "no_replay"

// secretResponse marks the response as carrying a secret shown once (see keyNoReplay).
func secretResponse(c *gin.Context) {
	c.Set(keyNoReplay, true)
	c.Header("Cache-Control", "no-store")
}

func checkIdempotencyKey(key string) error {
	bad := len(key) > catalogue.MaxIdempotencyKey
	for _, r := range key {
		bad = bad || r > unicode.MaxASCII || !unicode.IsPrint(r)
	}
	if bad {
		return &catalogue.Error{Kind: catalogue.KindInvalid,
			Msg:    "Idempotency-Key: must be 1 to 255 printable ASCII characters (a UUID is a good key)",
			Fields: []catalogue.FieldError{{Field: "Idempotency-Key", Message: "must be 1 to 255 printable ASCII characters"}}}
	}
	return nil
}

// captureWriter keeps a copy of what a handler writes, up to maxReplayBody.
type captureWriter struct {
	gin.ResponseWriter
	buf      bytes.Buffer
	overflow bool
}

func (w *captureWriter) keep(n int, write func()) {
	if w.buf.Len()+n > maxReplayBody {
		w.overflow = true
		return
	}
	write()
}

func (w *captureWriter) Write(b []byte) (int, error) {
	w.keep(len(b), func() { w.buf.Write(b) })
	return w.ResponseWriter.Write(b)
}

func (w *captureWriter) WriteString(s string) (int, error) {
	w.keep(len(s), func() { w.buf.WriteString(s) })
	return w.ResponseWriter.WriteString(s)
}
