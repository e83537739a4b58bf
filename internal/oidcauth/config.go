package oidcauth

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// The settings, as the environment names them. Each but the secret is also a flag of serve
// (--oidc-issuer is PLACEMATCH_OIDC_ISSUER, and so on); the secret itself comes only from the
// environment, or from a file named by a setting.
const (
	EnvIssuer           = "PLACEMATCH_OIDC_ISSUER"
	EnvClientID         = "PLACEMATCH_OIDC_CLIENT_ID"
	EnvClientSecret     = "PLACEMATCH_OIDC_CLIENT_SECRET"
	EnvClientSecretFile = "PLACEMATCH_OIDC_CLIENT_SECRET_FILE"
	EnvRedirectURL      = "PLACEMATCH_OIDC_REDIRECT_URL"
	EnvAllowedDomains   = "PLACEMATCH_OIDC_ALLOWED_DOMAINS"
	EnvScopes           = "PLACEMATCH_OIDC_SCOPES"
)

// DefaultScopes are what is asked of the identity provider unless the configuration says
// otherwise: who the person is, and their e-mail address with whether it is verified.
var DefaultScopes = []string{"openid", "email", "profile"}

// Config is how placematch uses one identity provider. The zero Config is sign-in by OpenID
// Connect turned off.
type Config struct {
	// Issuer is the provider's issuer URL, exactly as its discovery document says it
	// (https://login.example.gov.uk/realms/staff).
	Issuer string
	// ClientID and ClientSecret are placematch's credentials as a client of the provider.
	ClientID, ClientSecret string
	// RedirectURL is placematch's callback, as registered with the provider
	// (https://placematch.example.gov.uk/signin/oidc/callback).
	RedirectURL string
	// AllowedDomains are the e-mail domains this provider speaks for (example.gov.uk), in
	// lower case; an identity with an address in any other domain is refused.
	AllowedDomains []string
	// Scopes asked for; "openid" is always among them. Empty: DefaultScopes.
	Scopes []string
}

// Enabled reports whether any setting is given: then all that are required must be.
func (c Config) Enabled() bool {
	return c.Issuer != "" || c.ClientID != "" || c.ClientSecret != "" || c.RedirectURL != "" ||
		len(c.AllowedDomains) > 0 || len(c.Scopes) > 0
}

// Validate checks an enabled configuration: an invalid Error naming each setting at fault by
// its environment variable.
func (c Config) Validate() error {
	var bad []catalogue.FieldError
	add := func(setting, format string, args ...any) {
		bad = append(bad, catalogue.FieldError{Field: setting, Message: fmt.Sprintf(format, args...)})
	}
	if msg := checkURL(c.Issuer, false); msg != "" {
		add(EnvIssuer, "%s", msg)
	}
	if c.ClientID == "" {
		add(EnvClientID, "required: placematch's client ID at the identity provider")
	}
	if c.ClientSecret == "" {
		add(EnvClientSecretFile, "required: a file holding the client secret (or %s in the environment)", EnvClientSecret)
	}
	if msg := checkURL(c.RedirectURL, true); msg != "" {
		add(EnvRedirectURL, "%s", msg)
	}
	if len(c.AllowedDomains) == 0 {
		add(EnvAllowedDomains, "required: the e-mail domains this identity provider speaks for, comma-separated (example.gov.uk)")
	}
	for _, d := range c.AllowedDomains {
		if !validDomain(d) {
			add(EnvAllowedDomains, "%q is not a domain in lower case (example.gov.uk)", d)
		}
	}
	if len(c.Scopes) > 0 && !slices.Contains(c.Scopes, "openid") {
		add(EnvScopes, "must include openid")
	}
	if len(bad) > 0 {
		return catalogue.InvalidFields(bad)
	}
	return nil
}

// checkURL says what is wrong with a URL setting, or "": it must be absolute, over https
// (plain http only to this machine, for a provider run locally), without a query or fragment
// unless it is a callback (which may have a query but never a fragment).
func checkURL(raw string, callback bool) string {
	if raw == "" {
		return "required"
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		return "must be an absolute https URL"
	case u.Scheme == "http" && !loopback(u.Hostname()):
		return "must use https (plain http only to localhost)"
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "must not have a fragment (#...)"
	case !callback && u.RawQuery != "":
		return "must not have a query (?...)"
	case u.User != nil:
		return "must not hold a user name or password"
	}
	return ""
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// validDomain reports whether d looks like a DNS domain in lower case with at least two labels.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 || len(d) > 253 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
				return false
			}
		}
	}
	return true
}

// Flags are serve's options for OpenID Connect; Register adds them to a flag set, and Config
// reads them (with the secret) once the flags are parsed.
type Flags struct {
	issuer, clientID, secretFile, redirectURL, domains, scopes *string
}

// Register adds --oidc-issuer, --oidc-client-id, --oidc-client-secret-file,
// --oidc-redirect-url, --oidc-allowed-domains and --oidc-scopes to fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	f.issuer = fs.String("oidc-issuer", "", "OpenID Connect issuer URL of the council's identity provider; empty: no sign-in by OpenID Connect")
	f.clientID = fs.String("oidc-client-id", "", "placematch's client ID at the identity provider")
	f.secretFile = fs.String("oidc-client-secret-file", "", "file holding the client secret (or "+EnvClientSecret+" in the environment)")
	f.redirectURL = fs.String("oidc-redirect-url", "", "placematch's callback as registered with the identity provider (https://HOST/signin/oidc/callback)")
	f.domains = fs.String("oidc-allowed-domains", "", "comma-separated e-mail domains the identity provider speaks for (example.gov.uk)")
	f.scopes = fs.String("oidc-scopes", "", "space- or comma-separated scopes to ask for (default openid email profile)")
}

// Config is the configuration the parsed flags give, with the secret read from its file or
// from the environment (getenv): the zero Config when no option is set, and otherwise a
// checked one, or an invalid Error naming each setting at fault.
func (f *Flags) Config(getenv func(string) string) (Config, error) {
	c := Config{
		Issuer:         strings.TrimSpace(*f.issuer),
		ClientID:       strings.TrimSpace(*f.clientID),
		RedirectURL:    strings.TrimSpace(*f.redirectURL),
		AllowedDomains: split(strings.ToLower(*f.domains)),
		Scopes:         split(*f.scopes),
	}
	secret, err := readSecret(*f.secretFile, getenv(EnvClientSecret))
	if err != nil {
		return Config{}, err
	}
	c.ClientSecret = secret
	if !c.Enabled() && *f.secretFile == "" {
		return Config{}, nil
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// readSecret is the client secret: the file's content without its final line break, or the
// value from the environment; both, or an unreadable or empty file, is an error naming the
// setting.
func readSecret(file, fromEnv string) (string, error) {
	if file == "" {
		return fromEnv, nil
	}
	if fromEnv != "" {
		return "", catalogue.Invalid(EnvClientSecretFile, "set this or %s, not both", EnvClientSecret)
	}
	b, err := os.ReadFile(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", catalogue.Invalid(EnvClientSecretFile, "no such file")
	case err != nil:
		return "", catalogue.Invalid(EnvClientSecretFile, "cannot be read")
	}
	secret := strings.TrimRight(string(b), "\r\n")
	if secret == "" {
		return "", catalogue.Invalid(EnvClientSecretFile, "the file is empty")
	}
	return secret, nil
}

// split is a list setting's items, separated by commas or spaces, without empty ones: nil
// when there are none.
func split(s string) []string {
	items := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
	if len(items) == 0 {
		return nil
	}
	return items
}
