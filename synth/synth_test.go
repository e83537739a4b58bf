package synth

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// The national batch is generated once and shared by the tests that only read it.
var nationalOnce = sync.OnceValues(func() (catalogue.Batch, error) { return Generate(National()) })

func national(t *testing.T) catalogue.Batch {
	t.Helper()
	b, err := nationalOnce()
	if err != nil {
		t.Fatalf("Generate(National()): %v", err)
	}
	return b
}

type share struct {
	name      string
	got, want float64
	tol       float64 // absolute
}

func checkShares(t *testing.T, shares []share) {
	t.Helper()
	for _, s := range shares {
		if math.Abs(s.got-s.want) > s.tol {
			t.Errorf("%s = %.4g, want %.4g within %.3g", s.name, s.got, s.want, s.tol)
		}
	}
}

func frac(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

func TestNationalChildren(t *testing.T) {
	t.Parallel()
	b := national(t)
	today := DefaultToday()
	n := len(b.Children)
	var male, waiting, uasc, uascOld, uascMale, inGroups, disabled, autism, parent, remand, foster, supported, home int
	var groups [numGroups]int
	var bands [4]int
	order := ethnicOrder()
	for _, c := range b.Children {
		age := c.AgeOn(today)
		if c.Sex == catalogue.Male {
			male++
		}
		if c.Status == catalogue.ChildWaiting {
			waiting++
		}
		if c.Need(catalogue.NeedUASC) > 0 {
			uasc++
			if age >= 16 {
				uascOld++
			}
			if c.Sex == catalogue.Male {
				uascMale++
			}
		}
		if c.SiblingGroup != 0 {
			inGroups++
		}
		for i, g := range order {
			if c.Ethnicity.Group() == g {
				groups[i]++
			}
		}
		switch {
		case age <= 4:
			bands[0]++
		case age <= 9:
			bands[1]++
		case age <= 15:
			bands[2]++
		default:
			bands[3]++
		}
		if c.Need(catalogue.NeedDisabilityHealth) > 0 {
			disabled++
		}
		if c.Need(catalogue.NeedAutism) > 0 {
			autism++
		}
		if c.Need(catalogue.NeedParentAndChild) > 0 {
			parent++
		}
		if c.Need(catalogue.NeedRemand) > 0 {
			remand++
		}
		switch c.CareType {
		case catalogue.CareFamilyFoster, catalogue.CareKinship:
			foster++
		case catalogue.CareSupported:
			supported++
			if age < 16 {
				t.Errorf("child aged %d assessed for supported accommodation, which is for 16 and over", age)
			}
		case catalogue.CareChildrensHome:
			home++
		}
	}
	if n != NationalChildren {
		t.Errorf("children = %d, want %d", n, NationalChildren)
	}
	checkShares(t, []share{
		{"male", frac(male, n), 0.56, 0.01},
		{"white", frac(groups[0], n), 0.71, 0.015},
		{"mixed", frac(groups[1], n), 0.11, 0.01},
		{"black", frac(groups[2], n), 0.08, 0.01},
		{"asian", frac(groups[3], n), 0.05, 0.01},
		{"other", frac(groups[4], n), 0.04, 0.01},
		{"age 0-4", frac(bands[0], n), 0.19, 0.015},
		{"age 5-9", frac(bands[1], n), 0.16, 0.015},
		{"age 10-15", frac(bands[2], n), 0.38, 0.015},
		{"age 16+", frac(bands[3], n), 0.27, 0.015},
		{"waiting", float64(waiting), NationalWaiting, 100},
		{"UASC", float64(uasc), NationalUASC, 5},
		{"UASC aged 16 or 17", frac(uascOld, uasc), 0.85, 0.05},
		{"UASC male", frac(uascMale, uasc), 0.95, 0.02},
		{"in a sibling group", frac(inGroups, n), 1.0 / 3, 0.02},
		{"disability", frac(disabled, n), 0.125, 0.025},
		{"autism", frac(autism, n), 0.035, 0.015},
		{"parent and child", float64(parent), 300, 150},
		{"remand", float64(remand), 300, 150},
		{"assessed for foster or kinship care", frac(foster, n), 0.67, 0.03},
		{"assessed for supported accommodation", frac(supported, n), 0.10, 0.02},
		{"assessed for a children's home", frac(home, n), 0.11, 0.02},
	})
}

// TestChildDetails checks the details a placement officer would notice.
func TestChildDetails(t *testing.T) {
	t.Parallel()
	b := national(t)
	today := DefaultToday()
	var n, withSchool, schoolNear, schoolFar, allergic, muslimAsian, southAsian, exploited, zoned, polygons, circles int
	var notUASC, withMother, unsafe, contacts int
	for _, c := range b.Children {
		n++
		age := c.AgeOn(today)
		uasc := c.Need(catalogue.NeedUASC) > 0
		if uasc {
			if c.FirstLanguage == "en" {
				t.Errorf("UASC child %d has English as first language", c.ID)
			}
			for _, ct := range c.Contacts {
				if ct.Relationship == catalogue.RelMother || ct.Relationship == catalogue.RelFather {
					t.Errorf("UASC child %d has a parent in England", c.ID)
				}
			}
		} else {
			notUASC++
			for _, ct := range c.Contacts {
				contacts++
				if ct.Relationship == catalogue.RelMother {
					withMother++
				}
				if ct.Type != catalogue.ContactDirect {
					unsafe++
				}
			}
		}
		if c.Wheelchair && c.Need(catalogue.NeedDisabilityHealth) == 0 {
			t.Errorf("child %d uses a wheelchair but has no disability or health need", c.ID)
		}
		if (c.CareType == catalogue.CareParentAndChild) != (c.Need(catalogue.NeedParentAndChild) > 0) {
			t.Errorf("child %d: care type %s does not match parent and child need", c.ID, c.CareType)
		}
		if age < 5 && len(c.Wishes.Priorities) > 0 {
			t.Errorf("child %d aged %d has wishes", c.ID, age)
		}
		if len(c.Allergies) > 0 {
			allergic++
		}
		if c.Ethnicity == "APKN" || c.Ethnicity == "ABAN" {
			southAsian++
			if c.Religion == catalogue.ReligionMuslim {
				muslimAsian++
			}
		}
		if c.School != nil {
			withSchool++
			switch d := catalogue.DistanceKm(c.Home, c.School.Location); {
			case d <= 4.83:
				schoolNear++
			case d > 13:
				schoolFar++
			}
		}
		if c.Need(catalogue.NeedExploitationCSE) >= catalogue.LevelMedium || c.Need(catalogue.NeedExploitationCCE) >= catalogue.LevelMedium {
			exploited++
			if len(c.ExclusionZones) > 0 {
				zoned++
			}
		}
		for _, z := range c.ExclusionZones {
			if z.Shape == catalogue.ZonePolygon {
				polygons++
			} else {
				circles++
			}
		}
		if c.Status == catalogue.ChildWaiting && (c.NeededBy.Before(today) || c.NeededBy.After(today.AddDate(0, 4, 0))) {
			t.Errorf("waiting child %d needed by %s, not near today", c.ID, c.NeededBy.Format(time.DateOnly))
		}
	}
	checkShares(t, []share{
		{"schools within 3 miles of home", frac(schoolNear, withSchool), 0.72, 0.05},
		{"schools over 8 miles from home", frac(schoolFar, withSchool), 0.08, 0.03},
		{"allergic to an animal", frac(allergic, n), 0.03, 0.01},
		{"Pakistani and Bangladeshi children who are Muslim", frac(muslimAsian, southAsian), 0.95, 0.04},
		{"exploited children with exclusion zones", frac(zoned, exploited), 1, 0},
		{"polygon zones", frac(polygons, polygons+circles), 0.12, 0.06},
		{"children (not UASC) with their mother in the contact plan", frac(withMother, notUASC), 0.85, 0.03},
		{"contacts that are not safe", frac(unsafe, contacts), 0.2, 0.08},
	})
}

// TestPlacementMix checks the children already living in the catalogue's homes reproduce the
// placement mix: council foster 28%, agency foster 25%, kinship about 16% (less here: children
// placed with parents are not modelled), children's homes 11%, supported accommodation 10%.
func TestPlacementMix(t *testing.T) {
	t.Parallel()
	s := Summarise(national(t), DefaultToday())
	want := map[catalogue.PlacementKind]share{
		catalogue.CouncilFoster: {want: 0.28, tol: 0.02},
		catalogue.AgencyFoster:  {want: 0.25, tol: 0.02},
		// Ofsted's 8,890 family and friends households (calibration.go) hold fewer than DESIGN's
		// 16%: the others live with relatives outside the supply (their current placement says
		// kinship, and TestCalibration holds that at 16%).
		catalogue.Kinship:                {want: 0.115, tol: 0.015},
		catalogue.ChildrensHome:          {want: 0.11, tol: 0.015},
		catalogue.SupportedAccommodation: {want: 0.10, tol: 0.02},
	}
	var shares []share
	for _, k := range s.Kinds {
		w := want[k.Kind]
		shares = append(shares, share{name: "placed in " + string(k.Kind), got: frac(k.Filled, s.Children), want: w.want, tol: w.tol})
	}
	checkShares(t, shares)
}

// TestCouncilRates checks that councils keep their character after the national total is
// shared out: Blackpool's rate per 10,000 children near 184, Richmond's near 27.
func TestCouncilRates(t *testing.T) {
	t.Parallel()
	b := national(t)
	byCouncil := map[catalogue.CouncilCode]int{}
	for _, c := range b.Children {
		byCouncil[c.Council]++
	}
	pop := 0
	for _, c := range catalogue.Councils() {
		pop += c.Population
	}
	// Children are about a fifth of the population; the share that makes England's rate 67.
	childShare := NationalChildren / (67.0 / 10000) / float64(pop)
	rate := func(name string) float64 {
		for _, c := range catalogue.Councils() {
			if c.Name == name {
				return float64(byCouncil[c.Code]) / (float64(c.Population) * childShare) * 10000
			}
		}
		t.Fatalf("no council %q", name)
		return 0
	}
	checkShares(t, []share{
		{"Blackpool rate", rate("Blackpool"), 184, 184 * 0.12},
		{"Richmond upon Thames rate", rate("Richmond upon Thames"), 27, 27 * 0.2},
		{"Middlesbrough rate", rate("Middlesbrough"), 170, 60},
		{"Wokingham rate", rate("Wokingham"), 30, 12},
	})
	if len(byCouncil) != len(catalogue.Councils()) {
		t.Errorf("children in %d councils, want all %d", len(byCouncil), len(catalogue.Councils()))
	}
}

// TestDiversity checks London is far more diverse than the North East.
func TestDiversity(t *testing.T) {
	t.Parallel()
	b := national(t)
	white := map[catalogue.RegionCode][2]int{}
	for _, c := range b.Children {
		if c.Need(catalogue.NeedUASC) > 0 {
			continue
		}
		council, _ := catalogue.CouncilByCode(c.Council)
		x := white[council.RegionCode]
		x[1]++
		if c.Ethnicity.Group() == catalogue.EthnicWhite {
			x[0]++
		}
		white[council.RegionCode] = x
	}
	ne, ldn := white[northEast], white[london]
	checkShares(t, []share{
		{"white share in the North East", frac(ne[0], ne[1]), 0.9, 0.05},
		{"white share in London", frac(ldn[0], ldn[1]), 0.37, 0.1},
	})
}

func TestNationalSupply(t *testing.T) {
	t.Parallel()
	b := national(t)
	today := DefaultToday()
	var households, fosterPlaces, fosterVacant, fosterFilledN, councilHouseholds int
	var homes, homePlaces, homesNW, homesPrivate int
	var grades = map[catalogue.OfstedGrade]int{}
	var councilCost, agencyCost, homeCost []int
	var kinship, supported int
	providers := map[catalogue.ProviderID]catalogue.Provider{}
	for _, p := range b.Providers {
		providers[p.ID] = p
	}
	for _, p := range b.Placements {
		filled := 0
		for _, m := range p.Household.Members {
			if m.Role == catalogue.MemberPlacedChild {
				filled++
			}
		}
		switch p.Kind {
		case catalogue.CouncilFoster, catalogue.AgencyFoster:
			households++
			fosterPlaces += p.Approval.MaxChildren
			fosterVacant += len(p.Vacancies)
			fosterFilledN += filled
			if p.Approval.MaxChildren < 1 || p.Approval.MaxChildren > 3 {
				t.Errorf("%s: fostering household approved for %d children, want 1 to 3", p.Name, p.Approval.MaxChildren)
			}
			if p.Kind == catalogue.CouncilFoster {
				councilHouseholds++
				councilCost = append(councilCost, p.WeeklyCost)
			} else {
				agencyCost = append(agencyCost, p.WeeklyCost)
			}
		case catalogue.ChildrensHome:
			homes++
			homePlaces += p.Approval.MaxChildren
			grades[p.Ofsted]++
			homeCost = append(homeCost, p.WeeklyCost)
			council, _ := catalogue.CouncilByCode(p.Council)
			if council.RegionCode == northWest {
				homesNW++
			}
			if providers[p.Provider].Kind == catalogue.ProviderPrivate {
				homesPrivate++
			}
		case catalogue.Kinship:
			kinship++
		case catalogue.SupportedAccommodation:
			supported++
			if p.Approval.MinAge < 16 {
				t.Errorf("%s: supported accommodation approved from age %d, want 16", p.Name, p.Approval.MinAge)
			}
			if p.WeeklyCost < 1000 || p.WeeklyCost > 2500 {
				t.Errorf("%s: supported accommodation costs £%d a week, want £1,000 to £2,500", p.Name, p.WeeklyCost)
			}
		}
		for _, v := range p.Vacancies {
			if v.AvailableFrom.Before(today) {
				t.Errorf("%s: vacancy available from %s, before today", p.Name, v.AvailableFrom.Format(time.DateOnly))
			}
		}
	}
	over10k := 0
	for _, c := range homeCost {
		if c > 10000 {
			over10k++
		}
	}
	checkShares(t, []share{
		{"fostering households", float64(households), NationalFostering, 1},
		{"approved foster places", float64(fosterPlaces), 70465, 1500},
		{"foster places vacant", frac(fosterVacant, fosterPlaces), 0.16, 0.015},
		{"council share of households", frac(councilHouseholds, households), 0.55, 0.04},
		{"children in foster homes (council 28% + agency 25%)", frac(fosterFilledN, NationalChildren), 0.53, 0.03},
		{"children's homes", float64(homes), NationalHomes, 1},
		{"children's home places", float64(homePlaces), 14259, 600},
		{"homes in the North West", frac(homesNW, homes), 0.26, 0.01},
		{"homes run privately", frac(homesPrivate, homes), 0.84, 0.025},
		{"homes outstanding", frac(grades[catalogue.OfstedOutstanding], homes), 0.15, 0.02},
		{"homes good", frac(grades[catalogue.OfstedGood], homes), 0.65, 0.025},
		{"homes requiring improvement", frac(grades[catalogue.OfstedRequiresImprovement], homes), 0.17, 0.02},
		{"homes inadequate", frac(grades[catalogue.OfstedInadequate], homes), 0.03, 0.01},
		{"council fostering weekly cost", mean(councilCost), 650, 40},
		{"agency fostering weekly cost", mean(agencyCost), 820, 50},
		{"children's home weekly cost (median)", median(homeCost), 5000, 800},
		{"homes over £10,000 a week", frac(over10k, homes), 0.15, 0.06},
		// At most the config's: a council with fewer children assessed for kinship care uses less.
		{"kinship households", float64(kinship), NationalKinship, NationalKinship * 0.03},
		{"supported accommodation settings", float64(supported), NationalSupported, 1},
	})
}

// TestStayingPutCalibration: the DfE counts about 2,000 young people a year staying put with
// their foster carers at 18, about half of those eligible. Here, of the young people of 17 living
// in foster and kinship homes (those who turn 18 in the coming year), half live with carers
// willing to let them stay on; there are more of them than the DfE's eligible young people, so
// the count is a little above 2,000 (not every young person whose carers are willing stays).
// Only foster and kinship carers approved for young people of 16 or over are willing, and they
// are approved for the Staying Put purpose.
func TestStayingPutCalibration(t *testing.T) {
	t.Parallel()
	b := national(t)
	var seventeen, willing17, sixteen, willing16, fosterOld, fosterOldWilling int
	for _, p := range b.Placements {
		if p.StayingPut {
			switch {
			case !p.Kind.IsFamily():
				t.Errorf("%s (%s) is willing to offer Staying Put", p.Name, p.Kind)
			case p.Kind != catalogue.Kinship && p.Approval.MaxAge < catalogue.StayingPutAge:
				t.Errorf("%s offers Staying Put but is approved only up to %d", p.Name, p.Approval.MaxAge)
			case slices.Contains(p.Approval.Purposes, catalogue.PurposeStayingPut):
				t.Errorf("%s has Staying Put as a purpose: %v", p.Name, p.Approval.Purposes)
			}
		}
		if !p.Kind.IsFamily() {
			continue
		}
		if p.Kind != catalogue.Kinship && p.Approval.MaxAge >= catalogue.StayingPutAge && !slices.Contains(p.Skills, catalogue.SkillParentAndChild) {
			fosterOld++
			if p.StayingPut {
				fosterOldWilling++
			}
		}
		for _, m := range p.Household.Members {
			if m.Role != catalogue.MemberPlacedChild {
				continue
			}
			switch m.Age {
			case 16:
				sixteen++
				if p.StayingPut {
					willing16++
				}
			case 17:
				seventeen++
				if p.StayingPut {
					willing17++
				}
			}
		}
	}
	t.Logf("young people of 17 in foster and kinship homes: %d, %d with carers willing to offer Staying Put (16: %d, %d); foster households approved for 16 and over: %d, %d willing",
		seventeen, willing17, sixteen, willing16, fosterOld, fosterOldWilling)
	checkShares(t, []share{
		{"young people of 17 whose carers would let them stay put", frac(willing17, seventeen), 0.5, 0.04},
		{"young people of 16 whose carers would let them stay put", frac(willing16, sixteen), 0.5, 0.04},
		{"young people of 17 who could stay put at 18", float64(willing17), 2500, 500},
		{"foster households approved for 16 and over, willing", frac(fosterOldWilling, fosterOld), 0.38, 0.05},
	})
}

func mean(xs []int) float64 {
	s := 0
	for _, x := range xs {
		s += x
	}
	return frac(s, len(xs))
}

func median(xs []int) float64 {
	ys := append([]int(nil), xs...)
	for i := 1; i < len(ys); i++ {
		for j := i; j > 0 && ys[j] < ys[j-1]; j-- {
			ys[j], ys[j-1] = ys[j-1], ys[j]
		}
	}
	if len(ys) == 0 {
		return 0
	}
	return float64(ys[len(ys)/2])
}

// resolve maps batch keys to positive IDs as a store would, so that each record can be checked
// with its own Validate.
func resolvedID[T ~int64](k T) T {
	if k < 0 {
		return -k
	}
	return k
}

// TestRecordsValid validates every record of the national batch and every reference in it.
func TestRecordsValid(t *testing.T) {
	t.Parallel()
	b := national(t)
	providers := map[catalogue.ProviderID]bool{}
	for i, p := range b.Providers {
		if p.ID != catalogue.ProviderID(-(i + 1)) {
			t.Fatalf("provider %d has key %d, want %d", i, p.ID, -(i + 1))
		}
		providers[p.ID] = true
		if err := p.Validate(); err != nil {
			t.Errorf("provider %s: %v", p.Name, err)
		}
	}
	children := map[catalogue.ChildID]*catalogue.Child{}
	for i := range b.Children {
		c := &b.Children[i]
		if c.ID != catalogue.ChildID(-(i + 1)) {
			t.Fatalf("child %d has key %d, want %d", i, c.ID, -(i + 1))
		}
		children[c.ID] = c
	}
	groups := map[catalogue.SiblingGroupID]bool{}
	for i, g := range b.SiblingGroups {
		if g.ID != catalogue.SiblingGroupID(-(i + 1)) {
			t.Fatalf("group %d has key %d, want %d", i, g.ID, -(i + 1))
		}
		groups[g.ID] = true
		if err := g.Validate(); err != nil {
			t.Errorf("sibling group %d: %v", g.ID, err)
		}
	}
	errs := 0
	report := func(format string, args ...any) {
		if errs++; errs <= 20 {
			t.Errorf(format, args...)
		}
	}
	for _, c := range b.Children {
		if c.SiblingGroup != 0 && !groups[c.SiblingGroup] {
			report("child %d: sibling group %d is not in the batch", c.ID, c.SiblingGroup)
		}
		c.ID, c.SiblingGroup = resolvedID(c.ID), resolvedID(c.SiblingGroup)
		if err := c.Validate(); err != nil {
			report("child %d: %v", c.ID, err)
		}
	}
	for i, p := range b.Placements {
		if p.ID != catalogue.PlacementID(-(i + 1)) {
			t.Fatalf("placement %d has key %d, want %d", i, p.ID, -(i + 1))
		}
		if !providers[p.Provider] {
			report("placement %s: provider %d is not in the batch", p.Name, p.Provider)
		}
		for _, k := range p.ConnectedTo {
			if children[k] == nil {
				report("placement %s: connected child %d is not in the batch", p.Name, k)
			}
		}
		for _, v := range p.Vacancies {
			if v.Placement != p.ID {
				report("placement %s: vacancy names placement %d", p.Name, v.Placement)
			}
			v.Placement = resolvedID(v.Placement)
			if err := v.Validate(); err != nil {
				report("placement %s: vacancy: %v", p.Name, err)
			}
		}
		p.ID, p.Provider = resolvedID(p.ID), resolvedID(p.Provider)
		connected := make([]catalogue.ChildID, len(p.ConnectedTo))
		for i, k := range p.ConnectedTo {
			connected[i] = resolvedID(k)
		}
		p.ConnectedTo = connected
		if err := p.Validate(); err != nil {
			report("placement %s: %v", p.Name, err)
		}
	}
}

// TestUniqueReferences checks case references are unique within a council, and homes' URNs
// and providers' names and URNs unique in England.
func TestUniqueReferences(t *testing.T) {
	t.Parallel()
	b := national(t)
	type caseKey struct {
		council catalogue.CouncilCode
		ref     string
	}
	cases := map[caseKey]bool{}
	for _, c := range b.Children {
		k := caseKey{c.Council, c.CaseRef}
		if cases[k] {
			t.Fatalf("case reference %s used twice in %s", c.CaseRef, c.Council)
		}
		cases[k] = true
	}
	urns := map[string]bool{}
	names := map[string]bool{}
	for _, p := range b.Providers {
		if names[p.Name] {
			t.Errorf("provider name %q used twice", p.Name)
		}
		names[p.Name] = true
		if p.URN != "" {
			if urns[p.URN] {
				t.Errorf("URN %s used twice", p.URN)
			}
			urns[p.URN] = true
		}
	}
	for _, p := range b.Placements {
		if p.Kind != catalogue.ChildrensHome && p.Kind != catalogue.SupportedAccommodation {
			continue
		}
		if urns[p.URN] {
			t.Errorf("URN %s of %s used twice", p.URN, p.Name)
		}
		urns[p.URN] = true
	}
}

// TestProfilesAndAreas keeps text fit to show: areas name their council, profiles have nothing
// like an address, children's own words are in the first person.
func TestProfilesAndAreas(t *testing.T) {
	t.Parallel()
	b := national(t)
	names := map[catalogue.CouncilCode]string{}
	for _, c := range catalogue.Councils() {
		names[c.Code] = shortName(c.Name)
	}
	for _, p := range b.Placements {
		if p.Profile == "" {
			t.Fatalf("placement %s has no profile", p.Name)
		}
		if looksLikeAddress(p.Profile) {
			t.Errorf("placement %s: profile looks like it has an address: %q", p.Name, p.Profile)
		}
		if !strings.HasSuffix(p.AreaName, names[p.Council]) && !(p.AreaName == "County Durham") {
			t.Errorf("placement %s in %s: area %q does not name its council", p.Name, p.Council, p.AreaName)
		}
	}
	words := 0
	for _, c := range b.Children {
		if c.Wishes.InOwnWords != "" {
			words++
			if !strings.HasPrefix(c.Wishes.InOwnWords, "I") && !strings.HasPrefix(c.Wishes.InOwnWords, "Me") &&
				!strings.HasPrefix(c.Wishes.InOwnWords, "Please") && !strings.HasPrefix(c.Wishes.InOwnWords, "My") &&
				!strings.HasPrefix(c.Wishes.InOwnWords, "Can") {
				t.Errorf("own words %q are not in the first person", c.Wishes.InOwnWords)
			}
		}
	}
	if frac(words, len(b.Children)) < 0.15 {
		t.Errorf("only %d children say what matters in their own words", words)
	}
}

// looksLikeAddress reports a postcode-like letter followed by a digit ("M1", "SW1A"), or a
// street word.
func looksLikeAddress(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' && s[i+1] >= '0' && s[i+1] <= '9' {
			return true
		}
	}
	for _, w := range []string{" Road", " Street", " Avenue", " Close,", " Drive"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func TestLooksLikeAddress(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"We live in north Kent, near a park.":      false,
		"Come to 12 Acacia Avenue.":                true,
		"Our postcode is M1 1AE.":                  true,
		"A home for 4 young people aged 11 to 17.": false,
	} {
		if got := looksLikeAddress(s); got != want {
			t.Errorf("looksLikeAddress(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestSiblingGroups(t *testing.T) {
	t.Parallel()
	b := national(t)
	members := map[catalogue.SiblingGroupID][]catalogue.Child{}
	for _, c := range b.Children {
		if c.SiblingGroup != 0 {
			members[c.SiblingGroup] = append(members[c.SiblingGroup], c)
		}
	}
	var plans = map[catalogue.SiblingPlan]int{}
	sizes := map[int]int{}
	for _, g := range b.SiblingGroups {
		kids := members[g.ID]
		plans[g.Plan]++
		sizes[len(kids)]++
		if len(kids) < 2 {
			t.Errorf("group %d has %d members, want 2 or more", g.ID, len(kids))
			continue
		}
		for _, c := range kids {
			if c.Council != g.Council {
				t.Errorf("group %d of %s has a child of %s", g.ID, g.Council, c.Council)
			}
			if c.Ethnicity != kids[0].Ethnicity || c.Home != kids[0].Home || c.Status != kids[0].Status {
				t.Errorf("group %d: members differ in ethnicity, home or status", g.ID)
			}
			if g.Plan != catalogue.PlanApart && c.CareType != kids[0].CareType {
				t.Errorf("group %d planned %s: members assessed for %s and %s", g.ID, g.Plan, c.CareType, kids[0].CareType)
			}
			if c.Status == catalogue.ChildWaiting && !c.NeededBy.Equal(kids[0].NeededBy) {
				t.Errorf("group %d: waiting members needed by different days", g.ID)
			}
		}
	}
	n := len(b.SiblingGroups)
	checkShares(t, []share{
		{"groups planned together", frac(plans[catalogue.PlanTogether], n), 0.6, 0.03},
		{"groups planned apart", frac(plans[catalogue.PlanApart], n), 0.12, 0.03},
		{"groups of two", frac(sizes[2], n), 0.6, 0.05},
		{"groups of five or more", frac(sizes[5]+sizes[6], n), 0.05, 0.02},
	})
}

func TestVacanciesWithinApproval(t *testing.T) {
	t.Parallel()
	b := national(t)
	for _, p := range b.Placements {
		placed := 0
		for _, m := range p.Household.Members {
			if m.Role != catalogue.MemberPlacedChild {
				continue
			}
			placed++
			if m.Age < p.Approval.MinAge || m.Age > p.Approval.MaxAge {
				t.Errorf("%s: placed child aged %d outside approval %d-%d", p.Name, m.Age, p.Approval.MinAge, p.Approval.MaxAge)
			}
			if len(p.Approval.Sexes) > 0 && !contains(p.Approval.Sexes, m.Sex) {
				t.Errorf("%s: placed %s child, approved for %v", p.Name, m.Sex, p.Approval.Sexes)
			}
		}
		if placed+len(p.Vacancies) > p.Approval.MaxChildren {
			t.Errorf("%s: %d placed and %d vacant, approved for %d", p.Name, placed, len(p.Vacancies), p.Approval.MaxChildren)
		}
	}
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func TestKinshipConnected(t *testing.T) {
	t.Parallel()
	b := national(t)
	index := map[catalogue.ChildID]catalogue.Child{}
	for _, c := range b.Children {
		index[c.ID] = c
	}
	providers := map[catalogue.ProviderID]catalogue.Provider{}
	for _, p := range b.Providers {
		providers[p.ID] = p
	}
	waitingWithKin := 0
	for _, p := range b.Placements {
		if p.Kind != catalogue.Kinship {
			if len(p.ConnectedTo) > 0 {
				t.Errorf("%s (%s) names connected children", p.Name, p.Kind)
			}
			continue
		}
		if len(p.ConnectedTo) == 0 {
			t.Fatalf("kinship placement %s names no child", p.Name)
		}
		first := index[p.ConnectedTo[0]]
		for _, k := range p.ConnectedTo {
			c, ok := index[k]
			if !ok {
				t.Fatalf("kinship placement %s: child %d not in the batch", p.Name, k)
			}
			if c.CareType != catalogue.CareKinship {
				t.Errorf("kinship placement %s: child %d assessed for %s", p.Name, k, c.CareType)
			}
			if len(p.ConnectedTo) > 1 && (c.SiblingGroup == 0 || c.SiblingGroup != first.SiblingGroup) {
				t.Errorf("kinship placement %s names children of different families", p.Name)
			}
			if d := catalogue.DistanceKm(c.Home, p.Location); d > 65 {
				t.Errorf("kinship placement %s is %.0f km from the child's family home", p.Name, d)
			}
			if age := c.AgeOn(DefaultToday()); age < p.Approval.MinAge || age > p.Approval.MaxAge {
				t.Errorf("kinship placement %s: child aged %d outside approval", p.Name, age)
			}
			if !contains(p.Approval.Purposes, c.Purpose) {
				t.Errorf("kinship placement %s is not approved for the child's purpose %s", p.Name, c.Purpose)
			}
		}
		if prov := providers[p.Provider]; prov.Kind != catalogue.ProviderCouncil || prov.Council != first.Council {
			t.Errorf("kinship placement %s is run by %s, want the child's council %s", p.Name, prov.Name, first.Council)
		}
		if first.Status == catalogue.ChildWaiting {
			waitingWithKin++
			if len(p.Vacancies) != len(p.ConnectedTo) {
				t.Errorf("kinship placement %s for waiting children has %d vacancies for %d children", p.Name, len(p.Vacancies), len(p.ConnectedTo))
			}
		}
	}
	if waitingWithKin == 0 {
		t.Error("no kinship carer is assessed for a waiting child")
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	cfg := Scaled(0.03)
	a, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("the same Config gave different batches")
	}
	cfg.Seed = 2
	c, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Children) != len(a.Children) {
		t.Errorf("another seed gave %d children, want the same count %d", len(c.Children), len(a.Children))
	}
	same := 0
	for i := range a.Children {
		if a.Children[i].FirstName == c.Children[i].FirstName && a.Children[i].DateOfBirth.Equal(c.Children[i].DateOfBirth) {
			same++
		}
	}
	if same > len(a.Children)/10 {
		t.Errorf("another seed gave %d of %d children the same name and birthday", same, len(a.Children))
	}
}

// TestCouncilSubset checks a subset generates only its councils, and generates them exactly as
// England does.
func TestCouncilSubset(t *testing.T) {
	t.Parallel()
	blackpool, richmond := catalogue.CouncilCode("E06000009"), catalogue.CouncilCode("E09000027")
	cfg := National()
	cfg.Councils = []catalogue.CouncilCode{richmond, blackpool}
	sub, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	all := national(t)
	type key struct {
		name string
		dob  time.Time
		home catalogue.Location
	}
	want := map[key]bool{}
	for _, c := range all.Children {
		if c.Council == blackpool || c.Council == richmond {
			want[key{c.FirstName, c.DateOfBirth, c.Home}] = true
		}
	}
	if len(sub.Children) != len(want) || len(want) == 0 {
		t.Fatalf("subset has %d children, England has %d in those councils", len(sub.Children), len(want))
	}
	for _, c := range sub.Children {
		if !want[key{c.FirstName, c.DateOfBirth, c.Home}] {
			t.Fatalf("subset child %d of %s is not one of England's", c.ID, c.Council)
		}
	}
	for _, p := range sub.Placements {
		if p.Kind != catalogue.Kinship && p.Council != blackpool && p.Council != richmond {
			t.Errorf("subset placement %s is in %s", p.Name, p.Council)
		}
	}
	if len(sub.Placements) == 0 || len(sub.Providers) == 0 {
		t.Error("subset has no supply")
	}
}

func TestDemo(t *testing.T) {
	t.Parallel()
	b, err := Generate(Demo()) // how fast: BenchmarkGenerate, not a timed test
	if err != nil {
		t.Fatal(err)
	}
	s := Summarise(b, DefaultToday())
	checkShares(t, []share{
		{"demo children", float64(s.Children), NationalChildren / 10, 1},
		{"demo waiting", float64(s.Waiting), NationalWaiting / 10, 30},
		{"demo fostering households", float64(s.Kinds[0].Placements + s.Kinds[1].Placements), NationalFostering / 10, 1},
		{"demo children's homes", float64(s.Kinds[3].Placements), NationalHomes / 10, 1},
	})
	if s.Vacancies == 0 || s.SiblingGroups == 0 || s.UASC == 0 {
		t.Errorf("demo summary lacks something: %+v", s)
	}
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*Config)
	}{
		{"negative children", func(c *Config) { c.Children = -1 }},
		{"waiting over one", func(c *Config) { c.Waiting = 1.5 }},
		{"negative homes", func(c *Config) { c.Homes = -3 }},
		{"unknown council", func(c *Config) { c.Councils = []catalogue.CouncilCode{"E99999999"} }},
		{"council twice", func(c *Config) { c.Councils = []catalogue.CouncilCode{"E06000009", "E06000009"} }},
		{"today far away", func(c *Config) { c.Today = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Scaled(0.001)
			tt.edit(&cfg)
			if _, err := Generate(cfg); err == nil {
				t.Error("Generate accepted a bad config")
			}
		})
	}
	t.Run("unknown council is invalid", func(t *testing.T) {
		cfg := Scaled(0.001)
		cfg.Councils = []catalogue.CouncilCode{"E99999999"}
		if _, err := Generate(cfg); !errors.Is(err, catalogue.ErrInvalid) {
			t.Errorf("err = %v, want ErrInvalid", err)
		}
	})
}

func TestZeroConfigDefaults(t *testing.T) {
	t.Parallel()
	b, err := Generate(Config{Children: 500})
	if err != nil {
		t.Fatal(err)
	}
	s := Summarise(b, DefaultToday())
	if s.Children != 500 || s.Placements != 0 {
		t.Errorf("Config{Children: 500} gave %d children and %d placements", s.Children, s.Placements)
	}
	if math.Abs(float64(s.Waiting)-500*DefaultWaiting) > 15 {
		t.Errorf("waiting = %d, want about %.0f", s.Waiting, 500*DefaultWaiting)
	}
}

func TestSummarise(t *testing.T) {
	t.Parallel()
	b := national(t)
	s := Summarise(b, DefaultToday())
	vac, children := 0, 0
	for _, k := range s.Kinds {
		vac += k.Vacancies
	}
	for _, r := range s.Regions {
		children += r.Children
	}
	if s.Children != len(b.Children) || children != s.Children || vac != s.Vacancies || len(s.Regions) != 9 {
		t.Errorf("summary does not add up: %+v", s)
	}
	nw := s.Regions[regionIndex(northWest)]
	checkShares(t, []share{{"North West share of children", frac(nw.Children, s.Children), 0.18, 0.015}})
	out := s.String()
	for _, want := range []string{"children 81770", "waiting", "council_foster", "North West"} {
		if !strings.Contains(out, want) {
			t.Errorf("String() lacks %q:\n%s", want, out)
		}
	}
}

// TestReferenceTables catches a misspelt council in the hand-set tables.
func TestReferenceTables(t *testing.T) {
	t.Parallel()
	names := map[string]bool{}
	for _, c := range catalogue.Councils() {
		names[c.Name] = true
	}
	for table, m := range map[string]map[string]float64{
		"councilRates": councilRates(), "uascWeights": uascWeights(), "diversity": diversity(), "homeCheapness": homeCheapness(),
	} {
		for name := range m {
			if !names[name] {
				t.Errorf("%s names %q, which is not a council", table, name)
			}
		}
	}
	if len(councilRates()) != len(catalogue.Councils()) {
		t.Errorf("councilRates has %d councils, want all %d", len(councilRates()), len(catalogue.Councils()))
	}
	for _, h := range parseHeritages() {
		if !h.code.Valid() || len(h.boys) == 0 || len(h.girls) == 0 || h.religion.len() == 0 {
			t.Errorf("heritage %s is incomplete", h.name)
		}
		for _, l := range h.langs {
			if newVocabulary().language(l) == l {
				t.Errorf("heritage %s: language %s has no English name", h.name, l)
			}
		}
	}
}

func TestApportion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		total   int
		weights []float64
		want    []int
	}{
		{10, []float64{1, 1}, []int{5, 5}},
		{10, []float64{1, 2, 2}, []int{2, 4, 4}},
		{7, []float64{1, 1, 1}, []int{3, 2, 2}},
		{0, []float64{1, 1}, []int{0, 0}},
		{5, []float64{0, 0}, []int{0, 0}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.total, tt.weights), func(t *testing.T) {
			if got := apportion(tt.total, tt.weights); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("apportion = %v, want %v", got, tt.want)
			}
		})
	}
}
