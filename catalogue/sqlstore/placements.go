package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"time"

	"golang.org/x/sync/errgroup"
	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// providerScope restricts a query on placements to the scope: a provider's own placements.
// Officers see every placement (supply is shared across councils).
func providerScope(q *gorm.DB, s catalogue.Scope) *gorm.DB {
	if s.Provider != 0 {
		return q.Where("provider_id = ?", int64(s.Provider))
	}
	return q
}

// vacancyScope restricts a query on vacancies to the places of the scope's placements.
func vacancyScope(q *gorm.DB, s catalogue.Scope) *gorm.DB {
	if s.Provider != 0 {
		return q.Where("placement_id IN (SELECT id FROM placements WHERE provider_id = ?)", int64(s.Provider))
	}
	return q
}

func providerSubject(id catalogue.ProviderID) string   { return "provider:" + id.String() }
func placementSubject(id catalogue.PlacementID) string { return "placement:" + id.String() }
func vacancySubject(id catalogue.VacancyID) string     { return "vacancy:" + id.String() }

// openStatuses are the statuses of places that count against a placement's approved number.
var openStatuses = []string{string(catalogue.VacancyAvailable), string(catalogue.VacancyHeld), string(catalogue.VacancyFilled)}

// CreateProvider stores a new provider.
func (s *Store) CreateProvider(ctx context.Context, p catalogue.Provider) (catalogue.Provider, error) {
	if err := p.Validate(); err != nil {
		return catalogue.Provider{}, validation("provider", err)
	}
	t := s.now()
	p.ID, p.CreatedAt, p.UpdatedAt = 0, t, t
	row := fromProvider(p)
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return dbError(err, "create provider")
		}
		return s.audit(ctx, tx, "create", providerSubject(catalogue.ProviderID(row.ID)), p.Council)
	})
	if err != nil {
		return catalogue.Provider{}, err
	}
	return toProvider(row), nil
}

// Provider returns one provider.
func (s *Store) Provider(ctx context.Context, id catalogue.ProviderID) (catalogue.Provider, error) {
	var row providerRow
	if err := s.db.WithContext(ctx).Where("id = ?", int64(id)).Take(&row).Error; err != nil {
		return catalogue.Provider{}, dbError(err, "provider "+id.String())
	}
	return toProvider(row), nil
}

// ListProviders returns a page of providers by ascending ID.
func (s *Store) ListProviders(ctx context.Context, f catalogue.ProviderFilter) (catalogue.Page[catalogue.Provider], error) {
	q := s.db.WithContext(ctx)
	if f.Kind != "" {
		q = q.Where("kind = ?", string(f.Kind))
	}
	rows, next, err := readRows(q, f.Limit, int64(f.After), func(r providerRow) int64 { return r.ID }, "list providers")
	if err != nil {
		return catalogue.Page[catalogue.Provider]{}, err
	}
	return catalogue.Page[catalogue.Provider]{Items: mapList(rows, toProvider), Next: next}, nil
}

// checkPlacementRefs checks the placement's provider and, for kinship, the children it is
// assessed for exist. An officer (a scope of one council) writes only kinship homes, and names
// only children of their council: another council's child is "no such child", as one that does
// not exist is.
func (s *Store) checkPlacementRefs(tx *gorm.DB, sc catalogue.Scope, p catalogue.Placement, what string) error {
	var n int64
	if err := tx.Model(&providerRow{}).Where("id = ?", int64(p.Provider)).Count(&n).Error; err != nil {
		return dbError(err, what+": read provider")
	}
	if n == 0 {
		return invalid(what, "provider", "no such provider")
	}
	if officerScope(sc) && p.Kind != catalogue.Kinship {
		return invalid(what, "kind", "must be kinship: an officer keeps only kinship homes of their council's children")
	}
	if len(p.ConnectedTo) == 0 {
		return nil
	}
	children := tx
	if officerScope(sc) {
		children = councilScope(tx, sc)
	}
	found, err := existingIDs[childRow](s, children, p.ConnectedTo)
	if err != nil {
		return dbError(err, what+": read children")
	}
	for i, c := range p.ConnectedTo {
		if !found[int64(c)] {
			return invalid(what, fmt.Sprintf("connected_to[%d]", i), "no such child")
		}
	}
	return nil
}

// officerScope reports whether the scope is an officer's: one council's children, and of the
// placements only the kinship homes connected to them to write.
func officerScope(sc catalogue.Scope) bool { return sc.Council != "" && sc.Provider == 0 }

// keptByOfficer reports whether an officer's scope may change a stored home or its places: a
// kinship home connected only to children of the officer's council. Every other scope may
// (providers are held to their own homes by providerScope).
func (s *Store) keptByOfficer(tx *gorm.DB, sc catalogue.Scope, p placementRow, what string) (bool, error) {
	if !officerScope(sc) {
		return true, nil
	}
	if p.Kind != string(catalogue.Kinship) {
		return false, nil
	}
	var ids []catalogue.ChildID
	rd := jsonReader{what: what}
	rd.read("connected_to", p.ConnectedTo, &ids)
	if rd.err != nil {
		return false, rd.err
	}
	if len(ids) == 0 {
		return false, nil
	}
	found, err := existingIDs[childRow](s, councilScope(tx, sc), ids)
	if err != nil {
		return false, dbError(err, what+": read children")
	}
	for _, id := range ids {
		if !found[int64(id)] {
			return false, nil
		}
	}
	return true, nil
}

// checkKeeper is ErrNotFound when the scope may not change the stored home p or its places
// (see keptByOfficer): outside an officer's scope to write, as another provider's home is
// outside a provider's.
func (s *Store) checkKeeper(tx *gorm.DB, sc catalogue.Scope, p placementRow, what string) error {
	kept, err := s.keptByOfficer(tx, sc, p, what)
	if err != nil {
		return err
	}
	if !kept {
		return notFound("%s: placement %d", what, p.ID)
	}
	return nil
}

// hideChildren blanks the child (and what matching knows of them) of each place held for or
// filled by a child outside the scope's children: another council's officer, or a provider,
// learns that a place is held or filled, never for whom. The zero scope sees every child.
func (s *Store) hideChildren(db *gorm.DB, sc catalogue.Scope, vs []catalogue.Vacancy) error {
	if sc == catalogue.Everything {
		return nil
	}
	var ids []int64
	for _, v := range vs {
		if v.Child != 0 {
			ids = append(ids, int64(v.Child))
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var in []int64
	q := councilScope(db.Session(&gorm.Session{NewDB: true}).Model(&childRow{}), sc)
	if err := q.Where(s.oneOf("id", ids)).Pluck("id", &in).Error; err != nil {
		return dbError(err, "read the children the places are for")
	}
	seen := make(map[int64]bool, len(in))
	for _, id := range in {
		seen[id] = true
	}
	for i := range vs {
		if vs[i].Child != 0 && !seen[int64(vs[i].Child)] {
			vs[i].Child, vs[i].Occupant = 0, nil
		}
	}
	return nil
}

// existingIDs returns which of ids are stored in R's table.
func existingIDs[R any, ID ~int64](s *Store, tx *gorm.DB, ids []ID) (map[int64]bool, error) {
	found := make(map[int64]bool, len(ids))
	if len(ids) == 0 {
		return found, nil
	}
	var got []int64
	if err := tx.Model(new(R)).Where(s.oneOf("id", int64s(ids))).Pluck("id", &got).Error; err != nil {
		return nil, err
	}
	for _, id := range got {
		found[id] = true
	}
	return found, nil
}

func int64s[ID ~int64](ids []ID) []int64 {
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i] = int64(id)
	}
	return out
}

// CreatePlacement stores a new placement. Its Vacancies are ignored: places are added with
// CreateVacancy (or travel inside a placement in an Import).
func (s *Store) CreatePlacement(ctx context.Context, sc catalogue.Scope, p catalogue.Placement) (catalogue.Placement, error) {
	if err := p.Validate(); err != nil {
		return catalogue.Placement{}, validation("placement", err)
	}
	if sc.Provider != 0 && p.Provider != sc.Provider {
		return catalogue.Placement{}, invalid("placement", "provider", "must be your own provider")
	}
	t := s.now()
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt, p.Vacancies = 0, 1, t, t, nil
	p.ProfileReview = wroteProfile(ctx)
	row, err := fromPlacement(p)
	if err != nil {
		return catalogue.Placement{}, fmt.Errorf("placement: %w", err)
	}
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		if err := s.checkPlacementRefs(tx, sc, p, "placement"); err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return dbError(err, "create placement")
		}
		return s.audit(ctx, tx, "create", placementSubject(catalogue.PlacementID(row.ID)), p.Council)
	})
	if err != nil {
		return catalogue.Placement{}, err
	}
	out, err := toPlacement(row, nil)
	if err != nil {
		return catalogue.Placement{}, err
	}
	ps := []catalogue.Placement{out}
	if err := s.fillOwners(s.db.WithContext(ctx), ps); err != nil {
		return catalogue.Placement{}, err
	}
	return ps[0], nil
}

// Placement returns one placement in scope, with its places.
func (s *Store) Placement(ctx context.Context, sc catalogue.Scope, id catalogue.PlacementID) (catalogue.Placement, error) {
	db := s.db.WithContext(ctx)
	var row placementRow
	if err := providerScope(db, sc).Where("id = ?", int64(id)).Take(&row).Error; err != nil {
		return catalogue.Placement{}, dbError(err, "placement "+id.String())
	}
	return s.withVacancies(db, sc, row)
}

// withVacancies reads the placement's places, their children hidden outside the scope.
func (s *Store) withVacancies(db *gorm.DB, sc catalogue.Scope, row placementRow) (catalogue.Placement, error) {
	vs, err := s.placementVacancies(db, sc, []int64{row.ID})
	if err != nil {
		return catalogue.Placement{}, err
	}
	p, err := toPlacement(row, vs[row.ID])
	if err != nil {
		return catalogue.Placement{}, err
	}
	ps := []catalogue.Placement{p}
	if err := s.hideConnected(db, sc, ps); err != nil {
		return catalogue.Placement{}, err
	}
	if err := s.fillOwners(db, ps); err != nil {
		return catalogue.Placement{}, err
	}
	return ps[0], nil
}

// hideConnected keeps, of the children a kinship home is connected to, only those an officer's
// scope may see (their own council's): another council's officer learns that a home is a kinship
// home, never which children it is for. Administrators see them all, and so does the home's own
// provider (whose scope reads only its homes); matching reads everything.
func (s *Store) hideConnected(db *gorm.DB, sc catalogue.Scope, ps []catalogue.Placement) error {
	if sc.Council == "" {
		return nil
	}
	var ids []int64
	for _, p := range ps {
		ids = append(ids, int64s(p.ConnectedTo)...)
	}
	if len(ids) == 0 {
		return nil
	}
	var in []int64
	q := councilScope(db.Session(&gorm.Session{NewDB: true}).Model(&childRow{}), sc)
	if err := q.Where(s.oneOf("id", ids)).Pluck("id", &in).Error; err != nil {
		return dbError(err, "read the children the homes are connected to")
	}
	seen := make(map[int64]bool, len(in))
	for _, id := range in {
		seen[id] = true
	}
	for i := range ps {
		if len(ps[i].ConnectedTo) == 0 {
			continue
		}
		kept := []catalogue.ChildID{}
		for _, c := range ps[i].ConnectedTo {
			if seen[int64(c)] {
				kept = append(kept, c)
			}
		}
		ps[i].ConnectedTo = kept
	}
	return nil
}

// placementVacancies returns the places of each placement, in ID order, with one query (and
// one more to hide children outside the scope, when any place has one).
func (s *Store) placementVacancies(db *gorm.DB, sc catalogue.Scope, placements []int64) (map[int64][]catalogue.Vacancy, error) {
	out := make(map[int64][]catalogue.Vacancy, len(placements))
	if len(placements) == 0 {
		return out, nil
	}
	rows, err := scanAll[vacancyRow](db.Where(s.oneOf("placement_id", placements)).Order("id"), vacancyColumns)
	if err != nil {
		return nil, dbError(err, "read vacancies")
	}
	occupants, err := s.occupantsOf(db, rows)
	if err != nil {
		return nil, err
	}
	all := make([]catalogue.Vacancy, len(rows))
	for i, r := range rows {
		all[i] = toVacancy(r)
		if r.ChildID != nil {
			all[i].Occupant = occupants[*r.ChildID]
		}
	}
	if err := s.hideChildren(db, sc, all); err != nil {
		return nil, err
	}
	for _, v := range all {
		out[int64(v.Placement)] = append(out[int64(v.Placement)], v)
	}
	return out, nil
}

// occupantsOf reads what matching needs of the children the places are held for or filled by
// (catalogue.Occupant), with one query when there are any.
func (s *Store) occupantsOf(db *gorm.DB, rows []vacancyRow) (map[int64]*catalogue.Occupant, error) {
	var ids []int64
	for _, r := range rows {
		if r.ChildID != nil {
			ids = append(ids, *r.ChildID)
		}
	}
	out := make(map[int64]*catalogue.Occupant, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var found []struct {
		ID            int64
		DateOfBirth   time.Time
		Companions    string
		RisksToOthers string
	}
	err := db.Session(&gorm.Session{NewDB: true}).Model(&childRow{}).
		Select("id", "date_of_birth", "companions", "risks_to_others").Where(s.oneOf("id", ids)).Find(&found).Error
	if err != nil {
		return nil, dbError(err, "read the children the places are for")
	}
	for _, c := range found {
		o := &catalogue.Occupant{DateOfBirth: c.DateOfBirth.UTC(), Companions: catalogue.Companions(c.Companions)}
		rd := jsonReader{what: "child " + catalogue.ChildID(c.ID).String()}
		rd.read("risks_to_others", c.RisksToOthers, &o.Risks)
		if rd.err != nil {
			return nil, rd.err
		}
		out[c.ID] = o
	}
	return out, nil
}

// UpdatePlacement replaces a placement's record (not its places, which have their own
// methods). p.Version must be the stored version.
func (s *Store) UpdatePlacement(ctx context.Context, sc catalogue.Scope, p catalogue.Placement) (catalogue.Placement, error) {
	what := "placement " + p.ID.String()
	if p.ID <= 0 {
		return catalogue.Placement{}, notFound("%s", what)
	}
	if err := p.Validate(); err != nil {
		return catalogue.Placement{}, validation(what, err)
	}
	if sc.Provider != 0 && p.Provider != sc.Provider {
		return catalogue.Placement{}, invalid(what, "provider", "must be your own provider")
	}
	var out catalogue.Placement
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var cur placementRow
		err := forUpdate(providerScope(tx, sc)).Select("id", "kind", "connected_to", "version", "created_at", "profile", "profile_review").
			Where("id = ?", int64(p.ID)).Take(&cur).Error
		if err != nil {
			return dbError(err, what)
		}
		if err := s.checkKeeper(tx, sc, cur, what); err != nil {
			return err
		}
		if cur.Version != p.Version {
			return conflict("%s: version %d is stale, the stored version is %d", what, p.Version, cur.Version)
		}
		if err := s.checkPlacementRefs(tx, sc, p, what); err != nil {
			return err
		}
		p.Version, p.CreatedAt, p.UpdatedAt = cur.Version+1, cur.CreatedAt.UTC(), s.now()
		// The review stays with the text it was made of: new words withdraw the approval.
		if p.ProfileReview, err = reviewOf(cur); err != nil {
			return err
		}
		withdrawn := p.Profile != cur.Profile && p.ProfileReview.ApprovedHash != ""
		if p.Profile != cur.Profile {
			p.ProfileReview = wroteProfile(ctx)
		}
		row, err := fromPlacement(p)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		res := tx.Model(&placementRow{}).Where("id = ? AND version = ?", int64(p.ID), cur.Version).
			Select("*").Omit("id", "created_at").Updates(&row)
		if res.Error != nil {
			return dbError(res.Error, "update "+what)
		}
		if res.RowsAffected != 1 {
			return conflict("%s: changed by someone else", what)
		}
		if err := s.audit(ctx, tx, "update", placementSubject(p.ID), p.Council); err != nil {
			return err
		}
		if withdrawn {
			if err := s.audit(ctx, tx, actionWithdrawApproval, placementSubject(p.ID), p.Council); err != nil {
				return err
			}
		}
		out, err = s.withVacancies(tx, sc, row)
		return err
	})
	if err != nil {
		return catalogue.Placement{}, err
	}
	return out, nil
}

// ListPlacements returns a page of placements in scope, each with its places (read with one
// query for the whole page).
func (s *Store) ListPlacements(ctx context.Context, sc catalogue.Scope, f catalogue.PlacementFilter) (catalogue.Page[catalogue.Placement], error) {
	if f.Kind != "" && !f.Kind.Valid() {
		return catalogue.Page[catalogue.Placement]{}, catalogue.Invalid("kind", "must be one of %v", catalogue.PlacementKinds)
	}
	box, err := newNear(f.Near)
	if err != nil {
		return catalogue.Page[catalogue.Placement]{}, err
	}
	db := s.db.WithContext(ctx)
	q := providerScope(db, sc)
	if f.Council != "" {
		q = q.Where("council = ?", string(f.Council))
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", string(f.Kind))
	}
	if f.Provider != 0 {
		q = q.Where("provider_id = ?", int64(f.Provider))
	}
	if f.Active != nil {
		q = q.Where("active = ?", *f.Active)
	}
	if f.HasVacancy {
		q = q.Where("EXISTS (SELECT 1 FROM vacancies v WHERE v.placement_id = placements.id AND v.status = ?)",
			string(catalogue.VacancyAvailable))
	}
	var keep func(placementRow) bool
	if box != nil {
		q = box.where(q, "lat", "lng")
		keep = func(r placementRow) bool { return box.contains(catalogue.Location{Lat: r.Lat, Lng: r.Lng}) }
	}
	rows, next, err := paginate(f.Limit, int64(f.After), func(r placementRow) int64 { return r.ID },
		func(after int64, n int) ([]placementRow, error) {
			rows, err := scanAll[placementRow](afterID(q.Session(&gorm.Session{}), after, n), placementColumns)
			return rows, dbError(err, "list placements")
		}, keep)
	if err != nil {
		return catalogue.Page[catalogue.Placement]{}, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	vs, err := s.placementVacancies(db, sc, ids)
	if err != nil {
		return catalogue.Page[catalogue.Placement]{}, err
	}
	page := catalogue.Page[catalogue.Placement]{Items: make([]catalogue.Placement, len(rows)), Next: next}
	if err := convertAll(ctx, rows, page.Items, func(r placementRow) (catalogue.Placement, error) {
		return toPlacement(r, vs[r.ID])
	}); err != nil {
		return catalogue.Page[catalogue.Placement]{}, err
	}
	if err := s.hideConnected(db, sc, page.Items); err != nil {
		return catalogue.Page[catalogue.Placement]{}, err
	}
	if err := s.fillOwners(db, page.Items); err != nil {
		return catalogue.Page[catalogue.Placement]{}, err
	}
	return page, nil
}

// convertAll converts rows into out, sharing a large page between the cores: decoding the JSON
// documents is most of the cost of reading a page of 5,000 placements.
func convertAll[R, T any](ctx context.Context, rows []R, out []T, convert func(R) (T, error)) error {
	const piece = 500
	if len(rows) <= piece {
		for i, r := range rows {
			var err error
			if out[i], err = convert(r); err != nil {
				return err
			}
		}
		return nil
	}
	g, _ := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for start := 0; start < len(rows); start += piece {
		g.Go(func() error {
			for i := start; i < min(start+piece, len(rows)); i++ {
				var err error
				if out[i], err = convert(rows[i]); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// placeCount is what a placement's approval allows and what is already taken or offered.
type placeCount struct {
	max    int // approval.max_children
	placed int // looked-after children already living there
	places int // available, held and filled places
}

func (c placeCount) room() int { return c.max - c.placed - c.places }

// countPlaces reads the approval and household of a placement and counts its open places, not
// counting the place except (0: none).
func countPlaces(tx *gorm.DB, p placementRow, except int64) (placeCount, error) {
	var a approvalDoc
	var h householdDoc
	if err := json.Unmarshal([]byte(p.Approval), &a); err != nil {
		return placeCount{}, fmt.Errorf("placement %d: decode approval: %w", p.ID, err)
	}
	if err := json.Unmarshal([]byte(p.Household), &h); err != nil {
		return placeCount{}, fmt.Errorf("placement %d: decode household: %w", p.ID, err)
	}
	c := placeCount{max: a.MaxChildren}
	for _, m := range h.Members {
		if m.Role == catalogue.MemberPlacedChild {
			c.placed++
		}
	}
	var n int64
	err := tx.Model(&vacancyRow{}).Where("placement_id = ? AND status IN ? AND id <> ?", p.ID, openStatuses, except).
		Count(&n).Error
	if err != nil {
		return placeCount{}, dbError(err, "count places")
	}
	c.places = int(n)
	return c, nil
}

// lockPlacement reads a placement in scope for a change to its places, locking its row on
// PostgreSQL so that two changes to one placement's places run one after the other.
func lockPlacement(tx *gorm.DB, sc catalogue.Scope, id catalogue.PlacementID, what string) (placementRow, error) {
	var p placementRow
	err := forUpdate(providerScope(tx, sc)).Select("id", "kind", "council", "approval", "household", "connected_to").
		Where("id = ?", int64(id)).Take(&p).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return p, notFound("%s: placement %d", what, int64(id))
	case err != nil:
		return p, dbError(err, what+": read placement")
	}
	return p, nil
}

// checkVacancyChild checks the child a place is held for or filled by exists and is in scope.
func checkVacancyChild(tx *gorm.DB, sc catalogue.Scope, v catalogue.Vacancy, what string) error {
	if v.Child == 0 {
		return nil
	}
	var n int64
	if err := councilScope(tx.Model(&childRow{}), sc).Where("id = ?", int64(v.Child)).Count(&n).Error; err != nil {
		return dbError(err, what+": read child")
	}
	if n == 0 {
		return invalid(what, "child", "no such child")
	}
	return nil
}

// vacancyWriteError names the unique rule a place can break: a child fills one place at most.
func vacancyWriteError(err error, what string) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return conflict("%s: the child already fills another place", what)
	}
	return dbError(err, what)
}

// CreateVacancy adds a place to a placement in scope. A place that is available, held or
// filled must fit in the placement's approved number of children, counting the looked-after
// children already living there (ErrConflict when it does not).
func (s *Store) CreateVacancy(ctx context.Context, sc catalogue.Scope, v catalogue.Vacancy) (catalogue.Vacancy, error) {
	if err := v.Validate(); err != nil {
		return catalogue.Vacancy{}, validation("vacancy", err)
	}
	t := s.now()
	v.ID, v.Version, v.CreatedAt, v.UpdatedAt = 0, 1, t, t
	row := fromVacancy(v)
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		p, err := lockPlacement(tx, sc, v.Placement, "vacancy")
		if err != nil {
			return err
		}
		if err := s.checkKeeper(tx, sc, p, "vacancy"); err != nil {
			return err
		}
		if v.Status != catalogue.VacancyWithdrawn {
			c, err := countPlaces(tx, p, 0)
			if err != nil {
				return err
			}
			if c.room() < 1 {
				return conflict("vacancy: placement %d is approved for %d children and has %d placed and %d places listed",
					p.ID, c.max, c.placed, c.places)
			}
		}
		if err := checkVacancyChild(tx, sc, v, "vacancy"); err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return vacancyWriteError(err, "create vacancy")
		}
		return s.audit(ctx, tx, "create", vacancySubject(catalogue.VacancyID(row.ID)), catalogue.CouncilCode(p.Council))
	})
	if err != nil {
		return catalogue.Vacancy{}, err
	}
	return s.vacancyIn(s.db.WithContext(ctx), sc, row)
}

// vacancyIn converts a place's row, its child hidden outside the scope.
func (s *Store) vacancyIn(db *gorm.DB, sc catalogue.Scope, row vacancyRow) (catalogue.Vacancy, error) {
	v := []catalogue.Vacancy{toVacancy(row)}
	if err := s.hideChildren(db, sc, v); err != nil {
		return catalogue.Vacancy{}, err
	}
	return v[0], nil
}

// Vacancy returns one place in scope.
func (s *Store) Vacancy(ctx context.Context, sc catalogue.Scope, id catalogue.VacancyID) (catalogue.Vacancy, error) {
	var row vacancyRow
	db := s.db.WithContext(ctx)
	if err := vacancyScope(db, sc).Where("id = ?", int64(id)).Take(&row).Error; err != nil {
		return catalogue.Vacancy{}, dbError(err, "vacancy "+id.String())
	}
	return s.vacancyIn(db, sc, row)
}

// UpdateVacancy changes a place: its date, or its status. v.Version must be the stored version.
// An officer's scope holds or fills a place of any home for a child of their council, and
// otherwise changes only the places of the kinship homes it keeps (see catalogue.Scope).
//
// Holding or filling a place is a conditional update that succeeds only while the place is
// available (or already held for the same child), in one transaction with its audit row; of
// any number of requests racing for one place exactly one wins and the others get ErrConflict.
// A partial unique index (a child fills at most one place) is the backstop.
func (s *Store) UpdateVacancy(ctx context.Context, sc catalogue.Scope, v catalogue.Vacancy) (catalogue.Vacancy, error) {
	what := "vacancy " + v.ID.String()
	if v.ID <= 0 {
		return catalogue.Vacancy{}, notFound("%s", what)
	}
	if err := v.Validate(); err != nil {
		return catalogue.Vacancy{}, validation(what, err)
	}
	var row vacancyRow
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var cur vacancyRow
		if err := vacancyScope(tx, sc).Where("id = ?", int64(v.ID)).Take(&cur).Error; err != nil {
			return dbError(err, what)
		}
		if catalogue.PlacementID(cur.PlacementID) != v.Placement {
			return invalid(what, "placement", "cannot change: a place belongs to its placement")
		}
		if cur.Version != v.Version {
			return conflict("%s: version %d is stale, the stored version is %d", what, v.Version, cur.Version)
		}
		p, err := lockPlacement(tx, sc, v.Placement, what)
		if err != nil {
			return err
		}
		if v.Status != catalogue.VacancyHeld && v.Status != catalogue.VacancyFilled {
			// Any officer may hold or fill a place of any home for a child of their council;
			// opening and withdrawing places is the home's keeper's.
			if err := s.checkKeeper(tx, sc, p, what); err != nil {
				return err
			}
		}
		if cur.Status == string(catalogue.VacancyWithdrawn) && v.Status != catalogue.VacancyWithdrawn {
			c, err := countPlaces(tx, p, cur.ID)
			if err != nil {
				return err
			}
			if c.room() < 1 {
				return conflict("%s: placement %d is approved for %d children and has %d placed and %d places listed",
					what, p.ID, c.max, c.placed, c.places)
			}
		}
		if err := checkVacancyChild(tx, sc, v, what); err != nil {
			return err
		}
		v.Version, v.CreatedAt, v.UpdatedAt = cur.Version+1, cur.CreatedAt.UTC(), s.now()
		row = fromVacancy(v)
		q := tx.Model(&vacancyRow{}).Where("id = ? AND version = ?", cur.ID, cur.Version)
		switch v.Status {
		case catalogue.VacancyHeld:
			q = q.Where("(status = ? OR (status = ? AND child_id = ?))",
				string(catalogue.VacancyAvailable), string(catalogue.VacancyHeld), int64(v.Child))
		case catalogue.VacancyFilled:
			q = q.Where("(status = ? OR (status IN ? AND child_id = ?))",
				string(catalogue.VacancyAvailable), []string{string(catalogue.VacancyHeld), string(catalogue.VacancyFilled)}, int64(v.Child))
		}
		res := q.Select("available_from", "status", "child_id", "version", "updated_at").Updates(&row)
		if res.Error != nil {
			return vacancyWriteError(res.Error, "update "+what)
		}
		if res.RowsAffected != 1 {
			return conflict("%s: the place is no longer free", what)
		}
		return s.audit(ctx, tx, "update", vacancySubject(v.ID), catalogue.CouncilCode(p.Council))
	})
	if err != nil {
		return catalogue.Vacancy{}, err
	}
	return s.vacancyIn(s.db.WithContext(ctx), sc, row)
}

// ListVacancies returns a page of places in scope.
func (s *Store) ListVacancies(ctx context.Context, sc catalogue.Scope, f catalogue.VacancyFilter) (catalogue.Page[catalogue.Vacancy], error) {
	if f.Status != "" && !f.Status.Valid() {
		return catalogue.Page[catalogue.Vacancy]{}, catalogue.Invalid("status", "must be one of %v", catalogue.VacancyStatuses)
	}
	q := vacancyScope(s.db.WithContext(ctx), sc)
	if f.Placement != 0 {
		q = q.Where("placement_id = ?", int64(f.Placement))
	}
	if f.Child != 0 {
		q = q.Where("child_id = ?", int64(f.Child))
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	rows, next, err := readRows(q, f.Limit, int64(f.After), func(r vacancyRow) int64 { return r.ID }, "list vacancies")
	if err != nil {
		return catalogue.Page[catalogue.Vacancy]{}, err
	}
	page := catalogue.Page[catalogue.Vacancy]{Items: mapList(rows, toVacancy), Next: next}
	if err := s.hideChildren(s.db.WithContext(ctx), sc, page.Items); err != nil {
		return catalogue.Page[catalogue.Vacancy]{}, err
	}
	return page, nil
}
