package api

import (
	"fmt"

	"github.com/placematch/placematch/catalogue"
)

// temporaryApprovalDTO is a connected person's temporary approval (catalogue.TemporaryApproval):
// the council sets from and extended; deadline and lapsing are the service's, read-only.
type temporaryApprovalDTO struct {
	From     string `json:"from"`
	Extended bool   `json:"extended"`
	Deadline string `json:"deadline,omitempty"` // the day it lapses: 16 weeks on, 24 when extended
	Lapsing  bool   `json:"lapsing,omitempty"`  // it lapses within four weeks of today
}

func fromTemporary(t *catalogue.TemporaryApproval) *temporaryApprovalDTO {
	if t == nil {
		return nil
	}
	return &temporaryApprovalDTO{From: dateString(t.From), Extended: t.Extended, Deadline: dateString(t.Deadline())}
}

func (cv *converter) temporary(d *temporaryApprovalDTO) *catalogue.TemporaryApproval {
	if d == nil {
		return nil
	}
	return &catalogue.TemporaryApproval{From: cv.date("temporary_approval.from", d.From), Extended: d.Extended}
}

// placementView is a placement as an officer, a provider or an administrator reads it, with
// the law's warnings by the service's clock: a connected person's temporary approval that
// lapses within four weeks (catalogue.TemporaryWarning), so that the council finishes the
// assessment or extends it (regulations 24 and 25) before the child's home stops being lawful;
// one that has lapsed; a foster approval out of date; a home not registered.
func (s *server) placementView(p catalogue.Placement) placementDTO {
	d := fromPlacement(p)
	today := catalogue.Day(s.now())
	if t := p.TemporaryApproval; t != nil && p.Kind == catalogue.Kinship && !p.Approval.InDate(today) {
		switch {
		case t.Lapsing(today):
			d.TemporaryApproval.Lapsing = true
			d.Warnings = append(d.Warnings, fmt.Sprintf("The carers' temporary approval lapses on %s: finish their assessment or extend it (regulations 24 and 25).",
				t.Deadline().Format("2 January 2006")))
		case !t.InDate(today):
			d.Warnings = append(d.Warnings, fmt.Sprintf("The carers' temporary approval lapsed on %s.", t.Deadline().Format("2 January 2006")))
		}
	}
	if !p.ApprovedOn(today) && p.TemporaryApproval == nil {
		d.Warnings = append(d.Warnings, "The carers' approval is not in date today: the home is not offered until it is.")
	}
	if !p.IsRegistered() {
		d.Warnings = append(d.Warnings, "Not registered with Ofsted: the home is never offered.")
	}
	return d
}
