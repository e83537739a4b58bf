package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Subject access exports (catalogue.SubjectAccessStore): every table that refers to a child
// (or to a carer's household) is read for the rows naming them. childTables is the list; a
// test compares it with the schema (every table with a column naming a child or an offer must
// be here, or be listed there as holding nothing about a child), so a table added later
// cannot be left out silently.

// subjectTable is one table of an export: the rows WHERE names (with the named arguments
// @child, @placement, @offers, @referrals and @subjects), and why the table refers to the
// subject.
type subjectTable struct {
	table, where, why string
	omit              []string // columns never exported (secrets' hashes, third parties)
}

// childTables are the tables that refer to a child, in the order of the export.
var childTables = []subjectTable{
	{"children", "id = @child", "the child's record: what matching needs to know of them", nil},
	{"sibling_groups", "id IN (SELECT sibling_group_id FROM children WHERE id = @child)", "the child's brothers and sisters in care, and the plan for them", nil},
	{"placement_episodes", "child_id = @child", "the child's placements (their history), with the SSDA903 codes", nil},
	{"move_reviews", "child_id = @child", "reviews of the child's unplanned moves", nil},
	{"check_ins", "child_id = @child", "the child's own check-ins after a move", nil},
	{"check_in_plans", "child_id = @child", "the schedule of check-ins agreed with the child", nil},
	{"support_plans", "child_id = @child", "the support the child's carers need for the child's needs", nil},
	{"child_allocations", "child_id = @child", "the child's allocated social worker and team", nil},
	{"family_network", "child_id = @child", "the people the child's family named (third parties: read before giving out)", nil},
	{"referrals", "child_id = @child", "the child's referrals to providers, and their answers", nil},
	{"offers", "id IN @offers", "the options offered to the child, what the child said, and the decision", nil},
	{"sign_offs", "offer_id IN @offers", "managers' sign-offs of the child's offers", nil},
	{"sign_off_refusals", "offer_id IN @offers", "managers' refusals of sign-offs of the child's offers, with their reasons", nil},
	{"inadequate_overrides", "child_id = @child", "the director's overrides of homes' ratings for the child", nil},
	{"case_record_filings", "child_id = @child", "where the child's decision records were filed in the council's case record", nil},
	{"placement_notices", "child_id = @child", "notices of the child's placement to others (regulation 13)", nil},
	{"alerts", "child_id = @child", "alerts raised by the child's check-ins (feeling unsafe, a sharp fall), who owned them and what was done", nil},
	{"help_requests", "child_id = @child", "the child's requests for an advocate or for their IRO to look again, and what the child chose to share", nil},
	{"settling_holds", "child_id = @child", "the back-up homes held while the child settled after a move, the providers' answers and how each hold ended", nil},
	{"offer_links", "child_id = @child", "the private links sent to the child (never the token: it is not stored)", []string{"hash"}},
	{"child_sessions", "child_id = @child", "the child's sessions opened by their links", []string{"hash"}},
	{"vacancies", "child_id = @child", "places held or filled for the child", nil},
	{"match_results", "child_id = @child", "what match runs proposed for the child", nil},
	{"match_preferences", "child_id = @child", "the child's preferences between the homes of a match run", nil},
	{"match_allocations", "child_id = @child", "what the child ended with in a match run", nil},
	{"notifications", "worker_child_id = @child", "notifications to the child's social worker (they name records by ID)", nil},
	{"placements", "id IN @kinship", "kinship homes connected to the child (the child's relatives or friends as carers)", nil},
	{"audit_log", "subject IN @subjects", "who read or changed the child's record, offers, referrals and settling holds, and when", nil},
}

// carerTables are the tables that refer to a carer's household (a placement).
var carerTables = []subjectTable{
	{"placements", "id = @placement", "the household's record: approval, household, skills and the words shown to children", nil},
	{"vacancies", "placement_id = @placement", "the household's places (the children in them are left out)", []string{"child_id"}},
	{"family_network", "placement_id = @placement", "the family network entry the household came from, if kinship carers", nil},
	{"audit_log", "subject IN @subjects", "who read or changed the household's record, and when", nil},
}

// SubjectTables names the tables a child's subject access export reads, for the test that
// compares them with the schema.
func SubjectTables() []string {
	out := make([]string, len(childTables))
	for i, t := range childTables {
		out[i] = t.table
	}
	return out
}

// SubjectAccess exports everything held about a subject in scope, audited.
func (s *Store) SubjectAccess(ctx context.Context, sc catalogue.Scope, subj catalogue.Subject) (catalogue.SubjectAccessExport, error) {
	if err := subj.Validate(); err != nil {
		return catalogue.SubjectAccessExport{}, err
	}
	out := catalogue.SubjectAccessExport{Subject: subj.String(), At: s.now()}
	var council catalogue.CouncilCode
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		args := map[string]any{"child": int64(subj.Child), "placement": int64(subj.Placement)}
		tables := carerTables
		if subj.Child != 0 {
			tables = childTables
			ch, err := s.childIn(tx, sc, subj.Child)
			if err != nil {
				return err
			}
			council = catalogue.CouncilCode(ch.Council)
			offers, refs := []int64{}, []int64{}
			if err := tx.Raw("SELECT id FROM offers WHERE child_id = ? ORDER BY id", int64(subj.Child)).Scan(&offers).Error; err != nil {
				return dbError(err, "subject access: offers")
			}
			// The offers the child moves in with a brother or sister: their own say is kept there
			// (sibling_says, issue 20).
			var withSiblings []struct {
				ID       int64
				Siblings string
			}
			if err := tx.Raw("SELECT id, siblings FROM offers WHERE council = ? AND child_id <> ? ORDER BY id", ch.Council, int64(subj.Child)).Scan(&withSiblings).Error; err != nil {
				return dbError(err, "subject access: offers with siblings")
			}
			for _, o := range withSiblings {
				var sibs []int64
				if o.Siblings != "" && json.Unmarshal([]byte(o.Siblings), &sibs) == nil && slices.Contains(sibs, int64(subj.Child)) {
					offers = append(offers, o.ID)
				}
			}
			slices.Sort(offers)
			if err := tx.Raw("SELECT id FROM referrals WHERE child_id = ? ORDER BY id", int64(subj.Child)).Scan(&refs).Error; err != nil {
				return dbError(err, "subject access: referrals")
			}
			kinship, err := connectedTo(tx, subj.Child)
			if err != nil {
				return err
			}
			subjects := []string{subj.String()}
			for _, id := range offers {
				subjects = append(subjects, fmt.Sprintf("offer:%d", id))
			}
			for _, id := range refs {
				subjects = append(subjects, fmt.Sprintf("referral:%d", id))
			}
			var holds []int64
			if err := tx.Raw("SELECT id FROM settling_holds WHERE child_id = ? ORDER BY id", int64(subj.Child)).Scan(&holds).Error; err != nil {
				return dbError(err, "subject access: settling holds")
			}
			for _, id := range holds {
				subjects = append(subjects, settlingSubject(catalogue.SettlingHoldID(id)))
			}
			args["offers"], args["kinship"], args["subjects"] = nonEmpty(offers), nonEmpty(kinship), subjects
		} else {
			p, err := placementIn(tx, sc, subj.Placement)
			if err != nil {
				return err
			}
			council = catalogue.CouncilCode(p.Council)
			args["subjects"] = []string{subj.String()}
		}
		for _, t := range tables {
			rows, err := exportRows(tx, t, args)
			if err != nil {
				return err
			}
			out.Tables = append(out.Tables, catalogue.SubjectTable{Table: t.table, Why: t.why, Rows: rows})
		}
		return s.audit(ctx, tx, "subject access", subj.String(), council)
	})
	if err != nil {
		return catalogue.SubjectAccessExport{}, err
	}
	return out, nil
}

// nonEmpty keeps IN lists valid SQL: an empty list matches no row (IDs are positive).
func nonEmpty(ids []int64) []int64 {
	if len(ids) == 0 {
		return []int64{0}
	}
	return ids
}

// childIn reads a child in scope through tx.
func (s *Store) childIn(tx *gorm.DB, sc catalogue.Scope, id catalogue.ChildID) (childRow, error) {
	var row childRow
	err := councilScope(tx, sc).Where("id = ?", int64(id)).Take(&row).Error
	return row, dbError(err, "child "+id.String())
}

// placementIn reads a placement in scope through tx: a provider's own, or any for a council's
// officer whose council's home it is, or any at all for the unrestricted scope.
func placementIn(tx *gorm.DB, sc catalogue.Scope, id catalogue.PlacementID) (placementRow, error) {
	var row placementRow
	q := tx.Where("id = ?", int64(id))
	switch {
	case sc.Provider != 0:
		q = q.Where("provider_id = ?", int64(sc.Provider))
	case sc.Council != "":
		q = q.Where("council = ?", string(sc.Council))
	}
	err := q.Take(&row).Error
	return row, dbError(err, "placement "+id.String())
}

// connectedTo lists the kinship homes connected to a child (placements.connected_to, a JSON
// list of children's IDs).
func connectedTo(tx *gorm.DB, child catalogue.ChildID) ([]int64, error) {
	var rows []struct {
		ID          int64
		ConnectedTo string
	}
	if err := tx.Raw("SELECT id, connected_to FROM placements WHERE kind = 'kinship' ORDER BY id").Scan(&rows).Error; err != nil {
		return nil, dbError(err, "subject access: kinship homes")
	}
	var out []int64
	for _, r := range rows {
		var ids []int64
		if json.Unmarshal([]byte(r.ConnectedTo), &ids) == nil && slices.Contains(ids, int64(child)) {
			out = append(out, r.ID)
		}
	}
	return out, nil
}

// exportRows reads a table's rows naming the subject, by their first column, each as a map of
// the columns kept.
func exportRows(tx *gorm.DB, t subjectTable, args map[string]any) ([]map[string]any, error) {
	cols, raw, err := scanRows(tx.Raw("SELECT * FROM "+t.table+" WHERE "+t.where, args))
	if err != nil {
		return nil, dbError(err, "subject access: "+t.table)
	}
	out := make([]map[string]any, 0, len(raw))
	for _, r := range raw {
		m := map[string]any{}
		for c, v := range r {
			if slices.Contains(t.omit, c) || c == "hash" || c == "password_hash" {
				continue
			}
			if v := exportValue(v); v != nil { // a column with no value holds nothing about them
				m[c] = v
			}
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b map[string]any) int { return strings.Compare(fmt.Sprint(a[cols[0]]), fmt.Sprint(b[cols[0]])) })
	return out, nil
}

// scanRows runs a query and reads every row as a map of column to the driver's value, with the
// columns in the query's order.
func scanRows(q *gorm.DB) ([]string, []map[string]any, error) {
	rows, err := q.Rows()
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, nil, err
	}
	var out []map[string]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			m[c] = vals[i]
		}
		out = append(out, m)
	}
	return cols, out, rows.Err()
}

// exportValue is a column's value for the export: text (JSON columns as their JSON), numbers,
// booleans and times as they are; binary values are left out (nil).
func exportValue(v any) any {
	switch x := v.(type) {
	case []byte:
		if !utf8.Valid(x) {
			return nil
		}
		return exportValue(string(x))
	case string:
		if t := strings.TrimSpace(x); (strings.HasPrefix(t, "[") || strings.HasPrefix(t, "{")) && json.Valid([]byte(t)) {
			return json.RawMessage(t)
		}
		return x
	case time.Time:
		return x.UTC()
	}
	return v
}

var _ catalogue.SubjectAccessStore = (*Store)(nil)
