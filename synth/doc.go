// Package synth generates a realistic synthetic England: children looked after by the 153
// upper-tier councils, their sibling groups, and the foster households, kinship carers,
// children's homes and supported accommodation that could take them, as one catalogue.Batch.
//
// Generation is deterministic: the same Config gives the same Batch, record for record. Each
// council draws from its own random stream, so a council's records do not depend on which other
// councils are generated, and a subset of councils is the same as the matching slice of England.
//
// # Calibration
//
// The figures are those of DESIGN.md section 7 (DfE and Ofsted, 2024-2025) at national scale:
// 81,770 children looked after, 56% male, ethnicity White 71%, Mixed 11%, Black 8%, Asian 5%,
// Other 4%; ages 0-4 19%, 5-9 16%, 10-15 38%, 16-17 27%; 6,540 unaccompanied asylum-seeking
// children (UASC); 67% of children assessed for foster or kinship care; Ofsted's 42,190 fostering
// households, of which 33,300 mainstream with 70,465 approved places (about 2.1 each), about 16%
// vacant, and 8,890 family and friends (kinship) households; 4,009 children's homes with 14,259
// places, 84% run privately, 26% of them in the North West; 37% of children in care with a
// brother or sister in care living apart from at least one (the Children's Commissioner,
// January 2023). Calibration (calibration.go) lists every figure with its source, year and
// tolerance; TestCalibration holds each, and docs/sufficiency.md carries the same table.
//
// Children per council. Each council has a rate of children looked after per 10,000 children
// (see rates.go). The rates are hand-set to resemble the published pattern, not copied from it:
// the region's level (North East and North West highest, London, the South East and the East of
// England lowest), raised for deprived seaside and post-industrial towns (Blackpool 184,
// Middlesbrough, Hartlepool, Stoke-on-Trent, Hull, Torbay, North East Lincolnshire) and lowered
// for affluent suburbs and shires (Richmond 27, Wokingham, Windsor and Maidenhead, Harrow,
// Redbridge, Surrey, Buckinghamshire). Children are shared out in proportion to population x rate,
// so the national total is exactly Config.Children and each council keeps its published
// character. UASC are shared out by child population, with extra weight for the councils where
// most arrive (Kent, Croydon, Hillingdon, Portsmouth, London generally), capped at 40% of a
// council's children.
//
// Ethnicity. Each region has a profile of ethnic groups (London far more diverse than the North
// East), raised for diverse cities (Birmingham, Leicester, Bradford, Luton, Slough, ...) and
// lowered for the whiter outer London boroughs; the profiles are then scaled by iterative
// proportional fitting so that, with the UASC, England matches the national shares. Within a
// group a child's heritage (Polish, Pakistani, Eritrean, Caribbean, ...) sets the SSDA903 code,
// first language, religion and names, so they agree with each other.
//
// Supply. Foster households are shared out by children (London recruits fewer carers than its
// children need; the South and the shires more); council households are about 55% of them.
// Children's homes are shared out first by region (North West 26%, West Midlands 16%, ... London
// 5%) and then by council, weighted towards cheaper areas. Places are filled, vacant or not
// available so that the filled places reproduce the placement mix (council foster 28%, agency
// foster 25%, kinship 16%, children's homes 11%, supported accommodation 10%); each vacant place
// is one catalogue.Vacancy, each filled place a household member of role placed_child. Kinship
// carers are generated for the children whose assessed care type is kinship, waiting children
// first, near their family home.
//
// Staying Put. The DfE counts about 2,000 young people a year staying put with their foster
// carers at 18, about half of those eligible. Foster carers approved for young people of 16 or
// over are willing to let one stay on after 18 (up to 21) in half of the households where a
// young person of 16 or 17 lives now and in 35% of the others; kinship carers in 55%. So half of
// the young people of 17 in foster and kinship homes (about 5,400 here, more than the DfE's
// eligible young people) live with carers willing to offer it: about 2,700 who could stay put at
// 18, a little above the 2,000 who do (TestStayingPutCalibration).
//
// Histories. Every child who is looked after has the placements they have had since coming
// into care (catalogue.Episode), each ended with its SSDA903 reason, with the reviews their
// unplanned moves of the last year opened and the check-ins of children who moved in the last
// six months (history.go describes the model). The seeded demo and England reproduce, within 2
// percentage points (TestHistoryCalibration): 3+ placements in the year 10% and long-term
// stability 70% (DfE 2024), 3+ placements over two years 23%, over 3,000 children with 4+ moves
// over two years (Children's Commissioner), 22% placed more than 20 miles from home (DfE 2024).
//
// Batch keys. Records refer to each other with batch-local negative keys, as catalogue.Batch
// describes: providers -1, -2, ...; sibling groups -1, -2, ...; children -1, -2, ...; placements
// -1, -2, ...; episodes -1, -2, ...; a vacancy names its placement's key, a move review or a
// check-in its episode's.
package synth
