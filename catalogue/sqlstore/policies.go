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
	HoldHours     int                `json:"hold_hours,omitempty"`
	ChildLinkAge  int                `json:"child_link_min_age,omitempty"`
	// The languages of the child's pages, absent from policies saved before they were settings
	// (every language the service offers; its default).
	ChildLanguages []string `json:"child_languages,omitempty"`
	ChildLanguage  string   `json:"child_language_default,omitempty"`
	// SettlingWeeks (catalogue.Policy.SettlingWeeks) is absent from policies saved before it
	// was a setting: they read as the default.
	SettlingWeeks int `json:"settling_weeks,omitempty"`
	// SignOffWeeklyCost is absent from policies saved before sign-offs: they read as the
	// default (catalogue.DefaultSignOffWeeklyCost).
	SignOffWeeklyCost int `json:"sign_off_weekly_cost,omitempty"`
	// The working day (minutes after midnight) is absent from policies saved before it was a
	// setting: they read as 09:00 to 17:00 (catalogue.Policy.WorkingHours).
	WorkingDayStart int `json:"working_day_start,omitempty"`
	WorkingDayEnd   int `json:"working_day_end,omitempty"`
}

func fromPolicy(v catalogue.PolicyVersion) (policyRow, error) {
	p := v.Policy
	d := policyDoc{
		Weights: make(map[string]float64, len(p.Weights)), CostCap: p.CostCap, CostMargin: p.CostMargin,
		MaxDistanceKm: p.MaxDistanceKm, WishBoost: p.WishBoost, MaxBoost: p.MaxBoost,
		ZoneBufferKm: p.ZoneBufferKm, CostLow: p.CostLow, CostHigh: p.CostHigh, HoldHours: p.HoldHours,
		SignOffWeeklyCost: p.SignOffWeeklyCost, WorkingDayStart: p.WorkingDayStart, WorkingDayEnd: p.WorkingDayEnd,
		ChildLinkAge: p.ChildLinkAge, ChildLanguages: p.ChildLanguages, ChildLanguage: p.ChildLanguage, SettlingWeeks: p.SettlingWeeks,
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
		ZoneBufferKm: d.ZoneBufferKm, CostLow: d.CostLow, CostHigh: d.CostHigh, SignOffWeeklyCost: d.SignOffWeeklyCost, HoldHours: d.HoldHours,
		WorkingDayStart: d.WorkingDayStart, WorkingDayEnd: d.WorkingDayEnd,
		ChildLinkAge: d.ChildLinkAge, ChildLanguages: d.ChildLanguages, ChildLanguage: d.ChildLanguage, SettlingWeeks: d.SettlingWeeks,
	}
	if p.SignOffWeeklyCost == 0 {
		p.SignOffWeeklyCost = catalogue.DefaultSignOffWeeklyCost
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
	v, err := readPolicy(s.db.WithContext(ctx), council)
	if err == nil {
		s.policies.put(council, v)
	}
	return v, err
}

// readPolicy reads the policy in force for a council through db (the store's, or a
// transaction's).
func readPolicy(db *gorm.DB, council catalogue.CouncilCode) (catalogue.PolicyVersion, error) {
	var row policyRow
	q := db.Model(&policyRow{})
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

// SavePolicy validates a whole policy and saves it as a new version (its Version is ignored),
// with an audit row in the same transaction, whatever was saved before: for seeding and tests.
// People change a policy through ChangePolicy, which does not undo a change saved meanwhile.
// It returns the saved version; KindInvalid naming the field when the policy or the note is
// not valid.
func (s *Store) SavePolicy(ctx context.Context, p catalogue.Policy, note string) (catalogue.PolicyVersion, error) {
	var saved catalogue.PolicyVersion
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := lockPolicies(tx, s.backend); err != nil {
			return err
		}
		var err error
		saved, err = s.savePolicy(ctx, tx, p, note)
		return err
	})
	s.policies.clear()
	return saved, err
}

// ChangePolicy makes a change to the policy in force for c.Council (the national one when it
// is empty) and saves the result as a new version of that council's own policy, with an audit
// row. The read of the policy in force, the check that it is still the version the change was
// made from, the merge and the write are one transaction, and saves are taken one at a time: of
// two changes made from the same version, one is saved and the other is KindConflict, with
// nothing saved, whatever their timing. It returns the saved version. KindInvalid naming the
// field when the change (its council, version or note) or the policy it makes is not valid;
// KindConflict when the policy in force is no longer c.Version. Only administrators change
// policies: the caller checks the role; the store applies no scope.
func (s *Store) ChangePolicy(ctx context.Context, c catalogue.PolicyChange) (catalogue.PolicyVersion, error) {
	if err := c.Validate(); err != nil {
		return catalogue.PolicyVersion{}, validation("policy", err)
	}
	var saved catalogue.PolicyVersion
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := lockPolicies(tx, s.backend); err != nil {
			return err
		}
		cur, err := readPolicy(tx, c.Council)
		if err != nil {
			return err
		}
		if cur.Policy.Version != c.Version {
			return conflict("%s: version %d is stale, the version in force is %d", policyWhat(c.Council), c.Version, cur.Policy.Version)
		}
		saved, err = s.savePolicy(ctx, tx, c.Apply(cur.Policy), c.Note)
		return err
	})
	s.policies.clear()
	return saved, err
}

// savePolicy validates p and writes it as a new version, with its audit row, in tx.
func (s *Store) savePolicy(ctx context.Context, tx *gorm.DB, p catalogue.Policy, note string) (catalogue.PolicyVersion, error) {
	p.Version = 0
	if err := p.Validate(); err != nil {
		return catalogue.PolicyVersion{}, validation("policy", err)
	}
	if len(note) > catalogue.MaxWordsLen {
		return catalogue.PolicyVersion{}, invalid("policy", "note", "must be at most %d characters", catalogue.MaxWordsLen)
	}
	row, err := fromPolicy(catalogue.PolicyVersion{Policy: p, Note: note, By: catalogue.ActorFrom(ctx).Token, At: s.now()})
	if err != nil {
		return catalogue.PolicyVersion{}, err
	}
	row.Version = 0
	if err := tx.Create(&row).Error; err != nil {
		return catalogue.PolicyVersion{}, dbError(err, "save policy")
	}
	if err := s.audit(ctx, tx, "update", policySubject(p.Council), p.Council); err != nil {
		return catalogue.PolicyVersion{}, err
	}
	return toPolicy(row)
}

// lockPolicies makes the transaction the only one saving a policy until it ends, so that what it
// reads of the policies in force is still so when it writes. On PostgreSQL it locks the table
// against writers (SHARE ROW EXCLUSIVE: readers go on; the lock conflicts with itself and with
// every insert); SQLite's immediate transactions already hold the database's write lock.
func lockPolicies(tx *gorm.DB, backend string) error {
	if backend != BackendPostgres {
		return nil
	}
	return dbError(tx.Exec("LOCK TABLE policies IN SHARE ROW EXCLUSIVE MODE").Error, "lock policies")
}

// policyWhat names a council's policy, or the national one, in messages.
func policyWhat(c catalogue.CouncilCode) string {
	if c == "" {
		return "national policy"
	}
	return "policy of " + string(c)
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
