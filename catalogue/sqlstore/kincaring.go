package sqlstore

import (
	"cmp"
	"context"
	"slices"

	"github.com/placematch/placematch/catalogue"
)

// KinCaring counts every council's children cared for by kin outside care (catalogue.FamilyStore):
// the network members recorded as caring (migration 00027), each child once.
func (s *Store) KinCaring(ctx context.Context) ([]catalogue.KinCaringCount, error) {
	var rows []networkRow
	err := s.db.WithContext(ctx).Model(&networkRow{}).Select("child_id", "council", "caring").
		Where("caring <> ''").Order("child_id").Find(&rows).Error
	if err != nil {
		return nil, dbError(err, "children cared for by kin outside care")
	}
	type child struct {
		council catalogue.CouncilCode
		ways    []catalogue.Caring
	}
	byChild := map[int64]*child{}
	for _, r := range rows {
		c := byChild[r.ChildID]
		if c == nil {
			c = &child{council: catalogue.CouncilCode(r.Council)}
			byChild[r.ChildID] = c
		}
		c.ways = append(c.ways, catalogue.Caring(r.Caring))
	}
	type key struct {
		council catalogue.CouncilCode
		caring  catalogue.Caring
	}
	counts := map[key]int{}
	for _, c := range byChild {
		counts[key{c.council, catalogue.KinCaringOf(c.ways)}]++
	}
	out := make([]catalogue.KinCaringCount, 0, len(counts))
	for k, n := range counts {
		out = append(out, catalogue.KinCaringCount{Council: k.council, Caring: k.caring, Children: n})
	}
	slices.SortFunc(out, func(a, b catalogue.KinCaringCount) int {
		return cmp.Or(cmp.Compare(a.Council, b.Council),
			cmp.Compare(slices.Index(catalogue.Carings, a.Caring), slices.Index(catalogue.Carings, b.Caring)))
	})
	return out, nil
}
