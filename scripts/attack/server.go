package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// binary returns the placematch binary to start: -bin, or one built now from -src.
func binary(ctx context.Context, cfg config, stderr io.Writer) (string, func(), error) {
	if cfg.bin != "" {
		return cfg.bin, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "placematch-attack-bin-")
	if err != nil {
		return "", nil, err
	}
	bin := filepath.Join(dir, "placematch")
	fmt.Fprintln(stderr, "attack: building ./cmd/placematch")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/placematch")
	cmd.Dir, cmd.Stdout, cmd.Stderr = cfg.src, stderr, stderr
	if err := cmd.Run(); err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("building placematch (run from the module's root, or give -src or -bin): %w", err)
	}
	return bin, func() { os.RemoveAll(dir) }, nil
}

// tokenLine is a line of the tokens 'placematch serve' and 'placematch seed' print.
var tokenLine = regexp.MustCompile(`^\s+(admin|officer|commissioner|provider)\s+(pm_[A-Z0-9]+)\s`)

// readTokens reads -tokens: a JSON object of names to secrets, or the output of 'placematch
// serve' or 'placematch seed'.
func readTokens(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the tokens: %w", err)
	}
	toks := map[string]string{}
	if json.Unmarshal(b, &toks) == nil && len(toks) > 0 {
		return toks, nil
	}
	for _, line := range strings.Split(string(b), "\n") {
		if m := tokenLine.FindStringSubmatch(line); m != nil {
			toks[m[1]] = m[2]
		}
	}
	if toks["admin"] == "" {
		return nil, usageError{"-tokens: no admin token found in " + path}
	}
	return toks, nil
}

// proc is a placematch server the attack started.
type proc struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{}
}

// stop ends the server: SIGTERM, then SIGKILL after a grace period.
func (p *proc) stop() {
	if p == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// kill ends the server with SIGKILL, as a crash would.
func (p *proc) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// serverEnv is this process's environment with DATABASE_URL set to dsn (or removed) and the
// log at debug level, so that every line the server can write is searched.
func serverEnv(dsn string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DATABASE_URL=") && !strings.HasPrefix(kv, "PLACEMATCH_LOG_LEVEL=") {
			env = append(env, kv)
		}
	}
	env = append(env, "PLACEMATCH_LOG_LEVEL=debug")
	if dsn != "" {
		env = append(env, "DATABASE_URL="+dsn)
	}
	return env
}

// runCommand runs a placematch command to its end and returns its standard output.
func runCommand(ctx context.Context, bin string, env []string, log io.Writer, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env, cmd.Stderr = env, log
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("placematch %s: %w", strings.Join(args, " "), err)
	}
	return string(out), nil
}

// startServe starts 'placematch serve' and waits until it listens; the tokens it prints for a
// demo catalogue are returned.
func startServe(ctx context.Context, bin string, env []string, log io.Writer, args ...string) (*proc, map[string]string, error) {
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	cmd.Env, cmd.Stderr = env, log
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	// The server dies with the attack, even one killed: its parent-death signal fires when the
	// thread that started it ends, so that goroutine keeps its thread while the server runs.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer close(p.done)
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		_ = cmd.Wait()
	}()
	if err := <-started; err != nil {
		return nil, nil, fmt.Errorf("starting placematch serve: %w", err)
	}
	listening := make(chan string, 1)
	toks := map[string]string{}
	var mu sync.Mutex
	printed := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		var once sync.Once
		for sc.Scan() {
			line := sc.Text()
			if u, ok := strings.CutPrefix(line, "placematch listening on "); ok {
				u, _, _ = strings.Cut(u, " ")
				listening <- u
			}
			if m := tokenLine.FindStringSubmatch(line); m != nil {
				mu.Lock()
				toks[m[1]] = m[2]
				mu.Unlock()
			}
			if strings.HasPrefix(line, "try: ") {
				once.Do(func() { close(printed) })
			}
		}
		once.Do(func() { close(printed) })
	}()
	select {
	case p.url = <-listening:
	case <-p.done:
		return nil, nil, fmt.Errorf("placematch serve exited before listening (see its log)")
	case <-ctx.Done():
		p.kill()
		return nil, nil, ctx.Err()
	case <-time.After(10 * time.Minute):
		p.kill()
		return nil, nil, fmt.Errorf("placematch serve did not listen within 10 minutes")
	}
	// The tokens follow the address; a server on a store that is not empty prints none.
	select {
	case <-printed:
	case <-time.After(2 * time.Second):
	}
	mu.Lock()
	defer mu.Unlock()
	return p, toks, nil
}

// Settings of the servers the attack starts: links believed from 127.0.0.1 as a proxy (so that
// guesses can come from many addresses), a short request timeout (so that a key left pending by
// a killed server must expire soon) and a small import limit (so that an oversized file is
// cheap to send).
const (
	startedTimeout   = 15 * time.Second
	startedMaxImport = 8 << 20
)

// attackStarted starts placematch on a fresh store, attacks it and stops it.
func attackStarted(ctx context.Context, cfg config, bin, store string, getenv func(string) string, stdout, stderr io.Writer) (*report, error) {
	dir, err := os.MkdirTemp("", "placematch-attack-"+store+"-")
	if err != nil {
		return nil, err
	}
	if !cfg.keep {
		defer os.RemoveAll(dir)
	} else {
		fmt.Fprintf(stderr, "attack: %s files kept in %s\n", store, dir)
	}
	logPath := filepath.Join(dir, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	var lw io.Writer = logFile

	dsn := ""
	var pg *pgControl
	if store == "postgres" {
		var drop func()
		name := fmt.Sprintf("placematch_attack_%d_%d", cfg.seed, os.Getpid())
		dsn, drop, err = freshDatabase(ctx, getenv("DATABASE_URL"), name)
		if err != nil {
			return nil, err
		}
		pg = &pgControl{admin: getenv("DATABASE_URL"), db: name}
		defer pg.unblock(context.WithoutCancel(ctx)) // never leave it refusing connections
		if !cfg.keep {
			defer drop()
		}
	}
	env := serverEnv(dsn)
	args := []string{"-db", filepath.Join(dir, "attack.db"), "-addr", "127.0.0.1:0", "-demo-scale", cfg.scale,
		"-trusted-proxies", "127.0.0.1", "-request-timeout", startedTimeout.String(),
		"-max-import", fmt.Sprint(startedMaxImport), "-shutdown-grace", "5s"}
	var toks map[string]string
	if store == "postgres" {
		fmt.Fprintf(stderr, "attack: seeding a %s catalogue into a fresh PostgreSQL database\n", cfg.scale)
		out, err := runCommand(ctx, bin, env, lw, "seed", "-scale", cfg.scale)
		if err != nil {
			return nil, err
		}
		toks = map[string]string{}
		for _, line := range strings.Split(out, "\n") {
			if m := tokenLine.FindStringSubmatch(line); m != nil {
				toks[m[1]] = m[2]
			}
		}
	}
	fmt.Fprintf(stderr, "attack: starting placematch serve on %s\n", store)
	p, printed, err := startServe(ctx, bin, env, lw, args...)
	if err != nil {
		return nil, err
	}
	if toks == nil {
		toks = printed
	}
	var mu sync.Mutex
	current := p
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		current.stop()
	}()
	if toks["admin"] == "" {
		return nil, fmt.Errorf("the %s server printed no admin token", store)
	}
	t := target{name: store + " " + p.url, url: p.url, tokens: toks, trustedProxy: true, maxImport: startedMaxImport,
		bin: bin, pg: pg,
		log: func() []byte { b, _ := os.ReadFile(logPath); return b }}
	t.pid = func() int {
		mu.Lock()
		defer mu.Unlock()
		return current.cmd.Process.Pid
	}
	t.restart = func(ctx context.Context) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		current.kill()
		fmt.Fprintln(lw, `{"attack":"the server was killed with SIGKILL here and started again"}`)
		np, _, err := startServe(ctx, bin, env, lw, args...)
		if err != nil {
			return "", err
		}
		current = np
		return np.url, nil
	}
	if pg != nil {
		t.another = func(ctx context.Context) (string, func(), error) {
			p2, _, err := startServe(ctx, bin, env, lw, args...)
			if err != nil {
				return "", nil, err
			}
			return p2.url, p2.stop, nil
		}
	}
	return attackTarget(ctx, cfg, t, stdout)
}

// pgControl makes the attack's PostgreSQL database unreachable and reachable again, as a restart
// of PostgreSQL would, through the cluster's admin connection (DATABASE_URL).
type pgControl struct {
	admin, db string
}

func (p *pgControl) exec(ctx context.Context, sqls ...string) error {
	conn, err := pgx.Connect(ctx, p.admin)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, q := range sqls {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// block refuses new connections to the database and ends every open one.
func (p *pgControl) block(ctx context.Context) error {
	ident := pgx.Identifier{p.db}.Sanitize()
	lit := "'" + strings.ReplaceAll(p.db, "'", "''") + "'"
	return p.exec(ctx, "ALTER DATABASE "+ident+" ALLOW_CONNECTIONS false",
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "+lit+" AND pid <> pg_backend_pid()")
}

// unblock lets connections in again.
func (p *pgControl) unblock(ctx context.Context) error {
	return p.exec(ctx, "ALTER DATABASE "+pgx.Identifier{p.db}.Sanitize()+" ALLOW_CONNECTIONS true")
}

// freshDatabase creates a database in the PostgreSQL at dsn and returns its URL and a function
// that drops it.
func freshDatabase(ctx context.Context, dsn, name string) (string, func(), error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", nil, fmt.Errorf("connecting to DATABASE_URL: %w", err)
	}
	defer conn.Close(ctx)
	ident := pgx.Identifier{name}.Sanitize()
	_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		return "", nil, fmt.Errorf("creating database %s: %w", name, err)
	}
	var fresh string
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		fresh = u.String()
	} else {
		fresh = dsn + " dbname=" + name
	}
	drop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return
		}
		defer c.Close(ctx)
		_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)")
	}
	return fresh, drop, nil
}

// peakMemory reads a process's peak resident memory, in MiB, from /proc.
func peakMemory(pidOf func() int) (float64, error) {
	if pidOf == nil {
		return 0, errors.New("no process")
	}
	pid := pidOf()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			if _, err := fmt.Sscanf(strings.TrimSpace(v), "%f kB", &kb); err != nil {
				return 0, err
			}
			return kb / 1024, nil
		}
	}
	return 0, errors.New("no VmHWM")
}
