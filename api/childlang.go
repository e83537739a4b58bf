package api

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/childlang"
)

// The languages of the child's pages (issue 20, item 10). Every word a child reads comes from a
// message catalogue (pages/messages: English, en.json, the source; easy read English,
// en-easy.json) or from a council's translation in the directory Settings.ChildLanguagesDir,
// each checked against English when the service starts (childlang.Check: a bad or unreviewed
// file stops it, naming the file, the key and the problem). The pseudo-locales en-XA and en-XB
// (right to left) are made from English for tests and for checking a page by eye.
//
// Which language a page is in: the child's own choice on this device (the language links on every
// page, kept in a cookie beside the session's and ended with it, never in a URL), else the
// child's first language when a catalogue of it is enabled, else the service's default, else
// English. The officer's preview follows the child's first language.

// langCookie keeps the child's choice of language on the device.
const langCookie = "placematch_child_lang"

// childLangs are the catalogues the service offers children, and the pages made in each.
type childLangs struct {
	set     *childlang.Set
	enabled []string // the ids a child may choose, in order
	deflt   string
	pages   sync.Map // id -> *template.Template
}

// EnglishMessages is the source catalogue of the child's pages, which every translation is
// checked against (`placematch translations check`).
func EnglishMessages() ([]byte, error) { return pageFiles.ReadFile("pages/messages/en.json") }

// englishCatalogue parses the built-in English.
func englishCatalogue() (*childlang.Catalogue, error) {
	b, err := EnglishMessages()
	if err != nil {
		return nil, err
	}
	en, ps := childlang.Parse("en.json", b)
	if len(ps) > 0 {
		return nil, problemsError(ps)
	}
	return en, nil
}

func problemsError(ps []childlang.Problem) error {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return fmt.Errorf("child's pages' languages: %s", strings.Join(s, "; "))
}

// CheckTranslation checks a council's translation file against English: every problem, naming
// the file, the key and what is wrong.
func CheckTranslation(name string, data []byte) ([]childlang.Problem, error) {
	en, err := englishCatalogue()
	if err != nil {
		return nil, err
	}
	_, ps := childlang.Load(en, name, data)
	return ps, nil
}

// loadChildLangs reads the built-in catalogues and every *.json in dir (none when dir is
// empty). enabled are the ids a child may choose (empty: every catalogue but the
// pseudo-locales); deflt the language of a child with no choice and no catalogue of their
// first language (empty: English).
func loadChildLangs(dir string, enabled []string, deflt string) (*childLangs, error) {
	en, err := englishCatalogue()
	if err != nil {
		return nil, err
	}
	more := []*childlang.Catalogue{childlang.Pseudo(en, childlang.PseudoLTR, false), childlang.Pseudo(en, childlang.PseudoRTL, true)}
	var problems []childlang.Problem
	load := func(name string, b []byte) {
		c, ps := childlang.Load(en, name, b)
		problems = append(problems, ps...)
		if c != nil {
			more = append(more, c)
		}
	}
	builtin, err := pageFiles.ReadDir("pages/messages")
	if err != nil {
		return nil, err
	}
	for _, f := range builtin {
		if f.Name() == "en.json" || !strings.HasSuffix(f.Name(), ".json") {
			continue
		}
		b, err := pageFiles.ReadFile("pages/messages/" + f.Name())
		if err != nil {
			return nil, err
		}
		load(f.Name(), b)
	}
	if dir != "" {
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			return nil, err
		}
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("child's pages' languages: %w", err)
			}
			load(name, b)
		}
	}
	if len(problems) > 0 {
		return nil, problemsError(problems)
	}
	set := childlang.NewSet(en, more...)
	l := &childLangs{set: set, deflt: cmp.Or(deflt, childlang.English)}
	if len(enabled) == 0 {
		for _, id := range set.IDs() {
			if id != childlang.PseudoLTR && id != childlang.PseudoRTL {
				enabled = append(enabled, id)
			}
		}
	}
	for _, id := range append(slices.Clone(enabled), l.deflt) {
		if !set.Has(id) {
			return nil, fmt.Errorf("child's pages' languages: %q is not a language the service has (it has %s)", id, strings.Join(set.IDs(), ", "))
		}
	}
	if !slices.Contains(enabled, l.deflt) {
		enabled = append([]string{l.deflt}, enabled...)
	}
	l.enabled = enabled
	return l, nil
}

// langChoiceKey carries the child's choice of language (the cookie) in a request's context.
type langChoiceKey struct{}

// withLangChoice puts the child's choice of language, from their cookie, in the request.
func withLangChoice(c *gin.Context) {
	if v, err := c.Cookie(langCookie); err == nil && v != "" {
		c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), langChoiceKey{}, v))
	}
}

// printerFor is the language of a page for child ch (nil: a page about no child), and the
// languages the page offers: the child's choice on this device, their first language, their
// council's default, the service's, English; only those the council enables (its policy's
// child_languages, or every one the service offers).
func (s *server) printerFor(ctx context.Context, ch *catalogue.Child) (*childlang.Printer, []string) {
	l := s.langs
	enabled, deflt := l.enabled, l.deflt
	if ch != nil {
		if pv, err := s.store.Policy(ctx, ch.Council); err == nil {
			enabled, deflt = l.forPolicy(pv.Policy)
		}
	}
	choice, _ := ctx.Value(langChoiceKey{}).(string)
	switch {
	case choice != "" && slices.Contains(enabled, choice):
		return l.set.Printer(choice), enabled
	case ch != nil && ch.FirstLanguage != "" && slices.Contains(enabled, ch.FirstLanguage):
		return l.set.Printer(ch.FirstLanguage), enabled
	}
	return l.set.Printer(deflt), enabled
}

// forPolicy are the languages a council's children may choose and its default, from its
// policy: the service's when the policy names none (or none the service has).
func (l *childLangs) forPolicy(pol catalogue.Policy) (enabled []string, deflt string) {
	for _, id := range pol.ChildLanguages {
		if l.set.Has(id) {
			enabled = append(enabled, id)
		}
	}
	if len(enabled) == 0 {
		enabled = l.enabled
	}
	deflt = l.deflt
	if pol.ChildLanguage != "" && l.set.Has(pol.ChildLanguage) {
		deflt = pol.ChildLanguage
	}
	if !slices.Contains(enabled, deflt) {
		enabled = append([]string{deflt}, enabled...)
	}
	return enabled, deflt
}

// check refuses, in a change of a council's policy, languages the service does not have.
func (l *childLangs) check(ids *[]string, deflt *string) []catalogue.FieldError {
	var bad []catalogue.FieldError
	if ids != nil {
		for _, id := range *ids {
			if !l.set.Has(id) {
				bad = append(bad, catalogue.FieldError{Field: "child_languages",
					Message: fmt.Sprintf("%q is not a language of the child's pages here (there are %s)", id, strings.Join(l.set.IDs(), ", "))})
				break
			}
		}
	}
	if deflt != nil && *deflt != "" && !l.set.Has(*deflt) {
		bad = append(bad, catalogue.FieldError{Field: "child_language_default",
			Message: fmt.Sprintf("%q is not a language of the child's pages here (there are %s)", *deflt, strings.Join(l.set.IDs(), ", "))})
	}
	return bad
}

// langLink is one language on a page's language links.
type langLink struct {
	Lang, Name, Href string
	Current          bool
}

// pagesFor are the child's page templates in p's language, offering the languages enabled.
func (s *server) pagesFor(p *childlang.Printer, enabled []string) *template.Template {
	key := p.ID() + "|" + strings.Join(enabled, ",")
	if t, ok := s.langs.pages.Load(key); ok {
		return t.(*template.Template)
	}
	t := template.Must(pageTemplates().Clone()).Funcs(s.pageFuncs(p, enabled))
	got, _ := s.langs.pages.LoadOrStore(key, t)
	return got.(*template.Template)
}

// pageFuncs are the functions the templates put words with. t escapes only what must be
// escaped in text (&, <, >: a message has no HTML) and the values given fully, so that
// English reads byte for byte as it did when the words were in the templates.
func (s *server) pageFuncs(p *childlang.Printer, enabled []string) template.FuncMap {
	return template.FuncMap{
		"t": func(key string, args ...any) template.HTML {
			return template.HTML(p.Format(key, args, textEscaper.Replace, template.HTMLEscapeString))
		},
		"lang": p.Lang,
		"rtl":  p.RTL,
		"languageLinks": func(base string) []langLink {
			if len(enabled) < 2 {
				return nil
			}
			var out []langLink
			for _, id := range enabled {
				q := s.langs.set.Printer(id)
				out = append(out, langLink{Lang: q.Lang(), Name: q.Name(), Href: base + id, Current: id == p.ID()})
			}
			return out
		},
	}
}

var textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// basePageFuncs let the templates parse before any language is known.
var basePageFuncs = template.FuncMap{
	"t":             func(string, ...any) template.HTML { return "" },
	"lang":          func() string { return "" },
	"rtl":           func() bool { return false },
	"languageLinks": func(string) []langLink { return nil },
}

// chooseLanguage answers GET /child/language?to=ID: the child's choice of language, kept on
// this device for as long as their session, then back to their page (from=privacy: to the
// privacy notice); with no session, a page in the new language saying so. A language the
// service does not offer changes nothing.
func (s *server) chooseLanguage(c *gin.Context) error {
	s.keepLanguage(c, c.Query("to"))
	if c.Query("from") == "privacy" {
		c.Redirect(http.StatusSeeOther, "/child/privacy")
		return nil
	}
	sess, _, err := s.childSession(c)
	if err != nil {
		return pageLanguage
	}
	c.Redirect(http.StatusSeeOther, sessionPage(sess))
	return nil
}

// keepLanguage keeps the child's choice of language to on this device, for as long as a
// session lasts, and uses it for this request; a language the service does not have changes
// nothing, and one the child's council does not offer is not used (printerFor).
func (s *server) keepLanguage(c *gin.Context, to string) {
	if !s.langs.set.Has(to) {
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: to, Path: "/", MaxAge: int(s.sessionTTL / time.Second),
		HttpOnly: true, Secure: s.secureCookies(c), SameSite: http.SameSiteLaxMode})
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), langChoiceKey{}, to))
}

// endLanguage forgets the child's choice of language on this device, with their session.
func endLanguage(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// capitalise puts the first letter of s in capitals, in any script.
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Dates and times as a child reads them, in their language.

func dayMonth(l *childlang.Printer, t time.Time) string {
	return l.Text("date.day_month", "day", t.Day(), "month", l.Text(fmt.Sprintf("month.%d", int(t.Month()))))
}

func dayMonthYear(l *childlang.Printer, t time.Time) string {
	return l.Text("date.day_month_year", "day", t.Day(), "month", l.Text(fmt.Sprintf("month.%d", int(t.Month()))), "year", t.Year())
}

func weekdayDayMonth(l *childlang.Printer, t time.Time) string {
	return l.Text("date.weekday_day_month", "weekday", l.Text(fmt.Sprintf("weekday.%d", int(t.Weekday()))),
		"day", t.Day(), "month", l.Text(fmt.Sprintf("month.%d", int(t.Month()))))
}
