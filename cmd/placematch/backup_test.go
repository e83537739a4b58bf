package main

import (
	"context"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestBackupRestore runs scripts/backup-check.sh, the operations guide's backup check, on a
// seeded PostgreSQL database: pg_dump, pg_restore into a fresh database, every table's rows
// counted on both sides.
func TestBackupRestore(t *testing.T) {
	t.Parallel()
	url := sqltest.PostgresURL(t)
	vars := map[string]string{"DATABASE_URL": url}
	if err := run(context.Background(), []string{"seed", "--scale", "0.005", "--tokens=false"}, envFunc(vars), nil, io.Discard, io.Discard); err != nil {
		t.Fatalf("seed: %v", err)
	}
	script, err := filepath.Abs("../../scripts/backup-check.sh")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(script)
	cmd.Env = append(testEnviron(), "DATABASE_URL="+url, "PG_BIN="+sqltest.BinDir(t))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("backup-check: %v\n%s", err, out)
	}
	for _, want := range []string{"children", "placements", "vacancies", "audit_log", "policies", "every table restored with the same rows"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("backup-check output lacks %q:\n%s", want, out)
		}
	}
}
