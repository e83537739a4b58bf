package api

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// TestSpool: a body is read once for its fingerprint and given again whole; a small one stays in
// memory, a larger one (an import) waits in a temporary file that closing removes, so imports
// sent with an Idempotency-Key no longer cost the server their size in memory (issue 14, item 8:
// four 62 MiB imports with keys took the server to 731 MB); the body's own error (too large) is
// passed on.
func TestSpool(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 10, spoolInMemory, spoolInMemory + 1, 3*spoolInMemory + 17} {
		body := bytes.Repeat([]byte("placematch,"), n/11+1)[:n]
		sum, r, err := spool(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if sum != sha256.Sum256(body) {
			t.Errorf("%d bytes: the fingerprint is not the body's", n)
		}
		tmp, inFile := r.(*tempBody)
		if inFile != (n > spoolInMemory) {
			t.Errorf("%d bytes: kept in a file %v, want %v", n, inFile, n > spoolInMemory)
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, body) {
			t.Errorf("%d bytes: read again %d bytes (%v)", n, len(got), err)
		}
		if err := r.Close(); err != nil {
			t.Errorf("%d bytes: close: %v", n, err)
		}
		if inFile {
			if _, err := os.Stat(tmp.Name()); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%d bytes: the temporary file is left after closing (%v)", n, err)
			}
		}
	}
	big := http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(strings.NewReader(strings.Repeat("x", 3*spoolInMemory))), 2*spoolInMemory)
	var mbe *http.MaxBytesError
	if _, _, err := spool(big); !errors.As(err, &mbe) {
		t.Errorf("a body over its limit: %v, want the MaxBytesError (413)", err)
	}
}
