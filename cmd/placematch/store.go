package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/placematch/placematch/catalogue/sqlstore"
)

// storeFlags are the options every command that opens the store shares.
type storeFlags struct {
	dbPath string
}

func (f *storeFlags) register(fs *flag.FlagSet, e *env) {
	fs.StringVar(&f.dbPath, "db", "placematch.db", "file of the embedded store, used when DATABASE_URL is not set")
}

// open opens PostgreSQL when DATABASE_URL is set, else the embedded store, and migrates it.
func (f *storeFlags) open(ctx context.Context, e *env, log *slog.Logger) (*sqlstore.Store, error) {
	dsn := e.getenv("DATABASE_URL")
	if dsn == "" {
		dsn = f.dbPath
	}
	s, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Logger: log, Now: e.now})
	if err != nil {
		return nil, fmt.Errorf("opening the store: %w", err)
	}
	return s, nil
}

// newLogger returns the JSON logger every command uses.
func newLogger(e *env, w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	switch strings.ToLower(e.getenv("PLACEMATCH_LOG_LEVEL")) {
	case "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}
