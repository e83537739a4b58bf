package exchange

import (
	"fmt"
	"io"
	"strconv"

	"github.com/placematch/placematch/catalogue"
)

// jsonReferral is a referral in JSON: the same names as the CSV columns.
type jsonReferral struct {
	ID            *jsonKey `json:"id,omitempty"`
	Child         int64    `json:"child"`
	Siblings      []int64  `json:"siblings"`
	SiblingCount  *int     `json:"siblingCount,omitempty"`
	Placement     int64    `json:"placement"`
	NeededBy      string   `json:"neededBy,omitempty"`
	ReferralDate  string   `json:"referralDate"`
	Deadline      string   `json:"deadline,omitempty"`
	Status        string   `json:"status"`
	Response      string   `json:"outcome,omitempty"`
	AnsweredAt    string   `json:"answered_at,omitempty"`
	WeeklyFee     *int     `json:"weekly_fee,omitempty"`
	DeclineReason string   `json:"decline_reason,omitempty"`
	HoldUntil     string   `json:"hold_until,omitempty"`
}

type jsonReferralFile struct {
	Referrals []jsonReferral `json:"referrals"`
}

func decodeReferralsJSON(in io.Reader, opt DecodeOptions, rep *report) *referralAssembler {
	a := newReferralAssembler(rep, opt.Now)
	name := referralName(func(i int) string { return fmt.Sprintf("siblings[%d]", i) })
	list := &jsonList{name: "referrals", take: func(r *jsonRecord) {
		s := newSink(r.pos, rep)
		var jr jsonReferral
		if !r.decode(&jr, s, "", "referral") {
			a.add(referralRec{sink: s, name: name}, true)
			return
		}
		v := referralValues{
			neededBy: jr.NeededBy, referralDate: jr.ReferralDate, deadline: jr.Deadline, status: jr.Status,
			response: jr.Response, answeredAt: jr.AnsweredAt, declineReason: jr.DeclineReason, holdUntil: jr.HoldUntil,
		}
		if jr.ID != nil {
			v.key = string(*jr.ID)
		}
		if jr.Child != 0 {
			v.child = strconv.FormatInt(jr.Child, 10)
		}
		if jr.Placement != 0 {
			v.placement = strconv.FormatInt(jr.Placement, 10)
		}
		for _, c := range jr.Siblings {
			v.siblings = append(v.siblings, strconv.FormatInt(c, 10))
		}
		if jr.SiblingCount != nil {
			v.siblingCount = strconv.Itoa(*jr.SiblingCount)
		}
		if jr.WeeklyFee != nil {
			v.weeklyFee = strconv.Itoa(*jr.WeeklyFee)
		}
		a.add(readReferral(s, v, name), false)
	}}
	if !streamJSON(in, opt, rep, list) {
		return a
	}
	if list.n == 0 {
		rep.reset()
		rep.add(0, "referrals", "the file has no referrals")
	}
	return a
}

func referralToJSON(r catalogue.Referral) jsonReferral {
	v := referralValuesOf(r)
	n := len(r.Siblings)
	jr := jsonReferral{Child: int64(r.Child), Siblings: make([]int64, len(r.Siblings)), SiblingCount: &n,
		Placement: int64(r.Placement), NeededBy: v.neededBy, ReferralDate: v.referralDate, Deadline: v.deadline,
		Status: v.status, Response: v.response, AnsweredAt: v.answeredAt, DeclineReason: v.declineReason, HoldUntil: v.holdUntil}
	if v.key != "" {
		id := jsonKey(v.key)
		jr.ID = &id
	}
	for i, c := range r.Siblings {
		jr.Siblings[i] = int64(c)
	}
	if a := r.Response; a != nil && a.WeeklyFee != 0 {
		fee := a.WeeklyFee
		jr.WeeklyFee = &fee
	}
	return jr
}
