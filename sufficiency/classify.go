package sufficiency

import (
	"fmt"
	"strings"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Level is the kind of area a row covers.
type Level string

const (
	LevelEngland Level = "england"
	LevelRegion  Level = "region"
	LevelCouncil Level = "council"
)

// Area is England, a region or a council.
type Area struct {
	Level  Level
	Code   string // ONS code (E92000001 for England, E12... regions, council GSS codes)
	Name   string
	Region string // the region's code, for councils; the region itself for regions
	Centre catalogue.Location
}

// EnglandCode is the ONS code of England.
const EnglandCode = "E92000001"

// areas lists England, the nine regions (by code) and the 153 councils (by code), in that
// order: an area's index in this list is its index in every table of a report.
type areaIndex struct {
	list     []Area
	byCode   map[string]int
	regionOf []int // area index -> its region's area index (England: -1, a region: itself)
	councils [][]int
}

func newAreaIndex() *areaIndex {
	ix := &areaIndex{byCode: map[string]int{}}
	ix.list = append(ix.list, Area{Level: LevelEngland, Code: EnglandCode, Name: "England"})
	regions := catalogue.Regions()
	for _, r := range regions {
		ix.list = append(ix.list, Area{Level: LevelRegion, Code: string(r.Code), Name: r.Name, Region: string(r.Code)})
	}
	for _, c := range catalogue.Councils() {
		ix.list = append(ix.list, Area{Level: LevelCouncil, Code: string(c.Code), Name: c.Name, Region: string(c.RegionCode), Centre: c.Centre})
	}
	ix.regionOf = make([]int, len(ix.list))
	ix.councils = make([][]int, len(ix.list))
	for i, a := range ix.list {
		ix.byCode[a.Code] = i
	}
	for i, a := range ix.list {
		switch a.Level {
		case LevelEngland:
			ix.regionOf[i] = -1
		case LevelRegion:
			ix.regionOf[i] = i
		default:
			r := ix.byCode[a.Region]
			ix.regionOf[i] = r
			ix.councils[r] = append(ix.councils[r], i)
		}
	}
	return ix
}

// parts returns the areas an area's figures are the sum of: England's regions, a region's
// councils; false for a council.
func (ix *areaIndex) parts(ar int) ([]int, bool) {
	switch ix.list[ar].Level {
	case LevelEngland:
		var kids []int
		for r := range ix.list {
			if ix.list[r].Level == LevelRegion {
				kids = append(kids, r)
			}
		}
		return kids, true
	case LevelRegion:
		return ix.councils[ar], true
	}
	return nil, false
}

// of returns the area indices a council's figures add to: England, its region and itself.
func (ix *areaIndex) of(c catalogue.CouncilCode) ([3]int, bool) {
	i, ok := ix.byCode[string(c)]
	if !ok || ix.list[i].Level != LevelCouncil {
		return [3]int{}, false
	}
	return [3]int{0, ix.regionOf[i], i}, true
}

// Dimension is a way of breaking children down.
type Dimension string

const (
	DimAll        Dimension = "all"
	DimAgeBand    Dimension = "age_band"
	DimCareType   Dimension = "care_type"
	DimKeyNeed    Dimension = "key_need"
	DimDisability Dimension = "disability"
	DimEthnicity  Dimension = "ethnicity"
	DimSiblings   Dimension = "sibling_group"
	DimSegment    Dimension = "segment" // age band x care type x key need
)

// Dimensions lists every dimension but DimAll, in the order reports show them.
var Dimensions = []Dimension{DimAgeBand, DimCareType, DimKeyNeed, DimDisability, DimEthnicity, DimSiblings, DimSegment}

// EquityDimensions are the dimensions the equity analysis compares.
var EquityDimensions = []Dimension{DimAgeBand, DimDisability, DimEthnicity, DimSiblings}

// Breakdown is one group of children: every child (DimAll), an age band, a care type, a key
// need, ... or a need segment.
type Breakdown struct {
	Dimension Dimension
	Value     string // stable identifier within the dimension: "16_plus", "siblings_3_plus", "16_plus/childrens_home/none"
	Label     string // in plain words
}

// Key identifies the breakdown across dimensions: "all", "age_band:16_plus",
// "segment:16_plus/childrens_home/none".
func (b Breakdown) Key() string {
	if b.Dimension == DimAll {
		return string(DimAll)
	}
	return string(b.Dimension) + ":" + b.Value
}

type value struct{ key, label string }

// Age bands on the day of the report (DfE bands, with under 1 and 1 to 4 together).
var ageBands = []value{{"0_4", "aged 0 to 4"}, {"5_9", "aged 5 to 9"}, {"10_15", "aged 10 to 15"}, {"16_plus", "aged 16 and over"}}

func ageBand(age int) int {
	switch {
	case age < 5:
		return 0
	case age < 10:
		return 1
	case age < 16:
		return 2
	}
	return 3
}

var careTypes = []value{
	{string(catalogue.CareFamilyFoster), "assessed for foster care"},
	{string(catalogue.CareKinship), "assessed for kinship care"},
	{string(catalogue.CareChildrensHome), "assessed for a children's home"},
	{string(catalogue.CareSupported), "assessed for supported accommodation"},
	{string(catalogue.CareParentAndChild), "assessed for a parent and child placement"},
	{string(catalogue.CareEither), "assessed for foster care or a children's home"},
}

func careTypeIndex(c catalogue.CareType) int {
	for i, v := range careTypes {
		if v.key == string(c) {
			return i
		}
	}
	return 0
}

// Key needs, in order of precedence: a child with several is counted under the first, so that
// the segments share the children out (see keyNeed).
var keyNeeds = []value{
	{"remand", "on remand"},
	{"parent_and_child", "a parent with their baby"},
	{"uasc", "unaccompanied asylum-seeking"},
	{"siblings_3_plus", "in a sibling group of 3 or more to live together"},
	{"siblings_2", "in a sibling group of 2 to live together"},
	{"disability", "disabled"},
	{"complex", "therapeutic or complex needs"},
	{"none", "none of these key needs"},
}

const (
	needRemand = iota
	needParentAndChild
	needUASC
	needSiblings3
	needSiblings2
	needDisability
	needComplex
	needNone
)

var disabilities = []value{{"disabled", "disabled"}, {"not_disabled", "not disabled"}}

var ethnicities = []value{
	{string(catalogue.EthnicWhite), "White"},
	{string(catalogue.EthnicMixed), "Mixed or multiple ethnic groups"},
	{string(catalogue.EthnicAsian), "Asian or Asian British"},
	{string(catalogue.EthnicBlack), "Black, Black British, Caribbean or African"},
	{string(catalogue.EthnicOther), "Other ethnic group"},
	{string(catalogue.EthnicUnknown), "Refused or not obtained"},
}

func ethnicIndex(g catalogue.EthnicGroup) int {
	for i, v := range ethnicities {
		if v.key == string(g) {
			return i
		}
	}
	return len(ethnicities) - 1
}

// Sibling-group sizes: how many brothers and sisters (the child included) are waiting to live
// together under a plan of together or together if possible.
var siblingSizes = []value{{"alone", "not in a sibling group to live together"}, {"2", "2 brothers and sisters to live together"},
	{"3", "3 brothers and sisters to live together"}, {"4_plus", "4 or more brothers and sisters to live together"}}

func siblingIndex(size int) int {
	switch {
	case size <= 1:
		return 0
	case size == 2:
		return 1
	case size == 3:
		return 2
	}
	return 3
}

// Breakdown indices: all, then each dimension's values in the order of Dimensions. A segment's
// index is segmentBase + (age*len(careTypes)+care)*len(keyNeeds)+need.
var (
	dimValues = map[Dimension][]value{
		DimAgeBand: ageBands, DimCareType: careTypes, DimKeyNeed: keyNeeds,
		DimDisability: disabilities, DimEthnicity: ethnicities, DimSiblings: siblingSizes,
	}
	breakdowns, dimBase = buildBreakdowns()
	segmentBase         = dimBase[DimSegment]
	nBreakdowns         = len(breakdowns)
	nSegments           = len(ageBands) * len(careTypes) * len(keyNeeds)
)

func buildBreakdowns() ([]Breakdown, map[Dimension]int) {
	out := []Breakdown{{Dimension: DimAll, Value: "", Label: "all children waiting"}}
	base := map[Dimension]int{DimAll: 0}
	for _, d := range Dimensions {
		base[d] = len(out)
		if d == DimSegment {
			for _, a := range ageBands {
				for _, c := range careTypes {
					for _, n := range keyNeeds {
						out = append(out, Breakdown{Dimension: d, Value: a.key + "/" + c.key + "/" + n.key,
							Label: a.label + ", " + c.label + ", " + n.label})
					}
				}
			}
			continue
		}
		for _, v := range dimValues[d] {
			out = append(out, Breakdown{Dimension: d, Value: v.key, Label: v.label})
		}
	}
	return out, base
}

// Breakdowns lists every breakdown a report can hold, in the order of its tables.
func Breakdowns() []Breakdown { return append([]Breakdown(nil), breakdowns...) }

// ParseBreakdown finds a breakdown by its Key ("age_band:16_plus"), or a segment by its value
// alone ("16_plus/childrens_home/none").
func ParseBreakdown(key string) (Breakdown, error) {
	i, ok := breakdownIndex(key)
	if !ok {
		return Breakdown{}, fmt.Errorf("sufficiency: %w", catalogue.Invalid("segment",
			"must be a breakdown such as all, age_band:16_plus, key_need:siblings_3_plus or segment:16_plus/childrens_home/none"))
	}
	return breakdowns[i], nil
}

func breakdownIndex(key string) (int, bool) {
	if !strings.Contains(key, ":") && strings.Count(key, "/") == 2 {
		key = string(DimSegment) + ":" + key
	}
	for i, b := range breakdowns {
		if b.Key() == key {
			return i, true
		}
	}
	return 0, false
}

// class is where one child falls: a breakdown index per dimension (index 0 is DimAll).
type class [1 + 7]int

// The position of each dimension in a class.
const (
	posAll = iota
	posAge
	posCare
	posNeed
	posDisability
	posEthnicity
	posSiblings
	posSegment
)

// classify places a child in every dimension. together is the number of brothers and sisters
// (the child included) waiting to live together under the group's plan (1 when none).
func classify(c *catalogue.Child, together int, day time.Time) class {
	age := ageBand(c.AgeOn(day))
	care := careTypeIndex(c.CareType)
	need := keyNeed(c, together)
	dis := 1
	if disabled(c) {
		dis = 0
	}
	return class{
		posAll:        0,
		posAge:        dimBase[DimAgeBand] + age,
		posCare:       dimBase[DimCareType] + care,
		posNeed:       dimBase[DimKeyNeed] + need,
		posDisability: dimBase[DimDisability] + dis,
		posEthnicity:  dimBase[DimEthnicity] + ethnicIndex(c.Ethnicity.Group()),
		posSiblings:   dimBase[DimSiblings] + siblingIndex(together),
		posSegment:    segmentBase + (age*len(careTypes)+care)*len(keyNeeds) + need,
	}
}

// keyNeed is the child's key need, the first that applies of: remand (legal status, purpose
// or need), parent and child (care type or need), unaccompanied asylum-seeking, a sibling group
// of 3 or more to live together, of 2, disabled (see disabled), therapeutic or complex needs
// (see complex), none.
func keyNeed(c *catalogue.Child, together int) int {
	switch {
	case c.LegalStatus == catalogue.LegalRemand || c.Purpose == catalogue.PurposeRemand || c.Need(catalogue.NeedRemand) > 0:
		return needRemand
	case c.CareType == catalogue.CareParentAndChild || c.Need(catalogue.NeedParentAndChild) > 0:
		return needParentAndChild
	case c.Need(catalogue.NeedUASC) > 0:
		return needUASC
	case together >= 3:
		return needSiblings3
	case together == 2:
		return needSiblings2
	case disabled(c):
		return needDisability
	case complex(c):
		return needComplex
	}
	return needNone
}

// disabled: an assessed disability or health need, at any level, or a wheelchair user.
func disabled(c *catalogue.Child) bool {
	return c.Need(catalogue.NeedDisabilityHealth) > 0 || c.Wheelchair
}

// complex (therapeutic or complex needs): a high trauma, emotional and behavioural, autism,
// exploitation, missing or substance-use need, or three or more needs at medium or high.
func complex(c *catalogue.Child) bool {
	medium := 0
	for _, n := range c.Needs {
		if n.Level >= catalogue.LevelMedium {
			medium++
		}
		if n.Level < catalogue.LevelHigh {
			continue
		}
		switch n.Kind {
		case catalogue.NeedTrauma, catalogue.NeedEmotionalBehavioural, catalogue.NeedAutism, catalogue.NeedExploitationCSE,
			catalogue.NeedExploitationCCE, catalogue.NeedMissing, catalogue.NeedSubstanceUse:
			return true
		}
	}
	return medium >= 3
}

// segmentParts returns the age band, care type and key need breakdown indices of a segment.
func segmentParts(b int) (age, care, need int) {
	p := segParts[b-segmentBase]
	return int(p[0]), int(p[1]), int(p[2])
}

// segParts holds each segment's age band, care type and key need breakdown indices.
var segParts = func() [][3]int16 {
	out := make([][3]int16, nSegments)
	for s := range out {
		need := s % len(keyNeeds)
		care := (s / len(keyNeeds)) % len(careTypes)
		age := s / (len(keyNeeds) * len(careTypes))
		out[s] = [3]int16{int16(dimBase[DimAgeBand] + age), int16(dimBase[DimCareType] + care), int16(dimBase[DimKeyNeed] + need)}
	}
	return out
}()

// dimSpan holds each dimension's first and one-past-last breakdown index, for hot loops (the
// map dimBase is slow there).
var dimSpan = func() map[Dimension][2]int {
	out := map[Dimension][2]int{}
	for _, d := range Dimensions {
		out[d] = [2]int{dimBase[d], dimEnd(d)}
	}
	return out
}()

// Spans of the dimensions protect walks most.
var (
	spanAge  = dimSpan[DimAgeBand]
	spanCare = dimSpan[DimCareType]
	spanNeed = dimSpan[DimKeyNeed]
	spanDis  = dimSpan[DimDisability]
	spanEth  = dimSpan[DimEthnicity]
	spanSib  = dimSpan[DimSiblings]
)

// span is a dimension's breakdown indices without a map lookup for the common ones.
func span(d Dimension) [2]int {
	switch d {
	case DimAgeBand:
		return spanAge
	case DimCareType:
		return spanCare
	case DimKeyNeed:
		return spanNeed
	case DimDisability:
		return spanDis
	case DimEthnicity:
		return spanEth
	case DimSiblings:
		return spanSib
	}
	return dimSpan[d]
}

// dimOfBreakdown is each breakdown's dimension.
var dimOfBreakdown = func() []Dimension {
	out := make([]Dimension, nBreakdowns)
	for i, b := range breakdowns {
		out[i] = b.Dimension
	}
	return out
}()
