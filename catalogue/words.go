package catalogue

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The words for the vocabulary, in one place. placematch writes in two registers: to the child,
// on their own page (everyday words for a reader of 8 to 17, spoken to them: "your mum",
// "helping children who have been through hard times feel safe"), and to the officer, in the
// reasons of a ranking that a social worker reads and reads aloud (the sector's words, the
// child in the third person: "her mother", "trauma-informed care"). Each vocabulary that both
// put into words has one table below with a column for each register, so the two cannot drift
// apart: a value added to the vocabulary without its words fails the test.

// Words is one value of the vocabulary put into words in each register.
type Words struct {
	Child   string // on the child's own page
	Officer string // in the reasons an officer reads
}

// rawWords are the words for a value missing from its table (which validation keeps out of the
// store): the value itself, as words.
func rawWords(v string) Words {
	w := strings.ReplaceAll(v, "_", " ")
	return Words{Child: w, Officer: w}
}

// skillRow is a skill in both registers, and the training in it as commissioners and support
// plans name it.
type skillRow struct {
	Words
	training string
}

var skillWords = map[Skill]skillRow{
	SkillTraumaInformed:       {Words{"helping children who have been through hard times feel safe", "trauma-informed care"}, "trauma-informed"},
	SkillTherapeuticParenting: {Words{"caring for children whose feelings can be big and hard to manage", "therapeutic parenting"}, "therapeutic parenting"},
	SkillDisability:           {Words{"looking after children with a disability", "disability care"}, "disability"},
	SkillAutism:               {Words{"understanding autistic children", "autism support"}, "autism"},
	SkillParentAndChild:       {Words{"helping young parents look after their baby", "parent and child care"}, "parent and child"},
	SkillUASC:                 {Words{"welcoming young people who came to this country on their own", "supporting young asylum seekers"}, "asylum-seeking children"},
	SkillExploitation:         {Words{"keeping young people safe from people who might use or hurt them", "keeping children safe from exploitation"}, "child exploitation"},
	SkillRemand:               {Words{"supporting young people who are going to court", "remand care"}, "remand"},
	SkillBehaviour:            {Words{"staying calm and kind when things get difficult", "behaviour support"}, "behaviour support"},
	SkillLearning:             {Words{"helping with learning and school work", "learning support"}, "learning support"},
	SkillSubstanceUse:         {Words{"helping young people with worries about drugs or alcohol", "substance use support"}, "substance use"},
	// A child reads these about a home offered to them: they say what the carers do, in words
	// that name no diagnosis (no "self-harm", no "eating disorder"), so the page neither labels
	// the child nor tells them what their records say.
	SkillMentalHealth:    {Words{"looking after young people's feelings and wellbeing", "mental health support"}, "children's mental health"},
	SkillEatingDisorders: {Words{"making mealtimes calm and relaxed", "eating disorder support"}, "eating disorder"},
}

// Words says what carers with the skill are good at ("understanding autistic children"), and
// what the skill is to an officer ("autism support").
func (s Skill) Words() Words {
	if r, ok := skillWords[s]; ok {
		return r.Words
	}
	return rawWords(string(s))
}

// TrainingName names the training in a skill as commissioners say it: "trauma-informed" in
// "26 households need trauma-informed training".
func TrainingName(s Skill) string {
	if r, ok := skillWords[s]; ok {
		return r.training
	}
	return rawWords(string(s)).Officer
}

var placementKindWords = map[PlacementKind]Words{
	CouncilFoster:          {"a foster family", "a council foster home"},
	AgencyFoster:           {"a foster family", "an agency foster home"},
	Kinship:                {"family or friends who know you", "a kinship (family and friends) home"},
	ChildrensHome:          {"a children's home, where staff look after a few young people", "a children's home"},
	SupportedAccommodation: {"your own room or flat, with staff to help you", "supported accommodation"},
}

// Words says what sort of home it is: to a child, without the council's and agencies' words ("a
// foster family"), to an officer, with them ("an agency foster home").
func (k PlacementKind) Words() Words {
	if w, ok := placementKindWords[k]; ok {
		return w
	}
	return rawWords(string(k))
}

// animalRow is an animal in both registers, and the animals of its kind as an officer reads it
// ("allergic to dogs").
type animalRow struct {
	Words
	kind string
}

var animalWords = map[Animal]animalRow{
	AnimalDog:   {Words{"a dog", "a dog"}, "dogs"},
	AnimalCat:   {Words{"a cat", "a cat"}, "cats"},
	AnimalOther: {Words{"a pet of another kind", "an animal"}, "some animals"},
}

// Words names one animal of the kind: "a dog".
func (a Animal) Words() Words {
	if r, ok := animalWords[a]; ok {
		return r.Words
	}
	return rawWords(string(a))
}

// Kind names the animals of the kind, as an officer reads it: "allergic to dogs".
func (a Animal) Kind() string {
	if r, ok := animalWords[a]; ok {
		return r.kind
	}
	return rawWords(string(a)).Officer
}

// relationshipWords: the officer's words take the child's possessive ("her", "Amy's") for %s.
var relationshipWords = map[Relationship]Words{
	RelMother:      {"your mum", "%s mother"},
	RelFather:      {"your dad", "%s father"},
	RelGrandparent: {"your grandparent", "%s grandparent"},
	RelSibling:     {"your brother or sister", "%s brother or sister"},
	RelAuntUncle:   {"your aunt or uncle", "%s aunt or uncle"},
	RelFriend:      {"your friend", "%s friend"},
	RelOther:       {"someone you see", "someone in %s contact plan"},
	RelFormerCarer: {"someone who looked after you before", "%s former carer"},
	RelKeyAdult:    {"someone important to you", "a key adult in %s life"},
}

// Words names someone in a child's contact plan by who they are to the child: to the child,
// "your mum"; to the officer, with the child's possessive ("her", "Amy's"): "her mother".
func (r Relationship) Words(possessive string) Words {
	w, ok := relationshipWords[r]
	if !ok {
		w = Words{"someone you see", "someone in %s contact plan"}
	}
	w.Officer = fmt.Sprintf(w.Officer, possessive)
	return w
}

// languageNames name the languages by their ISO 639 codes. A language is called the same to a
// child as to an officer, so the table has one column: "fa" is Farsi, as families and
// interpreting services in England say (Dari, the Persian of Afghanistan, is "prs").
var languageNames = map[string]string{
	"am": "Amharic", "ar": "Arabic", "bfi": "British Sign Language", "bg": "Bulgarian", "bn": "Bengali",
	"ckb": "Sorani Kurdish", "cs": "Czech", "cy": "Welsh", "de": "German", "el": "Greek", "en": "English",
	"es": "Spanish", "fa": "Farsi", "fr": "French", "ga": "Irish", "gd": "Scottish Gaelic", "gu": "Gujarati",
	"he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "ig": "Igbo", "it": "Italian", "kmr": "Kurmanji Kurdish",
	"ku": "Kurdish", "ln": "Lingala", "lt": "Lithuanian", "lv": "Latvian", "ml": "Malayalam", "ne": "Nepali",
	"om": "Oromo", "pa": "Punjabi", "pl": "Polish", "prs": "Dari", "ps": "Pashto", "pt": "Portuguese",
	"ro": "Romanian", "ru": "Russian", "si": "Sinhala", "sk": "Slovak", "sn": "Shona", "so": "Somali",
	"sq": "Albanian", "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "ti": "Tigrinya", "tl": "Tagalog",
	"tr": "Turkish", "tw": "Twi", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "yo": "Yoruba",
	"zh": "Chinese",
}

// LanguageName names a language from its ISO 639 code ("fa": "Farsi"), in both registers;
// false when the code is not one placematch knows.
func LanguageName(code string) (string, bool) {
	n, ok := languageNames[code]
	return n, ok
}

// LanguageCodes lists the codes of every language LanguageName knows, in order.
func LanguageCodes() []string { return slices.Sorted(maps.Keys(languageNames)) }
