package api

import (
	"context"
	"math"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// Policies keeps every version of the scoring policy.
type Policies interface {
	// Policy returns the policy in force for a council (its own latest version, or the latest
	// national one); an empty council asks for the national policy.
	Policy(ctx context.Context, council catalogue.CouncilCode) (catalogue.PolicyVersion, error)
	PolicyVersion(ctx context.Context, version int) (catalogue.PolicyVersion, error)
	SavePolicy(ctx context.Context, p catalogue.Policy, note string) (catalogue.PolicyVersion, error)
	PolicyHistory(ctx context.Context, council catalogue.CouncilCode, before, limit int) (catalogue.Page[catalogue.PolicyVersion], error)
}

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
	Note          string             `json:"note"`
	CreatedBy     int64              `json:"created_by"`
	CreatedAt     time.Time          `json:"created_at"`
}

// policyChange is the body of PUT /v1/policy: what to change in the policy now in force for the
// council (or the national one). Fields left out keep their current value; weights not named
// keep theirs.
type policyChange struct {
	Council       string             `json:"council"`
	Weights       map[string]float64 `json:"weights"`
	CostCap       *float64           `json:"cost_cap"`
	CostMargin    *float64           `json:"cost_margin"`
	MaxDistanceKm *float64           `json:"max_distance_km"`
	WishBoost     *float64           `json:"wish_boost"`
	MaxBoost      *float64           `json:"max_boost"`
	ZoneBufferKm  *float64           `json:"zone_buffer_km"`
	CostLow       *int               `json:"cost_low"`
	CostHigh      *int               `json:"cost_high"`
	Note          string             `json:"note"`
}

func fromPolicyVersion(v catalogue.PolicyVersion) policyDTO {
	p := v.Policy
	d := policyDTO{
		Version: p.Version, Council: string(p.Council), Weights: map[string]float64{}, Shares: map[string]float64{},
		CostCap: p.CostCap, CostMargin: p.CostMargin, MaxDistanceKm: p.MaxDistanceKm, WishBoost: p.WishBoost,
		MaxBoost: p.MaxBoost, ZoneBufferKm: p.ZoneBufferKm, CostLow: p.CostLow, CostHigh: p.CostHigh,
		Note: v.Note, CreatedBy: int64(v.By), CreatedAt: v.At,
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
		v, err = s.pol.PolicyVersion(ctx, int(version))
	} else {
		v, err = s.pol.Policy(ctx, council)
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
	page, err := s.pol.PolicyHistory(c.Request.Context(), council, int(before), limit)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, fromPolicyVersion))
	return nil
}

// putPolicy saves a new version of the national policy or of one council's.
func (s *server) putPolicy(c *gin.Context) error {
	var d policyChange
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	council := catalogue.CouncilCode(d.Council)
	if council != "" && !council.Valid() {
		return fieldError("council", "must be empty (national) or the ONS code of an English upper-tier council")
	}
	if d.Note == "" {
		return fieldError("note", "is required: say why the policy is changing, for the record")
	}
	ctx := c.Request.Context()
	cur, err := s.pol.Policy(ctx, council)
	if err != nil {
		return err
	}
	p := cur.Policy
	p.Council = council
	p.Weights = make(catalogue.Weights, len(cur.Policy.Weights))
	for f, w := range cur.Policy.Weights {
		p.Weights[f] = w
	}
	for f, w := range d.Weights {
		p.Weights[catalogue.Factor(f)] = w
	}
	setF := func(dst *float64, v *float64) {
		if v != nil {
			*dst = *v
		}
	}
	setF(&p.CostCap, d.CostCap)
	setF(&p.CostMargin, d.CostMargin)
	setF(&p.MaxDistanceKm, d.MaxDistanceKm)
	setF(&p.WishBoost, d.WishBoost)
	setF(&p.MaxBoost, d.MaxBoost)
	setF(&p.ZoneBufferKm, d.ZoneBufferKm)
	if d.CostLow != nil {
		p.CostLow = *d.CostLow
	}
	if d.CostHigh != nil {
		p.CostHigh = *d.CostHigh
	}
	v, err := s.pol.SavePolicy(ctx, p, d.Note)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromPolicyVersion(v))
	return nil
}
