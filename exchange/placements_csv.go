package exchange

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// The columns of a placements CSV file, in the order export writes them. Names in camelCase are
// Placements Data Standard v2 terms; the others are placematch's own.
var placementColumns = []string{
	"id", "placementType", "provider", "name", "providerURN", "council", "area_name", "lat", "lng",
	"min_age", "max_age", "approved_sexes", "max_children", "purposes", "sibling_groups",
	"household_pets", "smoking", "wheelchair_accessible",
	"skills", "languages", "religion", "ethnicity", "experience", "ended_planned", "ended_unplanned",
	"ofsted", "staying_put", "long_term", "totalWeeklyCost", "profile", "active", "connected_to", "vacancies",
	"dol_conditions", // issue 17: the home can meet a deprivation of liberty order's conditions
	"registration", "approval_from", "approval_until", "fostering_exemption", "temporary_approval_from", "temporary_approval_extended",
	"ofsted_outcome", // supported accommodation: Ofsted's three-outcome judgement of its provider
}

var (
	carerFields  = []string{"first_name"}
	memberFields = []string{"first_name", "age", "sex", "role"}
)

// Carers and household members are numbered column groups; the catalogue allows at most these.
const (
	maxCarers  = 4
	maxMembers = 20
)

var placementRequired = []string{
	"placementType", "provider", "name", "council", "area_name", "lat", "lng",
	"min_age", "max_age", "max_children", "purposes", "totalWeeklyCost",
}

type placementCSV struct {
	councils   map[string]catalogue.CouncilCode
	carers     []repeated
	members    []repeated
	filtered   bool
	placements *placementAssembler
}

func decodePlacementsCSV(in io.Reader, opt DecodeOptions, rep *report) catalogue.Batch {
	d := &placementCSV{
		councils:   councilNames(),
		carers:     repeatedGroups("carer", maxCarers, carerFields),
		members:    repeatedGroups("member", maxMembers, memberFields),
		placements: newPlacementAssembler(rep),
	}
	names := slices.Concat(placementColumns, groupNames("carer", maxCarers, carerFields...), groupNames("member", maxMembers, memberFields...))
	readCSV(in, opt, rep, newColumns(Placements, names, placementNotKept, placementRequired), d.row)
	if rep.tooLarge {
		return catalogue.Batch{}
	}
	return d.placements.finish(nil)
}

// readInt reads a whole number cell; a blank one is def, or "is required".
func readInt(r *csvRow, col string, def int, required bool) int {
	if r.blank(col) {
		if required {
			r.fail(col, "is required")
		}
		return def
	}
	n, msg := parseInt(r.cell(col), -1_000_000, 1_000_000)
	if msg != "" {
		r.fail(col, "%q %s", clip(r.cell(col)), msg)
	}
	return n
}

func (d *placementCSV) row(r *csvRow) {
	if !d.filtered {
		d.carers = inHeader(d.carers, r)
		d.members = inHeader(d.members, r)
		d.filtered = true
	}
	rec := placementRec{sink: r.rowSink}
	if r.has("id") {
		rec.key = strings.TrimSpace(r.cell("id"))
		if msg := checkKey(rec.key); rec.key != "" && msg != "" {
			r.fail("id", "%s", msg)
		}
	}
	var p catalogue.Placement
	p.Kind = placementKind(r.rowSink, "placementType", r.cell("placementType"))
	if !r.blank("provider") {
		id, ok := parseID(r.cell("provider"))
		if !ok {
			r.fail("provider", "%q must be the ID of a stored provider", clip(r.cell("provider")))
		}
		p.Provider = catalogue.ProviderID(id)
	}
	p.Name = r.cell("name")
	p.URN = strings.TrimSpace(r.cell("providerURN"))
	p.Council = getCouncil(r.rowSink, "council", r.cell("council"), d.councils)
	p.AreaName = r.cell("area_name")
	p.Location = readLocation(r, "lat", "lng", true)
	p.Approval = catalogue.Approval{
		MinAge:        readInt(r, "min_age", 0, true),
		MaxAge:        readInt(r, "max_age", 0, true),
		Sexes:         getList(r.rowSink, func(int) string { return "approved_sexes" }, splitList(r.cell("approved_sexes")), catalogue.Sexes, sexAliases),
		MaxChildren:   readInt(r, "max_children", 0, true),
		Purposes:      getList(r.rowSink, func(int) string { return "purposes" }, splitList(r.cell("purposes")), catalogue.Purposes, nil),
		SiblingGroups: readBool(r, "sibling_groups", false),
		From:          getDate(r.rowSink, "approval_from", r.cell("approval_from"), false, true),
		Until:         getDate(r.rowSink, "approval_until", r.cell("approval_until"), false, true),
		Exemption:     r.cell("fostering_exemption"),
	}
	p.Registration = getEnum(r.rowSink, "registration", r.cell("registration"), catalogue.Registrations, nil, false)
	if from := r.cell("temporary_approval_from"); from != "" {
		p.TemporaryApproval = &catalogue.TemporaryApproval{From: getDate(r.rowSink, "temporary_approval_from", from, true, true),
			Extended: readBool(r, "temporary_approval_extended", false)}
	}
	p.Household = catalogue.Household{
		Pets:                 getList(r.rowSink, func(int) string { return "household_pets" }, splitList(r.cell("household_pets")), catalogue.Animals, nil),
		Smoking:              readBool(r, "smoking", false),
		WheelchairAccessible: readBool(r, "wheelchair_accessible", false),
	}
	var carerSlots, memberSlots []int
	for _, g := range d.carers {
		if g.present(r) {
			carerSlots = append(carerSlots, g.n)
			p.Household.Carers = append(p.Household.Carers, catalogue.Carer{FirstName: r.cell(g.cols["first_name"])})
		}
	}
	for _, g := range d.members {
		if !g.present(r) {
			continue
		}
		memberSlots = append(memberSlots, g.n)
		p.Household.Members = append(p.Household.Members, catalogue.Member{
			FirstName: r.cell(g.cols["first_name"]),
			Age:       readInt(r, g.cols["age"], 0, true),
			Sex:       getEnum(r.rowSink, g.cols["sex"], r.cell(g.cols["sex"]), catalogue.Sexes, sexAliases, true),
			Role:      getEnum(r.rowSink, g.cols["role"], r.cell(g.cols["role"]), catalogue.MemberRoles, nil, true),
		})
	}
	p.Skills = getList(r.rowSink, func(int) string { return "skills" }, splitList(r.cell("skills")), catalogue.Skills, nil)
	for _, l := range splitList(r.cell("languages")) {
		p.Languages = append(p.Languages, strings.ToLower(l))
	}
	p.Religion = getEnum(r.rowSink, "religion", r.cell("religion"), catalogue.Religions, nil, false)
	p.Ethnicity = getEnum(r.rowSink, "ethnicity", r.cell("ethnicity"), catalogue.EthnicGroups, nil, false)
	p.Experience = readInt(r, "experience", 0, false)
	p.Stability = catalogue.StabilityRecord{
		EndedPlanned:   readInt(r, "ended_planned", 0, false),
		EndedUnplanned: readInt(r, "ended_unplanned", 0, false),
	}
	p.Ofsted = getEnum(r.rowSink, "ofsted", r.cell("ofsted"), catalogue.OfstedGrades, ofstedAliases, false)
	p.SupportedOutcome = getEnum(r.rowSink, "ofsted_outcome", r.cell("ofsted_outcome"), catalogue.SupportedOutcomes, outcomeAliases, false)
	p.StayingPut = readBool(r, "staying_put", false)
	p.LongTerm = readBool(r, "long_term", false)
	p.WeeklyCost = readInt(r, "totalWeeklyCost", 0, true)
	p.Profile = r.cell("profile")
	p.Active = readBool(r, "active", true)
	p.DoLConditions = readBool(r, "dol_conditions", false)
	for _, item := range splitList(r.cell("connected_to")) {
		id, ok := parseID(item)
		if !ok {
			r.fail("connected_to", "%q must be the ID of a stored child", clip(item))
			continue
		}
		p.ConnectedTo = append(p.ConnectedTo, catalogue.ChildID(id))
	}
	for _, item := range splitList(r.cell("vacancies")) {
		if v, ok := vacancyItem(r.rowSink, "vacancies", item); ok {
			p.Vacancies = append(p.Vacancies, v)
		}
	}
	rec.pl = p
	rec.name = csvPlacementNamer(carerSlots, memberSlots)
	rec.vacName = func(int, string) string { return "vacancies" }
	d.placements.add(rec)
}

// csvPlacementNamer maps catalogue paths of a placement to CSV columns.
func csvPlacementNamer(carerSlots, memberSlots []int) func(string) string {
	return func(p string) string {
		s := splitPath(p)
		at := func(i int) string {
			if i < len(s) {
				return s[i].name
			}
			return ""
		}
		slot := func(slots []int, i int) int {
			if i >= 0 && i < len(slots) {
				return slots[i]
			}
			return 1
		}
		switch s[0].name {
		case "kind":
			return "placementType"
		case "urn":
			return "providerURN"
		case "weekly_cost":
			return "totalWeeklyCost"
		case "location", "stability":
			return at(1)
		case "approval":
			switch at(1) {
			case "sexes":
				return "approved_sexes"
			case "from", "until":
				return "approval_" + at(1)
			case "exemption":
				return "fostering_exemption"
			}
			return at(1)
		case "temporary_approval":
			return "temporary_approval_from"
		case "household":
			switch at(1) {
			case "carers":
				return fmt.Sprintf("carer%d_first_name", slot(carerSlots, s[1].idx))
			case "members":
				if s[1].idx < 0 {
					return "member1_role"
				}
				return fmt.Sprintf("member%d_%s", slot(memberSlots, s[1].idx), at(2))
			case "pets":
				return "household_pets"
			}
			return at(1)
		}
		return s[0].name
	}
}

func encodePlacementsCSV(w io.Writer, placements []catalogue.Placement) error {
	nCarers, nMembers := 0, 0
	for _, p := range placements {
		nCarers = max(nCarers, len(p.Household.Carers))
		nMembers = max(nMembers, len(p.Household.Members))
	}
	header := slices.Concat(placementColumns, groupNames("carer", nCarers, carerFields...), groupNames("member", nMembers, memberFields...))
	return writeCSV(w, header, func(emit func([]string) error) error {
		rec := make([]string, 0, len(header))
		for _, p := range placements {
			rec = appendPlacementCSV(rec[:0], p, nCarers, nMembers)
			if err := emit(rec); err != nil {
				return err
			}
		}
		return nil
	})
}

func appendPlacementCSV(rec []string, p catalogue.Placement, nCarers, nMembers int) []string {
	a, h := p.Approval, p.Household
	ids := make([]string, len(p.ConnectedTo))
	for i, id := range p.ConnectedTo {
		ids[i] = id.String()
	}
	vacs := make([]string, len(p.Vacancies))
	for i, v := range p.Vacancies {
		vacs[i] = formatVacancy(v)
	}
	rec = append(rec,
		p.ID.String(), string(p.Kind), p.Provider.String(), escapeCell(p.Name), escapeCell(p.URN),
		string(p.Council), escapeCell(p.AreaName), formatFloat(p.Location.Lat), formatFloat(p.Location.Lng),
		strconv.Itoa(a.MinAge), strconv.Itoa(a.MaxAge), joinList(a.Sexes), strconv.Itoa(a.MaxChildren),
		joinList(a.Purposes), formatBool(a.SiblingGroups),
		joinList(h.Pets), formatBool(h.Smoking), formatBool(h.WheelchairAccessible),
		joinList(p.Skills), strings.Join(p.Languages, ";"), string(p.Religion), string(p.Ethnicity),
		strconv.Itoa(p.Experience), strconv.Itoa(p.Stability.EndedPlanned), strconv.Itoa(p.Stability.EndedUnplanned),
		string(p.Ofsted), formatBool(p.StayingPut), formatBool(p.LongTerm), strconv.Itoa(p.WeeklyCost),
		escapeCell(p.Profile), formatBool(p.Active), strings.Join(ids, ";"), strings.Join(vacs, ";"),
		formatBool(p.DoLConditions), string(p.Registration), formatDate(a.From), formatDate(a.Until), escapeCell(a.Exemption))
	if t := p.TemporaryApproval; t != nil {
		rec = append(rec, formatDate(t.From), formatBool(t.Extended))
	} else {
		rec = append(rec, "", "")
	}
	rec = append(rec, string(p.SupportedOutcome))
	for i := range nCarers {
		if i < len(h.Carers) {
			rec = append(rec, escapeCell(h.Carers[i].FirstName))
		} else {
			rec = append(rec, "")
		}
	}
	for i := range nMembers {
		if i >= len(h.Members) {
			rec = append(rec, "", "", "", "")
			continue
		}
		m := h.Members[i]
		rec = append(rec, escapeCell(m.FirstName), strconv.Itoa(m.Age), string(m.Sex), string(m.Role))
	}
	return rec
}
