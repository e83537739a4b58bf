package sqlstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// offerWorld is a child of Birmingham with three homes to offer, each with places.
type offerWorld struct {
	child  catalogue.Child
	homes  []catalogue.Placement
	places map[catalogue.PlacementID][]catalogue.Vacancy
}

func newOfferWorld(t *testing.T, s *sqlstore.Store, placesEach int) offerWorld {
	t.Helper()
	ctx := context.Background()
	w := offerWorld{places: map[catalogue.PlacementID][]catalogue.Vacancy{}}
	prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Offering")))
	w.child = must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(birmingham, at(52.48, -1.89))))
	for i := range 3 {
		p := must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, plainPlacement(prov.ID, birmingham, at(52.45+float64(i)/100, -1.9))))
		for range placesEach {
			v := must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{
				Placement: p.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable}))
			w.places[p.ID] = append(w.places[p.ID], v)
		}
		w.homes = append(w.homes, p)
	}
	return w
}

// options ranks the homes in order: two choices and a back-up.
func (w offerWorld) options() []catalogue.Option {
	var out []catalogue.Option
	for i, h := range w.homes {
		role := catalogue.RoleChoice
		if i >= 2 {
			role = catalogue.RoleBackup
		}
		out = append(out, catalogue.Option{Rank: i + 1, Role: role, Placement: h.ID, Score: 0.8 - float64(i)/10,
			Quality: 0.85 - float64(i)/10, WeeklyCost: 900, HomeKm: 3 + float64(i), SchoolKm: 2, ContactKm: []float64{4},
			Factors: []catalogue.FactorScore{{Factor: catalogue.FactorSchool, Weight: 0.2, Score: 0.9, Reason: "Close to school."}}})
	}
	return out
}

func officer(ctx context.Context, token int) context.Context {
	return catalogue.WithActor(ctx, catalogue.Actor{Token: catalogue.TokenID(token), Role: catalogue.RoleOfficer})
}

func hashOf(secret string) [32]byte { return sha256.Sum256([]byte(secret)) }

func TestOfferLifeCycle(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 7)
		w := newOfferWorld(t, s, 1)
		o := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: w.options(), PolicyVersion: 1}))
		if o.Status != catalogue.OfferProposed || o.Version != 1 || o.Council != birmingham || len(o.Options) != 3 {
			t.Fatalf("created %+v", o)
		}
		diff(t, "stored offer", must[catalogue.Offer](t)(s.Offer(ctx, officerBirmingham, o.ID)), o)
		diff(t, "options", o.Options, w.options())

		// A second open offer for the same child is refused.
		_, err := s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: w.options()})
		wantErr(t, err, catalogue.ErrConflict)

		// Sent: a link, the child offered.
		exp := s.Now().Add(time.Hour)
		o, link, err := s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf("tok-1"), ExpiresAt: exp})
		if err != nil {
			t.Fatal(err)
		}
		if o.Status != catalogue.OfferSent || o.SentAt.IsZero() || link.CreatedBy != 7 || link.Hash != hashOf("tok-1") {
			t.Fatalf("after send: %+v, link %+v", o, link)
		}
		if c := must[catalogue.Child](t)(s.Child(ctx, everything, w.child.ID)); c.Status != catalogue.ChildOffered {
			t.Errorf("child is %s after the offer was sent, want offered", c.Status)
		}

		// Viewed: the link opens a session.
		sess, err := s.RedeemLink(ctx, hashOf("tok-1"), catalogue.ChildSession{Hash: hashOf("sess-1"), ExpiresAt: exp})
		if err != nil {
			t.Fatal(err)
		}
		if sess.Offer != o.ID || sess.Child != w.child.ID || sess.Council != birmingham {
			t.Errorf("session %+v", sess)
		}
		got := must[catalogue.ChildSession](t)(s.ChildSession(ctx, hashOf("sess-1")))
		diff(t, "session", got, sess)
		o = must[catalogue.Offer](t)(s.Offer(ctx, everything, o.ID))
		if o.Status != catalogue.OfferViewed {
			t.Errorf("status %s after the link was opened, want viewed", o.Status)
		}

		// The child's say: a preference that is not a choice is refused; the back-up is not a choice.
		_, err = s.RecordSay(ctx, sess, catalogue.ChildSay{Preference: w.homes[2].ID})
		wantField(t, err, "preference")
		o = must[catalogue.Offer](t)(s.RecordSay(ctx, sess, catalogue.ChildSay{Preference: w.homes[1].ID, InOwnWords: "Near my nan", AdvocateRequested: true}))
		if o.Status != catalogue.OfferPreferenceGiven || o.Say.Preference != w.homes[1].ID || !o.Say.AdvocateRequested || o.Say.At.IsZero() {
			t.Fatalf("after the say: %+v", o)
		}
		// They change their mind.
		o = must[catalogue.Offer](t)(s.RecordSay(ctx, sess, catalogue.ChildSay{Preference: w.homes[0].ID, InOwnWords: "The dog!"}))
		if o.Say.Preference != w.homes[0].ID || o.Say.InOwnWords != "The dog!" || o.Say.AdvocateRequested {
			t.Fatalf("after changing their mind: %+v", o.Say)
		}
		// Then back again: the decision below departs from their preference.
		o = must[catalogue.Offer](t)(s.RecordSay(ctx, sess, catalogue.ChildSay{Preference: w.homes[1].ID}))

		// Decision: accepting the top option against the child's preference needs a reason.
		_, err = s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version, catalogue.Decision{Accepted: true, Placement: w.homes[0].ID})
		wantField(t, err, "reason")
		_, err = s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version-1, catalogue.Decision{Accepted: true, Placement: w.homes[0].ID, Reason: "x"})
		wantErr(t, err, catalogue.ErrConflict)
		o = must[catalogue.Offer](t)(s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version,
			catalogue.Decision{Accepted: true, Placement: w.homes[0].ID, Reason: "  Choice 2 cannot take her until March.  "}))
		d := o.Decision
		if o.Status != catalogue.OfferAccepted || d == nil || d.Reason != "Choice 2 cannot take her until March." || d.By != 7 || len(d.Filled) != 1 {
			t.Fatalf("after the decision: %+v %+v", o, d)
		}
		v := must[catalogue.Vacancy](t)(s.Vacancy(ctx, everything, d.Filled[0]))
		if v.Placement != w.homes[0].ID || v.Status != catalogue.VacancyFilled || v.Child != w.child.ID {
			t.Errorf("place after accepting: %+v", v)
		}
		// The say is closed after the decision.
		_, err = s.RecordSay(ctx, sess, catalogue.ChildSay{Neither: true})
		wantErr(t, err, catalogue.ErrConflict)

		o = must[catalogue.Offer](t)(s.MarkPlaced(ctx, officerBirmingham, o.ID, o.Version, catalogue.Arrival{}))
		if o.Status != catalogue.OfferPlaced || o.PlacedAt.IsZero() {
			t.Errorf("after placing: %+v", o)
		}
		if c := must[catalogue.Child](t)(s.Child(ctx, everything, w.child.ID)); c.Status != catalogue.ChildPlaced {
			t.Errorf("child is %s after the move, want placed", c.Status)
		}
		// Their history has the new placement, begun today.
		hist := must[[]catalogue.Episode](t)(s.History(ctx, everything, w.child.ID))
		if len(hist) != 1 || hist[0].Placement != w.homes[0].ID || !hist[0].End.IsZero() || !hist[0].Start.Equal(catalogue.Day(s.Now())) {
			t.Errorf("history after the move: %+v", hist)
		}

		// Every step is in the audit log.
		audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "offer:" + o.ID.String()}))
		var actions []string
		for _, e := range audit.Items {
			actions = append(actions, e.Action)
		}
		want := "create send child_open_link child_say child_say child_say decide placed"
		if strings.Join(actions, " ") != want {
			t.Errorf("audit of the offer: %v, want %s", actions, want)
		}
	})
}

func TestOfferDeclineWithdrawReplace(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 3)
		w := newOfferWorld(t, s, 1)
		o := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: w.options()}))

		// A choice falls through: the back-up takes its place, and a replacement joins as back-up.
		extra := w.options()[2]
		extra.Placement = w.homes[2].ID
		_, err := s.ReplaceOption(ctx, officerBirmingham, o.ID, o.Version, w.homes[0].ID, "", nil)
		wantField(t, err, "reason")
		o = must[catalogue.Offer](t)(s.ReplaceOption(ctx, officerBirmingham, o.ID, o.Version, w.homes[0].ID, "The carers are unwell.", nil))
		ch := o.Choices()
		if len(ch) != 2 || ch[0].Placement != w.homes[1].ID || ch[1].Placement != w.homes[2].ID || len(o.Backups()) != 0 {
			t.Fatalf("choices after the first fell through: %+v", o.Options)
		}
		if op, _ := o.Option(w.homes[0].ID); !op.Withdrawn || op.WithdrawnReason != "The carers are unwell." {
			t.Errorf("withdrawn option: %+v", op)
		}
		if o.Top() != w.homes[1].ID {
			t.Errorf("top option %d, want %d", o.Top(), w.homes[1].ID)
		}
		// A replacement that is already in the offer is refused.
		_, err = s.ReplaceOption(ctx, officerBirmingham, o.ID, o.Version, w.homes[1].ID, "Gone.", &extra)
		wantField(t, err, "replacement")

		// Declining needs a reason; it sends the child back to waiting and allows a new offer.
		_, err = s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version, catalogue.Decision{})
		wantField(t, err, "reason")
		o = must[catalogue.Offer](t)(s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version, catalogue.Decision{Reason: "Neither home meets her needs now."}))
		if o.Status != catalogue.OfferDeclined || o.Decision == nil || o.Decision.Accepted {
			t.Fatalf("after declining: %+v", o)
		}
		for _, v := range w.places {
			if got := must[catalogue.Vacancy](t)(s.Vacancy(ctx, everything, v[0].ID)); got.Status != catalogue.VacancyAvailable {
				t.Errorf("a place is %s after declining", got.Status)
			}
		}
		o2 := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: w.options()}))
		_, link, err := s.SendOffer(ctx, officerBirmingham, o2.ID, catalogue.ChildLink{Hash: hashOf("w-1"), ExpiresAt: s.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		sess := must[catalogue.ChildSession](t)(s.RedeemLink(ctx, hashOf("w-1"), catalogue.ChildSession{Hash: hashOf("ws-1"), ExpiresAt: s.Now().Add(time.Hour)}))
		_ = link

		// Withdrawing needs a reason, revokes the link and ends the session.
		_, err = s.WithdrawOffer(ctx, officerBirmingham, o2.ID, 0, " ")
		wantField(t, err, "reason")
		o2 = must[catalogue.Offer](t)(s.WithdrawOffer(ctx, officerBirmingham, o2.ID, 0, "She is going home to her mum."))
		if o2.Status != catalogue.OfferWithdrawn || o2.WithdrawnReason == "" {
			t.Errorf("after withdrawing: %+v", o2)
		}
		if got := must[catalogue.ChildSession](t)(s.ChildSession(ctx, hashOf("ws-1"))); got.Live(s.Now()) {
			t.Error("the child's session is live after the offer was withdrawn")
		}
		_, err = s.RecordSay(ctx, sess, catalogue.ChildSay{Neither: true})
		wantErr(t, err, catalogue.ErrNotFound)
		if c := must[catalogue.Child](t)(s.Child(ctx, everything, w.child.ID)); c.Status != catalogue.ChildWaiting {
			t.Errorf("child is %s after the offer was withdrawn, want waiting", c.Status)
		}
		_, err = s.DecideOffer(ctx, officerBirmingham, o2.ID, 0, catalogue.Decision{Accepted: true, Placement: w.homes[0].ID, Reason: "x"})
		wantErr(t, err, catalogue.ErrConflict)
	})
}

// TestAcceptForAChildStillPlaced: a child who still fills a place elsewhere cannot have another
// filled; the conflict names the place to end, and nothing changes.
func TestAcceptForAChildStillPlaced(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 5)
		w := newOfferWorld(t, s, 2)
		old := w.places[w.homes[2].ID][1]
		old.Status, old.Child = catalogue.VacancyFilled, w.child.ID
		old = must[catalogue.Vacancy](t)(s.UpdateVacancy(ctx, everything, old))
		o := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: w.options()}))
		_, err := s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version, catalogue.Decision{Accepted: true, Placement: w.homes[0].ID, Reason: "x"})
		wantErr(t, err, catalogue.ErrConflict)
		if !strings.Contains(err.Error(), fmt.Sprintf("place %d", old.ID)) {
			t.Errorf("the conflict does not name the place to end: %v", err)
		}
		if got := must[catalogue.Offer](t)(s.Offer(ctx, everything, o.ID)); got.Status != catalogue.OfferProposed || got.Version != o.Version {
			t.Errorf("the offer changed: %+v", got)
		}
		// Once the old place is ended, accepting works.
		old.Status, old.Child = catalogue.VacancyAvailable, 0
		must[catalogue.Vacancy](t)(s.UpdateVacancy(ctx, everything, old))
		must[catalogue.Offer](t)(s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version, catalogue.Decision{Accepted: true, Placement: w.homes[0].ID, Reason: "x"}))
	})
}

func TestOfferScopeAndInput(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newOfferWorld(t, s, 1)
		_, err := s.CreateOffer(ctx, officerLeeds, catalogue.Offer{Child: w.child.ID, Options: w.options()})
		wantErr(t, err, catalogue.ErrNotFound)
		bad := w.options()
		bad[1].Placement = bad[0].Placement
		_, err = s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: bad})
		wantField(t, err, "options[1].placement")
		bad = w.options()
		bad[2].Role = catalogue.RoleChoice
		_, err = s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: bad})
		wantField(t, err, "options")
		bad = w.options()
		bad[0].Placement = 999999
		_, err = s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: bad})
		wantField(t, err, "options[0].placement")
		_, err = s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: w.options(), Siblings: []catalogue.ChildID{w.child.ID}})
		wantField(t, err, "siblings[0]")
		if n := len(must[catalogue.Page[catalogue.Offer]](t)(s.ListOffers(ctx, everything, catalogue.OfferFilter{})).Items); n != 0 {
			t.Fatalf("%d offers stored by refused requests", n)
		}

		o := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: w.options(), Run: 42}))
		_, err = s.Offer(ctx, officerLeeds, o.ID)
		wantErr(t, err, catalogue.ErrNotFound)
		_, _, err = s.SendOffer(ctx, officerLeeds, o.ID, catalogue.ChildLink{Hash: hashOf("x"), ExpiresAt: s.Now().Add(time.Hour)})
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.DecideOffer(ctx, officerLeeds, o.ID, 0, catalogue.Decision{Accepted: true, Placement: w.homes[0].ID})
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.OfferLinks(ctx, officerLeeds, o.ID)
		wantErr(t, err, catalogue.ErrNotFound)
		if p := must[catalogue.Page[catalogue.Offer]](t)(s.ListOffers(ctx, officerLeeds, catalogue.OfferFilter{})); len(p.Items) != 0 {
			t.Errorf("Leeds sees %d of Birmingham's offers", len(p.Items))
		}
		if p := must[catalogue.Page[catalogue.Offer]](t)(s.ListOffers(ctx, officerBirmingham, catalogue.OfferFilter{Run: 42})); len(p.Items) != 1 {
			t.Errorf("offers of run 42: %d, want 1", len(p.Items))
		}
	})
}

// TestAcceptLastPlaceRace has 32 officers accept, at once, 32 offers (one per child) whose top
// choice is the same home with one place left: exactly one wins, every other gets ErrConflict and
// changes nothing (each child has a need the home is not trained for: one support plan, the
// winner's, is made).
func TestAcceptLastPlaceRace(t *testing.T) {
	t.Parallel()
	const racers = 32
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newOfferWorld(t, s, 1)
		offers := make([]catalogue.Offer, racers)
		for i := range offers {
			c := plainChild(birmingham, at(52.4, -1.9))
			c.Needs = []catalogue.Need{{Kind: catalogue.NeedTrauma, Level: catalogue.LevelMedium}}
			c = must[catalogue.Child](t)(s.CreateChild(ctx, everything, c))
			offers[i] = must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: c.ID, Options: w.options()}))
		}
		last := w.homes[0].ID
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, racers)
		for i := range racers {
			wg.Go(func() {
				<-start
				_, errs[i] = s.DecideOffer(officer(ctx, i+1), officerBirmingham, offers[i].ID, offers[i].Version,
					catalogue.Decision{Accepted: true, Placement: last, Reason: "The child was not asked in this test."})
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil:
				if winner >= 0 {
					t.Fatalf("both offer %d and offer %d got the last place", winner, i)
				}
				winner = i
			case !errors.Is(err, catalogue.ErrConflict):
				t.Errorf("racer %d: %v, want ErrConflict", i, err)
			}
		}
		if winner < 0 {
			t.Fatal("nobody got the place")
		}
		v := must[catalogue.Vacancy](t)(s.Vacancy(ctx, everything, w.places[last][0].ID))
		if v.Status != catalogue.VacancyFilled || v.Child != offers[winner].Child || v.Version != 2 {
			t.Errorf("the place: %+v, want filled by the winner's child at version 2", v)
		}
		for i, o := range offers {
			got := must[catalogue.Offer](t)(s.Offer(ctx, everything, o.ID))
			if i == winner {
				if got.Status != catalogue.OfferAccepted {
					t.Errorf("winner's offer is %s", got.Status)
				}
				continue
			}
			if got.Status != catalogue.OfferProposed || got.Version != o.Version || got.Decision != nil {
				t.Errorf("loser %d's offer was changed: %+v", i, got)
			}
		}
		if n := countRows(t, s, "support_plans"); n != 1 {
			t.Errorf("%d support plans after the race, want the winner's", n)
		}
		if p := must[[]catalogue.SupportPlan](t)(s.SupportPlans(ctx, everything, offers[winner].Child)); len(p) != 1 || p[0].Offer != offers[winner].ID {
			t.Errorf("the winner's plans: %+v", p)
		}
		audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "vacancy:" + v.ID.String()}))
		if n := len(audit.Items); n != 2 || audit.Items[1].Actor != catalogue.TokenID(winner+1) {
			t.Errorf("audit of the place: %+v; want its creation and the winner's fill", audit.Items)
		}
		// A later acceptance of the full home is a conflict too.
		_, err := s.DecideOffer(ctx, officerBirmingham, offers[(winner+1)%racers].ID, 0,
			catalogue.Decision{Accepted: true, Placement: last, Reason: "again"})
		wantErr(t, err, catalogue.ErrConflict)
	})
}

// TestAcceptSameOfferRace has 32 officers accept one offer at once, for two homes: one decision
// is kept, and only one place is filled.
func TestAcceptSameOfferRace(t *testing.T) {
	t.Parallel()
	const racers = 32
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newOfferWorld(t, s, 2)
		o := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: w.options()}))
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, racers)
		for i := range racers {
			wg.Go(func() {
				<-start
				_, errs[i] = s.DecideOffer(officer(ctx, i+1), officerBirmingham, o.ID, o.Version,
					catalogue.Decision{Accepted: true, Placement: w.homes[i%2].ID, Reason: "Test."})
			})
		}
		close(start)
		wg.Wait()
		wins := 0
		for i, err := range errs {
			if err == nil {
				wins++
			} else if !errors.Is(err, catalogue.ErrConflict) {
				t.Errorf("racer %d: %v", i, err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d decisions kept, want 1", wins)
		}
		filled := 0
		for _, vs := range w.places {
			for _, v := range vs {
				if must[catalogue.Vacancy](t)(s.Vacancy(ctx, everything, v.ID)).Status == catalogue.VacancyFilled {
					filled++
				}
			}
		}
		if filled != 1 {
			t.Errorf("%d places filled, want 1", filled)
		}
	})
}

// TestLinksStoredHashedExpireAndRevoke checks a link's token and a session's secret are never
// stored, that a link opens once (also under a race), and that expired and revoked links and
// sessions do not work.
func TestLinksStoredHashedExpireAndRevoke(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newOfferWorld(t, s, 1)
		o := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: w.options()}))
		// A proposed offer's link cannot exist, and an unknown one does not open.
		_, err := s.RedeemLink(ctx, hashOf("nothing"), catalogue.ChildSession{Hash: hashOf("s0"), ExpiresAt: s.Now().Add(time.Hour)})
		wantErr(t, err, catalogue.ErrNotFound)
		_, _, err = s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf("old"), ExpiresAt: s.Now().Add(-time.Second)})
		wantField(t, err, "expires_at")

		token, sessSecret := "pmc_"+strings.Repeat("A", 26), "pms_"+strings.Repeat("B", 26)
		_, _, err = s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf(token), ExpiresAt: s.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		// Eight tabs open the link at once: one session.
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = s.RedeemLink(ctx, hashOf(token), catalogue.ChildSession{Hash: hashOf(fmt.Sprint(sessSecret, i)), ExpiresAt: s.Now().Add(time.Hour)})
			})
		}
		wg.Wait()
		opened := 0
		for _, err := range errs {
			if err == nil {
				opened++
			} else if !errors.Is(err, catalogue.ErrNotFound) {
				t.Errorf("opening the link: %v", err)
			}
		}
		if opened != 1 {
			t.Fatalf("the link opened %d times, want once", opened)
		}
		// Only hashes are stored.
		for _, table := range []string{"offer_links", "child_sessions"} {
			rows, err := sqlstore.DumpTable(ctx, s, table)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) == 0 {
				t.Fatalf("%s is empty", table)
			}
			for _, r := range rows {
				for col, v := range r {
					if bytes.Contains(v, []byte(token)) || bytes.Contains(v, []byte(sessSecret)) {
						t.Errorf("%s.%s holds a secret in clear", table, col)
					}
				}
			}
			if h, want := rows[0]["hash"], hashOf(token); table == "offer_links" && !bytes.Equal(h, want[:]) {
				t.Errorf("offer_links.hash = %x, want the SHA-256 of the token", h)
			}
		}

		// A fresh link replaces one not yet opened; revoking ends links and sessions.
		_, _, err = s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf("second"), ExpiresAt: s.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf("third"), ExpiresAt: s.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.RedeemLink(ctx, hashOf("second"), catalogue.ChildSession{Hash: hashOf("s2"), ExpiresAt: s.Now().Add(time.Hour)})
		wantErr(t, err, catalogue.ErrNotFound)
		if err := s.RevokeLinks(ctx, officerBirmingham, o.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.RedeemLink(ctx, hashOf("third"), catalogue.ChildSession{Hash: hashOf("s3"), ExpiresAt: s.Now().Add(time.Hour)})
		wantErr(t, err, catalogue.ErrNotFound)
		links := must[[]catalogue.ChildLink](t)(s.OfferLinks(ctx, officerBirmingham, o.ID))
		if len(links) != 3 {
			t.Fatalf("%d links, want 3", len(links))
		}
		for _, l := range links {
			if l.Live(s.Now()) {
				t.Errorf("link %d is live after revoking", l.ID)
			}
		}
		for i := range errs {
			if sess, err := s.ChildSession(ctx, hashOf(fmt.Sprint(sessSecret, i))); err == nil && sess.Live(s.Now()) {
				t.Errorf("session %d is live after revoking", sess.ID)
			}
		}

		// Expiry: a link expires, and so does a session.
		_, _, err = s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf("brief"), ExpiresAt: s.Now().Add(300 * time.Millisecond)})
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf("brief2"), ExpiresAt: s.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		sess := must[catalogue.ChildSession](t)(s.RedeemLink(ctx, hashOf("brief2"), catalogue.ChildSession{Hash: hashOf("short"), ExpiresAt: s.Now().Add(300 * time.Millisecond)}))
		sqltest.Clock(t, s).Advance(400 * time.Millisecond)
		if got := must[catalogue.ChildSession](t)(s.ChildSession(ctx, hashOf("short"))); got.Live(s.Now()) {
			t.Error("the session is live after it expired")
		}
		_, err = s.RecordSay(ctx, sess, catalogue.ChildSay{Neither: true})
		wantErr(t, err, catalogue.ErrNotFound)
		_, _, err = s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf("brief3"), ExpiresAt: s.Now().Add(300 * time.Millisecond)})
		if err != nil {
			t.Fatal(err)
		}
		sqltest.Clock(t, s).Advance(400 * time.Millisecond)
		_, err = s.RedeemLink(ctx, hashOf("brief3"), catalogue.ChildSession{Hash: hashOf("s4"), ExpiresAt: s.Now().Add(time.Hour)})
		wantErr(t, err, catalogue.ErrNotFound)
	})
}

// TestPlacedRecordsTheMove: a child who leaves a placement for the offer's home needs the
// reason the placement ended; the move is in their history, in the same transaction as the
// offer, and a move not in the care plan opens the reviewing officer's review.
func TestPlacedRecordsTheMove(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 7)
		w := newOfferWorld(t, s, 1)
		start := catalogue.Day(s.Now()).AddDate(0, -3, 0)
		must[catalogue.Episode](t)(s.StartPlacement(ctx, everything, catalogue.Episode{Child: w.child.ID, Start: start, Setting: catalogue.SettingKinship}))
		o := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: w.options()}))
		o = must[catalogue.Offer](t)(s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version,
			catalogue.Decision{Accepted: true, Placement: w.homes[0].ID, Reason: "decided with the child before the link was sent"}))
		_, err := s.MarkPlaced(ctx, officerBirmingham, o.ID, o.Version, catalogue.Arrival{})
		wantField(t, err, "reason")
		if got := must[catalogue.Offer](t)(s.Offer(ctx, everything, o.ID)); got.Status != catalogue.OfferAccepted {
			t.Fatalf("a refused move changed the offer to %s", got.Status)
		}
		if h := must[[]catalogue.Episode](t)(s.History(ctx, everything, w.child.ID)); len(h) != 1 || !h[0].End.IsZero() {
			t.Fatalf("a refused move changed the history: %+v", h)
		}
		o = must[catalogue.Offer](t)(s.MarkPlaced(ctx, officerBirmingham, o.ID, o.Version,
			catalogue.Arrival{Reason: catalogue.ReasonCarerOther, Note: "the carers are retiring"}))
		h := must[[]catalogue.Episode](t)(s.History(ctx, everything, w.child.ID))
		if len(h) != 2 || h[0].Reason != catalogue.ReasonCarerOther || h[0].End.IsZero() || h[1].Placement != w.homes[0].ID {
			t.Fatalf("history after the move: %+v", h)
		}
		reviews := must[catalogue.Page[catalogue.MoveReview]](t)(s.ListMoveReviews(ctx, officerBirmingham, catalogue.MoveReviewFilter{}))
		if len(reviews.Items) != 1 || reviews.Items[0].Reason != catalogue.ReasonCarerOther {
			t.Errorf("reviews after an unplanned move: %+v", reviews.Items)
		}
	})
}

// TestCreateOffersAllOrNothing: the offers of a match run are made in one transaction: when one
// cannot be (here the second, for a child who already has an offer open), none is, and the
// error names which; when all can, all are.
func TestCreateOffersAllOrNothing(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 7)
		w := newOfferWorld(t, s, 2)
		other := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(birmingham, at(52.47, -1.88))))
		must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: other.ID, Options: w.options(), PolicyVersion: 1}))
		_, err := s.CreateOffers(ctx, officerBirmingham, []catalogue.Offer{
			{Child: w.child.ID, Options: w.options(), PolicyVersion: 1},
			{Child: other.ID, Options: w.options(), PolicyVersion: 1}, // already has one open
		})
		wantErr(t, err, catalogue.ErrConflict)
		if err != nil && !strings.Contains(err.Error(), "offers[1]") {
			t.Errorf("the error does not name the offer that could not be made: %v", err)
		}
		page := must[catalogue.Page[catalogue.Offer]](t)(s.ListOffers(ctx, officerBirmingham, catalogue.OfferFilter{Child: w.child.ID}))
		if len(page.Items) != 0 {
			t.Fatalf("the first offer was made though the second could not be: %+v", page.Items)
		}
		third := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(birmingham, at(52.46, -1.87))))
		made := must[[]catalogue.Offer](t)(s.CreateOffers(ctx, officerBirmingham, []catalogue.Offer{
			{Child: w.child.ID, Options: w.options(), PolicyVersion: 1},
			{Child: third.ID, Options: w.options(), PolicyVersion: 1},
		}))
		if len(made) != 2 || made[0].Child != w.child.ID || made[1].Child != third.ID || made[0].ID == 0 || made[1].ID == 0 {
			t.Errorf("made %+v", made)
		}
	})
}
