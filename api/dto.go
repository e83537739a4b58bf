package api

import (
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Request and response bodies. Dates are "YYYY-MM-DD" strings parsed by the converters, so that
// a bad date is reported with its field name; enumerations are strings checked by Validate.

type locationDTO struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

type needDTO struct {
	Kind  string `json:"kind"`
	Level int    `json:"level"`
}

type schoolDTO struct {
	Name        string      `json:"name"`
	URN         string      `json:"urn,omitempty"`
	Location    locationDTO `json:"location"`
	KeepPlanned bool        `json:"keep_planned"`
}

// contactDTO is one person of the contact plan. Safe is the flag of the format before contact
// types, read only when type is left out (catalogue.LegacyContact) and never written.
type contactDTO struct {
	Name         string       `json:"name,omitempty"`
	Relationship string       `json:"relationship"`
	Location     locationDTO  `json:"location"`
	Frequency    string       `json:"frequency"`
	Type         string       `json:"type,omitempty"`
	Centre       *locationDTO `json:"centre,omitempty"`
	MustNotKnow  bool         `json:"must_not_know"`
	Safe         *bool        `json:"safe,omitempty"`
}

type zoneDTO struct {
	Shape    string        `json:"shape"`
	Reason   string        `json:"reason,omitempty"`
	Centre   *locationDTO  `json:"centre,omitempty"`
	RadiusKm float64       `json:"radius_km,omitempty"`
	Vertices []locationDTO `json:"vertices,omitempty"`
}

type wishesDTO struct {
	Priorities []string `json:"priorities"`
	InOwnWords string   `json:"in_own_words,omitempty"`
}

type childDTO struct {
	ID            int64     `json:"id,omitempty"`
	Council       string    `json:"council"`
	CaseRef       string    `json:"case_ref,omitempty"`
	FirstName     string    `json:"first_name"`
	DateOfBirth   string    `json:"date_of_birth"`
	Sex           string    `json:"sex"`
	Ethnicity     string    `json:"ethnicity"`
	Religion      string    `json:"religion"`
	FirstLanguage string    `json:"first_language"`
	Communication []string  `json:"communication"`
	LegalStatus   string    `json:"legal_status"`
	Needs         []needDTO `json:"needs"`
	RisksToOthers []string  `json:"risks_to_others"`
	CareType      string    `json:"care_type"`
	// KinNotFirstReason: why connected persons are not ranked first for this child (s22C(7)(a)).
	KinNotFirstReason string `json:"kin_not_first_reason,omitempty"`
	// ParentsConsidered: placement with a parent considered first, and why not (s22C(2)-(4)).
	ParentsConsidered *parentsConsideredDTO `json:"parents_considered,omitempty"`
	Purpose           string                `json:"purpose"`
	NeededBy          string                `json:"needed_by"`
	Home              locationDTO           `json:"home"`
	School            *schoolDTO            `json:"school,omitempty"`
	Contacts          []contactDTO          `json:"contacts"`
	SiblingGroup      int64                 `json:"sibling_group,omitempty"`
	ExclusionZones    []zoneDTO             `json:"exclusion_zones"`
	Companions        string                `json:"living_companions"`
	Pets              string                `json:"pets"`
	Allergies         []string              `json:"allergies"`
	Respiratory       bool                  `json:"respiratory"`
	Wheelchair        bool                  `json:"wheelchair"`
	Wishes            wishesDTO             `json:"wishes"`
	// Mental health and liberty (issue 17): an officer's, never a child's or a provider's.
	SDQBand              string `json:"sdq_band,omitempty"`
	CAMHS                bool   `json:"camhs,omitempty"`
	DeprivationOfLiberty bool   `json:"deprivation_of_liberty,omitempty"`
	// Confidential: the child's safety requires it; their page hides the area and the carers.
	Confidential bool       `json:"confidential,omitempty"`
	Status       string     `json:"status,omitempty"`
	Version      int        `json:"version,omitempty"`
	CreatedAt    *time.Time `json:"created_at,omitempty"`
	UpdatedAt    *time.Time `json:"updated_at,omitempty"`
}

// parentsConsideredDTO is the officer's record that placement with a parent was considered
// first (Children Act 1989 s22C(2)-(4)): the day, the limb of s22C(4), the reason.
type parentsConsideredDTO struct {
	On     string `json:"on"`
	Why    string `json:"why"`
	Reason string `json:"reason"`
}

type groupDTO struct {
	ID        int64      `json:"id,omitempty"`
	Council   string     `json:"council"`
	Plan      string     `json:"plan"`
	Reason    string     `json:"reason,omitempty"`
	Members   []int64    `json:"members"`
	Version   int        `json:"version,omitempty"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

type approvalDTO struct {
	MinAge        int      `json:"min_age"`
	MaxAge        int      `json:"max_age"`
	Sexes         []string `json:"sexes"`
	MaxChildren   int      `json:"max_children"`
	Purposes      []string `json:"purposes"`
	SiblingGroups bool     `json:"sibling_groups"`
	From          string   `json:"from,omitempty"`      // a family home's approval (or its last review): a date
	Until         string   `json:"until,omitempty"`     // the day its next yearly review falls due
	Exemption     string   `json:"exemption,omitempty"` // the council's exemption from the usual fostering limit
}

type carerDTO struct {
	FirstName string `json:"first_name"`
}

type memberDTO struct {
	FirstName string `json:"first_name,omitempty"`
	Age       int    `json:"age"`
	Sex       string `json:"sex"`
	Role      string `json:"role"`
}

type householdDTO struct {
	Carers               []carerDTO  `json:"carers"`
	Members              []memberDTO `json:"members"`
	Pets                 []string    `json:"pets"`
	Smoking              bool        `json:"smoking"`
	WheelchairAccessible bool        `json:"wheelchair_accessible"`
}

type stabilityDTO struct {
	EndedPlanned   int `json:"ended_planned"`
	EndedUnplanned int `json:"ended_unplanned"`
}

type placementDTO struct {
	ID         int64        `json:"id,omitempty"`
	Kind       string       `json:"kind"`
	Provider   int64        `json:"provider"`
	Name       string       `json:"name"`
	URN        string       `json:"urn,omitempty"`
	Council    string       `json:"council"`
	AreaName   string       `json:"area_name"`
	Location   locationDTO  `json:"location"`
	Approval   approvalDTO  `json:"approval"`
	Household  householdDTO `json:"household"`
	Skills     []string     `json:"skills"`
	Languages  []string     `json:"languages"`
	Religion   string       `json:"religion,omitempty"`
	Ethnicity  string       `json:"ethnicity,omitempty"`
	Experience int          `json:"experience"`
	Stability  stabilityDTO `json:"stability"`
	Ofsted     string       `json:"ofsted,omitempty"`
	// OfstedOutcome: supported accommodation's provider's outcome on Ofsted's three-outcome
	// model (consistently_strong, inconsistent, serious_weaknesses), instead of ofsted.
	OfstedOutcome string `json:"ofsted_outcome,omitempty"`
	StayingPut    bool   `json:"staying_put"`
	LongTerm      bool   `json:"long_term"`
	WeeklyCost    int    `json:"weekly_cost"`
	Profile       string `json:"profile,omitempty"`
	Active        *bool  `json:"active,omitempty"`
	// DoLConditions: the home can meet the conditions of a deprivation of liberty order (issue 17).
	DoLConditions bool    `json:"dol_conditions,omitempty"`
	ConnectedTo   []int64 `json:"connected_to,omitempty"`
	// The law's facts (law.go): Ofsted registration of a home or supported accommodation, and a
	// connected person's temporary approval; warnings are the service's, by its clock.
	Registration      string                `json:"registration,omitempty"`
	TemporaryApproval *temporaryApprovalDTO `json:"temporary_approval,omitempty"`
	Warnings          []string              `json:"warnings,omitempty"`
	Vacancies         []vacancyDTO          `json:"vacancies,omitempty"`
	Version           int                   `json:"version,omitempty"`
	CreatedAt         *time.Time            `json:"created_at,omitempty"`
	UpdatedAt         *time.Time            `json:"updated_at,omitempty"`

	// The review of the profile before a child reads it, read-only (ignored when sent): the
	// hash an approval names, and whether the text as it stands is approved for children, when.
	ProfileHash       string     `json:"profile_hash,omitempty"`
	ProfileApproved   bool       `json:"profile_approved"`
	ProfileApprovedAt *time.Time `json:"profile_approved_at,omitempty"`
}

type vacancyDTO struct {
	ID            int64      `json:"id,omitempty"`
	Placement     int64      `json:"placement,omitempty"`
	AvailableFrom string     `json:"available_from"`
	Status        string     `json:"status,omitempty"`
	Child         int64      `json:"child,omitempty"`
	Version       int        `json:"version,omitempty"`
	CreatedAt     *time.Time `json:"created_at,omitempty"`
	UpdatedAt     *time.Time `json:"updated_at,omitempty"`
}

type providerDTO struct {
	ID        int64      `json:"id,omitempty"`
	Name      string     `json:"name"`
	Kind      string     `json:"kind"`
	URN       string     `json:"urn,omitempty"`
	Council   string     `json:"council,omitempty"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
}

type tokenRequest struct {
	Label     string `json:"label"`
	Role      string `json:"role"`
	Council   string `json:"council,omitempty"`
	Region    string `json:"region,omitempty"` // commissioners of a region (ONS code), instead of a council
	Provider  int64  `json:"provider,omitempty"`
	Level     string `json:"level,omitempty"`      // managers: team_manager, nominated_officer or director
	ExpiresIn string `json:"expires_in,omitempty"` // a Go duration such as "720h"
}

type tokenResponse struct {
	ID        int64      `json:"id"`
	Token     string     `json:"token,omitempty"` // shown once, at creation
	Label     string     `json:"label,omitempty"`
	Role      string     `json:"role"`
	Council   string     `json:"council,omitempty"`
	Region    string     `json:"region,omitempty"`
	Provider  int64      `json:"provider,omitempty"`
	Level     string     `json:"level,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

type tokenListDTO struct {
	Items []tokenResponse `json:"items"`
}

type auditDTO struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	Actor   int64     `json:"actor"`
	Role    string    `json:"role,omitempty"`
	Action  string    `json:"action"`
	Subject string    `json:"subject"`
	Council string    `json:"council,omitempty"`
	Reason  string    `json:"reason,omitempty"`
	Request string    `json:"request,omitempty"`
}

type pageDTO[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// converter collects the parse errors of one body, by field, before Validate adds its own.
type converter struct{ errs []catalogue.FieldError }

func (cv *converter) date(field, s string) time.Time {
	if s == "" {
		return time.Time{} // Validate reports "is required" where it is
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		cv.errs = append(cv.errs, catalogue.FieldError{Field: field, Message: "must be a date written YYYY-MM-DD"})
		return time.Time{}
	}
	return t
}

// validated runs validate and merges its field errors with the parse errors.
func (cv *converter) validated(validate func() error) error {
	err := validate()
	fields := append(cv.errs, catalogue.FieldErrors(err)...)
	if len(fields) == 0 {
		return err
	}
	return catalogue.InvalidFields(fields)
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func enums[T ~string](vs []string) []T {
	if vs == nil {
		return nil
	}
	out := make([]T, len(vs))
	for i, v := range vs {
		out[i] = T(v)
	}
	return out
}

func ids[T ~int64](vs []T) []int64 {
	out := make([]int64, len(vs))
	for i, v := range vs {
		out[i] = int64(v)
	}
	return out
}

func toIDs[T ~int64](vs []int64) []T {
	if vs == nil {
		return nil
	}
	out := make([]T, len(vs))
	for i, v := range vs {
		out[i] = T(v)
	}
	return out
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func toLocation(l locationDTO) catalogue.Location   { return catalogue.Location{Lat: l.Lat, Lng: l.Lng} }
func fromLocation(l catalogue.Location) locationDTO { return locationDTO{Lat: l.Lat, Lng: l.Lng} }

func fromChild(c catalogue.Child) childDTO {
	d := childDTO{
		ID: int64(c.ID), Council: string(c.Council), CaseRef: c.CaseRef, FirstName: c.FirstName,
		DateOfBirth: dateString(c.DateOfBirth), Sex: string(c.Sex), Ethnicity: string(c.Ethnicity),
		Religion: string(c.Religion), FirstLanguage: c.FirstLanguage, Communication: strs(c.Communication),
		LegalStatus: string(c.LegalStatus), RisksToOthers: strs(c.RisksToOthers), CareType: string(c.CareType),
		KinNotFirstReason: c.KinNotFirstReason,
		Purpose:           string(c.Purpose), NeededBy: dateString(c.NeededBy), Home: fromLocation(c.Home),
		SiblingGroup: int64(c.SiblingGroup), Companions: string(c.Companions), Pets: string(c.Pets),
		Allergies: strs(c.Allergies), Respiratory: c.Respiratory, Wheelchair: c.Wheelchair,
		Wishes: wishesDTO{Priorities: strs(c.Wishes.Priorities), InOwnWords: c.Wishes.InOwnWords},
		Status: string(c.Status), Version: c.Version, CreatedAt: timePtr(c.CreatedAt), UpdatedAt: timePtr(c.UpdatedAt),
		SDQBand: string(c.SDQBand), CAMHS: c.CAMHS, DeprivationOfLiberty: c.DeprivationOfLiberty, Confidential: c.Confidential,
		Needs:          make([]needDTO, len(c.Needs)),
		Contacts:       make([]contactDTO, len(c.Contacts)),
		ExclusionZones: make([]zoneDTO, len(c.ExclusionZones)),
	}
	for i, n := range c.Needs {
		d.Needs[i] = needDTO{Kind: string(n.Kind), Level: int(n.Level)}
	}
	if pc := c.ParentsConsidered; pc != nil {
		d.ParentsConsidered = &parentsConsideredDTO{On: dateString(pc.On), Why: string(pc.Why), Reason: pc.Reason}
	}
	if s := c.School; s != nil {
		d.School = &schoolDTO{Name: s.Name, URN: s.URN, Location: fromLocation(s.Location), KeepPlanned: s.KeepPlanned}
	}
	for i, ct := range c.Contacts {
		d.Contacts[i] = contactDTO{Name: ct.Name, Relationship: string(ct.Relationship), Location: fromLocation(ct.Location),
			Frequency: string(ct.Frequency), Type: string(ct.Type), MustNotKnow: ct.MustNotKnow}
		if ct.Centre != nil {
			centre := fromLocation(*ct.Centre)
			d.Contacts[i].Centre = &centre
		}
	}
	for i, z := range c.ExclusionZones {
		zd := zoneDTO{Shape: string(z.Shape), Reason: z.Reason, RadiusKm: z.RadiusKm}
		if z.Shape == catalogue.ZoneCircle {
			centre := fromLocation(z.Centre)
			zd.Centre = &centre
		}
		for _, v := range z.Vertices {
			zd.Vertices = append(zd.Vertices, fromLocation(v))
		}
		d.ExclusionZones[i] = zd
	}
	return d
}

// toChild converts a request body; the result has passed Validate when err is nil.
func toChild(d childDTO) (catalogue.Child, error) {
	var cv converter
	c := catalogue.Child{
		ID: catalogue.ChildID(d.ID), Council: catalogue.CouncilCode(d.Council), CaseRef: d.CaseRef, FirstName: d.FirstName,
		DateOfBirth: cv.date("date_of_birth", d.DateOfBirth), Sex: catalogue.Sex(d.Sex),
		Ethnicity: catalogue.Ethnicity(d.Ethnicity), Religion: catalogue.Religion(d.Religion),
		FirstLanguage: d.FirstLanguage, Communication: enums[catalogue.Communication](d.Communication),
		LegalStatus: catalogue.LegalStatus(d.LegalStatus), RisksToOthers: enums[catalogue.RiskToOthers](d.RisksToOthers),
		CareType: catalogue.CareType(d.CareType), KinNotFirstReason: d.KinNotFirstReason, Purpose: catalogue.Purpose(d.Purpose),
		NeededBy: cv.date("needed_by", d.NeededBy), Home: toLocation(d.Home),
		SiblingGroup: catalogue.SiblingGroupID(d.SiblingGroup), Companions: catalogue.Companions(d.Companions),
		Pets: catalogue.PetsRule(d.Pets), Allergies: enums[catalogue.Animal](d.Allergies),
		Respiratory: d.Respiratory, Wheelchair: d.Wheelchair,
		Wishes:  catalogue.Wishes{Priorities: enums[catalogue.Wish](d.Wishes.Priorities), InOwnWords: d.Wishes.InOwnWords},
		Status:  catalogue.ChildStatus(d.Status),
		Version: d.Version,

		SDQBand: catalogue.SDQBand(d.SDQBand), CAMHS: d.CAMHS, DeprivationOfLiberty: d.DeprivationOfLiberty, Confidential: d.Confidential,
	}
	if c.Status == "" {
		c.Status = catalogue.ChildWaiting
	}
	if c.Companions == "" {
		c.Companions = catalogue.CompanionsNoPreference
	}
	if c.Pets == "" {
		c.Pets = catalogue.PetsCan
	}
	for _, n := range d.Needs {
		c.Needs = append(c.Needs, catalogue.Need{Kind: catalogue.NeedKind(n.Kind), Level: catalogue.NeedLevel(n.Level)})
	}
	if pc := d.ParentsConsidered; pc != nil {
		c.ParentsConsidered = &catalogue.ParentsConsidered{On: cv.date("parents_considered.on", pc.On),
			Why: catalogue.ParentsNot(pc.Why), Reason: pc.Reason}
	}
	if s := d.School; s != nil {
		c.School = &catalogue.School{Name: s.Name, URN: s.URN, Location: toLocation(s.Location), KeepPlanned: s.KeepPlanned}
	}
	for _, ct := range d.Contacts {
		k := catalogue.Contact{Name: ct.Name, Relationship: catalogue.Relationship(ct.Relationship),
			Location: toLocation(ct.Location), Frequency: catalogue.Frequency(ct.Frequency),
			Type: catalogue.ContactType(ct.Type), MustNotKnow: ct.MustNotKnow}
		if k.Type == "" && ct.Safe != nil {
			k.Type, k.MustNotKnow = catalogue.LegacyContact(*ct.Safe)
		}
		if ct.Centre != nil {
			centre := toLocation(*ct.Centre)
			k.Centre = &centre
		}
		c.Contacts = append(c.Contacts, k)
	}
	for _, z := range d.ExclusionZones {
		zone := catalogue.ExclusionZone{Shape: catalogue.ZoneShape(z.Shape), Reason: z.Reason, RadiusKm: z.RadiusKm}
		if z.Centre != nil {
			zone.Centre = toLocation(*z.Centre)
		}
		for _, v := range z.Vertices {
			zone.Vertices = append(zone.Vertices, toLocation(v))
		}
		c.ExclusionZones = append(c.ExclusionZones, zone)
	}
	return c, cv.validated(c.Validate)
}

func fromGroup(g catalogue.SiblingGroup) groupDTO {
	return groupDTO{ID: int64(g.ID), Council: string(g.Council), Plan: string(g.Plan), Reason: g.Reason,
		Members: ids(g.Members), Version: g.Version, CreatedAt: timePtr(g.CreatedAt), UpdatedAt: timePtr(g.UpdatedAt)}
}

func toGroup(d groupDTO) (catalogue.SiblingGroup, error) {
	g := catalogue.SiblingGroup{ID: catalogue.SiblingGroupID(d.ID), Council: catalogue.CouncilCode(d.Council),
		Plan: catalogue.SiblingPlan(d.Plan), Reason: d.Reason, Version: d.Version}
	if g.Plan == "" {
		g.Plan = catalogue.PlanTogether
	}
	return g, g.Validate()
}

func fromPlacement(p catalogue.Placement) placementDTO {
	active := p.Active
	d := placementDTO{
		ID: int64(p.ID), Kind: string(p.Kind), Provider: int64(p.Provider), Name: p.Name, URN: p.URN,
		Council: string(p.Council), AreaName: p.AreaName, Location: fromLocation(p.Location),
		Approval: approvalDTO{MinAge: p.Approval.MinAge, MaxAge: p.Approval.MaxAge, Sexes: strs(p.Approval.Sexes),
			MaxChildren: p.Approval.MaxChildren, Purposes: strs(p.Approval.Purposes), SiblingGroups: p.Approval.SiblingGroups,
			From: dateString(p.Approval.From), Until: dateString(p.Approval.Until), Exemption: p.Approval.Exemption},
		Registration: string(p.Registration), TemporaryApproval: fromTemporary(p.TemporaryApproval),
		Household: householdDTO{Pets: strs(p.Household.Pets), Smoking: p.Household.Smoking,
			WheelchairAccessible: p.Household.WheelchairAccessible,
			Carers:               make([]carerDTO, len(p.Household.Carers)), Members: make([]memberDTO, len(p.Household.Members))},
		Skills: strs(p.Skills), Languages: p.Languages, Religion: string(p.Religion), Ethnicity: string(p.Ethnicity),
		Experience: p.Experience, Stability: stabilityDTO{EndedPlanned: p.Stability.EndedPlanned, EndedUnplanned: p.Stability.EndedUnplanned},
		Ofsted: string(p.Ofsted), OfstedOutcome: string(p.SupportedOutcome), StayingPut: p.StayingPut, LongTerm: p.LongTerm, WeeklyCost: p.WeeklyCost,
		Profile: p.Profile, Active: &active, DoLConditions: p.DoLConditions, ConnectedTo: ids(p.ConnectedTo), Version: p.Version,
		CreatedAt: timePtr(p.CreatedAt), UpdatedAt: timePtr(p.UpdatedAt),
	}
	if d.Languages == nil {
		d.Languages = []string{}
	}
	for i, c := range p.Household.Carers {
		d.Household.Carers[i] = carerDTO{FirstName: c.FirstName}
	}
	for i, m := range p.Household.Members {
		d.Household.Members[i] = memberDTO{FirstName: m.FirstName, Age: m.Age, Sex: string(m.Sex), Role: string(m.Role)}
	}
	for _, v := range p.Vacancies {
		d.Vacancies = append(d.Vacancies, fromVacancy(v))
	}
	if p.Profile != "" {
		d.ProfileHash = catalogue.ProfileHash(p.Profile)
	}
	if p.ProfileApproved() {
		d.ProfileApproved, d.ProfileApprovedAt = true, timePtr(p.ProfileReview.ApprovedAt)
	}
	return d
}

func toPlacement(d placementDTO) (catalogue.Placement, error) {
	var cv converter
	p := catalogue.Placement{
		ID: catalogue.PlacementID(d.ID), Kind: catalogue.PlacementKind(d.Kind), Provider: catalogue.ProviderID(d.Provider),
		Name: d.Name, URN: d.URN, Council: catalogue.CouncilCode(d.Council), AreaName: d.AreaName, Location: toLocation(d.Location),
		Approval: catalogue.Approval{MinAge: d.Approval.MinAge, MaxAge: d.Approval.MaxAge, Sexes: enums[catalogue.Sex](d.Approval.Sexes),
			MaxChildren: d.Approval.MaxChildren, Purposes: enums[catalogue.Purpose](d.Approval.Purposes), SiblingGroups: d.Approval.SiblingGroups,
			From: cv.date("approval.from", d.Approval.From), Until: cv.date("approval.until", d.Approval.Until), Exemption: d.Approval.Exemption},
		Registration: catalogue.Registration(d.Registration), TemporaryApproval: cv.temporary(d.TemporaryApproval),
		Household: catalogue.Household{Pets: enums[catalogue.Animal](d.Household.Pets), Smoking: d.Household.Smoking,
			WheelchairAccessible: d.Household.WheelchairAccessible},
		Skills: enums[catalogue.Skill](d.Skills), Languages: d.Languages, Religion: catalogue.Religion(d.Religion),
		Ethnicity: catalogue.EthnicGroup(d.Ethnicity), Experience: d.Experience,
		Stability: catalogue.StabilityRecord{EndedPlanned: d.Stability.EndedPlanned, EndedUnplanned: d.Stability.EndedUnplanned},
		Ofsted:    catalogue.OfstedGrade(d.Ofsted), SupportedOutcome: catalogue.SupportedOutcome(d.OfstedOutcome), StayingPut: d.StayingPut, LongTerm: d.LongTerm, WeeklyCost: d.WeeklyCost,
		Profile: d.Profile, Active: d.Active == nil || *d.Active, DoLConditions: d.DoLConditions, ConnectedTo: toIDs[catalogue.ChildID](d.ConnectedTo),
		Version: d.Version,
	}
	for _, c := range d.Household.Carers {
		p.Household.Carers = append(p.Household.Carers, catalogue.Carer{FirstName: c.FirstName})
	}
	for _, m := range d.Household.Members {
		p.Household.Members = append(p.Household.Members, catalogue.Member{FirstName: m.FirstName, Age: m.Age,
			Sex: catalogue.Sex(m.Sex), Role: catalogue.MemberRole(m.Role)})
	}
	if len(d.Vacancies) > 0 {
		cv.errs = append(cv.errs, catalogue.FieldError{Field: "vacancies", Message: "are managed at /v1/placements/{id}/vacancies, not in the placement body"})
	}
	return p, cv.validated(p.Validate)
}

func fromVacancy(v catalogue.Vacancy) vacancyDTO {
	return vacancyDTO{ID: int64(v.ID), Placement: int64(v.Placement), AvailableFrom: dateString(v.AvailableFrom),
		Status: string(v.Status), Child: int64(v.Child), Version: v.Version,
		CreatedAt: timePtr(v.CreatedAt), UpdatedAt: timePtr(v.UpdatedAt)}
}

func toVacancy(d vacancyDTO) (catalogue.Vacancy, error) {
	var cv converter
	v := catalogue.Vacancy{ID: catalogue.VacancyID(d.ID), Placement: catalogue.PlacementID(d.Placement),
		AvailableFrom: cv.date("available_from", d.AvailableFrom), Status: catalogue.VacancyStatus(d.Status),
		Child: catalogue.ChildID(d.Child), Version: d.Version}
	if v.Status == "" {
		v.Status = catalogue.VacancyAvailable
	}
	return v, cv.validated(v.Validate)
}

func fromProvider(p catalogue.Provider) providerDTO {
	return providerDTO{ID: int64(p.ID), Name: p.Name, Kind: string(p.Kind), URN: p.URN, Council: string(p.Council),
		CreatedAt: timePtr(p.CreatedAt)}
}

func toProvider(d providerDTO) (catalogue.Provider, error) {
	p := catalogue.Provider{ID: catalogue.ProviderID(d.ID), Name: d.Name, Kind: catalogue.ProviderKind(d.Kind),
		URN: d.URN, Council: catalogue.CouncilCode(d.Council)}
	return p, p.Validate()
}

func fromAudit(e catalogue.AuditEntry) auditDTO {
	return auditDTO{ID: e.ID, At: e.At.UTC(), Actor: int64(e.Actor), Role: string(e.Role), Action: e.Action,
		Subject: e.Subject, Council: string(e.Council), Reason: e.Reason, Request: e.Request}
}
