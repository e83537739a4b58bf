package api_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func (f *fixture) doWithKey(who, method, path, key string, body any) response {
	f.t.Helper()
	buf, err := json.Marshal(body)
	if err != nil {
		f.t.Fatal(err)
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(buf))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	req.Header.Set("Idempotency-Key", key)
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	return response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}

func (f *fixture) countChildren(who string) int {
	f.t.Helper()
	var page struct{ Items []any }
	f.do(who, "GET", "/v1/children?limit=500", nil).json(f.t.(*testing.T), &page)
	return len(page.Items)
}

// TestIdempotencyKey: a POST retried with its Idempotency-Key acts once and answers the same;
// the key reused for another request is refused; keys belong to their token.
func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	body := toJSON(t, childIn(manchester, "Mia"))
	delete(body, "id")
	before := f.countChildren("admin")

	first := f.doWithKey("officer", "POST", "/v1/children", "3f0c1c1e-mia", body)
	f.want(first, 201)
	again := f.doWithKey("officer", "POST", "/v1/children", "3f0c1c1e-mia", body)
	f.want(again, 201)
	if !bytes.Equal(first.body, again.body) || again.header.Get("Idempotency-Replayed") != "true" ||
		again.header.Get("Location") != first.header.Get("Location") {
		t.Errorf("the retry was not the first answer replayed: %s / %s (%v)", first.body, again.body, again.header)
	}
	if n := f.countChildren("admin"); n != before+1 {
		t.Errorf("%d children after a request and its retry, want %d", n, before+1)
	}
	// The same key for a different request.
	body["first_name"] = "Maya"
	r := f.doWithKey("officer", "POST", "/v1/children", "3f0c1c1e-mia", body)
	f.want(r, 422)
	wantField(t, r, "Idempotency-Key")
	// The same key from another token is another key.
	f.want(f.doWithKey("admin", "POST", "/v1/children", "3f0c1c1e-mia", body), 201)
	// A refused request is kept too: its retry is refused the same way, without acting.
	bad := map[string]any{"council": string(manchester)}
	r1 := f.doWithKey("officer", "POST", "/v1/children", "bad-1", bad)
	r2 := f.doWithKey("officer", "POST", "/v1/children", "bad-1", bad)
	f.want(r1, 400)
	f.want(r2, 400)
	if !bytes.Equal(r1.body, r2.body) {
		t.Errorf("a refused request's retry answered differently")
	}
	// Keys must be printable.
	r = f.doWithKey("officer", "POST", "/v1/children", strings.Repeat("k", 300), body)
	f.want(r, 400)
	wantField(t, r, "Idempotency-Key")
	if n := f.countChildren("admin"); n != before+2 {
		t.Errorf("%d children, want %d", n, before+2)
	}
}

// TestIdempotencyKeyRace: twenty copies of one request with one key, at once: one child is
// created; every other copy gets the first answer or is told to retry.
func TestIdempotencyKeyRace(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	body := toJSON(t, childIn(manchester, "Ola"))
	delete(body, "id")
	before := f.countChildren("admin")
	var wg sync.WaitGroup
	statuses := make([]int, 20)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = f.doWithKey("officer", "POST", "/v1/children", "race-key", body).status
		}()
	}
	wg.Wait()
	for _, s := range statuses {
		if s != 201 && s != 409 {
			t.Errorf("statuses %v", statuses)
			break
		}
	}
	if n := f.countChildren("admin"); n != before+1 {
		t.Errorf("%d children created by 20 copies of one request, want 1", n-before)
	}
}

// TestIdempotencyKeyOnALargeImport: an import larger than what the key's check keeps in memory
// (spooled to a file) acts once, its answer is replayed for the same file, and the key reused for
// a file that differs only past the first megabyte is 422: the fingerprint is of the whole file.
func TestIdempotencyKeyOnALargeImport(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	var file strings.Builder
	file.WriteString(importHeader)
	for file.Len() < 2<<20 {
		file.WriteString(importRow("Amy", "unknown")) // a bad row: nothing is written, the answer is kept
	}
	post := func(body string) response {
		t.Helper()
		req := httptest.NewRequest("POST", "/v1/import/children?format=csv", strings.NewReader(body))
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("Authorization", "Bearer "+f.tokens["officer"])
		req.Header.Set("Idempotency-Key", "big-import-1")
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, req)
		return response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
	}
	first := post(file.String())
	f.want(first, 400)
	again := post(file.String())
	if again.status != 400 || again.header.Get("Idempotency-Replayed") != "true" || !bytes.Equal(first.body, again.body) {
		t.Errorf("the same file again: %d, replayed %q", again.status, again.header.Get("Idempotency-Replayed"))
	}
	other := file.String() + importRow("Bea", "unknown")
	if r := post(other); r.status != 422 {
		t.Errorf("the key with a file that differs only at its end: %d, want 422", r.status)
	}
}
