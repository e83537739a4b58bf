package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// sharingReaders may read the sharing agreements: administrators keep them, officers see which
// councils' own carers their children may live with, commissioners plan supply with them.
// Providers do not need them.
var sharingReaders = []catalogue.Role{catalogue.RoleAdmin, catalogue.RoleOfficer, catalogue.RoleCommissioner}

// sharingDTO is a sharing agreement as the API shows and takes it.
type sharingDTO struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Kind: council_to_council (members: the owner of the carers, then the receiving council)
	// or regional_pool (every member's carers open to every other member's children).
	Kind    string   `json:"kind"`
	Members []string `json:"members"`
	OneWay  bool     `json:"one_way"` // council to council only: the receiver's carers are not shared back
	Kinds   []string `json:"kinds"`   // kinds of care shared: council_foster
	From    string   `json:"from"`    // first day in force, YYYY-MM-DD
	To      string   `json:"to"`      // last day in force, YYYY-MM-DD; empty: no end set
	Note    string   `json:"note"`
	Version int      `json:"version"`
	// InForce says whether the agreement is in force today (read only).
	InForce   bool      `json:"in_force"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// sharingEndDTO is the body of POST /v1/sharing-agreements/{id}/end.
type sharingEndDTO struct {
	Version int    `json:"version"`
	On      string `json:"on"` // the last day in force, YYYY-MM-DD; default today
}

func (s *server) fromSharing(a catalogue.SharingAgreement) sharingDTO {
	return sharingDTO{
		ID: int64(a.ID), Name: a.Name, Kind: string(a.Kind), Members: strs(a.Members), OneWay: a.OneWay,
		Kinds: strs(a.Kinds), From: dateString(a.From), To: dateString(a.To), Note: a.Note, Version: a.Version,
		InForce: a.InForce(s.today()), CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
	}
}

// toSharing converts and validates a request's agreement, naming every bad field.
func toSharing(d sharingDTO) (catalogue.SharingAgreement, error) {
	var cv converter
	a := catalogue.SharingAgreement{
		ID: catalogue.SharingAgreementID(d.ID), Name: d.Name, Kind: catalogue.SharingKind(d.Kind),
		Members: enums[catalogue.CouncilCode](d.Members), OneWay: d.OneWay, Kinds: enums[catalogue.PlacementKind](d.Kinds),
		From: cv.date("from", d.From), To: cv.date("to", d.To), Note: d.Note, Version: d.Version,
	}
	return a, cv.validated(a.Validate)
}

func (s *server) sharingStore() (catalogue.SharingStore, error) {
	ss, ok := s.store.(catalogue.SharingStore)
	if !ok {
		return nil, &httpError{status: http.StatusServiceUnavailable, detail: "this store keeps no sharing agreements"}
	}
	return ss, nil
}

// sharingAt is the store and the agreement the path names.
func (s *server) sharingAt(c *gin.Context) (catalogue.SharingStore, catalogue.SharingAgreementID, error) {
	ss, err := s.sharingStore()
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(c)
	return ss, catalogue.SharingAgreementID(id), err
}

// sharingVersion refuses a change that does not say which version it was made from.
func sharingVersion(v int) error {
	if v == 0 {
		return fieldError("version", "is required: send the version you read, so a newer change is not overwritten")
	}
	return nil
}

// sharingChanged shows a change to the agreements to the matcher at once: options, runs and
// the sufficiency report all read them from its snapshot.
func (s *server) sharingChanged(ctx context.Context) error {
	if m, ok := s.match.(interface{ RefreshSharing(context.Context) error }); ok {
		return m.RefreshSharing(ctx)
	}
	return s.match.Refresh(ctx)
}

func (s *server) listSharing(c *gin.Context) error {
	ss, err := s.sharingStore()
	if err != nil {
		return err
	}
	q := newQuery(c)
	f := catalogue.SharingFilter{Council: enum(q, "council", catalogue.CouncilCode.Valid)}
	if q.bool("in_force") {
		f.InForce = s.today()
	}
	limit, after := q.page()
	f.Limit, f.After = limit, catalogue.SharingAgreementID(after)
	if err := q.err(); err != nil {
		return err
	}
	page, err := ss.ListSharingAgreements(c.Request.Context(), f)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, s.fromSharing))
	return nil
}

func (s *server) getSharing(c *gin.Context) error {
	ss, id, err := s.sharingAt(c)
	if err != nil {
		return err
	}
	a, err := ss.SharingAgreement(c.Request.Context(), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.fromSharing(a))
	return nil
}

func (s *server) createSharing(c *gin.Context) error {
	ss, err := s.sharingStore()
	if err != nil {
		return err
	}
	var d sharingDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	a, err := s.addSharing(c.Request.Context(), ss, d)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, s.fromSharing(a))
	return nil
}

// addSharing records a new agreement (the API's and the administrator's page's) and shows it
// to the matcher at once.
func (s *server) addSharing(ctx context.Context, ss catalogue.SharingStore, d sharingDTO) (catalogue.SharingAgreement, error) {
	d.ID, d.Version = 0, 0
	a, err := toSharing(d)
	if err != nil {
		return catalogue.SharingAgreement{}, err
	}
	if a, err = ss.CreateSharingAgreement(ctx, a); err != nil {
		return catalogue.SharingAgreement{}, err
	}
	return a, s.sharingChanged(ctx)
}

func (s *server) updateSharing(c *gin.Context) error {
	ss, id, err := s.sharingAt(c)
	if err != nil {
		return err
	}
	var d sharingDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	if d.ID != 0 && d.ID != int64(id) {
		return fieldError("id", "must match the ID in the path, or be left out")
	}
	if err := sharingVersion(d.Version); err != nil {
		return err
	}
	d.ID = int64(id)
	a, err := toSharing(d)
	if err != nil {
		return err
	}
	return s.saveSharing(c, ss, a)
}

// endSharing ends an agreement on a day (today by default): its last day in force.
func (s *server) endSharing(c *gin.Context) error {
	ss, id, err := s.sharingAt(c)
	if err != nil {
		return err
	}
	var d sharingEndDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	if err := sharingVersion(d.Version); err != nil {
		return err
	}
	var cv converter
	on := cv.date("on", d.On)
	if err := cv.validated(func() error { return nil }); err != nil {
		return err
	}
	a, err := s.endSharingOn(c.Request.Context(), ss, id, d.Version, on)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.fromSharing(a))
	return nil
}

// endSharingOn ends an agreement on a day (zero: today), from the version read (the API's and
// the administrator's page's).
func (s *server) endSharingOn(ctx context.Context, ss catalogue.SharingStore, id catalogue.SharingAgreementID, version int, on time.Time) (catalogue.SharingAgreement, error) {
	if on.IsZero() {
		on = s.today()
	}
	a, err := ss.SharingAgreement(ctx, id)
	if err != nil {
		return catalogue.SharingAgreement{}, err
	}
	a.Version, a.To = version, on
	return s.storeSharing(ctx, ss, a)
}

func (s *server) saveSharing(c *gin.Context, ss catalogue.SharingStore, a catalogue.SharingAgreement) error {
	a, err := s.storeSharing(c.Request.Context(), ss, a)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.fromSharing(a))
	return nil
}

// storeSharing saves a changed agreement and shows it to the matcher at once.
func (s *server) storeSharing(ctx context.Context, ss catalogue.SharingStore, a catalogue.SharingAgreement) (catalogue.SharingAgreement, error) {
	a, err := ss.UpdateSharingAgreement(ctx, a)
	if err != nil {
		return catalogue.SharingAgreement{}, err
	}
	return a, s.sharingChanged(ctx)
}
