package exchange

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// The columns of a children CSV file, in the order export writes them. Names in camelCase are
// Placements Data Standard v2 terms; the others are placematch's own.
var childColumns = []string{
	"id", "council", "childId", "first_name", "date_of_birth", "sex", "ethnicity", "religion",
	"first_language", "specificCommunicationRequirements", "legal_status", "needs",
	"riskToOthersPhysical", "riskToOthersSexual", "riskToOthersFire", "riskToOthersAnimals", "risk_to_others_younger",
	"care_type", "purpose", "neededBy", "home_lat", "home_lng",
	"school_name", "school_urn", "school_lat", "school_lng", "school_keep_planned",
	"sibling_group", "sibling_plan", "sibling_plan_reason", "siblingCount",
	"livingCompanions", "pets", "allergies", "respiratory", "wheelchair", "wishes", "wishes_in_own_words", "status",
	// Issue 17: the PDS fields that were read and dropped, and mental health and liberty.
	"communicationNeeds", "riskSexualExploitation", "riskCriminalExploitation", "riskDrugAlcohol", "riskMissing",
	"riskSelfHarm", "riskEatingDisorder", "riskToOthersCriminal", "deprivationOfLiberty", "sdq_band", "camhs",
	// Issue 20: a child whose safety needs their placement kept confidential; lost on a round
	// trip, their page would show the area and the carers' names again.
	"confidential",
}

// contactFields and zoneFields make the repeated groups contact1_name ... zone20_vertices.
var (
	contactFields = []string{"name", "relationship", "lat", "lng", "frequency", "type", "centre_lat", "centre_lng", "must_not_know", "safe"}
	zoneFields    = []string{"shape", "reason", "lat", "lng", "radius_km", "vertices"}
)

// riskColumns maps the PDS risk-to-others columns (and our own for harm to younger children) to
// the catalogue's risks, in the catalogue's order.
var riskColumns = []struct {
	col  string
	risk catalogue.RiskToOthers
}{
	{"riskToOthersPhysical", catalogue.RiskPhysical},
	{"riskToOthersSexual", catalogue.RiskSexual},
	{"riskToOthersFire", catalogue.RiskFire},
	{"riskToOthersAnimals", catalogue.RiskAnimals},
	{"risk_to_others_younger", catalogue.RiskYounger},
}

// childRiskColumns are PDS risk columns read as needs: "Risk Present" adds the need at medium
// level unless the needs column grades it, and export writes whether the child has the need.
// riskToOthersCriminal, the risk that the child draws others into crime, is a need too: it is
// met by carers' skills, as the risks to the child are.
var childRiskColumns = []struct {
	col  string
	need catalogue.NeedKind
}{
	{"riskSexualExploitation", catalogue.NeedExploitationCSE},
	{"riskCriminalExploitation", catalogue.NeedExploitationCCE},
	{"riskDrugAlcohol", catalogue.NeedSubstanceUse},
	{"riskMissing", catalogue.NeedMissing},
	{"riskSelfHarm", catalogue.NeedSelfHarm},
	{"riskEatingDisorder", catalogue.NeedEatingDisorder},
	{"riskToOthersCriminal", catalogue.NeedCriminalExploitingOthers},
}

// childImportOnly are columns read on import and never written.
var childImportOnly = []string{"referralDate"}

var childRequired = []string{
	"first_name", "date_of_birth", "sex", "ethnicity", "religion", "first_language", "legal_status",
	"care_type", "purpose", "neededBy", "home_lat", "home_lng", "livingCompanions", "pets",
}

// repeated is the column names of one member of a repeated group, computed once.
type repeated struct {
	n    int
	cols map[string]string // field -> column
	at   []int             // positions in the file of the columns it has
}

func repeatedGroups(prefix string, n int, fields []string) []repeated {
	out := make([]repeated, n)
	for i := range out {
		out[i] = repeated{n: i + 1, cols: make(map[string]string, len(fields))}
		for _, f := range fields {
			out[i].cols[f] = fmt.Sprintf("%s%d_%s", prefix, i+1, f)
		}
	}
	return out
}

// inHeader keeps the groups with at least one column in the file, and notes where they are.
func inHeader(gs []repeated, r *csvRow) []repeated {
	var out []repeated
	for _, g := range gs {
		g.at = nil
		for _, c := range g.cols {
			if i, ok := r.pos[c]; ok {
				g.at = append(g.at, i)
			}
		}
		if len(g.at) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// present reports whether any cell of the group is filled in.
func (g repeated) present(r *csvRow) bool {
	for _, i := range g.at {
		if strings.TrimSpace(unescapeCell(r.cells[i])) != "" {
			return true
		}
	}
	return false
}

func childCSVColumns(opt DecodeOptions) *columns {
	names := slices.Concat(childColumns, childImportOnly,
		groupNames("contact", catalogue.MaxContacts, contactFields...),
		groupNames("zone", catalogue.MaxZones, zoneFields...))
	required := childRequired
	if opt.Council == "" {
		required = append([]string{"council"}, required...)
	}
	return newColumns(Children, names, childNotKept, required)
}

// childCSV reads children rows.
type childCSV struct {
	opt      DecodeOptions
	councils map[string]catalogue.CouncilCode
	contacts []repeated
	zones    []repeated
	children *childAssembler
	groups   []groupRec
	groupIdx map[string]int
	// whether each group's plan and reason were given
	planSet, reasonSet []bool
	filtered           bool
}

func decodeChildrenCSV(in io.Reader, opt DecodeOptions, rep *report) catalogue.Batch {
	d := &childCSV{
		opt:      opt,
		councils: councilNames(),
		contacts: repeatedGroups("contact", catalogue.MaxContacts, contactFields),
		zones:    repeatedGroups("zone", catalogue.MaxZones, zoneFields),
		groupIdx: map[string]int{},
		children: newChildAssembler(opt, rep, true),
	}
	readCSV(in, opt, rep, childCSVColumns(opt), d.row)
	if rep.tooLarge {
		return catalogue.Batch{}
	}
	for i := range d.groups {
		if !d.planSet[i] {
			d.groups[i].group.Plan = catalogue.PlanTogether // the default and the legal preference
		}
	}
	return d.children.finish(d.groups)
}

func (d *childCSV) row(r *csvRow) {
	if !d.filtered {
		// Only the numbered groups the header has are looked at on every row.
		d.contacts = inHeader(d.contacts, r)
		d.zones = inHeader(d.zones, r)
		d.filtered = true
	}
	var c catalogue.Child
	rec := childRec{sink: r.rowSink}

	if r.has("id") {
		rec.key = strings.TrimSpace(r.cell("id"))
		if msg := checkKey(rec.key); rec.key != "" && msg != "" {
			r.fail("id", "%s", msg)
		}
	}
	c.Council = getCouncil(r.rowSink, "council", r.cell("council"), d.councils)
	if r.blank("council") && d.opt.Council == "" {
		r.fail("council", "is required")
	}
	c.CaseRef = strings.TrimSpace(r.cell("childId"))
	c.FirstName = r.cell("first_name")
	c.DateOfBirth = getDate(r.rowSink, "date_of_birth", r.cell("date_of_birth"), true, true)
	c.Sex = getEnum(r.rowSink, "sex", r.cell("sex"), catalogue.Sexes, sexAliases, true)
	c.Ethnicity = catalogue.Ethnicity(strings.ToUpper(strings.TrimSpace(r.cell("ethnicity"))))
	c.Religion = getEnum(r.rowSink, "religion", r.cell("religion"), catalogue.Religions, nil, true)
	c.FirstLanguage = strings.ToLower(strings.TrimSpace(r.cell("first_language")))
	c.Communication = readCommunication(r.rowSink, r.cell("specificCommunicationRequirements"), func(int) string { return "specificCommunicationRequirements" })
	c.LegalStatus = getEnum(r.rowSink, "legal_status", r.cell("legal_status"), catalogue.LegalStatuses, nil, true)
	c.Needs = readNeeds(r)
	for _, rc := range riskColumns {
		if r.blank(rc.col) {
			continue
		}
		yes, ok := parseBool(r.cell(rc.col))
		switch {
		case !ok:
			r.fail(rc.col, "%q must be true or false (or the PDS Risk Present or No known risk)", clip(r.cell(rc.col)))
		case yes:
			c.RisksToOthers = append(c.RisksToOthers, rc.risk)
		}
	}
	c.CareType = getEnum(r.rowSink, "care_type", r.cell("care_type"), catalogue.CareTypes, nil, true)
	c.Purpose = getEnum(r.rowSink, "purpose", r.cell("purpose"), catalogue.Purposes, nil, true)
	c.NeededBy = readNeededBy(r)
	c.Home = readLocation(r, "home_lat", "home_lng", true)
	c.School = readSchool(r)
	c.Companions = getEnum(r.rowSink, "livingCompanions", r.cell("livingCompanions"), catalogue.CompanionsAll, companionsAliases, true)
	c.Pets = getEnum(r.rowSink, "pets", r.cell("pets"), catalogue.PetsRules, petsAliases, true)
	c.Allergies = getList(r.rowSink, func(int) string { return "allergies" }, splitList(r.cell("allergies")), catalogue.Animals, nil)
	c.Respiratory = readBool(r, "respiratory", false)
	c.Wheelchair = readBool(r, "wheelchair", false)
	c.Wishes.Priorities = getList(r.rowSink, func(int) string { return "wishes" }, splitList(r.cell("wishes")), catalogue.WishesAll, nil)
	c.Wishes.InOwnWords = r.cell("wishes_in_own_words")
	c.Status = getEnum(r.rowSink, "status", r.cell("status"), catalogue.ChildStatuses, nil, false)
	if c.Status == "" {
		c.Status = catalogue.ChildWaiting
	}
	c.DeprivationOfLiberty = readBool(r, "deprivationOfLiberty", false)
	c.SDQBand = getEnum(r.rowSink, "sdq_band", r.cell("sdq_band"), catalogue.SDQBands, sdqAliases, false)
	c.CAMHS = readBool(r, "camhs", false)
	c.Confidential = readBool(r, "confidential", false)
	c.Communication = communicationNeeds(r.rowSink, "communicationNeeds", r.cell("communicationNeeds"), c.Communication, c.Needs)

	var contactSlots, zoneSlots []int
	for _, g := range d.contacts {
		if !g.present(r) {
			continue
		}
		contactSlots = append(contactSlots, g.n)
		c.Contacts = append(c.Contacts, readContact(r, g))
	}
	for _, g := range d.zones {
		if !g.present(r) {
			continue
		}
		zoneSlots = append(zoneSlots, g.n)
		c.ExclusionZones = append(c.ExclusionZones, readZone(r, g))
	}

	if !r.blank("siblingCount") {
		n, msg := parseInt(r.cell("siblingCount"), 0, 50)
		if msg != "" {
			r.fail("siblingCount", "%s", msg)
		} else {
			rec.siblingCount = &n
		}
	}
	d.readGroup(r, &rec, c.Council)

	rec.child = c
	rec.name = csvChildNamer(contactSlots, zoneSlots)
	d.children.add(rec)
}

// readGroup reads the sibling group columns: the first row naming a group defines it, and
// later rows must agree with it (or leave the plan blank).
func (d *childCSV) readGroup(r *csvRow, rec *childRec, council catalogue.CouncilCode) {
	key := strings.TrimSpace(r.cell("sibling_group"))
	if key == "" {
		if !r.blank("sibling_plan") || !r.blank("sibling_plan_reason") {
			r.fail("sibling_group", "is required when sibling_plan or sibling_plan_reason is given")
		}
		return
	}
	if msg := checkKey(key); msg != "" {
		r.fail("sibling_group", "%s", msg)
		return
	}
	rec.group = key
	plan := getEnum(r.rowSink, "sibling_plan", r.cell("sibling_plan"), catalogue.SiblingPlans, nil, false)
	reason := r.cell("sibling_plan_reason")
	i, ok := d.groupIdx[key]
	if !ok {
		i = len(d.groups)
		d.groupIdx[key] = i
		d.groups = append(d.groups, groupRec{
			sink:         newSink(r.row, r.rep),
			key:          strings.Clone(key), // not the whole line the cell is cut from
			group:        catalogue.SiblingGroup{Council: council},
			councilGiven: false,
			name:         csvGroupNamer,
		})
		d.planSet = append(d.planSet, false)
		d.reasonSet = append(d.reasonSet, false)
	}
	g := &d.groups[i]
	switch {
	case plan == "":
	case !d.planSet[i]:
		g.group.Plan, d.planSet[i] = plan, true
	case plan != g.group.Plan:
		r.fail("sibling_plan", "is %s, but another row of sibling group %q says %s", plan, clip(key), g.group.Plan)
	}
	switch {
	case reason == "":
	case !d.reasonSet[i]:
		g.group.Reason, d.reasonSet[i] = strings.Clone(reason), true
	case reason != g.group.Reason:
		r.fail("sibling_plan_reason", "differs from another row of sibling group %q", clip(key))
	}
}

// readCommunication reads PDS specificCommunicationRequirements; "None" alone means none.
func readCommunication(s *rowSink, v string, item func(int) string) []catalogue.Communication {
	items := splitList(v)
	if len(items) == 1 && norm(items[0]) == "none" {
		return nil
	}
	return getList(s, item, items, catalogue.Communications, nil)
}

// readNeeds reads "trauma:3;autism:2" and the PDS risk-to-the-child columns.
func readNeeds(r *csvRow) []catalogue.Need {
	var needs []catalogue.Need
	for _, item := range splitList(r.cell("needs")) {
		kind, level, found := strings.Cut(item, ":")
		if !found {
			r.fail("needs", "%q must be a need and its level, such as trauma:3", clip(item))
			continue
		}
		k, ok := enum(kind, catalogue.NeedKinds, nil)
		if !ok {
			r.fail("needs", "%q %s", clip(kind), oneOfMsg(catalogue.NeedKinds))
			continue
		}
		l, ok := levelAliases[norm(level)]
		if !ok {
			r.fail("needs", "level %q of %s must be 1, 2 or 3 (low, medium, high)", clip(level), k)
			continue
		}
		needs = append(needs, catalogue.Need{Kind: k, Level: l})
	}
	for _, rc := range childRiskColumns {
		needs = riskAsNeed(r.rowSink, rc.col, r.cell(rc.col), rc.need, needs)
	}
	return needs
}

// riskAsNeed reads a PDS risk field (Risk Present, No known risk, or true or false; blank:
// not said) as a need: present adds it at medium level unless needs already grades it; no
// known risk with the need listed contradicts the file.
func riskAsNeed(s *rowSink, field, v string, need catalogue.NeedKind, needs []catalogue.Need) []catalogue.Need {
	if strings.TrimSpace(v) == "" {
		return needs
	}
	present, ok := parseBool(v)
	listed := slices.ContainsFunc(needs, func(n catalogue.Need) bool { return n.Kind == need })
	switch {
	case !ok:
		s.fail(field, "%q must be Risk Present or No known risk", clip(v))
	case present && !listed:
		needs = append(needs, catalogue.Need{Kind: need, Level: catalogue.LevelMedium})
	case !present && listed:
		s.fail(field, "says no known risk, but needs lists %s", need)
	}
	return needs
}

// riskWords writes a PDS risk field.
func riskWords(present bool) string {
	if present {
		return "Risk Present"
	}
	return "No known risk"
}

// readNeededBy reads a date, or a PDS neededBy category counted from the referralDate column:
// "Today" is that day, "in less than 5 days" four days after, "in more than 5 days" six days
// after (the earliest day each category allows, so no later vacancy is assumed good enough).
func readNeededBy(r *csvRow) time.Time {
	v := r.cell("neededBy")
	if t := strings.TrimSpace(v); t == "" || t[0] >= '0' && t[0] <= '9' {
		return getDate(r.rowSink, "neededBy", v, true, true)
	}
	var days int
	switch norm(v) {
	case "today":
		days = 0
	case "in_less_than_5_days":
		days = 4
	case "in_more_than_5_days":
		days = 6
	default:
		return getDate(r.rowSink, "neededBy", v, true, true)
	}
	if r.blank("referralDate") {
		r.fail("neededBy", "%q is counted from referralDate: give that column, or a date YYYY-MM-DD", clip(v))
		return time.Time{}
	}
	ref := getDate(r.rowSink, "referralDate", r.cell("referralDate"), true, true)
	if ref.IsZero() {
		r.mark("neededBy")
		return time.Time{}
	}
	return ref.AddDate(0, 0, days)
}

func readBool(r *csvRow, col string, def bool) bool {
	if r.blank(col) {
		return def
	}
	b, ok := parseBool(r.cell(col))
	if !ok {
		r.fail(col, "%q must be true or false", clip(r.cell(col)))
	}
	return b
}

func readFloat(r *csvRow, col string, required bool) float64 {
	if r.blank(col) {
		if required {
			r.fail(col, "is required")
		}
		return 0
	}
	f, ok := parseFloat(r.cell(col))
	if !ok {
		r.fail(col, "%q must be a decimal number", clip(r.cell(col)))
	}
	return f
}

func readLocation(r *csvRow, latCol, lngCol string, required bool) catalogue.Location {
	return catalogue.Location{Lat: readFloat(r, latCol, required), Lng: readFloat(r, lngCol, required)}
}

func readSchool(r *csvRow) *catalogue.School {
	keep := readBool(r, "school_keep_planned", false)
	if r.blank("school_name") && r.blank("school_urn") && r.blank("school_lat") && r.blank("school_lng") && !keep {
		return nil
	}
	if r.blank("school_name") {
		r.fail("school_name", "is required when the child has a school")
	}
	return &catalogue.School{
		Name:        r.cell("school_name"),
		URN:         strings.TrimSpace(r.cell("school_urn")),
		Location:    readLocation(r, "school_lat", "school_lng", true),
		KeepPlanned: keep,
	}
}

// contactTypeRequired is the message for a contact without a type (or the old safe flag).
const contactTypeRequired = "is required: direct, supervised (at a contact centre), indirect or none (or, in the format before contact types, safe: true or false)"

func readContact(r *csvRow, g repeated) catalogue.Contact {
	col := g.cols
	ct := catalogue.Contact{
		Name:         r.cell(col["name"]),
		Relationship: getEnum(r.rowSink, col["relationship"], r.cell(col["relationship"]), catalogue.Relationships, nil, true),
		Location:     readLocation(r, col["lat"], col["lng"], true),
		Frequency:    getEnum(r.rowSink, col["frequency"], r.cell(col["frequency"]), catalogue.Frequencies, nil, true),
	}
	switch {
	case !r.blank(col["type"]):
		ct.Type = getEnum(r.rowSink, col["type"], r.cell(col["type"]), catalogue.ContactTypes, nil, true)
		ct.MustNotKnow = readBool(r, col["must_not_know"], false)
	case !r.blank(col["safe"]):
		ct.Type, ct.MustNotKnow = catalogue.LegacyContact(readBool(r, col["safe"], false))
	default:
		r.fail(col["type"], contactTypeRequired)
	}
	if !r.blank(col["centre_lat"]) || !r.blank(col["centre_lng"]) {
		centre := readLocation(r, col["centre_lat"], col["centre_lng"], true)
		ct.Centre = &centre
	}
	return ct
}

func readZone(r *csvRow, g repeated) catalogue.ExclusionZone {
	col := g.cols
	z := catalogue.ExclusionZone{Reason: r.cell(col["reason"])}
	z.Shape = getEnum(r.rowSink, col["shape"], r.cell(col["shape"]), []catalogue.ZoneShape{catalogue.ZoneCircle, catalogue.ZonePolygon}, nil, false)
	if z.Shape == "" && !r.reported(col["shape"]) {
		z.Shape = catalogue.ZoneCircle
		if !r.blank(col["vertices"]) {
			z.Shape = catalogue.ZonePolygon
		}
	}
	switch z.Shape {
	case catalogue.ZoneCircle:
		z.Centre = readLocation(r, col["lat"], col["lng"], true)
		z.RadiusKm = readFloat(r, col["radius_km"], true)
		if !r.blank(col["vertices"]) {
			r.fail(col["vertices"], "must be empty for a circle")
		}
	case catalogue.ZonePolygon:
		for _, f := range []string{"lat", "lng", "radius_km"} {
			if !r.blank(col[f]) {
				r.fail(col[f], "must be empty for a polygon, which is given by its vertices")
			}
		}
		z.Vertices = parseVertices(r.rowSink, col["vertices"], r.cell(col["vertices"]))
	}
	return z
}

// parseVertices reads "lat lng;lat lng;..." (a comma may stand for the space).
func parseVertices(s *rowSink, field, v string) []catalogue.Location {
	items := splitList(v)
	out := make([]catalogue.Location, 0, len(items))
	for _, item := range items {
		parts := strings.FieldsFunc(item, func(r rune) bool { return r == ' ' || r == ',' })
		if len(parts) != 2 {
			s.fail(field, "%q must be a point written as latitude and longitude, such as 53.48 -2.24", clip(item))
			return nil
		}
		lat, ok1 := parseFloat(parts[0])
		lng, ok2 := parseFloat(parts[1])
		if !ok1 || !ok2 {
			s.fail(field, "%q must be a point written as latitude and longitude, such as 53.48 -2.24", clip(item))
			return nil
		}
		out = append(out, catalogue.Location{Lat: lat, Lng: lng})
	}
	return out
}

func formatVertices(vs []catalogue.Location) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = formatFloat(v.Lat) + " " + formatFloat(v.Lng)
	}
	return strings.Join(parts, ";")
}

// csvChildNamer maps catalogue paths of a child to CSV columns; the slots say which numbered
// column group holds each contact and zone.
func csvChildNamer(contactSlots, zoneSlots []int) func(string) string {
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
		case "case_ref":
			return "childId"
		case "communication":
			return "specificCommunicationRequirements"
		case "risks_to_others":
			return "riskToOthersPhysical"
		case "needed_by":
			return "neededBy"
		case "living_companions":
			return "livingCompanions"
		case "home":
			return "home_" + at(1)
		case "school":
			if at(1) == "location" {
				return "school_" + at(2)
			}
			return "school_" + at(1)
		case "contacts":
			n := slot(contactSlots, s[0].idx)
			if at(1) == "location" {
				return fmt.Sprintf("contact%d_%s", n, at(2))
			}
			if at(1) == "" {
				return "contact1_name"
			}
			return fmt.Sprintf("contact%d_%s", n, at(1))
		case "exclusion_zones":
			n := slot(zoneSlots, s[0].idx)
			switch at(1) {
			case "centre":
				return fmt.Sprintf("zone%d_%s", n, at(2))
			case "":
				return "zone1_shape"
			}
			return fmt.Sprintf("zone%d_%s", n, at(1))
		case "wishes":
			if at(1) == "in_own_words" {
				return "wishes_in_own_words"
			}
			return "wishes"
		}
		return s[0].name
	}
}

func csvGroupNamer(p string) string {
	switch p {
	case "plan":
		return "sibling_plan"
	case "reason":
		return "sibling_plan_reason"
	}
	return p
}

// EncodeChildren writes children and their sibling groups in format f. Records are written in
// ID order. Every group a child names must be among groups; in CSV, where a group travels in
// its members' rows, a group must be of its members' council, and groups without members in
// children are not written.
func EncodeChildren(w io.Writer, f Format, children []catalogue.Child, groups []catalogue.SiblingGroup) error {
	children = slices.Clone(children)
	slices.SortStableFunc(children, func(a, b catalogue.Child) int { return cmp.Compare(a.ID, b.ID) })
	groups = slices.Clone(groups)
	slices.SortStableFunc(groups, func(a, b catalogue.SiblingGroup) int { return cmp.Compare(a.ID, b.ID) })
	byID := make(map[catalogue.SiblingGroupID]catalogue.SiblingGroup, len(groups))
	for _, g := range groups {
		byID[g.ID] = g
	}
	members := map[catalogue.SiblingGroupID]int{}
	for _, c := range children {
		if c.SiblingGroup == 0 {
			continue
		}
		g, ok := byID[c.SiblingGroup]
		if !ok {
			return fmt.Errorf("exchange: child %d names sibling group %d, which was not given", c.ID, c.SiblingGroup)
		}
		if f == CSV && g.Council != c.Council {
			return fmt.Errorf("exchange: child %d is of council %s but sibling group %d is of %s: a CSV file cannot say so", c.ID, c.Council, g.ID, g.Council)
		}
		members[c.SiblingGroup]++
	}
	switch f {
	case CSV:
		return encodeChildrenCSV(w, children, byID, members)
	case JSON:
		return encodeChildrenJSON(w, children, groups, byID, members)
	}
	return catalogue.Invalid("format", "must be %q or %q", CSV, JSON)
}

func encodeChildrenCSV(w io.Writer, children []catalogue.Child, groups map[catalogue.SiblingGroupID]catalogue.SiblingGroup, members map[catalogue.SiblingGroupID]int) error {
	nContacts, nZones := 0, 0
	for _, c := range children {
		nContacts = max(nContacts, len(c.Contacts))
		nZones = max(nZones, len(c.ExclusionZones))
	}
	header := slices.Concat(childColumns, groupNames("contact", nContacts, contactFields...), groupNames("zone", nZones, zoneFields...))
	return writeCSV(w, header, func(emit func([]string) error) error {
		rec := make([]string, 0, len(header))
		for _, c := range children {
			rec = appendChildCSV(rec[:0], c, groups, members, nContacts, nZones)
			if err := emit(rec); err != nil {
				return err
			}
		}
		return nil
	})
}

func appendChildCSV(rec []string, c catalogue.Child, groups map[catalogue.SiblingGroupID]catalogue.SiblingGroup, members map[catalogue.SiblingGroupID]int, nContacts, nZones int) []string {
	needs := make([]string, len(c.Needs))
	for i, n := range c.Needs {
		needs[i] = string(n.Kind) + ":" + strconv.Itoa(int(n.Level))
	}
	rec = append(rec,
		c.ID.String(), string(c.Council), escapeCell(c.CaseRef), escapeCell(c.FirstName),
		formatDate(c.DateOfBirth), string(c.Sex), string(c.Ethnicity), string(c.Religion),
		c.FirstLanguage, joinList(c.Communication), string(c.LegalStatus), strings.Join(needs, ";"))
	for _, rc := range riskColumns {
		rec = append(rec, formatBool(c.HasRisk(rc.risk)))
	}
	rec = append(rec, string(c.CareType), string(c.Purpose), formatDate(c.NeededBy),
		formatFloat(c.Home.Lat), formatFloat(c.Home.Lng))
	if s := c.School; s != nil {
		rec = append(rec, escapeCell(s.Name), escapeCell(s.URN), formatFloat(s.Location.Lat), formatFloat(s.Location.Lng), formatBool(s.KeepPlanned))
	} else {
		rec = append(rec, "", "", "", "", "")
	}
	if g, ok := groups[c.SiblingGroup]; ok && c.SiblingGroup != 0 {
		rec = append(rec, g.ID.String(), string(g.Plan), escapeCell(g.Reason), strconv.Itoa(siblingCountOf(members[g.ID], g.Plan)))
	} else {
		rec = append(rec, "", "", "", "0")
	}
	rec = append(rec, string(c.Companions), string(c.Pets), joinList(c.Allergies),
		formatBool(c.Respiratory), formatBool(c.Wheelchair), joinList(c.Wishes.Priorities),
		escapeCell(c.Wishes.InOwnWords), string(c.Status), communicationNeedsOf(c))
	for _, rc := range childRiskColumns {
		rec = append(rec, formatBool(c.Need(rc.need) > 0))
	}
	rec = append(rec, formatBool(c.DeprivationOfLiberty), string(c.SDQBand), formatBool(c.CAMHS), formatBool(c.Confidential))
	for i := range nContacts {
		if i >= len(c.Contacts) {
			rec = append(rec, make([]string, len(contactFields))...)
			continue
		}
		ct := c.Contacts[i]
		centreLat, centreLng := "", ""
		if ct.Centre != nil {
			centreLat, centreLng = formatFloat(ct.Centre.Lat), formatFloat(ct.Centre.Lng)
		}
		// safe is written for readers from before contact types: direct contact with no one to
		// keep the child's home from.
		safe := ct.Type == catalogue.ContactDirect && !ct.MustNotKnow
		rec = append(rec, escapeCell(ct.Name), string(ct.Relationship), formatFloat(ct.Location.Lat), formatFloat(ct.Location.Lng),
			string(ct.Frequency), string(ct.Type), centreLat, centreLng, formatBool(ct.MustNotKnow), formatBool(safe))
	}
	for i := range nZones {
		if i >= len(c.ExclusionZones) {
			rec = append(rec, "", "", "", "", "", "")
			continue
		}
		z := c.ExclusionZones[i]
		if z.Shape == catalogue.ZonePolygon {
			rec = append(rec, string(z.Shape), escapeCell(z.Reason), "", "", "", formatVertices(z.Vertices))
		} else {
			rec = append(rec, string(z.Shape), escapeCell(z.Reason), formatFloat(z.Centre.Lat), formatFloat(z.Centre.Lng), formatFloat(z.RadiusKm), "")
		}
	}
	return rec
}
