package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Sign-offs and overrides of inadequate ratings (catalogue.SignOffStore). Who gives one is read
// from the actor's token in the writing transaction (its role and level), never taken from the
// caller; each is written with its audit row in one transaction, and a unique index makes a
// second of the same kind for the same home of an offer (or a second override for a child and a
// home) a conflict. Accepting an offer checks, in the accepting transaction, that every
// sign-off its home needs is given (checkSignOffs).

type signOffRow struct {
	ID          int64 `gorm:"primaryKey"`
	OfferID     int64
	PlacementID int64
	Council     string
	Kind        string
	Level       string
	Reason      string
	GivenBy     int64
	GivenRole   string
	GivenLevel  string
	GivenAt     time.Time `gorm:"autoCreateTime:false"`
}

func (signOffRow) TableName() string { return "sign_offs" }

func (r signOffRow) signOff() catalogue.SignOff {
	return catalogue.SignOff{
		ID: catalogue.SignOffID(r.ID), Offer: catalogue.OfferID(r.OfferID), Placement: catalogue.PlacementID(r.PlacementID),
		Kind: catalogue.SignOffKind(r.Kind), Level: catalogue.ManagerLevel(r.Level), Reason: r.Reason,
		By: catalogue.TokenID(r.GivenBy), ByRole: catalogue.Role(r.GivenRole), ByLevel: catalogue.ManagerLevel(r.GivenLevel),
		At: r.GivenAt.UTC(), Council: catalogue.CouncilCode(r.Council),
	}
}

type overrideRow struct {
	ID          int64 `gorm:"primaryKey"`
	ChildID     int64
	PlacementID int64
	Council     string
	Reason      string
	GivenBy     int64
	GivenLevel  string
	GivenAt     time.Time `gorm:"autoCreateTime:false"`
}

func (overrideRow) TableName() string { return "inadequate_overrides" }

func (r overrideRow) override() catalogue.InadequateOverride {
	return catalogue.InadequateOverride{
		ID: catalogue.OverrideID(r.ID), Child: catalogue.ChildID(r.ChildID), Council: catalogue.CouncilCode(r.Council),
		Placement: catalogue.PlacementID(r.PlacementID), Reason: r.Reason, By: catalogue.TokenID(r.GivenBy),
		ByLevel: catalogue.ManagerLevel(r.GivenLevel), At: r.GivenAt.UTC(),
	}
}

// asSignOff is an override as the inadequate_override sign-off of an offer's home.
func (r overrideRow) asSignOff(offer catalogue.OfferID) catalogue.SignOff {
	return catalogue.SignOff{
		Offer: offer, Placement: catalogue.PlacementID(r.PlacementID), Kind: catalogue.SignOffInadequate,
		Level: catalogue.SignOffInadequate.Level(), Reason: r.Reason, By: catalogue.TokenID(r.GivenBy),
		ByRole: catalogue.RoleManager, ByLevel: catalogue.ManagerLevel(r.GivenLevel), At: r.GivenAt.UTC(),
		Council: catalogue.CouncilCode(r.Council), Override: catalogue.OverrideID(r.ID),
	}
}

// giver reads the actor's token in tx and checks it may give a sign-off of kind k.
func giver(ctx context.Context, tx *gorm.DB, k catalogue.SignOffKind) (catalogue.Token, error) {
	a := catalogue.ActorFrom(ctx)
	var row tokenRow
	if a.Token != 0 {
		if err := tx.Where("id = ?", int64(a.Token)).Limit(1).Find(&row).Error; err != nil {
			return catalogue.Token{}, dbError(err, "read the giver's token")
		}
	}
	t := toToken(row)
	return t, catalogue.CheckGiver(t.Role, t.Level, k)
}

// waitingNeed reads, in tx, the open offer in scope (locked), checks that the actor may give or
// refuse a sign-off of kind and that its home placement needs one neither given nor refused,
// and returns the offer, the need and the actor's token: GiveSignOff's and RefuseSignOff's
// checks, in that order.
func (s *Store) waitingNeed(ctx context.Context, tx *gorm.DB, sc catalogue.Scope, id catalogue.OfferID, placement catalogue.PlacementID,
	kind catalogue.SignOffKind, what string) (catalogue.Offer, catalogue.SignOffNeed, catalogue.Token, error) {
	var none catalogue.SignOffNeed
	o, err := offerIn(forUpdate(tx), sc, id)
	if err != nil {
		return o, none, catalogue.Token{}, err
	}
	tok, err := giver(ctx, tx, kind)
	if err != nil {
		return o, none, tok, err
	}
	if !o.Status.Open() {
		return o, none, tok, conflict("offer %d is %s: sign-offs are given or refused before the decision", int64(id), o.Status)
	}
	needs, err := s.needsOf(tx, o)
	if err != nil {
		return o, none, tok, err
	}
	if _, open := needs[placement]; !open {
		return o, none, tok, invalid(what, "placement", "must be a home of the offer not withdrawn")
	}
	i := slices.IndexFunc(needs[placement], func(n catalogue.SignOffNeed) bool { return n.Kind == kind })
	if i < 0 {
		return o, none, tok, invalid(what, "kind", "placement %d of the offer does not need a %s sign-off", int64(placement), kind)
	}
	for _, t := range []struct {
		table, state string
	}{{"sign_offs", "given"}, {"sign_off_refusals", "refused"}} {
		var n int64
		if err := tx.Table(t.table).Where("offer_id = ? AND placement_id = ? AND kind = ?", int64(id), int64(placement), string(kind)).
			Count(&n).Error; err != nil {
			return o, none, tok, dbError(err, what)
		}
		if n > 0 {
			return o, none, tok, &catalogue.Error{Kind: catalogue.KindConflict,
				Msg:    fmt.Sprintf("offer %d: the %s sign-off for placement %d is %s already", int64(id), kind, int64(placement), t.state),
				Fields: []catalogue.FieldError{{Field: "kind", Message: fmt.Sprintf("the %s sign-off is %s already", kind, t.state)}}}
		}
	}
	return o, needs[placement][i], tok, nil
}

// checkSignOffInput checks the kind and reason of a sign-off given or refused, before any
// transaction.
func checkSignOffInput(what string, kind catalogue.SignOffKind, reason string) error {
	switch {
	case !kind.Valid():
		return invalid(what, "kind", "must be one of %v", catalogue.SignOffKinds)
	case kind == catalogue.SignOffInadequate:
		return invalid(what, "kind", "an inadequate rating is overridden for the child by the director: POST /v1/children/{id}/inadequate-overrides")
	}
	return validation(what, catalogue.CheckSignOffReason("reason", reason))
}

// answerNeed records a manager's answer (state: given or refused) to a sign-off one home of an
// open offer needs: it checks the kind and reason, then in one transaction the offer, the manager
// and the need (waitingNeed), and writes the row made by row and an audit row of action:KIND. A
// second answer of the same kind for the same home is a conflict, as waitingNeed finds it or
// the unique index does.
func (s *Store) answerNeed(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, placement catalogue.PlacementID,
	kind catalogue.SignOffKind, reason, state, action string, row func(catalogue.Offer, catalogue.SignOffNeed, catalogue.Token) any) error {
	what := state + " sign-off of offer " + id.String()
	if err := checkSignOffInput(what, kind, reason); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		o, need, tok, err := s.waitingNeed(ctx, tx, sc, id, placement, kind, what)
		if err != nil {
			return err
		}
		if err := tx.Create(row(o, need, tok)).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return conflict("offer %d: the %s sign-off for placement %d is %s already", int64(id), kind, int64(placement), state)
			}
			return dbError(err, what)
		}
		return s.audit(ctx, tx, action+":"+string(kind), offerSubject(id), o.Council)
	})
}

// GiveSignOff records a manager's sign-off for one home of an open offer in scope.
func (s *Store) GiveSignOff(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, placement catalogue.PlacementID,
	kind catalogue.SignOffKind, reason string) (catalogue.SignOff, error) {
	var row signOffRow
	err := s.answerNeed(ctx, sc, id, placement, kind, reason, "given", "sign_off", func(o catalogue.Offer, need catalogue.SignOffNeed, tok catalogue.Token) any {
		row = signOffRow{OfferID: int64(id), PlacementID: int64(placement), Council: string(o.Council), Kind: string(kind),
			Level: string(need.Level), Reason: strings.TrimSpace(reason), GivenBy: int64(tok.ID), GivenRole: string(tok.Role),
			GivenLevel: string(tok.Level), GivenAt: s.now()}
		return &row
	})
	if err != nil {
		return catalogue.SignOff{}, err
	}
	return row.signOff(), nil
}

// SignOffs lists the sign-offs of an offer in scope, with its child's overrides for its homes.
func (s *Store) SignOffs(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID) ([]catalogue.SignOff, error) {
	db := s.db.WithContext(ctx)
	o, err := offerIn(db, sc, id)
	if err != nil {
		return nil, err
	}
	return givenFor(db, o)
}

// offerIn reads one offer in scope through db.
func offerIn(db *gorm.DB, sc catalogue.Scope, id catalogue.OfferID) (catalogue.Offer, error) {
	var cur offerRow
	if err := councilScope(db, sc).Where("id = ?", int64(id)).Take(&cur).Error; err != nil {
		return catalogue.Offer{}, dbError(err, "offer "+id.String())
	}
	return toOffer(cur)
}

// givenFor reads what is given for an offer through db: its sign-offs, then its child's
// overrides for its homes, each oldest first.
func givenFor(db *gorm.DB, o catalogue.Offer) ([]catalogue.SignOff, error) {
	var rows []signOffRow
	if err := db.Where("offer_id = ?", int64(o.ID)).Order("id").Find(&rows).Error; err != nil {
		return nil, dbError(err, "read sign-offs")
	}
	out := make([]catalogue.SignOff, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.signOff())
	}
	homes := make([]int64, 0, len(o.Options))
	for _, op := range o.Options {
		homes = append(homes, int64(op.Placement))
	}
	var ors []overrideRow
	if err := db.Where("child_id = ? AND placement_id IN ?", int64(o.Child), homes).Order("id").Find(&ors).Error; err != nil {
		return nil, dbError(err, "read overrides")
	}
	for _, r := range ors {
		out = append(out, r.asSignOff(o.ID))
	}
	return out, nil
}

// SignOffsNeeded returns what each open home of an offer in scope needs.
func (s *Store) SignOffsNeeded(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID) (map[catalogue.PlacementID][]catalogue.SignOffNeed, error) {
	db := s.db.WithContext(ctx)
	o, err := offerIn(db, sc, id)
	if err != nil {
		return nil, err
	}
	return s.needsOf(db, o)
}

// needsOf works out, through db, what each home of the offer not withdrawn needs: the children
// moving, each home and the policy in force for the child's council as stored, on the store's
// clock's day. Every home of the offer has an entry, empty when it needs nothing.
func (s *Store) needsOf(db *gorm.DB, o catalogue.Offer) (map[catalogue.PlacementID][]catalogue.SignOffNeed, error) {
	children, err := childrenInOrder(db, moving(o)) // the child first, as the offer names them
	if err != nil {
		return nil, err
	}
	pol, err := readPolicy(db, o.Council)
	if err != nil {
		return nil, err
	}
	var homes []int64
	for _, op := range o.Options {
		if !op.Withdrawn {
			homes = append(homes, int64(op.Placement))
		}
	}
	var prows []placementRow
	if err := db.Where("id IN ?", homes).Find(&prows).Error; err != nil {
		return nil, dbError(err, "read the homes of offer "+o.ID.String())
	}
	out := make(map[catalogue.PlacementID][]catalogue.SignOffNeed, len(prows))
	for _, r := range prows {
		pl, err := toPlacement(r, nil)
		if err != nil {
			return nil, err
		}
		out[pl.ID] = catalogue.SignOffsNeeded(catalogue.SignOffCase{Children: children, Placement: pl, Policy: pol.Policy, Today: s.now()})
	}
	return out, nil
}

// checkSignOffs is accepting's check, in the accepting transaction: every sign-off accepting
// the offer's home placement needs is given, or ErrConflict naming sign_offs, saying which are
// missing and who may give them.
func (s *Store) checkSignOffs(tx *gorm.DB, o catalogue.Offer, placement catalogue.PlacementID) error {
	needs, err := s.needsOf(tx, o)
	if err != nil {
		return err
	}
	given, err := givenFor(tx, o)
	if err != nil {
		return err
	}
	refused, err := refusalsFor(tx, o.ID)
	if err != nil {
		return err
	}
	refused = slices.DeleteFunc(refused, func(r catalogue.SignOffRefusal) bool { return r.Placement != placement })
	if no := catalogue.Refused(needs[placement], refused); len(no) > 0 {
		parts := make([]string, len(no))
		for i, n := range no {
			parts[i] = string(n.Kind)
		}
		msg := fmt.Sprintf("placement %d cannot be accepted on this offer: its sign-off was refused (%s)", int64(placement), strings.Join(parts, ", "))
		return &catalogue.Error{Kind: catalogue.KindConflict, Msg: "offer " + o.ID.String() + ": " + msg,
			Fields: []catalogue.FieldError{{Field: "sign_offs", Message: msg}}}
	}
	given = slices.DeleteFunc(given, func(g catalogue.SignOff) bool { return g.Placement != placement })
	missing := catalogue.Missing(needs[placement], given)
	if len(missing) == 0 {
		return nil
	}
	parts := make([]string, len(missing))
	for i, m := range missing {
		parts[i] = fmt.Sprintf("%s (%s or above)", m.Kind, m.Level.Words())
	}
	msg := fmt.Sprintf("placement %d cannot be accepted until it is signed off: %s", int64(placement), strings.Join(parts, ", "))
	return &catalogue.Error{Kind: catalogue.KindConflict, Msg: "offer " + o.ID.String() + ": " + msg,
		Fields: []catalogue.FieldError{{Field: "sign_offs", Message: msg}}}
}

// OverrideInadequate records the director's override of a home's inadequate rating for one
// child in scope.
func (s *Store) OverrideInadequate(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID, placement catalogue.PlacementID,
	reason string) (catalogue.InadequateOverride, error) {
	what := "override for child " + child.String()
	if err := catalogue.CheckSignOffReason("reason", reason); err != nil {
		return catalogue.InadequateOverride{}, validation(what, err)
	}
	var out catalogue.InadequateOverride
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var ch childRow
		if err := councilScope(tx, sc).Where("id = ?", int64(child)).Take(&ch).Error; err != nil {
			return dbError(err, "child "+child.String())
		}
		tok, err := giver(ctx, tx, catalogue.SignOffInadequate)
		if err != nil {
			return err
		}
		var pl placementRow
		if placement <= 0 {
			return invalid(what, "placement", "must be a placement ID")
		}
		if err := tx.Where("id = ?", int64(placement)).Limit(1).Find(&pl).Error; err != nil {
			return dbError(err, what+": read placement")
		}
		if pl.ID == 0 {
			return invalid(what, "placement", "no such placement")
		}
		if catalogue.OfstedGrade(pl.Ofsted) != catalogue.OfstedInadequate && catalogue.SupportedOutcome(pl.OfstedOutcome) != catalogue.OutcomeSerious {
			return invalid(what, "placement", "is not rated inadequate (nor, for supported accommodation, found to have serious or widespread weaknesses): there is nothing to override")
		}
		row := overrideRow{ChildID: int64(child), PlacementID: int64(placement), Council: ch.Council, Reason: strings.TrimSpace(reason),
			GivenBy: int64(tok.ID), GivenLevel: string(tok.Level), GivenAt: s.now()}
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return conflict("child %d: placement %d's inadequate rating is overridden already", int64(child), int64(placement))
			}
			return dbError(err, what)
		}
		out = row.override()
		return s.audit(ctx, tx, "override_inadequate", childSubject(child), catalogue.CouncilCode(ch.Council))
	})
	return out, err
}

// InadequateOverrides lists the overrides for a child in scope.
func (s *Store) InadequateOverrides(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID) ([]catalogue.InadequateOverride, error) {
	return s.readOverrides(ctx, sc, child) // hotreads.go: on the path of every options request
}

// OverridesOf lists the overrides of many children at once (catalogue.SignOffStore).
func (s *Store) OverridesOf(ctx context.Context, children []catalogue.ChildID) (map[catalogue.ChildID][]catalogue.InadequateOverride, error) {
	out := map[catalogue.ChildID][]catalogue.InadequateOverride{}
	if len(children) == 0 {
		return out, nil
	}
	cond, ids := s.oneOf("child_id", int64s(children))
	var rows []overrideRow
	if err := s.db.WithContext(ctx).Where(cond, ids).Order("child_id").Order("id").Find(&rows).Error; err != nil {
		return nil, dbError(err, "read the children's overrides")
	}
	for _, r := range rows {
		out[catalogue.ChildID(r.ChildID)] = append(out[catalogue.ChildID(r.ChildID)], r.override())
	}
	return out, nil
}
