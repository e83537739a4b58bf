package sqlstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Rows of migration 00005 (placement histories), converted like the catalogue's rows. None
// keeps the child's council: it is read from children, so that it cannot go stale.

type episodeRow struct {
	ID            int64 `gorm:"primaryKey"`
	ChildID       int64
	StartDate     time.Time
	EndDate       *time.Time
	Reason        string
	Setting       string
	PlacementID   *int64
	ProviderID    *int64
	PlacedIn      string
	DistanceKm    float64
	ChangedSchool bool
	StayingPut    string
	// Migration 00027: the day a Staying Put arrangement was agreed; the episode's version.
	StayingPutAgreedOn *time.Time
	Version            int
	CreatedAt          time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt          time.Time `gorm:"autoUpdateTime:false"`
}

func (episodeRow) TableName() string { return "placement_episodes" }

func optionalID[ID ~int64](id ID) *int64 {
	if id == 0 {
		return nil
	}
	v := int64(id)
	return &v
}

func idOf[ID ~int64](p *int64) ID {
	if p == nil {
		return 0
	}
	return ID(*p)
}

func optionalDay(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	d := catalogue.Day(t)
	return &d
}

func dayOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return catalogue.Day(*t)
}

func fromEpisode(e catalogue.Episode) episodeRow {
	return episodeRow{
		ID: int64(e.ID), ChildID: int64(e.Child), StartDate: catalogue.Day(e.Start), EndDate: optionalDay(e.End),
		Reason: string(e.Reason), Setting: string(e.Setting), PlacementID: optionalID(e.Placement),
		ProviderID: optionalID(e.Provider), PlacedIn: string(e.PlacedIn), DistanceKm: e.DistanceKm,
		ChangedSchool: e.ChangedSchool, StayingPut: string(e.StayingPut), CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt,
		StayingPutAgreedOn: optionalDay(e.StayingPutAgreedOn), Version: max(e.Version, 1),
	}
}

// toEpisode converts a row; council is the child's.
func toEpisode(r episodeRow, council string) catalogue.Episode {
	return catalogue.Episode{
		ID: catalogue.EpisodeID(r.ID), Child: catalogue.ChildID(r.ChildID), Council: catalogue.CouncilCode(council),
		Start: catalogue.Day(r.StartDate), End: dayOf(r.EndDate), Reason: catalogue.ChangeReason(r.Reason),
		Setting: catalogue.Setting(r.Setting), Placement: idOf[catalogue.PlacementID](r.PlacementID),
		Provider: idOf[catalogue.ProviderID](r.ProviderID), PlacedIn: catalogue.CouncilCode(r.PlacedIn),
		DistanceKm: r.DistanceKm, ChangedSchool: r.ChangedSchool, StayingPut: catalogue.StayingPut(r.StayingPut), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		StayingPutAgreedOn: dayOf(r.StayingPutAgreedOn), Version: r.Version,
	}
}

type moveReviewRow struct {
	ID            int64 `gorm:"primaryKey"`
	ChildID       int64
	EpisodeID     int64
	NextEpisodeID *int64
	Reason        string
	MovedOn       time.Time
	Note          string
	ReviewedAt    *time.Time
	ReviewedBy    int64
	Outcome       string
	ChildSpokenTo bool
	Findings      string
	Version       int
	CreatedAt     time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt     time.Time `gorm:"autoUpdateTime:false"`
}

func (moveReviewRow) TableName() string { return "move_reviews" }

func fromMoveReview(m catalogue.MoveReview) moveReviewRow {
	return moveReviewRow{
		ID: int64(m.ID), ChildID: int64(m.Child), EpisodeID: int64(m.Episode), NextEpisodeID: optionalID(m.Next),
		Reason: string(m.Reason), MovedOn: catalogue.Day(m.MovedOn), Note: m.Note, ReviewedAt: timePtr(m.ReviewedAt),
		ReviewedBy: int64(m.ReviewedBy), Outcome: string(m.Outcome), ChildSpokenTo: m.ChildSpokenTo, Findings: m.Findings,
		Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt,
	}
}

func toMoveReview(r moveReviewRow, council string) catalogue.MoveReview {
	return catalogue.MoveReview{
		ID: catalogue.MoveReviewID(r.ID), Child: catalogue.ChildID(r.ChildID), Council: catalogue.CouncilCode(council),
		Episode: catalogue.EpisodeID(r.EpisodeID), Next: idOf[catalogue.EpisodeID](r.NextEpisodeID),
		Reason: catalogue.ChangeReason(r.Reason), MovedOn: catalogue.Day(r.MovedOn), Note: r.Note,
		ReviewedAt: timeVal(r.ReviewedAt), ReviewedBy: catalogue.TokenID(r.ReviewedBy), Outcome: catalogue.ReviewOutcome(r.Outcome),
		ChildSpokenTo: r.ChildSpokenTo, Findings: r.Findings, Version: r.Version,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

type checkInRow struct {
	ID        int64 `gorm:"primaryKey"`
	ChildID   int64
	EpisodeID int64
	At        time.Time
	Settled   int
	Safe      int
	GettingOn int
	Seeing    int
	WouldHelp string
	Way       string
	// AdvocateRequested: the child asked to talk to an advocate.
	AdvocateRequested bool
}

func (checkInRow) TableName() string { return "check_ins" }

func fromCheckIn(c catalogue.CheckIn) checkInRow {
	return checkInRow{
		ID: int64(c.ID), ChildID: int64(c.Child), EpisodeID: int64(c.Episode), At: c.At.UTC().Truncate(time.Microsecond),
		Settled: int(c.Settled), Safe: int(c.Safe), GettingOn: int(c.GettingOn), Seeing: int(c.Seeing),
		WouldHelp: c.WouldHelp, Way: string(c.Way), AdvocateRequested: c.AdvocateRequested,
	}
}

func toCheckIn(r checkInRow, council string) catalogue.CheckIn {
	return catalogue.CheckIn{
		ID: catalogue.CheckInID(r.ID), Child: catalogue.ChildID(r.ChildID), Council: catalogue.CouncilCode(council),
		Episode: catalogue.EpisodeID(r.EpisodeID), At: r.At.UTC(), Settled: catalogue.Answer(r.Settled),
		Safe: catalogue.Answer(r.Safe), GettingOn: catalogue.Answer(r.GettingOn), Seeing: catalogue.Answer(r.Seeing),
		WouldHelp: r.WouldHelp, Way: catalogue.AnswerWay(r.Way), AdvocateRequested: r.AdvocateRequested,
	}
}

type checkInPlanRow struct {
	ChildID   int64  `gorm:"primaryKey;autoIncrement:false"`
	Days      string // JSON list of days after the move
	ThenEvery int
	AgreedAt  time.Time
	Version   int
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
}

func (checkInPlanRow) TableName() string { return "check_in_plans" }

func fromCheckInPlan(p catalogue.CheckInPlan) checkInPlanRow {
	days, _ := json.Marshal(p.Days) // a list of ints always encodes
	return checkInPlanRow{ChildID: int64(p.Child), Days: string(days), ThenEvery: p.ThenEvery, AgreedAt: p.AgreedAt,
		Version: p.Version, UpdatedAt: p.UpdatedAt}
}

func toCheckInPlan(r checkInPlanRow, council string) (catalogue.CheckInPlan, error) {
	p := catalogue.CheckInPlan{Child: catalogue.ChildID(r.ChildID), Council: catalogue.CouncilCode(council),
		ThenEvery: r.ThenEvery, AgreedAt: r.AgreedAt.UTC(), Version: r.Version, UpdatedAt: r.UpdatedAt.UTC()}
	if err := json.Unmarshal([]byte(r.Days), &p.Days); err != nil {
		return catalogue.CheckInPlan{}, fmt.Errorf("check-in plan of child %d: decode days: %w", r.ChildID, err)
	}
	return p, nil
}
