package api

import (
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
)

// Sign-offs: a manager approves, with a reason, what accepting a home of an offer needs
// (catalogue/signoff.go); the director overrides a home's inadequate rating for one child. The
// offer's view lists what each home needs, why, and what is given.

// signOffsDTO is what an offer's homes need signed off and what is given.
type signOffsDTO struct {
	Needed  []signOffNeedDTO    `json:"needed"`
	Given   []signOffDTO        `json:"given"`
	Refused []signOffRefusalDTO `json:"refused"` // a refused home cannot be accepted on the offer
}

// signOffNeedDTO is one sign-off one home of the offer needs before it is accepted.
type signOffNeedDTO struct {
	Placement int64  `json:"placement"`
	Kind      string `json:"kind"`
	Level     string `json:"level"` // the lowest level of manager who may give it
	Why       string `json:"why"`
	Citation  string `json:"citation"`
	Given     bool   `json:"given"`
	Refused   bool   `json:"refused"`
}

// signOffDTO is a sign-off given: by whom (the token's principal), at what level, when, why.
type signOffDTO struct {
	ID           int64     `json:"id,omitempty"` // 0 for an override, which is given for the child
	Offer        int64     `json:"offer"`
	Placement    int64     `json:"placement"`
	Kind         string    `json:"kind"`
	Level        string    `json:"level"`
	Reason       string    `json:"reason"`
	GivenBy      int64     `json:"given_by"`
	GivenByRole  string    `json:"given_by_role"`
	GivenByLevel string    `json:"given_by_level"`
	At           time.Time `json:"at"`
	Override     int64     `json:"override,omitempty"`
}

// signOffRequest is the body of POST /v1/offers/{id}/sign-offs. Placement may be left out when
// only one open home of the offer needs the kind.
type signOffRequest struct {
	Kind      string `json:"kind"`
	Placement int64  `json:"placement,omitempty"`
	Reason    string `json:"reason"`
}

// overrideRequest is the body of POST /v1/children/{id}/inadequate-overrides.
type overrideRequest struct {
	Placement int64  `json:"placement"`
	Reason    string `json:"reason"`
}

// overrideDTO is a director's override of a home's inadequate rating for one child.
type overrideDTO struct {
	ID           int64     `json:"id"`
	Child        int64     `json:"child"`
	Placement    int64     `json:"placement"`
	Reason       string    `json:"reason"`
	GivenBy      int64     `json:"given_by"`
	GivenByLevel string    `json:"given_by_level"`
	At           time.Time `json:"at"`
}

type overridesDTO struct {
	Items []overrideDTO `json:"items"`
}

func fromSignOff(s catalogue.SignOff) signOffDTO {
	return signOffDTO{ID: int64(s.ID), Offer: int64(s.Offer), Placement: int64(s.Placement), Kind: string(s.Kind), Level: string(s.Level),
		Reason: s.Reason, GivenBy: int64(s.By), GivenByRole: string(s.ByRole), GivenByLevel: string(s.ByLevel), At: s.At,
		Override: int64(s.Override)}
}

func fromOverride(o catalogue.InadequateOverride) overrideDTO {
	return overrideDTO{ID: int64(o.ID), Child: int64(o.Child), Placement: int64(o.Placement), Reason: o.Reason,
		GivenBy: int64(o.By), GivenByLevel: string(o.ByLevel), At: o.At}
}

// fromSignOffs lists what each open home needs in the offer's rank order, what is given and what
// is refused.
func fromSignOffs(o catalogue.Offer, so casework.SignOffs) *signOffsDTO {
	d := &signOffsDTO{Needed: []signOffNeedDTO{}, Given: []signOffDTO{}, Refused: []signOffRefusalDTO{}}
	for _, op := range o.Options {
		for _, n := range so.Needed[op.Placement] {
			given := slices.ContainsFunc(so.Given, func(g catalogue.SignOff) bool { return g.Placement == op.Placement && g.Kind == n.Kind })
			d.Needed = append(d.Needed, signOffNeedDTO{Placement: int64(op.Placement), Kind: string(n.Kind), Level: string(n.Level),
				Why: n.Why, Citation: n.Kind.Citation(), Given: given, Refused: refusedIn(so.Refused, op.Placement, n.Kind)})
		}
	}
	for _, g := range so.Given {
		d.Given = append(d.Given, fromSignOff(g))
	}
	for _, r := range so.Refused {
		d.Refused = append(d.Refused, fromRefusal(r))
	}
	return d
}

// giveSignOff answers POST /v1/offers/{id}/sign-offs.
func (s *server) giveSignOff(c *gin.Context) error {
	id, body, err := readSignOff(c)
	if err != nil {
		return err
	}
	so, err := s.work.GiveSignOff(c.Request.Context(), principal(c).Scope(), id, catalogue.PlacementID(body.Placement), catalogue.SignOffKind(body.Kind), body.Reason)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, fromSignOff(so))
	return nil
}

// readSignOff reads the offer in the path and the body of a sign-off given or refused.
func readSignOff(c *gin.Context) (catalogue.OfferID, signOffRequest, error) {
	var body signOffRequest
	id, err := offerID(c)
	if err != nil {
		return 0, body, err
	}
	if err := decodeJSON(c, &body); err != nil {
		return 0, body, err
	}
	if !catalogue.SignOffKind(body.Kind).Valid() {
		return 0, body, fieldError("kind", "must be one of %v", catalogue.SignOffKinds)
	}
	if body.Placement < 0 {
		return 0, body, fieldError("placement", "must be a placement ID")
	}
	return id, body, nil
}

// overrideInadequate answers POST /v1/children/{id}/inadequate-overrides.
func (s *server) overrideInadequate(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var body overrideRequest
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body.Placement <= 0 {
		return fieldError("placement", "must be a placement ID")
	}
	ctx := c.Request.Context()
	ov, err := s.work.OverrideInadequate(ctx, principal(c).Scope(), catalogue.ChildID(id), catalogue.PlacementID(body.Placement), body.Reason)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, fromOverride(ov))
	return nil
}

// listOverrides answers GET /v1/children/{id}/inadequate-overrides.
func (s *server) listOverrides(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	sc := principal(c).Scope()
	ch, err := s.store.Child(c.Request.Context(), sc, catalogue.ChildID(id))
	if err != nil {
		return err
	}
	ovs, err := s.store.InadequateOverrides(c.Request.Context(), sc, ch.ID)
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "read", "child:"+ch.ID.String(), ch.Council); err != nil {
		return err
	}
	out := overridesDTO{Items: make([]overrideDTO, 0, len(ovs))}
	for _, o := range ovs {
		out.Items = append(out.Items, fromOverride(o))
	}
	c.JSON(http.StatusOK, out)
	return nil
}
