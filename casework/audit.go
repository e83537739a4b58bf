package casework

import (
	"context"

	"github.com/placematch/placematch/catalogue"
)

// ChildAudit returns a child in scope and a page of the audit log's entries about their record
// (subject child:ID), oldest first, after the entry after: who read or changed it, and when.
// ErrNotFound outside the scope: the log itself takes none.
func (s *Service) ChildAudit(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID, after int64) (catalogue.Child, catalogue.Page[catalogue.AuditEntry], error) {
	ch, err := s.store.Child(ctx, sc, child)
	if err != nil {
		return catalogue.Child{}, catalogue.Page[catalogue.AuditEntry]{}, err
	}
	page, err := s.store.ListAudit(ctx, catalogue.AuditFilter{Subject: "child:" + ch.ID.String(), After: after, Limit: catalogue.MaxLimit})
	return ch, page, err
}
