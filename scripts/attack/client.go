package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// client sends the attack's requests to one server and counts them.
type client struct {
	base string // http://host:port, no trailing slash
	hc   *http.Client
	sent atomic.Int64
}

func newClient(base string) *client {
	tr := &http.Transport{
		MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: 30 * time.Second,
		DisableCompression: true,
	}
	return &client{
		base: strings.TrimRight(base, "/"),
		hc: &http.Client{Transport: tr, Timeout: 2 * time.Minute,
			// The attack looks at redirects itself (a child's link answers 303).
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
}

// request is one request of the attack.
type request struct {
	method, path string
	token        string // bearer secret, or none
	body         []byte // sent as is; nil: no body
	contentType  string // default application/json when there is a body
	header       map[string]string
	host         string        // the Host header, when not the server's
	cookie       string        // a Cookie header
	timeout      time.Duration // give up after this long (the client goes away); 0: no limit of its own
}

// response is what came back, or the error that stopped it.
type response struct {
	status int
	header http.Header
	body   []byte
	err    error
	took   time.Duration
}

func (r response) String() string {
	if r.err != nil {
		return "error: " + r.err.Error()
	}
	return fmt.Sprintf("%d %s", r.status, snippet(r.body, 160))
}

// snippet shortens a body for a report, showing control characters escaped.
func snippet(b []byte, n int) string {
	s := string(b)
	if len(s) > n {
		s = s[:n] + "..."
	}
	q := fmt.Sprintf("%q", s)
	return q[1 : len(q)-1]
}

// decode reads a JSON body into v.
func (r response) decode(v any) error {
	if r.err != nil {
		return r.err
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		return fmt.Errorf("status %d, body %s: %w", r.status, snippet(r.body, 200), err)
	}
	return nil
}

// object decodes a JSON object body.
func (r response) object() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.body, &m)
	return m
}

// problem is an RFC 9457 problem detail as the service writes it.
type problem struct {
	Status int    `json:"status"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
		Row     int    `json:"row"`
	} `json:"errors"`
}

// problem decodes a problem+json body; ok is false when the body is not one.
func (r response) problem() (problem, bool) {
	var p problem
	if r.err != nil || !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
		return p, false
	}
	if json.Unmarshal(r.body, &p) != nil || p.Status != r.status {
		return p, false
	}
	return p, true
}

// fromNetHTTP reports whether Go's HTTP server answered before the service saw the request (a
// malformed request line or header): such answers are plain text, not the service's.
func (r response) fromNetHTTP() bool {
	return r.status == 400 && strings.HasPrefix(string(r.body), "400 Bad Request") ||
		r.status == 431 && strings.HasPrefix(string(r.body), "431 Request Header Fields Too Large")
}

// do sends one request.
func (c *client) do(ctx context.Context, rq request) response {
	c.sent.Add(1)
	if rq.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, rq.timeout)
		defer cancel()
	}
	var body io.Reader
	if rq.body != nil {
		body = bytes.NewReader(rq.body)
	}
	req, err := http.NewRequestWithContext(ctx, rq.method, c.base+rq.path, body)
	if err != nil {
		return response{err: err}
	}
	if rq.body != nil {
		ct := rq.contentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if rq.token != "" {
		req.Header.Set("Authorization", "Bearer "+rq.token)
	}
	if rq.cookie != "" {
		req.Header.Set("Cookie", rq.cookie)
	}
	for k, v := range rq.header {
		req.Header.Set(k, v)
	}
	if rq.host != "" {
		req.Host = rq.host
	}
	sw := catalogue.StartStopwatch()
	resp, err := c.hc.Do(req)
	if err != nil {
		return response{err: err, took: sw.Elapsed()}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b, err: err, took: sw.Elapsed()}
}

// raw writes a request exactly as given (header values Go's client refuses to send: control
// characters, invalid UTF-8) on a new connection and reads the answer.
func (c *client) raw(ctx context.Context, head string, body []byte) response {
	c.sent.Add(1)
	u, err := url.Parse(c.base)
	if err != nil {
		return response{err: err}
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return response{err: err}
	}
	defer conn.Close()
	_ = conn.SetDeadline(deadlineIn(ctx, 30*time.Second))
	head = strings.ReplaceAll(head, "{HOST}", u.Host)
	if body != nil {
		head += fmt.Sprintf("Content-Length: %d\r\n", len(body))
	}
	var buf bytes.Buffer
	buf.WriteString(head + "Connection: close\r\n\r\n")
	buf.Write(body)
	if _, err := conn.Write(buf.Bytes()); err != nil {
		return response{err: err}
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return response{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b, err: err}
}

// deadlineIn is the context's deadline, or d from now.
func deadlineIn(ctx context.Context, d time.Duration) time.Time {
	if dl, ok := ctx.Deadline(); ok {
		return dl
	}
	return time.Now().Add(d) // measures a duration: a socket deadline, never a decision
}

// jsonBody marshals v for a request.
func jsonBody(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // the attack's own values always marshal
	}
	return b
}

// errGone reports whether the request failed because the client gave up (its own timeout).
func errGone(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}
