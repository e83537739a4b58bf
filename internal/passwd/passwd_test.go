package passwd

import (
	"strings"
	"testing"
)

func TestHashAndCheck(t *testing.T) {
	t.Parallel()
	h := Hash("correct horse battery staple")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not argon2id with OWASP's parameters in PHC format", h)
	}
	if h == Hash("correct horse battery staple") {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	cases := []struct {
		name, encoded, password string
		want                    bool
		err                     bool
	}{
		{"right", h, "correct horse battery staple", true, false},
		{"wrong", h, "correct horse battery stapler", false, false},
		{"empty", h, "", false, false},
		{"older parameters", "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$" + strings.Repeat("A", 43), "x", false, false},
		{"not argon2id", "$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "x", false, true},
		{"plain text", "correct horse battery staple", "correct horse battery staple", false, true},
		{"bad salt", "$argon2id$v=19$m=19456,t=2,p=1$!!$aGFzaGhhc2hoYXNoaGFzaA", "x", false, true},
		{"huge memory", "$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaA", "x", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ok, err := Check(c.encoded, c.password)
			if ok != c.want || (err != nil) != c.err {
				t.Errorf("Check = %v, %v; want %v, error %v", ok, err, c.want, c.err)
			}
		})
	}
}
