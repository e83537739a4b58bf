package catalogue

import (
	"math"
	"slices"
	"strings"
)

// Limits on offers.
const (
	// MaxOfferOptions bounds an offer's options, withdrawn ones included: two choices, a
	// back-up and the replacements of choices that fell through.
	MaxOfferOptions = 12
	// MaxReasonLen bounds a written reason.
	MaxReasonLen = 2000
)

// OfferFilter narrows a list of offers. Zero fields do not filter.
type OfferFilter struct {
	Council CouncilCode
	Child   ChildID
	Status  OfferStatus
	Run     MatchRunID
	After   OfferID
	Limit   int
}

// Validate reports every bad field of the offer.
func (o Offer) Validate() error {
	p := newProblems()
	if o.Child <= 0 {
		p.add("child", "must be a child ID")
	}
	if !o.Council.Valid() {
		p.add("council", "must be the ONS code of the child's council")
	}
	if o.Run < 0 {
		p.add("run", "must be a match run ID or 0")
	}
	if !o.Status.Valid() {
		p.add("status", "must be one of %v", OfferStatuses)
	}
	seenChild := map[ChildID]bool{o.Child: true}
	for i, c := range o.Siblings {
		switch {
		case c <= 0:
			p.at("siblings", i).add("", "must be a child ID")
		case seenChild[c]:
			p.at("siblings", i).add("", "must be a brother or sister other than the child, named once")
		}
		seenChild[c] = true
	}
	switch {
	case len(o.Options) == 0:
		p.add("options", "must hold at least one option")
	case len(o.Options) > MaxOfferOptions:
		p.add("options", "must hold at most %d options", MaxOfferOptions)
	}
	seen := map[PlacementID]bool{}
	choices := 0
	for i, op := range o.Options {
		op.validate(p.at("options", i))
		if seen[op.Placement] {
			p.at("options", i).add("placement", "appears more than once in the offer")
		}
		seen[op.Placement] = true
		if !op.Withdrawn && op.Role == RoleChoice {
			choices++
		}
	}
	if len(o.Options) > 0 && o.Status.Open() && choices == 0 {
		p.add("options", "must hold at least one choice for the child")
	}
	if choices > 2 {
		p.add("options", "must hold at most two choices for the child; the others are back-ups")
	}
	o.Say.validate(p.under("say"))
	checkText(p, "withdrawn_reason", o.WithdrawnReason, MaxReasonLen)
	return p.err()
}

func (op Option) validate(p problems) {
	if op.Placement <= 0 {
		p.add("placement", "must be a placement ID")
	}
	if op.Rank < 1 {
		p.add("rank", "must be 1 or more")
	}
	if !op.Role.Valid() {
		p.add("role", "must be one of %v", OptionRoles)
	}
	if !unit(op.Score) {
		p.add("score", "must be between 0 and 1")
	}
	if !unit(op.Quality) {
		p.add("quality", "must be between 0 and 1")
	}
	if op.WeeklyCost < 0 {
		p.add("weekly_cost", "must not be negative")
	}
	if !(op.HomeKm >= 0) || math.IsInf(op.HomeKm, 0) {
		p.add("home_km", "must be a distance")
	}
	if !(op.SchoolKm >= -1) || math.IsInf(op.SchoolKm, 0) {
		p.add("school_km", "must be a distance, or -1 without a school")
	}
	for i, km := range op.ContactKm {
		if !(km >= 0) || math.IsInf(km, 0) {
			p.at("contact_km", i).add("", "must be a distance")
		}
	}
	for i, f := range op.Factors {
		fp := p.at("factors", i)
		if !f.Factor.Valid() {
			fp.add("factor", "must be one of %v", Factors)
		}
		if !unit(f.Score) || !(f.Weight >= 0 && f.Weight <= 1) {
			fp.add("score", "score and weight must be between 0 and 1")
		}
		checkText(fp, "reason", f.Reason, MaxWordsLen)
	}
	checkText(p, "withdrawn_reason", op.WithdrawnReason, MaxReasonLen)
}

func unit(x float64) bool { return x >= 0 && x <= 1 }

func (s ChildSay) validate(p problems) {
	checkText(p, "in_own_words", s.InOwnWords, MaxWordsLen)
	if s.With != "" && !s.With.Valid() {
		p.add("with", "must be one of %v, or empty when the child used their page themselves", Helpers)
	}
	if s.Neither && s.Preference != 0 {
		p.add("preference", "must be empty when the child wants neither choice")
	}
}

// Choices returns the child's open choices (at most two), in rank order.
func (o Offer) Choices() []Option {
	var out []Option
	for _, op := range o.Options {
		if !op.Withdrawn && op.Role == RoleChoice {
			out = append(out, op)
		}
	}
	slices.SortStableFunc(out, func(a, b Option) int { return a.Rank - b.Rank })
	return out
}

// Backups returns the open back-ups, in rank order.
func (o Offer) Backups() []Option {
	var out []Option
	for _, op := range o.Options {
		if !op.Withdrawn && op.Role == RoleBackup {
			out = append(out, op)
		}
	}
	slices.SortStableFunc(out, func(a, b Option) int { return a.Rank - b.Rank })
	return out
}

// Option returns the option for a placement, withdrawn or not.
func (o Offer) Option(id PlacementID) (Option, bool) {
	for _, op := range o.Options {
		if op.Placement == id {
			return op, true
		}
	}
	return Option{}, false
}

// IsChoice reports whether the placement is one of the child's open choices.
func (o Offer) IsChoice(id PlacementID) bool {
	op, ok := o.Option(id)
	return ok && !op.Withdrawn && op.Role == RoleChoice
}

// Top returns the top-ranked option not withdrawn (choice or back-up), or 0.
func (o Offer) Top() PlacementID {
	best, rank := PlacementID(0), 0
	for _, op := range o.Options {
		if !op.Withdrawn && (best == 0 || op.Rank < rank) {
			best, rank = op.Placement, op.Rank
		}
	}
	return best
}

// Departures lists, in plain words, how a decision departs from the top-ranked option and from
// what the child said. A decision with any departure needs a written reason.
func (o Offer) Departures(accepted bool, placement PlacementID) []string {
	if !accepted {
		out := []string{"the offer is declined, so none of the options ranked for the child is taken"}
		if o.Say.Preference != 0 {
			out = append(out, "the child said which home they preferred")
		}
		return out
	}
	var out []string
	if o.Status == OfferProposed {
		out = append(out, "the child was not asked: the offer was never sent to them")
	}
	if top := o.Top(); placement != top {
		out = append(out, "it is not the top-ranked option")
	}
	switch {
	case o.Say.Neither:
		out = append(out, "the child said they wanted neither choice")
	case o.Say.Preference != 0 && o.Say.Preference != placement:
		out = append(out, "it is not the home the child preferred")
	}
	return out
}

// CheckDecision checks a decision against the offer: the home must be one of its options, not
// withdrawn, and a decision that departs from the top-ranked option or from the child's stated
// preference must say why.
func (o Offer) CheckDecision(accepted bool, placement PlacementID, reason string) error {
	p := newProblems()
	if accepted {
		op, ok := o.Option(placement)
		switch {
		case placement <= 0:
			p.add("placement", "must name the home accepted")
		case !ok:
			p.add("placement", "must be one of the offer's options")
		case op.Withdrawn:
			p.add("placement", "was withdrawn from the offer: %s", op.WithdrawnReason)
		}
	} else if placement != 0 {
		p.add("placement", "must be empty when the offer is declined")
	}
	checkText(p, "reason", reason, MaxReasonLen)
	if d := o.Departures(accepted, placement); len(d) > 0 && strings.TrimSpace(reason) == "" {
		p.add("reason", "is required because %s", strings.Join(d, ", and "))
	}
	return p.err()
}

// CheckSay checks what a child says against the offer: a preference must be one of their open
// choices.
func (o Offer) CheckSay(s ChildSay) error {
	p := newProblems()
	s.validate(p)
	if s.Preference != 0 && !o.IsChoice(s.Preference) {
		p.add("preference", "must be one of the child's choices")
	}
	return p.err()
}
