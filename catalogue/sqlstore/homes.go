package sqlstore

import (
	"context"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// HomesOf returns where each of the children lives now: the location of the placement whose
// place they fill. Children who fill no place of the catalogue are left out. It reads every
// scope (what the matcher needs to weigh brothers and sisters apart; nothing of it is shown), in
// one query however many children are asked about.
func (s *Store) HomesOf(ctx context.Context, children []catalogue.ChildID) (map[catalogue.ChildID]catalogue.Location, error) {
	out := make(map[catalogue.ChildID]catalogue.Location, len(children))
	if len(children) == 0 {
		return out, nil
	}
	var rows []struct {
		ChildID  int64
		Lat, Lng float64
	}
	cond, ids := s.oneOf("v.child_id", int64s(children))
	err := s.db.WithContext(ctx).Table("vacancies AS v").Joins("JOIN placements AS p ON p.id = v.placement_id").
		Select("v.child_id AS child_id, p.lat AS lat, p.lng AS lng").
		Where("v.status = ?", string(catalogue.VacancyFilled)).Where(cond, ids).Order("v.id").Scan(&rows).Error
	if err != nil {
		return nil, dbError(err, "read where the children live")
	}
	for _, r := range rows {
		out[catalogue.ChildID(r.ChildID)] = catalogue.Location{Lat: r.Lat, Lng: r.Lng}
	}
	return out, nil
}

// EpisodesOf returns the placement histories of the children, each in order of start (the
// order History gives), in one query however many are asked about: what the request of a child
// looking for a home needs to count their moves in the last 12 months. It reads every scope;
// nothing of it is shown. It is on the path of every options search, so it joins each episode to
// its child's council rather than reading the councils apart.
func (s *Store) EpisodesOf(ctx context.Context, children []catalogue.ChildID) (map[catalogue.ChildID][]catalogue.Episode, error) {
	out := make(map[catalogue.ChildID][]catalogue.Episode, len(children))
	if len(children) == 0 {
		return out, nil
	}
	var rows []episodeOfChild
	q := s.db.WithContext(ctx).Table("placement_episodes AS e").Joins("JOIN children AS c ON c.id = e.child_id").
		Select("e.*, c.council AS council")
	if len(children) == 1 {
		q = q.Where("e.child_id = ?", int64(children[0]))
	} else {
		cond, ids := s.oneOf("e.child_id", int64s(children))
		q = q.Where(cond, ids)
	}
	if err := q.Order("e.child_id").Order("e.start_date").Order("e.id").Scan(&rows).Error; err != nil {
		return nil, dbError(err, "read the children's placement histories")
	}
	for _, r := range rows {
		id := catalogue.ChildID(r.ChildID)
		e := episodeRow{ID: r.ID, ChildID: r.ChildID, StartDate: r.StartDate, EndDate: r.EndDate, Reason: r.Reason, Setting: r.Setting,
			PlacementID: r.PlacementID, ProviderID: r.ProviderID, PlacedIn: r.PlacedIn, DistanceKm: r.DistanceKm,
			ChangedSchool: r.ChangedSchool, StayingPut: r.StayingPut, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
			StayingPutAgreedOn: r.StayingPutAgreedOn, Version: r.Version}
		out[id] = append(out[id], toEpisode(e, r.Council))
	}
	return out, nil
}

// episodeOfChild is an episode's row with its child's council, as EpisodesOf reads them.
type episodeOfChild struct {
	ID            int64
	ChildID       int64
	StartDate     time.Time
	EndDate       *time.Time
	Reason        string
	Setting       string
	PlacementID   *int64
	ProviderID    *int64
	PlacedIn      string
	DistanceKm    float64
	ChangedSchool bool
	StayingPut    string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Council       string
	// Migration 00027.
	StayingPutAgreedOn *time.Time
	Version            int
}
