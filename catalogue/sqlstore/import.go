package sqlstore

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Parameters in one multi-row INSERT of an import. PostgreSQL allows 65,535; more than a few
// thousand gains nothing. The SQLite driver binds each parameter by searching the argument list
// from its start, so a statement's cost grows with the square of its parameters: a few hundred
// is fastest there (measured: 20,000 children take 1.9 s at 300 or 1,000 parameters a statement
// and minutes at 30,000).
// announceAllOver is how many placements an import writes before it announces '*' (reload
// everything), as migration 00007's triggers do for a statement of more than 500.
const announceAllOver = 500

const (
	postgresBatchParams = 16000
	sqliteBatchParams   = 500
)

// batchIssues collects the field errors of a whole batch, each with its record's 1-based
// position in its collection and a field path that starts with the collection
// ("children[12].needs[0].level" is on row 13 of children): the first catalogue.MaxIssues in
// order, and how many there are, so that a batch of many bad records costs little to report.
type batchIssues struct {
	issues *catalogue.Issues
}

func (b *batchIssues) add(coll string, i int, field, format string, args ...any) {
	if b.issues == nil {
		b.issues = catalogue.NewIssues(compareIssues)
	}
	b.issues.Add(catalogue.FieldError{
		Row: i + 1, Field: joinField(fmt.Sprintf("%s[%d]", coll, i), field), Message: fmt.Sprintf(format, args...),
	})
}

// record adds the errors of a record's Validate, under prefix (relative to the record).
func (b *batchIssues) record(coll string, i int, prefix string, err error) {
	for _, fe := range catalogue.FieldErrors(err) {
		b.add(coll, i, joinField(prefix, fe.Field), "%s", fe.Message)
	}
}

func (b *batchIssues) err() error {
	if b.issues == nil || b.issues.Len() == 0 {
		return nil
	}
	return fmt.Errorf("import: nothing written: %w", b.issues.Err())
}

func joinField(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	case strings.HasPrefix(field, "["):
		return prefix + field
	}
	return prefix + "." + field
}

// batchKeys maps each batch-local key to the position of its record.
type batchKeys struct {
	providers  map[catalogue.ProviderID]int
	groups     map[catalogue.SiblingGroupID]int
	children   map[catalogue.ChildID]int
	placements map[catalogue.PlacementID]int
}

// collectKeys records the keys of one collection, reporting IDs that are not keys and keys used
// twice.
func collectKeys[ID ~int64](issues *batchIssues, coll string, n int, id func(int) ID) map[ID]int {
	keys := make(map[ID]int)
	for i := range n {
		k := id(i)
		switch {
		case k > 0:
			issues.add(coll, i, "id", "must be 0 or a negative batch key: an import only adds new records")
		case k < 0:
			if j, dup := keys[k]; dup {
				issues.add(coll, i, "id", "key %d is already the key of %s[%d]", k, coll, j)
				continue
			}
			keys[k] = i
		}
	}
	return keys
}

// storedRefs are the positive references of a batch, to records already stored, with where each
// is used.
type storedRefs struct {
	providers map[catalogue.ProviderID][]refUse
	groups    map[catalogue.SiblingGroupID][]refUse
	children  map[catalogue.ChildID][]refUse
}

type refUse struct {
	coll    string
	i       int
	field   string
	council catalogue.CouncilCode // for a child's sibling group: the child's council
}

func addRef[ID comparable](m map[ID][]refUse, id ID, u refUse) { m[id] = append(m[id], u) }

// checkBatch validates every record of the batch and its batch-local keys, without reading the
// database, and adds every problem it finds to issues. It returns the keys and the references
// to stored records, for checkStored.
func checkBatch(b catalogue.Batch, issues *batchIssues) (batchKeys, storedRefs) {
	keys := batchKeys{
		providers:  collectKeys(issues, "providers", len(b.Providers), func(i int) catalogue.ProviderID { return b.Providers[i].ID }),
		groups:     collectKeys(issues, "sibling_groups", len(b.SiblingGroups), func(i int) catalogue.SiblingGroupID { return b.SiblingGroups[i].ID }),
		children:   collectKeys(issues, "children", len(b.Children), func(i int) catalogue.ChildID { return b.Children[i].ID }),
		placements: collectKeys(issues, "placements", len(b.Placements), func(i int) catalogue.PlacementID { return b.Placements[i].ID }),
	}
	refs := storedRefs{
		providers: map[catalogue.ProviderID][]refUse{},
		groups:    map[catalogue.SiblingGroupID][]refUse{},
		children:  map[catalogue.ChildID][]refUse{},
	}

	for i, p := range b.Providers {
		issues.record("providers", i, "", p.Validate())
	}
	for i, g := range b.SiblingGroups {
		issues.record("sibling_groups", i, "", g.Validate())
	}

	type caseKey struct {
		council catalogue.CouncilCode
		ref     string
	}
	caseRefs := map[caseKey]int{}
	for i, c := range b.Children {
		check := c
		switch {
		case c.SiblingGroup < 0:
			j, ok := keys.groups[c.SiblingGroup]
			switch {
			case !ok:
				issues.add("children", i, "sibling_group", "key %d names no sibling group of this batch", c.SiblingGroup)
			case b.SiblingGroups[j].Council != c.Council:
				issues.add("children", i, "sibling_group", "must be a sibling group of the child's council")
			}
			check.SiblingGroup = 0
		case c.SiblingGroup > 0:
			addRef(refs.groups, c.SiblingGroup, refUse{"children", i, "sibling_group", c.Council})
		}
		issues.record("children", i, "", check.Validate())
		if c.CaseRef != "" {
			k := caseKey{c.Council, c.CaseRef}
			if j, dup := caseRefs[k]; dup {
				issues.add("children", i, "case_ref", "is also the case reference of children[%d] in the same council", j)
			} else {
				caseRefs[k] = i
			}
		}
	}

	filled := map[catalogue.ChildID]string{} // children filling a place in this batch
	for i, p := range b.Placements {
		check := p
		switch {
		case p.Provider < 0:
			if _, ok := keys.providers[p.Provider]; !ok {
				issues.add("placements", i, "provider", "key %d names no provider of this batch", p.Provider)
			}
			check.Provider = 1 // a stand-in for Validate, which wants a stored ID
		case p.Provider > 0:
			addRef(refs.providers, p.Provider, refUse{coll: "placements", i: i, field: "provider"})
		}
		for j, c := range p.ConnectedTo {
			field := fmt.Sprintf("connected_to[%d]", j)
			switch {
			case c < 0:
				if _, ok := keys.children[c]; !ok {
					issues.add("placements", i, field, "key %d names no child of this batch", c)
				}
			case c > 0:
				addRef(refs.children, c, refUse{coll: "placements", i: i, field: field})
			default:
				issues.add("placements", i, field, "must be a child ID or a batch key")
			}
		}
		issues.record("placements", i, "", check.Validate())
		if len(p.Vacancies) > 20 {
			issues.add("placements", i, "vacancies", "must have at most 20 places")
		}

		open, placed := 0, 0
		for _, m := range p.Household.Members {
			if m.Role == catalogue.MemberPlacedChild {
				placed++
			}
		}
		for j, v := range p.Vacancies {
			vp := fmt.Sprintf("vacancies[%d]", j)
			vc := v
			if v.ID > 0 {
				issues.add("placements", i, vp+".id", "must be 0: an import only adds new places")
			}
			if v.Placement != 0 && (p.ID == 0 || v.Placement != p.ID) {
				issues.add("placements", i, vp+".placement", "must be 0 or the key of the placement it travels in")
			}
			vc.Placement = 1 // a stand-in for Validate, which wants a stored ID
			switch {
			case v.Child < 0:
				if _, ok := keys.children[v.Child]; !ok {
					issues.add("placements", i, vp+".child", "key %d names no child of this batch", v.Child)
				}
				vc.Child = 1
			case v.Child > 0:
				addRef(refs.children, v.Child, refUse{coll: "placements", i: i, field: vp + ".child"})
			}
			issues.record("placements", i, vp, vc.Validate())
			if v.Status != catalogue.VacancyWithdrawn {
				open++
			}
			if v.Status == catalogue.VacancyFilled && v.Child != 0 {
				if where, dup := filled[v.Child]; dup {
					issues.add("placements", i, vp+".child", "already fills %s: a child fills one place at most", where)
				} else {
					filled[v.Child] = fmt.Sprintf("placements[%d].%s", i, vp)
				}
			}
		}
		if max := p.Approval.MaxChildren; max >= 1 && placed+open > max {
			issues.add("placements", i, "vacancies", "lists %d places and %d placed children but approval.max_children is %d", open, placed, max)
		}
	}
	return keys, refs
}

// checkStored checks the batch against what is stored, adding to issues: positive references
// exist (sibling groups of the same council), case references and filled places are not
// already taken.
func (s *Store) checkStored(tx *gorm.DB, b catalogue.Batch, refs storedRefs, issues *batchIssues) error {
	provs, err := existingIDs[providerRow](s, tx, mapKeys(refs.providers))
	if err != nil {
		return dbError(err, "import: read providers")
	}
	for id, uses := range refs.providers {
		if !provs[int64(id)] {
			for _, u := range uses {
				issues.add(u.coll, u.i, u.field, "no such provider")
			}
		}
	}
	kids, err := existingIDs[childRow](s, tx, mapKeys(refs.children))
	if err != nil {
		return dbError(err, "import: read children")
	}
	for id, uses := range refs.children {
		if !kids[int64(id)] {
			for _, u := range uses {
				issues.add(u.coll, u.i, u.field, "no such child")
			}
		}
	}
	councils := map[int64]string{}
	if len(refs.groups) > 0 {
		var rows []groupRow
		if err := tx.Select("id", "council").Where(s.oneOf("id", int64s(mapKeys(refs.groups)))).Find(&rows).Error; err != nil {
			return dbError(err, "import: read sibling groups")
		}
		for _, r := range rows {
			councils[r.ID] = r.Council
		}
	}
	for id, uses := range refs.groups {
		council, ok := councils[int64(id)]
		for _, u := range uses {
			switch {
			case !ok:
				issues.add(u.coll, u.i, u.field, "no such sibling group")
			case council != string(u.council):
				issues.add(u.coll, u.i, u.field, "must be a sibling group of the child's council")
			}
		}
	}

	// Case references already used in their council.
	byCouncil := map[catalogue.CouncilCode]map[string]int{}
	for i, c := range b.Children {
		if c.CaseRef == "" {
			continue
		}
		if byCouncil[c.Council] == nil {
			byCouncil[c.Council] = map[string]int{}
		}
		byCouncil[c.Council][c.CaseRef] = i
	}
	for council, refsOf := range byCouncil {
		var taken []string
		cond, arg := s.oneOfText("case_ref", mapKeys(refsOf))
		// case_ref <> '' lets the partial unique index answer.
		err := tx.Model(&childRow{}).Where("council = ? AND case_ref <> ''", string(council)).Where(cond, arg).
			Pluck("case_ref", &taken).Error
		if err != nil {
			return dbError(err, "import: read case references")
		}
		for _, ref := range taken {
			issues.add("children", refsOf[ref], "case_ref", "is already the case reference of a stored child of this council")
		}
	}

	// Stored children filling a place already.
	fills := map[int64]refUse{}
	for i, p := range b.Placements {
		for j, v := range p.Vacancies {
			if v.Status == catalogue.VacancyFilled && v.Child > 0 {
				fills[int64(v.Child)] = refUse{coll: "placements", i: i, field: fmt.Sprintf("vacancies[%d].child", j)}
			}
		}
	}
	if len(fills) > 0 {
		var busy []int64
		cond, arg := s.oneOf("child_id", mapKeys(fills))
		err := tx.Model(&vacancyRow{}).Where("status = ?", string(catalogue.VacancyFilled)).Where(cond, arg).
			Pluck("child_id", &busy).Error
		if err != nil {
			return dbError(err, "import: read filled places")
		}
		for _, c := range busy {
			u := fills[c]
			issues.add(u.coll, u.i, u.field, "already fills a stored place: a child fills one place at most")
		}
	}
	return nil
}

// compareIssues orders field errors by collection, row and field, so reports are stable.
func compareIssues(a, b catalogue.FieldError) int {
	collection := func(f catalogue.FieldError) string {
		c, _, _ := strings.Cut(f.Field, "[")
		return c
	}
	if c := strings.Compare(collection(a), collection(b)); c != 0 {
		return c
	}
	if a.Row != b.Row {
		return a.Row - b.Row
	}
	return strings.Compare(a.Field, b.Field)
}

// Import writes a batch of new records, all or nothing. Every record is checked first and every
// problem reported (an invalid-input *catalogue.Error with each record's row and field); then the
// batch is written in one transaction with multi-row inserts, in the order providers, sibling
// groups, children, placements, places, and batch-local keys are replaced by stored IDs. The
// import is audited with one row for the batch and one for each child.
func (s *Store) Import(ctx context.Context, b catalogue.Batch) (catalogue.BatchResult, error) {
	var issues batchIssues
	keys, refs := checkBatch(b, &issues)
	hist := checkHistoryBatch(b, keys, &issues)
	res := catalogue.BatchResult{
		Providers:     make(map[catalogue.ProviderID]catalogue.ProviderID, len(keys.providers)),
		Placements:    make(map[catalogue.PlacementID]catalogue.PlacementID, len(keys.placements)),
		SiblingGroups: make(map[catalogue.SiblingGroupID]catalogue.SiblingGroupID, len(keys.groups)),
		Children:      make(map[catalogue.ChildID]catalogue.ChildID, len(keys.children)),
	}
	if b.Len() == 0 {
		return res, nil // nothing to write, nothing to audit
	}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := s.checkStored(tx, b, refs, &issues); err != nil {
			return err
		}
		if err := s.checkHistoryStored(tx, hist, &issues); err != nil {
			return err
		}
		if err := issues.err(); err != nil {
			return err
		}
		return s.writeBatch(ctx, tx, b, &res)
	})
	if err != nil {
		return catalogue.BatchResult{}, err
	}
	res.Flags = catalogue.LawFlags(b.Placements)
	return res, nil
}

// writeBatch inserts a checked batch and fills in res.
func (s *Store) writeBatch(ctx context.Context, tx *gorm.DB, b catalogue.Batch, res *catalogue.BatchResult) error {
	t := s.now()
	total, done := b.Len(), 0
	progress := func(n int) {
		done += n
		if b.Progress != nil {
			b.Progress(done, total)
		}
	}
	progress(0)

	providers := make([]providerRow, len(b.Providers))
	for i, p := range b.Providers {
		p.ID, p.CreatedAt, p.UpdatedAt = 0, t, t
		providers[i] = fromProvider(p)
	}
	params := sqliteBatchParams
	if s.backend == BackendPostgres {
		params = postgresBatchParams
	}
	if err := insertRows(tx, params, providers, progress); err != nil {
		return dbError(err, "import providers")
	}
	for i, p := range b.Providers {
		if p.ID < 0 {
			res.Providers[p.ID] = catalogue.ProviderID(providers[i].ID)
		}
	}

	groups := make([]groupRow, len(b.SiblingGroups))
	for i, g := range b.SiblingGroups {
		g.ID, g.Version, g.CreatedAt, g.UpdatedAt = 0, 1, t, t
		groups[i] = fromGroup(g)
	}
	if err := insertRows(tx, params, groups, progress); err != nil {
		return dbError(err, "import sibling groups")
	}
	for i, g := range b.SiblingGroups {
		if g.ID < 0 {
			res.SiblingGroups[g.ID] = catalogue.SiblingGroupID(groups[i].ID)
		}
	}

	children := make([]childRow, len(b.Children))
	for i, c := range b.Children {
		if c.SiblingGroup < 0 {
			c.SiblingGroup = res.SiblingGroups[c.SiblingGroup]
		}
		c.ID, c.Version, c.CreatedAt, c.UpdatedAt = 0, 1, t, t
		row, err := fromChild(c)
		if err != nil {
			return fmt.Errorf("import: children[%d]: %w", i, err)
		}
		children[i] = row
	}
	if err := insertRows(tx, params, children, progress); err != nil {
		return childWriteError(err, "import children")
	}
	for i, c := range b.Children {
		if c.ID < 0 {
			res.Children[c.ID] = catalogue.ChildID(children[i].ID)
		}
	}
	childID := func(id catalogue.ChildID) catalogue.ChildID {
		if id < 0 {
			return res.Children[id]
		}
		return id
	}

	placements := make([]placementRow, len(b.Placements))
	for i, p := range b.Placements {
		if p.Provider < 0 {
			p.Provider = res.Providers[p.Provider]
		}
		p.ConnectedTo = mapList(p.ConnectedTo, childID)
		p.ID, p.Version, p.CreatedAt, p.UpdatedAt = 0, 1, t, t
		p.ProfileReview = wroteProfile(ctx)
		row, err := fromPlacement(p)
		if err != nil {
			return fmt.Errorf("import: placements[%d]: %w", i, err)
		}
		placements[i] = row
	}
	if err := insertRows(tx, params, placements, progress); err != nil {
		return dbError(err, "import placements")
	}
	// A large import tells every instance to reload everything (migration 00007's '*'),
	// however its statements were cut: as many ID lists would cost them more.
	if s.backend == BackendPostgres && len(placements) > announceAllOver {
		if err := tx.Exec("SELECT pg_notify(?, '*')", notifyChannel).Error; err != nil {
			return dbError(err, "import: announce the placements")
		}
	}
	var vacancies []vacancyRow
	for i, p := range b.Placements {
		if p.ID < 0 {
			res.Placements[p.ID] = catalogue.PlacementID(placements[i].ID)
		}
		for _, v := range p.Vacancies {
			v.ID, v.Placement, v.Child = 0, catalogue.PlacementID(placements[i].ID), childID(v.Child)
			v.Version, v.CreatedAt, v.UpdatedAt = 1, t, t
			vacancies = append(vacancies, fromVacancy(v))
		}
	}
	if err := insertRows(tx, params, vacancies, progress); err != nil {
		return vacancyWriteError(err, "import vacancies")
	}
	res.Vacancies = len(vacancies)
	if err := s.writeHistoryBatch(tx, b, res, params, progress); err != nil {
		return err
	}

	// The audit log: the batch, and each child's record created.
	a := catalogue.ActorFrom(ctx)
	entry := func(subject string, council string) auditRow {
		return auditRow{At: t, Actor: int64(a.Token), AccountID: int64(a.Account), AccountName: a.Name, Role: string(a.Role), Action: "import", Subject: subject,
			Council: council, Reason: a.Reason, Request: a.Request}
	}
	audit := make([]auditRow, 0, len(children)+1)
	audit = append(audit, entry(fmt.Sprintf("import?providers=%d&sibling_groups=%d&children=%d&placements=%d&vacancies=%d",
		len(providers), len(groups), len(children), len(placements), len(vacancies))+historySubject(b), ""))
	for _, c := range children {
		audit = append(audit, entry(childSubject(catalogue.ChildID(c.ID)), c.Council))
	}
	if err := insertRows(tx, params, audit, func(int) {}); err != nil {
		return dbError(err, "import: write audit log")
	}
	return nil
}

// insertRows writes rows with multi-row INSERTs of about params parameters each, filling in
// their IDs, and reports each statement's rows to progress.
func insertRows[R any](tx *gorm.DB, params int, rows []R, progress func(int)) error {
	size := max(1, params/reflect.TypeFor[R]().NumField())
	for chunk := range chunks(rows, size) {
		if err := tx.CreateInBatches(chunk, size).Error; err != nil {
			return err
		}
		progress(len(chunk))
	}
	return nil
}

func mapKeys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// chunks yields xs in pieces of at most n.
func chunks[T any](xs []T, n int) func(yield func([]T) bool) {
	return func(yield func([]T) bool) {
		for i := 0; i < len(xs); i += n {
			if !yield(xs[i:min(i+n, len(xs))]) {
				return
			}
		}
	}
}
