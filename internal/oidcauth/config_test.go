package oidcauth_test

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/oidcauth"
)

// TestFlagsConfig: the options and the environment give a checked Config, or an invalid Error
// naming each setting at fault; none set is sign-in by OpenID Connect turned off.
func TestFlagsConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "secret")
	if err := os.WriteFile(secretFile, []byte("from-a-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	emptyFile := filepath.Join(dir, "empty")
	if err := os.WriteFile(emptyFile, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	good := []string{"--oidc-issuer", "https://login.example.gov.uk/realms/staff", "--oidc-client-id", "placematch",
		"--oidc-client-secret-file", secretFile, "--oidc-redirect-url", "https://placematch.example.gov.uk/signin/oidc/callback",
		"--oidc-allowed-domains", "Example.gov.uk, council.example.gov.uk"}
	with := func(args ...string) []string { return append(slices.Clone(good), args...) }
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want oidcauth.Config
		bad  []string // settings named, in order
	}{
		{name: "nothing set: off"},
		{name: "all set", args: good, want: oidcauth.Config{Issuer: "https://login.example.gov.uk/realms/staff", ClientID: "placematch",
			ClientSecret: "from-a-file", RedirectURL: "https://placematch.example.gov.uk/signin/oidc/callback",
			AllowedDomains: []string{"example.gov.uk", "council.example.gov.uk"}}},
		{name: "secret from the environment", args: []string{"--oidc-issuer", "http://localhost:9000", "--oidc-client-id", "pm",
			"--oidc-redirect-url", "http://127.0.0.1:8080/signin/oidc/callback", "--oidc-allowed-domains", "example.org", "--oidc-scopes", "openid email"},
			env: map[string]string{oidcauth.EnvClientSecret: "from-env"},
			want: oidcauth.Config{Issuer: "http://localhost:9000", ClientID: "pm", ClientSecret: "from-env",
				RedirectURL: "http://127.0.0.1:8080/signin/oidc/callback", AllowedDomains: []string{"example.org"}, Scopes: []string{"openid", "email"}}},
		{name: "only an issuer", args: []string{"--oidc-issuer", "https://login.example.gov.uk"},
			bad: []string{oidcauth.EnvClientID, oidcauth.EnvClientSecretFile, oidcauth.EnvRedirectURL, oidcauth.EnvAllowedDomains}},
		{name: "only a secret in the environment", env: map[string]string{oidcauth.EnvClientSecret: "x"},
			bad: []string{oidcauth.EnvIssuer, oidcauth.EnvClientID, oidcauth.EnvRedirectURL, oidcauth.EnvAllowedDomains}},
		{name: "plain http to another machine", args: with("--oidc-issuer", "http://login.example.gov.uk", "--oidc-redirect-url", "http://placematch.example.gov.uk/cb"),
			bad: []string{oidcauth.EnvIssuer, oidcauth.EnvRedirectURL}},
		{name: "not a URL", args: with("--oidc-issuer", "login.example.gov.uk"), bad: []string{oidcauth.EnvIssuer}},
		{name: "issuer with a query", args: with("--oidc-issuer", "https://login.example.gov.uk/?tenant=1"), bad: []string{oidcauth.EnvIssuer}},
		{name: "callback with a fragment", args: with("--oidc-redirect-url", "https://placematch.example.gov.uk/cb#x"), bad: []string{oidcauth.EnvRedirectURL}},
		{name: "an address, not a domain", args: with("--oidc-allowed-domains", "@example.gov.uk"), bad: []string{oidcauth.EnvAllowedDomains}},
		{name: "a top-level domain alone", args: with("--oidc-allowed-domains", "uk"), bad: []string{oidcauth.EnvAllowedDomains}},
		{name: "scopes without openid", args: with("--oidc-scopes", "email profile"), bad: []string{oidcauth.EnvScopes}},
		{name: "secret in a file and the environment", args: good, env: map[string]string{oidcauth.EnvClientSecret: "x"}, bad: []string{oidcauth.EnvClientSecretFile}},
		{name: "secret file missing", args: with("--oidc-client-secret-file", filepath.Join(dir, "nothing")), bad: []string{oidcauth.EnvClientSecretFile}},
		{name: "secret file empty", args: with("--oidc-client-secret-file", emptyFile), bad: []string{oidcauth.EnvClientSecretFile}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			var f oidcauth.Flags
			f.Register(fs)
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			got, err := f.Config(func(k string) string { return tc.env[k] })
			if len(tc.bad) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("config (-want +got):\n%s", diff)
				}
				if got.Enabled() != (tc.want.Issuer != "") {
					t.Errorf("Enabled() = %v", got.Enabled())
				}
				return
			}
			e, ok := errors.AsType[*catalogue.Error](err)
			if !ok || e.Kind != catalogue.KindInvalid {
				t.Fatalf("got %v, want an invalid Error", err)
			}
			var named []string
			for _, fe := range e.Fields {
				named = append(named, fe.Field)
			}
			if diff := cmp.Diff(tc.bad, named); diff != "" {
				t.Errorf("settings named (-want +got):\n%s\n%v", diff, err)
			}
			if got.Enabled() {
				t.Errorf("a bad configuration came back with the error: %+v", got)
			}
		})
	}
}
