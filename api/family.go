package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The family network (issue 18): the people a child's family names, their viability
// assessments, and a connected person who passed becoming the child's kinship home on a
// temporary approval. An officer of the child's council's (and an administrator's); every
// read and write is audited on the child's record.

// networkMemberDTO is one person in a child's family network. Where they live is kept no finer
// than the officer gives it and never shown to the child.
type networkMemberDTO struct {
	ID            int64        `json:"id,omitempty"`
	Child         int64        `json:"child,omitempty"`
	Name          string       `json:"name"`
	Relationship  string       `json:"relationship"`
	NamedBy       string       `json:"named_by"`
	Location      *locationDTO `json:"location,omitempty"`
	AssessmentDue string       `json:"assessment_due"`
	Outcome       string       `json:"outcome,omitempty"` // pending when left out
	OutcomeOn     string       `json:"outcome_on,omitempty"`
	OutcomeReason string       `json:"outcome_reason,omitempty"`
	Overdue       bool         `json:"overdue,omitempty"`   // read-only: pending after its due day
	Placement     int64        `json:"placement,omitempty"` // read-only: the kinship home they became
	// Caring: how they already care for the child outside care (family_arrangement,
	// child_arrangements_order, special_guardianship_order); CaringWords says it in words a
	// family would recognise (read-only).
	Caring      string     `json:"caring,omitempty"`
	CaringWords string     `json:"caring_words,omitempty"`
	Version     int        `json:"version,omitempty"`
	CreatedAt   *time.Time `json:"created_at,omitempty"`
	UpdatedAt   *time.Time `json:"updated_at,omitempty"`
}

type networkDTO struct {
	Items []networkMemberDTO `json:"items"`
}

// connectedHomeRequest is the body of POST /v1/family-network/{id}/placement: where the
// connected person's home is, the council's fostering service that supports them, and the
// version of the member read.
type connectedHomeRequest struct {
	Provider int64       `json:"provider"`
	Location locationDTO `json:"location"`
	AreaName string      `json:"area_name"`
	Council  string      `json:"council,omitempty"` // the council area the home is in; the child's when left out
	Version  int         `json:"version"`
}

type connectedPlacementDTO struct {
	Member    networkMemberDTO `json:"member"`
	Placement placementDTO     `json:"placement"`
}

func (s *server) fromNetworkMember(m catalogue.NetworkMember) networkMemberDTO {
	d := networkMemberDTO{ID: int64(m.ID), Child: int64(m.Child), Name: m.Name, Relationship: string(m.Relationship),
		NamedBy: string(m.NamedBy), AssessmentDue: dateString(m.AssessmentDue), Outcome: string(m.Outcome),
		OutcomeOn: dateString(m.OutcomeOn), OutcomeReason: m.OutcomeReason, Overdue: m.Overdue(s.now()),
		Placement: int64(m.Placement), Caring: string(m.Caring), CaringWords: m.Caring.Words(),
		Version: m.Version, CreatedAt: timePtr(m.CreatedAt), UpdatedAt: timePtr(m.UpdatedAt)}
	if !m.Location.IsZero() {
		l := fromLocation(m.Location)
		d.Location = &l
	}
	return d
}

func toNetworkMember(d networkMemberDTO) (catalogue.NetworkMember, error) {
	var cv converter
	m := catalogue.NetworkMember{Name: d.Name, Relationship: catalogue.Relationship(d.Relationship),
		NamedBy: catalogue.NamedBy(d.NamedBy), AssessmentDue: cv.date("assessment_due", d.AssessmentDue),
		Outcome: catalogue.Viability(d.Outcome), OutcomeOn: cv.date("outcome_on", d.OutcomeOn), OutcomeReason: d.OutcomeReason,
		Caring: catalogue.Caring(d.Caring), Version: d.Version}
	if m.Outcome == "" {
		m.Outcome = catalogue.ViabilityPending
	}
	if d.Location != nil {
		m.Location = toLocation(*d.Location)
	}
	return m, cv.validated(m.Validate)
}

// familyNetwork answers GET /v1/children/{id}/family-network.
func (s *server) familyNetwork(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	sc := principal(c).Scope()
	ms, err := s.work.FamilyNetwork(c.Request.Context(), sc, catalogue.ChildID(id))
	if err != nil {
		return err
	}
	ch, err := s.store.Child(c.Request.Context(), sc, catalogue.ChildID(id))
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "read", "child:"+ch.ID.String(), ch.Council); err != nil {
		return err
	}
	out := networkDTO{Items: make([]networkMemberDTO, 0, len(ms))}
	for _, m := range ms {
		out.Items = append(out.Items, s.fromNetworkMember(m))
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// networkBody reads the path's ID and a network member's body (its read-only fields, the
// placement among them, are not taken from it).
func networkBody(c *gin.Context) (int64, networkMemberDTO, catalogue.NetworkMember, error) {
	id, err := pathID(c)
	if err != nil {
		return 0, networkMemberDTO{}, catalogue.NetworkMember{}, err
	}
	var body networkMemberDTO
	if err := decodeJSON(c, &body); err != nil {
		return 0, body, catalogue.NetworkMember{}, err
	}
	m, err := toNetworkMember(body)
	return id, body, m, err
}

// addNetworkMember answers POST /v1/children/{id}/family-network.
func (s *server) addNetworkMember(c *gin.Context) error {
	id, body, m, err := networkBody(c)
	if err != nil {
		return err
	}
	if body.Placement != 0 {
		return fieldError("placement", "is made by placing the child with them: POST /v1/family-network/{id}/placement")
	}
	m.Child = catalogue.ChildID(id)
	got, err := s.work.AddNetworkMember(c.Request.Context(), principal(c).Scope(), m)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, s.fromNetworkMember(got))
	return nil
}

// updateNetworkMember answers PUT /v1/family-network/{id}.
func (s *server) updateNetworkMember(c *gin.Context) error {
	id, body, m, err := networkBody(c)
	if err != nil {
		return err
	}
	if err := checkUpdate(id, body.ID, body.Version); err != nil {
		return err
	}
	m.ID = catalogue.NetworkMemberID(id)
	got, err := s.work.UpdateNetworkMember(c.Request.Context(), principal(c).Scope(), m)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.fromNetworkMember(got))
	return nil
}

// placeWithConnectedPerson answers POST /v1/family-network/{id}/placement.
func (s *server) placeWithConnectedPerson(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var body connectedHomeRequest
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	switch {
	case body.Version == 0:
		return fieldError("version", "is required: send the version of the family network member you read")
	case body.Provider <= 0:
		return fieldError("provider", "must be the council's fostering service's provider ID")
	}
	h := catalogue.ConnectedHome{Provider: catalogue.ProviderID(body.Provider), Location: toLocation(body.Location),
		AreaName: body.AreaName, Council: catalogue.CouncilCode(body.Council)}
	m, pl, err := s.work.PlaceWithConnectedPerson(c.Request.Context(), principal(c).Scope(), catalogue.NetworkMemberID(id), body.Version, h)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, connectedPlacementDTO{Member: s.fromNetworkMember(m), Placement: s.placementView(pl)})
	return nil
}
