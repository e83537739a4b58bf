package sqlstore

import (
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Rows of the match run tables (migrations 00004_match_runs.sql) and their converters. Offers,
// reasons and lists are JSON documents with their own small types, as in rows.go.

type runRow struct {
	ID             int64 `gorm:"primaryKey"`
	Council        string
	Region         string
	Status         string
	Policy         int
	TopK           int
	Children       int
	OfferedTwo     int
	OfferedOne     int
	OfferedNone    int
	GroupsPlanned  int
	GroupsTogether int
	GroupsSplit    int
	GroupsWithout  int
	Objective      int64
	LowerBound     int64
	Widened        int
	Separated      int
	Solves         int
	Timings        string // JSON
	Error          string
	Stage          string
	Done           int
	Total          int
	RequestedBy    int64
	StartedAt      time.Time
	FinishedAt     *time.Time
	HeartbeatAt    time.Time
}

func (runRow) TableName() string { return "match_runs" }

// timingsDoc holds a run's timings in milliseconds.
type timingsDoc struct {
	Search  float64 `json:"search_ms"`
	Flow    float64 `json:"flow_ms"`
	Groups  float64 `json:"groups_ms"`
	Explain float64 `json:"explain_ms"`
	Save    float64 `json:"save_ms"`
	Total   float64 `json:"total_ms"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func fromMs(x float64) time.Duration { return time.Duration(x * float64(time.Millisecond)) }

func fromRun(r catalogue.MatchRun) (runRow, error) {
	var w jsonWriter
	t := r.Timings
	row := runRow{
		ID: int64(r.ID), Council: string(r.Council), Region: string(r.Region), Status: string(r.Status),
		Policy: r.Policy, TopK: r.TopK, Children: r.Children, OfferedTwo: r.Offered, OfferedOne: r.OfferedOne,
		OfferedNone: r.OfferedNone, GroupsPlanned: r.GroupsPlanned, GroupsTogether: r.GroupsTogether,
		GroupsSplit: r.GroupsSplit, GroupsWithout: r.GroupsWithout, Objective: r.Objective, LowerBound: r.LowerBound,
		Widened: r.Widened, Separated: r.Separated, Solves: r.Solves,
		Timings: w.value(timingsDoc{Search: ms(t.Search), Flow: ms(t.Flow), Groups: ms(t.Groups), Explain: ms(t.Explain),
			Save: ms(t.Save), Total: ms(t.Total)}),
		Error: r.Error, Stage: r.Stage, Done: r.Done, Total: r.Total, RequestedBy: int64(r.RequestedBy),
		StartedAt: r.StartedAt.UTC(), HeartbeatAt: r.Heartbeat.UTC(),
	}
	if !r.FinishedAt.IsZero() {
		f := r.FinishedAt.UTC()
		row.FinishedAt = &f
	}
	return row, w.err
}

func toRun(r runRow) (catalogue.MatchRun, error) {
	rd := jsonReader{what: "match run " + catalogue.MatchRunID(r.ID).String()}
	var t timingsDoc
	rd.read("timings", r.Timings, &t)
	out := catalogue.MatchRun{
		ID: catalogue.MatchRunID(r.ID), Council: catalogue.CouncilCode(r.Council), Region: catalogue.RegionCode(r.Region),
		Status: catalogue.RunStatus(r.Status), Policy: r.Policy, TopK: r.TopK, Children: r.Children, Offered: r.OfferedTwo,
		OfferedOne: r.OfferedOne, OfferedNone: r.OfferedNone, GroupsPlanned: r.GroupsPlanned, GroupsTogether: r.GroupsTogether,
		GroupsSplit: r.GroupsSplit, GroupsWithout: r.GroupsWithout, Objective: r.Objective, LowerBound: r.LowerBound,
		Widened: r.Widened, Separated: r.Separated, Solves: r.Solves, Error: r.Error, Stage: r.Stage, Done: r.Done, Total: r.Total,
		RequestedBy: catalogue.TokenID(r.RequestedBy), StartedAt: r.StartedAt.UTC(), Heartbeat: r.HeartbeatAt.UTC(),
		Timings: catalogue.RunTimings{Search: fromMs(t.Search), Flow: fromMs(t.Flow), Groups: fromMs(t.Groups),
			Explain: fromMs(t.Explain), Save: fromMs(t.Save), Total: fromMs(t.Total)},
	}
	if r.FinishedAt != nil {
		out.FinishedAt = r.FinishedAt.UTC()
	}
	return out, rd.err
}

type resultRow struct {
	RunID        int64 `gorm:"primaryKey;autoIncrement:false"`
	ChildID      int64 `gorm:"primaryKey;autoIncrement:false"`
	Council      string
	NeededBy     time.Time
	SiblingGroup int64
	GroupMembers string // JSON
	GroupLead    bool
	Offers       string // JSON
	NOffers      int
	Suitable     int
	Complete     bool
	Reason       string
	Rejected     string // JSON
	Split        bool
	Widened      bool
}

func (resultRow) TableName() string { return "match_results" }

type runOfferDoc struct {
	Role       string      `json:"role"`
	Placement  int64       `json:"placement"`
	Score      float64     `json:"score"`
	Quality    float64     `json:"quality"`
	Factors    []factorDoc `json:"factors"` // as offers keep them (offers.go)
	WeeklyCost int         `json:"weekly_cost"`
	HomeKm     float64     `json:"home_km"`
	SchoolKm   float64     `json:"school_km"`
	Cost       int64       `json:"cost"`
}

type rejectionDoc struct {
	Constraint string `json:"constraint"`
	Count      int    `json:"count"`
	Example    string `json:"example"`
}

func fromResult(r catalogue.RunResult) (resultRow, error) {
	var w jsonWriter
	offers := make([]runOfferDoc, len(r.Offers))
	for i, o := range r.Offers {
		fs := make([]factorDoc, len(o.Factors))
		for j, f := range o.Factors {
			fs[j] = factorDoc{Factor: f.Factor, Weight: f.Weight, Score: f.Score, Reason: f.Reason}
		}
		offers[i] = runOfferDoc{Role: o.Role, Placement: int64(o.Placement), Score: o.Score, Quality: o.Quality, Factors: fs,
			WeeklyCost: o.WeeklyCost, HomeKm: o.HomeKm, SchoolKm: o.SchoolKm, Cost: o.Cost}
	}
	rej := make([]rejectionDoc, len(r.Rejected))
	for i, x := range r.Rejected {
		rej[i] = rejectionDoc{Constraint: x.Constraint, Count: x.Count, Example: x.Example}
	}
	lead := len(r.Group) > 1 && r.Group[0] == r.Child
	return resultRow{
		RunID: int64(r.Run), ChildID: int64(r.Child), Council: string(r.Council), NeededBy: catalogue.Day(r.NeededBy),
		SiblingGroup: int64(r.SiblingGroup),
		GroupMembers: w.list(mapList(r.Group, func(id catalogue.ChildID) int64 { return int64(id) })), GroupLead: lead,
		Offers: w.list(offers), NOffers: len(r.Offers), Suitable: r.Suitable, Complete: r.Complete, Reason: r.Reason,
		Rejected: w.list(rej), Split: r.Split, Widened: r.Widened,
	}, w.err
}

func toResult(r resultRow) (catalogue.RunResult, error) {
	rd := jsonReader{what: "match result for child " + catalogue.ChildID(r.ChildID).String()}
	var offers []runOfferDoc
	var rej []rejectionDoc
	var members []int64
	rd.read("offers", r.Offers, &offers)
	rd.read("rejected", r.Rejected, &rej)
	rd.read("group_members", r.GroupMembers, &members)
	out := catalogue.RunResult{
		Run: catalogue.MatchRunID(r.RunID), Child: catalogue.ChildID(r.ChildID), Council: catalogue.CouncilCode(r.Council),
		NeededBy: catalogue.Day(r.NeededBy), SiblingGroup: catalogue.SiblingGroupID(r.SiblingGroup), Suitable: r.Suitable, Complete: r.Complete,
		Reason: r.Reason, Split: r.Split, Widened: r.Widened,
		Group: emptyToNil(mapList(members, func(id int64) catalogue.ChildID { return catalogue.ChildID(id) })),
	}
	for _, o := range offers {
		fs := make([]catalogue.FactorScore, len(o.Factors))
		for j, f := range o.Factors {
			fs[j] = catalogue.FactorScore{Factor: f.Factor, Weight: f.Weight, Score: f.Score, Reason: f.Reason}
		}
		out.Offers = append(out.Offers, catalogue.RunOffer{Role: o.Role, Placement: catalogue.PlacementID(o.Placement),
			Score: o.Score, Quality: o.Quality, Factors: fs, WeeklyCost: o.WeeklyCost, HomeKm: o.HomeKm, SchoolKm: o.SchoolKm, Cost: o.Cost})
	}
	for _, x := range rej {
		out.Rejected = append(out.Rejected, catalogue.RunRejection{Constraint: x.Constraint, Count: x.Count, Example: x.Example})
	}
	return out, rd.err
}

type prefRow struct {
	RunID    int64 `gorm:"primaryKey;autoIncrement:false"`
	ChildID  int64 `gorm:"primaryKey;autoIncrement:false"`
	Council  string
	Ranked   string // JSON
	Neither  bool
	StatedAt time.Time
	StatedBy int64
}

func (prefRow) TableName() string { return "match_preferences" }

func fromPref(p catalogue.RunPreference) (prefRow, error) {
	var w jsonWriter
	row := prefRow{RunID: int64(p.Run), ChildID: int64(p.Child), Council: string(p.Council),
		Ranked:  w.list(mapList(p.Ranked, func(id catalogue.PlacementID) int64 { return int64(id) })),
		Neither: p.Neither, StatedAt: p.At.UTC(), StatedBy: int64(p.By)}
	return row, w.err
}

func toPref(r prefRow) (catalogue.RunPreference, error) {
	rd := jsonReader{what: "preference of child " + catalogue.ChildID(r.ChildID).String()}
	var ranked []int64
	rd.read("ranked", r.Ranked, &ranked)
	return catalogue.RunPreference{Run: catalogue.MatchRunID(r.RunID), Child: catalogue.ChildID(r.ChildID),
		Council: catalogue.CouncilCode(r.Council), Neither: r.Neither, At: r.StatedAt.UTC(), By: catalogue.TokenID(r.StatedBy),
		Ranked: emptyToNil(mapList(ranked, func(id int64) catalogue.PlacementID { return catalogue.PlacementID(id) }))}, rd.err
}

type allocRow struct {
	RunID       int64 `gorm:"primaryKey;autoIncrement:false"`
	ChildID     int64 `gorm:"primaryKey;autoIncrement:false"`
	Council     string
	PlacementID *int64
	Outcome     string
	Stated      bool
	Reason      string
	DecidedAt   time.Time
}

func (allocRow) TableName() string { return "match_allocations" }

func fromAlloc(a catalogue.RunAllocation) allocRow {
	row := allocRow{RunID: int64(a.Run), ChildID: int64(a.Child), Council: string(a.Council), Outcome: a.Outcome,
		Stated: a.Stated, Reason: a.Reason, DecidedAt: a.At.UTC()}
	if a.Placement != 0 {
		p := int64(a.Placement)
		row.PlacementID = &p
	}
	return row
}

func toAlloc(r allocRow) catalogue.RunAllocation {
	a := catalogue.RunAllocation{Run: catalogue.MatchRunID(r.RunID), Child: catalogue.ChildID(r.ChildID),
		Council: catalogue.CouncilCode(r.Council), Outcome: r.Outcome, Stated: r.Stated, Reason: r.Reason, At: r.DecidedAt.UTC()}
	if r.PlacementID != nil {
		a.Placement = catalogue.PlacementID(*r.PlacementID)
	}
	return a
}
