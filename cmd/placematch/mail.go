package main

import (
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/placematch/placematch/notify"
)

// mailFlags are serve's options for delivering notifications by e-mail. The password is a
// secret: it comes only from the environment (PLACEMATCH_SMTP_PASSWORD).
type mailFlags struct {
	host, from, tls, user *string
	port, maxAttempts     *int
	backoff               *time.Duration
}

func (m *mailFlags) register(fs *flag.FlagSet) {
	m.host = fs.String("smtp-host", "", "SMTP server that delivers notifications by e-mail; empty: notifications are kept and shown by the API, but not sent")
	m.port = fs.Int("smtp-port", 0, "SMTP server's port (0: 587 with starttls, 465 with tls, 25 with none)")
	m.from = fs.String("smtp-from", "", "sender address of notifications (required with --smtp-host)")
	m.tls = fs.String("smtp-tls", string(notify.TLSStartTLS), "how the connection is protected: starttls, tls or none (a relay on this host or network)")
	m.user = fs.String("smtp-username", "", "SMTP user name (with PLACEMATCH_SMTP_PASSWORD from the environment)")
	m.maxAttempts = fs.Int("notify-max-attempts", notify.DefaultMaxAttempts, "attempts to deliver a notification before it is failed")
	m.backoff = fs.Duration("notify-backoff", notify.DefaultBackoff, "wait after a failed attempt, doubling after each (at most an hour)")
}

// config is the notification worker's configuration (its Outbox aside), checked now: a usage
// error naming the option when an SMTP server is set badly.
func (m *mailFlags) config(e *env, baseURL string, log *slog.Logger) (notify.Config, error) {
	cfg := notify.Config{
		SMTP: notify.SMTP{Host: *m.host, Port: *m.port, From: *m.from, TLS: notify.TLS(*m.tls),
			Username: *m.user, Password: e.getenv("PLACEMATCH_SMTP_PASSWORD")},
		BaseURL: baseURL, Now: e.now, Logger: log, MaxAttempts: *m.maxAttempts, Backoff: *m.backoff,
	}
	if cfg.SMTP.Configured() {
		if err := cfg.SMTP.Validate(); err != nil {
			return cfg, usageError{fmt.Sprintf("serve: %v", err)}
		}
	}
	return cfg, nil
}
