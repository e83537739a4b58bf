package exchange

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// jsonProviderRef is a placement's provider: a JSON number is a stored provider's ID, a JSON
// string the id of a provider in the file's providers list.
type jsonProviderRef struct {
	stored int64
	key    string
}

func (r *jsonProviderRef) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &r.key)
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return &json.UnmarshalTypeError{Value: valueKind(b), Type: reflect.TypeFor[jsonProviderRef]()}
	}
	r.stored = n
	return nil
}

func (r jsonProviderRef) MarshalJSON() ([]byte, error) {
	if r.key != "" {
		return json.Marshal(r.key)
	}
	return []byte(strconv.FormatInt(r.stored, 10)), nil
}

type jsonPlacement struct {
	ID         *jsonKey         `json:"id,omitempty"`
	Kind       string           `json:"placementType"`
	Provider   *jsonProviderRef `json:"provider"`
	Name       string           `json:"name"`
	URN        string           `json:"providerURN"`
	Council    string           `json:"council"`
	AreaName   string           `json:"area_name"`
	Location   *jsonLocation    `json:"location"`
	Approval   *jsonApproval    `json:"approval"`
	Household  *jsonHousehold   `json:"household"`
	Skills     []string         `json:"skills"`
	Languages  []string         `json:"languages"`
	Religion   string           `json:"religion"`
	Ethnicity  string           `json:"ethnicity"`
	Experience int              `json:"experience"`
	Stability  *jsonStability   `json:"stability,omitempty"`
	Ofsted     string           `json:"ofsted"`
	// OfstedOutcome: supported accommodation's provider's outcome on Ofsted's three-outcome model.
	OfstedOutcome string        `json:"ofsted_outcome,omitempty"`
	StayingPut    bool          `json:"staying_put"`
	LongTerm      bool          `json:"long_term"`
	WeeklyCost    *int          `json:"totalWeeklyCost"`
	Profile       string        `json:"profile"`
	Active        *bool         `json:"active,omitempty"`
	ConnectedTo   []int64       `json:"connected_to"`
	Vacancies     []jsonVacancy `json:"vacancies"`
	// DoLConditions: the home can meet a deprivation of liberty order's conditions (issue 17).
	DoLConditions bool `json:"dol_conditions"`
	// The law's facts (catalogue/law.go).
	Registration      string                 `json:"registration,omitempty"`
	TemporaryApproval *jsonTemporaryApproval `json:"temporary_approval,omitempty"`
}

// jsonTemporaryApproval is a connected person's temporary approval (regulation 24).
type jsonTemporaryApproval struct {
	From     string `json:"from"`
	Extended bool   `json:"extended,omitempty"`
}

type jsonApproval struct {
	MinAge        *int     `json:"min_age"`
	MaxAge        *int     `json:"max_age"`
	Sexes         []string `json:"sexes"`
	MaxChildren   *int     `json:"max_children"`
	Purposes      []string `json:"purposes"`
	SiblingGroups bool     `json:"sibling_groups"`
	From          string   `json:"from,omitempty"`
	Until         string   `json:"until,omitempty"`
	Exemption     string   `json:"exemption,omitempty"`
}

type jsonHousehold struct {
	Carers               []jsonCarer  `json:"carers"`
	Members              []jsonMember `json:"members"`
	Pets                 []string     `json:"pets"`
	Smoking              bool         `json:"smoking"`
	WheelchairAccessible bool         `json:"wheelchair_accessible"`
}

type jsonCarer struct {
	FirstName string `json:"first_name"`
}

type jsonMember struct {
	FirstName string `json:"first_name,omitempty"`
	Age       *int   `json:"age"`
	Sex       string `json:"sex"`
	Role      string `json:"role"`
}

type jsonStability struct {
	EndedPlanned   int `json:"ended_planned"`
	EndedUnplanned int `json:"ended_unplanned"`
}

type jsonVacancy struct {
	AvailableFrom string `json:"available_from"`
	Status        string `json:"status,omitempty"`
	Child         int64  `json:"child,omitempty"`
}

type jsonProvider struct {
	ID      *jsonKey `json:"id"`
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	URN     string   `json:"urn,omitempty"`
	Council string   `json:"council,omitempty"`
}

// jsonPlacementNames are the PDS terms JSON uses where the catalogue has its own names.
var jsonPlacementNames = map[string]string{
	"kind":        "placementType",
	"urn":         "providerURN",
	"weekly_cost": "totalWeeklyCost",
}

func decodePlacementsJSON(in io.Reader, opt DecodeOptions, rep *report) catalogue.Batch {
	councils := councilNames()
	placements := newPlacementAssembler(rep)
	var providers []providerRec
	seen := map[string]int{}
	providerList := &jsonList{name: "providers", take: func(r *jsonRecord) {
		pos := r.pos
		s := newSink(pos, rep)
		const prefix = "providers."
		var jp jsonProvider
		if !r.decode(&jp, s, prefix, "provider") {
			return
		}
		if jp.ID == nil {
			s.fail(prefix+"id", "is required: a key such as \"p1\" that placements name as their provider")
			return
		}
		key := string(*jp.ID)
		if _, err := strconv.ParseInt(key, 10, 64); err == nil {
			s.fail(prefix+"id", "must not be a number: placements name a stored provider by number and a provider of this file by its id, so write a key such as \"p%s\"", clip(key))
			return
		}
		if msg := checkKey(key); msg != "" {
			s.fail(prefix+"id", "%s", msg)
			return
		}
		if first, dup := seen[key]; dup {
			s.fail(prefix+"id", "%q is the id of another provider (record %d)", clip(key), first)
			return
		}
		seen[key] = pos
		providers = append(providers, providerRec{
			sink: s,
			key:  key,
			p: catalogue.Provider{
				Name:    jp.Name,
				Kind:    getEnum(s, prefix+"kind", jp.Kind, catalogue.ProviderKinds, nil, true),
				URN:     strings.TrimSpace(jp.URN),
				Council: getCouncil(s, prefix+"council", jp.Council, councils),
			},
			name: func(p string) string { return prefix + p },
		})
	}}
	placementList := &jsonList{name: "placements", take: func(r *jsonRecord) {
		s := newSink(r.pos, rep)
		var jp jsonPlacement
		if !r.decode(&jp, s, "", "placement") {
			placements.add(placementRec{sink: s, broken: true})
			return
		}
		placements.add(placementFromJSON(s, jp, councils))
	}}
	if !streamJSON(in, opt, rep, placementList, providerList) {
		return catalogue.Batch{}
	}
	if placementList.n == 0 {
		rep.reset() // the one problem that matters
		rep.add(0, "placements", "the file has no placements")
		return catalogue.Batch{}
	}
	return placements.finish(providers)
}

func placementFromJSON(s *rowSink, jp jsonPlacement, councils map[string]catalogue.CouncilCode) placementRec {
	rec := placementRec{sink: s, name: renameFirst(jsonPlacementNames, ""), vacName: vacancyPath}
	if jp.ID != nil {
		rec.key = string(*jp.ID)
		if msg := checkKey(rec.key); msg != "" {
			s.fail("id", "%s", msg)
		}
	}
	var p catalogue.Placement
	p.Kind = placementKind(s, "placementType", jp.Kind)
	switch {
	case jp.Provider == nil:
		s.fail("provider", "is required: a stored provider's ID, or the id of a provider in this file's providers")
	case jp.Provider.key != "":
		rec.provider = jp.Provider.key
	case jp.Provider.stored <= 0:
		s.fail("provider", "must be a stored provider's ID (a positive number) or the id of a provider in this file's providers")
	default:
		p.Provider = catalogue.ProviderID(jp.Provider.stored)
	}
	p.Name = jp.Name
	p.URN = strings.TrimSpace(jp.URN)
	p.Council = getCouncil(s, "council", jp.Council, councils)
	if strings.TrimSpace(jp.Council) == "" {
		s.fail("council", "is required")
	}
	p.AreaName = jp.AreaName
	p.Location = locationFromJSON(s, "location", jp.Location)
	if ja := jp.Approval; ja == nil {
		s.fail("approval", "is required: an object with min_age, max_age, max_children and purposes")
		for _, f := range []string{"min_age", "max_age", "max_children", "purposes"} {
			s.mark("approval." + f)
		}
	} else {
		p.Approval = catalogue.Approval{
			MinAge:        requiredInt(s, "approval.min_age", ja.MinAge),
			MaxAge:        requiredInt(s, "approval.max_age", ja.MaxAge),
			Sexes:         getList(s, indexed("approval.sexes"), ja.Sexes, catalogue.Sexes, sexAliases),
			MaxChildren:   requiredInt(s, "approval.max_children", ja.MaxChildren),
			Purposes:      getList(s, indexed("approval.purposes"), ja.Purposes, catalogue.Purposes, nil),
			SiblingGroups: ja.SiblingGroups,
			From:          getDate(s, "approval.from", ja.From, false, true),
			Until:         getDate(s, "approval.until", ja.Until, false, true),
			Exemption:     ja.Exemption,
		}
	}
	p.Registration = getEnum(s, "registration", jp.Registration, catalogue.Registrations, nil, false)
	if jt := jp.TemporaryApproval; jt != nil {
		p.TemporaryApproval = &catalogue.TemporaryApproval{From: getDate(s, "temporary_approval.from", jt.From, true, true), Extended: jt.Extended}
	}
	if jh := jp.Household; jh != nil {
		for _, c := range jh.Carers {
			p.Household.Carers = append(p.Household.Carers, catalogue.Carer{FirstName: c.FirstName})
		}
		for i, m := range jh.Members {
			f := fmt.Sprintf("household.members[%d].", i)
			p.Household.Members = append(p.Household.Members, catalogue.Member{
				FirstName: m.FirstName,
				Age:       requiredInt(s, f+"age", m.Age),
				Sex:       getEnum(s, f+"sex", m.Sex, catalogue.Sexes, sexAliases, true),
				Role:      getEnum(s, f+"role", m.Role, catalogue.MemberRoles, nil, true),
			})
		}
		p.Household.Pets = getList(s, indexed("household.pets"), jh.Pets, catalogue.Animals, nil)
		p.Household.Smoking = jh.Smoking
		p.Household.WheelchairAccessible = jh.WheelchairAccessible
	}
	p.Skills = getList(s, indexed("skills"), jp.Skills, catalogue.Skills, nil)
	for _, l := range jp.Languages {
		p.Languages = append(p.Languages, strings.ToLower(strings.TrimSpace(l)))
	}
	p.Religion = getEnum(s, "religion", jp.Religion, catalogue.Religions, nil, false)
	p.Ethnicity = getEnum(s, "ethnicity", jp.Ethnicity, catalogue.EthnicGroups, nil, false)
	p.Experience = jp.Experience
	if jp.Stability != nil {
		p.Stability = catalogue.StabilityRecord{EndedPlanned: jp.Stability.EndedPlanned, EndedUnplanned: jp.Stability.EndedUnplanned}
	}
	p.Ofsted = getEnum(s, "ofsted", jp.Ofsted, catalogue.OfstedGrades, ofstedAliases, false)
	p.SupportedOutcome = getEnum(s, "ofsted_outcome", jp.OfstedOutcome, catalogue.SupportedOutcomes, outcomeAliases, false)
	p.StayingPut = jp.StayingPut
	p.LongTerm = jp.LongTerm
	p.WeeklyCost = requiredInt(s, "totalWeeklyCost", jp.WeeklyCost)
	p.Profile = jp.Profile
	p.Active = jp.Active == nil || *jp.Active
	p.DoLConditions = jp.DoLConditions
	for i, id := range jp.ConnectedTo {
		if id <= 0 {
			s.fail(fmt.Sprintf("connected_to[%d]", i), "must be the ID of a stored child")
			continue
		}
		p.ConnectedTo = append(p.ConnectedTo, catalogue.ChildID(id))
	}
	for i, jv := range jp.Vacancies {
		v := catalogue.Vacancy{
			AvailableFrom: getDate(s, vacancyPath(i, "available_from"), jv.AvailableFrom, true, false),
			Status:        getEnum(s, vacancyPath(i, "status"), jv.Status, catalogue.VacancyStatuses, nil, false),
		}
		if v.Status == "" {
			v.Status = catalogue.VacancyAvailable
		}
		if jv.Child < 0 {
			s.fail(vacancyPath(i, "child"), "must be the ID of a stored child")
		}
		v.Child = catalogue.ChildID(jv.Child)
		p.Vacancies = append(p.Vacancies, v)
	}
	rec.pl = p
	return rec
}

func requiredInt(s *rowSink, field string, v *int) int {
	if v == nil {
		s.fail(field, "is required")
		return 0
	}
	return *v
}

func encodePlacementsJSON(w io.Writer, placements []catalogue.Placement) error {
	type file struct {
		Placements []jsonPlacement `json:"placements"`
	}
	out := file{Placements: make([]jsonPlacement, len(placements))}
	for i, p := range placements {
		out.Placements[i] = placementToJSON(p)
	}
	return writeJSON(w, out)
}

func placementToJSON(p catalogue.Placement) jsonPlacement {
	id := jsonKey(p.ID.String())
	a, h := p.Approval, p.Household
	minAge, maxAge, maxChildren, cost, active := a.MinAge, a.MaxAge, a.MaxChildren, p.WeeklyCost, p.Active
	jp := jsonPlacement{
		ID:       &id,
		Kind:     string(p.Kind),
		Provider: &jsonProviderRef{stored: int64(p.Provider)},
		Name:     p.Name,
		URN:      p.URN,
		Council:  string(p.Council),
		AreaName: p.AreaName,
		Location: locationToJSON(p.Location),
		Approval: &jsonApproval{
			MinAge: &minAge, MaxAge: &maxAge, Sexes: strs(a.Sexes), MaxChildren: &maxChildren,
			Purposes: strs(a.Purposes), SiblingGroups: a.SiblingGroups,
			From: formatDate(a.From), Until: formatDate(a.Until), Exemption: a.Exemption,
		},
		Registration: string(p.Registration),
		Household: &jsonHousehold{
			Carers:               make([]jsonCarer, len(h.Carers)),
			Members:              make([]jsonMember, len(h.Members)),
			Pets:                 strs(h.Pets),
			Smoking:              h.Smoking,
			WheelchairAccessible: h.WheelchairAccessible,
		},
		Skills:        strs(p.Skills),
		Languages:     strs(p.Languages),
		Religion:      string(p.Religion),
		Ethnicity:     string(p.Ethnicity),
		Experience:    p.Experience,
		Stability:     &jsonStability{EndedPlanned: p.Stability.EndedPlanned, EndedUnplanned: p.Stability.EndedUnplanned},
		Ofsted:        string(p.Ofsted),
		OfstedOutcome: string(p.SupportedOutcome),
		StayingPut:    p.StayingPut,
		LongTerm:      p.LongTerm,
		WeeklyCost:    &cost,
		Profile:       p.Profile,
		Active:        &active,
		ConnectedTo:   make([]int64, len(p.ConnectedTo)),
		Vacancies:     make([]jsonVacancy, len(p.Vacancies)),

		DoLConditions: p.DoLConditions,
	}
	if t := p.TemporaryApproval; t != nil {
		jp.TemporaryApproval = &jsonTemporaryApproval{From: formatDate(t.From), Extended: t.Extended}
	}
	for i, c := range h.Carers {
		jp.Household.Carers[i] = jsonCarer{FirstName: c.FirstName}
	}
	for i, m := range h.Members {
		age := m.Age
		jp.Household.Members[i] = jsonMember{FirstName: m.FirstName, Age: &age, Sex: string(m.Sex), Role: string(m.Role)}
	}
	for i, c := range p.ConnectedTo {
		jp.ConnectedTo[i] = int64(c)
	}
	for i, v := range p.Vacancies {
		jp.Vacancies[i] = jsonVacancy{AvailableFrom: formatDate(v.AvailableFrom), Status: string(v.Status), Child: int64(v.Child)}
	}
	return jp
}
