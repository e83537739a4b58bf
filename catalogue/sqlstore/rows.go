package sqlstore

import (
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Row structs mirror the tables of the migrations. They are unexported and converted to and from
// the catalogue's types by the named functions below; GORM never sees a domain type. Automatic
// timestamps are off: the store sets them itself, in UTC to the microsecond.

type providerRow struct {
	ID        int64 `gorm:"primaryKey"`
	Name      string
	Kind      string
	URN       string
	Council   string
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
}

func (providerRow) TableName() string { return "providers" }

func fromProvider(p catalogue.Provider) providerRow {
	return providerRow{
		ID: int64(p.ID), Name: p.Name, Kind: string(p.Kind), URN: p.URN, Council: string(p.Council),
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
	}
}

func toProvider(r providerRow) catalogue.Provider {
	return catalogue.Provider{
		ID: catalogue.ProviderID(r.ID), Name: r.Name, Kind: catalogue.ProviderKind(r.Kind), URN: r.URN,
		Council: catalogue.CouncilCode(r.Council), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

type groupRow struct {
	ID        int64 `gorm:"primaryKey"`
	Council   string
	Plan      string
	Reason    string
	Version   int
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
}

func (groupRow) TableName() string { return "sibling_groups" }

func fromGroup(g catalogue.SiblingGroup) groupRow {
	return groupRow{
		ID: int64(g.ID), Council: string(g.Council), Plan: string(g.Plan), Reason: g.Reason, Version: g.Version,
		CreatedAt: g.CreatedAt, UpdatedAt: g.UpdatedAt,
	}
}

// toGroup converts a row; members are the IDs of the children in the group.
func toGroup(r groupRow, members []catalogue.ChildID) catalogue.SiblingGroup {
	return catalogue.SiblingGroup{
		ID: catalogue.SiblingGroupID(r.ID), Council: catalogue.CouncilCode(r.Council),
		Plan: catalogue.SiblingPlan(r.Plan), Reason: r.Reason, Members: members, Version: r.Version,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

type childRow struct {
	ID             int64 `gorm:"primaryKey"`
	Council        string
	CaseRef        string
	FirstName      string
	DateOfBirth    time.Time
	Sex            string
	Ethnicity      string
	Religion       string
	FirstLanguage  string
	Communication  string // JSON
	LegalStatus    string
	Needs          string // JSON
	RisksToOthers  string // JSON
	CareType       string
	Purpose        string
	NeededBy       time.Time
	HomeLat        float64
	HomeLng        float64
	School         *string // JSON; nil when not at school
	Contacts       string  // JSON
	SiblingGroupID *int64
	ExclusionZones string // JSON
	Companions     string
	Pets           string
	Allergies      string // JSON
	Respiratory    bool
	Wheelchair     bool
	Wishes         string // JSON
	Status         string
	Version        int
	CreatedAt      time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt      time.Time `gorm:"autoUpdateTime:false"`
	// Migration 00019: mental health and liberty.
	SDQBand              string `gorm:"column:sdq_band"`
	CAMHS                bool   `gorm:"column:camhs"`
	DeprivationOfLiberty bool   `gorm:"column:deprivation_of_liberty"`
	// Migration 00024: family first.
	KinNotFirstReason string `gorm:"column:kin_not_first_reason"`
	// Migration 00027: placement with parents considered first (s22C(2)-(4)); nil: not recorded.
	ParentsConsideredOn *time.Time `gorm:"column:parents_considered_on"`
	ParentsNot          string     `gorm:"column:parents_not"`
	ParentsReason       string     `gorm:"column:parents_reason"`
	// Migration 00040: a confidential placement (the child's page hides where and with whom).
	Confidential bool `gorm:"column:confidential"`
}

func (childRow) TableName() string { return "children" }

// fromChild is the row of a child, with people's locations coarse (catalogue.Child.Coarsened):
// every write of a child (create, update, import) goes through it, so none is stored finer.
func fromChild(c catalogue.Child) (childRow, error) {
	c = c.Coarsened()
	r := childRow{
		ID:            int64(c.ID),
		Council:       string(c.Council),
		CaseRef:       c.CaseRef,
		FirstName:     c.FirstName,
		DateOfBirth:   catalogue.Day(c.DateOfBirth),
		Sex:           string(c.Sex),
		Ethnicity:     string(c.Ethnicity),
		Religion:      string(c.Religion),
		FirstLanguage: c.FirstLanguage,
		LegalStatus:   string(c.LegalStatus),
		CareType:      string(c.CareType),
		Purpose:       string(c.Purpose),
		NeededBy:      catalogue.Day(c.NeededBy),
		HomeLat:       c.Home.Lat,
		HomeLng:       c.Home.Lng,
		Companions:    string(c.Companions),
		Pets:          string(c.Pets),
		Respiratory:   c.Respiratory,
		Wheelchair:    c.Wheelchair,
		Status:        string(c.Status),
		Version:       c.Version,
		CreatedAt:     c.CreatedAt,
		UpdatedAt:     c.UpdatedAt,

		SDQBand:              string(c.SDQBand),
		CAMHS:                c.CAMHS,
		DeprivationOfLiberty: c.DeprivationOfLiberty,
		KinNotFirstReason:    c.KinNotFirstReason,
		Confidential:         c.Confidential,
	}
	if c.SiblingGroup != 0 {
		g := int64(c.SiblingGroup)
		r.SiblingGroupID = &g
	}
	if pc := c.ParentsConsidered; pc != nil {
		on := catalogue.Day(pc.On)
		r.ParentsConsideredOn, r.ParentsNot, r.ParentsReason = &on, string(pc.Why), pc.Reason
	}
	var w jsonWriter
	r.Communication = w.list(c.Communication)
	r.Needs = w.list(mapList(c.Needs, fromNeed))
	r.RisksToOthers = w.list(c.RisksToOthers)
	if c.School != nil {
		s := w.value(fromSchool(*c.School))
		r.School = &s
	}
	r.Contacts = w.list(mapList(c.Contacts, fromContact))
	r.ExclusionZones = w.list(mapList(c.ExclusionZones, fromZone))
	r.Allergies = w.list(c.Allergies)
	r.Wishes = w.value(wishesDoc{Priorities: c.Wishes.Priorities, InOwnWords: c.Wishes.InOwnWords})
	return r, w.err
}

func toChild(r childRow) (catalogue.Child, error) {
	c := catalogue.Child{
		ID:            catalogue.ChildID(r.ID),
		Council:       catalogue.CouncilCode(r.Council),
		CaseRef:       r.CaseRef,
		FirstName:     r.FirstName,
		DateOfBirth:   catalogue.Day(r.DateOfBirth),
		Sex:           catalogue.Sex(r.Sex),
		Ethnicity:     catalogue.Ethnicity(r.Ethnicity),
		Religion:      catalogue.Religion(r.Religion),
		FirstLanguage: r.FirstLanguage,
		LegalStatus:   catalogue.LegalStatus(r.LegalStatus),
		CareType:      catalogue.CareType(r.CareType),
		Purpose:       catalogue.Purpose(r.Purpose),
		NeededBy:      catalogue.Day(r.NeededBy),
		Home:          catalogue.Location{Lat: r.HomeLat, Lng: r.HomeLng},
		Companions:    catalogue.Companions(r.Companions),
		Pets:          catalogue.PetsRule(r.Pets),
		Respiratory:   r.Respiratory,
		Wheelchair:    r.Wheelchair,
		Status:        catalogue.ChildStatus(r.Status),
		Version:       r.Version,
		CreatedAt:     r.CreatedAt.UTC(),
		UpdatedAt:     r.UpdatedAt.UTC(),

		SDQBand:              catalogue.SDQBand(r.SDQBand),
		CAMHS:                r.CAMHS,
		DeprivationOfLiberty: r.DeprivationOfLiberty,
		KinNotFirstReason:    r.KinNotFirstReason,
		Confidential:         r.Confidential,
	}
	if r.SiblingGroupID != nil {
		c.SiblingGroup = catalogue.SiblingGroupID(*r.SiblingGroupID)
	}
	if r.ParentsConsideredOn != nil {
		c.ParentsConsidered = &catalogue.ParentsConsidered{On: catalogue.Day(*r.ParentsConsideredOn),
			Why: catalogue.ParentsNot(r.ParentsNot), Reason: r.ParentsReason}
	}
	rd := jsonReader{what: "child " + c.ID.String()}
	rd.read("communication", r.Communication, &c.Communication)
	var needs []needDoc
	rd.read("needs", r.Needs, &needs)
	c.Needs = mapList(needs, needDoc.need)
	rd.read("risks_to_others", r.RisksToOthers, &c.RisksToOthers)
	if r.School != nil {
		var s schoolDoc
		rd.read("school", *r.School, &s)
		school := s.school()
		c.School = &school
	}
	var contacts []contactDoc
	rd.read("contacts", r.Contacts, &contacts)
	c.Contacts = mapList(contacts, contactDoc.contact)
	var zones []zoneDoc
	rd.read("exclusion_zones", r.ExclusionZones, &zones)
	c.ExclusionZones = mapList(zones, zoneDoc.zone)
	rd.read("allergies", r.Allergies, &c.Allergies)
	var wishes wishesDoc
	rd.read("wishes", r.Wishes, &wishes)
	c.Wishes = catalogue.Wishes{Priorities: emptyToNil(wishes.Priorities), InOwnWords: wishes.InOwnWords}
	c.Communication = emptyToNil(c.Communication)
	c.RisksToOthers = emptyToNil(c.RisksToOthers)
	c.Allergies = emptyToNil(c.Allergies)
	return c, rd.err
}

type placementRow struct {
	ID                int64 `gorm:"primaryKey"`
	Kind              string
	ProviderID        int64
	Name              string
	URN               string
	Council           string
	AreaName          string
	Lat               float64
	Lng               float64
	Approval          string // JSON
	Household         string // JSON
	Skills            string // JSON
	Languages         string // JSON
	Religion          string
	Ethnicity         string
	Experience        int
	EndedPlanned      int
	EndedUnplanned    int
	Ofsted            string
	StayingPut        bool
	LongTerm          bool
	WeeklyCost        int
	Profile           string
	Active            bool
	ConnectedTo       string // JSON
	Version           int
	CreatedAt         time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt         time.Time `gorm:"autoUpdateTime:false"`
	ProfileReview     string    // JSON: who wrote the profile and its approval for children (reviewDoc)
	Registration      string
	TemporaryApproval *string // JSON (temporaryDoc); NULL when there is none
	DoLConditions     bool    `gorm:"column:dol_conditions"` // migration 00019
	OfstedOutcome     string  // migration 00023: a supported accommodation provider's outcome
}

func (placementRow) TableName() string { return "placements" }

// placementColumns are placementRow's columns in the order of its fields method.
var placementColumns = []string{"id", "kind", "provider_id", "name", "urn", "council", "area_name", "lat", "lng",
	"approval", "household", "skills", "languages", "religion", "ethnicity", "experience", "ended_planned",
	"ended_unplanned", "ofsted", "staying_put", "long_term", "weekly_cost", "profile", "active", "connected_to",
	"version", "created_at", "updated_at", "profile_review", "registration", "temporary_approval", "dol_conditions", "ofsted_outcome"}

func (r *placementRow) fields() []any {
	return []any{&r.ID, &r.Kind, &r.ProviderID, &r.Name, &r.URN, &r.Council, &r.AreaName, &r.Lat, &r.Lng,
		&r.Approval, &r.Household, &r.Skills, &r.Languages, &r.Religion, &r.Ethnicity, &r.Experience, &r.EndedPlanned,
		&r.EndedUnplanned, &r.Ofsted, &r.StayingPut, &r.LongTerm, &r.WeeklyCost, &r.Profile, &r.Active, &r.ConnectedTo,
		&r.Version, &r.CreatedAt, &r.UpdatedAt, &r.ProfileReview, &r.Registration, &r.TemporaryApproval, &r.DoLConditions, &r.OfstedOutcome}
}

func fromPlacement(p catalogue.Placement) (placementRow, error) {
	r := placementRow{
		ID:             int64(p.ID),
		Kind:           string(p.Kind),
		ProviderID:     int64(p.Provider),
		Name:           p.Name,
		URN:            p.URN,
		Council:        string(p.Council),
		AreaName:       p.AreaName,
		Lat:            p.Location.Lat,
		Lng:            p.Location.Lng,
		Religion:       string(p.Religion),
		Ethnicity:      string(p.Ethnicity),
		Experience:     p.Experience,
		EndedPlanned:   p.Stability.EndedPlanned,
		EndedUnplanned: p.Stability.EndedUnplanned,
		Ofsted:         string(p.Ofsted),
		OfstedOutcome:  string(p.SupportedOutcome),
		StayingPut:     p.StayingPut,
		LongTerm:       p.LongTerm,
		WeeklyCost:     p.WeeklyCost,
		Profile:        p.Profile,
		Active:         p.Active,
		DoLConditions:  p.DoLConditions,
		Registration:   string(p.Registration),
		Version:        p.Version,
		CreatedAt:      p.CreatedAt,
		UpdatedAt:      p.UpdatedAt,
	}
	var w jsonWriter
	r.Approval = w.value(fromApproval(p.Approval))
	r.Household = w.value(fromHousehold(p.Household))
	r.Skills = w.list(p.Skills)
	r.Languages = w.list(p.Languages)
	r.ConnectedTo = w.list(p.ConnectedTo)
	r.ProfileReview = w.value(fromReview(p.ProfileReview))
	if t := p.TemporaryApproval; t != nil {
		doc := w.value(temporaryDoc{From: t.From, Extended: t.Extended})
		r.TemporaryApproval = &doc
	}
	return r, w.err
}

// toPlacement converts a row; vacancies are the placement's places, in ID order.
func toPlacement(r placementRow, vacancies []catalogue.Vacancy) (catalogue.Placement, error) {
	p := catalogue.Placement{
		ID:               catalogue.PlacementID(r.ID),
		Kind:             catalogue.PlacementKind(r.Kind),
		Provider:         catalogue.ProviderID(r.ProviderID),
		Name:             r.Name,
		URN:              r.URN,
		Council:          catalogue.CouncilCode(r.Council),
		AreaName:         r.AreaName,
		Location:         catalogue.Location{Lat: r.Lat, Lng: r.Lng},
		Religion:         catalogue.Religion(r.Religion),
		Ethnicity:        catalogue.EthnicGroup(r.Ethnicity),
		Experience:       r.Experience,
		Stability:        catalogue.StabilityRecord{EndedPlanned: r.EndedPlanned, EndedUnplanned: r.EndedUnplanned},
		Ofsted:           catalogue.OfstedGrade(r.Ofsted),
		SupportedOutcome: catalogue.SupportedOutcome(r.OfstedOutcome),
		StayingPut:       r.StayingPut,
		LongTerm:         r.LongTerm,
		WeeklyCost:       r.WeeklyCost,
		Profile:          r.Profile,
		Active:           r.Active,
		Registration:     catalogue.Registration(r.Registration),
		DoLConditions:    r.DoLConditions,
		Vacancies:        vacancies,
		Version:          r.Version,
		CreatedAt:        r.CreatedAt.UTC(),
		UpdatedAt:        r.UpdatedAt.UTC(),
	}
	rd := jsonReader{what: "placement " + p.ID.String()}
	var a approvalDoc
	rd.read("approval", r.Approval, &a)
	p.Approval = a.approval()
	var h householdDoc
	rd.read("household", r.Household, &h)
	p.Household = h.household()
	rd.read("skills", r.Skills, &p.Skills)
	rd.read("languages", r.Languages, &p.Languages)
	rd.read("connected_to", r.ConnectedTo, &p.ConnectedTo)
	var review reviewDoc
	rd.read("profile_review", r.ProfileReview, &review)
	p.ProfileReview = review.review()
	if r.TemporaryApproval != nil && *r.TemporaryApproval != "" && *r.TemporaryApproval != "null" {
		var t temporaryDoc
		rd.read("temporary_approval", *r.TemporaryApproval, &t)
		p.TemporaryApproval = &catalogue.TemporaryApproval{From: t.From.UTC(), Extended: t.Extended}
	}
	p.Skills = emptyToNil(p.Skills)
	p.Languages = emptyToNil(p.Languages)
	p.ConnectedTo = emptyToNil(p.ConnectedTo)
	return p, rd.err
}

type vacancyRow struct {
	ID            int64 `gorm:"primaryKey"`
	PlacementID   int64
	AvailableFrom time.Time
	Status        string
	ChildID       *int64
	Version       int
	CreatedAt     time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt     time.Time `gorm:"autoUpdateTime:false"`
}

func (vacancyRow) TableName() string { return "vacancies" }

// vacancyColumns are vacancyRow's columns in the order of its fields method.
var vacancyColumns = []string{"id", "placement_id", "available_from", "status", "child_id", "version", "created_at", "updated_at"}

func (r *vacancyRow) fields() []any {
	return []any{&r.ID, &r.PlacementID, &r.AvailableFrom, &r.Status, &r.ChildID, &r.Version, &r.CreatedAt, &r.UpdatedAt}
}

// scanner is a row struct that lists its columns' destinations, in the order of its columns.
type scanner[R any] interface {
	*R
	fields() []any
}

// scanAll runs q, which selects columns from R's table, and scans every row by hand. Placements
// and vacancies are read this way because GORM's reflective scanning costs about as much as the
// database itself when the matcher loads 100,000 placements at start.
func scanAll[R any, P scanner[R]](q *gorm.DB, columns []string) ([]R, error) {
	rows, err := q.Model(P(new(R))).Select(columns).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []R
	for rows.Next() {
		var r R
		if err := rows.Scan(P(&r).fields()...); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func fromVacancy(v catalogue.Vacancy) vacancyRow {
	r := vacancyRow{
		ID: int64(v.ID), PlacementID: int64(v.Placement), AvailableFrom: catalogue.Day(v.AvailableFrom),
		Status: string(v.Status), Version: v.Version, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt,
	}
	if v.Child != 0 {
		c := int64(v.Child)
		r.ChildID = &c
	}
	return r
}

func toVacancy(r vacancyRow) catalogue.Vacancy {
	v := catalogue.Vacancy{
		ID: catalogue.VacancyID(r.ID), Placement: catalogue.PlacementID(r.PlacementID),
		AvailableFrom: catalogue.Day(r.AvailableFrom), Status: catalogue.VacancyStatus(r.Status),
		Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.ChildID != nil {
		v.Child = catalogue.ChildID(*r.ChildID)
	}
	return v
}

type tokenRow struct {
	ID         int64 `gorm:"primaryKey"`
	Label      string
	Role       string
	Council    string
	Region     string
	ProviderID *int64
	Level      string
	Hash       []byte
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
}

func (tokenRow) TableName() string { return "tokens" }

func fromToken(t catalogue.Token) tokenRow {
	r := tokenRow{
		ID: int64(t.ID), Label: t.Label, Role: string(t.Role), Council: string(t.Council), Region: string(t.Region), Level: string(t.Level),
		Hash: t.Hash[:], CreatedAt: t.CreatedAt, ExpiresAt: timePtr(t.ExpiresAt), RevokedAt: timePtr(t.RevokedAt),
	}
	if t.Provider != 0 {
		p := int64(t.Provider)
		r.ProviderID = &p
	}
	return r
}

func toToken(r tokenRow) catalogue.Token {
	t := catalogue.Token{
		ID: catalogue.TokenID(r.ID), Label: r.Label, Role: catalogue.Role(r.Role),
		Council: catalogue.CouncilCode(r.Council), Region: catalogue.RegionCode(r.Region), Level: catalogue.ManagerLevel(r.Level), CreatedAt: r.CreatedAt.UTC(),
		ExpiresAt: timeVal(r.ExpiresAt), RevokedAt: timeVal(r.RevokedAt),
	}
	copy(t.Hash[:], r.Hash)
	if r.ProviderID != nil {
		t.Provider = catalogue.ProviderID(*r.ProviderID)
	}
	return t
}

type auditRow struct {
	ID          int64 `gorm:"primaryKey"`
	At          time.Time
	Actor       int64
	AccountID   int64
	AccountName string
	Role        string
	Action      string
	Subject     string
	Council     string
	Reason      string
	Request     string
}

func (auditRow) TableName() string { return "audit_log" }

func fromAudit(e catalogue.AuditEntry) auditRow {
	return auditRow{
		ID: e.ID, At: e.At, Actor: int64(e.Actor), AccountID: int64(e.Account), AccountName: e.Name, Role: string(e.Role), Action: e.Action, Subject: e.Subject,
		Council: string(e.Council), Reason: e.Reason, Request: e.Request,
	}
}

func toAudit(r auditRow) catalogue.AuditEntry {
	return catalogue.AuditEntry{
		ID: r.ID, At: r.At.UTC(), Actor: catalogue.TokenID(r.Actor), Account: catalogue.AccountID(r.AccountID), Name: r.AccountName, Role: catalogue.Role(r.Role),
		Action: r.Action, Subject: r.Subject, Council: catalogue.CouncilCode(r.Council), Reason: r.Reason,
		Request: r.Request,
	}
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}

func timeVal(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// JSON documents. Their keys are part of the schema: change them only with a migration.

type locationDoc struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

func fromLocation(l catalogue.Location) locationDoc { return locationDoc{Lat: l.Lat, Lng: l.Lng} }
func (d locationDoc) location() catalogue.Location  { return catalogue.Location{Lat: d.Lat, Lng: d.Lng} }

type needDoc struct {
	Kind  catalogue.NeedKind  `json:"kind"`
	Level catalogue.NeedLevel `json:"level"`
}

func fromNeed(n catalogue.Need) needDoc { return needDoc{Kind: n.Kind, Level: n.Level} }
func (d needDoc) need() catalogue.Need  { return catalogue.Need{Kind: d.Kind, Level: d.Level} }

type schoolDoc struct {
	Name        string      `json:"name"`
	URN         string      `json:"urn,omitempty"`
	Location    locationDoc `json:"location"`
	KeepPlanned bool        `json:"keep_planned"`
}

func fromSchool(s catalogue.School) schoolDoc {
	return schoolDoc{Name: s.Name, URN: s.URN, Location: fromLocation(s.Location), KeepPlanned: s.KeepPlanned}
}

func (d schoolDoc) school() catalogue.School {
	return catalogue.School{Name: d.Name, URN: d.URN, Location: d.Location.location(), KeepPlanned: d.KeepPlanned}
}

// contactDoc is one person of a child's contact plan. Safe is the one flag contacts had before
// their type (migration 00024 rewrote every stored plan): it is read, as
// catalogue.LegacyContact says, only from a document without a type, and never written.
type contactDoc struct {
	Name         string                 `json:"name"`
	Relationship catalogue.Relationship `json:"relationship"`
	Location     locationDoc            `json:"location"`
	Frequency    catalogue.Frequency    `json:"frequency"`
	Type         catalogue.ContactType  `json:"type,omitempty"`
	Centre       *locationDoc           `json:"centre,omitempty"`
	MustNotKnow  bool                   `json:"must_not_know,omitempty"`
	Safe         *bool                  `json:"safe,omitempty"`
}

func fromContact(c catalogue.Contact) contactDoc {
	d := contactDoc{Name: c.Name, Relationship: c.Relationship, Location: fromLocation(c.Location),
		Frequency: c.Frequency, Type: c.Type, MustNotKnow: c.MustNotKnow}
	if c.Centre != nil {
		centre := fromLocation(*c.Centre)
		d.Centre = &centre
	}
	return d
}

func (d contactDoc) contact() catalogue.Contact {
	c := catalogue.Contact{Name: d.Name, Relationship: d.Relationship, Location: d.Location.location(),
		Frequency: d.Frequency, Type: d.Type, MustNotKnow: d.MustNotKnow}
	if c.Type == "" && d.Safe != nil {
		c.Type, c.MustNotKnow = catalogue.LegacyContact(*d.Safe)
	}
	if d.Centre != nil {
		centre := d.Centre.location()
		c.Centre = &centre
	}
	return c
}

type zoneDoc struct {
	Shape    catalogue.ZoneShape `json:"shape"`
	Reason   string              `json:"reason,omitempty"`
	Centre   *locationDoc        `json:"centre,omitempty"`
	RadiusKm float64             `json:"radius_km,omitempty"`
	Vertices []locationDoc       `json:"vertices,omitempty"`
}

func fromZone(z catalogue.ExclusionZone) zoneDoc {
	d := zoneDoc{Shape: z.Shape, Reason: z.Reason, RadiusKm: z.RadiusKm, Vertices: mapList(z.Vertices, fromLocation)}
	if !z.Centre.IsZero() {
		c := fromLocation(z.Centre)
		d.Centre = &c
	}
	return d
}

func (d zoneDoc) zone() catalogue.ExclusionZone {
	z := catalogue.ExclusionZone{Shape: d.Shape, Reason: d.Reason, RadiusKm: d.RadiusKm,
		Vertices: mapList(d.Vertices, locationDoc.location)}
	if d.Centre != nil {
		z.Centre = d.Centre.location()
	}
	return z
}

type wishesDoc struct {
	Priorities []catalogue.Wish `json:"priorities,omitempty"`
	InOwnWords string           `json:"in_own_words,omitempty"`
}

type approvalDoc struct {
	MinAge        int                 `json:"min_age"`
	MaxAge        int                 `json:"max_age"`
	Sexes         []catalogue.Sex     `json:"sexes,omitempty"`
	MaxChildren   int                 `json:"max_children"`
	Purposes      []catalogue.Purpose `json:"purposes,omitempty"`
	SiblingGroups bool                `json:"sibling_groups"`
	From          *time.Time          `json:"from,omitempty"`
	Until         *time.Time          `json:"until,omitempty"`
	Exemption     string              `json:"exemption,omitempty"`
}

func fromApproval(a catalogue.Approval) approvalDoc {
	return approvalDoc{MinAge: a.MinAge, MaxAge: a.MaxAge, Sexes: a.Sexes, MaxChildren: a.MaxChildren,
		Purposes: a.Purposes, SiblingGroups: a.SiblingGroups, From: timePtr(a.From), Until: timePtr(a.Until),
		Exemption: a.Exemption}
}

func (d approvalDoc) approval() catalogue.Approval {
	return catalogue.Approval{MinAge: d.MinAge, MaxAge: d.MaxAge, Sexes: emptyToNil(d.Sexes),
		MaxChildren: d.MaxChildren, Purposes: emptyToNil(d.Purposes), SiblingGroups: d.SiblingGroups,
		From: timeVal(d.From), Until: timeVal(d.Until), Exemption: d.Exemption}
}

// temporaryDoc is a kinship home's catalogue.TemporaryApproval.
type temporaryDoc struct {
	From     time.Time `json:"from"`
	Extended bool      `json:"extended,omitempty"`
}

type householdDoc struct {
	Carers               []carerDoc         `json:"carers,omitempty"`
	Members              []memberDoc        `json:"members,omitempty"`
	Pets                 []catalogue.Animal `json:"pets,omitempty"`
	Smoking              bool               `json:"smoking"`
	WheelchairAccessible bool               `json:"wheelchair_accessible"`
}

type carerDoc struct {
	FirstName string `json:"first_name"`
}

type memberDoc struct {
	FirstName string               `json:"first_name,omitempty"`
	Age       int                  `json:"age"`
	Sex       catalogue.Sex        `json:"sex"`
	Role      catalogue.MemberRole `json:"role"`
}

func fromHousehold(h catalogue.Household) householdDoc {
	return householdDoc{
		Carers: mapList(h.Carers, func(c catalogue.Carer) carerDoc { return carerDoc{FirstName: c.FirstName} }),
		Members: mapList(h.Members, func(m catalogue.Member) memberDoc {
			return memberDoc{FirstName: m.FirstName, Age: m.Age, Sex: m.Sex, Role: m.Role}
		}),
		Pets: h.Pets, Smoking: h.Smoking, WheelchairAccessible: h.WheelchairAccessible,
	}
}

func (d householdDoc) household() catalogue.Household {
	return catalogue.Household{
		Carers: mapList(d.Carers, func(c carerDoc) catalogue.Carer { return catalogue.Carer{FirstName: c.FirstName} }),
		Members: mapList(d.Members, func(m memberDoc) catalogue.Member {
			return catalogue.Member{FirstName: m.FirstName, Age: m.Age, Sex: m.Sex, Role: m.Role}
		}),
		Pets: emptyToNil(d.Pets), Smoking: d.Smoking, WheelchairAccessible: d.WheelchairAccessible,
	}
}

// mapList converts every element; an empty list becomes nil, as the store returns empty lists.
func mapList[T, U any](xs []T, f func(T) U) []U {
	if len(xs) == 0 {
		return nil
	}
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func emptyToNil[T any](xs []T) []T {
	if len(xs) == 0 {
		return nil
	}
	return xs
}

// reviewDoc is a placement's catalogue.ProfileReview.
type reviewDoc struct {
	Author       int64      `json:"author,omitempty"`
	ApprovedHash string     `json:"approved_hash,omitempty"`
	ApprovedBy   int64      `json:"approved_by,omitempty"`
	ApprovedAt   *time.Time `json:"approved_at,omitempty"`
}

func fromReview(r catalogue.ProfileReview) reviewDoc {
	return reviewDoc{Author: int64(r.Author), ApprovedHash: r.ApprovedHash, ApprovedBy: int64(r.ApprovedBy),
		ApprovedAt: timePtr(r.ApprovedAt)}
}

func (d reviewDoc) review() catalogue.ProfileReview {
	return catalogue.ProfileReview{Author: catalogue.TokenID(d.Author), ApprovedHash: d.ApprovedHash,
		ApprovedBy: catalogue.TokenID(d.ApprovedBy), ApprovedAt: timeVal(d.ApprovedAt)}
}

// jsonWriter encodes documents and keeps the first error.
type jsonWriter struct{ err error }

func (w *jsonWriter) value(v any) string {
	b, err := json.Marshal(v)
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("encode: %w", err)
	}
	return string(b)
}

// list encodes a list, empty as [] rather than null.
func (w *jsonWriter) list(v any) string {
	s := w.value(v)
	if s == "null" {
		return "[]"
	}
	return s
}

// jsonReader decodes documents and keeps the first error, naming the record and the column.
type jsonReader struct {
	what string
	err  error
}

func (r *jsonReader) read(column, s string, v any) {
	if r.err != nil || s == "" || s == "[]" || s == "null" { // empty: leave the zero value
		return
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		r.err = fmt.Errorf("%s: decode %s: %w", r.what, column, err)
	}
}
