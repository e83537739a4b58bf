package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

func tokenSubject(id catalogue.TokenID) string { return "token:" + id.String() }

// CreateToken stores a new token (its hash only). CreatedAt is set by the store.
func (s *Store) CreateToken(ctx context.Context, t catalogue.Token) (catalogue.Token, error) {
	if err := t.Validate(); err != nil {
		return catalogue.Token{}, validation("token", err)
	}
	t.ID, t.CreatedAt = 0, s.now()
	row := fromToken(t)
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if t.Provider != 0 {
			var n int64
			if err := tx.Model(&providerRow{}).Where("id = ?", int64(t.Provider)).Count(&n).Error; err != nil {
				return dbError(err, "token: read provider")
			}
			if n == 0 {
				return invalid("token", "provider", "no such provider")
			}
		}
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return conflict("create token: a token with this secret already exists")
			}
			return dbError(err, "create token")
		}
		return s.audit(ctx, tx, "create", tokenSubject(catalogue.TokenID(row.ID)), t.Council)
	})
	if err != nil {
		return catalogue.Token{}, err
	}
	return toToken(row), nil
}

// TokenByHash returns the token whose secret hashes to hash, live or not (see Token.Live);
// ErrNotFound when there is none.
//
// Tokens found are remembered for tokenCacheTTL, as every request looks its token up: a token
// revoked through this store is forgotten at once; one revoked through another instance sharing
// the database is refused by this one within tokenCacheTTL.
func (s *Store) TokenByHash(ctx context.Context, hash [32]byte) (catalogue.Token, error) {
	if t, ok := s.tokens.get(hash); ok {
		return t, nil
	}
	var row tokenRow
	if err := s.db.WithContext(ctx).Where("hash = ?", hash[:]).Take(&row).Error; err != nil {
		return catalogue.Token{}, dbError(err, "token")
	}
	t := toToken(row)
	s.tokens.put(hash, t)
	return t, nil
}

// ListTokens lists every token, the newest first, without their hashes.
func (s *Store) ListTokens(ctx context.Context) ([]catalogue.Token, error) {
	var rows []tokenRow
	if err := s.db.WithContext(ctx).Omit("hash").Order("id DESC").Find(&rows).Error; err != nil {
		return nil, dbError(err, "list tokens")
	}
	out := make([]catalogue.Token, len(rows))
	for i, r := range rows {
		out[i] = toToken(r)
		out[i].Hash = [32]byte{}
	}
	return out, nil
}

// tokenCacheTTL is how long a token looked up is remembered.
const tokenCacheTTL = 5 * time.Second

// tokenCache remembers tokens by the hash of their secret.
type tokenCache struct {
	mu sync.Mutex
	m  map[[32]byte]cachedToken
}

type cachedToken struct {
	t   catalogue.Token
	age catalogue.Stopwatch
}

func (c *tokenCache) get(h [32]byte) (catalogue.Token, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[h]
	if !ok || e.age.Elapsed() > tokenCacheTTL {
		return catalogue.Token{}, false
	}
	return e.t, true
}

func (c *tokenCache) put(h [32]byte, t catalogue.Token) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 10_000 {
		c.m = map[[32]byte]cachedToken{}
	}
	c.m[h] = cachedToken{t: t, age: catalogue.StartStopwatch()}
}

func (c *tokenCache) forget(id catalogue.TokenID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for h, e := range c.m {
		if e.t.ID == id {
			delete(c.m, h)
		}
	}
}

// RevokeToken revokes a token from now on. Revoking a revoked token changes nothing.
func (s *Store) RevokeToken(ctx context.Context, id catalogue.TokenID) error {
	what := "token " + id.String()
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var cur tokenRow
		if err := forUpdate(tx).Select("id", "council", "revoked_at").Where("id = ?", int64(id)).Take(&cur).Error; err != nil {
			return dbError(err, what)
		}
		if cur.RevokedAt != nil {
			return nil
		}
		res := tx.Model(&tokenRow{}).Where("id = ? AND revoked_at IS NULL", int64(id)).Update("revoked_at", s.now())
		if res.Error != nil {
			return dbError(res.Error, "revoke "+what)
		}
		if res.RowsAffected == 0 {
			return nil // revoked meanwhile
		}
		return s.audit(ctx, tx, "revoke", tokenSubject(id), catalogue.CouncilCode(cur.Council))
	})
	s.tokens.forget(id)
	return err
}

// AppendAudit records a read. Fields left empty are filled from the actor carried by ctx; At
// is the store's clock when zero.
func (s *Store) AppendAudit(ctx context.Context, e catalogue.AuditEntry) error {
	if err := checkAudit(e); err != nil {
		return err
	}
	a := catalogue.ActorFrom(ctx)
	if e.Actor == 0 {
		e.Actor = a.Token
	}
	if e.Account == 0 {
		e.Account, e.Name = a.Account, a.Name
	}
	if e.Role == "" {
		e.Role = a.Role
	}
	if e.Reason == "" {
		e.Reason = a.Reason
	}
	if e.Request == "" {
		e.Request = a.Request
	}
	if e.At.IsZero() {
		e.At = s.now()
	}
	e.ID, e.At = 0, e.At.UTC().Truncate(time.Microsecond)
	return s.audits.write(ctx, fromAudit(e))
}

func checkAudit(e catalogue.AuditEntry) error {
	var fields []catalogue.FieldError
	check := func(field, v string, max int, required bool) {
		switch {
		case required && v == "":
			fields = append(fields, catalogue.FieldError{Field: field, Message: "is required"})
		case !utf8.ValidString(v) || len(v) > max:
			fields = append(fields, catalogue.FieldError{Field: field, Message: fmt.Sprintf("must be valid UTF-8 of at most %d bytes", max)})
		}
	}
	check("action", e.Action, 50, true)
	check("subject", e.Subject, 500, false)
	check("council", string(e.Council), 20, false)
	check("reason", e.Reason, catalogue.MaxWordsLen, false)
	check("request", e.Request, 100, false)
	check("name", e.Name, 200, false)
	if e.Role != "" && !e.Role.Valid() {
		fields = append(fields, catalogue.FieldError{Field: "role", Message: "must be a known role"})
	}
	if len(fields) > 0 {
		return validation("audit entry", catalogue.InvalidFields(fields))
	}
	return nil
}

// ListAudit returns a page of the audit log by ascending ID.
func (s *Store) ListAudit(ctx context.Context, f catalogue.AuditFilter) (catalogue.Page[catalogue.AuditEntry], error) {
	q := s.db.WithContext(ctx)
	if f.Subject != "" {
		q = q.Where("subject = ?", f.Subject)
	}
	if f.Council != "" {
		q = q.Where("council = ?", string(f.Council))
	}
	rows, next, err := readRows(q, f.Limit, f.After, func(r auditRow) int64 { return r.ID }, "list audit log")
	if err != nil {
		return catalogue.Page[catalogue.AuditEntry]{}, err
	}
	return catalogue.Page[catalogue.AuditEntry]{Items: mapList(rows, toAudit), Next: next}, nil
}

// Counts returns the size of the catalogue. Vacancies counts available places; Tokens counts
// tokens not revoked.
func (s *Store) Counts(ctx context.Context) (catalogue.Counts, error) {
	db := s.db.WithContext(ctx)
	var c catalogue.Counts
	for _, q := range []struct {
		n     *int
		model any
		where string
		args  []any
	}{
		{&c.Providers, &providerRow{}, "", nil},
		{&c.Placements, &placementRow{}, "", nil},
		{&c.Vacancies, &vacancyRow{}, "status = ?", []any{string(catalogue.VacancyAvailable)}},
		{&c.Children, &childRow{}, "", nil},
		{&c.ChildrenWaiting, &childRow{}, "status = ?", []any{string(catalogue.ChildWaiting)}},
		{&c.SiblingGroups, &groupRow{}, "", nil},
		{&c.Tokens, &tokenRow{}, "revoked_at IS NULL", nil},
	} {
		tx := db.Model(q.model)
		if q.where != "" {
			tx = tx.Where(q.where, q.args...)
		}
		var n int64
		if err := tx.Count(&n).Error; err != nil {
			return catalogue.Counts{}, dbError(err, "count")
		}
		*q.n = int(n)
	}
	return c, nil
}
