package catalogue

import (
	"regexp"
	"strings"
)

// The SSDA903 return ("children looked after return") is what every council in England sends
// the DfE each year: a Header file (one row per child) and an Episodes file (one row per
// change of legal status or placement). An imported episode keeps the return's own codes
// (ReturnCodes), so that the history exports back to the same return and the demand forecast
// can read legal status, category of need and why episodes began and ended.
//
// Every code table below is written once, from the DfE's "Children looked after return
// 2024 to 2025: guide" (the SSDA903 guide for the collection year 2024-25, annex A code sets);
// the words are shortened from the guide's.

// LegalCode is an SSDA903 legal status (LS).
type LegalCode string

// legalCodes maps each LS code to the catalogue's legal status group.
var legalCodes = map[LegalCode]LegalStatus{
	"C1": LegalInterimCareOrder, // interim care order
	"C2": LegalCareOrder,        // full care order
	"D1": LegalPlacementOrder,   // freeing order granted
	"E1": LegalPlacementOrder,   // placement order granted
	"J1": LegalRemand,           // remanded to local authority or youth detention accommodation
	"J2": LegalRemand,           // placed in local authority accommodation under PACE 1984
	"J3": LegalRemand,           // youth rehabilitation order with residence or fostering requirement
	"L1": LegalPoliceProtection, // police protection, in local authority accommodation
	"L2": LegalEPO,              // emergency protection order
	"L3": LegalEPO,              // child assessment order, in local authority accommodation
	"V2": LegalSection20,        // single period of accommodation under s20
	"V3": LegalSection20,        // agreed series of short breaks, episodes recorded
	"V4": LegalSection20,        // agreed series of short breaks, agreements recorded
}

// Valid reports whether c is an SSDA903 legal status code.
func (c LegalCode) Valid() bool { _, ok := legalCodes[c]; return ok }

// Status is the catalogue's legal status group of the code.
func (c LegalCode) Status() LegalStatus { return legalCodes[c] }

// ShortBreak reports whether the child is accommodated under an agreed series of short breaks
// (V3, V4): respite, not a period of care in the usual sense.
func (c LegalCode) ShortBreak() bool { return c == "V3" || c == "V4" }

// LegalCodeOf is the code a catalogue legal status exports as: the commonest of its group.
func LegalCodeOf(s LegalStatus) LegalCode {
	switch s {
	case LegalInterimCareOrder:
		return "C1"
	case LegalPlacementOrder:
		return "E1"
	case LegalSection20:
		return "V2"
	case LegalRemand:
		return "J1"
	case LegalPoliceProtection:
		return "L1"
	case LegalEPO:
		return "L2"
	}
	return "C2"
}

// NeedCategory is an SSDA903 category of need (CIN): the main reason the child came to need
// children's services.
type NeedCategory string

// NeedCategories lists every NeedCategory: N1 abuse or neglect, N2 the child's disability, N3
// parental illness or disability, N4 family in acute stress, N5 family dysfunction, N6
// socially unacceptable behaviour, N7 low income, N8 absent parenting.
var NeedCategories = []NeedCategory{"N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"}

// Valid reports whether c is an SSDA903 category of need.
func (c NeedCategory) Valid() bool { return oneOf(c, NeedCategories) }

// NewEpisodeReason is an SSDA903 reason for new episode (RNE).
type NewEpisodeReason string

const (
	EpisodeStarted         NewEpisodeReason = "S" // started to be looked after
	EpisodeLegalChange     NewEpisodeReason = "L" // change of legal status only
	EpisodePlacementChange NewEpisodeReason = "P" // change of placement and carer(s) only
	EpisodeBothChange      NewEpisodeReason = "T" // change of both legal status and placement and carer(s)
	EpisodeStatusChange    NewEpisodeReason = "U" // change of placement status, same carer(s)
	EpisodeStatusAndLegal  NewEpisodeReason = "B" // change of legal status and placement status, same carer(s)
)

// NewEpisodeReasons lists every NewEpisodeReason.
var NewEpisodeReasons = []NewEpisodeReason{EpisodeStarted, EpisodeLegalChange, EpisodePlacementChange,
	EpisodeBothChange, EpisodeStatusChange, EpisodeStatusAndLegal}

// Valid reports whether r is an SSDA903 reason for new episode.
func (r NewEpisodeReason) Valid() bool { return oneOf(r, NewEpisodeReasons) }

// Move reports whether the child changed carers when the episode began (P or T): the DfE's
// "change of placement" that its stability measures count.
func (r NewEpisodeReason) Move() bool { return r == EpisodePlacementChange || r == EpisodeBothChange }

// CeasedReason is an SSDA903 reason episode ceased (REC): X1 when a new episode follows the
// same day, and an E code when the child left care.
type CeasedReason string

// ContinuesInCare is the REC of an episode followed, the same day, by another.
const ContinuesInCare CeasedReason = "X1"

// ceasedReasons lists every REC code with the guide's words, shortened.
var ceasedReasons = map[CeasedReason]string{
	"X1":  "episode ceased and a new one began the same day",
	"E11": "adopted: application unopposed",
	"E12": "adopted: consent dispensed with by the court",
	"E2":  "died",
	"E3":  "care taken by another local authority",
	"E4A": "returned home to live with parents or relatives as part of the care plan",
	"E4B": "returned home to live with parents or relatives, not as part of the care plan",
	"E5":  "moved into independent living with formal support",
	"E6":  "moved into independent living without formal support",
	"E7":  "moved into residential care funded by adult social care",
	"E8":  "period of care ceased for any other reason",
	"E9":  "sentenced to custody",
	"E13": "left care to live with former foster carers",
	"E14": "accommodation on remand ended",
	"E15": "age assessment found the child 18 or over",
	"E16": "child moved abroad",
	"E17": "aged 18 or over and stayed with current carers (Staying Put)",
	"E41": "child arrangements order granted",
	"E45": "special guardianship order to former foster carers",
	"E46": "special guardianship order to carers other than former foster carers",
	"E47": "child arrangements order to former foster carers",
	"E48": "child arrangements order to carers other than former foster carers",
}

// LeftCareOther is the REC an export gives a native episode that ended with no next one: the
// reason the child left care is not recorded in placematch.
const LeftCareOther CeasedReason = "E8"

// Valid reports whether r is an SSDA903 reason episode ceased.
func (r CeasedReason) Valid() bool { _, ok := ceasedReasons[r]; return ok }

// LeftCare reports whether the child stopped being looked after when the episode ended.
func (r CeasedReason) LeftCare() bool { return r.Valid() && r != ContinuesInCare }

// Words says the reason in plain words.
func (r CeasedReason) Words() string { return ceasedReasons[r] }

// PlaceCode is an SSDA903 placement type (PLACE).
type PlaceCode string

// placeCodes maps each PLACE code to the setting it is in the catalogue. Foster placements with
// other foster carers (U4-U6, Q2) are council or agency foster care by PLACE_PROVIDER
// (SettingOfPlace).
var placeCodes = map[PlaceCode]Setting{
	"A3": SettingAdoption,      // placed for adoption with consent, with current foster carers
	"A4": SettingAdoption,      // placed for adoption with consent, not with current foster carers
	"A5": SettingAdoption,      // placed for adoption with a placement order, with current foster carers
	"A6": SettingAdoption,      // placed for adoption with a placement order, not with current foster carers
	"H5": SettingSupported,     // supported accommodation (semi-independent living before October 2023)
	"K1": SettingSecure,        // secure children's home
	"K2": SettingChildrensHome, // children's home subject to the Children's Homes Regulations
	"P1": SettingWithParents,   // placed with own parents or others with parental responsibility
	"P2": SettingOther,         // independent living (flat, lodgings, bedsit, with friends)
	"P3": SettingOther,         // residential employment
	"Q1": SettingKinship,       // foster placement with relative or friend (before 2014)
	"Q2": SettingCouncilFoster, // foster placement with other foster carer (before 2014)
	"R1": SettingOther,         // residential care home
	"R2": SettingOther,         // NHS or health trust establishment providing medical or nursing care
	"R3": SettingOther,         // family centre or mother and baby unit
	"R5": SettingSecure,        // young offender institution or prison
	"S1": SettingOther,         // residential school, not dual-registered as a children's home
	"T0": SettingOther,         // temporary move of any kind
	"T1": SettingOther,         // temporary periods in hospital
	"T2": SettingOther,         // temporary absence of the designated carer
	"T3": SettingOther,         // temporary accommodation whilst on holiday
	"T4": SettingOther,         // temporary accommodation of seven days or less
	"U1": SettingKinship,       // foster with relative or friend, long-term fostering
	"U2": SettingKinship,       // foster with relative or friend who is an approved adopter (FFA or concurrent)
	"U3": SettingKinship,       // foster with relative or friend, not long-term or FFA
	"U4": SettingCouncilFoster, // foster with other foster carer, long-term fostering
	"U5": SettingCouncilFoster, // foster with other foster carer who is an approved adopter (FFA or concurrent)
	"U6": SettingCouncilFoster, // foster with other foster carer, not long-term or FFA
	"Z1": SettingOther,         // other placement
}

// Valid reports whether c is an SSDA903 placement type.
func (c PlaceCode) Valid() bool { _, ok := placeCodes[c]; return ok }

// ProviderCode is an SSDA903 placement provider (PLACE_PROVIDER).
type ProviderCode string

// ProviderCodes lists every ProviderCode: PR0 parents or others with parental responsibility,
// PR1 the council's own provision, PR2 another council's, PR3 other public provision, PR4
// private provision, PR5 voluntary or third sector provision.
var ProviderCodes = []ProviderCode{"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"}

// Valid reports whether c is an SSDA903 placement provider.
func (c ProviderCode) Valid() bool { return oneOf(c, ProviderCodes) }

// Council reports whether the provision is a council's (PR1, PR2).
func (c ProviderCode) Council() bool { return c == "PR1" || c == "PR2" }

// SettingOfPlace is the catalogue setting of an SSDA903 placement: a foster placement with
// unconnected carers is council foster care when a council provides it and agency foster care
// otherwise.
func SettingOfPlace(place PlaceCode, provider ProviderCode) Setting {
	s, ok := placeCodes[place]
	if !ok {
		return ""
	}
	if s == SettingCouncilFoster && provider.Valid() && !provider.Council() {
		return SettingAgencyFoster
	}
	return s
}

// PlaceOfSetting is the placement type and provider a native episode exports as: long-term
// fostering when the child's purpose is long-term, short-term otherwise.
func PlaceOfSetting(s Setting, longTerm bool) (PlaceCode, ProviderCode) {
	foster := func(long, short PlaceCode) PlaceCode {
		if longTerm {
			return long
		}
		return short
	}
	switch s {
	case SettingCouncilFoster:
		return foster("U4", "U6"), "PR1"
	case SettingAgencyFoster:
		return foster("U4", "U6"), "PR4"
	case SettingKinship:
		return foster("U1", "U3"), "PR1"
	case SettingChildrensHome:
		return "K2", "PR4"
	case SettingSupported:
		return "H5", "PR4"
	case SettingAdoption:
		return "A4", "PR1"
	case SettingWithParents:
		return "P1", "PR0"
	case SettingSecure:
		return "K1", "PR1"
	}
	return "Z1", "PR4"
}

// ReturnChildName is the first name of a child imported from a return, which names no one.
const ReturnChildName = "(SSDA903)"

// ReturnCodes is what a council's SSDA903 return said of an imported episode, in the return's
// own codes; zero for an episode recorded in placematch. Postcodes are never kept whole: only
// their outward codes (the district, "LS1"), which locate the child's home and the placement no
// more finely than the district.
type ReturnCodes struct {
	NewEpisode  NewEpisodeReason // RNE
	LegalStatus LegalCode        // LS
	Need        NeedCategory     // CIN
	Place       PlaceCode        // PLACE
	Provider    ProviderCode     // PLACE_PROVIDER
	Ceased      CeasedReason     // REC; empty while the episode continues
	// ReasonGiven says REASON_PLACE_CHANGE was given; when not, an ended episode's Reason is
	// the import's stand-in (ReturnStandInReason) and exports back as blank.
	ReasonGiven    bool
	HomeDistrict   string // outward code of HOME_POST; empty when not given
	PlacedDistrict string // outward code of PL_POST; empty when not given
	URN            string // Ofsted unique reference number of the placement (URN); empty when not given
}

// Imported reports whether the episode came from an SSDA903 return.
func (r ReturnCodes) Imported() bool { return r.NewEpisode != "" }

// ReturnStandInReason is the reason for placement change an imported episode that ended
// without one is given, since every ended episode has a reason (Episode.Validate): PLACE when
// the child stayed with the same carers (the next episode's RNE is L, U or B), OTHER otherwise.
func ReturnStandInReason(next NewEpisodeReason) ChangeReason {
	switch next {
	case EpisodeLegalChange, EpisodeStatusChange, EpisodeStatusAndLegal:
		return ReasonStatusOnly
	}
	return ReasonOther
}

// outwardCode is the outward code of a UK postcode: the area and district ("LS1", "SW1A",
// "M60"), as the postcode's first part.
var outwardCode = regexp.MustCompile(`^[A-Z]{1,2}[0-9][0-9A-Z]?$`)

// OutwardCode returns the outward code of a postcode ("LS1 4AP" gives "LS1"; "LS14AP" too), or
// "" and false when s is not a postcode or an outward code. Only the outward code is ever kept.
func OutwardCode(s string) (string, bool) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	switch {
	case outwardCode.MatchString(s):
		return s, true // an outward code alone
	case len(s) >= 5 && len(s) <= 7 && inwardCode(s[len(s)-3:]) && outwardCode.MatchString(s[:len(s)-3]):
		return s[:len(s)-3], true
	}
	return "", false
}

// inwardCode reports whether s is a postcode's inward code: a digit and two letters.
func inwardCode(s string) bool {
	return len(s) == 3 && s[0] >= '0' && s[0] <= '9' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z'
}

// validate reports the bad codes of an imported episode.
func (r ReturnCodes) validate(p problems, ended bool) {
	if !r.Imported() {
		if r != (ReturnCodes{}) {
			p.add("return.new_episode", "is required with the return's other codes")
		}
		return
	}
	if !r.NewEpisode.Valid() {
		p.add("return.new_episode", "must be an SSDA903 reason for new episode (RNE), one of %v", NewEpisodeReasons)
	}
	if !r.LegalStatus.Valid() {
		p.add("return.legal_status", "must be an SSDA903 legal status (LS) such as C2 or V2")
	}
	if r.Need != "" && !r.Need.Valid() {
		p.add("return.need", "must be an SSDA903 category of need (CIN), one of %v", NeedCategories)
	}
	if !r.Place.Valid() {
		p.add("return.place", "must be an SSDA903 placement type (PLACE) such as U4 or K2")
	}
	if r.Provider != "" && !r.Provider.Valid() {
		p.add("return.provider", "must be an SSDA903 placement provider, one of %v", ProviderCodes)
	}
	switch {
	case ended && !r.Ceased.Valid():
		p.add("return.ceased", "must be an SSDA903 reason episode ceased (REC) such as X1 or E4A")
	case !ended && r.Ceased != "":
		p.add("return.ceased", "must be empty while the episode continues")
	}
	for _, d := range []struct{ field, v string }{{"return.home_district", r.HomeDistrict}, {"return.placed_district", r.PlacedDistrict}} {
		if d.v != "" && !outwardCode.MatchString(d.v) {
			p.add(d.field, "must be a postcode's outward code such as LS1: a whole postcode is never kept")
		}
	}
	if len(r.URN) > 20 {
		p.add("return.urn", "must be at most 20 characters")
	}
}
