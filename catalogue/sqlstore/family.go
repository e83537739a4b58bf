package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Children's family networks (catalogue.FamilyStore, migration 00024): each write is audited on
// the child's record, in the transaction that writes it; a member who passed becomes a kinship
// placement, with its places, in one transaction.

type networkRow struct {
	ID            int64 `gorm:"primaryKey"`
	ChildID       int64
	Council       string
	Name          string
	Relationship  string
	NamedBy       string
	Lat, Lng      float64
	AssessmentDue time.Time
	Outcome       string
	OutcomeOn     *time.Time
	OutcomeReason string
	PlacementID   *int64
	Caring        string // migration 00027: how they care for the child outside care
	Version       int
	CreatedAt     time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt     time.Time `gorm:"autoUpdateTime:false"`
}

func (networkRow) TableName() string { return "family_network" }

// fromNetworkMember is the row of a network member, where they live coarse
// (catalogue.NetworkMember.Coarsened): every write of a member goes through it.
func fromNetworkMember(m catalogue.NetworkMember) networkRow {
	m = m.Coarsened()
	r := networkRow{ID: int64(m.ID), ChildID: int64(m.Child), Council: string(m.Council), Name: strings.TrimSpace(m.Name),
		Relationship: string(m.Relationship), NamedBy: string(m.NamedBy), Lat: m.Location.Lat, Lng: m.Location.Lng,
		AssessmentDue: catalogue.Day(m.AssessmentDue), Outcome: string(m.Outcome), OutcomeReason: m.OutcomeReason,
		Caring: string(m.Caring), Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
	if !m.OutcomeOn.IsZero() {
		d := catalogue.Day(m.OutcomeOn)
		r.OutcomeOn = &d
	}
	if m.Placement != 0 {
		p := int64(m.Placement)
		r.PlacementID = &p
	}
	return r
}

func (r networkRow) member() catalogue.NetworkMember {
	m := catalogue.NetworkMember{ID: catalogue.NetworkMemberID(r.ID), Child: catalogue.ChildID(r.ChildID),
		Council: catalogue.CouncilCode(r.Council), Name: r.Name, Relationship: catalogue.Relationship(r.Relationship),
		NamedBy: catalogue.NamedBy(r.NamedBy), Location: catalogue.Location{Lat: r.Lat, Lng: r.Lng},
		AssessmentDue: catalogue.Day(r.AssessmentDue), Outcome: catalogue.Viability(r.Outcome), OutcomeReason: r.OutcomeReason,
		Caring: catalogue.Caring(r.Caring), Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.OutcomeOn != nil {
		m.OutcomeOn = catalogue.Day(*r.OutcomeOn)
	}
	if r.PlacementID != nil {
		m.Placement = catalogue.PlacementID(*r.PlacementID)
	}
	return m
}

// networkChild reads (and on PostgreSQL locks) a child in scope for a write to their network.
func networkChild(tx *gorm.DB, sc catalogue.Scope, id catalogue.ChildID) (childRow, error) {
	var row childRow
	if err := councilScope(forUpdate(tx), sc).Where("id = ?", int64(id)).Take(&row).Error; err != nil {
		return childRow{}, dbError(err, "child "+id.String())
	}
	return row, nil
}

// AddNetworkMember adds a person to a child's family network.
func (s *Store) AddNetworkMember(ctx context.Context, sc catalogue.Scope, m catalogue.NetworkMember) (catalogue.NetworkMember, error) {
	if err := m.Validate(); err != nil {
		return catalogue.NetworkMember{}, validation("family network", err)
	}
	if m.Placement != 0 {
		return catalogue.NetworkMember{}, invalid("family network", "placement", "is made by placing the child with them")
	}
	var out catalogue.NetworkMember
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		ch, err := networkChild(tx, sc, m.Child)
		if err != nil {
			return err
		}
		t := s.now()
		m.ID, m.Council, m.Version, m.CreatedAt, m.UpdatedAt = 0, catalogue.CouncilCode(ch.Council), 1, t, t
		row := fromNetworkMember(m)
		if err := tx.Create(&row).Error; err != nil {
			return dbError(err, "create family network member")
		}
		out = row.member()
		return s.audit(ctx, tx, "family_network:add", childSubject(m.Child), m.Council)
	})
	return out, err
}

// NetworkMember returns one member of a network in scope.
func (s *Store) NetworkMember(ctx context.Context, sc catalogue.Scope, id catalogue.NetworkMemberID) (catalogue.NetworkMember, error) {
	var row networkRow
	if err := councilScope(s.db.WithContext(ctx), sc).Where("id = ?", int64(id)).Take(&row).Error; err != nil {
		return catalogue.NetworkMember{}, dbError(err, "family network member "+id.String())
	}
	return row.member(), nil
}

// lockMember reads and locks a member in scope at version.
func lockMember(tx *gorm.DB, sc catalogue.Scope, id catalogue.NetworkMemberID, version int) (networkRow, error) {
	var row networkRow
	if err := councilScope(forUpdate(tx), sc).Where("id = ?", int64(id)).Take(&row).Error; err != nil {
		return networkRow{}, dbError(err, "family network member "+id.String())
	}
	if row.Version != version {
		return networkRow{}, conflict("family network member %d has changed (version %d, not %d): read it again", int64(id), row.Version, version)
	}
	return row, nil
}

// UpdateNetworkMember replaces a member's record at its version.
func (s *Store) UpdateNetworkMember(ctx context.Context, sc catalogue.Scope, m catalogue.NetworkMember) (catalogue.NetworkMember, error) {
	var out catalogue.NetworkMember
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		old, err := lockMember(tx, sc, m.ID, m.Version)
		if err != nil {
			return err
		}
		prev := old.member()
		m.Child, m.Council, m.Placement, m.CreatedAt = prev.Child, prev.Council, prev.Placement, prev.CreatedAt
		if err := m.Validate(); err != nil {
			return validation("family network", err)
		}
		if prev.Placement != 0 && m.Outcome != prev.Outcome {
			return conflict("family network member %d cares for the child already (placement %d): their outcome stands", int64(m.ID), int64(prev.Placement))
		}
		m.Version, m.UpdatedAt = prev.Version+1, s.now()
		row := fromNetworkMember(m)
		if err := tx.Save(&row).Error; err != nil {
			return dbError(err, "update family network member")
		}
		out = row.member()
		return s.audit(ctx, tx, "family_network:update", childSubject(m.Child), m.Council)
	})
	return out, err
}

// FamilyNetwork lists the network of a child in scope.
func (s *Store) FamilyNetwork(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID) ([]catalogue.NetworkMember, error) {
	db := s.db.WithContext(ctx)
	if _, err := s.Child(ctx, sc, child); err != nil {
		return nil, err
	}
	var rows []networkRow
	if err := db.Where("child_id = ?", int64(child)).Order("id").Find(&rows).Error; err != nil {
		return nil, dbError(err, "family network of child "+child.String())
	}
	out := make([]catalogue.NetworkMember, len(rows))
	for i, r := range rows {
		out[i] = r.member()
	}
	return out, nil
}

// PlaceWithConnectedPerson stores the kinship home of a member who passed, with its places,
// and links the member to it.
func (s *Store) PlaceWithConnectedPerson(ctx context.Context, sc catalogue.Scope, id catalogue.NetworkMemberID, version int,
	pl catalogue.Placement) (catalogue.NetworkMember, catalogue.Placement, error) {
	if err := pl.Validate(); err != nil {
		return catalogue.NetworkMember{}, catalogue.Placement{}, validation("placement", err)
	}
	var member catalogue.NetworkMember
	var placementID int64
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		old, err := lockMember(tx, sc, id, version)
		if err != nil {
			return err
		}
		m := old.member()
		switch {
		case m.Outcome != catalogue.ViabilityPassed:
			return conflict("family network member %d has not passed their viability assessment (%s)", int64(id), m.Outcome)
		case m.Placement != 0:
			return conflict("family network member %d is placement %d already", int64(id), int64(m.Placement))
		}
		if err := s.checkPlacementRefs(tx, catalogue.Scope{}, pl, "placement"); err != nil {
			return err
		}
		t := s.now()
		pl.ID, pl.Version, pl.CreatedAt, pl.UpdatedAt = 0, 1, t, t
		pl.ProfileReview = wroteProfile(ctx)
		places := pl.Vacancies
		pl.Vacancies = nil
		row, err := fromPlacement(pl)
		if err != nil {
			return fmt.Errorf("placement: %w", err)
		}
		if err := tx.Create(&row).Error; err != nil {
			return dbError(err, "create placement")
		}
		placementID = row.ID
		if err := s.audit(ctx, tx, "create", placementSubject(catalogue.PlacementID(row.ID)), pl.Council); err != nil {
			return err
		}
		for _, v := range places {
			v.Placement, v.Version, v.CreatedAt, v.UpdatedAt = catalogue.PlacementID(row.ID), 1, t, t
			vr := fromVacancy(v)
			if err := tx.Create(&vr).Error; err != nil {
				return vacancyWriteError(err, "create vacancy")
			}
		}
		// The child comes into care with them: an arrangement outside care ends here.
		m.Placement, m.Caring, m.Version, m.UpdatedAt = catalogue.PlacementID(row.ID), catalogue.CaringNone, m.Version+1, t
		mr := fromNetworkMember(m)
		if err := tx.Save(&mr).Error; err != nil {
			return dbError(err, "update family network member")
		}
		member = mr.member()
		return s.audit(ctx, tx, "family_network:placed", childSubject(m.Child), m.Council)
	})
	if err != nil {
		return catalogue.NetworkMember{}, catalogue.Placement{}, err
	}
	out, err := s.Placement(ctx, catalogue.Scope{}, catalogue.PlacementID(placementID))
	return member, out, err
}
