package catalogue

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
	"time"
)

// Question is one of the things a child is asked after a move, in their check-in.
type Question string

const (
	QuestionSettled   Question = "settled"    // Do you feel settled where you live now?
	QuestionSafe      Question = "safe"       // Do you feel safe?
	QuestionGettingOn Question = "getting_on" // Are you getting on with the people you live with?
	QuestionSeeing    Question = "seeing"     // Are you seeing the people who matter to you?
)

// Questions lists every Question in the order a check-in asks them.
var Questions = []Question{QuestionSettled, QuestionSafe, QuestionGettingOn, QuestionSeeing}

// Valid reports whether q is a known value.
func (q Question) Valid() bool { return oneOf(q, Questions) }

// Text is the question as the child reads it.
func (q Question) Text() string {
	switch q {
	case QuestionSettled:
		return "Do you feel settled where you live now?"
	case QuestionSafe:
		return "Do you feel safe?"
	case QuestionGettingOn:
		return "Are you getting on with the people you live with?"
	case QuestionSeeing:
		return "Are you seeing the people who matter to you?"
	}
	return string(q)
}

// Topic is the question in a few words, for officers.
func (q Question) Topic() string {
	switch q {
	case QuestionSettled:
		return "feeling settled"
	case QuestionSafe:
		return "feeling safe"
	case QuestionGettingOn:
		return "getting on with the people they live with"
	case QuestionSeeing:
		return "seeing the people who matter"
	}
	return string(q)
}

// Answer is a child's answer to one question, on a scale of five that the child chooses as a
// face or as words. Zero is no answer: every question may be skipped.
type Answer int

const (
	NotAnswered     Answer = 0
	AnswerNo        Answer = 1 // a sad face
	AnswerNotReally Answer = 2
	AnswerSortOf    Answer = 3 // a face in between
	AnswerMostly    Answer = 4
	AnswerYes       Answer = 5 // a big smile
)

// Answers lists every answer, lowest first.
var Answers = []Answer{AnswerNo, AnswerNotReally, AnswerSortOf, AnswerMostly, AnswerYes}

// Valid reports whether a is an answer or NotAnswered.
func (a Answer) Valid() bool { return a >= NotAnswered && a <= AnswerYes }

// Word is the answer's code: no, not_really, sort_of, mostly, yes; empty when not answered.
func (a Answer) Word() string {
	switch a {
	case AnswerNo:
		return "no"
	case AnswerNotReally:
		return "not_really"
	case AnswerSortOf:
		return "sort_of"
	case AnswerMostly:
		return "mostly"
	case AnswerYes:
		return "yes"
	}
	return ""
}

// Words is the answer as the child reads it.
func (a Answer) Words() string {
	switch a {
	case AnswerNo:
		return "No"
	case AnswerNotReally:
		return "Not really"
	case AnswerSortOf:
		return "Sort of"
	case AnswerMostly:
		return "Mostly"
	case AnswerYes:
		return "Yes"
	}
	return "No answer"
}

// Face describes the face that stands for the answer, for a picture's text alternative.
func (a Answer) Face() string {
	switch a {
	case AnswerNo:
		return "a sad face"
	case AnswerNotReally:
		return "a slightly sad face"
	case AnswerSortOf:
		return "a face that is neither happy nor sad"
	case AnswerMostly:
		return "a smiling face"
	case AnswerYes:
		return "a big smiling face"
	}
	return ""
}

// ParseAnswer reads an answer's Word; empty is NotAnswered.
func ParseAnswer(word string) (Answer, bool) {
	if word == "" {
		return NotAnswered, true
	}
	for _, a := range Answers {
		if a.Word() == word {
			return a, true
		}
	}
	return NotAnswered, false
}

// AnswerWay is how the child chose to answer.
type AnswerWay string

const (
	WayFaces AnswerWay = "faces"
	WayWords AnswerWay = "words"
)

// AnswerWays lists every AnswerWay.
var AnswerWays = []AnswerWay{WayFaces, WayWords}

// Valid reports whether w is a known value.
func (w AnswerWay) Valid() bool { return oneOf(w, AnswerWays) }

// MaxWouldHelpLen bounds the child's own words in a check-in.
const MaxWouldHelpLen = 1000

// CheckIn is a child's short answer, after a move, on how it is going: each question answered
// or skipped, and what would help in their own words. It is the child's own voice: shown only
// to the child and to their council's officers, and a prompt to talk, never a decision.
type CheckIn struct {
	ID        CheckInID
	Child     ChildID
	Council   CouncilCode // set by the store
	Episode   EpisodeID   // the placement it is about: the current one when made, set by the store
	At        time.Time   // when it was made, set by the store
	Settled   Answer
	Safe      Answer
	GettingOn Answer
	Seeing    Answer
	WouldHelp string    // "What would help?", in the child's own words; optional
	Way       AnswerWay // faces or words; empty when not said
	// AdvocateRequested: the child asked to talk to an advocate (someone on their side who does
	// not work for their social worker). A check-in may be only this.
	AdvocateRequested bool
	// ShareWithAdvocate: the child let the advocate read their words in WouldHelp. It is kept
	// as the advocacy request's shared words (helprequest.go), not on the check-in.
	ShareWithAdvocate bool
}

// Answer returns the answer to question q.
func (c CheckIn) Answer(q Question) Answer {
	switch q {
	case QuestionSettled:
		return c.Settled
	case QuestionSafe:
		return c.Safe
	case QuestionGettingOn:
		return c.GettingOn
	case QuestionSeeing:
		return c.Seeing
	}
	return NotAnswered
}

// SetAnswer sets the answer to question q.
func (c *CheckIn) SetAnswer(q Question, a Answer) {
	switch q {
	case QuestionSettled:
		c.Settled = a
	case QuestionSafe:
		c.Safe = a
	case QuestionGettingOn:
		c.GettingOn = a
	case QuestionSeeing:
		c.Seeing = a
	}
}

// Empty reports whether nothing was answered, said or asked for.
func (c CheckIn) Empty() bool {
	for _, q := range Questions {
		if c.Answer(q) != NotAnswered {
			return false
		}
	}
	return c.WouldHelp == "" && !c.AdvocateRequested
}

// Validate reports every bad field of the check-in. Every answer is optional, but an empty
// check-in is not recorded: a child who answers nothing has simply not checked in.
func (c CheckIn) Validate() error {
	p := newProblems()
	if c.Child <= 0 {
		p.add("child", "must be a child ID")
	}
	for _, q := range Questions {
		if !c.Answer(q).Valid() {
			p.add(string(q), "must be one of no, not_really, sort_of, mostly, yes, or left out")
		}
	}
	checkText(p, "would_help", c.WouldHelp, MaxWouldHelpLen)
	if c.Way != "" && !c.Way.Valid() {
		p.add("way", "must be faces or words, or left out")
	}
	if c.Empty() {
		p.add("answers", "nothing was answered: answer at least one question, say what would help or ask for an advocate, or skip the check-in")
	}
	return p.err()
}

// CheckInStore keeps the check-ins children make about their current placement after a move,
// the schedule of check-ins agreed with each child, and the private links that ask them to
// check in. Scope: a check-in is its child's, and a child outside the scope (see ChildStore)
// is ErrNotFound. The child's own page calls RecordCheckIn and CheckInStatus with the scope of
// the child's session (their council) and the child it is for.
type CheckInStore interface {
	// RecordCheckIn stores a check-in a child in scope made about their current placement; ID,
	// At (the store's clock) and Episode are set by the store, and Council is the child's.
	// ErrInvalid when the check-in is not valid; ErrConflict when the child has no current
	// placement to check in about.
	RecordCheckIn(ctx context.Context, s Scope, c CheckIn) (CheckIn, error)
	// CheckIns returns the check-ins of a child in scope, oldest first.
	CheckIns(ctx context.Context, s Scope, child ChildID) ([]CheckIn, error)
	// CheckInPlan returns the schedule agreed with a child in scope, or DefaultCheckInPlan
	// (Version 0) when none has been agreed.
	CheckInPlan(ctx context.Context, s Scope, child ChildID) (CheckInPlan, error)
	// SetCheckInPlan records the schedule agreed with a child in scope, at p.Version (0 while
	// the child has the default). ErrInvalid when the plan is not valid; ErrConflict when the
	// version is stale or another plan was agreed meanwhile.
	SetCheckInPlan(ctx context.Context, s Scope, p CheckInPlan) (CheckInPlan, error)
	// CheckInStatus says, on a day, whether a child in scope should be invited to check in:
	// their current placement (none: nothing is due), plan, schedule and the check-ins made
	// about the placement.
	CheckInStatus(ctx context.Context, s Scope, child ChildID, on time.Time) (CheckInStatus, error)

	// SendCheckInLink stores a new private link for a child in scope to check in (link.Hash,
	// the SHA-256 of its token, and link.ExpiresAt; CreatedBy comes from the actor), and
	// revokes the child's earlier check-in links not yet opened. ErrInvalid naming hash or
	// expires_at when the link has no hash or has expired; ErrConflict when the child has no
	// current placement to check in about, or a link has the same token.
	SendCheckInLink(ctx context.Context, s Scope, child ChildID, link ChildLink) (ChildLink, error)
	// CheckInLinks lists the check-in links of a child in scope, oldest first (hashes, never
	// tokens).
	CheckInLinks(ctx context.Context, s Scope, child ChildID) ([]ChildLink, error)
	// RevokeCheckInLinks revokes every check-in link of a child in scope and ends every session
	// they opened; the child's offers' links are not touched.
	RevokeCheckInLinks(ctx context.Context, s Scope, child ChildID) error
}

// CheckInStatus is a child's check-ins about their current placement and what is due.
type CheckInStatus struct {
	Child    ChildID
	Current  *Episode // nil when the child has no current placement: nothing is due
	Plan     CheckInPlan
	Schedule CheckInSchedule
	CheckIns []CheckIn // about the current placement, oldest first
}

// CheckInPlan is when a child is invited to check in after a move, as agreed with them: a
// number of days after the placement began, then, optionally, every ThenEvery days.
type CheckInPlan struct {
	Child     ChildID
	Council   CouncilCode
	Days      []int // ascending, each from 1 to MaxCheckInDay
	ThenEvery int   // days between check-ins after the last of Days; 0: none
	AgreedAt  time.Time
	Version   int // 0: the default plan, not yet agreed
	UpdatedAt time.Time
}

// Limits of a check-in plan.
const (
	MaxCheckInDay   = 730
	maxCheckInDays  = 12
	minCheckInEvery = 7
	maxCheckInEvery = 365
)

// DefaultCheckInPlan is offered until a plan is agreed with the child: a week, four weeks and
// three months after the move, then every three months.
func DefaultCheckInPlan(child ChildID, council CouncilCode) CheckInPlan {
	return CheckInPlan{Child: child, Council: council, Days: []int{7, 28, 91}, ThenEvery: 91}
}

// Agreed reports whether the plan was agreed with the child rather than the default.
func (p CheckInPlan) Agreed() bool { return p.Version > 0 }

// Validate reports every bad field of the plan.
func (p CheckInPlan) Validate() error {
	pr := newProblems()
	if p.Child <= 0 {
		pr.add("child", "must be a child ID")
	}
	switch {
	case len(p.Days) == 0:
		pr.add("days", "must list at least one day after the move")
	case len(p.Days) > maxCheckInDays:
		pr.add("days", "must list at most %d days", maxCheckInDays)
	}
	for i, d := range p.Days {
		switch {
		case d < 1 || d > MaxCheckInDay:
			pr.at("days", i).add("", "must be from 1 to %d days after the move", MaxCheckInDay)
		case i > 0 && d <= p.Days[i-1]:
			pr.at("days", i).add("", "must be later than the day before it")
		}
	}
	if p.ThenEvery != 0 && (p.ThenEvery < minCheckInEvery || p.ThenEvery > maxCheckInEvery) {
		pr.add("then_every_days", "must be 0 (no more check-ins) or from %d to %d days", minCheckInEvery, maxCheckInEvery)
	}
	return pr.err()
}

// checkInGrace is how long before a due day a check-in still counts for it: a child who checks
// in a day or two early is not asked again.
const checkInGrace = 2

// CheckInSchedule is where a child is in their plan on a day.
type CheckInSchedule struct {
	Since    time.Time // the current placement began
	Due      bool      // a check-in is due: invite the child (never require it)
	DueSince time.Time // the day the check-in fell due, when Due
	Next     time.Time // the next day a check-in falls due after the day; zero when none
}

// Schedule works out, on day on, whether a check-in is due for a placement that began on since,
// given the check-ins made about it. A check-in is due from each planned day until the child
// checks in (a check-in up to two days early counts); the last one due is the one that counts,
// so a child who missed several is invited once.
func (p CheckInPlan) Schedule(since time.Time, done []CheckIn, on time.Time) CheckInSchedule {
	since, on = Day(since), Day(on)
	s := CheckInSchedule{Since: since}
	var last time.Time
	for d := range p.DueDays(since) {
		if d.After(on) {
			s.Next = d
			break
		}
		last = d
	}
	if last.IsZero() {
		return s
	}
	from := last.AddDate(0, 0, -checkInGrace)
	for _, c := range done {
		if !Day(c.At).Before(from) {
			return s
		}
	}
	s.Due, s.DueSince = true, last
	return s
}

// DueDays yields the days check-ins fall due for a placement that began on since, in order, for
// at most ten years.
func (p CheckInPlan) DueDays(since time.Time) iter.Seq[time.Time] {
	since = Day(since)
	return func(yield func(time.Time) bool) {
		lastDay := 0
		for _, d := range p.Days {
			if d <= lastDay {
				continue
			}
			lastDay = d
			if !yield(since.AddDate(0, 0, d)) {
				return
			}
		}
		if p.ThenEvery <= 0 || lastDay == 0 {
			return
		}
		for d := lastDay + p.ThenEvery; d <= 3653; d += p.ThenEvery {
			if !yield(since.AddDate(0, 0, d)) {
				return
			}
		}
	}
}

// TrendPoint is one answer in a trend.
type TrendPoint struct {
	At     time.Time
	Answer Answer
}

// QuestionTrend is how a child's answers to one question have gone, oldest first, skipped
// answers left out.
type QuestionTrend struct {
	Question Question
	Points   []TrendPoint
}

// Latest returns the most recent answer, or NotAnswered.
func (t QuestionTrend) Latest() Answer {
	if len(t.Points) == 0 {
		return NotAnswered
	}
	return t.Points[len(t.Points)-1].Answer
}

// FlagKind is why a check-in is flagged to the child's officer.
type FlagKind string

const (
	// FlagDropped: the latest answer is two or more steps below the one before it.
	FlagDropped FlagKind = "dropped"
	// FlagFellLow: the latest answer is "no" or "not really" after "sort of" or better.
	FlagFellLow FlagKind = "fell_low"
	// FlagFalling: the last three answers each lower than the one before.
	FlagFalling FlagKind = "falling"
	// FlagUnsafe: the child's latest answer says they do not feel safe, whatever came before.
	FlagUnsafe FlagKind = "unsafe"
)

// CheckInFlag tells the child's officer that check-ins have worsened: a prompt to talk to the
// child, never a decision.
type CheckInFlag struct {
	Question Question
	Kind     FlagKind
	From, To Answer // the answer before and the latest (From is NotAnswered for FlagUnsafe alone)
	At       time.Time
	Message  string
}

// CheckInTrend is a child's answers over time and what the officer should notice.
type CheckInTrend struct {
	Questions []QuestionTrend // in the order of Questions
	Flags     []CheckInFlag   // at most one per question, in the order of Questions
}

// TrendOf builds the trend of check-ins (in any order) and flags the questions whose latest
// answer has worsened. name is how messages call the child.
//
// Only the latest answer to each question is judged, against the ones before it: a worsening
// the child has since recovered from is no longer flagged (it stays visible in the trend).
// Feeling unsafe is always flagged. Skipped answers are not judged.
func TrendOf(name string, checkIns []CheckIn) CheckInTrend {
	cs := slices.Clone(checkIns)
	slices.SortStableFunc(cs, func(a, b CheckIn) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if name == "" {
		name = "the child"
	}
	var t CheckInTrend
	for _, q := range Questions {
		qt := QuestionTrend{Question: q}
		for _, c := range cs {
			if a := c.Answer(q); a != NotAnswered {
				qt.Points = append(qt.Points, TrendPoint{At: c.At, Answer: a})
			}
		}
		t.Questions = append(t.Questions, qt)
		if f, ok := flagOf(name, qt); ok {
			t.Flags = append(t.Flags, f)
		}
	}
	return t
}

func flagOf(name string, qt QuestionTrend) (CheckInFlag, bool) {
	n := len(qt.Points)
	if n == 0 {
		return CheckInFlag{}, false
	}
	latest := qt.Points[n-1]
	f := CheckInFlag{Question: qt.Question, To: latest.Answer, At: latest.At}
	day := latest.At.Format("2 January 2006")
	if n >= 2 {
		prev := qt.Points[n-2].Answer
		f.From = prev
		switch {
		case n >= 3 && latest.Answer < prev && prev < qt.Points[n-3].Answer:
			f.Kind = FlagFalling
			f.Message = fmt.Sprintf("%s's answers about %s have fallen at each of the last three check-ins, to %q on %s. A prompt to talk with %s about it.",
				name, qt.Question.Topic(), latest.Answer.Words(), day, name)
		case prev-latest.Answer >= 2:
			f.Kind = FlagDropped
			f.Message = fmt.Sprintf("%s's answer about %s dropped from %q to %q on %s. A prompt to talk with %s about it.",
				name, qt.Question.Topic(), prev.Words(), latest.Answer.Words(), day, name)
		case latest.Answer <= AnswerNotReally && prev >= AnswerSortOf:
			f.Kind = FlagFellLow
			f.Message = fmt.Sprintf("%s's answer about %s went from %q to %q on %s. A prompt to talk with %s about it.",
				name, qt.Question.Topic(), prev.Words(), latest.Answer.Words(), day, name)
		}
	}
	if f.Kind == "" && qt.Question == QuestionSafe && latest.Answer <= AnswerNotReally {
		f.Kind = FlagUnsafe
		f.Message = fmt.Sprintf("%s answered %q to %q on %s. Talk with %s soon.",
			name, latest.Answer.Words(), qt.Question.Text(), day, name)
	}
	return f, f.Kind != ""
}
