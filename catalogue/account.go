package catalogue

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// AccountID identifies a person's account.
type AccountID int64

func (id AccountID) String() string { return strconv.FormatInt(int64(id), 10) }

// SessionID identifies one signed-in session of an account.
type SessionID int64

func (id SessionID) String() string { return strconv.FormatInt(int64(id), 10) }

// Account is a named person who signs in to the workspace in a browser: a role and the council
// or provider it is scoped to, as a token holds them (access.go). The password is kept only as
// an argon2id hash in PHC format (hashed and checked outside catalogue, which imports only the
// standard library).
//
// Every account has a token of its own (Token), made with the account, whose secret is never
// made known: records that name who did something by token (decisions, referrals, sign-offs,
// approvals of a home's words) name the account's token for what its person does, and the audit
// log names the account and its name besides.
type Account struct {
	ID           AccountID
	Name         string // the person's name, as colleagues and the audit log know them
	Email        string // the sign-in name, kept in lower case; unique
	Role         Role
	Council      CouncilCode
	Region       RegionCode // commissioners of a region only
	Provider     ProviderID
	Level        ManagerLevel // managers only
	PasswordHash string       // argon2id, PHC format
	Token        TokenID      // the account's own token, set by the store
	CreatedAt    time.Time
	// OIDCIssuer and OIDCSubject are the identity the account signed in with by OpenID Connect
	// (a council's own identity provider, docs/oidc.md), recorded on its first sign-in so and
	// required on every later one; both empty until then. The store sets them
	// (CreateLinkedSession), never CreateAccount.
	OIDCIssuer, OIDCSubject string
	// DisabledAt is when an administrator disabled the account (zero: it may sign in). A
	// disabled account's sessions are ended and it starts no more; the store sets it
	// (DisableAccount), never CreateAccount.
	DisabledAt time.Time
}

// Disabled reports whether an administrator has disabled the account.
func (a Account) Disabled() bool { return !a.DisabledAt.IsZero() }

// Principal returns who the account speaks for.
func (a Account) Principal() Principal {
	return Principal{Token: a.Token, Account: a.ID, Name: a.Name, Role: a.Role, Council: a.Council, Region: a.Region, Provider: a.Provider, Level: a.Level}
}

// NormaliseEmail is the form an e-mail address is kept and looked up in: trimmed, lower case.
func NormaliseEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

const maxEmail = 254 // RFC 5321's longest path

// Validate reports every bad field of the account.
func (a Account) Validate() error {
	p := newProblems()
	if !a.Role.Valid() {
		p.add("role", "must be one of %v", Roles)
	}
	if strings.TrimSpace(a.Name) == "" {
		p.add("name", "is required")
	}
	checkText(p, "name", a.Name, maxOtherFields)
	switch at := strings.LastIndex(a.Email, "@"); {
	case a.Email != NormaliseEmail(a.Email):
		p.add("email", "must be trimmed and in lower case")
	case len(a.Email) > maxEmail || at < 1 || at == len(a.Email)-1 || strings.ContainsAny(a.Email, " \t\r\n<>,;\""):
		p.add("email", "must be an e-mail address (name@example.org)")
	}
	checkScope(p, a.Role, a.Council, a.Region, a.Provider, a.Level)
	if !strings.HasPrefix(a.PasswordHash, "$argon2id$") {
		p.add("password", "must be kept as an argon2id hash")
	}
	return p.err()
}

// Session is one sign-in of an account in a browser. Only the SHA-256 of the cookie's secret is
// stored. A session ends at ExpiresAt whatever happens (its absolute lifetime), after the idle
// timeout without a request, or when its person signs out (the store deletes it).
type Session struct {
	ID         SessionID
	Account    AccountID
	Hash       [32]byte
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// Live reports whether the session may be used at now, given the idle timeout.
func (s Session) Live(now time.Time, idle time.Duration) bool {
	return now.Before(s.ExpiresAt) && now.Sub(s.LastSeenAt) < idle
}

// AccountStore keeps accounts and their sessions. Accounts are the administrators' to make (the
// caller checks the role; the command line makes them as the system): no method takes a scope.
type AccountStore interface {
	// CreateAccount stores a new account and its own token (the store sets ID, Token and
	// CreatedAt): ErrInvalid when the account is not valid or its provider does not exist
	// (naming provider); ErrConflict when an account has the same e-mail address.
	CreateAccount(ctx context.Context, a Account) (Account, error)
	// AccountByEmail returns the account signing in with email (in any case): ErrNotFound when
	// there is none.
	AccountByEmail(ctx context.Context, email string) (Account, error)
	// ListAccounts returns every account by ID.
	ListAccounts(ctx context.Context) ([]Account, error)
	// Account returns an account by ID: ErrNotFound when there is none.
	Account(ctx context.Context, id AccountID) (Account, error)
	// DisableAccount disables an account from now on and ends its sessions, in one audited
	// transaction: ErrNotFound when there is none. Disabling a disabled account changes nothing.
	DisableAccount(ctx context.Context, id AccountID) (Account, error)
	// SetPassword replaces an account's password hash (argon2id, PHC format) and ends its
	// sessions, in one audited transaction: ErrNotFound when there is none; ErrInvalid (naming
	// password) when the hash is not one.
	SetPassword(ctx context.Context, id AccountID, hash string) (Account, error)
	// CreateSession stores a new session of an account (its Hash; the store sets ID):
	// ErrNotFound when the account does not exist; ErrForbidden when it is disabled;
	// ErrConflict when a session has the same secret. The sign-in is audited.
	CreateSession(ctx context.Context, s Session) (Session, error)
	// CreateLinkedSession is CreateSession for a person signed in by OpenID Connect with the
	// identity issuer and subject: in the same transaction it records the identity on the
	// account when the account has none (audited as a link), and refuses with ErrForbidden
	// when the account has recorded another (the caller has checked the identity against the
	// account it read; this re-checks it under the transaction). ErrConflict when another
	// account has this identity; ErrNotFound when the account does not exist.
	CreateLinkedSession(ctx context.Context, s Session, issuer, subject string) (Session, error)
	// SessionByHash returns the session whose secret hashes to hash, live or not (the caller
	// asks Session.Live), with its account: ErrNotFound when there is none.
	SessionByHash(ctx context.Context, hash [32]byte) (Session, Account, error)
	// TouchSession records a request of the session at at (its idle timeout starts again):
	// ErrNotFound when the session has ended.
	TouchSession(ctx context.Context, id SessionID, at time.Time) error
	// DeleteSession ends a session (signing out): the sign-out is audited; deleting a session
	// that has ended changes nothing.
	DeleteSession(ctx context.Context, id SessionID) error
}
