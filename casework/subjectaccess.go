package casework

import (
	"context"

	"github.com/placematch/placematch/catalogue"
)

// SubjectAccess answers a subject access request (UK GDPR article 15) for a child or a carer's
// household in scope: everything held about them in one export, audited by the store
// (catalogue.SubjectAccessStore). ErrNotFound outside the scope.
func (s *Service) SubjectAccess(ctx context.Context, sc catalogue.Scope, subj catalogue.Subject) (catalogue.SubjectAccessExport, error) {
	if s.access == nil {
		return catalogue.SubjectAccessExport{}, &catalogue.Error{Kind: catalogue.KindUnavailable, Msg: "this store makes no subject access exports"}
	}
	return s.access.SubjectAccess(ctx, sc, subj)
}
