package synth

import "github.com/placematch/placematch/catalogue"

// Region codes.
const (
	northEast  catalogue.RegionCode = "E12000001"
	northWest  catalogue.RegionCode = "E12000002"
	yorkshire  catalogue.RegionCode = "E12000003"
	eastMids   catalogue.RegionCode = "E12000004"
	westMids   catalogue.RegionCode = "E12000005"
	eastEng    catalogue.RegionCode = "E12000006"
	london     catalogue.RegionCode = "E12000007"
	southEast  catalogue.RegionCode = "E12000008"
	southWest  catalogue.RegionCode = "E12000009"
	numRegions                      = 9
)

// regionIndex returns 0..8 for a region code, in code order.
func regionIndex(r catalogue.RegionCode) int {
	if len(r) != 9 {
		return 0
	}
	return int(r[8]-'1') % numRegions
}

// regionFacts are a region's assumptions: its typical rate of children looked after per 10,000
// children (used for councils without their own rate), its share of England's children's homes,
// how many foster carers it recruits relative to its children, and how often those carers are
// with an agency rather than the council.
type regionFacts struct {
	rate        float64
	homesShare  float64
	fosterRatio float64
	agencyShare float64
}

func regions() [numRegions]regionFacts {
	return [numRegions]regionFacts{
		{rate: 112, homesShare: 0.07, fosterRatio: 1.00, agencyShare: 0.40}, // North East
		{rate: 97, homesShare: 0.26, fosterRatio: 1.00, agencyShare: 0.43},  // North West
		{rate: 82, homesShare: 0.11, fosterRatio: 1.00, agencyShare: 0.42},  // Yorkshire and The Humber
		{rate: 63, homesShare: 0.09, fosterRatio: 1.05, agencyShare: 0.45},  // East Midlands
		{rate: 87, homesShare: 0.16, fosterRatio: 0.95, agencyShare: 0.48},  // West Midlands
		{rate: 52, homesShare: 0.07, fosterRatio: 1.10, agencyShare: 0.45},  // East of England
		{rate: 52, homesShare: 0.05, fosterRatio: 0.65, agencyShare: 0.55},  // London
		{rate: 56, homesShare: 0.10, fosterRatio: 1.15, agencyShare: 0.47},  // South East
		{rate: 62, homesShare: 0.09, fosterRatio: 1.15, agencyShare: 0.42},  // South West
	}
}

// councilRates is the rate of children looked after per 10,000 children, by council name. They
// are plausible figures hand-set to follow the published pattern (DfE, children looked after in
// England, 2024), not copies of it; only Blackpool (184), Richmond (27) and England (67) are taken
// from DESIGN.md. A council missing here takes its region's rate.
func councilRates() map[string]float64 {
	return map[string]float64{
		// North East
		"Hartlepool": 160, "Middlesbrough": 190, "Redcar and Cleveland": 135, "Stockton-on-Tees": 115,
		"Darlington": 120, "County Durham": 100, "Northumberland": 85, "Newcastle upon Tyne": 120,
		"North Tyneside": 80, "South Tyneside": 140, "Sunderland": 130, "Gateshead": 115,
		// North West
		"Halton": 130, "Warrington": 80, "Blackburn with Darwen": 110, "Blackpool": 184, "Bolton": 85,
		"Bury": 90, "Manchester": 105, "Oldham": 105, "Rochdale": 115, "Salford": 120, "Stockport": 65,
		"Tameside": 145, "Trafford": 65, "Wigan": 95, "Knowsley": 120, "Liverpool": 130, "St. Helens": 140,
		"Sefton": 105, "Wirral": 115, "Cheshire East": 65, "Cheshire West and Chester": 85,
		"Lancashire": 90, "Cumberland": 90, "Westmorland and Furness": 60,
		// Yorkshire and The Humber
		"Kingston upon Hull": 140, "East Riding of Yorkshire": 55, "North East Lincolnshire": 150,
		"North Lincolnshire": 85, "York": 60, "Barnsley": 85, "Doncaster": 95, "Rotherham": 110,
		"Sheffield": 75, "Bradford": 105, "Calderdale": 85, "Kirklees": 75, "Leeds": 70, "Wakefield": 85,
		"North Yorkshire": 45, "Lincolnshire": 50,
		// East Midlands
		"Derby": 85, "Leicester": 75, "Rutland": 40, "Nottingham": 110, "Leicestershire": 50,
		"Nottinghamshire": 70, "North Northamptonshire": 60, "West Northamptonshire": 70,
		// West Midlands
		"Herefordshire": 95, "Telford and Wrekin": 110, "Stoke-on-Trent": 170, "Shropshire": 65,
		"Birmingham": 70, "Coventry": 85, "Dudley": 95, "Sandwell": 100, "Solihull": 75, "Walsall": 90,
		"Wolverhampton": 85, "Staffordshire": 65, "Warwickshire": 60, "Worcestershire": 70, "Derbyshire": 60,
		// South West
		"Bath and North East Somerset": 50, "City of Bristol": 70, "North Somerset": 55,
		"South Gloucestershire": 40, "Plymouth": 100, "Torbay": 130, "Swindon": 60, "Cornwall": 65,
		"Isles of Scilly": 40, "Wiltshire": 45, "Bournemouth, Christchurch and Poole": 70,
		"Dorset Council": 65, "Somerset": 55, "Devon": 50, "Gloucestershire": 70,
		// East of England
		"Peterborough": 80, "Luton": 60, "Southend-on-Sea": 75, "Thurrock": 65, "Bedford": 60,
		"Central Bedfordshire": 40, "Cambridgeshire": 50, "Essex": 35, "Hertfordshire": 40,
		"Norfolk": 70, "Suffolk": 60,
		// South East
		"Medway": 80, "Bracknell Forest": 45, "West Berkshire": 50, "Reading": 70, "Slough": 55,
		"Windsor and Maidenhead": 30, "Wokingham": 30, "Milton Keynes": 55, "Brighton and Hove": 80,
		"Portsmouth": 90, "Southampton": 95, "Isle of Wight": 95, "Buckinghamshire": 35,
		"East Sussex": 65, "Hampshire": 50, "Kent": 60, "Oxfordshire": 55, "Surrey": 40, "West Sussex": 50,
		// London
		"City of London": 40, "Barking and Dagenham": 60, "Barnet": 35, "Bexley": 55, "Brent": 45,
		"Bromley": 40, "Camden": 50, "Croydon": 65, "Ealing": 45, "Enfield": 45, "Greenwich": 65,
		"Hackney": 70, "Hammersmith and Fulham": 60, "Haringey": 65, "Harrow": 30, "Havering": 50,
		"Hillingdon": 60, "Hounslow": 50, "Islington": 70, "Kensington and Chelsea": 45,
		"Kingston upon Thames": 35, "Lambeth": 70, "Lewisham": 65, "Merton": 40, "Newham": 50,
		"Redbridge": 30, "Richmond upon Thames": 27, "Southwark": 65, "Sutton": 50,
		"Tower Hamlets": 50, "Waltham Forest": 50, "Wandsworth": 45, "Westminster": 45,
	}
}

// uascWeights raise the share of unaccompanied children for the councils where most arrive or
// that take more than the National Transfer Scheme's share. Others weigh 1 (London 1.5).
func uascWeights() map[string]float64 {
	return map[string]float64{
		"Kent": 4, "Croydon": 4, "Hillingdon": 3, "Portsmouth": 2.5, "Brighton and Hove": 1.8,
		"Southampton": 1.8, "Medway": 1.5, "Thurrock": 1.5, "Manchester": 1.5, "Birmingham": 1.4,
		"Isles of Scilly": 0, "City of London": 4,
	}
}

// diversity multiplies the weight of every group but White in a council's ethnicity profile:
// cities far more diverse than their region, and whiter outer London boroughs.
func diversity() map[string]float64 {
	return map[string]float64{
		"Birmingham": 2.4, "Leicester": 2.4, "Bradford": 2.2, "Luton": 2.8, "Slough": 3.2,
		"Manchester": 2.2, "Sandwell": 1.8, "Wolverhampton": 1.8, "Coventry": 1.6, "City of Bristol": 1.6,
		"Nottingham": 1.9, "Leeds": 1.4, "Blackburn with Darwen": 2.0, "Oldham": 1.8, "Kirklees": 1.5,
		"Derby": 1.5, "Reading": 2.0, "Peterborough": 1.5, "Milton Keynes": 1.7, "Liverpool": 1.3,
		"Sheffield": 1.4, "Newcastle upon Tyne": 1.6, "Southampton": 1.3, "Walsall": 1.4, "Bedford": 1.4,
		"Newham": 1.4, "Tower Hamlets": 1.4, "Brent": 1.4, "Hackney": 1.3, "Lambeth": 1.3,
		"Southwark": 1.3, "Croydon": 1.3, "Lewisham": 1.3, "Haringey": 1.2, "Ealing": 1.2,
		"Havering": 0.5, "Bexley": 0.55, "Bromley": 0.55, "Sutton": 0.6, "Richmond upon Thames": 0.5,
		"Kingston upon Thames": 0.6,
	}
}

// homeCheapness weights a council for children's homes within its region: homes cluster where
// large houses are cheap. Councils not listed weigh by their type.
func homeCheapness() map[string]float64 {
	return map[string]float64{
		"Lancashire": 1.8, "Wigan": 1.5, "Rochdale": 1.5, "Bolton": 1.4, "Oldham": 1.4, "Tameside": 1.3,
		"Blackburn with Darwen": 1.4, "Blackpool": 1.3, "Cumberland": 1.3, "Stoke-on-Trent": 1.6,
		"Staffordshire": 1.4, "Shropshire": 1.5, "Telford and Wrekin": 1.6, "Derbyshire": 1.4,
		"Kingston upon Hull": 1.2, "Doncaster": 1.3, "Barnsley": 1.3, "Rotherham": 1.3,
		"County Durham": 1.4, "Nottinghamshire": 1.3, "Lincolnshire": 1.4, "Herefordshire": 1.4,
		"Kent": 1.3, "East Sussex": 1.2, "Cornwall": 1.3, "Devon": 1.2, "Norfolk": 1.2,
		"Trafford": 0.6, "Stockport": 0.7, "Cheshire East": 0.8, "York": 0.7, "Solihull": 0.7,
		"Surrey": 0.6, "Buckinghamshire": 0.7, "Windsor and Maidenhead": 0.4, "Wokingham": 0.4,
		"Oxfordshire": 0.7, "Bath and North East Somerset": 0.6, "Cambridgeshire": 0.7,
		"Hertfordshire": 0.7, "City of London": 0, "Isles of Scilly": 0,
	}
}

// typeFactor adjusts a council's weight by its type for children's homes.
func typeFactor(councilType string) float64 {
	switch councilType {
	case "County council", "County":
		return 1.15
	case "London borough":
		return 0.6
	case "City corporation":
		return 0
	}
	return 1
}

// ethnicProfile is a region's relative weights of the ethnic groups among children in care who
// are not UASC, in the order of ethnicOrder.
func ethnicProfiles() [numRegions][numGroups]float64 {
	return [numRegions][numGroups]float64{
		{92, 5, 1, 1, 0.5, 0.5},  // North East
		{84, 8, 2.5, 4, 1, 0.5},  // North West
		{82, 9, 2, 5, 1.5, 0.5},  // Yorkshire and The Humber
		{78, 11, 4, 4, 2, 1},     // East Midlands
		{72, 14, 6, 6, 1.5, 0.5}, // West Midlands
		{80, 10, 5, 2, 2, 1},     // East of England
		{32, 20, 28, 8, 9, 3},    // London
		{84, 9, 3, 2, 1.5, 0.5},  // South East
		{89, 7, 2, 1, 0.5, 0.5},  // South West
	}
}

// Ethnic groups in profile order, and England's shares of children looked after.
const numGroups = 6

func ethnicOrder() [numGroups]catalogue.EthnicGroup {
	return [numGroups]catalogue.EthnicGroup{catalogue.EthnicWhite, catalogue.EthnicMixed, catalogue.EthnicBlack,
		catalogue.EthnicAsian, catalogue.EthnicOther, catalogue.EthnicUnknown}
}

func ethnicTargets() [numGroups]float64 {
	return [numGroups]float64{0.71, 0.11, 0.08, 0.05, 0.04, 0.01}
}
