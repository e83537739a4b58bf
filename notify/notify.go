// Package notify delivers the outbox of notifications (catalogue.Notification) by e-mail over
// SMTP: a worker claims each due notification (one attempt, held by a lease), sends it with no
// database transaction open, and records the outcome; a failed attempt is tried again after a
// back-off that doubles, by the injected clock, until MaxAttempts have failed and the
// notification is failed, for people to see in the API. A message carries no child's data:
// only what happened, the record's ID and where to sign in.
package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Outbox is what the worker needs of the store (catalogue.NotificationStore's delivery half).
type Outbox interface {
	ClaimNotifications(ctx context.Context, claim string, n int, lease time.Duration) ([]catalogue.Delivery, error)
	FinishDelivery(ctx context.Context, o catalogue.DeliveryOutcome) error
}

// TLS is how the connection to the SMTP server is protected.
type TLS string

// The TLS modes: none (a relay on the same host or network), STARTTLS after connecting (port
// 587, the usual), or TLS from the first byte (port 465).
const (
	TLSNone     TLS = "none"
	TLSStartTLS TLS = "starttls"
	TLSImplicit TLS = "tls"
)

// TLSModes lists every TLS mode.
var TLSModes = []TLS{TLSNone, TLSStartTLS, TLSImplicit}

// SMTP is the server notifications are sent through. With no Host, nothing is sent.
type SMTP struct {
	Host     string
	Port     int    // 0: 587 with STARTTLS, 465 with TLS, 25 without
	From     string // the sender's address
	TLS      TLS    // "": STARTTLS
	Username string // with Password: PLAIN authentication (over TLS, or to a server on this host)
	Password string
	// TLSConfig, when set, is used for TLS (a test's own certificate authority); nil: the
	// system's roots and Host as the server's name.
	TLSConfig *tls.Config
}

// Configured reports whether an SMTP server is set.
func (s SMTP) Configured() bool { return s.Host != "" }

// Validate reports every bad field of a configured server, named as its flag.
func (s SMTP) Validate() error {
	var fe []catalogue.FieldError
	if s.Port < 0 || s.Port > 65535 {
		fe = append(fe, catalogue.FieldError{Field: "smtp-port", Message: "must be 1 to 65535 (0: the mode's usual port)"})
	}
	if msg := catalogue.EmailProblem(s.From); msg != "" {
		fe = append(fe, catalogue.FieldError{Field: "smtp-from", Message: msg})
	}
	switch s.TLS {
	case "", TLSNone, TLSStartTLS, TLSImplicit:
	default:
		fe = append(fe, catalogue.FieldError{Field: "smtp-tls", Message: fmt.Sprintf("must be one of %v", TLSModes)})
	}
	if (s.Username == "") != (s.Password == "") {
		fe = append(fe, catalogue.FieldError{Field: "smtp-username", Message: "a user name needs a password (PLACEMATCH_SMTP_PASSWORD), and a password a user name"})
	}
	if len(fe) > 0 {
		return catalogue.InvalidFields(fe)
	}
	return nil
}

func (s SMTP) mode() TLS {
	if s.TLS == "" {
		return TLSStartTLS
	}
	return s.TLS
}

func (s SMTP) addr() string {
	port := s.Port
	if port == 0 {
		port = map[TLS]int{TLSNone: 25, TLSStartTLS: 587, TLSImplicit: 465}[s.mode()]
	}
	return net.JoinHostPort(s.Host, strconv.Itoa(port))
}

func (s SMTP) tlsConfig() *tls.Config {
	if s.TLSConfig != nil {
		return s.TLSConfig
	}
	return &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
}

// Defaults of Config.
const (
	DefaultMaxAttempts = 8
	DefaultBackoff     = time.Minute
	DefaultMaxBackoff  = time.Hour
	DefaultPoll        = 15 * time.Second
	DefaultTimeout     = 30 * time.Second
	// DefaultBatch is the most notifications one pass delivers before it waits for the next.
	DefaultBatch = 100
)

// Config is what New needs; a zero field is its default.
type Config struct {
	Outbox Outbox // required
	SMTP   SMTP
	// BaseURL is the service's public address, joined to each notification's link ("where to
	// sign in"); empty: the link's path alone.
	BaseURL string
	Now     catalogue.Clock // the one clock: retries are due by it
	Logger  *slog.Logger
	// MaxAttempts is how many attempts a notification gets before it is failed (8).
	MaxAttempts int
	// Backoff is the wait after the first failed attempt, doubling after each other up to
	// MaxBackoff (1 minute, 1 hour: 8 attempts span about two hours).
	Backoff, MaxBackoff time.Duration
	// Poll is how often the worker looks for notifications due (15s).
	Poll time.Duration
	// Timeout bounds one delivery, from connecting to the end of the message (30s). A claim is
	// held for twice as long and a minute more, so that no other worker takes a notification
	// while it is being sent.
	Timeout time.Duration
	Batch   int // most deliveries a pass (100)
}

// Worker delivers the outbox.
type Worker struct {
	cfg Config
	now catalogue.Clock
	log *slog.Logger
}

// New returns a worker; ErrInvalid naming the SMTP settings' flags at fault when a server is
// configured badly.
func New(cfg Config) (*Worker, error) {
	if cfg.Outbox == nil {
		return nil, errors.New("notify: an Outbox is required")
	}
	if cfg.SMTP.Configured() {
		if err := cfg.SMTP.Validate(); err != nil {
			return nil, err
		}
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.MaxBackoff < cfg.Backoff {
		cfg.MaxBackoff = max(DefaultMaxBackoff, cfg.Backoff)
	}
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultPoll
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Batch <= 0 {
		cfg.Batch = DefaultBatch
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	w := &Worker{cfg: cfg, now: cfg.Now.OrWall(), log: cfg.Logger}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	return w, nil
}

// lease is how long a claim holds a notification: longer than any delivery can take.
func (w *Worker) lease() time.Duration { return 2*w.cfg.Timeout + time.Minute }

// Run delivers notifications as they fall due until ctx ends. With no SMTP server configured
// it says so once in the log and returns at once: the outbox still fills, and the API shows
// it, but nothing is sent.
func (w *Worker) Run(ctx context.Context) error {
	if !w.cfg.SMTP.Configured() {
		w.log.Warn("no SMTP server configured (--smtp-host): notifications are kept in the outbox and shown by GET /v1/notifications, but none is sent")
		return nil
	}
	w.log.Info("delivering notifications", "smtp", w.cfg.SMTP.addr(), "tls", string(w.cfg.SMTP.mode()))
	t := time.NewTicker(w.cfg.Poll)
	defer t.Stop()
	for {
		if _, err := w.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			w.log.Error("delivering notifications", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Pass counts what one pass of DeliverDue did.
type Pass struct {
	Sent, Retrying, Failed int
}

// DeliverDue delivers the notifications due now, one claim at a time, up to the batch: each is
// claimed (one attempt), sent with no transaction open, and its outcome recorded. It returns
// when none is due, the batch is done, or ctx ends.
func (w *Worker) DeliverDue(ctx context.Context) (Pass, error) {
	var p Pass
	if !w.cfg.SMTP.Configured() {
		return p, nil
	}
	for range w.cfg.Batch {
		if ctx.Err() != nil {
			return p, ctx.Err()
		}
		claim := rand.Text()
		ds, err := w.cfg.Outbox.ClaimNotifications(ctx, claim, 1, w.lease())
		if err != nil || len(ds) == 0 {
			return p, err
		}
		d := ds[0]
		out := catalogue.DeliveryOutcome{ID: d.ID, Claim: d.Claim}
		if err := w.deliver(ctx, d); err != nil {
			out.Error = err.Error()
			if d.Attempts < w.cfg.MaxAttempts {
				out.RetryAt = w.now().Add(w.backoff(d.Attempts))
				p.Retrying++
			} else {
				p.Failed++
			}
			w.log.Warn("notification not delivered", "notification", int64(d.ID), "kind", string(d.Kind),
				"recipient", d.To.String(), "attempt", d.Attempts, "failed", out.RetryAt.IsZero(), "err", out.Error)
		} else {
			out.Sent = true
			p.Sent++
		}
		if err := w.cfg.Outbox.FinishDelivery(ctx, out); err != nil {
			return p, fmt.Errorf("notification %d: %w", int64(d.ID), err)
		}
	}
	return p, nil
}

// backoff is the wait after the attempt-th failed attempt: Backoff, doubling, at most
// MaxBackoff.
func (w *Worker) backoff(attempt int) time.Duration {
	d := w.cfg.Backoff
	for i := 1; i < attempt && d < w.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, w.cfg.MaxBackoff)
}

// errNoAddress: the recipient has no notification address yet.
var errNoAddress = errors.New("no notification address is set for the recipient")

// deliver sends one notification, within the worker's Timeout.
func (w *Worker) deliver(ctx context.Context, d catalogue.Delivery) error {
	if d.Email == "" {
		return fmt.Errorf("%w (%s): an administrator sets it through /v1/notification-addresses", errNoAddress, d.To)
	}
	ctx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
	defer cancel()
	return w.send(ctx, d.Email, w.Message(d.Notification, d.Email))
}

// Message is the e-mail of a notification to an address: the notification's subject and words,
// where to sign in, and nothing else (no child's data).
func (w *Worker) Message(n catalogue.Notification, to string) []byte {
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", w.cfg.SMTP.From)
	header("To", to)
	header("Subject", mime.QEncoding.Encode("utf-8", "placematch: "+n.Subject))
	header("Date", w.now().Format(time.RFC1123Z))
	domain := "placematch.invalid"
	if at := strings.LastIndexByte(w.cfg.SMTP.From, '@'); at >= 0 {
		domain = w.cfg.SMTP.From[at+1:]
	}
	header("Message-ID", fmt.Sprintf("<notification-%d.%d@%s>", int64(n.ID), n.Attempts, domain))
	header("Auto-Submitted", "auto-generated")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	fmt.Fprintf(qp, "%s\r\n\r\nSign in to see it: %s%s\r\n\r\n", n.Text, w.cfg.BaseURL, n.Link)
	fmt.Fprintf(qp, "This message holds no personal details. It was sent to this address because an administrator set it for %s in placematch.\r\n", describe(n.To))
	qp.Close()
	return b.Bytes()
}

// describe names a recipient in words.
func describe(r catalogue.Recipient) string {
	if r.Provider != 0 {
		return "provider " + r.Provider.String()
	}
	return fmt.Sprintf("the %s team of council %s", r.Team, r.Council)
}

// send delivers one message over SMTP; ending ctx closes the connection.
func (w *Worker) send(ctx context.Context, to string, msg []byte) error {
	s := w.cfg.SMTP
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.addr())
	if err != nil {
		return fmt.Errorf("connect to the SMTP server: %w", err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if s.mode() == TLSImplicit {
		tc := tls.Client(conn, s.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			return fmt.Errorf("TLS with the SMTP server: %w", err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		return fmt.Errorf("SMTP greeting: %w", err)
	}
	defer c.Close()
	if s.mode() == TLSStartTLS {
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return fmt.Errorf("SMTP STARTTLS: %w", err)
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, s.Host)); err != nil {
			return fmt.Errorf("SMTP AUTH: %w", err)
		}
	}
	if err := c.Mail(s.From); err != nil {
		return fmt.Errorf("SMTP MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("SMTP RCPT TO: %w", err)
	}
	wc, err := c.Data()
	if err != nil {
		return fmt.Errorf("SMTP DATA: %w", err)
	}
	if _, err := wc.Write(msg); err != nil {
		return fmt.Errorf("SMTP message: %w", err)
	}
	if err := wc.Close(); err != nil {
		return fmt.Errorf("SMTP message: %w", err)
	}
	_ = c.Quit() // the message is accepted; a failed goodbye changes nothing
	return nil
}
