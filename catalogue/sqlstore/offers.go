package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Offers: the options sent to one child (two choices and a back-up), through their life cycle
// proposed -> sent -> viewed -> preference_given -> accepted | declined -> placed, or withdrawn.
//
// Every change locks the offer's row, checks the version the caller read (when given), writes
// the offer with a conditional UPDATE ... WHERE version = ?, and writes its audit rows in the
// same transaction. Accepting fills one place per child moving in the same transaction too, with
// the conditional update that fills vacancies (UpdateVacancy) and the partial unique index on
// filled places as the backstop: of any number of acceptances racing for a home's last place,
// exactly one wins and every other changes nothing and gets ErrConflict.

type offerRow struct {
	ID            int64 `gorm:"primaryKey"`
	ChildID       int64
	Council       string
	RunID         int64
	PolicyVersion int64
	Status        string
	Siblings      string // JSON
	Options       string // JSON
	Say           string // JSON
	// SiblingSays (migration 00040): what each brother or sister offered with the child said,
	// through their own link (JSON, by child ID).
	SiblingSays     string
	Decision        *string // JSON; nil before the decision
	WithdrawnReason string
	OneChoiceReason string
	Version         int
	CreatedAt       time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt       time.Time `gorm:"autoUpdateTime:false"`
	SentAt          *time.Time
	PlacedAt        *time.Time
}

func (offerRow) TableName() string { return "offers" }

type factorDoc struct {
	Factor catalogue.Factor `json:"factor"`
	Weight float64          `json:"weight"`
	Score  float64          `json:"score"`
	Reason string           `json:"reason"`
}

type optionDoc struct {
	Rank            int                  `json:"rank"`
	Role            catalogue.OptionRole `json:"role"`
	Placement       int64                `json:"placement"`
	Score           float64              `json:"score"`
	Quality         float64              `json:"quality"`
	Factors         []factorDoc          `json:"factors,omitempty"`
	WeeklyCost      int                  `json:"weekly_cost"`
	HomeKm          float64              `json:"home_km"`
	SchoolKm        float64              `json:"school_km"`
	ContactKm       []float64            `json:"contact_km,omitempty"`
	Withdrawn       bool                 `json:"withdrawn,omitempty"`
	WithdrawnReason string               `json:"withdrawn_reason,omitempty"`
	Referral        int64                `json:"referral,omitempty"`
}

type sayDoc struct {
	Preference int64      `json:"preference,omitempty"`
	Neither    bool       `json:"neither,omitempty"`
	InOwnWords string     `json:"in_own_words,omitempty"`
	Advocate   bool       `json:"advocate_requested,omitempty"`
	With       string     `json:"with,omitempty"`
	At         *time.Time `json:"at,omitempty"`
}

func fromSay(s catalogue.ChildSay) sayDoc {
	return sayDoc{Preference: int64(s.Preference), Neither: s.Neither, InOwnWords: s.InOwnWords,
		Advocate: s.AdvocateRequested, With: string(s.With), At: timePtr(s.At)}
}

func (d sayDoc) say() catalogue.ChildSay {
	return catalogue.ChildSay{Preference: catalogue.PlacementID(d.Preference), Neither: d.Neither,
		InOwnWords: d.InOwnWords, AdvocateRequested: d.Advocate, With: catalogue.Helper(d.With), At: timeVal(d.At)}
}

type decisionDoc struct {
	Placement int64     `json:"placement,omitempty"`
	Accepted  bool      `json:"accepted"`
	Reason    string    `json:"reason,omitempty"`
	By        int64     `json:"by"`
	At        time.Time `json:"at"`
	Filled    []int64   `json:"filled,omitempty"`
	Support   []int64   `json:"support_plans,omitempty"`
}

func fromOption(o catalogue.Option) optionDoc {
	return optionDoc{
		Rank: o.Rank, Role: o.Role, Placement: int64(o.Placement), Score: o.Score, Quality: o.Quality,
		Factors: mapList(o.Factors, func(f catalogue.FactorScore) factorDoc {
			return factorDoc{Factor: f.Factor, Weight: f.Weight, Score: f.Score, Reason: f.Reason}
		}),
		WeeklyCost: o.WeeklyCost, HomeKm: o.HomeKm, SchoolKm: o.SchoolKm, ContactKm: o.ContactKm,
		Withdrawn: o.Withdrawn, WithdrawnReason: o.WithdrawnReason, Referral: int64(o.Referral),
	}
}

func (d optionDoc) option() catalogue.Option {
	return catalogue.Option{
		Rank: d.Rank, Role: d.Role, Placement: catalogue.PlacementID(d.Placement), Score: d.Score, Quality: d.Quality,
		Factors: mapList(d.Factors, func(f factorDoc) catalogue.FactorScore {
			return catalogue.FactorScore{Factor: f.Factor, Weight: f.Weight, Score: f.Score, Reason: f.Reason}
		}),
		WeeklyCost: d.WeeklyCost, HomeKm: d.HomeKm, SchoolKm: d.SchoolKm, ContactKm: emptyToNil(d.ContactKm),
		Withdrawn: d.Withdrawn, WithdrawnReason: d.WithdrawnReason, Referral: catalogue.ReferralID(d.Referral),
	}
}

func fromOffer(o catalogue.Offer) (offerRow, error) {
	r := offerRow{
		ID: int64(o.ID), ChildID: int64(o.Child), Council: string(o.Council), RunID: int64(o.Run),
		PolicyVersion: int64(o.PolicyVersion), Status: string(o.Status), WithdrawnReason: o.WithdrawnReason,
		OneChoiceReason: o.OneChoiceReason, Version: o.Version, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
		SentAt: timePtr(o.SentAt), PlacedAt: timePtr(o.PlacedAt),
	}
	var w jsonWriter
	r.Siblings = w.list(o.Siblings)
	r.Options = w.list(mapList(o.Options, fromOption))
	say := fromSay(o.Say)
	r.Say = w.value(say)
	sibs := make(map[string]sayDoc, len(o.SiblingSays))
	for id, s := range o.SiblingSays {
		sibs[id.String()] = fromSay(s)
	}
	r.SiblingSays = w.value(sibs)
	if d := o.Decision; d != nil {
		s := w.value(decisionDoc{Placement: int64(d.Placement), Accepted: d.Accepted, Reason: d.Reason, By: int64(d.By),
			At: d.At, Filled: int64s(d.Filled), Support: int64s(d.SupportPlans)})
		r.Decision = &s
	}
	return r, w.err
}

func toOffer(r offerRow) (catalogue.Offer, error) {
	o := catalogue.Offer{
		ID: catalogue.OfferID(r.ID), Child: catalogue.ChildID(r.ChildID), Council: catalogue.CouncilCode(r.Council),
		Run: catalogue.MatchRunID(r.RunID), PolicyVersion: int(r.PolicyVersion), Status: catalogue.OfferStatus(r.Status),
		WithdrawnReason: r.WithdrawnReason, OneChoiceReason: r.OneChoiceReason, Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		SentAt: timeVal(r.SentAt), PlacedAt: timeVal(r.PlacedAt),
	}
	rd := jsonReader{what: "offer " + o.ID.String()}
	rd.read("siblings", r.Siblings, &o.Siblings)
	o.Siblings = emptyToNil(o.Siblings)
	var opts []optionDoc
	rd.read("options", r.Options, &opts)
	o.Options = mapList(opts, optionDoc.option)
	var say sayDoc
	rd.read("say", r.Say, &say)
	o.Say = say.say()
	if r.SiblingSays != "" {
		var sibs map[string]sayDoc
		rd.read("sibling_says", r.SiblingSays, &sibs)
		for id, s := range sibs {
			n, err := strconv.ParseInt(id, 10, 64)
			if err != nil {
				return catalogue.Offer{}, fmt.Errorf("offer %d: sibling_says: child %q: %w", r.ID, id, err)
			}
			if o.SiblingSays == nil {
				o.SiblingSays = map[catalogue.ChildID]catalogue.ChildSay{}
			}
			o.SiblingSays[catalogue.ChildID(n)] = s.say()
		}
	}
	if r.Decision != nil {
		var d decisionDoc
		rd.read("decision", *r.Decision, &d)
		o.Decision = &catalogue.Decision{Placement: catalogue.PlacementID(d.Placement), Accepted: d.Accepted,
			Reason: d.Reason, By: catalogue.TokenID(d.By), At: d.At.UTC(),
			Filled:       mapList(d.Filled, func(id int64) catalogue.VacancyID { return catalogue.VacancyID(id) }),
			SupportPlans: mapList(d.Support, func(id int64) catalogue.SupportPlanID { return catalogue.SupportPlanID(id) })}
	}
	return o, rd.err
}

func offerSubject(id catalogue.OfferID) string { return "offer:" + id.String() }

// offerWriteError names the unique rule an offer can break: one open offer per child.
func offerWriteError(err error, what string) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return conflict("%s: the child already has an offer waiting for a decision or accepted", what)
	}
	return dbError(err, what)
}

// CreateOffer stores a new offer, proposed, for a child in scope. It is how offers are made both
// from one child's options (the API's POST /v1/children/{id}/offers) and from a match run (set
// o.Run to the run's ID): the caller gives the ranked options, with their roles (two choices, the
// rest back-ups), and the brothers and sisters moving with the child. The council is the child's;
// the status, version, say, decision and timestamps are set by the store. A child has at most one
// offer open or accepted at a time: another is ErrConflict.
func (s *Store) CreateOffer(ctx context.Context, sc catalogue.Scope, o catalogue.Offer) (catalogue.Offer, error) {
	var out catalogue.Offer
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		out, err = s.createOffer(ctx, tx, sc, o, "offer")
		return err
	})
	if err != nil {
		return catalogue.Offer{}, err
	}
	return out, nil
}

// CreateOffers stores new offers as CreateOffer does, all in one transaction: every offer is
// made, or none (the first that cannot be is the error, naming it: "offers[3]: ..."). It is how
// the offers of a match run are made, so that a failure never leaves some children offered and
// others not.
func (s *Store) CreateOffers(ctx context.Context, sc catalogue.Scope, os []catalogue.Offer) ([]catalogue.Offer, error) {
	out := make([]catalogue.Offer, len(os))
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		for i, o := range os {
			made, err := s.createOffer(ctx, tx, sc, o, fmt.Sprintf("offers[%d]", i))
			if err != nil {
				return err
			}
			out[i] = made
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// createOffer stores one new offer in the caller's transaction (see CreateOffer); what names it
// in errors.
func (s *Store) createOffer(ctx context.Context, tx *gorm.DB, sc catalogue.Scope, o catalogue.Offer, what string) (catalogue.Offer, error) {
	t := s.now()
	o.ID, o.Status, o.Version, o.CreatedAt, o.UpdatedAt = 0, catalogue.OfferProposed, 1, t, t
	o.Say, o.Decision, o.WithdrawnReason, o.SentAt, o.PlacedAt = catalogue.ChildSay{}, nil, "", time.Time{}, time.Time{}
	var out catalogue.Offer
	err := func() error {
		var ch childRow
		err := councilScope(tx, sc).Select("id", "council", "status", "sibling_group_id").Where("id = ?", int64(o.Child)).Take(&ch).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return notFound("%s: child %d", what, int64(o.Child))
		} else if err != nil {
			return dbError(err, what+": read child")
		}
		if ch.Status == string(catalogue.ChildClosed) {
			return invalid(what, "child", "the child's record is closed")
		}
		o.Council = catalogue.CouncilCode(ch.Council)
		if err := o.Validate(); err != nil {
			return validation(what, err)
		}
		if err := s.checkSiblings(tx, ch, o.Siblings, what); err != nil {
			return err
		}
		if err := s.checkAgreed(tx, o, what, 0); err != nil {
			return err
		}
		ids := make([]int64, len(o.Options))
		for i, op := range o.Options {
			ids[i] = int64(op.Placement)
		}
		found, err := existingIDs[placementRow](s, tx, ids)
		if err != nil {
			return dbError(err, what+": read placements")
		}
		for i, id := range ids {
			if !found[id] {
				return invalid(what, fmt.Sprintf("options[%d].placement", i), "no such placement")
			}
		}
		row, err := fromOffer(o)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if err := tx.Create(&row).Error; err != nil {
			return offerWriteError(err, strings.TrimPrefix(what+": create offer", "offer: "))
		}
		if err := s.audit(ctx, tx, "create", offerSubject(catalogue.OfferID(row.ID)), o.Council); err != nil {
			return err
		}
		out, err = toOffer(row)
		return err
	}()
	return out, err
}

// checkSiblings checks that the brothers and sisters moving with a child are in the child's
// sibling group.
func (s *Store) checkSiblings(tx *gorm.DB, ch childRow, siblings []catalogue.ChildID, what string) error {
	if len(siblings) == 0 {
		return nil
	}
	if ch.SiblingGroupID == nil {
		return invalid(what, "siblings", "the child is in no sibling group")
	}
	var got []int64
	err := tx.Model(&childRow{}).Where(s.oneOf("id", int64s(siblings))).Where("sibling_group_id = ?", *ch.SiblingGroupID).
		Pluck("id", &got).Error
	if err != nil {
		return dbError(err, what+": read siblings")
	}
	in := map[int64]bool{}
	for _, id := range got {
		in[id] = true
	}
	for i, id := range siblings {
		if !in[int64(id)] {
			return invalid(what, fmt.Sprintf("siblings[%d]", i), "is not in the child's sibling group")
		}
	}
	return nil
}

// Offer returns one offer in scope.
func (s *Store) Offer(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID) (catalogue.Offer, error) {
	var row offerRow
	if err := councilScope(s.db.WithContext(ctx), sc).Where("id = ?", int64(id)).Take(&row).Error; err != nil {
		return catalogue.Offer{}, dbError(err, "offer "+id.String())
	}
	return toOffer(row)
}

// ListOffers returns a page of offers in scope by ascending ID.
func (s *Store) ListOffers(ctx context.Context, sc catalogue.Scope, f catalogue.OfferFilter) (catalogue.Page[catalogue.Offer], error) {
	if f.Status != "" && !f.Status.Valid() {
		return catalogue.Page[catalogue.Offer]{}, catalogue.Invalid("status", "must be one of %v", catalogue.OfferStatuses)
	}
	q := councilScope(s.db.WithContext(ctx), sc)
	if f.Council != "" {
		q = q.Where("council = ?", string(f.Council))
	}
	if f.Child != 0 {
		q = q.Where("child_id = ?", int64(f.Child))
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.Run != 0 {
		q = q.Where("run_id = ?", int64(f.Run))
	}
	return readPage(q, f.Limit, int64(f.After), func(r offerRow) int64 { return r.ID }, toOffer, "list offers")
}

// changeOffer runs one change to an offer in scope in a transaction: it locks the row, checks
// version (unless 0), lets change modify the offer (returning the audit action), validates,
// writes with a conditional update and writes the audit row.
func (s *Store) changeOffer(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, version int,
	change func(tx *gorm.DB, o *catalogue.Offer) (string, error)) (catalogue.Offer, error) {
	what := "offer " + id.String()
	if id <= 0 {
		return catalogue.Offer{}, notFound("%s", what)
	}
	var out catalogue.Offer
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var cur offerRow
		if err := forUpdate(councilScope(tx, sc)).Where("id = ?", int64(id)).Take(&cur).Error; err != nil {
			return dbError(err, what)
		}
		if version != 0 && cur.Version != version {
			return conflict("%s: version %d is stale, the stored version is %d", what, version, cur.Version)
		}
		o, err := toOffer(cur)
		if err != nil {
			return err
		}
		action, err := change(tx, &o)
		if err != nil {
			return err
		}
		if err := o.Validate(); err != nil {
			return validation(what, err)
		}
		o.Version, o.UpdatedAt = cur.Version+1, s.now()
		row, err := fromOffer(o)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		res := tx.Model(&offerRow{}).Where("id = ? AND version = ?", cur.ID, cur.Version).
			Select("status", "options", "say", "sibling_says", "decision", "withdrawn_reason", "version", "updated_at", "sent_at", "placed_at").
			Updates(&row)
		if res.Error != nil {
			return offerWriteError(res.Error, "update "+what)
		}
		if res.RowsAffected != 1 {
			return conflict("%s: changed by someone else", what)
		}
		if err := s.audit(ctx, tx, action, offerSubject(id), o.Council); err != nil {
			return err
		}
		out, err = toOffer(row)
		return err
	})
	if err != nil {
		return catalogue.Offer{}, err
	}
	return out, nil
}

// setChildStatus moves a child from one of the statuses from to status to, bumping its version,
// with an audit row; a child in another status is left as it is.
func (s *Store) setChildStatus(ctx context.Context, tx *gorm.DB, id catalogue.ChildID, council catalogue.CouncilCode,
	to catalogue.ChildStatus, from ...catalogue.ChildStatus) error {
	fromS := make([]string, len(from))
	for i, f := range from {
		fromS[i] = string(f)
	}
	res := tx.Model(&childRow{}).Where("id = ? AND status IN ?", int64(id), fromS).
		Updates(map[string]any{"status": string(to), "version": gorm.Expr("version + 1"), "updated_at": s.now()})
	if res.Error != nil {
		return dbError(res.Error, "update child "+id.String())
	}
	if res.RowsAffected == 0 {
		return nil
	}
	return s.audit(ctx, tx, "update", childSubject(id), council)
}

// moving is the child and the brothers and sisters moving with them.
func moving(o catalogue.Offer) []catalogue.ChildID {
	return append([]catalogue.ChildID{o.Child}, o.Siblings...)
}

// SendOffer sends an offer to the child: it stores a new private link (link.Hash, the SHA-256 of
// its token, and link.ExpiresAt; CreatedBy comes from the actor) and revokes any earlier link not
// yet opened. A proposed offer becomes sent, and the child (and the brothers and sisters moving
// with them) offered. An offer already sent gets a fresh link; a decided offer cannot be sent.
func (s *Store) SendOffer(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, link catalogue.ChildLink) (catalogue.Offer, catalogue.ChildLink, error) {
	t := s.now()
	if err := checkNewLink(link, t); err != nil {
		return catalogue.Offer{}, catalogue.ChildLink{}, err
	}
	var lrow linkRow
	o, err := s.changeOffer(ctx, sc, id, 0, func(tx *gorm.DB, o *catalogue.Offer) (string, error) {
		if !o.Status.Open() {
			return "", conflict("offer %d is %s: only an offer waiting for a decision can be sent", int64(id), o.Status)
		}
		child := o.Child
		if link.Child != 0 && link.Child != o.Child {
			// A brother or sister moving with the child: their own link, their own say (issue 20).
			if !slices.Contains(o.Siblings, link.Child) {
				return "", invalid("offer "+id.String(), "child", "must be the child or a brother or sister offered with them")
			}
			child = link.Child
		}
		var err error
		if lrow, err = newLink(ctx, tx, offerTarget(id, child), link, t); err != nil {
			return "", err
		}
		if o.Status == catalogue.OfferProposed {
			o.Status, o.SentAt = catalogue.OfferSent, t
			for _, c := range moving(*o) {
				if err := s.setChildStatus(ctx, tx, c, o.Council, catalogue.ChildOffered, catalogue.ChildWaiting); err != nil {
					return "", err
				}
			}
			// The council's placement team is told, in this transaction (catalogue.NotificationStore).
			if err := s.enqueue(ctx, tx, catalogue.OfferNotification(catalogue.NotifyOfferSent, *o)); err != nil {
				return "", err
			}
		}
		return "send", nil
	})
	if err != nil {
		return catalogue.Offer{}, catalogue.ChildLink{}, err
	}
	return o, toLink(lrow), nil
}

// DecideOffer records the placement team's decision on an open offer whose version is given.
// Accepting a home fills one of its places for the child and for each brother or sister moving
// with them, and makes a support plan for each of them whose needs the home's carers are not
// all trained for, in the same transaction as the offer and the audit rows: when the home has
// no free place left the decision is ErrConflict and nothing changes. A decision that departs from the
// top-ranked option or from what the child said must give a reason (catalogue.Offer.CheckDecision).
// Declining sends the children back to waiting.
func (s *Store) DecideOffer(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, version int, d catalogue.Decision) (catalogue.Offer, error) {
	d.Reason = strings.TrimSpace(d.Reason)
	return s.changeOffer(ctx, sc, id, version, func(tx *gorm.DB, o *catalogue.Offer) (string, error) {
		what := "offer " + id.String()
		if !o.Status.Open() {
			return "", conflict("%s is %s: it has been decided or withdrawn", what, o.Status)
		}
		if err := o.CheckDecision(d.Accepted, d.Placement, d.Reason); err != nil {
			return "", validation(what, err)
		}
		d.By, d.At, d.Filled, d.SupportPlans = catalogue.ActorFrom(ctx).Token, s.now(), nil, nil
		fits := d.Fits
		d.Fits = nil
		if d.Accepted {
			if err := s.checkAgreed(tx, *o, what, d.Placement); err != nil {
				return "", err
			}
			if err := s.checkSignOffs(tx, *o, d.Placement); err != nil {
				return "", err
			}
			filled, err := s.fillPlaces(ctx, tx, d.Placement, moving(*o), o.Council, what, fits)
			if err != nil {
				return "", err
			}
			d.Filled = filled
			if d.SupportPlans, err = s.createSupportPlans(ctx, tx, *o, d.Placement, d.At); err != nil {
				return "", err
			}
			// The notices regulation 13 requires, made with the acceptance (catalogue.PlacementNoticeStore).
			if err := s.makeNotices(ctx, tx, *o, d.Placement); err != nil {
				return "", err
			}
			o.Status = catalogue.OfferAccepted
		} else {
			o.Status = catalogue.OfferDeclined
			for _, c := range moving(*o) {
				if err := s.setChildStatus(ctx, tx, c, o.Council, catalogue.ChildWaiting, catalogue.ChildOffered); err != nil {
					return "", err
				}
			}
		}
		o.Decision = &d
		if err := s.settleReferrals(ctx, tx, *o, d.Placement); err != nil {
			return "", err
		}
		return "decide", nil
	})
}

// fillPlaces fills one free place of the placement for each child, with conditional updates: a
// place is taken only while it is available (or held for that child). The placement's row is
// locked first (on PostgreSQL) so that acceptances of one home run one after the other. Then
// fits, when not nil, is asked about the home as it is (catalogue.Decision.Fits).
func (s *Store) fillPlaces(ctx context.Context, tx *gorm.DB, pid catalogue.PlacementID, children []catalogue.ChildID,
	council catalogue.CouncilCode, what string, fits func(catalogue.Placement) error) ([]catalogue.VacancyID, error) {
	p, err := lockPlacement(tx, catalogue.Everything, pid, what)
	if err != nil {
		return nil, err
	}
	if fits != nil {
		var row placementRow
		if err := tx.Where("id = ?", p.ID).Take(&row).Error; err != nil {
			return nil, dbError(err, what+": read placement")
		}
		pl, err := s.withVacancies(tx, catalogue.Everything, row)
		if err != nil {
			return nil, err
		}
		if err := fits(pl); err != nil {
			return nil, err
		}
	}
	if err := placementOpen(tx, p.ID, what); err != nil {
		return nil, err
	}
	var filled []catalogue.VacancyID
	for _, child := range children {
		// A child fills one place at most (the unique index says so too): a child who still
		// lives in another home must have that place ended first, by whoever keeps it.
		var elsewhere vacancyRow
		err := tx.Select("id", "placement_id").Where("child_id = ? AND status = ?", int64(child), string(catalogue.VacancyFilled)).
			Limit(1).Find(&elsewhere).Error
		if err != nil {
			return nil, dbError(err, what+": read places")
		}
		if elsewhere.ID != 0 {
			return nil, conflict("%s: child %d still fills place %d of placement %d; end that place first (PUT /v1/vacancies/%d)",
				what, int64(child), elsewhere.ID, elsewhere.PlacementID, elsewhere.ID)
		}
		got, err := s.claimPlace(ctx, tx, p.ID, child, catalogue.VacancyFilled, "(status = ? OR (status = ? AND child_id = ?))",
			[]any{string(catalogue.VacancyAvailable), string(catalogue.VacancyHeld), int64(child)}, council, what, "fill", "no free place left")
		if err != nil {
			return nil, err
		}
		filled = append(filled, got)
	}
	return filled, nil
}

// MarkPlaced records that the child (and the brothers and sisters with them) moved into the
// home of an accepted offer, on a.On: in the same transaction as the offer, each child's
// placement history gets the new placement (their first, or a move from the one they leave,
// ended with a.Reason and reviewed when it was not the care plan) and their status becomes
// placed.
func (s *Store) MarkPlaced(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, version int, a catalogue.Arrival) (catalogue.Offer, error) {
	if a.On.IsZero() {
		a.On = s.now()
	}
	a.On = catalogue.Day(a.On)
	return s.changeOffer(ctx, sc, id, version, func(tx *gorm.DB, o *catalogue.Offer) (string, error) {
		if o.Status != catalogue.OfferAccepted || o.Decision == nil {
			return "", conflict("offer %d is %s: only an accepted offer can be marked placed", int64(id), o.Status)
		}
		home := o.Decision.Placement
		o.Status, o.PlacedAt = catalogue.OfferPlaced, s.now()
		for _, c := range moving(*o) {
			cur, err := currentEpisode(tx, int64(c))
			if err != nil {
				return "", err
			}
			next := catalogue.Episode{Child: c, Start: a.On, Placement: home}
			if cur == nil {
				if _, err := s.startPlacementTx(ctx, tx, catalogue.Everything, next); err != nil {
					return "", err
				}
			} else {
				if a.Reason == "" {
					return "", invalid("offer "+id.String(), "reason",
						"is required: child %d leaves a placement; say why it ended (an SSDA903 reason such as %s)", int64(c), catalogue.ReasonCarePlan)
				}
				m := catalogue.Move{Child: c, On: a.On, Reason: a.Reason, Note: a.Note, Next: &next}
				if _, err := s.moveChildTx(ctx, tx, catalogue.Everything, m); err != nil {
					return "", err
				}
			}
			if err := s.setChildStatus(ctx, tx, c, o.Council, catalogue.ChildPlaced, catalogue.ChildWaiting, catalogue.ChildOffered); err != nil {
				return "", err
			}
		}
		if err := noticesPlaced(tx, id, a.On); err != nil {
			return "", err
		}
		// Time to settle: the back-up is asked to be held (catalogue.SettlingStore).
		if err := s.requestSettlingHold(ctx, tx, *o, a.On); err != nil {
			return "", err
		}
		return "placed", nil
	})
}

// WithdrawOffer withdraws an offer waiting for a decision, with a reason: its links and the
// child's sessions are revoked, and the children go back to waiting.
func (s *Store) WithdrawOffer(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, version int, reason string) (catalogue.Offer, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return catalogue.Offer{}, invalid("offer "+id.String(), "reason", "is required: say why the offer is withdrawn")
	}
	return s.changeOffer(ctx, sc, id, version, func(tx *gorm.DB, o *catalogue.Offer) (string, error) {
		if !o.Status.Open() {
			return "", conflict("offer %d is %s: only an offer waiting for a decision can be withdrawn", int64(id), o.Status)
		}
		o.Status, o.WithdrawnReason = catalogue.OfferWithdrawn, reason
		if err := revokeOfferAccess(tx, id, s.now()); err != nil {
			return "", err
		}
		if err := s.settleReferrals(ctx, tx, *o, 0); err != nil {
			return "", err
		}
		for _, c := range moving(*o) {
			if err := s.setChildStatus(ctx, tx, c, o.Council, catalogue.ChildWaiting, catalogue.ChildOffered); err != nil {
				return "", err
			}
		}
		if err := s.enqueue(ctx, tx, catalogue.OfferNotification(catalogue.NotifyOfferWithdrawn, *o)); err != nil {
			return "", err
		}
		return "withdraw", nil
	})
}

// ReplaceOption withdraws one option of an open offer, with a reason (the carers said no, the
// place went), and fills the gap: a withdrawn choice is replaced by the best back-up, and the
// replacement given (the next option of a new search, or nil) joins the offer as a choice when
// the child has fewer than two, or else as a back-up, ranked after the others. A preference the
// child gave for the withdrawn home is cleared, so that they can choose again.
func (s *Store) ReplaceOption(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, version int,
	placement catalogue.PlacementID, reason string, replacement *catalogue.Option) (catalogue.Offer, error) {
	reason = strings.TrimSpace(reason)
	what := "offer " + id.String()
	if reason == "" {
		return catalogue.Offer{}, invalid(what, "reason", "is required: say why the option is withdrawn")
	}
	return s.changeOffer(ctx, sc, id, version, func(tx *gorm.DB, o *catalogue.Offer) (string, error) {
		if !o.Status.Open() {
			return "", conflict("%s is %s: its options can change only before the decision", what, o.Status)
		}
		i := -1
		for j, op := range o.Options {
			if op.Placement == placement && !op.Withdrawn {
				i = j
			}
		}
		if i < 0 {
			return "", invalid(what, "placement", "is not an option of the offer still open")
		}
		wasChoice := o.Options[i].Role == catalogue.RoleChoice
		o.Options[i].Withdrawn, o.Options[i].WithdrawnReason = true, reason
		if wasChoice {
			if b := o.Backups(); len(b) > 0 {
				for j := range o.Options {
					if o.Options[j].Placement == b[0].Placement {
						o.Options[j].Role = catalogue.RoleChoice
					}
				}
			}
		}
		if replacement != nil {
			r := *replacement
			if _, dup := o.Option(r.Placement); dup {
				return "", invalid(what, "replacement", "is already an option of the offer")
			}
			var n int64
			if err := tx.Model(&placementRow{}).Where("id = ?", int64(r.Placement)).Count(&n).Error; err != nil {
				return "", dbError(err, what+": read placement")
			}
			if n == 0 {
				return "", invalid(what, "replacement.placement", "no such placement")
			}
			r.Role, r.Withdrawn, r.WithdrawnReason = catalogue.RoleBackup, false, ""
			if len(o.Choices()) < 2 {
				r.Role = catalogue.RoleChoice
			}
			r.Rank = 1
			for _, op := range o.Options {
				r.Rank = max(r.Rank, op.Rank+1)
			}
			o.Options = append(o.Options, r)
		}
		if o.Say.Preference == placement {
			o.Say.Preference = 0
			if o.Status == catalogue.OfferPreferenceGiven {
				o.Status = catalogue.OfferViewed
			}
		}
		return "replace_option", nil
	})
}

// placementOpen refuses (409) a placement closed or suspended: its places are taken by no one.
func placementOpen(tx *gorm.DB, id int64, what string) error {
	var active bool
	if err := tx.Model(&placementRow{}).Where("id = ?", id).Pluck("active", &active).Error; err != nil {
		return dbError(err, what+": read placement")
	}
	if !active {
		return conflict("%s: placement %d is closed or suspended", what, id)
	}
	return nil
}

// claimPlace gives the child one of the placement's places, as status to: the first by
// available_from that still meets takeable (a condition on the place, with its args) when the
// conditional update runs, so that two writers never take one place (the capacity rule), with
// its audit row. verb names the write in an error; none is the conflict's words when no place
// is left.
func (s *Store) claimPlace(ctx context.Context, tx *gorm.DB, pid int64, child catalogue.ChildID, to catalogue.VacancyStatus,
	takeable string, args []any, council catalogue.CouncilCode, what, verb, none string) (catalogue.VacancyID, error) {
	var ids []int64
	err := tx.Model(&vacancyRow{}).Where("placement_id = ?", pid).Where(takeable, args...).
		Order("available_from").Order("id").Pluck("id", &ids).Error
	if err != nil {
		return 0, dbError(err, what+": read places")
	}
	for _, vid := range ids {
		res := tx.Model(&vacancyRow{}).Where("id = ?", vid).Where(takeable, args...).
			Updates(map[string]any{"status": string(to), "child_id": int64(child),
				"version": gorm.Expr("version + 1"), "updated_at": s.now()})
		if res.Error != nil {
			return 0, vacancyWriteError(res.Error, what+": "+verb+" place")
		}
		if res.RowsAffected == 1 {
			if err := s.audit(ctx, tx, "update", vacancySubject(catalogue.VacancyID(vid)), council); err != nil {
				return 0, err
			}
			return catalogue.VacancyID(vid), nil
		}
	}
	return 0, conflict("%s: placement %d has %s", what, pid, none)
}
