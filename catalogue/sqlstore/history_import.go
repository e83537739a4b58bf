package sqlstore

import (
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// historyKeys are the batch-local keys of a batch's episodes and its references to stored
// placements and providers.
type historyKeys struct {
	episodes   map[catalogue.EpisodeID]int
	placements map[catalogue.PlacementID][]refUse
	providers  map[catalogue.ProviderID][]refUse
}

// standInCouncil stands in for the council of an episode whose child is not found, so that
// Validate reports only the real fault.
const standInCouncil = catalogue.CouncilCode("E06000001")

// checkHistoryBatch validates the histories of a batch without reading the database: every
// episode is of a child of the batch, its keys name records of the batch, a child's episodes
// do not overlap and only the last may be going on; reviews and check-ins name episodes of the
// batch.
func checkHistoryBatch(b catalogue.Batch, keys batchKeys, issues *batchIssues) historyKeys {
	h := historyKeys{
		episodes:   collectKeys(issues, "episodes", len(b.Episodes), func(i int) catalogue.EpisodeID { return b.Episodes[i].ID }),
		placements: map[catalogue.PlacementID][]refUse{},
		providers:  map[catalogue.ProviderID][]refUse{},
	}
	byChild := map[catalogue.ChildID][]int{}
	for i, e := range b.Episodes {
		check := e
		check.Council = standInCouncil
		j, ok := keys.children[e.Child]
		switch {
		case e.Child >= 0:
			issues.add("episodes", i, "child", "must be the key of a child of this batch: histories are imported with their children")
		case !ok:
			issues.add("episodes", i, "child", "key %d names no child of this batch", e.Child)
		default:
			check.Council = b.Children[j].Council
			byChild[e.Child] = append(byChild[e.Child], i)
			if e.Council != "" && e.Council != check.Council {
				issues.add("episodes", i, "council", "must be the child's council, or left out")
			}
		}
		check.Child = 1
		switch {
		case e.Placement < 0:
			if _, ok := keys.placements[e.Placement]; !ok {
				issues.add("episodes", i, "placement", "key %d names no placement of this batch", e.Placement)
			}
			check.Placement = 1
		case e.Placement > 0:
			addRef(h.placements, e.Placement, refUse{coll: "episodes", i: i, field: "placement"})
		}
		switch {
		case e.Provider < 0:
			if _, ok := keys.providers[e.Provider]; !ok {
				issues.add("episodes", i, "provider", "key %d names no provider of this batch", e.Provider)
			}
			check.Provider = 1
		case e.Provider > 0:
			addRef(h.providers, e.Provider, refUse{coll: "episodes", i: i, field: "provider"})
		}
		issues.record("episodes", i, "", check.Validate())
	}
	for _, idx := range byChild {
		slices.SortStableFunc(idx, func(a, c int) int { return b.Episodes[a].Start.Compare(b.Episodes[c].Start) })
		for k := 1; k < len(idx); k++ {
			prev, cur := b.Episodes[idx[k-1]], b.Episodes[idx[k]]
			switch {
			case prev.End.IsZero():
				issues.add("episodes", idx[k-1], "end", "is required: the child's next placement (episodes[%d]) begins on %s",
					idx[k], cur.Start.Format("2006-01-02"))
			case cur.Start.Before(prev.End):
				issues.add("episodes", idx[k], "start", "overlaps episodes[%d], which ends on %s", idx[k-1], prev.End.Format("2006-01-02"))
			}
		}
	}

	episodeOf := func(coll string, i int, field string, key catalogue.EpisodeID) (catalogue.Episode, bool) {
		j, ok := h.episodes[key]
		if key >= 0 || !ok {
			issues.add(coll, i, field, "must be the key of an episode of this batch")
			return catalogue.Episode{}, false
		}
		return b.Episodes[j], true
	}
	for i, r := range b.MoveReviews {
		e, ok := episodeOf("move_reviews", i, "episode", r.Episode)
		if r.ID > 0 {
			issues.add("move_reviews", i, "id", "must be 0: an import only adds new records")
		}
		check := r
		// Stand-ins, so that Validate reports only the review's own faults.
		check.Child, check.Episode, check.Reason, check.MovedOn = 1, 1, catalogue.ReasonOther, e.Start
		if !ok {
			check.MovedOn = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		if ok {
			check.Reason, check.MovedOn = e.Reason, e.End
			if e.End.IsZero() {
				issues.add("move_reviews", i, "episode", "names a placement that has not ended")
				check.MovedOn = e.Start
			}
			if r.Child != 0 && r.Child != e.Child {
				issues.add("move_reviews", i, "child", "must be the child of the episode, or left out")
			}
		}
		if r.Next != 0 {
			if n, ok2 := episodeOf("move_reviews", i, "next", r.Next); ok && ok2 && (n.Child != e.Child || !n.Start.Equal(e.End)) {
				issues.add("move_reviews", i, "next", "must be the same child's episode that began when the ended one did")
			}
			check.Next = 0
		}
		issues.record("move_reviews", i, "", check.Validate())
	}
	for i, c := range b.CheckIns {
		episodeOf("check_ins", i, "episode", c.Episode)
		if c.ID > 0 {
			issues.add("check_ins", i, "id", "must be 0: an import only adds new records")
		}
		if c.At.IsZero() {
			issues.add("check_ins", i, "at", "is required")
		}
		check := c
		check.Child = 1
		issues.record("check_ins", i, "", check.Validate())
	}
	return h
}

// checkHistoryStored checks the stored placements and providers the histories name exist.
func (s *Store) checkHistoryStored(tx *gorm.DB, h historyKeys, issues *batchIssues) error {
	places, err := existingIDs[placementRow](s, tx, mapKeys(h.placements))
	if err != nil {
		return dbError(err, "import: read placements")
	}
	for id, uses := range h.placements {
		if !places[int64(id)] {
			for _, u := range uses {
				issues.add(u.coll, u.i, u.field, "no such placement")
			}
		}
	}
	provs, err := existingIDs[providerRow](s, tx, mapKeys(h.providers))
	if err != nil {
		return dbError(err, "import: read providers")
	}
	for id, uses := range h.providers {
		if !provs[int64(id)] {
			for _, u := range uses {
				issues.add(u.coll, u.i, u.field, "no such provider")
			}
		}
	}
	return nil
}

// writeHistoryBatch inserts a checked batch's episodes, move reviews and check-ins, after its
// children, placements and providers, replacing keys by stored IDs.
func (s *Store) writeHistoryBatch(tx *gorm.DB, b catalogue.Batch, res *catalogue.BatchResult, params int, progress func(int)) error {
	if len(b.Episodes) == 0 {
		return nil
	}
	t := s.now()
	rows := make([]episodeRow, len(b.Episodes))
	for i, e := range b.Episodes {
		e.Child = res.Children[e.Child]
		if e.Placement < 0 {
			e.Placement = res.Placements[e.Placement]
		}
		if e.Provider < 0 {
			e.Provider = res.Providers[e.Provider]
		}
		e.ID, e.CreatedAt, e.UpdatedAt = 0, t, t
		rows[i] = fromEpisode(e)
	}
	if err := bulkInsert(s, tx, "placement_episodes", episodeColumns, rows, func(r *episodeRow) *int64 { return &r.ID }, params, progress); err != nil {
		return episodeWriteError(err, "import placement histories")
	}
	stored := make(map[catalogue.EpisodeID]int, len(b.Episodes))
	for i, e := range b.Episodes {
		if e.ID < 0 {
			stored[e.ID] = i
		}
	}
	reviews := make([]moveReviewRow, len(b.MoveReviews))
	for i, r := range b.MoveReviews {
		j := stored[r.Episode]
		e := b.Episodes[j]
		r.ID, r.Child, r.Episode = 0, res.Children[e.Child], catalogue.EpisodeID(rows[j].ID)
		r.Reason, r.MovedOn = e.Reason, e.End
		if r.Next != 0 {
			r.Next = catalogue.EpisodeID(rows[stored[r.Next]].ID)
		}
		r.Version, r.CreatedAt, r.UpdatedAt = 1, t, t
		if r.Reviewed() {
			r.Version, r.UpdatedAt = 2, r.ReviewedAt
		}
		reviews[i] = fromMoveReview(r)
	}
	if err := bulkInsert(s, tx, "move_reviews", moveReviewColumns, reviews, func(r *moveReviewRow) *int64 { return &r.ID }, params, progress); err != nil {
		return dbError(err, "import move reviews")
	}
	checkIns := make([]checkInRow, len(b.CheckIns))
	for i, c := range b.CheckIns {
		j := stored[c.Episode]
		c.ID, c.Child, c.Episode = 0, res.Children[b.Episodes[j].Child], catalogue.EpisodeID(rows[j].ID)
		checkIns[i] = fromCheckIn(c)
	}
	if err := bulkInsert(s, tx, "check_ins", checkInColumns, checkIns, func(r *checkInRow) *int64 { return &r.ID }, params, progress); err != nil {
		return dbError(err, "import check-ins")
	}
	res.Episodes, res.MoveReviews, res.CheckIns = len(rows), len(reviews), len(checkIns)
	return nil
}

// historySubject is the part of an import's audit subject that counts its histories.
func historySubject(b catalogue.Batch) string {
	if len(b.Episodes) == 0 {
		return ""
	}
	return fmt.Sprintf("&episodes=%d&move_reviews=%d&check_ins=%d", len(b.Episodes), len(b.MoveReviews), len(b.CheckIns))
}
