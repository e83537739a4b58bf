package sqlstore

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

func runSubject(id catalogue.MatchRunID) string { return "match_run:" + id.String() }

// CreateMatchRun stores a new run, running. ID, StartedAt and Heartbeat are set by the store.
func (s *Store) CreateMatchRun(ctx context.Context, r catalogue.MatchRun) (catalogue.MatchRun, error) {
	if err := checkRun(r); err != nil {
		return catalogue.MatchRun{}, err
	}
	t := s.now()
	r.ID, r.Status, r.StartedAt, r.Heartbeat, r.FinishedAt = 0, catalogue.RunRunning, t, t, time.Time{}
	row, err := fromRun(r)
	if err != nil {
		return catalogue.MatchRun{}, fmt.Errorf("match run: %w", err)
	}
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return dbError(err, "create match run")
		}
		return s.audit(ctx, tx, "create", runSubject(catalogue.MatchRunID(row.ID)), r.Council)
	})
	if err != nil {
		return catalogue.MatchRun{}, err
	}
	return toRun(row)
}

func checkRun(r catalogue.MatchRun) error {
	var fields []catalogue.FieldError
	if r.Council != "" && !r.Council.Valid() {
		fields = append(fields, catalogue.FieldError{Field: "council", Message: "must be the ONS code of an English upper-tier council"})
	}
	if r.Region != "" && !validRegion(r.Region) {
		fields = append(fields, catalogue.FieldError{Field: "region", Message: "must be the ONS code of an English region (E12000001 to E12000009)"})
	}
	if r.Council != "" && r.Region != "" {
		fields = append(fields, catalogue.FieldError{Field: "region", Message: "must be empty when a council is given"})
	}
	if r.TopK < 0 {
		fields = append(fields, catalogue.FieldError{Field: "top_k", Message: "must not be negative"})
	}
	if len(fields) > 0 {
		return validation("match run", catalogue.InvalidFields(fields))
	}
	return nil
}

func validRegion(code catalogue.RegionCode) bool {
	for _, r := range catalogue.Regions() {
		if r.Code == code {
			return true
		}
	}
	return false
}

// RunProgress records a running run's stage and refreshes its heartbeat. A run that is no
// longer running (failed as interrupted, say) is ErrConflict, so its process stops.
func (s *Store) RunProgress(ctx context.Context, id catalogue.MatchRunID, stage string, done, total int) error {
	res := s.db.WithContext(ctx).Model(&runRow{}).Where("id = ? AND status = ?", int64(id), string(catalogue.RunRunning)).
		Updates(map[string]any{"stage": truncateText(stage, 50), "done": done, "total": total, "heartbeat_at": s.now()})
	if res.Error != nil {
		return dbError(res.Error, "match run "+id.String()+": progress")
	}
	if res.RowsAffected == 0 {
		return conflict("match run %d is not running", id)
	}
	return nil
}

// CompleteMatchRun stores a run's results and marks it succeeded, in one transaction with an
// audit row for every child matched. A run that is no longer running is ErrConflict and
// nothing is written.
func (s *Store) CompleteMatchRun(ctx context.Context, r catalogue.MatchRun, results []catalogue.RunResult) error {
	what := "match run " + r.ID.String()
	rows := make([]resultRow, len(results))
	for i, res := range results {
		if res.Run != r.ID {
			return invalid(what, fmt.Sprintf("results[%d].run", i), "must be the run's ID")
		}
		if len(res.Offers) > 2 {
			return invalid(what, fmt.Sprintf("results[%d].offers", i), "must hold at most two offers")
		}
		row, err := fromResult(res)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		rows[i] = row
	}
	t := s.now()
	r.Status, r.FinishedAt, r.Heartbeat, r.Stage, r.Done, r.Total = catalogue.RunSucceeded, t, t, "", 0, 0
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var cur runRow
		if err := forUpdate(tx).Select("id", "status", "council", "started_at", "requested_by").Where("id = ?", int64(r.ID)).Take(&cur).Error; err != nil {
			return dbError(err, what)
		}
		if cur.Status != string(catalogue.RunRunning) {
			return conflict("%s is %s, not running", what, cur.Status)
		}
		params := sqliteBatchParams
		if s.backend == BackendPostgres {
			params = postgresBatchParams
		}
		if err := insertRows(tx, params, rows, func(int) {}); err != nil {
			return dbError(err, what+": write results")
		}
		a := catalogue.ActorFrom(ctx)
		audit := make([]auditRow, 0, len(rows)+1)
		for _, res := range rows {
			audit = append(audit, auditRow{At: t, Actor: int64(a.Token), AccountID: int64(a.Account), AccountName: a.Name, Role: string(a.Role), Action: "match",
				Subject: childSubject(catalogue.ChildID(res.ChildID)), Council: res.Council, Reason: "match run " + r.ID.String(), Request: a.Request})
		}
		audit = append(audit, auditRow{At: t, Actor: int64(a.Token), AccountID: int64(a.Account), AccountName: a.Name, Role: string(a.Role), Action: "complete",
			Subject: runSubject(r.ID), Council: cur.Council, Reason: a.Reason, Request: a.Request})
		if err := insertRows(tx, params, audit, func(int) {}); err != nil {
			return dbError(err, what+": write audit log")
		}
		r.StartedAt, r.RequestedBy, r.Council = cur.StartedAt.UTC(), catalogue.TokenID(cur.RequestedBy), catalogue.CouncilCode(cur.Council)
		row, err := fromRun(r)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		res := tx.Model(&runRow{}).Where("id = ? AND status = ?", int64(r.ID), string(catalogue.RunRunning)).
			Select("*").Omit("id", "council", "region", "started_at", "requested_by").Updates(&row)
		if res.Error != nil {
			return dbError(res.Error, "complete "+what)
		}
		if res.RowsAffected != 1 {
			return conflict("%s: changed meanwhile", what)
		}
		return nil
	})
}

// FailMatchRun marks a running run failed, with the reason (which must name no child).
func (s *Store) FailMatchRun(ctx context.Context, id catalogue.MatchRunID, reason string) error {
	what := "match run " + id.String()
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var cur runRow
		if err := forUpdate(tx).Select("id", "status", "council").Where("id = ?", int64(id)).Take(&cur).Error; err != nil {
			return dbError(err, what)
		}
		if cur.Status != string(catalogue.RunRunning) {
			return conflict("%s is %s, not running", what, cur.Status)
		}
		t := s.now()
		err := tx.Model(&runRow{}).Where("id = ?", int64(id)).Updates(map[string]any{
			"status": string(catalogue.RunFailed), "error": truncateText(reason, catalogue.MaxWordsLen),
			"finished_at": t, "heartbeat_at": t, "stage": "",
		}).Error
		if err != nil {
			return dbError(err, "fail "+what)
		}
		return s.audit(ctx, tx, "fail", runSubject(id), catalogue.CouncilCode(cur.Council))
	})
}

// FailInterruptedRuns marks failed every run still running whose heartbeat is older than
// before: their process has stopped (a crash, a restart) and they left no results behind.
func (s *Store) FailInterruptedRuns(ctx context.Context, before time.Time) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var stale []runRow
		err := forUpdate(tx).Select("id", "council").Where("status = ? AND heartbeat_at < ?", string(catalogue.RunRunning), before.UTC()).
			Order("id").Find(&stale).Error
		if err != nil {
			return dbError(err, "find interrupted match runs")
		}
		t := s.now()
		for _, r := range stale {
			err := tx.Model(&runRow{}).Where("id = ? AND status = ?", r.ID, string(catalogue.RunRunning)).Updates(map[string]any{
				"status": string(catalogue.RunFailed), "error": "interrupted: the process running it stopped before it finished; no results were kept",
				"finished_at": t, "stage": "",
			}).Error
			if err != nil {
				return dbError(err, "fail interrupted match run")
			}
			if err := s.audit(ctx, tx, "fail_interrupted", runSubject(catalogue.MatchRunID(r.ID)), catalogue.CouncilCode(r.Council)); err != nil {
				return err
			}
		}
		n = len(stale)
		return nil
	})
	return n, err
}

// MatchRun returns a run in scope. For an officer, the counts are those of their council's
// children.
func (s *Store) MatchRun(ctx context.Context, sc catalogue.Scope, id catalogue.MatchRunID) (catalogue.MatchRun, error) {
	what := "match run " + id.String()
	db := s.db.WithContext(ctx)
	var row runRow
	if err := runScope(db, sc).Where("id = ?", int64(id)).Take(&row).Error; err != nil {
		return catalogue.MatchRun{}, dbError(err, what)
	}
	r, err := toRun(row)
	if err != nil {
		return catalogue.MatchRun{}, err
	}
	if sc.Council == "" {
		return r, nil
	}
	// An officer's counts: their council's children only.
	var counts []struct {
		NOffers   int
		GroupLead bool
		N         int
	}
	err = db.Model(&resultRow{}).Select("n_offers, group_lead, COUNT(*) AS n").
		Where("run_id = ? AND council = ?", int64(id), string(sc.Council)).
		Group("n_offers, group_lead").Scan(&counts).Error
	if err != nil {
		return catalogue.MatchRun{}, dbError(err, what+": counts")
	}
	var splitGroups int64
	err = db.Model(&resultRow{}).Where("run_id = ? AND council = ? AND split = ?", int64(id), string(sc.Council), true).
		Distinct("sibling_group").Count(&splitGroups).Error
	if err != nil {
		return catalogue.MatchRun{}, dbError(err, what+": counts")
	}
	r.Children, r.Offered, r.OfferedOne, r.OfferedNone = 0, 0, 0, 0
	r.GroupsPlanned, r.GroupsTogether, r.GroupsWithout, r.GroupsSplit = 0, 0, 0, int(splitGroups)
	for _, c := range counts {
		r.Children += c.N
		switch c.NOffers {
		case 2:
			r.Offered += c.N
		case 1:
			r.OfferedOne += c.N
		default:
			r.OfferedNone += c.N
		}
		if c.GroupLead {
			r.GroupsPlanned += c.N
			if c.NOffers > 0 {
				r.GroupsTogether += c.N
			} else {
				r.GroupsWithout += c.N
			}
		}
	}
	r.GroupsPlanned += r.GroupsSplit
	return r, nil
}

// runScope restricts a query on match runs: a provider (or commissioner) sees none; an officer
// their council's runs and the wider runs that matched any of their council's children.
func runScope(q *gorm.DB, s catalogue.Scope) *gorm.DB {
	switch {
	case s.Provider != 0:
		return q.Where("1 = 0")
	case s.Council != "":
		return q.Where("council = ? OR (council = '' AND EXISTS (SELECT 1 FROM match_results r WHERE r.run_id = match_runs.id AND r.council = ?))",
			string(s.Council), string(s.Council))
	}
	return q
}

// ListRunResults returns a page of a run's results in scope, by child ID.
func (s *Store) ListRunResults(ctx context.Context, sc catalogue.Scope, id catalogue.MatchRunID, f catalogue.RunPageFilter) (catalogue.Page[catalogue.RunResult], error) {
	if _, err := s.MatchRun(ctx, sc, id); err != nil {
		return catalogue.Page[catalogue.RunResult]{}, err
	}
	q := councilScope(s.db.WithContext(ctx), sc).Where("run_id = ?", int64(id))
	rows, next, err := paginate(f.Limit, int64(f.After), func(r resultRow) int64 { return r.ChildID },
		func(after int64, n int) ([]resultRow, error) {
			var rows []resultRow
			err := q.Session(&gorm.Session{}).Where("child_id > ?", after).Order("child_id").Limit(n).Find(&rows).Error
			return rows, dbError(err, "list match results")
		}, nil)
	if err != nil {
		return catalogue.Page[catalogue.RunResult]{}, err
	}
	page := catalogue.Page[catalogue.RunResult]{Items: make([]catalogue.RunResult, len(rows)), Next: next}
	for i, r := range rows {
		if page.Items[i], err = toResult(r); err != nil {
			return catalogue.Page[catalogue.RunResult]{}, err
		}
	}
	return page, nil
}

// SetRunPreferences stores children's preferences (replacing what each said before) and the
// run's new allocation, for every child of the run, in one transaction with an audit row for
// each child who said something. Every preference must be for a child of the run in scope.
func (s *Store) SetRunPreferences(ctx context.Context, sc catalogue.Scope, id catalogue.MatchRunID, prefs []catalogue.RunPreference, alloc []catalogue.RunAllocation) error {
	what := "match run " + id.String()
	if _, err := s.MatchRun(ctx, sc, id); err != nil {
		return err
	}
	t := s.now()
	prefRows := make([]prefRow, len(prefs))
	childIDs := make([]int64, len(prefs))
	for i, p := range prefs {
		if p.Run != id {
			return invalid(what, fmt.Sprintf("preferences[%d].run", i), "must be the run's ID")
		}
		p.At = t
		row, err := fromPref(p)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		prefRows[i], childIDs[i] = row, int64(p.Child)
	}
	allocRows := make([]allocRow, len(alloc))
	for i, a := range alloc {
		if a.Run != id {
			return invalid(what, fmt.Sprintf("allocation[%d].run", i), "must be the run's ID")
		}
		a.At = t
		allocRows[i] = fromAlloc(a)
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var cur runRow
		if err := forUpdate(tx).Select("id", "status", "council").Where("id = ?", int64(id)).Take(&cur).Error; err != nil {
			return dbError(err, what)
		}
		if cur.Status != string(catalogue.RunSucceeded) {
			return conflict("%s is %s: preferences need a run that succeeded", what, cur.Status)
		}
		if len(childIDs) > 0 {
			// Every child must be one of the run's, in scope.
			cond, arg := s.oneOf("child_id", childIDs)
			var found []int64
			err := councilScope(tx.Model(&resultRow{}), sc).Where("run_id = ?", int64(id)).Where(cond, arg).Pluck("child_id", &found).Error
			if err != nil {
				return dbError(err, what+": read results")
			}
			have := map[int64]bool{}
			for _, c := range found {
				have[c] = true
			}
			for i, c := range childIDs {
				if !have[c] {
					return invalid(what, fmt.Sprintf("preferences[%d].child", i), "is not a child of this run in your scope")
				}
			}
			if err := tx.Where("run_id = ?", int64(id)).Where(cond, arg).Delete(&prefRow{}).Error; err != nil {
				return dbError(err, what+": replace preferences")
			}
		}
		params := sqliteBatchParams
		if s.backend == BackendPostgres {
			params = postgresBatchParams
		}
		if err := insertRows(tx, params, prefRows, func(int) {}); err != nil {
			return dbError(err, what+": write preferences")
		}
		if err := tx.Where("run_id = ?", int64(id)).Delete(&allocRow{}).Error; err != nil {
			return dbError(err, what+": replace allocation")
		}
		if err := insertRows(tx, params, allocRows, func(int) {}); err != nil {
			return dbError(err, what+": write allocation")
		}
		a := catalogue.ActorFrom(ctx)
		audit := make([]auditRow, 0, len(prefRows)+1)
		for _, p := range prefRows {
			audit = append(audit, auditRow{At: t, Actor: int64(a.Token), AccountID: int64(a.Account), AccountName: a.Name, Role: string(a.Role), Action: "preference",
				Subject: childSubject(catalogue.ChildID(p.ChildID)), Council: p.Council, Reason: "match run " + id.String(), Request: a.Request})
		}
		audit = append(audit, auditRow{At: t, Actor: int64(a.Token), AccountID: int64(a.Account), AccountName: a.Name, Role: string(a.Role), Action: "allocate",
			Subject: runSubject(id), Council: cur.Council, Reason: a.Reason, Request: a.Request})
		return dbError(insertRows(tx, params, audit, func(int) {}), what+": write audit log")
	})
}

// ListRunPreferences returns every preference given for a run, by child ID (for settling
// them all together; not scoped).
func (s *Store) ListRunPreferences(ctx context.Context, id catalogue.MatchRunID) ([]catalogue.RunPreference, error) {
	var rows []prefRow
	if err := s.db.WithContext(ctx).Where("run_id = ?", int64(id)).Order("child_id").Find(&rows).Error; err != nil {
		return nil, dbError(err, "list preferences")
	}
	out := make([]catalogue.RunPreference, len(rows))
	for i, r := range rows {
		p, err := toPref(r)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

// ListRunAllocations returns a page of what a run's children in scope end with, by child ID.
func (s *Store) ListRunAllocations(ctx context.Context, sc catalogue.Scope, id catalogue.MatchRunID, f catalogue.RunPageFilter) (catalogue.Page[catalogue.RunAllocation], error) {
	if _, err := s.MatchRun(ctx, sc, id); err != nil {
		return catalogue.Page[catalogue.RunAllocation]{}, err
	}
	q := councilScope(s.db.WithContext(ctx), sc).Where("run_id = ?", int64(id))
	rows, next, err := paginate(f.Limit, int64(f.After), func(r allocRow) int64 { return r.ChildID },
		func(after int64, n int) ([]allocRow, error) {
			var rows []allocRow
			err := q.Session(&gorm.Session{}).Where("child_id > ?", after).Order("child_id").Limit(n).Find(&rows).Error
			return rows, dbError(err, "list allocations")
		}, nil)
	if err != nil {
		return catalogue.Page[catalogue.RunAllocation]{}, err
	}
	return catalogue.Page[catalogue.RunAllocation]{Items: mapList(rows, toAlloc), Next: next}, nil
}

func truncateText(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
