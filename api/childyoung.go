package api

import (
	"context"
	"fmt"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/childlang"
)

// A young child's page (issue 20, item 3). A child under the council's ChildLinkAge (8 unless its
// policy says otherwise) is not sent their own link: the link goes to their social worker or
// carer, and the page becomes a tool the grown-up goes through with the child, saying so at the
// top, and asking, with the child's answer, who went through it with them (catalogue.ChildSay.With),
// which the officer sees beside the answer. The same page, the same link and the same session:
// only who holds the link changes.

// tooYoungForLink reports whether the child is too young today to be sent their own link, by
// their council's policy, and the age from which they would be.
func (s *server) tooYoungForLink(ctx context.Context, ch catalogue.Child) (bool, int, error) {
	pv, err := s.store.Policy(ctx, ch.Council)
	if err != nil {
		return false, 0, err
	}
	from := pv.Policy.LinkAge()
	return ch.AgeOn(catalogue.Day(s.now())) < from, from, nil
}

// forAdultWords tell the grown-up going through a young child's page with them what it is for.
func forAdultWords(l *childlang.Printer, ch catalogue.Child, from int) string {
	return l.Text("young.for_adult", "name", ch.FirstName, "age", from, "them", them(l, ch.Sex), "their", their(l, ch.Sex))
}

// helperOption is one answer to "who went through this page with the child?".
type helperOption struct {
	Value, Label string
}

func helperOptions(l *childlang.Printer, ch catalogue.Child) []helperOption {
	name := possessiveOf(l, ch.FirstName)
	return []helperOption{
		{string(catalogue.HelperSocialWorker), l.Text("young.helper.social_worker", "owner", name)},
		{string(catalogue.HelperCarer), l.Text("young.helper.carer", "owner", name)},
		{string(catalogue.HelperOtherAdult), l.Text("young.helper.other_adult", "them", them(l, ch.Sex), "their", their(l, ch.Sex))},
	}
}

func them(l *childlang.Printer, sex catalogue.Sex) string {
	return l.Text("pronoun.them." + sexKey(sex))
}

func their(l *childlang.Printer, sex catalogue.Sex) string {
	return l.Text("pronoun.their." + sexKey(sex))
}

// youngLinkNote is the note on a link made for a child too young to be sent it.
func youngLinkNote(from int) string {
	return fmt.Sprintf("The child is under %d (the council's policy): do not send this link to the child. Open it yourself, or give it to their carer, and go through the page with them; the page asks who did, and records it with the child's answer. It opens once, on one device; it is not stored and cannot be shown again.", from)
}

// noteYoung marks a new link as one for the grown-up, not the child, when the child is too young.
func (s *server) noteYoung(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID, l *sentLinkDTO) error {
	ch, err := s.store.Child(ctx, sc, child)
	if err != nil {
		return err
	}
	young, from, err := s.tooYoungForLink(ctx, ch)
	if young {
		l.Note, l.ForAdult = youngLinkNote(from), true
	}
	return err
}

// helperWords name, to the officer, who went through a young child's page with them.
var helperWords = map[catalogue.Helper]string{
	catalogue.HelperSocialWorker: "Their social worker",
	catalogue.HelperCarer:        "Their carer",
	catalogue.HelperOtherAdult:   "Another grown-up who knows them",
}
