// Package passwd hashes and checks the passwords of accounts with argon2id, in the PHC string
// format ($argon2id$v=19$m=19456,t=2,p=1$salt$hash), with the parameters OWASP's Password
// Storage Cheat Sheet gives as its first choice (19 MiB of memory, 2 iterations, 1 degree of
// parallelism) and a 16-byte random salt. Checking reads the parameters from the stored string,
// so a later change of them still checks older hashes, and compares in constant time.
package passwd

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// The parameters of new hashes (OWASP: m=19456 KiB, t=2, p=1).
const (
	memoryKiB = 19 * 1024
	time      = 2
	threads   = 1
	saltLen   = 16
	keyLen    = 32
)

// MinLength is the shortest password accepted for an account (NCSC and OWASP: at least 8;
// placematch asks for more, as its accounts see children's records).
const MinLength = 12

var b64 = base64.RawStdEncoding

// Hash returns the PHC string of password under a new random salt.
func Hash(password string) string {
	salt := make([]byte, saltLen)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, time, memoryKiB, threads, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, memoryKiB, time, threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// ErrMalformed is returned for a stored string that is not an argon2id PHC string.
var ErrMalformed = errors.New("passwd: not an argon2id PHC string")

// Check reports whether password is the one hashed in encoded, comparing in constant time.
func Check(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, ErrMalformed
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrMalformed
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<22 || t > 100 {
		return false, ErrMalformed
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return false, ErrMalformed
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 64 {
		return false, ErrMalformed
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// Dummy is a hash of no one's password, checked when a sign-in names no account, so that an
// unknown address takes as long to refuse as a wrong password. It is hashed when first asked
// for, not at start-up: hashing costs a quarter of a second and 20 MB, which commands that never
// sign anyone in should not pay.
var Dummy = sync.OnceValue(func() string { return Hash("placematch: no such account") })

// Generate is a new random password, for an account made or reset by someone else and shown
// to them once: 26 base32 characters (130 bits).
func Generate() string { return rand.Text() }
