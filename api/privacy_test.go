package api_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
)

// TestPrivacyNotice: the children's privacy notice (issue 20, item 11) needs no session, says
// how the homes were suggested, who sees the answers and how long each thing is kept, with the
// periods the service is configured with (the retention job's), never periods written into the
// text: two configurations give two notices.
func TestPrivacyNotice(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	for _, tt := range []struct {
		name    string
		set     api.Settings
		want    []string
		notWant []string
	}{
		{"the defaults", api.Settings{},
			[]string{"for up to 14 days", "open on that device for 24 hours", "deleted a month after they stop working", "it is deleted a year later", "kept for 7 years", "until you are 75"},
			nil},
		{"configured", api.Settings{ChildSessionTTL: 12 * time.Hour, Retention: catalogue.RetentionPeriods{ClosedAfter: 2 * 365 * 24 * time.Hour, LinksAfter: 10 * 24 * time.Hour}},
			[]string{"open on that device for 12 hours", "deleted 10 days after they stop working", "it is deleted 2 years later"},
			[]string{"24 hours", "a month after", "a year later"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, err := api.New(api.Config{Store: f.store, Matcher: f.engine, Now: f.store.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Settings: tt.set})
			if err != nil {
				t.Fatal(err)
			}
			f.h = h
			r := f.visitor("203.0.113.40").do("GET", "/child/privacy", nil)
			f.want(r, 200)
			body := strings.Join(strings.Fields(string(r.body)), " ")
			for _, want := range append(tt.want, "How the homes were suggested", "Who sees your answers", "How long we keep it",
				"The computer does not decide where you live: people do", "The people at the homes do not see what you write here",
				"subject access request", "Information Commissioner") {
				if !strings.Contains(body, want) {
					t.Errorf("the notice does not say %q", want)
				}
			}
			for _, not := range tt.notWant {
				if strings.Contains(body, not) {
					t.Errorf("the notice says %q, which is not the configured period", not)
				}
			}
			if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("the notice is served without the child's headers: %q", csp)
			}
		})
	}
}

// TestChildPagesLinkToPrivacy: the offer page and the check-in page link to the notice.
func TestChildPagesLinkToPrivacy(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	w := newPageWorld(t, f.store)
	kid := f.visitor("203.0.113.41")
	f.want(kid.do("POST", w.link, nil), 303)
	page := kid.do("GET", "/child/offers/"+w.offer.ID.String(), nil)
	if !strings.Contains(string(page.body), `<a href="/child/privacy">How we use what you tell us</a>`) {
		t.Error("the offer page does not link to the privacy notice")
	}
}
