package catalogue

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"time"
)

// Role is what a token holder may do.
type Role string

const (
	RoleAdmin        Role = "admin"        // users, tokens, policy, imports; every record
	RoleOfficer      Role = "officer"      // one council's children; every placement
	RoleCommissioner Role = "commissioner" // aggregates only
	RoleProvider     Role = "provider"     // its own placements and vacancies
	// RoleManager signs off what the law or the council's policy reserves (signoff.go), at a
	// ManagerLevel; it reads one council's offers and children, like an officer, and changes
	// nothing else.
	RoleManager Role = "manager"
	// RoleIRO is one of a council's independent reviewing officers (Children Act 1989 s25A;
	// the IRO Handbook 2010): they record the reviews of unplanned moves (which officers no
	// longer may), read the council's children's records and decisions, and receive a child's
	// request to look again at a decision.
	RoleIRO Role = "iro"
	// RoleAdvocate is a council's advocacy service (Children Act 1989 s26A: the council must
	// arrange advocacy for a child who wants it): it sees only the requests for an advocate of
	// the council's children, with what each child chose to share, and records contact made.
	RoleAdvocate Role = "advocate"
)

// Roles lists every Role.
var Roles = []Role{RoleAdmin, RoleOfficer, RoleCommissioner, RoleProvider, RoleManager, RoleIRO, RoleAdvocate}

// CouncilRole reports whether the role is one council's: officers, managers, independent
// reviewing officers and advocates each hold one council.
func (r Role) CouncilRole() bool {
	return r == RoleOfficer || r == RoleManager || r == RoleIRO || r == RoleAdvocate
}

// Valid reports whether r is a known value.
func (r Role) Valid() bool { return oneOf(r, Roles) }

// Principal is who is asking: a role and, for officers and providers, what they are scoped to.
type Principal struct {
	Token TokenID
	// Account and Name are the person signed in (account.go); zero for a machine client's
	// token.
	Account  AccountID
	Name     string
	Role     Role
	Council  CouncilCode  // officers (and council-level commissioners)
	Region   RegionCode   // a region's commissioner (a regional care co-operative's)
	Provider ProviderID   // providers
	Level    ManagerLevel // managers
}

// Scope limits which records a query may see. Stores apply it in every query, so a record out of
// scope is simply not found. The zero Scope sees everything (admin).
//
// Placements and their places are read by officers whatever their council (supply is shared)
// and by a provider for its own homes only; they are written in scope: a provider's own homes;
// for an officer (a scope of one Council), kinship homes connected only to children of their
// council, which are the council's to record. Outside the scope's children, a place held or
// filled shows its status and never the child: its Child is 0 and its Occupant nil.
type Scope struct {
	Council  CouncilCode // children and sibling groups of this council only
	Provider ProviderID  // placements and vacancies of this provider only
}

// Everything is the unrestricted scope, for administrators and the system itself.
var Everything = Scope{}

// Scope returns the record scope of the principal.
func (p Principal) Scope() Scope {
	switch p.Role {
	case RoleAdmin:
		return Everything
	case RoleOfficer, RoleManager, RoleIRO, RoleAdvocate:
		return Scope{Council: p.Council}
	case RoleProvider:
		return Scope{Provider: p.Provider}
	}
	// Commissioners see no records; this scope matches none.
	return Scope{Council: "-", Provider: -1}
}

// Token is an API bearer token. Only the SHA-256 of the secret is stored.
type Token struct {
	ID        TokenID
	Label     string
	Role      Role
	Council   CouncilCode
	Region    RegionCode // commissioners of a region only
	Provider  ProviderID
	Level     ManagerLevel // managers only
	Hash      [32]byte
	CreatedAt time.Time
	ExpiresAt time.Time // zero: does not expire
	RevokedAt time.Time // zero: not revoked
}

// Principal returns who the token speaks for.
func (t Token) Principal() Principal {
	return Principal{Token: t.ID, Role: t.Role, Council: t.Council, Region: t.Region, Provider: t.Provider, Level: t.Level}
}

// Live reports whether the token may be used at now.
func (t Token) Live(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}

// Validate reports every bad field of the token.
func (t Token) Validate() error {
	p := newProblems()
	if !t.Role.Valid() {
		p.add("role", "must be one of %v", Roles)
	}
	checkText(p, "label", t.Label, maxOtherFields)
	checkScope(p, t.Role, t.Council, t.Region, t.Provider, t.Level)
	if t.Hash == [32]byte{} {
		p.add("hash", "is required")
	}
	return p.err()
}

// checkScope reports what is wrong with a role's scope, as a token or an account holds it:
// officers, managers, independent reviewing officers and advocates one council, commissioners
// one council, one region or neither (England), providers one provider, managers a level.
func checkScope(p problems, role Role, council CouncilCode, region RegionCode, provider ProviderID, level ManagerLevel) {
	switch {
	case role.CouncilRole():
		if !council.Valid() {
			p.add("council", "must be the ONS code of the %s's council", role)
		}
	case role == RoleCommissioner:
		if council != "" && !council.Valid() {
			p.add("council", "must be empty or the ONS code of a council")
		}
		if region != "" && !region.Valid() {
			p.add("region", "must be empty or the ONS code of an English region (E12000001 to E12000009)")
		}
		if council != "" && region != "" {
			p.add("region", "must be empty when a council is given: a commissioner is scoped to a council, a region or England")
		}
	default:
		if council != "" {
			p.add("council", "must be empty for the %s role", role)
		}
	}
	if region != "" && role != RoleCommissioner {
		p.add("region", "must be empty for the %s role", role)
	}
	if (role == RoleProvider) != (provider > 0) {
		p.add("provider", "must be set for the provider role and only for it")
	}
	switch {
	case role == RoleManager && !level.Valid():
		p.add("level", "must be one of %v for the manager role", ManagerLevels)
	case role != RoleManager && level != "":
		p.add("level", "must be empty for the %s role", role)
	}
}

// AuditEntry records one read or change of a record: who, when, what and why.
// The audit log is append-only.
type AuditEntry struct {
	ID    int64
	At    time.Time
	Actor TokenID // 0: the system itself (seed, import from the command line)
	// Account and Name name the person signed in who did it; zero and empty for a token.
	Account AccountID
	Name    string
	Role    Role
	Action  string // read, list, create, update, import, ...
	Subject string // "child:123", "placement:7", "children?council=E08000007"
	Council CouncilCode
	Reason  string // why, when the user gave one
	Request string // the request ID
}

// Actor identifies who is changing the catalogue, for the audit log. Stores record it with every
// change, in the same transaction.
type Actor struct {
	Token   TokenID
	Account AccountID // the person signed in, if any (their account's token is Token)
	Name    string    // the account's name, as the audit log records it
	Role    Role
	Reason  string
	Request string
}

// TokenStore keeps bearer tokens, by the SHA-256 of their secret only. Tokens are the
// administrators' to make and revoke (the caller checks the role): no method takes a scope.
type TokenStore interface {
	// CreateToken stores a new token (its Hash; the store sets ID and CreatedAt). ErrInvalid
	// when the token is not valid or its provider does not exist (naming provider);
	// ErrConflict when a token with the same secret exists.
	CreateToken(ctx context.Context, t Token) (Token, error)
	// TokenByHash returns the token whose secret hashes to hash, live or not (the caller asks
	// Token.Live): ErrNotFound when there is none. A store may remember tokens for a few
	// seconds: a token revoked through another instance sharing the database may still be
	// returned unrevoked for that long, never one revoked through this store.
	TokenByHash(ctx context.Context, hash [32]byte) (Token, error)
	// RevokeToken revokes a token from now on: ErrNotFound when there is none. Revoking a
	// revoked token changes nothing.
	RevokeToken(ctx context.Context, id TokenID) error
	// ListTokens lists every token, live or not, the newest first, for administrators; each
	// without its Hash.
	ListTokens(ctx context.Context) ([]Token, error)
}

// AuditLog is the append-only record of who read or changed what. Changes are recorded by the
// store itself, in their own transactions; reads by the caller, with AppendAudit.
type AuditLog interface {
	// AppendAudit records a read, and returns once it is stored: a read of a child's record is
	// never answered before its audit row is written. Fields left empty are filled from the
	// actor the context carries; a zero At is the store's clock. ErrInvalid when a field is
	// too long or the role unknown.
	AppendAudit(ctx context.Context, e AuditEntry) error
	// ListAudit returns a page of the log by ascending ID. It takes no scope: administrators
	// read the log, and managers the entries about one child of their council (casework's
	// ChildAudit), which the caller checks.
	ListAudit(ctx context.Context, f AuditFilter) (Page[AuditEntry], error)
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Subject string
	Council CouncilCode
	After   int64
	Limit   int
}

// NewSecret returns a new random bearer secret (prefixed so that leaked tokens are easy to
// recognise and scan for) and the SHA-256 hash that is stored in its place.
func NewSecret(prefix string) (secret string, hash [32]byte) {
	secret = prefix + rand.Text()
	return secret, HashSecret(secret)
}

// HashSecret returns the stored form of a secret.
func HashSecret(secret string) [32]byte { return sha256.Sum256([]byte(secret)) }
