package sqlstore

import (
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// unregisteredLiving counts, of the children kids (with their placement histories), those in
// care living on day in a setting that must be registered with Ofsted and is not
// (catalogue.Placement.IsRegistered): by their placement going on that day, or a place held or
// filled for them there, as an import records a child already living in a setting it flags.
// A closed child's record is not counted.
func (s *Store) unregisteredLiving(db *gorm.DB, kids []childInfo, byChild map[int64][]catalogue.Episode, on time.Time) (int, error) {
	var settings []int64
	err := db.Session(&gorm.Session{NewDB: true}).Model(&placementRow{}).
		Where("kind IN ?", []string{string(catalogue.ChildrensHome), string(catalogue.SupportedAccommodation)}).
		Where("registration <> ? OR urn = ''", string(catalogue.Registered)).Pluck("id", &settings).Error
	if err != nil {
		return 0, dbError(err, "stability: read unregistered settings")
	}
	if len(settings) == 0 {
		return 0, nil
	}
	unregistered := make(map[int64]bool, len(settings))
	for _, id := range settings {
		unregistered[id] = true
	}
	cond, ids := s.oneOf("placement_id", settings)
	var places []vacancyRow
	err = db.Session(&gorm.Session{NewDB: true}).Model(&vacancyRow{}).Select("placement_id", "child_id").Where(cond, ids).
		Where("status IN ?", []string{string(catalogue.VacancyHeld), string(catalogue.VacancyFilled)}).Where("child_id IS NOT NULL").
		Find(&places).Error
	if err != nil {
		return 0, dbError(err, "stability: read the places of unregistered settings")
	}
	held := make(map[int64]bool, len(places))
	for _, v := range places {
		held[*v.ChildID] = true
	}
	day := catalogue.Day(on)
	n := 0
	for _, k := range kids {
		if catalogue.ChildStatus(k.Status) == catalogue.ChildClosed {
			continue
		}
		living := held[k.ID]
		for _, e := range byChild[k.ID] {
			going := !e.Start.After(day) && (e.End.IsZero() || e.End.After(day))
			living = living || (going && unregistered[int64(e.Placement)])
		}
		if living {
			n++
		}
	}
	return n, nil
}
