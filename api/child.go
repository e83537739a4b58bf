package api

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/childlang"
)

// The child's pages. An officer sends an offer, or asks the child to check in after a move, and
// passes the link (/c/TOKEN) to the child or their advocate. Opening it exchanges the token,
// once, for a session cookie and redirects to a token-free page: the offer's
// (/child/offers/ID) or the check-in's (/child/check-in, checkin_page.go). A session sees what
// its link was for and nothing else. The pages are server-rendered HTML from embedded
// templates, no script, one self-served stylesheet, in plain words, with a form for the child's
// say. Responses to children have their own types (childPage, checkInPage and their parts),
// which have no address or location field at all.

// Prefixes of the child's secrets, so that a leaked one is easy to recognise.
const (
	linkPrefix    = "pmc_"
	sessionPrefix = "pms_"
)

// The session cookie. Over TLS it takes the __Host- prefix (Secure, Path=/, no Domain: no other
// site or subdomain can set or shadow it). SameSite is Lax, not Strict: the link reaches the
// child from outside (a text message, an email), so opening it is a cross-site navigation, and
// browsers do not send Strict cookies on the redirect that follows it, which would lose the
// session at once. Lax still keeps the cookie off cross-site form posts, and every form also
// carries a per-session token.
const (
	cookieSecure   = "__Host-placematch_child"
	cookiePlain    = "placematch_child"
	defaultSession = 24 * time.Hour
	maxFormBytes   = 32 << 10
)

//go:embed pages
var pageFiles embed.FS

// pageTemplates and childCSS are parsed and read when first used (New asks for them, so
// that a broken template stops the server starting), not at init: commands that serve no pages
// do not pay for them.
var pageTemplates = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(basePageFuncs).ParseFS(pageFiles, "pages/*.html"))
})

var childCSS = sync.OnceValue(func() []byte {
	b, err := pageFiles.ReadFile("pages/child.css")
	if err != nil {
		panic(err)
	}
	return b
})

// childPage is everything the child's page shows, and the JSON a child's session can read.
type childPage struct {
	FirstName string        `json:"first_name"`
	CanChoose bool          `json:"can_choose"`
	Choices   []childChoice `json:"choices"`
	Together  []string      `json:"brothers_and_sisters,omitempty"`
	// Stay says how long the homes would be for (the child's placement purpose).
	Stay string `json:"length_of_stay"`
	// Next says what happens next, who decides and by when, and how to disagree.
	Next []string `json:"what_happens_next,omitempty"`
	// Confidential says why the page names no area and nobody in a household, when the child's
	// safety requires it (catalogue.Child.Confidential); empty otherwise.
	Confidential string `json:"confidential,omitempty"`
	// ForAdult, for a child too young to be sent their own link, tells the grown-up going
	// through the page with them what to do; Helpers are who that may be.
	ForAdult string         `json:"for_the_grown_up,omitempty"`
	Helpers  []helperOption `json:"-"`
	Say      childSayView   `json:"your_say"`
	Decision string         `json:"decision,omitempty"`
	// Review says how to ask for the decision to be looked at again.
	Review  string `json:"how_to_ask_for_a_review,omitempty"`
	OfferID int64  `json:"-"`
	CSRF    string `json:"-"`
	Saved   bool   `json:"-"`
	// Preview marks the page the officer previews (workspace_officer_offers.go): no link, no session,
	// and nothing can be sent from it.
	Preview  bool              `json:"-"`
	Errors   []pageError       `json:"-"`
	FieldErr map[string]string `json:"-"`
	// LookAgain is, once the offer is decided, whether the child may ask their independent
	// reviewing officer to look again at the decision, or has asked.
	LookAgain *lookAgainView `json:"-"`
	lang      *childlang.Printer
	langs     []string // the languages the page offers
}

// lookAgainView is the part of a decided offer's page that asks the IRO to look again.
type lookAgainView struct {
	Asked bool   // asked, and not answered yet
	Why   string // what the child wrote, on a mistake
}

// childChoice is one home as the child sees it: never its address, never where it is beyond the
// name of its area.
type childChoice struct {
	Number        int      `json:"number"`
	Value         string   `json:"value"`
	Title         string   `json:"title"`
	Area          string   `json:"area"`
	Kind          string   `json:"kind"`
	WhoLivesThere []string `json:"who_lives_there"`
	Pets          string   `json:"pets"`
	Distances     []string `json:"how_far"`
	// School says plainly whether the child would keep their school; empty when not at school.
	School string `json:"your_school,omitempty"`
	// AfterEighteen says, for a young person of 16 or over on the day of the move, whether they
	// could stay on after they turn 18 (Staying Put); empty for younger children.
	AfterEighteen string   `json:"after_you_turn_18,omitempty"`
	GoodAt        []string `json:"good_at"`
	Languages     string   `json:"languages,omitempty"`
	TheirWords    string   `json:"in_their_own_words,omitempty"`
	YouChose      bool     `json:"you_chose_this"`
}

type childSayView struct {
	Choice     string `json:"choice"` // a choice's value, "neither", "unsure", or "" when not given
	InOwnWords string `json:"in_own_words"`
	Advocate   bool   `json:"advocate_requested"`
	With       string `json:"gone_through_with,omitempty"`
	Given      bool   `json:"given"`
}

type pageError struct {
	Anchor  string
	Message string
}

// kindPage is what a child sees when something is not right: a title, a sentence and what to
// do, and nothing else.
type kindPage struct {
	Status int
	Key    string // its words in the catalogue: kind.KEY.title, .message and .next
}

func (k *kindPage) Error() string { return fmt.Sprintf("%d %s", k.Status, k.Key) }

// The kind pages; their words are the catalogue's kind.KEY.title, .message and .next.
var (
	pageLinkGone     = &kindPage{Status: http.StatusNotFound, Key: "link_gone"}
	pageSessionEnded = &kindPage{Status: http.StatusUnauthorized, Key: "session_ended"}
	pageNotFound     = &kindPage{Status: http.StatusNotFound, Key: "not_found"}
	pageTooMany      = &kindPage{Status: http.StatusTooManyRequests, Key: "too_many"}
	pageTryAgain     = &kindPage{Status: http.StatusForbidden, Key: "try_again"}
	pageOpenRefused  = &kindPage{Status: http.StatusForbidden, Key: "open_refused"}
	pageLeft         = &kindPage{Status: http.StatusOK, Key: "left"}
	pageBroken       = &kindPage{Status: http.StatusInternalServerError, Key: "broken"}
	pageUnavailable  = &kindPage{Status: http.StatusServiceUnavailable, Key: "broken"}
	// pageLanguage: the language was changed with no session to go back to.
	pageLanguage = &kindPage{Status: http.StatusOK, Key: "language"}
)

// childHeaders are the headers of every response to a child: a strict Content-Security-Policy
// (no script at all, style only from this site, no framing, forms only to this site), no
// sniffing, no referrer (the link's token must not travel on), and nothing cached.
func childHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	if c.Request.TLS != nil {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
}

// childRoute adapts a child page handler: the headers, and errors shown as kind pages (never
// problem+json, never a stack).
func (s *server) childRoute(h handlerFunc) handlerFunc {
	return func(c *gin.Context) error {
		childHeaders(c)
		withLangChoice(c)
		if err := h(c); err != nil {
			var k *kindPage
			if !errors.As(err, &k) {
				switch {
				case s.clientGone(c, err): // the child hung up: nobody to show a page to
					return nil
				case errors.Is(err, catalogue.ErrNotFound):
					k = pageNotFound
				case errors.Is(err, catalogue.ErrUnavailable):
					s.log.WarnContext(c.Request.Context(), "child page: database unavailable", "route", c.FullPath(), "err", err)
					k = pageUnavailable
				default:
					s.log.ErrorContext(c.Request.Context(), "child page failed", "route", c.FullPath(), "err", err)
					k = pageBroken
				}
			}
			switch k.Status {
			case http.StatusTooManyRequests:
				c.Header("Retry-After", "60")
			case http.StatusServiceUnavailable:
				c.Header("Retry-After", retryUnavailable)
			}
			s.renderPage(c, k.Status, "kind.html", k)
		}
		return nil
	}
}

// printed is a page that knows its language (the child's); any other is in the language of
// the request (printerFor).
type printed interface {
	printer() (*childlang.Printer, []string)
}

func (v childPage) printer() (*childlang.Printer, []string)   { return v.lang, v.langs }
func (v checkInPage) printer() (*childlang.Printer, []string) { return v.lang, v.langs }
func (v privacyPage) printer() (*childlang.Printer, []string) { return v.lang, v.langs }

func (s *server) renderPage(c *gin.Context, status int, name string, data any) {
	var l *childlang.Printer
	var enabled []string
	if p, ok := data.(printed); ok {
		l, enabled = p.printer()
	}
	if l == nil {
		l, enabled = s.printerFor(c.Request.Context(), nil)
	}
	var buf bytes.Buffer
	if err := s.pagesFor(l, enabled).ExecuteTemplate(&buf, name, data); err != nil {
		s.log.ErrorContext(c.Request.Context(), "render page", "page", name, "err", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("Sorry, something went wrong."))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

func (s *server) secureCookies(c *gin.Context) bool { return s.secure || c.Request.TLS != nil }

func (s *server) setSessionCookie(c *gin.Context, secret string, maxAge int) {
	setSecretCookie(c, cookieSecure, cookiePlain, secret, maxAge, s.secureCookies(c), http.SameSiteLaxMode)
}

// sessionSecret is the session cookie's value, if any.
func sessionSecret(c *gin.Context) string {
	return cookieSecret(c, sessionPrefix, cookieSecure, cookiePlain)
}

// childSession returns the live session of the request.
func (s *server) childSession(c *gin.Context) (catalogue.ChildSession, string, error) {
	secret := sessionSecret(c)
	if secret == "" {
		return catalogue.ChildSession{}, "", pageSessionEnded
	}
	sess, err := s.store.ChildSession(c.Request.Context(), catalogue.HashSecret(secret))
	switch {
	case errors.Is(err, catalogue.ErrNotFound):
		return catalogue.ChildSession{}, "", pageSessionEnded
	case err != nil:
		return catalogue.ChildSession{}, "", err
	case !sess.Live(s.now()):
		return catalogue.ChildSession{}, "", pageSessionEnded
	}
	return sess, secret, nil
}

// sessionFor returns the live session of the request, which must be for the offer in the path:
// one child's session never reads another child's offer, and a check-in's session no offer.
func (s *server) sessionFor(c *gin.Context) (catalogue.ChildSession, string, error) {
	sess, secret, err := s.childSession(c)
	if err != nil {
		return sess, secret, err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || !sess.ForOffer(catalogue.OfferID(id)) {
		return catalogue.ChildSession{}, "", pageNotFound
	}
	return sess, secret, nil
}

// sessionPage is the token-free address of what the session is for.
func sessionPage(sess catalogue.ChildSession) string {
	if sess.ForCheckIn() {
		return checkInPath
	}
	return "/child/offers/" + sess.Offer.String()
}

// formSubject is what a session's forms are about, which their token is bound to.
func formSubject(sess catalogue.ChildSession) string {
	if sess.ForCheckIn() {
		return "check-in " + sess.Child.String()
	}
	return "offer " + sess.Offer.String()
}

// sameSite says whether a form came from this site, when the browser says where it came from.
func sameSite(c *gin.Context) bool {
	if site := c.GetHeader("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return false
	}
	if o := c.GetHeader("Origin"); o != "" && o != "null" {
		u, err := url.Parse(o)
		if err != nil || u.Host != c.Request.Host {
			return false
		}
	}
	return true
}

// csrfToken is the form token of a session: an HMAC keyed by the session's secret, so it needs
// no storage and cannot be made without the cookie.
func csrfToken(secret string, sess catalogue.ChildSession) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("placematch child form " + formSubject(sess)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF checks a form came from the session's own page: its token, and, when the browser
// says, from this site.
func checkCSRF(c *gin.Context, secret string, sess catalogue.ChildSession) bool {
	if !sameSite(c) {
		return false
	}
	got := c.PostForm("csrf")
	return got != "" && hmac.Equal([]byte(got), []byte(csrfToken(secret, sess)))
}

// doorPage is what a child's link shows before it is used: one button, which opens the page.
type doorPage struct {
	Action string // the link itself: the form posts back to it
}

// showDoor answers GET and HEAD /c/{token}: a page with one button, and nothing used up.
// Messaging apps and mail scanners (WhatsApp's preview, Outlook's Safe Links and the like) fetch
// a link before the person does; were a GET to open the session, the child would find their link
// already spent. Only the button's POST (openLink) redeems it. A link that no longer works is
// answered here as it would be there, and counts as a failed try.
func (s *server) showDoor(c *gin.Context) error {
	token, err := s.liveToken(c)
	if err != nil || token == "" {
		return err
	}
	c.Header("X-Robots-Tag", "noindex, nofollow")
	if to := c.Query("lang"); to != "" {
		s.keepLanguage(c, to)
	}
	s.renderPage(c, http.StatusOK, "door.html", doorPage{Action: c.Request.URL.Path})
	return nil
}

// liveToken returns the path's token if it is a live link. Otherwise it has answered the request
// (afterBadLink) or returns the error to show, and the token is "". The token is looked up first
// and only failed attempts count against the limits, per address and in total (attemptLimiter):
// guessing elsewhere never keeps a child with a working link out, and an address that has used
// its tries is refused before its next guess is looked up.
func (s *server) liveToken(c *gin.Context) (string, error) {
	ip := c.ClientIP()
	if !s.links.mayTry(ip) {
		return "", pageTooMany
	}
	token := c.Param("token")
	if !strings.HasPrefix(token, linkPrefix) || len(token) > 100 {
		return "", s.afterBadLink(c, ip)
	}
	// A read first, which a guess costs the database; only a live link is redeemed.
	if live, err := s.store.LinkLive(c.Request.Context(), catalogue.HashSecret(token)); err != nil {
		return "", err
	} else if !live {
		return "", s.afterBadLink(c, ip)
	}
	return token, nil
}

// openLink answers POST /c/{token}, the door's button: the token, once, for a session cookie,
// and a 303 to the token-free page of what the link is for. A post from another site is refused
// (a page elsewhere must not open a session in the child's browser).
func (s *server) openLink(c *gin.Context) error {
	if !sameSite(c) {
		return pageOpenRefused
	}
	token, err := s.liveToken(c)
	if err != nil || token == "" {
		return err
	}
	secret, hash := catalogue.NewSecret(sessionPrefix)
	ttl := s.sessionTTL
	ctx := catalogue.WithActor(c.Request.Context(), catalogue.Actor{Reason: "the child, opening their private link",
		Request: c.GetString(keyRequestID)})
	sess, err := s.store.RedeemLink(ctx, catalogue.HashSecret(token),
		catalogue.ChildSession{Hash: hash, ExpiresAt: s.now().Add(ttl)})
	if errors.Is(err, catalogue.ErrNotFound) {
		return s.afterBadLink(c, c.ClientIP())
	} else if err != nil {
		return err
	}
	s.setSessionCookie(c, secret, int(ttl/time.Second))
	c.Redirect(http.StatusSeeOther, sessionPage(sess))
	return nil
}

// afterBadLink sends a child whose link no longer works, but whose session still does, back to
// their page; anyone else's attempt counts as failed, and gets the kind message (or, beyond the
// limits, the message to wait).
func (s *server) afterBadLink(c *gin.Context, ip string) error {
	if sess, _, err := s.childSession(c); err == nil {
		c.Redirect(http.StatusSeeOther, sessionPage(sess))
		return nil
	}
	if s.links.failed(ip) {
		return pageTooMany
	}
	return pageLinkGone
}

// childView builds the child's page for their offer.
func (s *server) childView(ctx context.Context, sess catalogue.ChildSession, o catalogue.Offer) (childPage, error) {
	sc := catalogue.Scope{Council: sess.Council}
	// The page is the session's child's: the child, or a brother or sister offered with them
	// through their own link (issue 20, item 2), with their own distances and their own say.
	whose, say := o.Child, o.Say
	if sess.Child != 0 && sess.Child != o.Child && slices.Contains(o.Siblings, sess.Child) {
		whose, say = sess.Child, o.SiblingSays[sess.Child]
	}
	ch, err := s.store.Child(ctx, sc, whose)
	if err != nil {
		return childPage{}, err
	}
	if whose != o.Child && !ch.Confidential {
		// A placement kept confidential for one child of the group is kept so for all of them.
		lead, err := s.store.Child(ctx, sc, o.Child)
		if err != nil {
			return childPage{}, err
		}
		ch.Confidential = lead.Confidential
	}
	l, langs := s.printerFor(ctx, &ch)
	v := childPage{FirstName: ch.FirstName, CanChoose: o.Status.Sent(), OfferID: int64(o.ID), Choices: []childChoice{},
		Stay: stayWords(l, ch), lang: l, langs: langs}
	if ch.Confidential {
		v.Confidential = l.Text("offer.confidential")
	}
	if o.Decision == nil {
		v.Next = nextWords(l, ch, s.now())
	}
	if young, from, err := s.tooYoungForLink(ctx, ch); err != nil {
		return childPage{}, err
	} else if young {
		v.ForAdult, v.Helpers = forAdultWords(l, ch, from), helperOptions(l, ch)
	}
	together, err := s.togetherWords(ctx, l, sc, ch, o)
	if err != nil {
		return childPage{}, err
	}
	v.Together = together
	// Staying Put is for young people of 16 or over on the day of the move (as matching counts it).
	day := catalogue.Day(s.now())
	if nb := catalogue.Day(ch.NeededBy); nb.After(day) {
		day = nb
	}
	older := ch.AgeOn(day) >= catalogue.StayingPutAge
	choices := o.Choices()
	homes := make([]catalogue.Placement, len(choices))
	for i, op := range choices {
		if homes[i], err = s.store.Placement(ctx, catalogue.Everything, op.Placement); err != nil {
			return childPage{}, err
		}
	}
	titles := distinctTitles(l, homes, ch.Confidential)
	for i, op := range choices {
		if whose != o.Child {
			op = ownDistances(ch, op, homes[i])
		}
		cv := choiceView(l, i+1, ch, op, homes[i], say.Preference == op.Placement)
		cv.Title = titles[i]
		if older {
			cv.AfterEighteen = afterEighteenWords(l, &homes[i])
		}
		v.Choices = append(v.Choices, cv)
	}
	v.Say = childSayView{InOwnWords: say.InOwnWords, Advocate: say.AdvocateRequested, With: string(say.With), Given: !say.At.IsZero()}
	switch {
	case say.Neither:
		v.Say.Choice = "neither"
	case say.Preference != 0:
		v.Say.Choice = say.Preference.String()
	case !say.At.IsZero():
		v.Say.Choice = "unsure"
	}
	if d := o.Decision; d != nil {
		title, area := "", ""
		if d.Accepted {
			p, err := s.store.Placement(ctx, catalogue.Everything, d.Placement)
			if err != nil {
				return childPage{}, err
			}
			title = homeTitle(l, p, ch.Confidential)
			for i, h := range homes {
				if h.ID == p.ID {
					title = titles[i]
				}
			}
			if !ch.Confidential {
				area = p.AreaName
			}
		}
		v.Decision, v.Review = decisionWords(l, *d, title, area)
	}
	return v, nil
}

// lowerFirst is a home's title in the middle of a sentence: "a children's home".
func lowerFirst(l *childlang.Printer, s string) string {
	if a := l.Text("lower_first.a"); strings.HasPrefix(s, a) {
		return l.Text("lower_first.a_lower") + s[len(a):]
	}
	return s
}

// togetherWords says whether brothers and sisters would come too: the same for every choice,
// since they move together or not at all.
func (s *server) togetherWords(ctx context.Context, l *childlang.Printer, sc catalogue.Scope, ch catalogue.Child, o catalogue.Offer) ([]string, error) {
	if ch.SiblingGroup == 0 {
		return nil, nil
	}
	g, err := s.store.SiblingGroup(ctx, sc, ch.SiblingGroup)
	if errors.Is(err, catalogue.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var moving, staying []catalogue.Child
	for _, id := range g.Members {
		if id == ch.ID {
			continue
		}
		m, err := s.store.Child(ctx, sc, id)
		if errors.Is(err, catalogue.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		if id == o.Child || slices.Contains(o.Siblings, id) {
			moving = append(moving, m)
		} else {
			staying = append(staying, m)
		}
	}
	var out []string
	if len(moving) > 0 {
		out = append(out, l.Text("together.moving", "siblings", siblingsWords(l, moving)))
	}
	if len(staying) > 0 {
		who := l.Text("pronoun.them.plural")
		if len(staying) == 1 {
			who = them(l, staying[0].Sex)
		}
		out = append(out, l.Text("together.staying", "siblings", siblingsWords(l, staying), "them", who))
	}
	return out, nil
}

// choiceView is one home as the child sees it. On a confidential page (the child's mark) it
// names no area and nobody in the household, leaves out the carers' own words (which may name
// them or their street) and gives no distance from anyone: the child's school is said to be kept
// or not, without how far.
func choiceView(l *childlang.Printer, n int, ch catalogue.Child, op catalogue.Option, p catalogue.Placement, chosen bool) childChoice {
	secret := ch.Confidential
	v := childChoice{
		Number: n, Value: op.Placement.String(), Title: homeTitle(l, p, secret), Area: p.AreaName, Kind: kindWords(l, p.Kind),
		WhoLivesThere: whoLivesThere(l, p, !secret), Pets: petsWords(l, p.Household.Pets), GoodAt: goodAt(l, p),
		Languages: languagesWords(l, p.Languages), TheirWords: redactContact(strings.TrimSpace(p.ProfileForChildren())), YouChose: chosen,
		Distances: []string{}, School: schoolWords(l, ch),
	}
	if secret {
		v.Area, v.TheirWords = "", ""
	} else {
		v.Distances = distancesFrom(l, ch, op)
	}
	if len(v.GoodAt) == 0 {
		v.GoodAt = []string{l.Text("good_at.ask")}
	}
	return v
}

// distancesFrom says how far a home is from the school and from the people the child sees in
// person: "from Mum" for direct contact, "from where you see Dad" at a recorded contact centre;
// never from anyone who must not know where the child lives.
func distancesFrom(l *childlang.Printer, ch catalogue.Child, op catalogue.Option) []string {
	out := []string{}
	if ch.School != nil && op.SchoolKm >= 0 {
		out = append(out, l.Text("distance.school", "distance", capitalise(milesWords(l, op.SchoolKm)), "school", ch.School.Name))
	}
	for i, km := range op.ContactKm {
		if i >= len(ch.Contacts) {
			break
		}
		if km < 0 {
			continue
		}
		switch k := ch.Contacts[i]; {
		case k.Type == catalogue.ContactDirect && !k.MustNotKnow:
			out = append(out, l.Text("distance.person", "distance", capitalise(milesWords(l, km)), "person", personWords(l, k)))
		case k.Type == catalogue.ContactSupervised && k.Centre != nil:
			out = append(out, l.Text("distance.where_you_see", "distance", capitalise(milesWords(l, km)), "person", personWords(l, k)))
		}
	}
	return out
}

// showOffer answers GET /child/offers/{id}: the child's page.
func (s *server) showOffer(c *gin.Context) error {
	sess, secret, err := s.sessionFor(c)
	if err != nil {
		return err
	}
	v, err := s.childPageFor(c, sess)
	if err != nil {
		return err
	}
	v.CSRF = csrfToken(secret, sess)
	v.Saved = c.Query("saved") == "1" && v.Say.Given
	s.renderPage(c, http.StatusOK, "offer.html", v)
	return nil
}

// childPageFor reads the session's offer, builds the page and audits the child's read.
func (s *server) childPageFor(c *gin.Context, sess catalogue.ChildSession) (childPage, error) {
	ctx := c.Request.Context()
	o, err := s.store.Offer(ctx, catalogue.Scope{Council: sess.Council}, sess.Offer)
	if err != nil {
		return childPage{}, err
	}
	if o.Status == catalogue.OfferWithdrawn {
		return childPage{}, pageSessionEnded
	}
	v, err := s.childView(ctx, sess, o)
	if err != nil {
		return childPage{}, err
	}
	if hs, ok := s.store.(catalogue.HelpStore); ok && o.Status.Decided() {
		asked, err := hs.HelpRequests(ctx, catalogue.Scope{Council: sess.Council}, catalogue.HelpFilter{Kind: catalogue.HelpLookAgain, Child: o.Child, Limit: catalogue.MaxLimit})
		if err != nil {
			return childPage{}, err
		}
		v.LookAgain = &lookAgainView{}
		for _, h := range asked.Items {
			v.LookAgain.Asked = v.LookAgain.Asked || h.Offer == o.ID
		}
	}
	err = s.store.AppendAudit(ctx, catalogue.AuditEntry{At: s.now(), Action: "child_view", Subject: "offer:" + o.ID.String(),
		Council: o.Council, Reason: "the child's own page (session " + strconv.FormatInt(sess.ID, 10) + ")",
		Request: c.GetString(keyRequestID)})
	return v, err
}

// offerJSON answers GET /child/offers/{id}/json: the same as the page, as JSON.
func (s *server) offerJSON(c *gin.Context) error {
	sess, _, err := s.sessionFor(c)
	if err != nil {
		return err
	}
	v, err := s.childPageFor(c, sess)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

// saveSay answers POST /child/offers/{id}: the child's choice, their words and whether they want
// an advocate. Mistakes are shown next to the field, in plain words; a saved answer redirects
// back to the page (303), which thanks them.
func (s *server) saveSay(c *gin.Context) error {
	sess, secret, err := s.sessionFor(c)
	if err != nil {
		return err
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
	if err := c.Request.ParseForm(); err != nil {
		return pageTryAgain
	}
	if !checkCSRF(c, secret, sess) {
		return pageTryAgain
	}
	v, err := s.childPageFor(c, sess)
	if err != nil {
		return err
	}
	v.CSRF = csrfToken(secret, sess)
	choice, words := c.PostForm("choice"), childText(c.PostForm("words"))
	advocate := c.PostForm("advocate") == "yes"
	with := c.PostForm("with")
	v.Say = childSayView{Choice: choice, InOwnWords: words, Advocate: advocate, With: with, Given: v.Say.Given}
	v.FieldErr = map[string]string{}
	say := catalogue.ChildSay{InOwnWords: words, AdvocateRequested: advocate}
	first := "choice-unsure"
	if len(v.Choices) > 0 {
		first = "choice-" + v.Choices[0].Value
	}
	l := v.lang
	switch choice {
	case "":
		v.FieldErr["choice"] = l.Text("offer.error.choose")
		if len(v.Choices) == 1 {
			v.FieldErr["choice"] = l.Text("offer.error.choose_one")
		}
	case "neither":
		say.Neither = true
	case "unsure":
	default:
		id, err := strconv.ParseInt(choice, 10, 64)
		ok := false
		for _, ch := range v.Choices {
			ok = ok || ch.Value == choice
		}
		if err != nil || !ok {
			v.FieldErr["choice"] = l.Text("offer.error.gone")
			v.Say.Choice = ""
		} else {
			say.Preference = catalogue.PlacementID(id)
		}
	}
	if !utf8.ValidString(words) {
		v.FieldErr["words"] = l.Text("offer.error.unreadable")
	} else if n := utf8.RuneCountInString(words); n > catalogue.MaxWordsLen {
		v.FieldErr["words"] = l.Text("offer.error.too_long", "max", catalogue.MaxWordsLen, "count", n)
	}
	if msg, ok := v.FieldErr["choice"]; ok {
		v.Errors = append(v.Errors, pageError{Anchor: first, Message: msg})
	}
	if msg, ok := v.FieldErr["words"]; ok {
		v.Errors = append(v.Errors, pageError{Anchor: "words", Message: msg})
	}
	if len(v.Helpers) > 0 {
		// A young child's page: the grown-up who went through it with them says who they are.
		if h := catalogue.Helper(with); h.Valid() {
			say.With = h
		} else {
			v.FieldErr["with"] = l.Text("offer.error.with", "name", v.FirstName)
			v.Say.With = ""
			v.Errors = append(v.Errors, pageError{Anchor: "with-" + v.Helpers[0].Value, Message: v.FieldErr["with"]})
		}
	}
	if !v.CanChoose {
		v.Errors = append(v.Errors, pageError{Anchor: "decision", Message: l.Text("offer.error.decided")})
	}
	if len(v.Errors) > 0 {
		s.renderPage(c, http.StatusBadRequest, "offer.html", v)
		return nil
	}
	who := "the child"
	if say.With != "" {
		who = "the child, with their " + strings.ReplaceAll(string(say.With), "_", " ") + " going through the page with them,"
	}
	ctx := catalogue.WithActor(c.Request.Context(), catalogue.Actor{
		Reason: who + " through their private page (session " + strconv.FormatInt(sess.ID, 10) + ")", Request: c.GetString(keyRequestID)})
	if _, err := s.store.RecordSay(ctx, sess, say); err != nil {
		switch {
		case errors.Is(err, catalogue.ErrNotFound):
			return pageSessionEnded
		case errors.Is(err, catalogue.ErrConflict), errors.Is(err, catalogue.ErrInvalid):
			// Decided or changed since the page was read: show the page as it is now.
			now, err2 := s.childPageFor(c, sess)
			if err2 != nil {
				return err2
			}
			now.CSRF = v.CSRF
			now.Errors = []pageError{{Anchor: "say", Message: now.lang.Text("offer.error.changed")}}
			s.renderPage(c, http.StatusConflict, "offer.html", now)
			return nil
		}
		return err
	}
	c.Redirect(http.StatusSeeOther, "/child/offers/"+sess.Offer.String()+"?saved=1")
	return nil
}

// leavePage answers POST /child/leave: the session ends, the cookie goes.
func (s *server) leavePage(c *gin.Context) error {
	sess, secret, err := s.childSession(c)
	if err != nil {
		return err
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
	if err := c.Request.ParseForm(); err != nil || !checkCSRF(c, secret, sess) {
		return pageTryAgain
	}
	if err := s.store.EndChildSession(c.Request.Context(), sess.ID); err != nil {
		return err
	}
	s.setSessionCookie(c, "", -1)
	endLanguage(c)
	return pageLeft
}

// childStyle answers GET /child/style.css.
func (s *server) childStyle(c *gin.Context) error {
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "text/css; charset=utf-8", childCSS())
	return nil
}

// lookAgain answers POST /child/offers/{id}/look-again: once the offer is decided, the child
// asks their independent reviewing officer to look again at the decision, saying why if they
// want to; then the page again (303), saying so. Too many words are shown next to the field.
func (s *server) lookAgain(c *gin.Context) error {
	sess, secret, err := s.sessionFor(c)
	if err != nil {
		return err
	}
	hs, ok := s.store.(catalogue.HelpStore)
	if !ok {
		return pageNotFound
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
	if err := c.Request.ParseForm(); err != nil || !checkCSRF(c, secret, sess) {
		return pageTryAgain
	}
	why := childText(c.PostForm("why"))
	if !utf8.ValidString(why) || utf8.RuneCountInString(why) > catalogue.MaxShared {
		v, err := s.childPageFor(c, sess)
		if err != nil {
			return err
		}
		v.CSRF = csrfToken(secret, sess)
		if v.LookAgain != nil {
			v.LookAgain.Why = why
		}
		v.FieldErr = map[string]string{"why": v.lang.Text("look_again.too_long", "max", catalogue.MaxShared)}
		v.Errors = []pageError{{Anchor: "why", Message: v.FieldErr["why"]}}
		s.renderPage(c, http.StatusBadRequest, "offer.html", v)
		return nil
	}
	ctx := catalogue.WithActor(c.Request.Context(), catalogue.Actor{
		Reason: "the child, through their private page (session " + strconv.FormatInt(sess.ID, 10) + ")", Request: c.GetString(keyRequestID)})
	if _, err := hs.LookAgain(ctx, sess, why); err != nil {
		switch {
		case errors.Is(err, catalogue.ErrNotFound):
			return pageSessionEnded
		case errors.Is(err, catalogue.ErrConflict):
			// Not decided yet, or asked already: the page as it is says which.
			c.Redirect(http.StatusSeeOther, "/child/offers/"+sess.Offer.String())
			return nil
		}
		return err
	}
	c.Redirect(http.StatusSeeOther, "/child/offers/"+sess.Offer.String()+"#look-again")
	return nil
}
