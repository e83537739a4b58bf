package sqltest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, for the admin connection
)

// errUnavailable marks what the machine lacks (the server binaries, a user to run them as):
// tests skip on it, unless CI=true.
var errUnavailable = errors.New("PostgreSQL server not installed")

func isMissing(err error) bool { return errors.Is(err, errUnavailable) }

// dirPrefix names the clusters' directories in the temporary directory.
const dirPrefix = "placematch-pg-"

// cluster is a throwaway PostgreSQL server owned by this process.
type cluster struct {
	dir  string // data, socket and log; removed on stop
	bin  string // the server programs
	cred *syscall.Credential
	cmd  *exec.Cmd     // the running server, if any
	done chan struct{} // closed when the server has exited
}

// url is the URL of database db on the cluster's Unix socket.
func (c *cluster) url(db string) string {
	return fmt.Sprintf("postgres://postgres@/%s?host=%s&sslmode=disable", db, url.QueryEscape(c.dir))
}

// startCluster runs initdb and starts postgres in a new temporary directory.
func startCluster(ctx context.Context) (*cluster, error) {
	c, err := initCluster(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.start(ctx); err != nil {
		c.stop()
		return nil, err
	}
	return c, nil
}

// initCluster runs initdb in a new temporary directory; start starts the server.
func initCluster(ctx context.Context) (*cluster, error) {
	bin, err := findBinDir()
	if err != nil {
		return nil, err
	}
	cred, err := serverUser()
	if err != nil {
		return nil, err
	}
	removeStale()
	dir, err := os.MkdirTemp("", dirPrefix+strconv.Itoa(os.Getpid())+"-") // the owner in the name: see removeStale
	if err != nil {
		return nil, fmt.Errorf("cluster directory: %w", err)
	}
	c := &cluster{dir: dir, bin: bin, cred: cred}
	fail := func(err error) (*cluster, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "owner"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return fail(fmt.Errorf("cluster directory: %w", err))
	}
	logFile, err := os.Create(filepath.Join(dir, "postgres.log"))
	if err != nil {
		return fail(fmt.Errorf("cluster log: %w", err))
	}
	logFile.Close()
	if cred != nil {
		for _, p := range []string{dir, logFile.Name()} {
			if err := os.Chown(p, int(cred.Uid), int(cred.Gid)); err != nil {
				return fail(fmt.Errorf("give the cluster directory to the postgres user: %w", err))
			}
		}
	}
	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", filepath.Join(dir, "data"), "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
	initdb.Dir, initdb.Env = dir, clusterEnv
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		return fail(fmt.Errorf("initdb: %w\n%s", err, out))
	}
	return c, nil
}

// clusterEnv is the environment of initdb and postgres.
var clusterEnv = []string{"LANG=C", "LC_ALL=C", "PATH=/usr/bin:/bin", "TZ=UTC"}

// start starts the server on the cluster's data and waits until it accepts connections.
func (c *cluster) start(ctx context.Context) error {
	logFile, err := os.OpenFile(filepath.Join(c.dir, "postgres.log"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("cluster log: %w", err)
	}
	defer logFile.Close()
	// The server listens only on a socket in dir. Durability is off: the data is thrown away.
	cmd := exec.Command(filepath.Join(c.bin, "postgres"), "-D", filepath.Join(c.dir, "data"), "-k", c.dir, "-p", "5432",
		"-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "log_min_messages=warning")
	cmd.Dir, cmd.Env = c.dir, clusterEnv
	// Not the test's stdout: go test waits for every writer of its output pipe to exit.
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: c.cred,
		Setpgid:    true,            // ^C in a terminal reaches the test, which stops the server
		Pdeathsig:  syscall.SIGQUIT, // the server dies with the test process, Main or not
	}
	done := make(chan struct{})
	started := make(chan error, 1)
	go func() {
		// The parent-death signal fires when the thread that started the child exits, not the
		// process: keep this goroutine on its thread for as long as the server runs.
		runtime.LockOSThread()
		defer close(done)
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		_ = cmd.Wait()
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	c.cmd, c.done = cmd, done
	return c.waitReady(ctx)
}

// waitReady waits until the server accepts connections.
func (c *cluster) waitReady(ctx context.Context) error {
	db, err := sql.Open("pgx", c.url("postgres"))
	if err != nil {
		return err
	}
	defer db.Close()
	for {
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		err := db.PingContext(pctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-c.done:
			log, _ := os.ReadFile(filepath.Join(c.dir, "postgres.log"))
			return fmt.Errorf("postgres exited at start:\n%s", log)
		case <-ctx.Done():
			return fmt.Errorf("postgres did not become ready: %w (last error: %v)", ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop shuts the server down and removes its directory.
func (c *cluster) stop() {
	c.halt()
	os.RemoveAll(c.dir)
}

// halt shuts the server down (fast shutdown, then kill) and waits until it has exited; the
// data stays, for start.
func (c *cluster) halt() {
	if c.cmd != nil && c.cmd.Process != nil {
		_ = c.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-c.done:
		case <-time.After(15 * time.Second):
			_ = c.cmd.Process.Kill()
			<-c.done
		}
	}
	c.cmd = nil
}

// findBinDir finds the directory of initdb and postgres: pg_config --bindir, or the newest
// /usr/lib/postgresql/NN/bin (Debian keeps them off PATH), or PATH.
func findBinDir() (string, error) {
	var dirs []string
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dirs = append(dirs, strings.TrimSpace(string(out)))
	}
	debian, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(debian, func(a, b string) int { return versionOf(b) - versionOf(a) })
	dirs = append(dirs, debian...)
	if p, err := exec.LookPath("initdb"); err == nil {
		dirs = append(dirs, filepath.Dir(p))
	}
	for _, d := range dirs {
		if isFile(filepath.Join(d, "initdb")) && isFile(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", fmt.Errorf("%w: no initdb and postgres in pg_config --bindir, /usr/lib/postgresql/*/bin or PATH", errUnavailable)
}

// versionOf reads NN from /usr/lib/postgresql/NN/bin.
func versionOf(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// serverUser returns the credentials to run the server with: none (this user) unless running
// as root, which initdb and postgres refuse; then the postgres user's.
func serverUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("%w: running as root and there is no postgres user to run the server as: %v", errUnavailable, err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("postgres user has a non-numeric uid or gid: %s:%s", u.Uid, u.Gid)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, nil
}

// removeStale removes the directories of clusters whose test process and server have both
// gone (a test binary that was killed before it could clean up). It stops nothing.
func removeStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, d := range dirs {
		// The owner's PID is in the directory's name from the moment it is made, so a directory
		// another test process has just made, before it wrote its owner file, is never taken for
		// a stale one (test processes of several packages start clusters at once).
		named, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(d), dirPrefix), "-")
		owner, _ := strconv.Atoi(named)
		if alive(owner) || alive(readPID(filepath.Join(d, "owner"))) || alive(readPID(filepath.Join(d, "data", "postmaster.pid"))) {
			continue
		}
		os.RemoveAll(d)
	}
}

// readPID reads the process ID on the first line of a file, or 0.
func readPID(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	n, _ := strconv.Atoi(strings.TrimSpace(line))
	return n
}

func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// existingServer checks a server URL and returns a function that names a database on it.
func existingServer(raw string) (func(db string) string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("%s must be a postgres:// URL", EnvDatabaseURL)
	}
	return func(db string) string {
		v := *u
		v.Path = "/" + db
		v.RawPath = ""
		return v.String()
	}, nil
}

// adminConn runs CREATE and DROP DATABASE on the server's postgres database.
type adminConn struct{ db *sql.DB }

func openAdmin(ctx context.Context, url string) (*adminConn, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	db.SetMaxOpenConns(4)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return &adminConn{db: db}, nil
}

func (a *adminConn) exec(ctx context.Context, query string) error {
	_, err := a.db.ExecContext(ctx, query)
	return err
}

func (a *adminConn) close() { a.db.Close() }

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
