package sqlstore

import (
	"context"

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
	err := s.readEpisodes(ctx, children, func(r episodeRow, council string) { // hotreads.go
		id := catalogue.ChildID(r.ChildID)
		out[id] = append(out[id], toEpisode(r, council))
	})
	if err != nil {
		return nil, dbError(err, "read the children's placement histories")
	}
	return out, nil
}
