package exchange

import (
	"fmt"
	"io"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

type jsonChild struct {
	ID             *jsonKey      `json:"id,omitempty"`
	Council        string        `json:"council"`
	ChildID        jsonText      `json:"childId"`
	FirstName      string        `json:"first_name"`
	DateOfBirth    string        `json:"date_of_birth"`
	Sex            string        `json:"sex"`
	Ethnicity      string        `json:"ethnicity"`
	Religion       string        `json:"religion"`
	FirstLanguage  string        `json:"first_language"`
	Communication  []string      `json:"specificCommunicationRequirements"`
	LegalStatus    string        `json:"legal_status"`
	Needs          []jsonNeed    `json:"needs"`
	RisksToOthers  []string      `json:"risks_to_others"`
	CareType       string        `json:"care_type"`
	Purpose        string        `json:"purpose"`
	NeededBy       string        `json:"neededBy"`
	Home           *jsonLocation `json:"home"`
	School         *jsonSchool   `json:"school"`
	Contacts       []jsonContact `json:"contacts"`
	SiblingGroup   *jsonKey      `json:"sibling_group"`
	SiblingCount   *int          `json:"siblingCount,omitempty"`
	ExclusionZones []jsonZone    `json:"exclusion_zones"`
	Companions     string        `json:"livingCompanions"`
	Pets           string        `json:"pets"`
	Allergies      []string      `json:"allergies"`
	Respiratory    bool          `json:"respiratory"`
	Wheelchair     bool          `json:"wheelchair"`
	Wishes         *jsonWishes   `json:"wishes,omitempty"`
	Status         string        `json:"status,omitempty"`
	// Issue 17: the PDS risks read as needs (Risk Present or No known risk; see childRiskColumns),
	// a deprivation of liberty order, and mental health.
	CommunicationNeeds   string `json:"communicationNeeds,omitempty"`
	RiskSexual           string `json:"riskSexualExploitation,omitempty"`
	RiskCriminal         string `json:"riskCriminalExploitation,omitempty"`
	RiskDrugAlcohol      string `json:"riskDrugAlcohol,omitempty"`
	RiskMissing          string `json:"riskMissing,omitempty"`
	RiskSelfHarm         string `json:"riskSelfHarm,omitempty"`
	RiskEatingDisorder   string `json:"riskEatingDisorder,omitempty"`
	RiskToOthersCriminal string `json:"riskToOthersCriminal,omitempty"`
	DeprivationOfLiberty bool   `json:"deprivationOfLiberty"`
	SDQBand              string `json:"sdq_band,omitempty"`
	CAMHS                bool   `json:"camhs"`
	// Confidential: the child's safety needs their placement kept confidential (issue 20).
	Confidential bool `json:"confidential"`
}

// risks returns the PDS risk fields in the order of childRiskColumns.
func (jc *jsonChild) risks() []*string {
	return []*string{&jc.RiskSexual, &jc.RiskCriminal, &jc.RiskDrugAlcohol, &jc.RiskMissing, &jc.RiskSelfHarm, &jc.RiskEatingDisorder, &jc.RiskToOthersCriminal}
}

type jsonNeed struct {
	Kind  string `json:"kind"`
	Level int    `json:"level"`
}

type jsonLocation struct {
	Lat *float64 `json:"lat"`
	Lng *float64 `json:"lng"`
}

type jsonSchool struct {
	Name        string        `json:"name"`
	URN         string        `json:"urn,omitempty"`
	Location    *jsonLocation `json:"location"`
	KeepPlanned bool          `json:"keep_planned"`
}

type jsonContact struct {
	Name         string        `json:"name"`
	Relationship string        `json:"relationship"`
	Location     *jsonLocation `json:"location"`
	Frequency    string        `json:"frequency"`
	Type         string        `json:"type,omitempty"`
	Centre       *jsonLocation `json:"centre,omitempty"`
	MustNotKnow  bool          `json:"must_not_know,omitempty"`
	Safe         *bool         `json:"safe,omitempty"` // before contact types: read when type is absent (catalogue.LegacyContact)
}

type jsonZone struct {
	Shape    string         `json:"shape"`
	Reason   string         `json:"reason,omitempty"`
	Centre   *jsonLocation  `json:"centre,omitempty"`
	RadiusKm float64        `json:"radius_km,omitempty"`
	Vertices []jsonLocation `json:"vertices,omitempty"`
}

type jsonWishes struct {
	Priorities []string `json:"priorities"`
	InOwnWords string   `json:"in_own_words,omitempty"`
}

type jsonGroup struct {
	ID      *jsonKey `json:"id"`
	Council string   `json:"council,omitempty"`
	Plan    string   `json:"plan"`
	Reason  string   `json:"reason,omitempty"`
}

// jsonChildNames are the PDS terms JSON uses where the catalogue has its own names.
var jsonChildNames = map[string]string{
	"case_ref":          "childId",
	"communication":     "specificCommunicationRequirements",
	"needed_by":         "neededBy",
	"living_companions": "livingCompanions",
}

func decodeChildrenJSON(in io.Reader, opt DecodeOptions, rep *report) catalogue.Batch {
	councils := councilNames()
	children := newChildAssembler(opt, rep, false)
	var groups []groupRec
	seen := map[string]int{}
	groupList := &jsonList{name: "sibling_groups", take: func(r *jsonRecord) {
		pos := r.pos
		s := newSink(pos, rep)
		const prefix = "sibling_groups."
		var jg jsonGroup
		if !r.decode(&jg, s, prefix, "sibling group") {
			return
		}
		g := groupRec{sink: s, name: func(p string) string { return prefix + p }}
		if jg.ID != nil {
			g.key = string(*jg.ID)
		}
		if msg := checkKey(g.key); msg != "" {
			s.fail(prefix+"id", "%s", msg)
			return
		}
		if first, dup := seen[g.key]; dup {
			s.fail(prefix+"id", "%q is the id of another sibling group (record %d)", clip(g.key), first)
			return
		}
		seen[g.key] = pos
		g.group.Council = getCouncil(s, prefix+"council", jg.Council, councils)
		g.councilGiven = strings.TrimSpace(jg.Council) != ""
		g.group.Plan = getEnum(s, prefix+"plan", jg.Plan, catalogue.SiblingPlans, nil, false)
		if g.group.Plan == "" && !s.reported(prefix+"plan") {
			g.group.Plan = catalogue.PlanTogether
		}
		g.group.Reason = jg.Reason
		groups = append(groups, g)
	}}
	childList := &jsonList{name: "children", take: func(r *jsonRecord) {
		s := newSink(r.pos, rep)
		var jc jsonChild
		if !r.decode(&jc, s, "", "child") {
			children.add(childRec{sink: s, name: renameFirst(jsonChildNames, ""), broken: true})
			return
		}
		children.add(childFromJSON(s, jc, councils, opt))
	}}
	if !streamJSON(in, opt, rep, childList, groupList) {
		return catalogue.Batch{}
	}
	if childList.n == 0 {
		rep.reset() // the one problem that matters
		rep.add(0, "children", "the file has no children")
		return catalogue.Batch{}
	}
	return children.finish(groups)
}

func childFromJSON(s *rowSink, jc jsonChild, councils map[string]catalogue.CouncilCode, opt DecodeOptions) childRec {
	rec := childRec{sink: s, name: renameFirst(jsonChildNames, "")}
	if jc.ID != nil {
		rec.key = string(*jc.ID)
		if msg := checkKey(rec.key); msg != "" {
			s.fail("id", "%s", msg)
		}
	}
	var c catalogue.Child
	c.Council = getCouncil(s, "council", jc.Council, councils)
	if strings.TrimSpace(jc.Council) == "" && opt.Council == "" {
		s.fail("council", "is required")
	}
	c.CaseRef = strings.TrimSpace(string(jc.ChildID))
	c.FirstName = jc.FirstName
	c.DateOfBirth = getDate(s, "date_of_birth", jc.DateOfBirth, true, false)
	c.Sex = getEnum(s, "sex", jc.Sex, catalogue.Sexes, sexAliases, true)
	c.Ethnicity = catalogue.Ethnicity(strings.ToUpper(strings.TrimSpace(jc.Ethnicity)))
	c.Religion = getEnum(s, "religion", jc.Religion, catalogue.Religions, nil, true)
	c.FirstLanguage = strings.ToLower(strings.TrimSpace(jc.FirstLanguage))
	if len(jc.Communication) == 1 && norm(jc.Communication[0]) == "none" {
		jc.Communication = nil
	}
	c.Communication = getList(s, indexed("specificCommunicationRequirements"), jc.Communication, catalogue.Communications, nil)
	c.LegalStatus = getEnum(s, "legal_status", jc.LegalStatus, catalogue.LegalStatuses, nil, true)
	for i, n := range jc.Needs {
		k := getEnum(s, fmt.Sprintf("needs[%d].kind", i), n.Kind, catalogue.NeedKinds, nil, true)
		c.Needs = append(c.Needs, catalogue.Need{Kind: k, Level: catalogue.NeedLevel(n.Level)})
	}
	c.RisksToOthers = getList(s, indexed("risks_to_others"), jc.RisksToOthers, catalogue.RisksToOthers, nil)
	c.CareType = getEnum(s, "care_type", jc.CareType, catalogue.CareTypes, nil, true)
	c.Purpose = getEnum(s, "purpose", jc.Purpose, catalogue.Purposes, nil, true)
	c.NeededBy = getDate(s, "neededBy", jc.NeededBy, true, false)
	c.Home = locationFromJSON(s, "home", jc.Home)
	if js := jc.School; js != nil {
		c.School = &catalogue.School{
			Name:        js.Name,
			URN:         strings.TrimSpace(js.URN),
			Location:    locationFromJSON(s, "school.location", js.Location),
			KeepPlanned: js.KeepPlanned,
		}
	}
	for i, jct := range jc.Contacts {
		p := fmt.Sprintf("contacts[%d].", i)
		ct := catalogue.Contact{
			Name:         jct.Name,
			Relationship: getEnum(s, p+"relationship", jct.Relationship, catalogue.Relationships, nil, true),
			Location:     locationFromJSON(s, p+"location", jct.Location),
			Frequency:    getEnum(s, p+"frequency", jct.Frequency, catalogue.Frequencies, nil, true),
		}
		switch {
		case jct.Type != "":
			ct.Type = getEnum(s, p+"type", jct.Type, catalogue.ContactTypes, nil, true)
			ct.MustNotKnow = jct.MustNotKnow
		case jct.Safe != nil:
			ct.Type, ct.MustNotKnow = catalogue.LegacyContact(*jct.Safe)
		default:
			s.fail(p+"type", contactTypeRequired)
		}
		if jct.Centre != nil {
			centre := locationFromJSON(s, p+"centre", jct.Centre)
			ct.Centre = &centre
		}
		c.Contacts = append(c.Contacts, ct)
	}
	for i, jz := range jc.ExclusionZones {
		p := fmt.Sprintf("exclusion_zones[%d].", i)
		z := catalogue.ExclusionZone{
			Shape:    getEnum(s, p+"shape", jz.Shape, []catalogue.ZoneShape{catalogue.ZoneCircle, catalogue.ZonePolygon}, nil, true),
			Reason:   jz.Reason,
			RadiusKm: jz.RadiusKm,
		}
		switch {
		case jz.Centre != nil && z.Shape == catalogue.ZonePolygon:
			s.fail(p+"centre", "must be left out for a polygon, which is given by its vertices")
		case jz.Centre != nil:
			z.Centre = locationFromJSON(s, p+"centre", jz.Centre)
		case z.Shape == catalogue.ZoneCircle:
			locationFromJSON(s, p+"centre", nil)
		}
		for j, v := range jz.Vertices {
			z.Vertices = append(z.Vertices, locationFromJSON(s, fmt.Sprintf("%svertices[%d]", p, j), &v))
		}
		c.ExclusionZones = append(c.ExclusionZones, z)
	}
	if jc.SiblingGroup != nil {
		rec.group = string(*jc.SiblingGroup)
		if msg := checkKey(rec.group); msg != "" {
			s.fail("sibling_group", "%s", msg)
			rec.group = ""
		}
	}
	rec.siblingCount = jc.SiblingCount
	c.Companions = getEnum(s, "livingCompanions", jc.Companions, catalogue.CompanionsAll, companionsAliases, true)
	c.Pets = getEnum(s, "pets", jc.Pets, catalogue.PetsRules, petsAliases, true)
	c.Allergies = getList(s, indexed("allergies"), jc.Allergies, catalogue.Animals, nil)
	c.Respiratory = jc.Respiratory
	c.Wheelchair = jc.Wheelchair
	c.Confidential = jc.Confidential
	if jc.Wishes != nil {
		c.Wishes.Priorities = getList(s, indexed("wishes.priorities"), jc.Wishes.Priorities, catalogue.WishesAll, nil)
		c.Wishes.InOwnWords = jc.Wishes.InOwnWords
	}
	c.Status = getEnum(s, "status", jc.Status, catalogue.ChildStatuses, nil, false)
	if c.Status == "" {
		c.Status = catalogue.ChildWaiting
	}
	for i, v := range jc.risks() {
		c.Needs = riskAsNeed(s, childRiskColumns[i].col, *v, childRiskColumns[i].need, c.Needs)
	}
	c.DeprivationOfLiberty = jc.DeprivationOfLiberty
	c.SDQBand = getEnum(s, "sdq_band", jc.SDQBand, catalogue.SDQBands, sdqAliases, false)
	c.CAMHS = jc.CAMHS
	c.Communication = communicationNeeds(s, "communicationNeeds", jc.CommunicationNeeds, c.Communication, c.Needs)
	rec.child = c
	return rec
}

// indexed names the items of a JSON list: name[i].
func indexed(name string) func(int) string {
	return func(i int) string { return fmt.Sprintf("%s[%d]", name, i) }
}

// locationFromJSON reads a point whose lat and lng are both required.
func locationFromJSON(s *rowSink, field string, l *jsonLocation) catalogue.Location {
	if l == nil {
		s.fail(field, "is required: an object with lat and lng")
		s.mark(field + ".lat")
		s.mark(field + ".lng")
		return catalogue.Location{}
	}
	var out catalogue.Location
	if l.Lat == nil {
		s.fail(field+".lat", "is required")
	} else {
		out.Lat = *l.Lat
	}
	if l.Lng == nil {
		s.fail(field+".lng", "is required")
	} else {
		out.Lng = *l.Lng
	}
	return out
}

func locationToJSON(l catalogue.Location) *jsonLocation {
	return &jsonLocation{Lat: &l.Lat, Lng: &l.Lng}
}

func encodeChildrenJSON(w io.Writer, children []catalogue.Child, groups []catalogue.SiblingGroup, byID map[catalogue.SiblingGroupID]catalogue.SiblingGroup, members map[catalogue.SiblingGroupID]int) error {
	type file struct {
		Children      []jsonChild `json:"children"`
		SiblingGroups []jsonGroup `json:"sibling_groups"`
	}
	out := file{Children: make([]jsonChild, len(children)), SiblingGroups: make([]jsonGroup, len(groups))}
	for i, c := range children {
		out.Children[i] = childToJSON(c, byID, members)
	}
	for i, g := range groups {
		id := jsonKey(g.ID.String())
		out.SiblingGroups[i] = jsonGroup{ID: &id, Council: string(g.Council), Plan: string(g.Plan), Reason: g.Reason}
	}
	return writeJSON(w, out)
}

func childToJSON(c catalogue.Child, groups map[catalogue.SiblingGroupID]catalogue.SiblingGroup, members map[catalogue.SiblingGroupID]int) jsonChild {
	id := jsonKey(c.ID.String())
	jc := jsonChild{
		ID:            &id,
		Council:       string(c.Council),
		ChildID:       jsonText(c.CaseRef),
		FirstName:     c.FirstName,
		DateOfBirth:   formatDate(c.DateOfBirth),
		Sex:           string(c.Sex),
		Ethnicity:     string(c.Ethnicity),
		Religion:      string(c.Religion),
		FirstLanguage: c.FirstLanguage,
		Communication: strs(c.Communication),
		LegalStatus:   string(c.LegalStatus),
		Needs:         make([]jsonNeed, len(c.Needs)),
		RisksToOthers: strs(c.RisksToOthers),
		CareType:      string(c.CareType),
		Purpose:       string(c.Purpose),
		NeededBy:      formatDate(c.NeededBy),
		Home:          locationToJSON(c.Home),
		Contacts:      make([]jsonContact, len(c.Contacts)),
		Companions:    string(c.Companions),
		Pets:          string(c.Pets),
		Allergies:     strs(c.Allergies),
		Respiratory:   c.Respiratory,
		Wheelchair:    c.Wheelchair,
		Wishes:        &jsonWishes{Priorities: strs(c.Wishes.Priorities), InOwnWords: c.Wishes.InOwnWords},
		Status:        string(c.Status),

		CommunicationNeeds:   communicationNeedsOf(c),
		DeprivationOfLiberty: c.DeprivationOfLiberty,
		SDQBand:              string(c.SDQBand),
		CAMHS:                c.CAMHS,
		Confidential:         c.Confidential,
	}
	for i, v := range jc.risks() {
		*v = riskWords(c.Need(childRiskColumns[i].need) > 0)
	}
	for i, n := range c.Needs {
		jc.Needs[i] = jsonNeed{Kind: string(n.Kind), Level: int(n.Level)}
	}
	if sc := c.School; sc != nil {
		jc.School = &jsonSchool{Name: sc.Name, URN: sc.URN, Location: locationToJSON(sc.Location), KeepPlanned: sc.KeepPlanned}
	}
	for i, ct := range c.Contacts {
		jc.Contacts[i] = jsonContact{Name: ct.Name, Relationship: string(ct.Relationship), Location: locationToJSON(ct.Location),
			Frequency: string(ct.Frequency), Type: string(ct.Type), MustNotKnow: ct.MustNotKnow}
		if ct.Centre != nil {
			jc.Contacts[i].Centre = locationToJSON(*ct.Centre)
		}
	}
	jc.ExclusionZones = make([]jsonZone, len(c.ExclusionZones))
	for i, z := range c.ExclusionZones {
		jz := jsonZone{Shape: string(z.Shape), Reason: z.Reason, RadiusKm: z.RadiusKm}
		if z.Shape != catalogue.ZonePolygon || !z.Centre.IsZero() {
			jz.Centre = locationToJSON(z.Centre)
		}
		for _, v := range z.Vertices {
			jz.Vertices = append(jz.Vertices, *locationToJSON(v))
		}
		jc.ExclusionZones[i] = jz
	}
	count := 0
	if g, ok := groups[c.SiblingGroup]; ok && c.SiblingGroup != 0 {
		key := jsonKey(g.ID.String())
		jc.SiblingGroup = &key
		count = siblingCountOf(members[g.ID], g.Plan)
	}
	jc.SiblingCount = &count
	return jc
}

// strs turns a list of catalogue values into strings, never nil, so JSON shows [].
func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
