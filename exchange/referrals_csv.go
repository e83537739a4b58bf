package exchange

import (
	"io"

	"github.com/placematch/placematch/catalogue"
)

func decodeReferralsCSV(in io.Reader, opt DecodeOptions, rep *report) *referralAssembler {
	a := newReferralAssembler(rep, opt.Now)
	name := referralName(func(int) string { return "siblings" })
	readCSV(in, opt, rep, newColumns(Referrals, referralColumns, referralNotKept, referralRequired), func(r *csvRow) {
		v := referralValues{
			key: r.cell("id"), child: r.cell("child"), siblings: splitList(r.cell("siblings")), siblingCount: r.cell("siblingCount"),
			placement: r.cell("placement"), neededBy: r.cell("neededBy"), referralDate: r.cell("referralDate"),
			deadline: r.cell("deadline"), status: r.cell("status"), response: r.cell("outcome"), answeredAt: r.cell("answered_at"),
			weeklyFee: r.cell("weekly_fee"), declineReason: r.cell("decline_reason"), holdUntil: r.cell("hold_until"),
		}
		a.add(readReferral(r.rowSink, v, name), false)
	})
	return a
}

// decodeReferrals reads a referrals file of format f.
func decodeReferrals(in io.Reader, f Format, opt DecodeOptions, rep *report) ([]catalogue.Referral, []referralRec) {
	var a *referralAssembler
	switch f {
	case CSV:
		a = decodeReferralsCSV(in, opt, rep)
	case JSON:
		a = decodeReferralsJSON(in, opt, rep)
	default:
		rep.add(0, "format", "must be %q or %q", CSV, JSON)
		return nil, nil
	}
	if rep.tooLarge {
		return nil, nil
	}
	return a.finish()
}
