package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	sqlite "github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// unavailable marks err with catalogue.ErrUnavailable when it says the database cannot be
// reached: a connection refused or never made, a connection that broke or that the server
// ended (it is shutting down, restarting or starting up), a connection the pool had already
// closed, a server with no connection to spare, or an embedded file still locked by another
// writer when the wait ran out (SQLITE_BUSY). Such a request may work a moment later, and
// the API answers it 503 with Retry-After rather than 500. Errors of the request's own context
// (a client gone, a time limit) are left as they are, and so is everything else.
//
// Every statement run through GORM is classified (classifyErrors), and so are transactions
// (inTx), Ping and dbError.
func unavailable(err error) error {
	if err == nil || errors.Is(err, catalogue.ErrUnavailable) || !unreachable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", catalogue.ErrUnavailable, err)
}

func unreachable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pgErr *pgconn.PgError
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		// No connection could be made. The server may have said why: a database not accepting
		// connections for now (ALTER DATABASE ... ALLOW_CONNECTIONS false, as in maintenance:
		// 55000) or one of the codes below is for a while; a wrong password or a database that
		// does not exist is the deployment's mistake, not a moment's, and stays a 500.
		if errors.As(err, &pgErr) {
			return pgErr.Code == "55000" || unreachableCode(pgErr.Code)
		}
		return true
	}
	if errors.As(err, &pgErr) { // the server answered: unreachable only if it says so
		return unreachableCode(pgErr.Code)
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		return liteErr.Code()&0xff == sqliteBusy
	}
	var netErr net.Error
	return errors.As(err, &netErr) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.ErrUnexpectedEOF)
}

// sqliteBusy is SQLite's primary result code SQLITE_BUSY: the file is locked by another
// connection and the busy timeout has passed.
const sqliteBusy = 5

// unreachableCode reports whether a PostgreSQL error code says the server cannot serve the
// connection for now: class 08 (connection exception), an administrator's or a crash's
// shutdown, a server starting up, an idle session ended, or no connection slot free.
func unreachableCode(code string) bool {
	switch code {
	case "57P01", "57P02", "57P03", "57P05", "53300":
		return true
	}
	return strings.HasPrefix(code, "08")
}

// classifyErrors makes every statement GORM runs report an unreachable database as
// catalogue.ErrUnavailable.
func classifyErrors(db *gorm.DB) error {
	classify := func(tx *gorm.DB) {
		if tx.Error != nil {
			tx.Error = unavailable(tx.Error)
		}
	}
	cb := db.Callback()
	const name = "placematch:unavailable"
	return errors.Join(
		cb.Create().After("*").Register(name, classify),
		cb.Query().After("*").Register(name, classify),
		cb.Update().After("*").Register(name, classify),
		cb.Delete().After("*").Register(name, classify),
		cb.Row().After("*").Register(name, classify),
		cb.Raw().After("*").Register(name, classify),
	)
}
