package catalogue

import "slices"

// oneOf reports whether v is one of the allowed values.
func oneOf[T comparable](v T, allowed []T) bool { return slices.Contains(allowed, v) }

// Sex as recorded in the SSDA903 return.
type Sex string

const (
	Male   Sex = "male"
	Female Sex = "female"
)

// Sexes lists every Sex.
var Sexes = []Sex{Male, Female}

// Valid reports whether s is a known value.
func (s Sex) Valid() bool { return oneOf(s, Sexes) }

// EthnicGroup is the top-level ethnicity group used in DfE statistics.
type EthnicGroup string

const (
	EthnicWhite   EthnicGroup = "white"
	EthnicMixed   EthnicGroup = "mixed"
	EthnicAsian   EthnicGroup = "asian"
	EthnicBlack   EthnicGroup = "black"
	EthnicOther   EthnicGroup = "other"
	EthnicUnknown EthnicGroup = "unknown"
)

// EthnicGroups lists every EthnicGroup.
var EthnicGroups = []EthnicGroup{EthnicWhite, EthnicMixed, EthnicAsian, EthnicBlack, EthnicOther, EthnicUnknown}

// Valid reports whether g is a known value.
func (g EthnicGroup) Valid() bool { return oneOf(g, EthnicGroups) }

// Ethnicity is an SSDA903 ethnicity code (WBRI, MWBC, BAFR, ...).
type Ethnicity string

// ethnicities maps each SSDA903 code to its group.
var ethnicities = map[Ethnicity]EthnicGroup{
	"WBRI": EthnicWhite, "WIRI": EthnicWhite, "WIRT": EthnicWhite, "WOTH": EthnicWhite, "WROM": EthnicWhite,
	"MWBC": EthnicMixed, "MWBA": EthnicMixed, "MWAS": EthnicMixed, "MOTH": EthnicMixed,
	"AIND": EthnicAsian, "APKN": EthnicAsian, "ABAN": EthnicAsian, "AOTH": EthnicAsian, "CHNE": EthnicAsian,
	"BCRB": EthnicBlack, "BAFR": EthnicBlack, "BOTH": EthnicBlack,
	"OOTH": EthnicOther,
	"REFU": EthnicUnknown, "NOBT": EthnicUnknown,
}

// Valid reports whether e is an SSDA903 code.
func (e Ethnicity) Valid() bool { _, ok := ethnicities[e]; return ok }

// Group returns the top-level group of the code.
func (e Ethnicity) Group() EthnicGroup {
	if g, ok := ethnicities[e]; ok {
		return g
	}
	return EthnicUnknown
}

// Religion of a child or a household.
type Religion string

const (
	ReligionNone      Religion = "none"
	ReligionChristian Religion = "christian"
	ReligionMuslim    Religion = "muslim"
	ReligionHindu     Religion = "hindu"
	ReligionSikh      Religion = "sikh"
	ReligionJewish    Religion = "jewish"
	ReligionBuddhist  Religion = "buddhist"
	ReligionOther     Religion = "other"
)

// Religions lists every Religion.
var Religions = []Religion{ReligionNone, ReligionChristian, ReligionMuslim, ReligionHindu, ReligionSikh, ReligionJewish, ReligionBuddhist, ReligionOther}

// Valid reports whether r is a known value.
func (r Religion) Valid() bool { return oneOf(r, Religions) }

// Communication is a specific communication requirement (PDS specificCommunicationRequirements).
type Communication string

const (
	CommESOL    Communication = "esol"
	CommBSL     Communication = "bsl"
	CommMakaton Communication = "makaton"
	CommOther   Communication = "other"
)

// Communications lists every Communication.
var Communications = []Communication{CommESOL, CommBSL, CommMakaton, CommOther}

// Valid reports whether c is a known value.
func (c Communication) Valid() bool { return oneOf(c, Communications) }

// LegalStatus is the legal basis on which the child is looked after (SSDA903 groups).
type LegalStatus string

const (
	LegalInterimCareOrder LegalStatus = "interim_care_order"         // C1
	LegalCareOrder        LegalStatus = "care_order"                 // C2
	LegalPlacementOrder   LegalStatus = "placement_order"            // E1
	LegalSection20        LegalStatus = "section_20"                 // V2, V3, V4
	LegalRemand           LegalStatus = "remand"                     // J1, J2, J3
	LegalPoliceProtection LegalStatus = "police_protection"          // L1
	LegalEPO              LegalStatus = "emergency_protection_order" // L2
)

// LegalStatuses lists every LegalStatus.
var LegalStatuses = []LegalStatus{LegalInterimCareOrder, LegalCareOrder, LegalPlacementOrder, LegalSection20, LegalRemand, LegalPoliceProtection, LegalEPO}

// Valid reports whether l is a known value.
func (l LegalStatus) Valid() bool { return oneOf(l, LegalStatuses) }

// NeedKind is an area of need assessed for a child.
type NeedKind string

const (
	NeedEmotionalBehavioural NeedKind = "emotional_behavioural"
	NeedTrauma               NeedKind = "trauma"
	NeedDisabilityHealth     NeedKind = "disability_health"
	NeedAutism               NeedKind = "autism"
	NeedLearning             NeedKind = "learning"
	NeedExploitationCSE      NeedKind = "exploitation_cse"
	NeedExploitationCCE      NeedKind = "exploitation_cce"
	NeedMissing              NeedKind = "missing"
	NeedSubstanceUse         NeedKind = "substance_use"
	NeedUASC                 NeedKind = "uasc"
	NeedParentAndChild       NeedKind = "parent_and_child"
	NeedRemand               NeedKind = "remand"
	// The needs of issue 17 (mentalhealth.go): mental health, and the risk that a child draws
	// others into crime (PDS riskToOthersCriminal).
	NeedSelfHarm                 NeedKind = "self_harm"                       // PDS riskSelfHarm
	NeedEatingDisorder           NeedKind = "eating_disorder"                 // PDS riskEatingDisorder
	NeedMentalHealth             NeedKind = "mental_health"                   // a mental health condition, or CAMHS involvement
	NeedCriminalExploitingOthers NeedKind = "criminal_exploitation_of_others" // PDS riskToOthersCriminal
)

// NeedKinds lists every NeedKind.
var NeedKinds = []NeedKind{NeedEmotionalBehavioural, NeedTrauma, NeedDisabilityHealth, NeedAutism, NeedLearning,
	NeedExploitationCSE, NeedExploitationCCE, NeedMissing, NeedSubstanceUse, NeedUASC, NeedParentAndChild, NeedRemand,
	NeedSelfHarm, NeedEatingDisorder, NeedMentalHealth, NeedCriminalExploitingOthers}

// Valid reports whether k is a known value.
func (k NeedKind) Valid() bool { return oneOf(k, NeedKinds) }

// Skill is a carer's or home's skill or training that meets needs.
type Skill string

const (
	SkillTraumaInformed       Skill = "trauma_informed"
	SkillTherapeuticParenting Skill = "therapeutic_parenting"
	SkillDisability           Skill = "disability"
	SkillAutism               Skill = "autism"
	SkillParentAndChild       Skill = "parent_and_child"
	SkillUASC                 Skill = "uasc"
	SkillExploitation         Skill = "exploitation"
	SkillRemand               Skill = "remand"
	SkillBehaviour            Skill = "behaviour"
	SkillLearning             Skill = "learning"
	SkillSubstanceUse         Skill = "substance_use"
	SkillMentalHealth         Skill = "mental_health"    // children's mental health, self-harm awareness, working with CAMHS
	SkillEatingDisorders      Skill = "eating_disorders" // supporting a child's eating disorder treatment plan at home
)

// Skills lists every Skill.
var Skills = []Skill{SkillTraumaInformed, SkillTherapeuticParenting, SkillDisability, SkillAutism, SkillParentAndChild,
	SkillUASC, SkillExploitation, SkillRemand, SkillBehaviour, SkillLearning, SkillSubstanceUse,
	SkillMentalHealth, SkillEatingDisorders}

// Valid reports whether s is a known value.
func (s Skill) Valid() bool { return oneOf(s, Skills) }

// SkillsFor returns the skills that meet a need, best first. Any one of them covers the need.
// The slice is shared: callers must not change it. Matching calls this for every need of every
// candidate, so it is a table lookup that does not allocate.
func SkillsFor(k NeedKind) []Skill { return skillsFor[k] }

var skillsFor = map[NeedKind][]Skill{
	NeedEmotionalBehavioural: {SkillBehaviour, SkillTherapeuticParenting},
	NeedTrauma:               {SkillTherapeuticParenting, SkillTraumaInformed},
	NeedDisabilityHealth:     {SkillDisability},
	NeedAutism:               {SkillAutism},
	NeedLearning:             {SkillLearning, SkillDisability},
	NeedExploitationCSE:      {SkillExploitation},
	NeedExploitationCCE:      {SkillExploitation},
	NeedMissing:              {SkillExploitation},
	NeedSubstanceUse:         {SkillSubstanceUse},
	NeedUASC:                 {SkillUASC},
	NeedParentAndChild:       {SkillParentAndChild},
	NeedRemand:               {SkillRemand},
	// Mental health: carers trained in children's mental health, or therapeutic parenting; an
	// eating disorder best by carers trained to support its treatment plan at home.
	NeedSelfHarm:       {SkillMentalHealth, SkillTherapeuticParenting},
	NeedMentalHealth:   {SkillMentalHealth, SkillTherapeuticParenting},
	NeedEatingDisorder: {SkillEatingDisorders, SkillMentalHealth},
	// A child who may draw others into crime: carers trained in exploitation (who know its
	// signs from both sides), or in behaviour support.
	NeedCriminalExploitingOthers: {SkillExploitation, SkillBehaviour},
}

// CareType is the kind of care assessed as right for a child.
type CareType string

const (
	CareFamilyFoster   CareType = "family_foster"
	CareKinship        CareType = "kinship"
	CareChildrensHome  CareType = "childrens_home"
	CareSupported      CareType = "supported_accommodation" // 16 and over
	CareParentAndChild CareType = "parent_and_child"
	CareEither         CareType = "either" // family foster or children's home
)

// CareTypes lists every CareType.
var CareTypes = []CareType{CareFamilyFoster, CareKinship, CareChildrensHome, CareSupported, CareParentAndChild, CareEither}

// Valid reports whether c is a known value.
func (c CareType) Valid() bool { return oneOf(c, CareTypes) }

// Accepts reports whether a placement of kind k can provide care of type c
// (before approval terms and skills are considered).
func (c CareType) Accepts(k PlacementKind) bool {
	switch c {
	// Family-based care: connected persons (kinship) are considered for any of it, and ranked
	// first (Children Act 1989 s22C(7)(a)); only those assessed for the child pass
	// (kinship_connection). A child assessed for kinship care is considered for unconnected
	// foster carers too, ranked after their family and friends.
	case CareFamilyFoster, CareKinship:
		return k == CouncilFoster || k == AgencyFoster || k == Kinship
	case CareChildrensHome:
		return k == ChildrensHome
	case CareSupported:
		return k == SupportedAccommodation
	case CareParentAndChild:
		return k == CouncilFoster || k == AgencyFoster || k == ChildrensHome
	case CareEither:
		return k == CouncilFoster || k == AgencyFoster || k == Kinship || k == ChildrensHome
	}
	return false
}

// Purpose of a placement (PDS, SSDA903 placement types).
type Purpose string

const (
	PurposeEmergency Purpose = "emergency"
	PurposeShortTerm Purpose = "short_term"
	PurposeLongTerm  Purpose = "long_term" // long-term or permanence
	PurposeRespite   Purpose = "respite"
	PurposeRemand    Purpose = "remand"
	// PurposeStayingPut is no longer a purpose: Staying Put is staying on with the current foster
	// carers after 18 (Children Act 1989 s23CZA), not a search for a new home. It is recorded on
	// the young person's current placement (Episode.StayingPut); stored purposes were migrated
	// (00025) and imports refuse it with StayingPutNotAPurpose.
	PurposeStayingPut Purpose = "staying_put"
)

// StayingPutNotAPurpose is what a child or placement given the purpose staying_put is told.
const StayingPutNotAPurpose = "staying_put is not a purpose: Staying Put is staying on with the current foster carers after 18 (Children Act 1989 s23CZA), not a search for a new home; record it on the young person's current placement (staying_put), and search for a long_term home"

// Purposes lists every Purpose.
var Purposes = []Purpose{PurposeEmergency, PurposeShortTerm, PurposeLongTerm, PurposeRespite, PurposeRemand}

// Valid reports whether p is a known value.
func (p Purpose) Valid() bool { return oneOf(p, Purposes) }

// Companions says who a child can live alongside (PDS livingCompanions).
type Companions string

const (
	CompanionsSolo         Companions = "solo"
	CompanionsWithOthers   Companions = "with_others"
	CompanionsOnlyOlder    Companions = "only_older"
	CompanionsOnlyYounger  Companions = "only_younger"
	CompanionsNoPreference Companions = "no_preference"
)

// CompanionsAll lists every Companions value.
var CompanionsAll = []Companions{CompanionsSolo, CompanionsWithOthers, CompanionsOnlyOlder, CompanionsOnlyYounger, CompanionsNoPreference}

// Valid reports whether c is a known value.
func (c Companions) Valid() bool { return oneOf(c, CompanionsAll) }

// PetsRule says whether a child can live with animals (PDS pets).
type PetsRule string

const (
	PetsMust   PetsRule = "must"
	PetsCan    PetsRule = "can"
	PetsCannot PetsRule = "cannot"
)

// PetsRules lists every PetsRule.
var PetsRules = []PetsRule{PetsMust, PetsCan, PetsCannot}

// Valid reports whether p is a known value.
func (p PetsRule) Valid() bool { return oneOf(p, PetsRules) }

// Animal kept by a household, or that a child is allergic to.
type Animal string

const (
	AnimalDog   Animal = "dog"
	AnimalCat   Animal = "cat"
	AnimalOther Animal = "other"
)

// Animals lists every Animal.
var Animals = []Animal{AnimalDog, AnimalCat, AnimalOther}

// Valid reports whether a is a known value.
func (a Animal) Valid() bool { return oneOf(a, Animals) }

// RiskToOthers is a risk the child may pose (PDS riskToOthers*), used by household-safety rules.
type RiskToOthers string

const (
	RiskPhysical RiskToOthers = "physical"
	RiskSexual   RiskToOthers = "sexual"
	RiskFire     RiskToOthers = "fire_setting"
	RiskAnimals  RiskToOthers = "harm_to_animals"
	RiskYounger  RiskToOthers = "harm_to_younger_children"
)

// RisksToOthers lists every RiskToOthers.
var RisksToOthers = []RiskToOthers{RiskPhysical, RiskSexual, RiskFire, RiskAnimals, RiskYounger}

// Valid reports whether r is a known value.
func (r RiskToOthers) Valid() bool { return oneOf(r, RisksToOthers) }

// Wish is one of the things a child can say matters to them, in a small fixed vocabulary.
type Wish string

const (
	WishStayAtSchool     Wish = "stay_at_school"
	WishLiveWithSiblings Wish = "live_with_siblings"
	WishNearFamily       Wish = "near_family" // near my mum, nan, friends
	WishHavePet          Wish = "have_pet"
	WishMyReligion       Wish = "my_religion"
	WishMyLanguage       Wish = "my_language"
	WishTown             Wish = "town"
	WishCountry          Wish = "country"
)

// WishesAll lists every Wish.
var WishesAll = []Wish{WishStayAtSchool, WishLiveWithSiblings, WishNearFamily, WishHavePet, WishMyReligion, WishMyLanguage, WishTown, WishCountry}

// Valid reports whether w is a known value.
func (w Wish) Valid() bool { return oneOf(w, WishesAll) }

// Relationship of a person in a contact plan, or of a household member, to the child.
type Relationship string

const (
	RelMother      Relationship = "mother"
	RelFather      Relationship = "father"
	RelGrandparent Relationship = "grandparent"
	RelSibling     Relationship = "sibling"
	RelAuntUncle   Relationship = "aunt_uncle"
	RelFriend      Relationship = "friend"
	RelOther       Relationship = "other"
	// Former carers and other key adults (a teacher, a youth worker) can be in a contact plan.
	RelFormerCarer Relationship = "former_carer"
	RelKeyAdult    Relationship = "key_adult"
)

// Relationships lists every Relationship.
var Relationships = []Relationship{RelMother, RelFather, RelGrandparent, RelSibling, RelAuntUncle, RelFriend, RelOther,
	RelFormerCarer, RelKeyAdult}

// Valid reports whether r is a known value.
func (r Relationship) Valid() bool { return oneOf(r, Relationships) }

// Frequency of contact.
type Frequency string

const (
	FreqDaily       Frequency = "daily"
	FreqWeekly      Frequency = "weekly"
	FreqFortnightly Frequency = "fortnightly"
	FreqMonthly     Frequency = "monthly"
	FreqLess        Frequency = "less_often"
)

// Frequencies lists every Frequency, most frequent first.
var Frequencies = []Frequency{FreqDaily, FreqWeekly, FreqFortnightly, FreqMonthly, FreqLess}

// Valid reports whether f is a known value.
func (f Frequency) Valid() bool { return oneOf(f, Frequencies) }

// PerMonth is the number of contacts a month the frequency means.
func (f Frequency) PerMonth() float64 {
	switch f {
	case FreqDaily:
		return 30
	case FreqWeekly:
		return 4.3
	case FreqFortnightly:
		return 2.2
	case FreqMonthly:
		return 1
	}
	return 0.3
}

// SiblingPlan is the assessed plan for a sibling group.
type SiblingPlan string

const (
	PlanTogether           SiblingPlan = "together"
	PlanTogetherIfPossible SiblingPlan = "together_if_possible"
	PlanApart              SiblingPlan = "apart"
)

// SiblingPlans lists every SiblingPlan.
var SiblingPlans = []SiblingPlan{PlanTogether, PlanTogetherIfPossible, PlanApart}

// Valid reports whether p is a known value.
func (p SiblingPlan) Valid() bool { return oneOf(p, SiblingPlans) }

// ChildStatus is where a child is in the search for a home.
type ChildStatus string

const (
	ChildWaiting ChildStatus = "waiting" // needs a placement
	ChildOffered ChildStatus = "offered" // an offer is out
	ChildPlaced  ChildStatus = "placed"  // living in a placement found here
	ChildClosed  ChildStatus = "closed"  // no longer looked after, or search withdrawn
)

// ChildStatuses lists every ChildStatus.
var ChildStatuses = []ChildStatus{ChildWaiting, ChildOffered, ChildPlaced, ChildClosed}

// Valid reports whether s is a known value.
func (s ChildStatus) Valid() bool { return oneOf(s, ChildStatuses) }

// PlacementKind is the kind of home.
type PlacementKind string

const (
	CouncilFoster          PlacementKind = "council_foster"
	AgencyFoster           PlacementKind = "agency_foster"
	Kinship                PlacementKind = "kinship"
	ChildrensHome          PlacementKind = "childrens_home"
	SupportedAccommodation PlacementKind = "supported_accommodation"
)

// PlacementKinds lists every PlacementKind.
var PlacementKinds = []PlacementKind{CouncilFoster, AgencyFoster, Kinship, ChildrensHome, SupportedAccommodation}

// Valid reports whether k is a known value.
func (k PlacementKind) Valid() bool { return oneOf(k, PlacementKinds) }

// IsFamily reports whether the placement is a family home (foster or kinship).
func (k PlacementKind) IsFamily() bool {
	return k == CouncilFoster || k == AgencyFoster || k == Kinship
}

// OfstedGrade of a children's home or agency.
type OfstedGrade string

const (
	OfstedNone                OfstedGrade = ""
	OfstedOutstanding         OfstedGrade = "outstanding"
	OfstedGood                OfstedGrade = "good"
	OfstedRequiresImprovement OfstedGrade = "requires_improvement"
	OfstedInadequate          OfstedGrade = "inadequate"
)

// OfstedGrades lists every graded OfstedGrade (not None).
var OfstedGrades = []OfstedGrade{OfstedOutstanding, OfstedGood, OfstedRequiresImprovement, OfstedInadequate}

// Valid reports whether g is a known value or none.
func (g OfstedGrade) Valid() bool { return g == OfstedNone || oneOf(g, OfstedGrades) }

// ProviderKind is the kind of organisation that runs placements.
type ProviderKind string

const (
	ProviderCouncil   ProviderKind = "council"   // a council's own fostering service or homes
	ProviderAgency    ProviderKind = "agency"    // an independent fostering agency
	ProviderPrivate   ProviderKind = "private"   // a private children's home operator
	ProviderVoluntary ProviderKind = "voluntary" // a charity
)

// ProviderKinds lists every ProviderKind.
var ProviderKinds = []ProviderKind{ProviderCouncil, ProviderAgency, ProviderPrivate, ProviderVoluntary}

// Valid reports whether k is a known value.
func (k ProviderKind) Valid() bool { return oneOf(k, ProviderKinds) }

// VacancyStatus is the state of one place.
type VacancyStatus string

const (
	VacancyAvailable VacancyStatus = "available" // free from AvailableFrom
	VacancyHeld      VacancyStatus = "held"      // promised by an offer that is out
	VacancyFilled    VacancyStatus = "filled"    // a child lives there
	VacancyWithdrawn VacancyStatus = "withdrawn" // no longer offered by the provider
)

// VacancyStatuses lists every VacancyStatus.
var VacancyStatuses = []VacancyStatus{VacancyAvailable, VacancyHeld, VacancyFilled, VacancyWithdrawn}

// Valid reports whether s is a known value.
func (s VacancyStatus) Valid() bool { return oneOf(s, VacancyStatuses) }
