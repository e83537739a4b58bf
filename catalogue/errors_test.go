package catalogue_test

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestErrorKinds: errors.Is matches an Error, however deeply wrapped, with its kind's sentinel
// and no other; errors.As finds it with its message and fields; an Error with a message of its
// own (ErrNotApprover) matches itself and its kind, never another Error of the kind.
func TestErrorKinds(t *testing.T) {
	t.Parallel()
	sentinels := map[catalogue.Kind]error{
		catalogue.KindNotFound: catalogue.ErrNotFound, catalogue.KindConflict: catalogue.ErrConflict,
		catalogue.KindInvalid: catalogue.ErrInvalid, catalogue.KindForbidden: catalogue.ErrForbidden,
		catalogue.KindUnavailable: catalogue.ErrUnavailable,
	}
	wrap := func(err error) error {
		return fmt.Errorf("offer for child 3: %w", fmt.Errorf("create offer: %w", err))
	}
	for kind, sentinel := range sentinels {
		for _, err := range []error{
			catalogue.Errorf(kind, "offer %d is %s", 12, "accepted"),
			fmt.Errorf("child 5: %w", sentinel), // the store's notFound, dbError
			&catalogue.Error{Kind: kind, Fields: []catalogue.FieldError{{Field: "council", Message: "is not yours"}}},
		} {
			w := wrap(err)
			for other, s := range sentinels {
				if got := errors.Is(w, s); got != (other == kind) {
					t.Errorf("%v: errors.Is(%q, %v) = %v", kind, w, other, got)
				}
			}
			if got := catalogue.KindOf(w); got != kind {
				t.Errorf("KindOf(%q) = %v, want %v", w, got, kind)
			}
			e, ok := errors.AsType[*catalogue.Error](w)
			if !ok {
				t.Fatalf("errors.As does not find the Error in %q", w)
			}
			if want, _ := errors.AsType[*catalogue.Error](err); e != want {
				t.Errorf("errors.As found %+v, want %+v", e, want)
			}
		}
	}
	// A message of its own: ErrNotApprover is forbidden, and only itself.
	approver := fmt.Errorf("placement 4: the text's last author may not approve it: %w", catalogue.ErrNotApprover)
	if !errors.Is(approver, catalogue.ErrNotApprover) || !errors.Is(approver, catalogue.ErrForbidden) || errors.Is(approver, catalogue.ErrNotFound) {
		t.Errorf("%q is not (only) ErrNotApprover and forbidden", approver)
	}
	if other := catalogue.Errorf(catalogue.KindForbidden, "your role may not use this route"); errors.Is(other, catalogue.ErrNotApprover) {
		t.Errorf("%q matches ErrNotApprover", other)
	}
	// The database unreachable, with its cause: both match.
	down := fmt.Errorf("read child 3: %w", fmt.Errorf("%w: %w", catalogue.ErrUnavailable, io.ErrUnexpectedEOF))
	if !errors.Is(down, catalogue.ErrUnavailable) || !errors.Is(down, io.ErrUnexpectedEOF) || catalogue.KindOf(down) != catalogue.KindUnavailable {
		t.Errorf("%q: the kind or the cause is lost", down)
	}
	// Anything else is internal.
	for _, err := range []error{nil, io.EOF, fmt.Errorf("decode: %w", io.EOF)} {
		if k := catalogue.KindOf(err); k != catalogue.KindInternal {
			t.Errorf("KindOf(%v) = %v, want internal", err, k)
		}
	}
}

// TestErrorFields: field errors, and an import's first problems with their count, read back
// through any wrapping; Error() reads as the old ValidationError and conflicts did, for logs.
func TestErrorFields(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("policy: %w", catalogue.Invalid("weights.cost", "must be a number from 0 to %d", 1000))
	if fe := catalogue.FieldErrors(err); len(fe) != 1 || fe[0] != (catalogue.FieldError{Field: "weights.cost", Message: "must be a number from 0 to 1000"}) {
		t.Errorf("FieldErrors = %+v", fe)
	}
	if got, want := err.Error(), "policy: invalid: weights.cost: must be a number from 0 to 1000"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if fe := catalogue.FieldErrors(fmt.Errorf("read: %w", io.EOF)); fe != nil {
		t.Errorf("FieldErrors of a plain error = %+v", fe)
	}

	is := catalogue.NewIssues(func(a, b catalogue.FieldError) int { return a.Row - b.Row })
	for row := catalogue.MaxIssues + 50; row >= 2; row-- {
		is.Add(catalogue.FieldError{Row: row, Field: "sex", Message: "must be female or male"})
	}
	imp := fmt.Errorf("import: nothing written: %w", is.Err())
	e, ok := errors.AsType[*catalogue.Error](imp)
	if !ok || e.Kind != catalogue.KindInvalid || len(e.Fields) != catalogue.MaxIssues || e.Count() != catalogue.MaxIssues+49 {
		t.Fatalf("an import's problems: %v", imp)
	}
	if !errors.Is(imp, catalogue.ErrInvalid) || !slices.Equal(catalogue.FieldErrors(imp), e.Fields) {
		t.Errorf("%v is not invalid with its fields", imp)
	}
	two := &catalogue.Error{Kind: catalogue.KindInvalid, Total: 7, Fields: []catalogue.FieldError{
		{Row: 2, Field: "sex", Message: "must be female or male"}, {Field: "id", Message: "is used twice"}}}
	if got, want := two.Error(), "invalid: line 2: sex: must be female or male; id: is used twice; and 5 more"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := catalogue.Errorf(catalogue.KindConflict, "child 5: version %d is stale", 2).Error(), "child 5: version 2 is stale: conflict"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
