package casework

import (
	"context"
	"errors"
	"slices"

	"github.com/placematch/placematch/catalogue"
)

// CaseRecord is one decision record (catalogue.Offer.DecisionRecord) as the child's case file
// takes it in (issue 23 item 3): the options offered with their reasons, what the child chose
// and said, the decision, who made it and why, the sign-offs with the names of those who gave
// them and the law each answers, the review of the move the offer made, and whether and where
// it was filed. Regulation 50 of the Care Planning, Placement and Case Review (England)
// Regulations 2010 keeps the case record until the child's 75th birthday; placematch keeps
// its copy only until the record is filed and the child's record is past its time.
type CaseRecord struct {
	Offer     catalogue.Offer
	Child     catalogue.Child
	Homes     map[catalogue.PlacementID]catalogue.Placement
	Providers map[catalogue.ProviderID]catalogue.Provider
	SignOffs  []catalogue.SignOff
	// Reviews are the independent reviewing officer's reviews of the move into the offer's
	// home, when the move was unplanned: none for an offer not placed.
	Reviews []catalogue.MoveReview
	Filing  *catalogue.Filing // nil: not yet filed
	// Names are the people behind the tokens the record names (who decided, signed off,
	// reviewed and filed), for the case file.
	Names map[catalogue.TokenID]string
}

// errNoRecords is the error of a service whose store keeps no filings.
var errNoRecords = &catalogue.Error{Kind: catalogue.KindUnavailable, Msg: "this store keeps no case record filings"}

// CaseRecord reads an offer's decision record in scope (ErrNotFound outside it; ErrConflict
// when the offer is not yet a decision record: still open, or withdrawn before it was sent).
// The caller audits the read.
func (s *Service) CaseRecord(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID) (CaseRecord, error) {
	if s.records == nil {
		return CaseRecord{}, errNoRecords
	}
	o, err := s.store.Offer(ctx, sc, id)
	if err != nil {
		return CaseRecord{}, err
	}
	if !o.DecisionRecord() {
		return CaseRecord{}, catalogue.Errorf(catalogue.KindConflict,
			"offer %d is %s: it becomes part of the child's case record once decided (or withdrawn after it was sent)", int64(id), o.Status)
	}
	r := CaseRecord{Offer: o, Homes: map[catalogue.PlacementID]catalogue.Placement{}, Providers: map[catalogue.ProviderID]catalogue.Provider{}}
	if r.Child, err = s.store.Child(ctx, sc, o.Child); err != nil {
		return CaseRecord{}, err
	}
	for _, op := range o.Options {
		p, err := s.store.Placement(ctx, catalogue.Everything, op.Placement) // the offer in scope names it
		if errors.Is(err, catalogue.ErrNotFound) {
			continue
		} else if err != nil {
			return CaseRecord{}, err
		}
		r.Homes[p.ID] = p
		if _, ok := r.Providers[p.Provider]; !ok {
			pr, err := s.store.Provider(ctx, p.Provider)
			if err != nil && !errors.Is(err, catalogue.ErrNotFound) {
				return CaseRecord{}, err
			}
			r.Providers[p.Provider] = pr
		}
	}
	if r.SignOffs, err = s.store.SignOffs(ctx, sc, id); err != nil {
		return CaseRecord{}, err
	}
	if r.Reviews, err = s.reviewsOf(ctx, sc, o); err != nil {
		return CaseRecord{}, err
	}
	filings, err := s.records.Filings(ctx, sc, []catalogue.OfferID{id})
	if err != nil {
		return CaseRecord{}, err
	}
	if f, ok := filings[id]; ok {
		r.Filing = &f
	}
	tokens := []catalogue.TokenID{}
	if o.Decision != nil {
		tokens = append(tokens, o.Decision.By)
	}
	for _, so := range r.SignOffs {
		tokens = append(tokens, so.By)
	}
	for _, rv := range r.Reviews {
		tokens = append(tokens, rv.ReviewedBy)
	}
	if r.Filing != nil {
		tokens = append(tokens, r.Filing.By)
	}
	if r.Names, err = s.records.Signatories(ctx, tokens); err != nil {
		return CaseRecord{}, err
	}
	return r, nil
}

// reviewsOf finds the reviews of the move an offer made: the placement it started (its home,
// from the day the child moved in) is the Next of each.
func (s *Service) reviewsOf(ctx context.Context, sc catalogue.Scope, o catalogue.Offer) ([]catalogue.MoveReview, error) {
	if s.history == nil || o.Status != catalogue.OfferPlaced || o.Decision == nil {
		return nil, nil
	}
	eps, err := s.history.History(ctx, sc, o.Child)
	if err != nil {
		return nil, err
	}
	var started []catalogue.EpisodeID
	for _, e := range eps {
		if e.Placement == o.Decision.Placement && e.Start.Equal(catalogue.Day(o.PlacedAt)) {
			started = append(started, e.ID)
		}
	}
	if len(started) == 0 {
		return nil, nil
	}
	all, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.MoveReview], error) {
		return s.history.ListMoveReviews(ctx, sc, catalogue.MoveReviewFilter{Child: o.Child, After: catalogue.MoveReviewID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(r catalogue.MoveReview) bool { return !slices.Contains(started, r.Next) }), nil
}

// MarkFiled records that an offer's decision record in scope was filed in the council's case
// system under reference (catalogue.CaseRecordStore.MarkFiled: once, audited).
func (s *Service) MarkFiled(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, reference string) (catalogue.Filing, bool, error) {
	if s.records == nil {
		return catalogue.Filing{}, false, errNoRecords
	}
	return s.records.MarkFiled(ctx, sc, id, reference)
}

// UnfiledDecisions lists a page of the decision records in scope not yet filed in the case
// record, oldest first.
func (s *Service) UnfiledDecisions(ctx context.Context, sc catalogue.Scope, f catalogue.UnfiledFilter) (catalogue.Page[catalogue.Offer], error) {
	if s.records == nil {
		return catalogue.Page[catalogue.Offer]{}, errNoRecords
	}
	return s.records.UnfiledDecisions(ctx, sc, f)
}
