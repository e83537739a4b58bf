package synth

// Figure is one published figure the synthetic England is calibrated to: its value, where it
// comes from, and how close the generated England must come (TestCalibration measures each on
// the national batch; docs/sufficiency.md carries the same table, TestCalibrationDocs holds the
// two together). Sources are as DESIGN.md sections 1 and 7 quote them: nothing newer than the
// repository can show.
type Figure struct {
	Name      string  // what is measured, as the docs' table names it
	Value     float64 // a count, or a share from 0 to 1, or pounds a week
	Tolerance float64 // absolute, in the value's unit
	Source    string
	Year      string
}

const (
	dfeLooked   = "DfE, children looked after in England (DESIGN.md section 7)"
	ofstedFost  = "Ofsted, fostering in England (DESIGN.md section 7)"
	ofstedHomes = "Ofsted, children's social care in England (DESIGN.md section 7)"
	foiMix      = "FOI survey of 150 councils (DESIGN.md section 7)"
	ccSiblings  = "Children's Commissioner, siblings in care (DESIGN.md sections 1 and 7)"
	designCosts = "DESIGN.md section 1 (no publisher named there)"
	year2425    = "2024-2025"
)

// nationalFosterPlaces are Ofsted's approved mainstream places: about 2.1 for each of the
// 33,300 mainstream households (supply.go draws 1 to 3 a household to match).
const nationalFosterPlaces = 70465

// Calibration is every figure the generator is built to reproduce, in the docs' order. The
// generator reads the counts through the constants named here (NationalChildren, ...); shares
// are reproduced by the parameters beside the code that draws them, and held here.
var Calibration = []Figure{
	{"children looked after", NationalChildren, 0, dfeLooked, "31 March 2025"},
	{"unaccompanied asylum-seeking children", NationalUASC, 5, dfeLooked, "31 March 2025"},
	{"male", 0.56, 0.01, dfeLooked, year2425},
	{"ethnicity White", 0.71, 0.015, dfeLooked, year2425},
	{"ethnicity Mixed", 0.11, 0.01, dfeLooked, year2425},
	{"ethnicity Black", 0.08, 0.01, dfeLooked, year2425},
	{"ethnicity Asian", 0.05, 0.01, dfeLooked, year2425},
	{"ethnicity Other", 0.04, 0.01, dfeLooked, year2425},
	{"aged 0 to 4", 0.19, 0.015, dfeLooked, year2425},
	{"aged 5 to 9", 0.16, 0.015, dfeLooked, year2425},
	{"aged 10 to 15", 0.38, 0.015, dfeLooked, year2425},
	{"aged 16 and over", 0.27, 0.015, dfeLooked, year2425},
	{"placed with council foster carers (filled places)", 0.28, 0.02, foiMix, "2024"},
	{"placed with agency foster carers (filled places)", 0.25, 0.02, foiMix, "2024"},
	{"living with family and friends carers (current placements)", 0.16, 0.02, foiMix, "2024"},
	{"placed in children's homes (filled places)", 0.11, 0.015, foiMix, "2024"},
	{"placed in supported accommodation (filled places)", 0.10, 0.02, foiMix, "2024"},
	{"mainstream fostering households", NationalFostering, 1, ofstedFost, year2425},
	{"family and friends fostering households", NationalKinship, 270, ofstedFost, year2425},
	{"approved mainstream places", nationalFosterPlaces, 1500, ofstedFost, year2425},
	{"approved places per mainstream household", 2.1, 0.05, ofstedFost, year2425},
	{"mainstream places vacant", 0.16, 0.015, ofstedFost, year2425},
	{"children's homes", NationalHomes, 1, ofstedHomes, year2425},
	{"children's home places", 14259, 600, ofstedHomes, year2425},
	{"children's homes run privately", 0.84, 0.025, ofstedHomes, year2425},
	{"children's homes in the North West", 0.26, 0.01, ofstedHomes, year2425},
	{"council fostering, mean weekly cost (£)", 650, 40, designCosts, "not stated"},
	{"agency fostering, mean weekly cost (£)", 820, 50, designCosts, "not stated"},
	{"children's homes, median weekly cost (£, within £3,800 to £6,100)", 4950, 1150, designCosts, "not stated"},
	{"with a brother or sister in care, living apart from at least one", 0.37, 0.02, ccSiblings, "January 2023"},
	{"the same, with family and friends carers (about 30%)", 0.30, 0.05, ccSiblings, "January 2023"},
	{"the same, in children's homes (most)", 0.75, 0.2, ccSiblings, "January 2023"},
}
