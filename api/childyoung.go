package api

import (
	"context"
	"fmt"

	"github.com/placematch/placematch/catalogue"
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
func forAdultWords(ch catalogue.Child, from int) string {
	return fmt.Sprintf("For the grown-up: %s is under %d, so this page was not sent to %s. Please go through it with %s: read it together, look at the homes, and ask what %s thinks. Put down %s answers in %s own words, then say who went through the page with %s.",
		ch.FirstName, from, them(ch.Sex), them(ch.Sex), ch.FirstName, their(ch.Sex), their(ch.Sex), them(ch.Sex))
}

// helperOption is one answer to "who went through this page with the child?".
type helperOption struct {
	Value, Label string
}

func helperOptions(ch catalogue.Child) []helperOption {
	name := possessiveOf(ch.FirstName)
	return []helperOption{
		{string(catalogue.HelperSocialWorker), name + " social worker"},
		{string(catalogue.HelperCarer), name + " carer"},
		{string(catalogue.HelperOtherAdult), "Another grown-up who knows " + them(ch.Sex) + ", such as an advocate or someone in " + their(ch.Sex) + " family"},
	}
}

func them(sex catalogue.Sex) string {
	switch sex {
	case catalogue.Female:
		return "her"
	case catalogue.Male:
		return "him"
	}
	return "them"
}

func their(sex catalogue.Sex) string {
	switch sex {
	case catalogue.Female:
		return "her"
	case catalogue.Male:
		return "his"
	}
	return "their"
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
