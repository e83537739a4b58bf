package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	gormlogger "gorm.io/gorm/logger"

	"github.com/placematch/placematch/catalogue"
)

// Backends.
const (
	BackendPostgres = "postgres"
	BackendSQLite   = "sqlite"
)

// DefaultSQLitePath is the embedded store's file when no DSN is given.
const DefaultSQLitePath = "placematch.db"

// sqlitePragmas make the embedded store safe under concurrent writers: wait for the write lock
// (up to 30 s: a statement outside a transaction may wait behind a long one on a loaded machine)
// instead of failing at once, write-ahead logging so that readers do not block the writer,
// enforced foreign keys, synchronous=NORMAL (with WAL a commit survives the process being
// killed; only a power cut may lose the last commits, never corrupt the file), and transactions
// that take the write lock when they begin (a deferred transaction that reads and then writes
// can fail with SQLITE_BUSY, or double-book on a read made before the lock).
const sqlitePragmas = "_pragma=busy_timeout(30000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// slowQuery is how long a statement runs before its template is logged as slow.
const slowQuery = 500 * time.Millisecond

//go:embed migrations
var migrations embed.FS

// Options tune Open.
type Options struct {
	// Logger receives slow query templates (never parameter values). Nil logs nothing.
	Logger *slog.Logger
	// SkipMigrate opens the database without migrating it forward.
	SkipMigrate bool
	// MaxOpenConns caps the connection pool; 0 picks a default for the backend.
	MaxOpenConns int
	// Now is the clock the store stamps records with and judges expiry by; nil: the wall clock.
	Now catalogue.Clock
}

// Store is the catalogue in a SQL database. It implements catalogue.Store and is safe for
// concurrent use.
type Store struct {
	db       *gorm.DB
	sqlDB    *sql.DB
	backend  string
	log      *slog.Logger
	policies policyCache
	tokens   tokenCache
	audits   *auditWriter
	dsn      string // PostgreSQL's, for the listening connection of WatchPlacements
	clock    catalogue.Clock
	// writes queues SQLite's write transactions in the process, one at a time and in the order
	// they asked (nil on PostgreSQL). SQLite lets one writer in at a time anyway; left to its busy
	// handler, waiting writers poll with growing sleeps and the unlucky one can lose every time
	// until its timeout, a 500 under load.
	writes chan struct{}
}

var _ catalogue.Store = (*Store)(nil)

// Open connects to the database named by dsn and, unless opt.SkipMigrate, migrates it forward.
// A dsn that starts with postgres:// or postgresql:// is PostgreSQL; anything else is the path
// of a SQLite file (DefaultSQLitePath when empty), which is created if missing.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	backend, dialector, conns := BackendSQLite, gorm.Dialector(nil), 4
	if isPostgres(dsn) {
		backend, dialector, conns = BackendPostgres, postgres.Open(dsn), 10
	} else {
		dialector = sqlite.Open(sqliteDSN(dsn))
	}
	if opt.MaxOpenConns > 0 {
		conns = opt.MaxOpenConns
	}
	s := &Store{backend: backend, log: log, clock: opt.Now.OrWall()}
	db, err := gorm.Open(dialector, &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true, // every write already runs in inTx
		NowFunc:                func() time.Time { return s.now() },
		Logger:                 &queryLogger{log: log, slow: slowQuery},
	})
	if err != nil {
		return nil, fmt.Errorf("open %s store: %w", backend, err)
	}
	if err := classifyErrors(db); err != nil {
		return nil, fmt.Errorf("open %s store: %w", backend, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s store: %w", backend, err)
	}
	sqlDB.SetMaxOpenConns(conns)
	sqlDB.SetMaxIdleConns(conns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	s.db, s.sqlDB = db, sqlDB
	s.audits = newAuditWriter(s)
	if backend == BackendPostgres {
		s.dsn = dsn
	} else {
		s.writes = make(chan struct{}, 1)
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if !opt.SkipMigrate {
		if err := s.Migrate(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// sqliteDSN adds the pragmas the store needs to a file path. Pragmas the path already carries
// ("placematch.db?_pragma=busy_timeout(200)") run after the store's, so they win.
func sqliteDSN(path string) string {
	if path == "" {
		path = DefaultSQLitePath
	}
	file, own, ok := strings.Cut(path, "?")
	if !ok {
		return file + "?" + sqlitePragmas
	}
	return file + "?" + sqlitePragmas + "&" + own
}

// now is the time on the store's clock: UTC, to the microsecond both backends keep.
func (s *Store) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// Now is the time on the store's clock, as it stamps records and judges expiry.
func (s *Store) Now() time.Time { return s.now() }

// Backend names the database in use: "postgres" or "sqlite".
func (s *Store) Backend() string { return s.backend }

// Migrate applies every migration not yet applied.
func (s *Store) Migrate(ctx context.Context) error {
	p, err := s.migrator()
	if err != nil {
		return err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate %s store: %w", s.backend, err)
	}
	for _, r := range res {
		s.log.InfoContext(ctx, "migrated", "backend", s.backend, "version", r.Source.Version, "took", r.Duration)
	}
	return s.ensureDefaultPolicy(ctx)
}

// migrator is the goose provider of the store's migrations for its backend.
func (s *Store) migrator() (*goose.Provider, error) {
	dialect, dir := goose.DialectSQLite3, "migrations/sqlite"
	// Out of order: migrations written on branches at the same time may land in either order.
	// Migration 00026 is a Go step, for both backends (coarsen.go).
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithAllowOutofOrder(true),
		goose.WithGoMigrations(coarsenMigration(s.backend))}
	if s.backend == BackendPostgres {
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	fsys, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	p, err := goose.NewProvider(dialect, s.sqlDB, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return p, nil
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s store: %w", s.backend, unavailable(err))
	}
	return nil
}

// Close closes the connection pool.
func (s *Store) Close() error {
	s.audits.close()
	return s.sqlDB.Close()
}

// inTx runs fn in one transaction: committed when fn returns nil, rolled back otherwise.
// On SQLite the transaction waits its turn in the process (s.writes) and then takes the write
// lock when it begins (_txlock=immediate), so transactions run one at a time; on PostgreSQL they
// run at READ COMMITTED and rely on conditional updates and row locks. fn must not start another
// transaction of the store.
func (s *Store) inTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.writes != nil {
		select {
		case s.writes <- struct{}{}:
			defer func() { <-s.writes }()
		case <-ctx.Done():
			return fmt.Errorf("wait to write: %w", ctx.Err())
		}
	}
	return unavailable(s.db.WithContext(ctx).Transaction(fn))
}

// forUpdate locks the rows a query reads until the transaction ends, as the UPDATE that follows
// would (FOR NO KEY UPDATE: foreign-key checks of other transactions that refer to the row are
// not blocked). SQLite has no row locks and its dialect drops the clause: its immediate
// transactions already hold the database's write lock.
func forUpdate(q *gorm.DB) *gorm.DB {
	return q.Clauses(clause.Locking{Strength: "NO KEY UPDATE"})
}

// dbError maps a database error to the catalogue's kinds of *catalogue.Error. what names the
// operation and the record ("child 12"); the message never includes the values of the record.
// A conflict or an invalid reference is told to the caller (its message names what and the
// rule); a record not found is told as a kind alone.
func dbError(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, catalogue.ErrNotFound), errors.Is(err, catalogue.ErrConflict), errors.Is(err, catalogue.ErrInvalid),
		errors.Is(err, catalogue.ErrForbidden):
		return err
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", what, err)
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("%s: %w", what, catalogue.ErrNotFound)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return conflict("%s: a unique value is already taken", what)
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return catalogue.Errorf(catalogue.KindInvalid, "%s: a referenced record does not exist", what)
	case errors.Is(err, gorm.ErrCheckConstraintViolated):
		return catalogue.Errorf(catalogue.KindInvalid, "%s: a field breaks a rule of the schema", what)
	}
	return fmt.Errorf("%s: %w", what, unavailable(err))
}

// notFound is a record not found (or outside the scope): the text, which names the record, is
// for the log; the caller is told only that there is no such record.
func notFound(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, catalogue.ErrNotFound)...)
}

// conflict is a change that breaks a rule of the current state; the text is its message for
// people (the API shows it), naming records by their IDs and never their values.
func conflict(format string, args ...any) error {
	return catalogue.Errorf(catalogue.KindConflict, format, args...)
}

// invalid is an invalid-input error naming one field, prefixed (for the log) with what the record
// is.
func invalid(what, field, format string, args ...any) error {
	return fmt.Errorf("%s: %w", what, catalogue.Invalid(field, format, args...))
}

// validation wraps a record's Validate error (an invalid-input *catalogue.Error) with what the
// record is, for the log.
func validation(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// queryLogger is GORM's logger: it logs the template of slow statements and nothing else. It
// never sees parameter values (ParamsFilter drops them), so children's data cannot reach a log.
type queryLogger struct {
	log  *slog.Logger
	slow time.Duration
}

func (l *queryLogger) LogMode(gormlogger.LogLevel) gormlogger.Interface { return l }

func (l *queryLogger) Info(context.Context, string, ...any) {}

func (l *queryLogger) Warn(context.Context, string, ...any) {}

func (l *queryLogger) Error(context.Context, string, ...any) {}

// ParamsFilter drops the parameters before GORM renders a statement for the log.
func (l *queryLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

func (l *queryLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), _ error) {
	took := time.Since(begin) // measures a duration: GORM took begin from the wall clock
	if took < l.slow {
		return
	}
	sql, rows := fc()
	if len(sql) > 300 {
		sql = sql[:300] + "..."
	}
	l.log.WarnContext(ctx, "slow query", "sql", sql, "rows", rows, "took", took)
}
