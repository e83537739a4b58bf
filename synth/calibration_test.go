package synth

import (
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// measureCalibration measures each figure of Calibration on a batch, by the figure's name.
func measureCalibration(b catalogue.Batch, today time.Time) map[string]float64 {
	m := map[string]float64{}
	n := len(b.Children)
	m["children looked after"] = float64(n)
	var male, uasc int
	var bands [4]int
	groups := map[catalogue.EthnicGroup]int{}
	for _, c := range b.Children {
		if c.Sex == catalogue.Male {
			male++
		}
		if c.Need(catalogue.NeedUASC) > 0 {
			uasc++
		}
		groups[c.Ethnicity.Group()]++
		switch age := c.AgeOn(today); {
		case age <= 4:
			bands[0]++
		case age <= 9:
			bands[1]++
		case age <= 15:
			bands[2]++
		default:
			bands[3]++
		}
	}
	m["unaccompanied asylum-seeking children"] = float64(uasc)
	m["male"] = frac(male, n)
	for name, g := range map[string]catalogue.EthnicGroup{"White": catalogue.EthnicWhite, "Mixed": catalogue.EthnicMixed,
		"Black": catalogue.EthnicBlack, "Asian": catalogue.EthnicAsian, "Other": catalogue.EthnicOther} {
		m["ethnicity "+name] = frac(groups[g], n)
	}
	for i, name := range []string{"aged 0 to 4", "aged 5 to 9", "aged 10 to 15", "aged 16 and over"} {
		m[name] = frac(bands[i], n)
	}

	// Where children live: the places filled in the supply, of all children; family and friends
	// care by the setting of the current placement, of every child in care, since children with
	// kin beyond Ofsted's family and friends households live with relatives not generated as
	// supply.
	kinds := map[catalogue.PlacementKind]int{}
	for _, k := range Summarise(b, today).Kinds {
		kinds[k.Kind] = k.Filled
	}
	m["placed with council foster carers (filled places)"] = frac(kinds[catalogue.CouncilFoster], n)
	m["placed with agency foster carers (filled places)"] = frac(kinds[catalogue.AgencyFoster], n)
	m["placed in children's homes (filled places)"] = frac(kinds[catalogue.ChildrensHome], n)
	m["placed in supported accommodation (filled places)"] = frac(kinds[catalogue.SupportedAccommodation], n)
	kin, inCare := 0, 0
	for _, e := range b.Episodes {
		if e.Current() {
			inCare++
			if e.Setting == catalogue.SettingKinship {
				kin++
			}
		}
	}
	m["living with family and friends carers (current placements)"] = frac(kin, inCare)

	var households, kinship, places, vacant, homes, homePlaces, nw, private int
	var councilCost, agencyCost, homeCost []int
	providers := map[catalogue.ProviderID]catalogue.ProviderKind{}
	for _, p := range b.Providers {
		providers[p.ID] = p.Kind
	}
	for _, p := range b.Placements {
		switch p.Kind {
		case catalogue.CouncilFoster, catalogue.AgencyFoster:
			households++
			places += p.Approval.MaxChildren
			vacant += len(p.Vacancies)
			if p.Kind == catalogue.CouncilFoster {
				councilCost = append(councilCost, p.WeeklyCost)
			} else {
				agencyCost = append(agencyCost, p.WeeklyCost)
			}
		case catalogue.Kinship:
			kinship++
		case catalogue.ChildrensHome:
			homes++
			homePlaces += p.Approval.MaxChildren
			homeCost = append(homeCost, p.WeeklyCost)
			if c, _ := catalogue.CouncilByCode(p.Council); c.RegionCode == northWest {
				nw++
			}
			if providers[p.Provider] == catalogue.ProviderPrivate {
				private++
			}
		}
	}
	m["mainstream fostering households"] = float64(households)
	m["family and friends fostering households"] = float64(kinship)
	m["approved mainstream places"] = float64(places)
	m["approved places per mainstream household"] = frac(places, households)
	m["mainstream places vacant"] = frac(vacant, places)
	m["children's homes"] = float64(homes)
	m["children's home places"] = float64(homePlaces)
	m["children's homes run privately"] = frac(private, homes)
	m["children's homes in the North West"] = frac(nw, homes)
	m["council fostering, mean weekly cost (£)"] = mean(councilCost)
	m["agency fostering, mean weekly cost (£)"] = mean(agencyCost)
	m["children's homes, median weekly cost (£, within £3,800 to £6,100)"] = median(homeCost)

	all, by := apartShares(b)
	share := func(s catalogue.Setting) float64 { return frac(by[s][0], by[s][1]) }
	m["with a brother or sister in care, living apart from at least one"] = all
	m["the same, with family and friends carers (about 30%)"] = share(catalogue.SettingKinship)
	m["the same, in children's homes (most)"] = share(catalogue.SettingChildrensHome)
	return m
}

// TestCalibration walks Calibration: every figure names its source and year, is measured on the
// national batch and is held within its tolerance.
func TestCalibration(t *testing.T) {
	t.Parallel()
	got := measureCalibration(national(t), DefaultToday())
	for _, f := range Calibration {
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			if f.Source == "" || f.Year == "" {
				t.Errorf("%q names no source or year", f.Name)
			}
			v, ok := got[f.Name]
			if !ok {
				t.Fatalf("%q is not measured", f.Name)
			}
			if math.Abs(v-f.Value) > f.Tolerance {
				t.Errorf("%s = %.4g, want %.4g within %.3g (%s, %s)", f.Name, v, f.Value, f.Tolerance, f.Source, f.Year)
			}
		})
	}
}

// calibrationDocs is the calibration table of docs/sufficiency.md.
const calibrationDocs = "../docs/sufficiency.md"

// TestCalibrationDocs holds the docs' calibration table to Calibration, row for row: the same
// names, values, tolerances, sources and years, in the same order.
func TestCalibrationDocs(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(calibrationDocs)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	in := false
	for line := range strings.Lines(string(raw)) {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "| figure | value | tolerance |"):
			in = true
		case in && strings.HasPrefix(line, "|---"):
		case in && strings.HasPrefix(line, "|"):
			cells := strings.Split(strings.Trim(line, "|"), "|")
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			rows = append(rows, cells)
		default:
			in = false
		}
	}
	if len(rows) != len(Calibration) {
		t.Fatalf("%s: %d calibration rows, want %d (synth.Calibration)", calibrationDocs, len(rows), len(Calibration))
	}
	for i, f := range Calibration {
		want := []string{f.Name, formatFigure(f.Value), formatFigure(f.Tolerance), f.Source, f.Year}
		if strings.Join(rows[i], " | ") != strings.Join(want, " | ") {
			t.Errorf("%s row %d:\n got | %s |\nwant | %s |", calibrationDocs, i+1, strings.Join(rows[i], " | "), strings.Join(want, " | "))
		}
	}
}

// formatFigure writes a value as the docs do: a share with its decimals, a count whole.
func formatFigure(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
