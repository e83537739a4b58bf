package sqlstore

import (
	"context"
	"errors"
	"math"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Audit actions of changes to a child's history. Their subject is the child ("child:12"), so
// the audit of a child shows every change of their record (and the API's reads).
const (
	actionStart      = "start_placement"
	actionMove       = "move"
	actionOpenReview = "open_move_review"
	actionReview     = "review_move"
	actionCheckIn    = "check_in"
	actionPlan       = "agree_check_in_plan"
)

// childInfo is what history needs of a child's record.
type childInfo struct {
	ID          int64
	Council     string
	DateOfBirth time.Time
	HomeLat     float64
	HomeLng     float64
	Status      string // read only where said
}

func (c childInfo) home() catalogue.Location {
	return catalogue.Location{Lat: c.HomeLat, Lng: c.HomeLng}
}

// readChild reads a child in scope, locking their row on PostgreSQL when lock is set so that
// changes to one child's history run one after another.
func readChild(tx *gorm.DB, sc catalogue.Scope, id catalogue.ChildID, lock bool) (childInfo, error) {
	what := "child " + id.String()
	if id <= 0 {
		return childInfo{}, notFound("%s", what)
	}
	q := councilScope(tx.Model(&childRow{}), sc).Select("id", "council", "date_of_birth", "home_lat", "home_lng").
		Where("id = ?", int64(id))
	if lock {
		q = forUpdate(q)
	}
	var c childInfo
	if err := q.Take(&c).Error; err != nil {
		return childInfo{}, dbError(err, what)
	}
	return c, nil
}

// childScope restricts a query on a table with a child_id column to the children in scope.
func childScope(q *gorm.DB, sc catalogue.Scope) *gorm.DB {
	switch {
	case sc.Provider != 0:
		return q.Where("1 = 0")
	case sc.Council != "":
		return q.Where("child_id IN (SELECT id FROM children WHERE council = ?)", string(sc.Council))
	}
	return q
}

// councilsOf reads the council of each child, for converting rows of many children.
func (s *Store) councilsOf(db *gorm.DB, children []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(children))
	if len(children) == 0 {
		return out, nil
	}
	var rows []struct {
		ID      int64
		Council string
	}
	if err := db.Model(&childRow{}).Select("id", "council").Where(s.oneOf("id", children)).Find(&rows).Error; err != nil {
		return nil, dbError(err, "read children's councils")
	}
	for _, r := range rows {
		out[r.ID] = r.Council
	}
	return out, nil
}

func childEpisodes(db *gorm.DB, child int64) ([]episodeRow, error) {
	var rows []episodeRow
	err := db.Where("child_id = ?", child).Order("start_date").Order("id").Find(&rows).Error
	return rows, dbError(err, "read placement history")
}

func episodesOf(rows []episodeRow, council string) []catalogue.Episode {
	out := make([]catalogue.Episode, len(rows))
	for i, r := range rows {
		out[i] = toEpisode(r, council)
	}
	return out
}

// historyRow is a child's row joined with one of their episodes: the episode's columns are all
// NULL for a child with no history.
type historyRow struct {
	Child          int64      `gorm:"column:h_child"`
	Council        string     `gorm:"column:h_council"`
	DateOfBirth    time.Time  `gorm:"column:h_date_of_birth"`
	ID             *int64     `gorm:"column:id"`
	StartDate      *time.Time `gorm:"column:start_date"`
	EndDate        *time.Time `gorm:"column:end_date"`
	Reason         *string    `gorm:"column:reason"`
	Setting        *string    `gorm:"column:setting"`
	PlacementID    *int64     `gorm:"column:placement_id"`
	ProviderID     *int64     `gorm:"column:provider_id"`
	PlacedIn       *string    `gorm:"column:placed_in"`
	DistanceKm     *float64   `gorm:"column:distance_km"`
	ChangedSchool  *bool      `gorm:"column:changed_school"`
	StayingPut     *string    `gorm:"column:staying_put"`
	AgreedOn       *time.Time `gorm:"column:staying_put_agreed_on"`
	Version        *int       `gorm:"column:version"`
	Rne            *string    `gorm:"column:rne"`
	LegalCode      *string    `gorm:"column:legal_code"`
	NeedCategory   *string    `gorm:"column:need_category"`
	PlaceCode      *string    `gorm:"column:place_code"`
	ProviderCode   *string    `gorm:"column:provider_code"`
	Ceased         *string    `gorm:"column:ceased"`
	HomeDistrict   *string    `gorm:"column:home_district"`
	PlacedDistrict *string    `gorm:"column:placed_district"`
	Urn            *string    `gorm:"column:urn"`
	ReasonGiven    *bool      `gorm:"column:reason_given"`
	CreatedAt      *time.Time `gorm:"column:created_at"`
	UpdatedAt      *time.Time `gorm:"column:updated_at"`
}

// readHistory reads a child in scope (ErrNotFound outside it) and their episodes in order of
// start, with one query: the options search reads every child's history, so it is on the path
// of the busiest request.
func readHistory(db *gorm.DB, sc catalogue.Scope, id catalogue.ChildID) (childInfo, []episodeRow, error) {
	what := "child " + id.String()
	if id <= 0 {
		return childInfo{}, nil, notFound("%s", what)
	}
	q := db.Table("children AS c").
		Select("c.id AS h_child, c.council AS h_council, c.date_of_birth AS h_date_of_birth, e.id, e.start_date, e.end_date, "+
			"e.reason, e.setting, e.placement_id, e.provider_id, e.placed_in, e.distance_km, e.changed_school, e.staying_put, e.staying_put_agreed_on, e.version, e.created_at, e.updated_at, "+
			"e.rne, e.legal_code, e.need_category, e.place_code, e.provider_code, e.ceased, e.home_district, e.placed_district, e.urn, e.reason_given").
		Joins("LEFT JOIN placement_episodes AS e ON e.child_id = c.id").
		Where("c.id = ?", int64(id)).Order("e.start_date").Order("e.id")
	var rows []historyRow
	if err := councilScope(q, sc).Scan(&rows).Error; err != nil {
		return childInfo{}, nil, dbError(err, "read placement history")
	}
	if len(rows) == 0 {
		return childInfo{}, nil, notFound("%s", what)
	}
	c := childInfo{ID: rows[0].Child, Council: rows[0].Council, DateOfBirth: rows[0].DateOfBirth}
	eps := make([]episodeRow, 0, len(rows))
	for _, r := range rows {
		if r.ID == nil {
			continue // the child has no history: the one row is the child's alone
		}
		eps = append(eps, episodeRow{
			ID: *r.ID, ChildID: c.ID, StartDate: deref(r.StartDate), EndDate: r.EndDate, Reason: deref(r.Reason),
			Setting: deref(r.Setting), PlacementID: r.PlacementID, ProviderID: r.ProviderID, PlacedIn: deref(r.PlacedIn),
			DistanceKm: deref(r.DistanceKm), ChangedSchool: deref(r.ChangedSchool), StayingPut: deref(r.StayingPut), CreatedAt: deref(r.CreatedAt), UpdatedAt: deref(r.UpdatedAt),
			StayingPutAgreedOn: r.AgreedOn, Version: deref(r.Version),
			Rne: deref(r.Rne), LegalCode: deref(r.LegalCode), NeedCategory: deref(r.NeedCategory), PlaceCode: deref(r.PlaceCode), ProviderCode: deref(r.ProviderCode), Ceased: deref(r.Ceased), HomeDistrict: deref(r.HomeDistrict), PlacedDistrict: deref(r.PlacedDistrict), Urn: deref(r.Urn), ReasonGiven: deref(r.ReasonGiven),
		})
	}
	return c, eps, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// History returns a child's episodes in order of start.
func (s *Store) History(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID) ([]catalogue.Episode, error) {
	c, rows, err := readHistory(s.db.WithContext(ctx), sc, child)
	if err != nil {
		return nil, err
	}
	return episodesOf(rows, c.Council), nil
}

// ChildStability computes the child's stability on day on from their history.
func (s *Store) ChildStability(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID, on time.Time) (catalogue.Stability, error) {
	c, rows, err := readHistory(s.db.WithContext(ctx), sc, child)
	if err != nil {
		return catalogue.Stability{}, err
	}
	return catalogue.StabilityOf(c.DateOfBirth, catalogue.CouncilCode(c.Council), episodesOf(rows, c.Council), on), nil
}

// ListEpisodes returns a page of episodes in scope by ascending ID.
func (s *Store) ListEpisodes(ctx context.Context, sc catalogue.Scope, f catalogue.EpisodeFilter) (catalogue.Page[catalogue.Episode], error) {
	db := s.db.WithContext(ctx)
	q := childScope(db, sc)
	if f.Council != "" {
		q = q.Where("child_id IN (SELECT id FROM children WHERE council = ?)", string(f.Council))
	}
	if f.Child != 0 {
		q = q.Where("child_id = ?", int64(f.Child))
	}
	rows, next, err := readRows(q, f.Limit, int64(f.After), func(r episodeRow) int64 { return r.ID }, "list episodes")
	if err != nil {
		return catalogue.Page[catalogue.Episode]{}, err
	}
	councils, err := s.councilsOf(db, childIDs(rows, func(r episodeRow) int64 { return r.ChildID }))
	if err != nil {
		return catalogue.Page[catalogue.Episode]{}, err
	}
	page := catalogue.Page[catalogue.Episode]{Items: make([]catalogue.Episode, len(rows)), Next: next}
	for i, r := range rows {
		page.Items[i] = toEpisode(r, councils[r.ChildID])
	}
	return page, nil
}

func childIDs[R any](rows []R, child func(R) int64) []int64 {
	seen := make(map[int64]bool, len(rows))
	var out []int64
	for _, r := range rows {
		if id := child(r); !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// StabilitySummary sums the stability of a council's children (England's when council is
// empty) on day on. It returns aggregates only, so it takes no scope: the caller decides who
// may see them.
func (s *Store) StabilitySummary(ctx context.Context, council catalogue.CouncilCode, on time.Time) (catalogue.StabilitySummary, error) {
	if council != "" && !council.Valid() {
		return catalogue.StabilitySummary{}, catalogue.Invalid("council", "must be the ONS code of an English upper-tier council")
	}
	db := s.db.WithContext(ctx)
	cq := db.Model(&childRow{}).Select("id", "council", "date_of_birth", "status")
	eq := db.Model(&episodeRow{})
	if council != "" {
		cq = cq.Where("council = ?", string(council))
		eq = eq.Where("child_id IN (SELECT id FROM children WHERE council = ?)", string(council))
	}
	var kids []childInfo
	if err := cq.Order("id").Find(&kids).Error; err != nil {
		return catalogue.StabilitySummary{}, dbError(err, "stability: read children")
	}
	byChild := make(map[int64][]catalogue.Episode, len(kids))
	var rows []episodeRow
	err := eq.Order("child_id").Order("start_date").FindInBatches(&rows, 20000, func(*gorm.DB, int) error {
		for _, r := range rows {
			byChild[r.ChildID] = append(byChild[r.ChildID], toEpisode(r, ""))
		}
		return nil
	}).Error
	if err != nil {
		return catalogue.StabilitySummary{}, dbError(err, "stability: read placement histories")
	}
	sum := catalogue.StabilitySummary{Council: council, On: catalogue.Day(on)}
	for _, k := range kids {
		sum.AddChild(catalogue.ChildHistory{Child: catalogue.ChildID(k.ID), Council: catalogue.CouncilCode(k.Council),
			DateOfBirth: k.DateOfBirth, Status: catalogue.ChildStatus(k.Status), Episodes: byChild[k.ID]})
	}
	if sum.Unregistered, err = s.unregisteredLiving(db, kids, byChild, on); err != nil {
		return catalogue.StabilitySummary{}, err
	}
	return sum, nil
}

// fillFromPlacement sets an episode's provider, setting (when not given), council area and
// distance from home from the catalogue placement it names.
func (s *Store) fillFromPlacement(tx *gorm.DB, e *catalogue.Episode, home catalogue.Location, what, field string) error {
	if e.Placement == 0 {
		if e.Provider > 0 {
			found, err := existingIDs[providerRow](s, tx, []catalogue.ProviderID{e.Provider})
			if err != nil {
				return dbError(err, what+": read provider")
			}
			if !found[int64(e.Provider)] {
				return invalid(what, joinField(field, "provider"), "no such provider")
			}
		}
		return nil
	}
	var p struct {
		ID         int64
		Kind       string
		ProviderID int64
		Council    string
		Lat, Lng   float64
	}
	err := tx.Model(&placementRow{}).Select("id", "kind", "provider_id", "council", "lat", "lng").
		Where("id = ?", int64(e.Placement)).Take(&p).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return invalid(what, joinField(field, "placement"), "no such placement")
	case err != nil:
		return dbError(err, what+": read placement")
	}
	if e.Setting == "" {
		e.Setting = catalogue.SettingOf(catalogue.PlacementKind(p.Kind))
	}
	e.Provider = catalogue.ProviderID(p.ProviderID)
	e.PlacedIn = catalogue.CouncilCode(p.Council)
	e.DistanceKm = math.Round(catalogue.DistanceKm(home, catalogue.Location{Lat: p.Lat, Lng: p.Lng})*100) / 100
	return nil
}

// StartPlacement records the first placement of a child who has none going on: coming into
// care, or coming back. The child's council is set from their record; a placement named from
// the catalogue gives the provider, council area and distance from home.
func (s *Store) StartPlacement(ctx context.Context, sc catalogue.Scope, e catalogue.Episode) (catalogue.Episode, error) {
	var out catalogue.Episode
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		out, err = s.startPlacementTx(ctx, tx, sc, e)
		return err
	})
	if err != nil {
		return catalogue.Episode{}, err
	}
	return out, nil
}

// startPlacementTx is StartPlacement within a transaction of the caller's.
func (s *Store) startPlacementTx(ctx context.Context, tx *gorm.DB, sc catalogue.Scope, e catalogue.Episode) (catalogue.Episode, error) {
	what := "placement history of child " + e.Child.String()
	e.ID, e.End, e.Reason = 0, time.Time{}, ""
	var out catalogue.Episode
	err := func() error {
		c, err := readChild(tx, sc, e.Child, true)
		if err != nil {
			return err
		}
		e.Council = catalogue.CouncilCode(c.Council)
		if err := s.fillFromPlacement(tx, &e, c.home(), what, ""); err != nil {
			return err
		}
		if err := e.Validate(); err != nil {
			return validation(what, err)
		}
		if e.Start.After(catalogue.Day(s.now())) {
			return invalid(what, "start", "must not be in the future: record a placement when it begins")
		}
		rows, err := childEpisodes(tx, c.ID)
		if err != nil {
			return err
		}
		if n := len(rows); n > 0 {
			last := rows[n-1]
			if last.EndDate == nil {
				return conflict("%s: the child's placement from %s is still going on: record a move, with the reason it ended",
					what, last.StartDate.Format(time.DateOnly))
			}
			if e.Start.Before(dayOf(last.EndDate)) {
				return invalid(what, "start", "must not be before %s, when the last placement ended", dayOf(last.EndDate).Format(time.DateOnly))
			}
		}
		t := s.now()
		e.CreatedAt, e.UpdatedAt = t, t
		row := fromEpisode(e)
		if err := tx.Create(&row).Error; err != nil {
			return episodeWriteError(err, what)
		}
		out = toEpisode(row, c.Council)
		return s.audit(ctx, tx, actionStart, childSubject(e.Child), e.Council)
	}()
	if err != nil {
		return catalogue.Episode{}, err
	}
	return out, nil
}

// episodeWriteError names the rule an episode can break: one current placement per child.
func episodeWriteError(err error, what string) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return conflict("%s: the child already has a current placement", what)
	}
	return dbError(err, what)
}

// MoveChild ends the child's current placement on m.On with m.Reason and, when m.Next is
// given, starts the next placement the same day, all in one transaction with the audit rows.
// A move for a reason other than the care plan (or a change of status only) opens a review for
// the child's independent reviewing officer in the same transaction.
func (s *Store) MoveChild(ctx context.Context, sc catalogue.Scope, m catalogue.Move) (catalogue.MoveResult, error) {
	var res catalogue.MoveResult
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		res, err = s.moveChildTx(ctx, tx, sc, m)
		return err
	})
	if err != nil {
		return catalogue.MoveResult{}, err
	}
	return res, nil
}

// moveChildTx is MoveChild within a transaction of the caller's.
func (s *Store) moveChildTx(ctx context.Context, tx *gorm.DB, sc catalogue.Scope, m catalogue.Move) (catalogue.MoveResult, error) {
	what := "move of child " + m.Child.String()
	if err := m.Validate(); err != nil {
		return catalogue.MoveResult{}, validation(what, err)
	}
	m.On = catalogue.Day(m.On)
	var res catalogue.MoveResult
	err := func() error {
		c, err := readChild(tx, sc, m.Child, true)
		if err != nil {
			return err
		}
		if m.On.After(catalogue.Day(s.now())) {
			return invalid(what, "on", "must not be in the future: record a move when it happens")
		}
		rows, err := childEpisodes(tx, c.ID)
		if err != nil {
			return err
		}
		var cur *episodeRow
		if n := len(rows); n > 0 && rows[n-1].EndDate == nil {
			cur = &rows[n-1]
		}
		if cur == nil {
			return conflict("%s: the child has no current placement to end: record their first placement instead", what)
		}
		if !m.On.After(cur.StartDate) {
			return invalid(what, "on", "must be after %s, when the current placement began: a placement cannot begin and end on the same day",
				cur.StartDate.Format(time.DateOnly))
		}
		t := s.now()
		ended := toEpisode(*cur, c.Council)
		ended.End, ended.Reason, ended.UpdatedAt, ended.Version = m.On, m.Reason, t, ended.Version+1
		upd := tx.Model(&episodeRow{}).Where("id = ? AND end_date IS NULL", cur.ID).
			Updates(map[string]any{"end_date": m.On, "reason": string(m.Reason), "updated_at": t, "version": gorm.Expr("version + 1")})
		if upd.Error != nil {
			return dbError(upd.Error, what+": end the current placement")
		}
		if upd.RowsAffected != 1 {
			return conflict("%s: the current placement was ended meanwhile", what)
		}
		res.Ended = ended
		// Support plans for the home end with the placement (a change of status only keeps the
		// child with the same carers, and the plan with them).
		if cur.PlacementID != nil && !m.Reason.SameCarer() {
			if err := s.closeSupportPlans(ctx, tx, m.Child, c.Council, *cur.PlacementID, m.On); err != nil {
				return err
			}
		}

		if m.Next != nil {
			next := *m.Next
			next.ID, next.Child, next.Council, next.Start, next.End, next.Reason = 0, m.Child, catalogue.CouncilCode(c.Council), m.On, time.Time{}, ""
			if err := s.fillFromPlacement(tx, &next, c.home(), what, "next"); err != nil {
				return err
			}
			if m.Reason.SameCarer() && cur.PlacementID != nil && next.Placement != 0 && next.Placement != catalogue.PlacementID(*cur.PlacementID) {
				return invalid(what, "next.placement", "must be the current placement: %s keeps the child with the same carer", catalogue.ReasonStatusOnly)
			}
			if err := next.Validate(); err != nil {
				return validation(what+": next", prefixed("next", err))
			}
			next.CreatedAt, next.UpdatedAt = t, t
			row := fromEpisode(next)
			if err := tx.Create(&row).Error; err != nil {
				return episodeWriteError(err, what)
			}
			started := toEpisode(row, c.Council)
			res.Started = &started
		}
		if err := s.audit(ctx, tx, actionMove, childSubject(m.Child), catalogue.CouncilCode(c.Council)); err != nil {
			return err
		}
		if !m.Reason.NeedsReview() {
			return nil
		}
		r := catalogue.MoveReview{Child: m.Child, Episode: ended.ID, Reason: m.Reason, MovedOn: m.On, Note: m.Note,
			Version: 1, CreatedAt: t, UpdatedAt: t}
		if res.Started != nil {
			r.Next = res.Started.ID
		}
		row := fromMoveReview(r)
		if err := tx.Create(&row).Error; err != nil {
			return dbError(err, what+": open the review")
		}
		review := toMoveReview(row, c.Council)
		res.Review = &review
		return s.audit(ctx, tx, actionOpenReview, childSubject(m.Child), catalogue.CouncilCode(c.Council))
	}()
	if err != nil {
		return catalogue.MoveResult{}, err
	}
	return res, nil
}

// prefixed puts every field of a validation error under prefix.
func prefixed(prefix string, err error) error {
	fields := catalogue.FieldErrors(err)
	if fields == nil {
		return err
	}
	out := make([]catalogue.FieldError, len(fields))
	for i, f := range fields {
		f.Field = joinField(prefix, f.Field)
		out[i] = f
	}
	return catalogue.InvalidFields(out)
}

// MoveReview returns one review in scope.
func (s *Store) MoveReview(ctx context.Context, sc catalogue.Scope, id catalogue.MoveReviewID) (catalogue.MoveReview, error) {
	db := s.db.WithContext(ctx)
	var row moveReviewRow
	if err := childScope(db, sc).Where("id = ?", int64(id)).Take(&row).Error; err != nil {
		return catalogue.MoveReview{}, dbError(err, "move review "+id.String())
	}
	councils, err := s.councilsOf(db, []int64{row.ChildID})
	if err != nil {
		return catalogue.MoveReview{}, err
	}
	return toMoveReview(row, councils[row.ChildID]), nil
}

// ListMoveReviews returns a page of reviews in scope by ascending ID.
func (s *Store) ListMoveReviews(ctx context.Context, sc catalogue.Scope, f catalogue.MoveReviewFilter) (catalogue.Page[catalogue.MoveReview], error) {
	if f.Status != "" && !f.Status.Valid() {
		return catalogue.Page[catalogue.MoveReview]{}, catalogue.Invalid("status", "must be one of %v", catalogue.ReviewStatuses)
	}
	db := s.db.WithContext(ctx)
	q := childScope(db, sc)
	if f.Council != "" {
		q = q.Where("child_id IN (SELECT id FROM children WHERE council = ?)", string(f.Council))
	}
	if f.Child != 0 {
		q = q.Where("child_id = ?", int64(f.Child))
	}
	switch f.Status {
	case catalogue.ReviewOpen:
		q = q.Where("reviewed_at IS NULL")
	case catalogue.ReviewDone:
		q = q.Where("reviewed_at IS NOT NULL")
	}
	rows, next, err := readRows(q, f.Limit, int64(f.After), func(r moveReviewRow) int64 { return r.ID }, "list move reviews")
	if err != nil {
		return catalogue.Page[catalogue.MoveReview]{}, err
	}
	councils, err := s.councilsOf(db, childIDs(rows, func(r moveReviewRow) int64 { return r.ChildID }))
	if err != nil {
		return catalogue.Page[catalogue.MoveReview]{}, err
	}
	page := catalogue.Page[catalogue.MoveReview]{Items: make([]catalogue.MoveReview, len(rows)), Next: next}
	for i, r := range rows {
		page.Items[i] = toMoveReview(r, councils[r.ChildID])
	}
	return page, nil
}

// ReviewMove records the independent reviewing officer's review of an unplanned move, once:
// a conditional update that succeeds only while the review is open and at the version read.
// The reviewer is the actor carried by ctx.
func (s *Store) ReviewMove(ctx context.Context, sc catalogue.Scope, d catalogue.ReviewDecision) (catalogue.MoveReview, error) {
	what := "move review " + d.Review.String()
	if err := d.Validate(); err != nil {
		return catalogue.MoveReview{}, validation(what, err)
	}
	var out catalogue.MoveReview
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var cur moveReviewRow
		if err := forUpdate(childScope(tx, sc)).Where("id = ?", int64(d.Review)).Take(&cur).Error; err != nil {
			return dbError(err, what)
		}
		c, err := readChild(tx, catalogue.Everything, catalogue.ChildID(cur.ChildID), false)
		if err != nil {
			return err
		}
		if cur.ReviewedAt != nil {
			return conflict("%s: already reviewed on %s", what, cur.ReviewedAt.UTC().Format(time.DateOnly))
		}
		if cur.Version != d.Version {
			return conflict("%s: version %d is stale, the stored version is %d", what, d.Version, cur.Version)
		}
		t := s.now()
		cur.ReviewedAt, cur.ReviewedBy = &t, int64(catalogue.ActorFrom(ctx).Token)
		cur.Outcome, cur.ChildSpokenTo, cur.Findings = string(d.Outcome), d.ChildSpokenTo, d.Findings
		cur.Version, cur.UpdatedAt = cur.Version+1, t
		res := tx.Model(&moveReviewRow{}).Where("id = ? AND version = ? AND reviewed_at IS NULL", cur.ID, d.Version).
			Select("reviewed_at", "reviewed_by", "outcome", "child_spoken_to", "findings", "version", "updated_at").Updates(&cur)
		if res.Error != nil {
			return dbError(res.Error, "record "+what)
		}
		if res.RowsAffected != 1 {
			return conflict("%s: reviewed by someone else meanwhile", what)
		}
		out = toMoveReview(cur, c.Council)
		return s.audit(ctx, tx, actionReview, childSubject(catalogue.ChildID(cur.ChildID)), catalogue.CouncilCode(c.Council))
	})
	if err != nil {
		return catalogue.MoveReview{}, err
	}
	return out, nil
}

// currentEpisode returns the child's current episode, or nil.
func currentEpisode(db *gorm.DB, child int64) (*episodeRow, error) {
	var rows []episodeRow
	if err := db.Where("child_id = ? AND end_date IS NULL", child).Limit(1).Find(&rows).Error; err != nil {
		return nil, dbError(err, "read current placement")
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// RecordCheckIn stores a check-in the child made about their current placement, with the
// store's clock as its time. This is what the child's own page calls: sc is the scope of the
// child's session (their council) and c.Child the child the session is for.
func (s *Store) RecordCheckIn(ctx context.Context, sc catalogue.Scope, c catalogue.CheckIn) (catalogue.CheckIn, error) {
	what := "check-in of child " + c.Child.String()
	if err := c.Validate(); err != nil {
		return catalogue.CheckIn{}, validation(what, err)
	}
	var out catalogue.CheckIn
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		ch, err := readChild(tx, sc, c.Child, false)
		if err != nil {
			return err
		}
		cur, err := currentEpisode(tx, ch.ID)
		if err != nil {
			return err
		}
		if cur == nil {
			return conflict("%s: the child has no current placement to check in about", what)
		}
		c.ID, c.Episode, c.At = 0, catalogue.EpisodeID(cur.ID), s.now()
		row := fromCheckIn(c)
		if err := tx.Create(&row).Error; err != nil {
			return dbError(err, "record "+what)
		}
		out = toCheckIn(row, ch.Council)
		if err := s.audit(ctx, tx, actionCheckIn, childSubject(c.Child), catalogue.CouncilCode(ch.Council)); err != nil {
			return err
		}
		out.ShareWithAdvocate = c.ShareWithAdvocate
		if err := s.checkInAdvocacy(ctx, tx, out, catalogue.CouncilCode(ch.Council)); err != nil {
			return err
		}
		out.ShareWithAdvocate = false // kept as the advocacy request's words, not the check-in's
		// Feeling unsafe, or a sharp fall, raises an alert in this transaction: the check-in is
		// never kept without it.
		about, err := checkInsOf(tx, ch, &cur.ID)
		if err != nil {
			return err
		}
		return s.raiseAlert(ctx, tx, ch, out, about)
	})
	if err != nil {
		return catalogue.CheckIn{}, err
	}
	return out, nil
}

// CheckIns returns the child's check-ins, oldest first.
func (s *Store) CheckIns(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID) ([]catalogue.CheckIn, error) {
	db := s.db.WithContext(ctx)
	c, err := readChild(db, sc, child, false)
	if err != nil {
		return nil, err
	}
	return checkInsOf(db, c, nil)
}

func checkInsOf(db *gorm.DB, c childInfo, episode *int64) ([]catalogue.CheckIn, error) {
	q := db.Where("child_id = ?", c.ID)
	if episode != nil {
		q = q.Where("episode_id = ?", *episode)
	}
	var rows []checkInRow
	if err := q.Order("at").Order("id").Find(&rows).Error; err != nil {
		return nil, dbError(err, "read check-ins")
	}
	out := make([]catalogue.CheckIn, len(rows))
	for i, r := range rows {
		out[i] = toCheckIn(r, c.Council)
	}
	return out, nil
}

func checkInPlanOf(db *gorm.DB, c childInfo) (catalogue.CheckInPlan, error) {
	var rows []checkInPlanRow
	if err := db.Where("child_id = ?", c.ID).Limit(1).Find(&rows).Error; err != nil {
		return catalogue.CheckInPlan{}, dbError(err, "read check-in plan")
	}
	if len(rows) == 0 {
		return catalogue.DefaultCheckInPlan(catalogue.ChildID(c.ID), catalogue.CouncilCode(c.Council)), nil
	}
	return toCheckInPlan(rows[0], c.Council)
}

// CheckInPlan returns the schedule agreed with the child, or the default one (Version 0).
func (s *Store) CheckInPlan(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID) (catalogue.CheckInPlan, error) {
	db := s.db.WithContext(ctx)
	c, err := readChild(db, sc, child, false)
	if err != nil {
		return catalogue.CheckInPlan{}, err
	}
	return checkInPlanOf(db, c)
}

// SetCheckInPlan records the schedule agreed with the child. p.Version is the version read: 0
// when the child still has the default plan.
func (s *Store) SetCheckInPlan(ctx context.Context, sc catalogue.Scope, p catalogue.CheckInPlan) (catalogue.CheckInPlan, error) {
	what := "check-in plan of child " + p.Child.String()
	if err := p.Validate(); err != nil {
		return catalogue.CheckInPlan{}, validation(what, err)
	}
	var out catalogue.CheckInPlan
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		c, err := readChild(tx, sc, p.Child, true)
		if err != nil {
			return err
		}
		var rows []checkInPlanRow
		if err := tx.Where("child_id = ?", c.ID).Limit(1).Find(&rows).Error; err != nil {
			return dbError(err, what)
		}
		stored := 0
		if len(rows) > 0 {
			stored = rows[0].Version
		}
		if p.Version != stored {
			return conflict("%s: version %d is stale, the stored version is %d", what, p.Version, stored)
		}
		t := s.now()
		p.Council, p.AgreedAt, p.UpdatedAt, p.Version = catalogue.CouncilCode(c.Council), t, t, stored+1
		row := fromCheckInPlan(p)
		if stored == 0 {
			if err := tx.Create(&row).Error; err != nil {
				if errors.Is(err, gorm.ErrDuplicatedKey) {
					return conflict("%s: agreed by someone else meanwhile", what)
				}
				return dbError(err, "record "+what)
			}
		} else {
			res := tx.Model(&checkInPlanRow{}).Where("child_id = ? AND version = ?", c.ID, stored).
				Select("days", "then_every", "agreed_at", "version", "updated_at").Updates(&row)
			if res.Error != nil {
				return dbError(res.Error, "record "+what)
			}
			if res.RowsAffected != 1 {
				return conflict("%s: changed by someone else meanwhile", what)
			}
		}
		out = p
		return s.audit(ctx, tx, actionPlan, childSubject(p.Child), p.Council)
	})
	if err != nil {
		return catalogue.CheckInPlan{}, err
	}
	return out, nil
}

// CheckInStatus says, on day on, whether the child should be invited to check in about their
// current placement, with their plan and the check-ins made about it. The child's own page
// calls it to decide whether to invite them.
func (s *Store) CheckInStatus(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID, on time.Time) (catalogue.CheckInStatus, error) {
	db := s.db.WithContext(ctx)
	c, err := readChild(db, sc, child, false)
	if err != nil {
		return catalogue.CheckInStatus{}, err
	}
	st := catalogue.CheckInStatus{Child: child}
	if st.Plan, err = checkInPlanOf(db, c); err != nil {
		return catalogue.CheckInStatus{}, err
	}
	cur, err := currentEpisode(db, c.ID)
	if err != nil || cur == nil {
		return st, err
	}
	e := toEpisode(*cur, c.Council)
	st.Current = &e
	if st.CheckIns, err = checkInsOf(db, c, &cur.ID); err != nil {
		return catalogue.CheckInStatus{}, err
	}
	st.Schedule = st.Plan.Schedule(e.Start, st.CheckIns, on)
	return st, nil
}
