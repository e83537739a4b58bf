package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

func (s *server) listProviders(c *gin.Context) error {
	q := newQuery(c)
	f := catalogue.ProviderFilter{Kind: enum(q, "kind", catalogue.ProviderKind.Valid)}
	limit, after := q.page()
	f.Limit, f.After = limit, catalogue.ProviderID(after)
	if err := q.err(); err != nil {
		return err
	}
	if p := principal(c); p.Role == catalogue.RoleProvider {
		pr, err := s.store.Provider(c.Request.Context(), p.Provider)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, pageDTO[providerDTO]{Items: []providerDTO{fromProvider(pr)}})
		return nil
	}
	page, err := s.store.ListProviders(c.Request.Context(), f)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, fromProvider))
	return nil
}

func (s *server) getProvider(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if p := principal(c); p.Role == catalogue.RoleProvider && p.Provider != catalogue.ProviderID(id) {
		return catalogue.ErrNotFound
	}
	pr, err := s.store.Provider(c.Request.Context(), catalogue.ProviderID(id))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromProvider(pr))
	return nil
}

func (s *server) createProvider(c *gin.Context) error {
	var d providerDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	d.ID = 0
	pr, err := toProvider(d)
	if err != nil {
		return err
	}
	pr, err = s.store.CreateProvider(c.Request.Context(), pr)
	if err != nil {
		return err
	}
	c.Header("Location", "/v1/providers/"+pr.ID.String())
	c.JSON(http.StatusCreated, fromProvider(pr))
	return nil
}

func (s *server) listPlacements(c *gin.Context) error {
	q := newQuery(c)
	f := catalogue.PlacementFilter{
		Council:    enum(q, "council", catalogue.CouncilCode.Valid),
		Kind:       enum(q, "kind", catalogue.PlacementKind.Valid),
		Provider:   catalogue.ProviderID(q.int("provider", 1, 1<<62)),
		HasVacancy: q.bool("has_vacancy"),
		Near:       q.near(),
	}
	if q.str("active") != "" {
		active := q.bool("active")
		f.Active = &active
	}
	limit, after := q.page()
	f.Limit, f.After = limit, catalogue.PlacementID(after)
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.store.ListPlacements(c.Request.Context(), principal(c).Scope(), f)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, s.placementView))
	return nil
}

func (s *server) getPlacement(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	pl, err := s.store.Placement(c.Request.Context(), principal(c).Scope(), catalogue.PlacementID(id))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.placementView(pl))
	return nil
}

func (s *server) createPlacement(c *gin.Context) error {
	var d placementDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	d.ID, d.Version = 0, 0
	p := principal(c)
	if p.Role == catalogue.RoleProvider && d.Provider == 0 {
		d.Provider = int64(p.Provider)
	}
	pl, err := toPlacement(d)
	if err != nil {
		return err
	}
	if pl, err = s.addPlacement(c.Request.Context(), p, pl); err != nil {
		return err
	}
	c.Header("Location", "/v1/placements/"+pl.ID.String())
	c.JSON(http.StatusCreated, s.placementView(pl))
	return nil
}

func (s *server) updatePlacement(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var d placementDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	if err := checkUpdate(id, d.ID, d.Version); err != nil {
		return err
	}
	ctx, p := c.Request.Context(), principal(c)
	cur, err := s.store.Placement(ctx, p.Scope(), catalogue.PlacementID(id))
	if err != nil {
		return err
	}
	if d.Version != cur.Version {
		return stale("placement", cur.ID.String(), d.Version, cur.Version)
	}
	if len(d.Vacancies) > 0 && sameJSON(d.Vacancies, fromPlacement(cur).Vacancies) {
		d.Vacancies = nil // the places as read, sent back: no change
	}
	d.ID = id
	pl, err := toPlacement(d)
	if err != nil {
		return err
	}
	if pl, err = s.changePlacement(ctx, p, cur, pl); err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.placementView(pl))
	return nil
}

// addPlacement stores a new home pl, made by p: the fields p does not own are refused
// (mayWritePlacement), and the matcher's snapshot is told. The API's POST and the provider's
// page add a home through it.
func (s *server) addPlacement(ctx context.Context, p catalogue.Principal, pl catalogue.Placement) (catalogue.Placement, error) {
	if err := s.mayWritePlacement(ctx, p, nil, pl); err != nil {
		return catalogue.Placement{}, err
	}
	pl, err := s.store.CreatePlacement(ctx, p.Scope(), pl)
	if err != nil {
		return catalogue.Placement{}, err
	}
	s.touch(ctx, pl.ID)
	return pl, nil
}

// changePlacement writes pl over cur, as read by p: the fields p does not own are refused
// (mayWritePlacement), the store checks the version, and the matcher's snapshot is told. The
// API's PUT and the provider's pages change a home through it.
func (s *server) changePlacement(ctx context.Context, p catalogue.Principal, cur, pl catalogue.Placement) (catalogue.Placement, error) {
	if err := s.mayWritePlacement(ctx, p, &cur, pl); err != nil {
		return catalogue.Placement{}, err
	}
	pl, err := s.store.UpdatePlacement(ctx, p.Scope(), pl)
	if err != nil {
		return catalogue.Placement{}, err
	}
	s.touch(ctx, pl.ID)
	return pl, nil
}

func (s *server) listVacancies(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	q := newQuery(c)
	f := catalogue.VacancyFilter{Placement: catalogue.PlacementID(id), Status: enum(q, "status", catalogue.VacancyStatus.Valid)}
	limit, after := q.page()
	f.Limit, f.After = limit, catalogue.VacancyID(after)
	if err := q.err(); err != nil {
		return err
	}
	scope := principal(c).Scope()
	if _, err := s.store.Placement(c.Request.Context(), scope, f.Placement); err != nil {
		return err
	}
	page, err := s.store.ListVacancies(c.Request.Context(), scope, f)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, fromVacancy))
	return nil
}

func (s *server) getVacancy(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.store.Vacancy(c.Request.Context(), principal(c).Scope(), catalogue.VacancyID(id))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromVacancy(v))
	return nil
}

func (s *server) createVacancy(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var d vacancyDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	if d.Placement != 0 && d.Placement != id {
		return fieldError("placement", "must match the placement in the path, or be left out")
	}
	d.ID, d.Version, d.Placement = 0, 0, id
	v, err := toVacancy(d)
	if err != nil {
		return err
	}
	if v, err = s.openPlace(c.Request.Context(), principal(c), v); err != nil {
		return err
	}
	c.Header("Location", "/v1/vacancies/"+v.ID.String())
	c.JSON(http.StatusCreated, fromVacancy(v))
	return nil
}

func (s *server) updateVacancy(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var d vacancyDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	if err := checkUpdate(id, d.ID, d.Version); err != nil {
		return err
	}
	scope := principal(c).Scope()
	old, err := s.store.Vacancy(c.Request.Context(), scope, catalogue.VacancyID(id))
	if err != nil {
		return err
	}
	if d.Placement != 0 && d.Placement != int64(old.Placement) {
		return fieldError("placement", "cannot change: a place belongs to its placement")
	}
	d.ID, d.Placement = id, int64(old.Placement)
	v, err := toVacancy(d)
	if err != nil {
		return err
	}
	if v, err = s.changePlace(c.Request.Context(), principal(c), v); err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromVacancy(v))
	return nil
}

// openPlace opens a new place in a home, for p: providers (and officers, for their council's
// kinship homes) open places; the API's POST and the provider's pages open one through it.
func (s *server) openPlace(ctx context.Context, p catalogue.Principal, v catalogue.Vacancy) (catalogue.Vacancy, error) {
	if err := providerMayChange(p, v); err != nil {
		return catalogue.Vacancy{}, err
	}
	if err := s.mayWriteVacancy(ctx, p, nil, v); err != nil {
		return catalogue.Vacancy{}, err
	}
	v, err := s.store.CreateVacancy(ctx, p.Scope(), v)
	if err != nil {
		return catalogue.Vacancy{}, err
	}
	s.touch(ctx, v.Placement)
	return v, nil
}

// changePlace writes v (from the version p read) over the place as stored: providers make a
// place available or withdraw it; holding and filling happen through offers. The API's PUT and
// the provider's pages change a place through it.
func (s *server) changePlace(ctx context.Context, p catalogue.Principal, v catalogue.Vacancy) (catalogue.Vacancy, error) {
	if err := providerMayChange(p, v); err != nil {
		return catalogue.Vacancy{}, err
	}
	// Compared with the place as stored, its child included: the caller's read may hide them.
	old, err := s.store.Vacancy(ctx, catalogue.Everything, v.ID)
	if err != nil {
		return catalogue.Vacancy{}, err
	}
	if v.Version != old.Version {
		return catalogue.Vacancy{}, stale("vacancy", old.ID.String(), v.Version, old.Version)
	}
	if err := s.mayWriteVacancy(ctx, p, &old, v); err != nil {
		return catalogue.Vacancy{}, err
	}
	if v, err = s.store.UpdateVacancy(ctx, p.Scope(), v); err != nil {
		return catalogue.Vacancy{}, err
	}
	s.touch(ctx, v.Placement)
	return v, nil
}

// providerMayChange: providers (and officers, for their kinship homes) open and withdraw
// places; holding and filling them for a child happens through offers, decided by the child's
// council.
func providerMayChange(p catalogue.Principal, v catalogue.Vacancy) error {
	keeper := p.Role == catalogue.RoleProvider || p.Role == catalogue.RoleOfficer
	if keeper && v.Status != catalogue.VacancyAvailable && v.Status != catalogue.VacancyWithdrawn {
		return fieldError("status", "%ss may set a place available or withdrawn; it is held or filled through an offer", p.Role)
	}
	return nil
}

// mayWritePlacement refuses the caller a home that is not theirs to keep, or a change to a
// field they do not own (placementOwnership). cur is the home as stored, nil for a new one.
func (s *server) mayWritePlacement(ctx context.Context, p catalogue.Principal, cur *catalogue.Placement, next catalogue.Placement) error {
	// The home as it will be first: its children name what is refused; then as it is stored.
	if err := s.officerKeeps(ctx, p, next); err != nil {
		return err
	}
	was := newPlacement()
	if cur != nil {
		if err := s.officerKeeps(ctx, p, *cur); err != nil {
			return err
		}
		was = *cur
	}
	if p.Role == catalogue.RoleOfficer && (cur == nil || cur.Provider != next.Provider) {
		pr, err := s.store.Provider(ctx, next.Provider)
		switch {
		case isNotFound(err):
			return fieldError("provider", "no provider has this ID")
		case err != nil:
			return err
		case pr.Kind != catalogue.ProviderCouncil || pr.Council != p.Council:
			return fieldError("provider", "must be your council's own fostering service, which approves its kinship carers")
		}
	}
	was.Vacancies = nil
	return placementOwnership.refuse(settersOf(p.Role), fromPlacement(was), fromPlacement(next))
}

// newPlacement is a placement as a new one starts: every field left out.
func newPlacement() catalogue.Placement {
	p, _ := toPlacement(placementDTO{})
	return p
}

// officerKeeps refuses an officer a home that is not theirs: an officer records and changes
// only kinship (connected person) homes connected to children of their council, and their
// places. A child of another council is refused just as one that does not exist is, so the
// answer tells nothing about children outside the officer's scope. Other roles pass.
func (s *server) officerKeeps(ctx context.Context, p catalogue.Principal, home catalogue.Placement) error {
	if p.Role != catalogue.RoleOfficer {
		return nil
	}
	if home.Kind != catalogue.Kinship {
		return forbidden("kind", "officers keep only kinship (connected person) homes; this one is its provider's")
	}
	if len(home.ConnectedTo) == 0 {
		// A kinship home is always for some child: read in an officer's scope, one whose children
		// are all another council's shows none of them.
		return forbidden("connected_to", "must be children of your council: a kinship home is kept by the council of the children it is for")
	}
	for i, id := range home.ConnectedTo {
		if _, err := s.store.Child(ctx, p.Scope(), id); isNotFound(err) {
			return forbidden(fmt.Sprintf("connected_to[%d]", i),
				"must be a child of your council: a kinship home is kept by the council of the children it is for")
		} else if err != nil {
			return err
		}
	}
	return nil
}

// mayWriteVacancy refuses the caller a place of a home that is not theirs to keep, or a change
// to a field they do not own (vacancyOwnership). cur is the place as stored (its child not
// hidden), nil for a new one.
func (s *server) mayWriteVacancy(ctx context.Context, p catalogue.Principal, cur *catalogue.Vacancy, next catalogue.Vacancy) error {
	if p.Role == catalogue.RoleOfficer {
		home, err := s.store.Placement(ctx, p.Scope(), next.Placement)
		if err != nil {
			return err
		}
		if err := s.officerKeeps(ctx, p, home); err != nil {
			return err
		}
	}
	was := catalogue.Vacancy{Placement: next.Placement, Status: catalogue.VacancyAvailable}
	if cur != nil {
		was = *cur
	}
	return vacancyOwnership.refuse(settersOf(p.Role), fromVacancy(was), fromVacancy(next))
}

// stale is the conflict of a change sent with a version that is no longer the stored one.
func stale(what, id string, sent, stored int) error {
	return catalogue.Errorf(catalogue.KindConflict, "%s %s: version %d is stale, the stored version is %d", what, id, sent, stored)
}

// sameJSON reports whether a and b are written the same in JSON.
func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// touch brings the matcher's snapshot up to date with placements just changed. The change is
// already stored, so a failure here does not fail the request: it is logged, and the next
// refresh of the snapshot repairs it.
func (s *server) touch(ctx context.Context, ids ...catalogue.PlacementID) {
	if err := s.match.Touch(context.WithoutCancel(ctx), ids...); err != nil {
		s.log.WarnContext(ctx, "matcher snapshot not updated", "placements", len(ids), "err", err)
	}
}
