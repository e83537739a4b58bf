package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Scoring policies are kept as every version ever saved: a row is never changed (triggers refuse
// it), so an option or a match run can always name the exact rules it was scored by. A version is
// a complete policy, national (council '') or for one council; the policy in force for a council
// is its own latest version, or else the latest national one.

type policyRow struct {
	Version   int64 `gorm:"primaryKey"`
	Council   string
	Document  string
	Note      string
	CreatedBy int64
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
}

func (policyRow) TableName() string { return "policies" }

// policyDoc is the stored form of a policy's settings.
type policyDoc struct {
	Weights       map[string]float64 `json:"weights"`
	CostCap       float64            `json:"cost_cap"`
	CostMargin    float64            `json:"cost_margin"`
	MaxDistanceKm float64            `json:"max_distance_km"`
	WishBoost     float64            `json:"wish_boost"`
	MaxBoost      float64            `json:"max_boost"`
	ZoneBufferKm  float64            `json:"zone_buffer_km"`
	CostLow       int                `json:"cost_low"`
	CostHigh      int                `json:"cost_high"`
}

func fromPolicy(v catalogue.PolicyVersion) (policyRow, error) {
	p := v.Policy
	d := policyDoc{
		Weights: make(map[string]float64, len(p.Weights)), CostCap: p.CostCap, CostMargin: p.CostMargin,
		MaxDistanceKm: p.MaxDistanceKm, WishBoost: p.WishBoost, MaxBoost: p.MaxBoost,
		ZoneBufferKm: p.ZoneBufferKm, CostLow: p.CostLow, CostHigh: p.CostHigh,
	}
	for f, w := range p.Weights {
		d.Weights[string(f)] = w
	}
	b, err := json.Marshal(d)
	if err != nil {
		return policyRow{}, fmt.Errorf("policy: encode: %w", err)
	}
	return policyRow{
		Version: int64(p.Version), Council: string(p.Council), Document: string(b), Note: v.Note,
		CreatedBy: int64(v.By), CreatedAt: v.At,
	}, nil
}

func toPolicy(r policyRow) (catalogue.PolicyVersion, error) {
	var d policyDoc
	if err := json.Unmarshal([]byte(r.Document), &d); err != nil {
		return catalogue.PolicyVersion{}, fmt.Errorf("policy %d: decode document: %w", r.Version, err)
	}
	p := catalogue.Policy{
		Version: int(r.Version), Council: catalogue.CouncilCode(r.Council),
		Weights: make(catalogue.Weights, len(d.Weights)), CostCap: d.CostCap, CostMargin: d.CostMargin,
		MaxDistanceKm: d.MaxDistanceKm, WishBoost: d.WishBoost, MaxBoost: d.MaxBoost,
		ZoneBufferKm: d.ZoneBufferKm, CostLow: d.CostLow, CostHigh: d.CostHigh,
	}
	for f, w := range d.Weights {
		p.Weights[catalogue.Factor(f)] = w
	}
	return catalogue.PolicyVersion{Policy: p, Note: r.Note, By: catalogue.TokenID(r.CreatedBy), At: r.CreatedAt.UTC()}, nil
}

func policySubject(c catalogue.CouncilCode) string {
	if c == "" {
		return "policy:national"
	}
	return "policy:" + string(c)
}

// ensureDefaultPolicy saves the built-in national default as the first version when no national
// policy is stored yet.
func (s *Store) ensureDefaultPolicy(ctx context.Context) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&policyRow{}).Where("council = ''").Count(&n).Error; err != nil {
			return dbError(err, "read policies")
		}
		if n > 0 {
			return nil
		}
		def := catalogue.DefaultPolicy()
		def.Version = 0
		row, err := fromPolicy(catalogue.PolicyVersion{Policy: def, Note: "the built-in national default", At: s.now()})
		if err != nil {
			return err
		}
		return dbError(tx.Create(&row).Error, "save the default policy")
	})
}

// policyCache keeps the policy in force for each council for a few seconds: every options
// request reads it, and it changes rarely. A save through this store clears it at once; a save
// through another instance on the same database is seen within policyCacheTTL.
type policyCache struct {
	mu sync.Mutex
	m  map[catalogue.CouncilCode]cachedPolicy
}

type cachedPolicy struct {
	v   catalogue.PolicyVersion
	age catalogue.Stopwatch
}

const policyCacheTTL = 5 * time.Second

func (c *policyCache) get(council catalogue.CouncilCode) (catalogue.PolicyVersion, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[council]
	if !ok || e.age.Elapsed() > policyCacheTTL {
		return catalogue.PolicyVersion{}, false
	}
	return clonePolicy(e.v), true
}

func (c *policyCache) put(council catalogue.CouncilCode, v catalogue.PolicyVersion) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[catalogue.CouncilCode]cachedPolicy{}
	}
	c.m[council] = cachedPolicy{v: clonePolicy(v), age: catalogue.StartStopwatch()}
}

func (c *policyCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = nil
}

// clonePolicy copies the weights, so that a caller changing them cannot change the cache.
func clonePolicy(v catalogue.PolicyVersion) catalogue.PolicyVersion {
	w := make(catalogue.Weights, len(v.Policy.Weights))
	for f, x := range v.Policy.Weights {
		w[f] = x
	}
	v.Policy.Weights = w
	return v
}

// Policy returns the policy in force for a council: its own latest version, or the latest
// national one. An empty council asks for the national policy.
func (s *Store) Policy(ctx context.Context, council catalogue.CouncilCode) (catalogue.PolicyVersion, error) {
	if v, ok := s.policies.get(council); ok {
		return v, nil
	}
	v, err := s.readPolicy(ctx, council)
	if err == nil {
		s.policies.put(council, v)
	}
	return v, err
}

func (s *Store) readPolicy(ctx context.Context, council catalogue.CouncilCode) (catalogue.PolicyVersion, error) {
	var row policyRow
	q := s.db.WithContext(ctx).Model(&policyRow{})
	if council != "" {
		q = q.Where("council IN ?", []string{"", string(council)}).
			Order(clauseCouncilFirst).Order("version DESC")
	} else {
		q = q.Where("council = ''").Order("version DESC")
	}
	err := q.Limit(1).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return catalogue.PolicyVersion{}, notFound("policy for %q: none is stored (run the migrations)", council)
	}
	if err != nil {
		return catalogue.PolicyVersion{}, dbError(err, "read policy")
	}
	return toPolicy(row)
}

// clauseCouncilFirst orders a council's own versions before the national ones.
const clauseCouncilFirst = "CASE WHEN council = '' THEN 1 ELSE 0 END"

// PolicyVersion returns one saved version.
func (s *Store) PolicyVersion(ctx context.Context, version int) (catalogue.PolicyVersion, error) {
	var row policyRow
	err := s.db.WithContext(ctx).Where("version = ?", version).Take(&row).Error
	if err != nil {
		return catalogue.PolicyVersion{}, dbError(err, fmt.Sprintf("policy version %d", version))
	}
	return toPolicy(row)
}

// SavePolicy validates a policy and saves it as a new version (its Version is ignored), with an
// audit row in the same transaction. It returns the saved version.
func (s *Store) SavePolicy(ctx context.Context, p catalogue.Policy, note string) (catalogue.PolicyVersion, error) {
	p.Version = 0
	if err := p.Validate(); err != nil {
		return catalogue.PolicyVersion{}, validation("policy", err)
	}
	if len(note) > catalogue.MaxWordsLen {
		return catalogue.PolicyVersion{}, invalid("policy", "note", "must be at most %d characters", catalogue.MaxWordsLen)
	}
	v := catalogue.PolicyVersion{Policy: p, Note: note, By: catalogue.ActorFrom(ctx).Token, At: s.now()}
	row, err := fromPolicy(v)
	if err != nil {
		return catalogue.PolicyVersion{}, err
	}
	row.Version = 0
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return dbError(err, "save policy")
		}
		return s.audit(ctx, tx, "update", policySubject(p.Council), p.Council)
	})
	s.policies.clear()
	if err != nil {
		return catalogue.PolicyVersion{}, err
	}
	return toPolicy(row)
}

// PolicyHistory lists the saved versions for a council (its own, not the national ones; empty:
// the national versions), newest first, paged by version: pass the Next of a page as before.
func (s *Store) PolicyHistory(ctx context.Context, council catalogue.CouncilCode, before, limit int) (catalogue.Page[catalogue.PolicyVersion], error) {
	limit = catalogue.ClampLimit(limit)
	q := s.db.WithContext(ctx).Where("council = ?", string(council))
	if before > 0 {
		q = q.Where("version < ?", before)
	}
	var rows []policyRow
	if err := q.Order("version DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return catalogue.Page[catalogue.PolicyVersion]{}, dbError(err, "list policies")
	}
	var page catalogue.Page[catalogue.PolicyVersion]
	if len(rows) > limit {
		rows = rows[:limit]
		page.Next = rows[limit-1].Version
	}
	for _, r := range rows {
		v, err := toPolicy(r)
		if err != nil {
			return catalogue.Page[catalogue.PolicyVersion]{}, err
		}
		page.Items = append(page.Items, v)
	}
	return page, nil
}
