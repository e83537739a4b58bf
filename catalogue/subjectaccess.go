package catalogue

import (
	"context"
	"time"
)

// Access by the data subject (UK GDPR article 15; issue 23 item 4). A subject access request
// for one child, or for one carer's household, is answered with everything placematch holds
// about them in one export: every stored row that names them, table by table, with the
// audit log's entries about their record (who looked, and what was done). Secrets are never
// exported: the hashes of links, sessions and passwords are left out, and a link's token is
// never stored at all. The council, as controller, reads the export before it is given out:
// a child's family network names other people (third parties, article 15(4)), and a carer's
// places name no child (their child_id is left out).

// Subject is whom a subject access request is about: a child, or a carer's household (the
// placement that lists them). Exactly one is set.
type Subject struct {
	Child     ChildID
	Placement PlacementID
}

// String names the subject as the audit log does: "child:12" or "placement:7".
func (s Subject) String() string {
	if s.Child != 0 {
		return "child:" + s.Child.String()
	}
	return "placement:" + s.Placement.String()
}

// Validate checks exactly one of Child and Placement is set, naming "subject".
func (s Subject) Validate() error {
	if (s.Child > 0) == (s.Placement > 0) {
		return Invalid("subject", "name one child or one placement (a carer's household)")
	}
	return nil
}

// SubjectAccessExport is everything held about one subject.
type SubjectAccessExport struct {
	Subject string    // as Subject.String
	At      time.Time // when it was made, by the store's clock
	Tables  []SubjectTable
}

// SubjectTable is one table's rows naming the subject, each a column-to-value map (a JSON
// column's value is its JSON), with why the table refers to them.
type SubjectTable struct {
	Table string
	Why   string
	Rows  []map[string]any
}

// SubjectAccessStore makes subject access exports.
type SubjectAccessStore interface {
	// SubjectAccess exports everything held about a subject in scope (the child's council; the
	// placement's provider, or the council whose kinship home it is), and records the export
	// in the audit log (action "subject access", the subject's name) in the same transaction.
	// ErrInvalid naming subject (Subject.Validate); ErrNotFound when the subject is not in
	// scope.
	SubjectAccess(ctx context.Context, s Scope, subj Subject) (SubjectAccessExport, error)
}
