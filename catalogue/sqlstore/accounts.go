package sqlstore

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Accounts and their sessions (catalogue.AccountStore). An account is made with a token of its
// own, in one transaction, whose secret is never made: its hash is of a random secret thrown
// away, so no bearer can ever present it.

type accountRow struct {
	ID           int64 `gorm:"primaryKey"`
	Name         string
	Email        string
	Role         string
	Council      string
	Region       string
	ProviderID   *int64
	Level        string
	PasswordHash string
	TokenID      int64
	CreatedAt    time.Time  `gorm:"autoCreateTime:false"`
	OIDCIssuer   *string    `gorm:"column:oidc_issuer"` // NULL until linked: unique together when set
	OIDCSubject  *string    `gorm:"column:oidc_subject"`
	DisabledAt   *time.Time // NULL: may sign in
}

func (accountRow) TableName() string { return "accounts" }

func fromAccount(a catalogue.Account) accountRow {
	r := accountRow{ID: int64(a.ID), Name: a.Name, Email: a.Email, Role: string(a.Role), Council: string(a.Council), Region: string(a.Region),
		Level: string(a.Level), PasswordHash: a.PasswordHash, TokenID: int64(a.Token), CreatedAt: a.CreatedAt.UTC().Truncate(time.Microsecond)}
	if a.Provider != 0 {
		p := int64(a.Provider)
		r.ProviderID = &p
	}
	return r
}

func toAccount(r accountRow) catalogue.Account {
	a := catalogue.Account{ID: catalogue.AccountID(r.ID), Name: r.Name, Email: r.Email, Role: catalogue.Role(r.Role),
		Council: catalogue.CouncilCode(r.Council), Region: catalogue.RegionCode(r.Region), Level: catalogue.ManagerLevel(r.Level), PasswordHash: r.PasswordHash,
		Token: catalogue.TokenID(r.TokenID), CreatedAt: r.CreatedAt.UTC()}
	if r.ProviderID != nil {
		a.Provider = catalogue.ProviderID(*r.ProviderID)
	}
	if r.DisabledAt != nil {
		a.DisabledAt = r.DisabledAt.UTC()
	}
	if r.OIDCIssuer != nil && r.OIDCSubject != nil {
		a.OIDCIssuer, a.OIDCSubject = *r.OIDCIssuer, *r.OIDCSubject
	}
	return a
}

type accountSessionRow struct {
	ID         int64 `gorm:"primaryKey"`
	AccountID  int64
	Hash       []byte
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

func (accountSessionRow) TableName() string { return "account_sessions" }

func toAccountSession(r accountSessionRow) catalogue.Session {
	s := catalogue.Session{ID: catalogue.SessionID(r.ID), Account: catalogue.AccountID(r.AccountID),
		CreatedAt: r.CreatedAt.UTC(), LastSeenAt: r.LastSeenAt.UTC(), ExpiresAt: r.ExpiresAt.UTC()}
	copy(s.Hash[:], r.Hash)
	return s
}

func accountSubject(id catalogue.AccountID) string { return "account:" + id.String() }

// CreateAccount stores a new account with a token of its own.
func (s *Store) CreateAccount(ctx context.Context, a catalogue.Account) (catalogue.Account, error) {
	a.Email = catalogue.NormaliseEmail(a.Email)
	if err := a.Validate(); err != nil {
		return catalogue.Account{}, validation("account", err)
	}
	a.ID, a.CreatedAt = 0, s.now()
	_, hash := catalogue.NewSecret("pma_")
	tok := catalogue.Token{Label: "account: " + a.Name, Role: a.Role, Council: a.Council, Region: a.Region, Provider: a.Provider, Level: a.Level,
		Hash: hash, CreatedAt: a.CreatedAt}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&accountRow{}).Where("email = ?", a.Email).Count(&n).Error; err != nil {
			return dbError(err, "account: read e-mail addresses")
		}
		if n > 0 {
			return conflict("an account with this e-mail address exists")
		}
		if a.Provider != 0 {
			if err := tx.Model(&providerRow{}).Where("id = ?", int64(a.Provider)).Count(&n).Error; err != nil {
				return dbError(err, "account: read provider")
			}
			if n == 0 {
				return invalid("account", "provider", "no such provider")
			}
		}
		tr := fromToken(tok)
		if err := tx.Create(&tr).Error; err != nil {
			return dbError(err, "account: create its token")
		}
		a.Token = catalogue.TokenID(tr.ID)
		row := fromAccount(a)
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return conflict("an account with this e-mail address exists")
			}
			return dbError(err, "create account")
		}
		a.ID = catalogue.AccountID(row.ID)
		return s.audit(ctx, tx, "create", accountSubject(a.ID), a.Council)
	})
	if err != nil {
		return catalogue.Account{}, err
	}
	return a, nil
}

// AccountByEmail returns the account signing in with email.
func (s *Store) AccountByEmail(ctx context.Context, email string) (catalogue.Account, error) {
	var row accountRow
	if err := s.db.WithContext(ctx).Where("email = ?", catalogue.NormaliseEmail(email)).Take(&row).Error; err != nil {
		return catalogue.Account{}, dbError(err, "account")
	}
	return toAccount(row), nil
}

// ListAccounts returns every account by ID.
func (s *Store) ListAccounts(ctx context.Context) ([]catalogue.Account, error) {
	var rows []accountRow
	if err := s.db.WithContext(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, dbError(err, "accounts")
	}
	out := make([]catalogue.Account, len(rows))
	for i, r := range rows {
		out[i] = toAccount(r)
	}
	return out, nil
}

// Account returns an account by ID.
func (s *Store) Account(ctx context.Context, id catalogue.AccountID) (catalogue.Account, error) {
	var row accountRow
	if err := s.db.WithContext(ctx).Where("id = ?", int64(id)).Take(&row).Error; err != nil {
		return catalogue.Account{}, dbError(err, "account "+id.String())
	}
	return toAccount(row), nil
}

// DisableAccount disables an account and ends its sessions.
func (s *Store) DisableAccount(ctx context.Context, id catalogue.AccountID) (catalogue.Account, error) {
	return s.changeAccount(ctx, id, "disable", func(row *accountRow) map[string]any {
		if row.DisabledAt != nil {
			return nil
		}
		at := s.now().UTC().Truncate(time.Microsecond)
		row.DisabledAt = &at
		return map[string]any{"disabled_at": at}
	})
}

// SetPassword replaces an account's password hash and ends its sessions.
func (s *Store) SetPassword(ctx context.Context, id catalogue.AccountID, hash string) (catalogue.Account, error) {
	if !strings.HasPrefix(hash, "$argon2id$") {
		return catalogue.Account{}, invalid("account", "password", "must be kept as an argon2id hash")
	}
	return s.changeAccount(ctx, id, "reset-password", func(row *accountRow) map[string]any {
		row.PasswordHash = hash
		return map[string]any{"password_hash": hash}
	})
}

// changeAccount applies change to an account, ends its sessions and audits action, in one
// transaction; a change of nil writes nothing.
func (s *Store) changeAccount(ctx context.Context, id catalogue.AccountID, action string, change func(*accountRow) map[string]any) (catalogue.Account, error) {
	var row accountRow
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", int64(id)).Take(&row).Error; err != nil {
			return dbError(err, "account "+id.String())
		}
		cols := change(&row)
		if cols == nil {
			return nil
		}
		if err := tx.Model(&accountRow{}).Where("id = ?", row.ID).Updates(cols).Error; err != nil {
			return dbError(err, action+" account")
		}
		if err := tx.Where("account_id = ?", row.ID).Delete(&accountSessionRow{}).Error; err != nil {
			return dbError(err, "end the account's sessions")
		}
		return s.audit(ctx, tx, action, accountSubject(id), catalogue.CouncilCode(row.Council))
	})
	if err != nil {
		return catalogue.Account{}, err
	}
	return toAccount(row), nil
}

// CreateSession stores a new session of an account, and audits the sign-in.
func (s *Store) CreateSession(ctx context.Context, se catalogue.Session) (catalogue.Session, error) {
	return s.createSession(ctx, se, nil)
}

// CreateLinkedSession stores a new session of an account signed in by OpenID Connect,
// recording the identity on the account when it has none, and audits the link and the sign-in.
func (s *Store) CreateLinkedSession(ctx context.Context, se catalogue.Session, issuer, subject string) (catalogue.Session, error) {
	if issuer == "" || subject == "" {
		return catalogue.Session{}, invalid("session", "oidc_subject", "an identity needs an issuer and a subject")
	}
	return s.createSession(ctx, se, func(tx *gorm.DB, acc accountRow) error {
		if acc.OIDCIssuer != nil {
			if *acc.OIDCIssuer != issuer || acc.OIDCSubject == nil || *acc.OIDCSubject != subject {
				return catalogue.Errorf(catalogue.KindForbidden, "this account is linked to another sign-in: ask your administrator")
			}
			return nil
		}
		res := tx.Model(&accountRow{}).Where("id = ? AND oidc_issuer IS NULL", acc.ID).
			Updates(map[string]any{"oidc_issuer": issuer, "oidc_subject": subject})
		if res.Error != nil {
			if errors.Is(res.Error, gorm.ErrDuplicatedKey) {
				return conflict("another account is linked to this sign-in")
			}
			return dbError(res.Error, "link account")
		}
		if res.RowsAffected == 0 { // linked meanwhile: whoever linked it first decides
			return catalogue.Errorf(catalogue.KindForbidden, "this account is linked to another sign-in: ask your administrator")
		}
		return s.audit(ctx, tx, "link-oidc", accountSubject(catalogue.AccountID(acc.ID)), catalogue.CouncilCode(acc.Council))
	})
}

// createSession stores a session in one transaction with its audit row, after link (when not
// nil) has checked or changed its account.
func (s *Store) createSession(ctx context.Context, se catalogue.Session, link func(tx *gorm.DB, acc accountRow) error) (catalogue.Session, error) {
	if se.Hash == [32]byte{} || !se.ExpiresAt.After(se.CreatedAt) {
		return catalogue.Session{}, invalid("session", "hash", "a session needs a secret's hash and an expiry after its start")
	}
	row := accountSessionRow{AccountID: int64(se.Account), Hash: se.Hash[:], CreatedAt: se.CreatedAt.UTC().Truncate(time.Microsecond),
		LastSeenAt: se.LastSeenAt.UTC().Truncate(time.Microsecond), ExpiresAt: se.ExpiresAt.UTC().Truncate(time.Microsecond)}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var acc accountRow
		if err := tx.Select("id", "council", "oidc_issuer", "oidc_subject", "disabled_at").Where("id = ?", int64(se.Account)).Take(&acc).Error; err != nil {
			return dbError(err, "account "+se.Account.String())
		}
		if acc.DisabledAt != nil {
			return catalogue.Errorf(catalogue.KindForbidden, "this account is disabled: ask your administrator")
		}
		if link != nil {
			if err := link(tx, acc); err != nil {
				return err
			}
		}
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return conflict("a session with this secret exists")
			}
			return dbError(err, "create session")
		}
		return s.audit(ctx, tx, "sign-in", accountSubject(se.Account), catalogue.CouncilCode(acc.Council))
	})
	if err != nil {
		return catalogue.Session{}, err
	}
	return toAccountSession(row), nil
}

// SessionByHash returns the session whose secret hashes to hash, with its account.
func (s *Store) SessionByHash(ctx context.Context, hash [32]byte) (catalogue.Session, catalogue.Account, error) {
	var row accountSessionRow
	db := s.db.WithContext(ctx)
	if err := db.Where("hash = ?", hash[:]).Take(&row).Error; err != nil {
		return catalogue.Session{}, catalogue.Account{}, dbError(err, "session")
	}
	var acc accountRow
	if err := db.Where("id = ?", row.AccountID).Take(&acc).Error; err != nil {
		return catalogue.Session{}, catalogue.Account{}, dbError(err, "session's account")
	}
	return toAccountSession(row), toAccount(acc), nil
}

// TouchSession records a request of the session at at.
func (s *Store) TouchSession(ctx context.Context, id catalogue.SessionID, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&accountSessionRow{}).Where("id = ?", int64(id)).Update("last_seen_at", at.UTC().Truncate(time.Microsecond))
	if res.Error != nil {
		return dbError(res.Error, "touch session")
	}
	if res.RowsAffected == 0 {
		return notFound("session %s has ended", id)
	}
	return nil
}

// DeleteSession ends a session, and audits the sign-out.
func (s *Store) DeleteSession(ctx context.Context, id catalogue.SessionID) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var row accountSessionRow
		if err := tx.Where("id = ?", int64(id)).Limit(1).Find(&row).Error; err != nil {
			return dbError(err, "session")
		}
		if row.ID == 0 {
			return nil
		}
		if err := tx.Where("id = ?", int64(id)).Delete(&accountSessionRow{}).Error; err != nil {
			return dbError(err, "delete session")
		}
		return s.audit(ctx, tx, "sign-out", accountSubject(catalogue.AccountID(row.AccountID)), "")
	})
}
