package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/placematch/placematch/aggregate"
	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/internal/oidcauth"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/notify"
	"github.com/placematch/placematch/sufficiency"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "serve [options]")
	var sf storeFlags
	sf.register(fs, e)
	defAddr := "127.0.0.1:8080"
	if port := e.getenv("PORT"); port != "" {
		defAddr = ":" + port
	}
	addr := fs.String("addr", defAddr, "address to listen on, HOST:PORT (or :$PORT when PORT is set)")
	demo := fs.Bool("demo", true, "seed a demo catalogue and print demo tokens when the embedded store is empty")
	demoScale := fs.String("demo-scale", "demo", `size of the demo catalogue: "demo", "national" or a fraction of national`)
	grace := fs.Duration("shutdown-grace", 20*time.Second, "time allowed for requests in flight to finish on SIGTERM")
	timeout := fs.Duration("request-timeout", 30*time.Second, "longest time one request may take")
	maxBody := fs.Int64("max-body", 1<<20, "largest JSON request body, in bytes")
	maxImport := fs.Int64("max-import", 64<<20, "largest import file, in bytes")
	baseURL := fs.String("base-url", "", "public address of the service (https://...), used in the links sent to children, whatever Host a request names")
	allowedHosts := fs.String("allowed-hosts", "", "without --base-url: comma-separated hosts (host or host:port, as the Host header names them) whose name a child's link may be built from; a request from any other Host that would make a link gets 400; default: this address's loopback names (127.0.0.1:PORT, localhost:PORT, [::1]:PORT), for local use")
	secureCookies := fs.Bool("secure-cookies", false, "mark the child's session cookie Secure even without TLS here, as behind a proxy that ends TLS (always so when --base-url is https)")
	proxies := fs.String("trusted-proxies", "", "comma-separated addresses or CIDR ranges of proxies whose X-Forwarded-For is believed (for rate limits); default: none")
	childSession := fs.Duration("child-session", 24*time.Hour, "how long a child's session lasts after they open their link")
	sessionIdle := fs.Duration("session-idle", 30*time.Minute, "how long a workspace session lasts without a request")
	sessionLifetime := fs.Duration("session-lifetime", 12*time.Hour, "how long a workspace session lasts at most")
	refresh := fs.Duration("snapshot-refresh", 5*time.Minute, "how often the matcher reloads its whole snapshot of the catalogue (changes made through this server show at once)")
	forecastYears := fs.Int("forecast-years", MaxForecastYears, fmt.Sprintf("years ahead the demand forecast in the sufficiency report goes, 1 to %d (0: no forecast)", MaxForecastYears))
	suffAge := fs.Duration("sufficiency-max-age", 10*time.Minute, "how long a sufficiency report is served before it is computed again from a fresh snapshot of the catalogue")
	sweepIvl := fs.Duration("referral-sweep", time.Minute, "how often referrals past their deadline and holds run out are expired, and providers reminded of deadlines within the hour, by the service's clock (0: only when the API is called)")
	aggAge := fs.Duration("aggregate-max-age", time.Minute, "how long other aggregates (stability, support needs, the catalogue's sizes) are served before they are computed again; the old copy is served meanwhile")
	langDir := fs.String("child-languages-dir", "", "directory of councils' translations of the child's pages (*.json, checked when the service starts; see `placematch translations check` and docs/languages.md)")
	langs := fs.String("child-languages", "", "comma-separated ids of the languages a child may choose on their pages (default: English, easy read and every translation in --child-languages-dir; en-XA and en-XB, the pseudo-locales, only when named)")
	langDefault := fs.String("child-language-default", "", "the language of a child's pages when they have chosen none and the service has no catalogue of their first language (default en)")
	var mail mailFlags
	mail.register(fs)
	var rf retentionFlags // the periods the retention job deletes by, told to children in their privacy notice
	rf.register(fs)
	var of oidcauth.Flags
	of.Register(fs)
	if err := parse(e, fs, args, 0); err != nil {
		return err
	}
	retain, err := rf.periods()
	if err != nil {
		return err
	}
	oidcCfg, err := of.Config(e.getenv)
	if err != nil {
		return usageError{fmt.Sprintf("serve: %v", err)}
	}
	if *forecastYears < 0 || *forecastYears > MaxForecastYears {
		return usageError{fmt.Sprintf("serve: --forecast-years must be between 0 and %d", MaxForecastYears)}
	}

	log := newLogger(e, e.stderr)
	var oidcProv *oidcauth.Provider
	if oidcCfg.Enabled() {
		if oidcProv, err = oidcauth.New(ctx, oidcCfg, e.now, nil); err != nil {
			return fmt.Errorf("serve: OpenID Connect: %w", err)
		}
	}
	mailCfg, err := mail.config(e, *baseURL, log)
	if err != nil {
		return err
	}
	store, err := sf.open(ctx, e, log)
	if err != nil {
		return err
	}
	defer store.Close()

	var toks []demoToken
	var accounts []demoAccount
	counts, err := store.Counts(ctx)
	if err != nil {
		return err
	}
	empty := counts.Children == 0 && counts.Placements == 0
	switch {
	case empty && *demo && store.Backend() == "sqlite":
		cfg, err := synthConfig(*demoScale)
		if err != nil {
			return err
		}
		cfg.Today = catalogue.Day(e.now()) // the demo is of today, whatever day that is
		fmt.Fprintln(e.stdout, "the embedded store is empty: seeding a demo catalogue of a synthetic England")
		res, err := seedStore(ctx, store, cfg, e.stderr)
		if err != nil {
			return err
		}
		fmt.Fprint(e.stdout, res.summary)
		if toks, err = createDemoTokens(ctx, store, res); err != nil {
			return err
		}
		if accounts, err = createDemoAccounts(ctx, store, res); err != nil {
			return err
		}
	case empty:
		fmt.Fprintln(e.stdout, "the store is empty: run 'placematch seed' to write a synthetic England, or import your catalogue")
	}

	engine, err := matcher.NewEngine(ctx, store, matcher.Options{Logger: log, Now: e.now})
	if err != nil {
		return err
	}
	// The sufficiency report is computed from its own snapshot of the catalogue, served for
	// --sufficiency-max-age (and while a new one is computed), and computed once at start so
	// that the first commissioner does not wait for it.
	// The demand forecast is fitted again with each report from the histories as they then stand.
	var need sufficiency.DemandSource
	if *forecastYears > 0 {
		need = storeDemand{store: store, years: *forecastYears}
	}
	suff, err := sufficiency.NewService(sufficiency.ServiceConfig{Source: store, Policies: store, Demand: need,
		Stability: sufficiency.StabilityFromStore(store), Histories: store, Referrals: store, KinCaring: store, MaxAge: *suffAge, Logger: log, Now: e.now})
	if err != nil {
		return err
	}
	// Every aggregate the API serves is kept here and recomputed in the background; the
	// computations in flight are cancelled and waited for before the store closes.
	aggregates := aggregate.New(aggregate.Config{Now: e.now, Logger: log})
	defer aggregates.Close()

	var trusted []string
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			trusted = append(trusted, p)
		}
	}
	// Match runs: a run left running by a process that stopped is failed now and by a sweep
	// every half minute; runs still going when the service stops are cancelled and failed.
	metrics := api.NewMetrics(store, engine)
	runSvc, err := newRuns(store, log, func(context.Context) (*matcher.Engine, error) { return engine, nil }, metrics)
	if err != nil {
		return err
	}
	defer runSvc.Close()
	// The embedded store has one process: any run it still shows running was interrupted.
	// On PostgreSQL another instance may be running one, so only runs whose heartbeat stopped.
	failStale := runSvc.FailInterrupted
	if store.Backend() == sqlstore.BackendSQLite {
		failStale = runSvc.FailAllRunning
	}
	if _, err := failStale(ctx); err != nil {
		return fmt.Errorf("failing interrupted match runs: %w", err)
	}

	// Referral deadlines and holds run out, and providers are reminded, on a ticker too; each
	// change tells whoever it tells in its own transaction (catalogue.ReferralNotifications).
	sweeper, err := casework.New(casework.Config{Store: store, Matcher: engine, Now: e.now})
	if err != nil {
		return err
	}

	mailCfg.Outbox = store
	mailer, err := notify.New(mailCfg)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", *addr, err)
	}
	defer ln.Close()
	hosts := splitList(*allowedHosts)
	if *baseURL == "" && len(hosts) == 0 {
		// Without a public address, links to children are made only for a browser on this
		// machine: a request naming any other Host is refused rather than believed.
		tcp := ln.Addr().(*net.TCPAddr)
		port := fmt.Sprint(tcp.Port)
		hosts = []string{net.JoinHostPort("127.0.0.1", port), net.JoinHostPort("localhost", port), net.JoinHostPort("::1", port)}
		if !tcp.IP.IsLoopback() {
			log.Warn("no --base-url or --allowed-hosts: links to children are made only when this service is called as 127.0.0.1, localhost or [::1]",
				"allowed_hosts", strings.Join(hosts, ","))
		}
	}
	handler, err := api.New(api.Config{
		Store: store, Matcher: engine, Matching: matching{runSvc}, Sufficiency: suff, Aggregates: aggregates,
		Metrics: metrics, Logger: log, Now: e.now, OIDC: oidcProv,
		Settings: api.Settings{
			BaseURL: *baseURL, AllowedHosts: hosts, SecureCookies: *secureCookies || strings.HasPrefix(*baseURL, "https://"),
			TrustedProxies: trusted, ChildSessionTTL: *childSession,
			SessionIdle: *sessionIdle, SessionLifetime: *sessionLifetime,
			MaxBodyBytes: *maxBody, MaxImportBytes: *maxImport, RequestTimeout: *timeout,
			AggregateMaxAge: *aggAge, WarmAggregates: true, Retention: retain,
			ChildLanguagesDir: *langDir, ChildLanguages: splitList(*langs), ChildLanguageDefault: *langDefault,
		},
	})
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       *timeout + 30*time.Second,
		WriteTimeout:      *timeout + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          nil,
	}
	url := "http://" + displayAddr(ln.Addr())
	fmt.Fprintf(e.stdout, "placematch listening on %s (store: %s)\n", url, store.Backend())
	printAccounts(e.stdout, url, accounts)
	if len(toks) > 0 {
		printTokens(e.stdout, url, toks)
	}
	log.Info("serving", "addr", ln.Addr().String(), "store", store.Backend())

	// The server and the loops beside it run in one group, waited for before the store closes
	// (the deferred Close above). When ctx ends (SIGTERM), or any of them fails, the loops stop
	// and the server takes no new request but finishes those in flight, for --shutdown-grace.
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		refreshEvery(gctx, engine, *refresh, log)
		return nil
	})
	g.Go(func() error {
		// On PostgreSQL, changes made by other instances (or imports) reach the snapshot at
		// once; the timed refresh is the safety net.
		return store.WatchPlacements(gctx, func(ids []catalogue.PlacementID, all bool) {
			var err error
			if all {
				err = engine.Refresh(gctx)
			} else {
				err = engine.Touch(gctx, ids...)
			}
			if err != nil && gctx.Err() == nil {
				log.Warn("matcher snapshot not updated from the database's notice", "err", err)
			}
		})
	})
	g.Go(func() error {
		runSvc.Sweep(gctx)
		return nil
	})
	g.Go(func() error {
		sweepEvery(gctx, sweeper.Sweep, *sweepIvl, log)
		return nil
	})
	g.Go(func() error {
		// The outbox is delivered by e-mail when an SMTP server is configured; without one,
		// notifications are kept and shown, and the log says so once.
		return mailer.Run(gctx)
	})
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		log.Info("shutting down: finishing requests in flight", "grace", grace.String())
		sctx, cancel := context.WithTimeout(context.Background(), *grace)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			return fmt.Errorf("shutting down: %w", err)
		}
		return nil
	})
	return g.Wait()
}

// refreshEvery reloads the matcher's snapshot on a timer until ctx ends, so that changes made
// outside this server (another instance, an import from the command line) are seen.
func refreshEvery(ctx context.Context, engine *matcher.Engine, every time.Duration, log *slog.Logger) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := engine.Refresh(ctx); err != nil && ctx.Err() == nil {
				log.Warn("matcher snapshot refresh failed", "err", err)
			}
		}
	}
}

// displayAddr turns a listener address into one a person can open (0.0.0.0 becomes 127.0.0.1).
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if tcp.IP == nil || tcp.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
	}
	return tcp.String()
}
