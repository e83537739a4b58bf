package api

import (
	"math"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// policyDTO is a policy as the API shows it. Shares are each factor's part of the total weight,
// in percent, before a child's own priorities raise any of them.
type policyDTO struct {
	Version       int                `json:"version"`
	Council       string             `json:"council"` // empty: the national policy
	Weights       map[string]float64 `json:"weights"`
	Shares        map[string]float64 `json:"shares_percent"`
	CostCap       float64            `json:"cost_cap"`
	CostMargin    float64            `json:"cost_margin"`
	MaxDistanceKm float64            `json:"max_distance_km"`
	WishBoost     float64            `json:"wish_boost"`
	MaxBoost      float64            `json:"max_boost"`
	ZoneBufferKm  float64            `json:"zone_buffer_km"`
	CostLow       int                `json:"cost_low"`
	CostHigh      int                `json:"cost_high"`
	HoldHours     int                `json:"hold_hours"`
	// ChildLinkAge: a younger child is not sent their own link; their page is gone through with them.
	ChildLinkAge int `json:"child_link_min_age"`
	// SettlingWeeks: after a move, the back-up is held this many weeks where its provider agrees; 0: none.
	SettlingWeeks int `json:"settling_weeks"`
	// SignOffWeeklyCost: a home costing more a week needs a high_cost sign-off by a manager.
	SignOffWeeklyCost int `json:"sign_off_weekly_cost"`
	// ChildLanguages are the languages the council's children may choose on their pages (empty:
	// every one the service offers); ChildLanguage their pages' language when they have chosen
	// none and there is none of their first language (empty: the service's default).
	ChildLanguages []string `json:"child_languages"`
	ChildLanguage  string   `json:"child_language_default"`
	// WorkingDayStart and WorkingDayEnd (HH:MM, London time) are the council's working hours
	// on working days: an alert raised in them is the social worker's team's the same day,
	// outside them the emergency duty team's.
	WorkingDayStart string    `json:"working_day_start"`
	WorkingDayEnd   string    `json:"working_day_end"`
	Note            string    `json:"note"`
	CreatedBy       int64     `json:"created_by"`
	CreatedAt       time.Time `json:"created_at"`
}

// policyChange is the body of PUT /v1/policy: what to change in the policy now in force for the
// council (or the national one), and the version of it that was read (GET /v1/policy): a change
// made from a version no longer in force is 409. Fields left out keep their current value;
// weights not named keep theirs.
type policyChange struct {
	Council           string             `json:"council"`
	Version           int                `json:"version"`
	Weights           map[string]float64 `json:"weights"`
	CostCap           *float64           `json:"cost_cap"`
	CostMargin        *float64           `json:"cost_margin"`
	MaxDistanceKm     *float64           `json:"max_distance_km"`
	WishBoost         *float64           `json:"wish_boost"`
	MaxBoost          *float64           `json:"max_boost"`
	ZoneBufferKm      *float64           `json:"zone_buffer_km"`
	CostLow           *int               `json:"cost_low"`
	CostHigh          *int               `json:"cost_high"`
	HoldHours         *int               `json:"hold_hours"`
	ChildLinkAge      *int               `json:"child_link_min_age"`
	ChildLanguages    *[]string          `json:"child_languages"`
	ChildLanguage     *string            `json:"child_language_default"`
	SettlingWeeks     *int               `json:"settling_weeks"`
	SignOffWeeklyCost *int               `json:"sign_off_weekly_cost"`
	WorkingDayStart   *string            `json:"working_day_start"` // HH:MM
	WorkingDayEnd     *string            `json:"working_day_end"`   // HH:MM
	Note              string             `json:"note"`
}

func fromPolicyVersion(v catalogue.PolicyVersion) policyDTO {
	p := v.Policy
	d := policyDTO{
		Version: p.Version, Council: string(p.Council), Weights: map[string]float64{}, Shares: map[string]float64{},
		CostCap: p.CostCap, CostMargin: p.CostMargin, MaxDistanceKm: p.MaxDistanceKm, WishBoost: p.WishBoost,
		MaxBoost: p.MaxBoost, ZoneBufferKm: p.ZoneBufferKm, CostLow: p.CostLow, CostHigh: p.CostHigh, HoldHours: int(p.Hold().Hours()), ChildLinkAge: p.LinkAge(),
		SignOffWeeklyCost: p.SignOffWeeklyCost, Note: v.Note, ChildLanguages: p.ChildLanguages, ChildLanguage: p.ChildLanguage,
		SettlingWeeks:   p.Settling(),
		WorkingDayStart: catalogue.ClockTime(p.WorkingHours().Start), WorkingDayEnd: catalogue.ClockTime(p.WorkingHours().End), CreatedBy: int64(v.By), CreatedAt: v.At,
	}
	if d.ChildLanguages == nil {
		d.ChildLanguages = []string{}
	}
	for _, f := range catalogue.Factors {
		d.Weights[string(f)] = p.Weights[f]
		d.Shares[string(f)] = math.Round(p.Weights.Share(f)*1000) / 10
	}
	return d
}

func (s *server) getPolicy(c *gin.Context) error {
	q := newQuery(c)
	council := enum(q, "council", catalogue.CouncilCode.Valid)
	version := q.int("version", 1, math.MaxInt32)
	if err := q.err(); err != nil {
		return err
	}
	ctx := c.Request.Context()
	var v catalogue.PolicyVersion
	var err error
	if version > 0 {
		v, err = s.store.PolicyVersion(ctx, int(version))
	} else {
		v, err = s.store.Policy(ctx, council)
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromPolicyVersion(v))
	return nil
}

func (s *server) listPolicyVersions(c *gin.Context) error {
	q := newQuery(c)
	council := enum(q, "council", catalogue.CouncilCode.Valid)
	limit, before := q.page()
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.store.PolicyHistory(c.Request.Context(), council, int(before), limit)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, fromPolicyVersion))
	return nil
}

// putPolicy saves a new version of the national policy or of one council's: the change is
// merged over the policy in force, if it is still the version the caller read, inside the
// store's transaction.
func (s *server) putPolicy(c *gin.Context) error {
	var d policyChange
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	ch := catalogue.PolicyChange{
		Council: catalogue.CouncilCode(d.Council), Version: d.Version, Weights: make(catalogue.Weights, len(d.Weights)),
		CostCap: d.CostCap, CostMargin: d.CostMargin, MaxDistanceKm: d.MaxDistanceKm, WishBoost: d.WishBoost,
		MaxBoost: d.MaxBoost, ZoneBufferKm: d.ZoneBufferKm, CostLow: d.CostLow, CostHigh: d.CostHigh, HoldHours: d.HoldHours, ChildLinkAge: d.ChildLinkAge, Note: d.Note,
		SignOffWeeklyCost: d.SignOffWeeklyCost, ChildLanguages: d.ChildLanguages, ChildLanguage: d.ChildLanguage, SettlingWeeks: d.SettlingWeeks,
	}
	for f, w := range d.Weights {
		ch.Weights[catalogue.Factor(f)] = w
	}
	var bad []catalogue.FieldError
	for _, t := range []struct {
		field string
		in    *string
		out   **int
	}{{"working_day_start", d.WorkingDayStart, &ch.WorkingDayStart}, {"working_day_end", d.WorkingDayEnd, &ch.WorkingDayEnd}} {
		if t.in == nil {
			continue
		}
		m, ok := catalogue.ParseClockTime(*t.in)
		if !ok {
			bad = append(bad, catalogue.FieldError{Field: t.field, Message: "must be a time of day as HH:MM, such as 09:00"})
		}
		*t.out = &m
	}
	bad = append(bad, s.langs.check(d.ChildLanguages, d.ChildLanguage)...)
	if len(bad) > 0 {
		return catalogue.InvalidFields(bad)
	}
	if err := ch.Validate(); err != nil {
		return err
	}
	v, err := s.store.ChangePolicy(c.Request.Context(), ch)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromPolicyVersion(v))
	return nil
}
