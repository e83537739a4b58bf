package api

import (
	"fmt"
	"math"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Bodies of the history routes. Distances are kilometres as the crow flies, absent when not
// known; reasons are SSDA903 codes, with their words alongside in responses.

type episodeDTO struct {
	ID            int64    `json:"id"`
	Start         string   `json:"start"`
	End           string   `json:"end,omitempty"`
	Reason        string   `json:"reason,omitempty"`
	ReasonWords   string   `json:"reason_words,omitempty"`
	Setting       string   `json:"setting"`
	Placement     int64    `json:"placement,omitempty"`
	Provider      int64    `json:"provider,omitempty"`
	PlacedIn      string   `json:"placed_in,omitempty"`
	DistanceKm    *float64 `json:"distance_km,omitempty"`
	ChangedSchool bool     `json:"changed_school"`
	// StayingPut is where a fostered young person's placement stands on Staying Put: willing,
	// not_willing or agreed; absent when not recorded.
	StayingPut string `json:"staying_put,omitempty"`
	// StayingPutAgreedOn is the day the Staying Put arrangement was agreed, when recorded.
	StayingPutAgreedOn string `json:"staying_put_agreed_on,omitempty"`
	// Version is the placement's: send it to record Staying Put on the current placement.
	Version int `json:"version"`
}

func fromEpisode(e catalogue.Episode) episodeDTO {
	d := episodeDTO{
		ID: int64(e.ID), Start: dateString(e.Start), End: dateString(e.End), Reason: string(e.Reason),
		Setting: string(e.Setting), Placement: int64(e.Placement), Provider: int64(e.Provider), PlacedIn: string(e.PlacedIn),
		ChangedSchool: e.ChangedSchool, StayingPut: string(e.StayingPut),
		StayingPutAgreedOn: dateString(e.StayingPutAgreedOn), Version: e.Version,
	}
	if e.Reason != "" {
		d.ReasonWords = e.Reason.Words()
	}
	if e.DistanceKm != catalogue.UnknownDistance {
		km := e.DistanceKm
		d.DistanceKm = &km
	}
	return d
}

// placementInDTO is a placement a child begins: the first (POST .../episodes) or the next one
// of a move. With a catalogue placement, its provider, setting, area and distance are the
// placement's.
type placementInDTO struct {
	Start         string   `json:"start,omitempty"`
	Setting       string   `json:"setting,omitempty"`
	Placement     int64    `json:"placement,omitempty"`
	Provider      int64    `json:"provider,omitempty"`
	PlacedIn      string   `json:"placed_in,omitempty"`
	DistanceKm    *float64 `json:"distance_km,omitempty"`
	ChangedSchool bool     `json:"changed_school"`
	StayingPut    string   `json:"staying_put,omitempty"`
}

func (cv *converter) episode(prefix string, d placementInDTO, child catalogue.ChildID) catalogue.Episode {
	e := catalogue.Episode{
		Child: child, Start: cv.date(joinPath(prefix, "start"), d.Start), Setting: catalogue.Setting(d.Setting),
		Placement: catalogue.PlacementID(d.Placement), Provider: catalogue.ProviderID(d.Provider),
		PlacedIn: catalogue.CouncilCode(d.PlacedIn), DistanceKm: catalogue.UnknownDistance, ChangedSchool: d.ChangedSchool,
		StayingPut: catalogue.StayingPut(d.StayingPut),
	}
	if d.DistanceKm != nil {
		e.DistanceKm = *d.DistanceKm
	}
	return e
}

func joinPath(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + "." + field
}

type moveDTO struct {
	On     string          `json:"on"`
	Reason string          `json:"reason"`
	Note   string          `json:"note,omitempty"`
	Next   *placementInDTO `json:"next"`
}

func toMove(d moveDTO, child catalogue.ChildID) (catalogue.Move, error) {
	var cv converter
	m := catalogue.Move{Child: child, On: cv.date("on", d.On), Reason: catalogue.ChangeReason(d.Reason), Note: d.Note}
	if d.Next != nil {
		n := cv.episode("next", *d.Next, child)
		m.Next = &n
	}
	return m, cv.validated(m.Validate)
}

type moveResultDTO struct {
	Ended   episodeDTO     `json:"ended"`
	Started *episodeDTO    `json:"started,omitempty"`
	Review  *moveReviewDTO `json:"review,omitempty"`
}

func fromMoveResult(r catalogue.MoveResult) moveResultDTO {
	d := moveResultDTO{Ended: fromEpisode(r.Ended)}
	if r.Started != nil {
		e := fromEpisode(*r.Started)
		d.Started = &e
	}
	if r.Review != nil {
		v := fromMoveReview(*r.Review)
		d.Review = &v
	}
	return d
}

type moveReviewDTO struct {
	ID            int64      `json:"id"`
	Child         int64      `json:"child"`
	Council       string     `json:"council"`
	Episode       int64      `json:"episode"`
	Next          int64      `json:"next_episode,omitempty"`
	Reason        string     `json:"reason"`
	ReasonWords   string     `json:"reason_words"`
	MovedOn       string     `json:"moved_on"`
	Note          string     `json:"note,omitempty"`
	Reviewed      bool       `json:"reviewed"`
	ReviewedAt    *time.Time `json:"reviewed_at,omitempty"`
	ReviewedBy    int64      `json:"reviewed_by,omitempty"`
	Outcome       string     `json:"outcome,omitempty"`
	ChildSpokenTo bool       `json:"child_spoken_to"`
	Findings      string     `json:"findings,omitempty"`
	Version       int        `json:"version"`
	CreatedAt     *time.Time `json:"created_at,omitempty"`
}

func fromMoveReview(r catalogue.MoveReview) moveReviewDTO {
	return moveReviewDTO{
		ID: int64(r.ID), Child: int64(r.Child), Council: string(r.Council), Episode: int64(r.Episode), Next: int64(r.Next),
		Reason: string(r.Reason), ReasonWords: r.Reason.Words(), MovedOn: dateString(r.MovedOn), Note: r.Note,
		Reviewed: r.Reviewed(), ReviewedAt: timePtr(r.ReviewedAt), ReviewedBy: int64(r.ReviewedBy), Outcome: string(r.Outcome),
		ChildSpokenTo: r.ChildSpokenTo, Findings: r.Findings, Version: r.Version, CreatedAt: timePtr(r.CreatedAt),
	}
}

type reviewDecisionDTO struct {
	Outcome       string `json:"outcome"`
	ChildSpokenTo bool   `json:"child_spoken_to"`
	Findings      string `json:"findings,omitempty"`
	Version       int    `json:"version"`
}

type childStabilityDTO struct {
	On                    string   `json:"on"`
	InCare                bool     `json:"in_care"`
	Since                 string   `json:"current_placement_since,omitempty"`
	InCareSince           string   `json:"in_care_since,omitempty"`
	Placements12m         int      `json:"placements_12m"`
	Moves12m              int      `json:"moves_12m"`
	UnplannedMoves12m     int      `json:"unplanned_moves_12m"`
	SchoolMoves12m        int      `json:"school_moves_12m"`
	Placements24m         int      `json:"placements_24m"`
	Moves24m              int      `json:"moves_24m"`
	ThreePlusYear         bool     `json:"three_plus_year"`
	ThreePlusTwoYears     bool     `json:"three_plus_two_years"`
	FourPlusMovesTwoYears bool     `json:"four_plus_moves_two_years"`
	LongTermEligible      bool     `json:"long_term_eligible"`
	LongTermStable        bool     `json:"long_term_stable"`
	DistanceKm            *float64 `json:"distance_km,omitempty"`
	PlacedIn              string   `json:"placed_in,omitempty"`
	OutsideCouncil        bool     `json:"outside_council"`
}

func fromChildStability(s catalogue.Stability) childStabilityDTO {
	d := childStabilityDTO{
		On: dateString(s.On), InCare: s.InCare, Since: dateString(s.Since), InCareSince: dateString(s.InCareSince),
		Placements12m: s.Placements12m, Moves12m: s.Moves12m, UnplannedMoves12m: s.UnplannedMoves12m,
		SchoolMoves12m: s.SchoolMoves12m, Placements24m: s.Placements24m, Moves24m: s.Moves24m,
		ThreePlusYear: s.ThreePlusYear(), ThreePlusTwoYears: s.ThreePlusTwoYears(), FourPlusMovesTwoYears: s.FourPlusMovesTwoYears(),
		LongTermEligible: s.LongTermEligible, LongTermStable: s.LongTermStable, PlacedIn: string(s.PlacedIn), OutsideCouncil: s.Outside,
	}
	if s.InCare && s.DistanceKm != catalogue.UnknownDistance {
		km := s.DistanceKm
		d.DistanceKm = &km
	}
	return d
}

type historyDTO struct {
	Child     int64             `json:"child"`
	Council   string            `json:"council"`
	Episodes  []episodeDTO      `json:"episodes"`
	Stability childStabilityDTO `json:"stability"`
}

// smallCount is the largest count withheld in aggregates: counts under 5 are suppressed, as the
// DfE does, since a count of 1 to 4 could identify a child (the sufficiency report withholds the
// same).
const smallCount = 4

type indicatorDTO struct {
	Name        string   `json:"name"`
	Label       string   `json:"label"`
	Count       *int     `json:"count"`
	Denominator *int     `json:"denominator"`
	Share       *float64 `json:"share"`
	Suppressed  bool     `json:"suppressed,omitempty"`
}

func suppressed(n int) bool { return n >= 1 && n <= smallCount }

func fromIndicator(i catalogue.Indicator) indicatorDTO {
	d := indicatorDTO{Name: i.Name, Label: i.Label}
	if suppressed(i.Count) || suppressed(i.Denominator) {
		d.Suppressed = true
		return d
	}
	count, den := i.Count, i.Denominator
	d.Count, d.Denominator = &count, &den
	if den > 0 {
		share := math.Round(i.Share()*10000) / 10000
		d.Share = &share
	}
	return d
}

type stabilitySummaryDTO struct {
	Council     string         `json:"council"` // empty: England
	On          string         `json:"on"`
	LookedAfter *int           `json:"looked_after"`
	Indicators  []indicatorDTO `json:"indicators"`
	ComputedAt  time.Time      `json:"computed_at"` // when the figures were worked out; the Age header says how long ago
}

func fromStabilitySummary(s catalogue.StabilitySummary) stabilitySummaryDTO {
	d := stabilitySummaryDTO{Council: string(s.Council), On: dateString(s.On)}
	if !suppressed(s.LookedAfter) {
		n := s.LookedAfter
		d.LookedAfter = &n
	}
	for _, i := range s.Indicators() {
		d.Indicators = append(d.Indicators, fromIndicator(i))
	}
	return d
}

type checkInDTO struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Episode   int64     `json:"episode"`
	Settled   string    `json:"settled,omitempty"`
	Safe      string    `json:"safe,omitempty"`
	GettingOn string    `json:"getting_on,omitempty"`
	Seeing    string    `json:"seeing,omitempty"`
	WouldHelp string    `json:"would_help,omitempty"`
	Way       string    `json:"way,omitempty"`
	Advocate  bool      `json:"advocate_requested"`
}

func fromCheckIn(c catalogue.CheckIn) checkInDTO {
	return checkInDTO{ID: int64(c.ID), At: c.At.UTC(), Episode: int64(c.Episode), Settled: c.Settled.Word(), Safe: c.Safe.Word(),
		GettingOn: c.GettingOn.Word(), Seeing: c.Seeing.Word(), WouldHelp: c.WouldHelp, Way: string(c.Way), Advocate: c.AdvocateRequested}
}

type checkInPlanDTO struct {
	Days      []int      `json:"days"`
	ThenEvery int        `json:"then_every_days,omitempty"`
	Agreed    bool       `json:"agreed"`
	AgreedAt  *time.Time `json:"agreed_at,omitempty"`
	Version   int        `json:"version"`
}

func fromCheckInPlan(p catalogue.CheckInPlan) checkInPlanDTO {
	return checkInPlanDTO{Days: p.Days, ThenEvery: p.ThenEvery, Agreed: p.Agreed(), AgreedAt: timePtr(p.AgreedAt), Version: p.Version}
}

type checkInPlanInDTO struct {
	Days      []int `json:"days"`
	ThenEvery int   `json:"then_every_days"`
	Version   int   `json:"version"`
}

type scheduleDTO struct {
	Due      bool   `json:"due"`
	DueSince string `json:"due_since,omitempty"`
	Next     string `json:"next,omitempty"`
	// Message says in words whether a check-in is due and what the officer can do.
	Message string `json:"message"`
}

type trendPointDTO struct {
	At     time.Time `json:"at"`
	Answer string    `json:"answer"`
}

type questionTrendDTO struct {
	Question string          `json:"question"`
	Text     string          `json:"text"`
	Latest   string          `json:"latest,omitempty"`
	Answers  []trendPointDTO `json:"answers"`
}

// requestDTO is something the child asked for in a check-in: a prompt to act.
type requestDTO struct {
	At      time.Time `json:"at"`
	Message string    `json:"message"`
}

type flagDTO struct {
	Question string    `json:"question"`
	Kind     string    `json:"kind"`
	From     string    `json:"from,omitempty"`
	To       string    `json:"to"`
	At       time.Time `json:"at"`
	Message  string    `json:"message"`
}

// checkInsDTO is what an officer sees of a child's check-ins about their current placement:
// the plan agreed with the child, whether one is due (in words too), every answer over time,
// flags when answers have worsened and what the child asked for: prompts to talk to the child,
// never a decision. Links are the child's check-in links (never their tokens).
type checkInsDTO struct {
	Child            int64              `json:"child"`
	Placement        *episodeDTO        `json:"placement,omitempty"`
	Plan             checkInPlanDTO     `json:"plan"`
	Schedule         scheduleDTO        `json:"schedule"`
	CheckIns         []checkInDTO       `json:"check_ins"`
	Trend            []questionTrendDTO `json:"trend"`
	Flags            []flagDTO          `json:"flags"`
	AdvocateRequests []requestDTO       `json:"advocate_requests"`
	Links            []linkDTO          `json:"links"`
}

// fromCheckInStatus is the officer's view of the child's check-ins; name is how it calls the
// child, links are their check-in links and now is when they are judged live.
func fromCheckInStatus(name string, st catalogue.CheckInStatus, trend catalogue.CheckInTrend, links []catalogue.ChildLink, now time.Time) checkInsDTO {
	d := checkInsDTO{Child: int64(st.Child), Plan: fromCheckInPlan(st.Plan), CheckIns: []checkInDTO{}, Flags: []flagDTO{},
		AdvocateRequests: []requestDTO{}, Links: fromLinks(links, now),
		Schedule: scheduleDTO{Due: st.Schedule.Due, DueSince: dateString(st.Schedule.DueSince), Next: dateString(st.Schedule.Next),
			Message: scheduleWords(name, st, links, now)}}
	if st.Current != nil {
		e := fromEpisode(*st.Current)
		d.Placement = &e
	}
	for _, c := range st.CheckIns {
		d.CheckIns = append(d.CheckIns, fromCheckIn(c))
		if c.AdvocateRequested {
			d.AdvocateRequests = append(d.AdvocateRequests, requestDTO{At: c.At.UTC(), Message: fmt.Sprintf(
				"%s asked to talk to an advocate in their check-in on %s. Help them get one.", name, c.At.Format("2 January 2006"))})
		}
	}
	for _, q := range trend.Questions {
		qt := questionTrendDTO{Question: string(q.Question), Text: q.Question.Text(), Latest: q.Latest().Word(), Answers: []trendPointDTO{}}
		for _, p := range q.Points {
			qt.Answers = append(qt.Answers, trendPointDTO{At: p.At.UTC(), Answer: p.Answer.Word()})
		}
		d.Trend = append(d.Trend, qt)
	}
	for _, f := range trend.Flags {
		d.Flags = append(d.Flags, flagDTO{Question: string(f.Question), Kind: string(f.Kind), From: f.From.Word(),
			To: f.To.Word(), At: f.At.UTC(), Message: f.Message})
	}
	return d
}

// scheduleWords says whether a check-in is due and what the officer can do about it: send the
// child a check-in link, unless one sent is still waiting to be opened. An invitation, never a
// demand: the child may always say no.
func scheduleWords(name string, st catalogue.CheckInStatus, links []catalogue.ChildLink, now time.Time) string {
	if name == "" {
		name = "The child"
	}
	if st.Current == nil {
		return name + " has no current placement, so no check-in is due."
	}
	sch := st.Schedule
	if !sch.Due {
		if sch.Next.IsZero() {
			return "No check-in is due, and no more are planned."
		}
		return "No check-in is due. The next is due on " + sch.Next.Format("2 January 2006") + "."
	}
	msg := "A check-in is due: it has been since " + sch.DueSince.Format("2 January 2006") + ". "
	for i := len(links) - 1; i >= 0; i-- {
		if l := links[i]; l.Live(now) {
			return msg + "The check-in link sent on " + l.CreatedAt.Format("2 January 2006") + " has not been opened yet. " +
				"It is an invitation: " + name + " does not have to answer."
		}
	}
	return msg + "Invite " + name + " to check in: send them a check-in link (POST /v1/children/" + st.Child.String() +
		"/check-in-links). It is an invitation: " + name + " does not have to answer."
}
