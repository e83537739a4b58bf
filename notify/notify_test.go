package notify_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
	"github.com/placematch/placematch/notify"
)

func TestMain(m *testing.M) { sqltest.Main(m) }

// mailServer is a real SMTP server (github.com/emersion/go-smtp) on a loopback port, keeping
// every message it accepts, byte for byte; while refuse is above zero it refuses that many
// messages with a temporary failure (451), and refuse < 0 refuses every one.
type mailServer struct {
	port int

	mu       sync.Mutex
	received []mail
	refuse   int
}

type mail struct {
	from string
	to   []string
	data []byte
}

func startMailServer(t *testing.T) *mailServer {
	t.Helper()
	m := &mailServer{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{m: m}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m.port = ln.Addr().(*net.TCPAddr).Port
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return m
}

func (m *mailServer) setRefuse(n int) {
	m.mu.Lock()
	m.refuse = n
	m.mu.Unlock()
}

func (m *mailServer) mails() []mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]mail(nil), m.received...)
}

type session struct {
	m    *mailServer
	from string
	to   []string
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	if s.m.refuse != 0 {
		if s.m.refuse > 0 {
			s.m.refuse--
		}
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "mailbox busy, try later"}
	}
	s.m.received = append(s.m.received, mail{from: s.from, to: s.to, data: b})
	return nil
}

// world is a store with an offer to a child of Manchester sent and then withdrawn (two
// notifications for the council's placement team, whose address is set), and a worker over
// it that sends to the test's mail server.
type world struct {
	store  *sqlstore.Store
	clock  *catalogue.ManualClock
	mail   *mailServer
	child  catalogue.Child
	offer  catalogue.Offer
	worker *notify.Worker
}

const manchester catalogue.CouncilCode = "E08000003"

const teamAddress = "placements@manchester.example.gov.uk"

func newWorld(t *testing.T, s *sqlstore.Store, cfg notify.Config) *world {
	t.Helper()
	ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 1, Role: catalogue.RoleAdmin})
	w := &world{store: s, clock: sqltest.Clock(t, s), mail: startMailServer(t)}
	prov, err := s.CreateProvider(ctx, catalogue.Provider{Name: "Northern Fostering", Kind: catalogue.ProviderAgency, URN: "SC000001"})
	if err != nil {
		t.Fatal(err)
	}
	home := catalogue.Location{Lat: 53.48, Lng: -2.24}
	p, err := s.CreatePlacement(ctx, catalogue.Everything, catalogue.Placement{
		Kind: catalogue.ChildrensHome, Provider: prov.ID, Name: "Hollybank House", Council: manchester, AreaName: "Town",
		URN: "SC654321", Registration: catalogue.Registered, Location: home, Active: true, Approval: catalogue.Approval{MinAge: 8, MaxAge: 17, MaxChildren: 4,
			Purposes: []catalogue.Purpose{catalogue.PurposeShortTerm}},
	})
	if err != nil {
		t.Fatal(err)
	}
	w.child, err = s.CreateChild(ctx, catalogue.Everything, catalogue.Child{
		Council: manchester, FirstName: "Zephyrine", CaseRef: "MCR-778812", DateOfBirth: time.Date(2014, time.March, 17, 0, 0, 0, 0, time.UTC),
		Sex: catalogue.Female, Ethnicity: "WBRI", Religion: catalogue.ReligionNone, FirstLanguage: "en", LegalStatus: catalogue.LegalSection20,
		CareType: catalogue.CareEither, Purpose: catalogue.PurposeShortTerm, NeededBy: sqltest.Epoch, Home: home,
		Companions: catalogue.CompanionsNoPreference, Pets: catalogue.PetsCan, Status: catalogue.ChildWaiting,
	})
	if err != nil {
		t.Fatal(err)
	}
	o, err := s.CreateOffer(ctx, catalogue.Everything, catalogue.Offer{Child: w.child.ID,
		Options: []catalogue.Option{{Rank: 1, Role: catalogue.RoleChoice, Placement: p.ID, Score: 0.5, Quality: 0.5, SchoolKm: -1}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err = s.SendOffer(ctx, catalogue.Everything, o.ID, catalogue.ChildLink{Hash: catalogue.HashSecret("link"), ExpiresAt: s.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if w.offer, err = s.WithdrawOffer(ctx, catalogue.Everything, o.ID, 0, "Zephyrine's plan changed."); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetNotificationAddress(ctx, catalogue.NotificationAddress{To: catalogue.TeamRecipient(manchester, catalogue.TeamPlacements), Email: teamAddress}); err != nil {
		t.Fatal(err)
	}
	w.worker = w.newWorker(t, cfg)
	return w
}

func (w *world) newWorker(t *testing.T, cfg notify.Config) *notify.Worker {
	t.Helper()
	cfg.Outbox, cfg.Now = w.store, w.clock.Now
	cfg.SMTP = notify.SMTP{Host: "127.0.0.1", Port: w.mail.port, From: "placematch@council.example.gov.uk", TLS: notify.TLSNone}
	cfg.BaseURL = "https://placematch.example.gov.uk/"
	wk, err := notify.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return wk
}

func (w *world) notifications(t *testing.T) []catalogue.Notification {
	t.Helper()
	p, err := w.store.ListNotifications(context.Background(), catalogue.Everything, catalogue.NotificationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return p.Items
}

func deliver(t *testing.T, wk *notify.Worker) notify.Pass {
	t.Helper()
	p, err := wk.DeliverDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDeliveredOnce: each notification is delivered once to its recipient's address, with
// where to sign in; later passes, and two workers at once, send nothing again.
func TestDeliveredOnce(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s, notify.Config{})
		// Two workers (two instances of the service) deliver at once.
		var wg sync.WaitGroup
		passes := make([]notify.Pass, 2)
		for i := range passes {
			wk := w.newWorker(t, notify.Config{})
			wg.Go(func() { passes[i] = deliver(t, wk) })
		}
		wg.Wait()
		if got := passes[0].Sent + passes[1].Sent; got != 2 {
			t.Fatalf("sent %d (%+v), want 2", got, passes)
		}
		if p := deliver(t, w.worker); p != (notify.Pass{}) {
			t.Errorf("a later pass: %+v", p)
		}
		w.clock.Advance(24 * time.Hour)
		if p := deliver(t, w.worker); p != (notify.Pass{}) {
			t.Errorf("a pass a day later: %+v", p)
		}
		mails := w.mail.mails()
		if len(mails) != 2 {
			t.Fatalf("the server received %d messages, want 2", len(mails))
		}
		link := "https://placematch.example.gov.uk/v1/offers/" + w.offer.ID.String()
		subjects := map[string]bool{}
		for _, m := range mails {
			body := decoded(t, m.data)
			if m.from != "placematch@council.example.gov.uk" || len(m.to) != 1 || m.to[0] != teamAddress {
				t.Errorf("envelope from %s to %v", m.from, m.to)
			}
			if !strings.Contains(body, link) || !strings.Contains(body, "Offer "+w.offer.ID.String()) {
				t.Errorf("message without its record and where to sign in:\n%s", body)
			}
			for _, line := range strings.Split(body, "\r\n") {
				if s, ok := strings.CutPrefix(line, "Subject: "); ok {
					subjects[s] = true
				}
			}
		}
		if !subjects["placematch: Offer sent"] || !subjects["placematch: Offer withdrawn"] {
			t.Errorf("subjects %v", subjects)
		}
		for _, n := range w.notifications(t) {
			if n.Status != catalogue.NotificationSent || n.Attempts != 1 || !n.SentAt.Equal(sqltest.Epoch) || n.LastError != "" {
				t.Errorf("after delivery: %+v", n)
			}
		}
	})
}

// TestRetriedAfterRefusal: a message the server refuses is tried again after the back-off, by
// the injected clock, and not before; the refusal is kept as the last error until it is sent.
func TestRetriedAfterRefusal(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s, notify.Config{Backoff: 2 * time.Minute})
		w.mail.setRefuse(2)
		if p := deliver(t, w.worker); p.Retrying != 2 || p.Sent != 0 {
			t.Fatalf("first pass: %+v", p)
		}
		for _, n := range w.notifications(t) {
			if n.Status != catalogue.NotificationPending || n.Attempts != 1 || !strings.Contains(n.LastError, "451") ||
				!n.NextAttemptAt.Equal(sqltest.Epoch.Add(2*time.Minute)) {
				t.Errorf("after a refusal: %+v", n)
			}
		}
		w.clock.Advance(2*time.Minute - time.Second)
		if p := deliver(t, w.worker); p != (notify.Pass{}) {
			t.Fatalf("before the back-off: %+v", p)
		}
		w.clock.Advance(time.Second)
		if p := deliver(t, w.worker); p.Sent != 2 {
			t.Fatalf("after the back-off: %+v", p)
		}
		if n := len(w.mail.mails()); n != 2 {
			t.Errorf("received %d", n)
		}
		for _, n := range w.notifications(t) {
			if n.Status != catalogue.NotificationSent || n.Attempts != 2 || n.LastError != "" {
				t.Errorf("after the retry: %+v", n)
			}
		}
	})
}

// TestFailedAfterTheCap: a notification refused every time is tried MaxAttempts times, each
// after a longer wait, and then failed for good, visibly; one with no address set fails the
// same way, without a connection.
func TestFailedAfterTheCap(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s, notify.Config{MaxAttempts: 3, Backoff: time.Minute, MaxBackoff: 90 * time.Second})
		w.mail.setRefuse(-1)
		ctx := context.Background()
		prov, err := s.CreateProvider(ctx, catalogue.Provider{Name: "Unaddressed", Kind: catalogue.ProviderAgency, URN: "SC000002"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Notify(ctx, catalogue.NewNotification(catalogue.NotifyReferralSent, catalogue.ProviderRecipient(prov.ID), 5, "/v1/referrals/5")); err != nil {
			t.Fatal(err)
		}
		var waits []time.Duration
		start := w.clock.Now()
		for range 10 {
			p := deliver(t, w.worker)
			if p.Retrying+p.Failed > 0 {
				waits = append(waits, w.clock.Now().Sub(start))
			}
			w.clock.Advance(30 * time.Second)
		}
		// Tried at 0, after 1 minute, then after 1.5 minutes (the most): 0, 60 s, 150 s.
		if want := []time.Duration{0, time.Minute, 150 * time.Second}; !equalDurations(waits, want) {
			t.Errorf("attempts at %v, want %v", waits, want)
		}
		for _, n := range w.notifications(t) {
			if n.Status != catalogue.NotificationFailed || n.Attempts != 3 || n.LastError == "" || !n.SentAt.IsZero() {
				t.Errorf("after the cap: %+v", n)
			}
			if n.To.Provider == prov.ID && !strings.Contains(n.LastError, "no notification address") {
				t.Errorf("without an address: %q", n.LastError)
			}
		}
		if n := len(w.mail.mails()); n != 0 {
			t.Errorf("received %d", n)
		}
	})
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestNoChildsDataInAnyMessage: the bytes the server received, as sent and decoded, hold none
// of the child's data (name, case reference, date of birth, the reason the offer was withdrawn,
// which an officer wrote and may name the child), only what happened and where to sign in.
func TestNoChildsDataInAnyMessage(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s, notify.Config{})
		if p := deliver(t, w.worker); p.Sent != 2 {
			t.Fatalf("pass %+v", p)
		}
		c := w.child
		secrets := []string{c.FirstName, strings.ToLower(c.FirstName), c.CaseRef, "2014-03-17", "17 Mar 2014", "17/03/2014",
			"child:" + c.ID.String(), "children/" + c.ID.String(), "/children/", "plan changed", "53.48", "-2.24"}
		for _, m := range w.mail.mails() {
			for _, text := range []string{string(m.data), decoded(t, m.data)} {
				for _, secret := range secrets {
					if strings.Contains(text, secret) {
						t.Errorf("a message holds %q:\n%s", secret, text)
					}
				}
			}
		}
	})
}

// decoded is a message with its quoted-printable body decoded.
func decoded(t *testing.T, data []byte) string {
	t.Helper()
	head, body, ok := bytes.Cut(data, []byte("\r\n\r\n"))
	if !ok {
		t.Fatalf("a message with no body:\n%s", data)
	}
	plain, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	return string(head) + "\r\n\r\n" + string(plain)
}

// TestNoSMTPNoSending: without an SMTP server the outbox fills and nothing is sent; Run says
// so once and returns.
func TestNoSMTPNoSending(t *testing.T) {
	t.Parallel()
	s := sqltest.SQLite(t)
	var logs bytes.Buffer
	wk, err := notify.New(notify.Config{Outbox: s, Now: sqltest.Clock(t, s).Now, Logger: slogTo(&logs)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Notify(context.Background(), catalogue.NewNotification(catalogue.NotifyOfferSent, catalogue.TeamRecipient(manchester, catalogue.TeamPlacements), 1, "/v1/offers/1")); err != nil {
		t.Fatal(err)
	}
	if err := wk.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if p := deliver(t, wk); p != (notify.Pass{}) {
		t.Errorf("pass without SMTP: %+v", p)
	}
	if n := strings.Count(logs.String(), "no SMTP server configured"); n != 1 {
		t.Errorf("said %d times: %s", n, logs.String())
	}
	p, err := s.ListNotifications(context.Background(), catalogue.Everything, catalogue.NotificationFilter{Status: catalogue.NotificationPending})
	if err != nil || len(p.Items) != 1 || p.Items[0].Attempts != 0 {
		t.Errorf("the outbox: %+v, %v", p.Items, err)
	}
}

// TestSMTPSettings: a configured server with a bad sender, port, TLS mode or half the
// credentials is refused, naming the flag.
func TestSMTPSettings(t *testing.T) {
	t.Parallel()
	s := sqltest.SQLite(t)
	for _, c := range []struct {
		smtp  notify.SMTP
		field string
	}{
		{notify.SMTP{Host: "mail", From: "not an address"}, "smtp-from"},
		{notify.SMTP{Host: "mail", From: "a@example.org", Port: 70000}, "smtp-port"},
		{notify.SMTP{Host: "mail", From: "a@example.org", TLS: "ssl3"}, "smtp-tls"},
		{notify.SMTP{Host: "mail", From: "a@example.org", Username: "me"}, "smtp-username"},
	} {
		_, err := notify.New(notify.Config{Outbox: s, SMTP: c.smtp})
		found := false
		for _, f := range catalogue.FieldErrors(err) {
			found = found || f.Field == c.field
		}
		if !found {
			t.Errorf("%+v: %v, want a problem with %s", c.smtp, err, c.field)
		}
	}
}

func slogTo(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }
