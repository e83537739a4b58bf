package api

import (
	"errors"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/childlang"
)

// The child's check-in page. After a move, at the days agreed with the child, their officer
// sends a check-in link (POST /v1/children/{id}/check-in-links); opening it gives a session for
// the child's check-ins and nothing else, and a 303 to /child/check-in. The page asks four short
// questions (settled, safe, getting on with the people they live with, seeing the people who
// matter), each answered with a face or in words, every one optional, and what would help in
// their own words; the child can ask for an advocate, or say they would rather not. It is the
// child's own voice: their council's officers see it, with the trend and flags, as a prompt to
// talk with the child; nothing is decided by it. The page never shows where the child lives.

const checkInPath = "/child/check-in"

// checkInPage is everything the check-in page shows. It has no address or location field.
type checkInPage struct {
	FirstName string
	Due       bool   // a check-in is due: the invitation says so
	Last      string // the day of the child's last check-in about where they live now, in words
	Way       string // faces or words: how the answers are shown
	// AfterEighteen tells a young person of 16 or 17 about Staying Put or Staying Close where
	// they live now; empty for anyone else.
	AfterEighteen string
	Questions     []questionView
	WouldHelp     string
	Advocate      bool
	// ShareWithAdvocate: the child lets the advocate read their words (only with Advocate).
	ShareWithAdvocate bool
	CSRF              string
	Errors            []pageError
	FieldErr          map[string]string
	// Thanks is set after a check-in was saved: what the child told us.
	Thanks *savedCheckIn
	// Help is set when the check-in saved raised an alert: who will see it and when, and where
	// to get help now.
	Help *alertHelp
	// NothingSaved: the child said they would rather not, or answered nothing.
	NothingSaved bool
	lang         *childlang.Printer
	langs        []string // the languages the page offers
}

// questionView is one question and its answers, lowest first, then "I'd rather not say".
type questionView struct {
	Name    string // the form field: settled, safe, getting_on, seeing
	Legend  string
	Hint    string
	Answers []answerView
	Skip    answerView // "I'd rather not say": no answer
	First   string     // the id of the first answer, for the error summary's link
}

type answerView struct {
	ID      string
	Value   string // the answer's word; empty for no answer
	Words   string
	Mouth   string // the face's mouth, an SVG path
	Checked bool
}

// savedCheckIn is what the thank-you says the child told us.
type savedCheckIn struct {
	Told      []toldView
	WouldHelp string
	Advocate  bool
}

type toldView struct{ Question, Answer string }

// mouths draw each answer's face: from a frown for "No" to a big smile for "Yes".
var mouths = map[catalogue.Answer]string{
	catalogue.AnswerNo:        "M12 29 Q20 21 28 29",
	catalogue.AnswerNotReally: "M13 28 Q20 24.5 27 28",
	catalogue.AnswerSortOf:    "M13 26.5 L27 26.5",
	catalogue.AnswerMostly:    "M13 25 Q20 29.5 27 25",
	catalogue.AnswerYes:       "M11 24 Q20 34 29 24",
}

var (
	pageNoCheckIn  = &kindPage{Status: http.StatusNotFound, Key: "no_check_in"}
	pageNoCheckIns = &kindPage{Status: http.StatusNotFound, Key: "no_check_ins"}
)

// checkInSession returns the live session of the request, which must be for check-ins: an
// offer's session never reads or writes a check-in.
func (s *server) checkInSession(c *gin.Context) (catalogue.ChildSession, string, error) {
	sess, secret, err := s.childSession(c)
	if err != nil {
		return sess, secret, err
	}
	if !sess.ForCheckIn() {
		return catalogue.ChildSession{}, "", pageNotFound
	}
	if s.hist == nil {
		return catalogue.ChildSession{}, "", pageNoCheckIns
	}
	return sess, secret, nil
}

// checkInView builds the page for the session's child, audits the child's read, and says
// whether a check-in is due.
func (s *server) checkInView(c *gin.Context, sess catalogue.ChildSession, secret string) (checkInPage, catalogue.CheckInStatus, error) {
	ctx := c.Request.Context()
	sc := catalogue.Scope{Council: sess.Council}
	ch, err := s.store.Child(ctx, sc, sess.Child)
	if err != nil {
		return checkInPage{}, catalogue.CheckInStatus{}, err
	}
	st, err := s.hist.CheckInStatus(ctx, sc, sess.Child, s.today())
	if err != nil {
		return checkInPage{}, catalogue.CheckInStatus{}, err
	}
	if st.Current == nil {
		return checkInPage{}, catalogue.CheckInStatus{}, pageNoCheckIn
	}
	l, langs := s.printerFor(ctx, &ch)
	v := checkInPage{FirstName: ch.FirstName, Due: st.Schedule.Due, Way: string(catalogue.WayFaces), CSRF: csrfToken(secret, sess),
		FieldErr: map[string]string{}, lang: l, langs: langs}
	v.AfterEighteen = livingNowAfterEighteenWords(l, catalogue.LeavingOn(ch.DateOfBirth, []catalogue.Episode{*st.Current}, s.today()))
	if n := len(st.CheckIns); n > 0 {
		v.Last = dayMonthYear(l, st.CheckIns[n-1].At)
	}
	if c.Query("way") == string(catalogue.WayWords) || c.PostForm("way") == string(catalogue.WayWords) {
		v.Way = string(catalogue.WayWords)
	}
	v.setAnswers(catalogue.CheckIn{})
	err = s.store.AppendAudit(ctx, catalogue.AuditEntry{At: s.now(), Action: "child_view", Subject: "child:" + ch.ID.String(),
		Council: ch.Council, Reason: "the child's own check-in page (session " + strconv.FormatInt(sess.ID, 10) + ")",
		Request: c.GetString(keyRequestID)})
	return v, st, err
}

// setAnswers fills the questions with the answers given (none, on an empty form).
func (v *checkInPage) setAnswers(given catalogue.CheckIn) {
	v.Questions = v.Questions[:0]
	for _, q := range catalogue.Questions {
		name := string(q)
		qv := questionView{Name: name, Legend: v.lang.Text("question." + name), Hint: v.lang.Text("checkin.hint." + name)}
		for _, a := range catalogue.Answers {
			qv.Answers = append(qv.Answers, answerView{ID: name + "-" + a.Word(), Value: a.Word(), Words: v.lang.Text("answer." + a.Word()),
				Mouth: mouths[a], Checked: given.Answer(q) == a})
		}
		qv.Skip = answerView{ID: name + "-skip", Words: v.lang.Text("checkin.skip_answer")}
		qv.First = qv.Answers[0].ID
		v.Questions = append(v.Questions, qv)
	}
}

// showCheckIn answers GET /child/check-in: the invitation and the form, or, after saving
// (?saved=1), the thank-you with what the child told us in this session.
func (s *server) showCheckIn(c *gin.Context) error {
	sess, secret, err := s.checkInSession(c)
	if err != nil {
		return err
	}
	v, st, err := s.checkInView(c, sess, secret)
	if err != nil {
		return err
	}
	if c.Query("saved") == "1" {
		if n := len(st.CheckIns); n > 0 && !st.CheckIns[n-1].At.Before(sess.CreatedAt) {
			v.Thanks = thanksFor(v.lang, st.CheckIns[n-1])
			if v.Help, err = s.checkInHelp(c, v.lang, sess, st.CheckIns[n-1]); err != nil {
				return err
			}
		}
	}
	s.renderPage(c, http.StatusOK, "checkin.html", v)
	return nil
}

func thanksFor(l *childlang.Printer, ci catalogue.CheckIn) *savedCheckIn {
	t := &savedCheckIn{WouldHelp: ci.WouldHelp, Advocate: ci.AdvocateRequested}
	for _, q := range catalogue.Questions {
		if a := ci.Answer(q); a != catalogue.NotAnswered {
			t.Told = append(t.Told, toldView{Question: l.Text("question." + string(q)), Answer: l.Text("answer." + a.Word())})
		}
	}
	return t
}

// saveCheckIn answers POST /child/check-in: the child's answers, recorded through the history
// store as the child's own action. Mistakes are shown next to their field, in plain words, and
// nothing is saved; a saved check-in redirects (303) to the thank-you. "I'd rather not" saves
// nothing (but a request for an advocate), and neither does a form with nothing in it.
func (s *server) saveCheckIn(c *gin.Context) error {
	sess, secret, err := s.checkInSession(c)
	if err != nil {
		return err
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
	if err := c.Request.ParseForm(); err != nil || !checkCSRF(c, secret, sess) {
		return pageTryAgain
	}
	v, _, err := s.checkInView(c, sess, secret)
	if err != nil {
		return err
	}
	ci := catalogue.CheckIn{Child: sess.Child, AdvocateRequested: c.PostForm("advocate") == "yes"}
	ci.ShareWithAdvocate = ci.AdvocateRequested && c.PostForm("share_with_advocate") == "yes"
	if v.Way == string(catalogue.WayWords) {
		ci.Way = catalogue.WayWords
	} else {
		ci.Way = catalogue.WayFaces
	}
	for _, q := range catalogue.Questions {
		a, ok := catalogue.ParseAnswer(c.PostForm(string(q)))
		if !ok {
			v.FieldErr[string(q)] = v.lang.Text("checkin.error.choose")
		}
		ci.SetAnswer(q, a)
	}
	words := childText(c.PostForm("would_help"))
	switch {
	case !utf8.ValidString(words):
		v.FieldErr["would_help"] = v.lang.Text("checkin.error.unreadable")
	case utf8.RuneCountInString(words) > catalogue.MaxWouldHelpLen:
		v.FieldErr["would_help"] = v.lang.Text("checkin.error.too_long", "max", catalogue.MaxWouldHelpLen, "count", utf8.RuneCountInString(words))
	default:
		ci.WouldHelp = words
	}
	if c.PostForm("rather_not") == "yes" {
		// Nothing the child answered is kept; a request for an advocate still reaches their
		// officer.
		ci = catalogue.CheckIn{Child: sess.Child, AdvocateRequested: ci.AdvocateRequested}
		v.FieldErr = map[string]string{}
	}
	v.setAnswers(ci)
	v.WouldHelp, v.Advocate, v.ShareWithAdvocate = words, ci.AdvocateRequested, ci.ShareWithAdvocate
	for _, q := range v.Questions {
		if msg, ok := v.FieldErr[q.Name]; ok {
			v.Errors = append(v.Errors, pageError{Anchor: q.First, Message: msg})
		}
	}
	if msg, ok := v.FieldErr["would_help"]; ok {
		v.Errors = append(v.Errors, pageError{Anchor: "would_help", Message: msg})
	}
	if len(v.Errors) > 0 {
		s.renderPage(c, http.StatusBadRequest, "checkin.html", v)
		return nil
	}
	if ci.Empty() {
		v.NothingSaved = true
		s.renderPage(c, http.StatusOK, "checkin.html", v)
		return nil
	}
	if len(thanksFor(v.lang, ci).Told) == 0 {
		ci.Way = "" // no answer chosen: nothing to say how it was given
	}
	ctx := catalogue.WithActor(c.Request.Context(), catalogue.Actor{
		Reason: "the child, through their private check-in page (session " + strconv.FormatInt(sess.ID, 10) + ")", Request: c.GetString(keyRequestID)})
	if _, err := s.hist.RecordCheckIn(ctx, catalogue.Scope{Council: sess.Council}, ci); err != nil {
		switch {
		case errors.Is(err, catalogue.ErrNotFound):
			return pageSessionEnded
		case errors.Is(err, catalogue.ErrConflict):
			return pageNoCheckIn
		}
		return err
	}
	c.Redirect(http.StatusSeeOther, checkInPath+"?saved=1")
	return nil
}

// checkInHelp is what the thank-you tells a child whose check-in ci raised an alert (nil when
// it raised none): who will see it and when, as the alert was routed, and where to get help.
func (s *server) checkInHelp(c *gin.Context, l *childlang.Printer, sess catalogue.ChildSession, ci catalogue.CheckIn) (*alertHelp, error) {
	if s.alerts == nil {
		return nil, nil
	}
	ctx, sc := c.Request.Context(), catalogue.Scope{Council: sess.Council}
	page, err := s.alerts.Alerts(ctx, sc, catalogue.AlertFilter{Child: sess.Child, States: catalogue.AlertStates, Limit: catalogue.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, a := range page.Items {
		if a.CheckIn != ci.ID {
			continue
		}
		pol, err := s.store.Policy(ctx, sess.Council)
		if err != nil {
			return nil, err
		}
		return alertHelpFor(l, a, pol.Policy.WorkingHours()), nil
	}
	return nil, nil
}
