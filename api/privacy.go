package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/internal/childlang"
)

// The privacy notice for children (issue 20, item 11): what UK GDPR articles 12 to 14 ask a
// controller to tell the people whose data it holds, "in a concise, transparent, intelligible
// and easily accessible form, using clear and plain language, in particular for any information
// addressed specifically to a child" (article 12(1)), written as the ICO's Age Appropriate Design
// Code (the Children's Code, standard 4, transparency) asks: short, in the child's words, at the
// point of use (the offer and check-in pages link to it). It says who is in charge of the data
// (article 13(1)(a)), why it is used and on what basis (13(1)(c): the council's duty to find the
// child a home that meets their needs, Children Act 1989 s22C, a public task under article
// 6(1)(e), with special category data under article 9(2)(g) and the Data Protection Act 2018
// Schedule 1 paragraph 6, statutory purposes), how the homes were suggested and that people, not
// the computer, decide (article 13(2)(f) and 22), who sees the answers (13(1)(e)), how long
// each thing is kept (13(2)(a)): the periods come from the service's configuration (the
// retention job's own settings, catalogue.RetentionPeriods), never from the text, so the notice
// cannot drift from what is done; and the child's rights, with where to complain (13(2)(b), (d)).
// It holds nothing about any child, so it needs no session.

// privacyPage is the notice: its few facts that come from configuration, in words.
type privacyPage struct {
	LinkDays     string // how long a link works for, at most, unless the officer says otherwise
	SessionFor   string // how long a page stays open once a link is opened
	LinksKept    string // how long links and sessions are kept after they stop working
	ClosedKept   string // how long a closed record is kept
	AuditKept    string // how long the record of who looked is kept
	CaseFileUpTo string // until when the council's case record is kept
	lang         *childlang.Printer
	langs        []string
}

// auditYears is how long the audit log is kept: not a setting of the service but the database
// owner's pruning (docs/operations.md).
const auditYears = 7

// privacyNotice answers GET /child/privacy.
func (s *server) privacyNotice(c *gin.Context) error {
	l, langs := s.printerFor(c.Request.Context(), nil)
	s.renderPage(c, http.StatusOK, "privacy.html", privacyPage{
		LinkDays:     durationWords(l, defaultLinkDays*24*time.Hour),
		SessionFor:   durationWords(l, s.sessionTTL),
		LinksKept:    durationWords(l, s.retention.LinksAfter),
		ClosedKept:   durationWords(l, s.retention.ClosedAfter),
		AuditKept:    durationWords(l, auditYears*365*24*time.Hour),
		CaseFileUpTo: l.Text("privacy.until_75"), // Care Planning, Placement and Case Review (England) Regulations 2010, regulation 50
		lang:         l, langs: langs,
	})
	return nil
}

// durationWords says a period as a child would: "24 hours", "14 days", "a month", "2 years" (days up to a month, not weeks).
func durationWords(l *childlang.Printer, d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d < 2*day && d%time.Hour == 0:
		return l.Text("duration.hours", "count", int64(d/time.Hour))
	case d < 2*day:
		return l.Text("duration.minutes", "count", int64(d/time.Minute))
	case d%(365*day) == 0:
		return l.Text("duration.years", "count", int64(d/(365*day)))
	case d%(30*day) == 0 && d < 365*day:
		return l.Text("duration.months", "count", int64(d/(30*day)))
	}
	return l.Text("duration.days", "count", int64((d+day-1)/day))
}
