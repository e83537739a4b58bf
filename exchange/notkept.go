package exchange

import (
	"io"
	"slices"

	"github.com/placematch/placematch/catalogue"
)

// Placements Data Standard fields a CSV file may carry that placematch reads but does not keep,
// each with why. No field the importer accepts is dropped silently: a file that gives one of
// these is imported, and the import says which of them it did not keep and why (Decoded.NotKept).
// Every other field of the standard is kept and exported (TestEveryStandardField holds both
// lists to the standard). placematch keeps only what matching needs (UK GDPR Art. 9).
var childNotKept = map[string]string{
	"referralDate":                      "read only to count a neededBy category (Today, in less than 5 days, in more than 5 days) into the date kept as neededBy",
	"homeAdaptation":                    "an adapted home is recorded as wheelchair (step-free access) and a disability and health need, whose support plan arranges equipment and adaptations",
	"culturalNeeds":                     "identity is matched on religion, ethnicity and first language, and on the child's own wishes (my_religion, my_language)",
	"additionalSupport":                 "support is planned from the child's needs against the carers' skills when a match is accepted (support plans)",
	"preferredLocation":                 "free text: the search starts from the child's home, school and family, and a maximum distance",
	"fosterCareSuitability":             "the assessed kind of care is care_type",
	"residentialCareSuitability":        "the assessed kind of care is care_type",
	"supportedAccommodationSuitability": "the assessed kind of care is care_type",
	"riskOther":                         "free text about a child's risks stays in the council's case record: placematch keeps the graded needs it matches on",
	"riskToOthersOther":                 "free text about a child's risks stays in the council's case record: placematch keeps the risks to others it matches on",
	"referralOfficerName":               "officers are recorded in the audit log by their tokens, not by name in a child's record",
	"placementOfficerName":              "officers are recorded in the audit log by their tokens, not by name in a child's record",
	"costOfficerName":                   "officers are recorded in the audit log by their tokens, not by name in a child's record",
	"placementDate":                     "the record's own times say when it was entered",
	"costDate":                          "the record's own times say when it was entered",
}

var placementNotKept = map[string]string{
	"placementLocation":      "a placement's location is kept as lat, lng and area_name",
	"preferabilityLocation":  "one child's outcome, which placematch works out from the child's history and offers",
	"educationContinuity":    "one child's outcome, which placematch works out from the child's history and offers",
	"siblingsPlacedTogether": "one child's outcome, which placematch works out from the child's history and offers",
	"referralOfficerName":    "officers are recorded in the audit log by their tokens, not by name",
	"referralDate":           "a referral's date belongs to a child's record, not a placement's",
	"placementOfficerName":   "officers are recorded in the audit log by their tokens, not by name",
	"placementDate":          "the record's own times say when it was entered",
	"costOfficerName":        "officers are recorded in the audit log by their tokens, not by name",
	"costDate":               "the record's own times say when it was entered",
}

// NotKept is a field of the standard that a file gave and placematch did not keep, and why.
type NotKept struct {
	Field  string
	Reason string
}

// Decoded is a file read by DecodeFile: the batch to import, and the fields of the standard the
// file gave that were read but not kept (in the order of the file's header).
type Decoded struct {
	Batch catalogue.Batch
	// Referrals are the past referrals of a referrals file, for Store.ImportReferrals, in file
	// order (Locate names the row of each in the store's errors).
	Referrals []catalogue.Referral
	// Network are the members of a family network file, for Store.ImportNetwork, in file
	// order (Locate names the row of each in the store's errors).
	Network []catalogue.NetworkMember
	// StayingPut are the records of a Staying Put file, for Store.ImportStayingPut, in file
	// order (Locate names the row of each).
	StayingPut []catalogue.StayingPutChange
	NotKept    []NotKept
	referrals  []referralRec
	network    []networkRec
	stayingPut []*rowSink
}

// DecodeFile is Decode, also saying which fields of the standard the file gave and placematch
// did not keep, so that none is dropped silently.
func DecodeFile(r io.Reader, f Format, k Kind, opt DecodeOptions) (Decoded, error) {
	rep := newReport()
	var d Decoded
	switch k {
	case Referrals, StayingPut, Network:
		opt = opt.withDefaults()
		switch k {
		case Referrals:
			d.Referrals, d.referrals = decodeReferrals(r, f, opt, rep)
		case StayingPut:
			d.StayingPut, d.stayingPut = decodeStayingPut(r, f, opt, rep)
		default:
			d.Network, d.network = decodeNetwork(r, f, opt, rep)
		}
		if rep.tooLarge {
			return Decoded{}, &TooLargeError{Limit: opt.MaxBytes}
		}
		if err := rep.err(); err != nil {
			return Decoded{}, err
		}
		d.NotKept = slices.Clone(rep.notKept)
		return d, nil
	}
	b, err := decode(r, f, k, opt, rep)
	if err != nil {
		return Decoded{}, err
	}
	return Decoded{Batch: b, NotKept: slices.Clone(rep.notKept)}, nil
}

// noteNotKept records that the file gave a field that is not kept, once.
func (r *report) noteNotKept(field, reason string) {
	if slices.ContainsFunc(r.notKept, func(n NotKept) bool { return n.Field == field }) {
		return
	}
	r.notKept = append(r.notKept, NotKept{Field: field, Reason: reason})
}

// sdqAliases are the DfE's names for the lower SDQ bands (SSDA903 statistics: normal 0-13,
// borderline 14-16). Its "cause for concern" (17-40) spans two bands and is not taken for either.
var sdqAliases = map[string]catalogue.SDQBand{
	"normal":     catalogue.SDQCloseToAverage,
	"borderline": catalogue.SDQSlightlyRaised,
}

// communicationNeeds applies PDS communicationNeeds ("Communication, language and learning
// needs": Y, N or Not Specified) to the specific requirements read: Y with none named and no
// learning need keeps a requirement of another kind ("other"), so the Y is not lost; N with one
// named, or a learning need, contradicts the file and is reported.
func communicationNeeds(s *rowSink, field, v string, comm []catalogue.Communication, needs []catalogue.Need) []catalogue.Communication {
	learning := slices.ContainsFunc(needs, func(n catalogue.Need) bool { return n.Kind == catalogue.NeedLearning })
	switch norm(v) {
	case "", "not_specified":
	case "y", "yes", "true":
		if len(comm) == 0 && !learning {
			return []catalogue.Communication{catalogue.CommOther}
		}
	case "n", "no", "false":
		if len(comm) > 0 || learning {
			s.fail(field, "says N, but the child has communication or learning needs (specificCommunicationRequirements, needs)")
		}
	default:
		s.fail(field, "%q must be Y, N or Not Specified", clip(v))
	}
	return comm
}

// communicationNeedsOf is PDS communicationNeeds for a child: Y when they have a specific
// communication requirement or a learning need, N otherwise.
func communicationNeedsOf(c catalogue.Child) string {
	if len(c.Communication) > 0 || c.Need(catalogue.NeedLearning) > 0 {
		return "Y"
	}
	return "N"
}
