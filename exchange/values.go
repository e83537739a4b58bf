package exchange

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/placematch/placematch/catalogue"
)

// norm folds a categorical value for comparison: lower case, and every run of characters that
// are not letters or digits turned into one underscore, so "Yes - must", "yes_must" and
// "YES MUST" are the same value, as are "Short-term" and "short_term".
func norm(s string) string {
	if isNormal(s) {
		return s // already folded: the usual case, and no allocation
	}
	var b strings.Builder
	b.Grow(len(s))
	gap := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			gap = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		gap = true
	}
	return b.String()
}

// isNormal reports whether norm(s) == s: lower-case ASCII letters and digits, joined by single
// underscores.
func isNormal(s string) bool {
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' {
		return s == ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '_' && s[i-1] != '_':
		default:
			return false
		}
	}
	return true
}

// enum parses a categorical value: one of the catalogue's own values, or an alias (a PDS
// category or a common spelling), compared after norm.
func enum[T ~string](s string, all []T, aliases map[string]T) (T, bool) {
	n := norm(s)
	for _, v := range all {
		if string(v) == n {
			return v, true
		}
	}
	v, ok := aliases[n]
	return v, ok
}

// oneOfMsg is the message for a categorical value that is not known.
func oneOfMsg[T ~string](all []T) string {
	parts := make([]string, len(all))
	for i, v := range all {
		parts[i] = string(v)
	}
	return "must be one of " + strings.Join(parts, ", ")
}

// retired are values once accepted and now refused, keyed by norm, with the reason why.
var retired = map[string]string{
	// Staying Put is recorded on the young person's current placement, not searched for.
	string(catalogue.PurposeStayingPut): catalogue.StayingPutNotAPurpose,
}

// unknownMsg is the message for a categorical value that is not known: why, for a retired one.
func unknownMsg[T ~string](v string, all []T) string {
	if why, ok := retired[norm(v)]; ok {
		return "is refused: " + why
	}
	return oneOfMsg(all)
}

// PDS categories (Placements Data Standard v2) and common spellings, keyed by norm.
var (
	companionsAliases = map[string]catalogue.Companions{
		"solo_placement_recommended":       catalogue.CompanionsSolo,
		"with_other_children_recommended":  catalogue.CompanionsWithOthers,
		"only_with_other_older_children":   catalogue.CompanionsOnlyOlder,
		"only_with_other_younger_children": catalogue.CompanionsOnlyYounger,
	}
	petsAliases = map[string]catalogue.PetsRule{
		"yes_must": catalogue.PetsMust,
		"yes_can":  catalogue.PetsCan,
		"no":       catalogue.PetsCannot,
		// Not known: no rule is imposed; allergies still keep animals away when recorded.
		"not_known": catalogue.PetsCan,
	}
	sexAliases = map[string]catalogue.Sex{
		"m": catalogue.Male, "f": catalogue.Female, // common short forms
		"1": catalogue.Male, "2": catalogue.Female, // SSDA903 codes
	}
	kindAliases = map[string]catalogue.PlacementKind{
		"residential":              catalogue.ChildrensHome, // PDS placementType
		"children_s_home":          catalogue.ChildrensHome,
		"supported_accommodation":  catalogue.SupportedAccommodation,
		"connected_person":         catalogue.Kinship,
		"kinship_connected_person": catalogue.Kinship,
	}
	ofstedAliases = map[string]catalogue.OfstedGrade{
		"requires_improvement_to_be_good": catalogue.OfstedRequiresImprovement,
	}
	// outcomeAliases: Ofsted's supported accommodation outcomes by their number (1 best) or
	// the fuller opening words of their summaries.
	outcomeAliases = map[string]catalogue.SupportedOutcome{
		"1": catalogue.OutcomeStrong, "outcome_1": catalogue.OutcomeStrong,
		"2": catalogue.OutcomeInconsistent, "outcome_2": catalogue.OutcomeInconsistent, "inconsistent_quality": catalogue.OutcomeInconsistent,
		"3": catalogue.OutcomeSerious, "outcome_3": catalogue.OutcomeSerious, "serious_or_widespread_weaknesses": catalogue.OutcomeSerious,
	}
	levelAliases = map[string]catalogue.NeedLevel{
		"1": catalogue.LevelLow, "low": catalogue.LevelLow,
		"2": catalogue.LevelMedium, "medium": catalogue.LevelMedium,
		"3": catalogue.LevelHigh, "high": catalogue.LevelHigh,
	}
)

// parseBool reads a yes/no cell. PDS risk columns say "Risk Present" or "No known risk".
func parseBool(s string) (bool, bool) {
	switch norm(s) {
	case "true", "yes", "y", "1", "risk_present":
		return true, true
	case "false", "no", "n", "0", "no_known_risk":
		return false, true
	}
	return false, false
}

func formatBool(b bool) string { return strconv.FormatBool(b) }

// parseDate reads a date as YYYY-MM-DD; CSV cells may also use the UK DD/MM/YYYY that
// spreadsheets write.
func parseDate(s string, ukToo bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	if ukToo {
		if t, err := time.Parse("2/1/2006", s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

const dateMsg = "must be a date written YYYY-MM-DD"

// parseInt reads a whole number in [lo, hi].
func parseInt(s string, lo, hi int) (int, string) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, "must be a whole number"
	}
	if n < lo || n > hi {
		return 0, fmt.Sprintf("must be between %d and %d", lo, hi)
	}
	return n, ""
}

// parseFloat reads a finite decimal number.
func parseFloat(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// parseID reads a stored record's ID: a positive whole number.
func parseID(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n, err == nil && n > 0
}

// checkKey reports what is wrong with a file-local key, or "".
func checkKey(k string) string {
	switch {
	case k == "":
		return "is required"
	case !utf8.ValidString(k):
		return "must be valid UTF-8"
	case len(k) > maxKeyLen:
		return fmt.Sprintf("must be at most %d characters", maxKeyLen)
	}
	return ""
}

// splitList splits a list cell at semicolons, trimming each item and dropping empty ones.
func splitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ";")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// joinList writes a list cell.
func joinList[T ~string](vs []T) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = string(v)
	}
	return strings.Join(parts, ";")
}

// isFormulaStart reports whether a spreadsheet would read a cell starting with b as a formula
// (OWASP, CSV injection).
func isFormulaStart(b byte) bool {
	switch b {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// escapeCell makes a text cell safe to open in a spreadsheet: a cell that starts with a formula
// character gets a leading single quote. A cell that already starts with a quote followed by a
// formula character or another quote gets one more, so that unescapeCell(escapeCell(s)) == s
// for every s.
func escapeCell(s string) string {
	if s == "" {
		return s
	}
	if isFormulaStart(s[0]) || (s[0] == '\'' && len(s) > 1 && (isFormulaStart(s[1]) || s[1] == '\'')) {
		return "'" + s
	}
	return s
}

// unescapeCell undoes escapeCell.
func unescapeCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && (isFormulaStart(s[1]) || s[1] == '\'') {
		return s[1:]
	}
	return s
}

// councilByName maps council names, folded with norm, to their codes, so a file may name a
// council ("Manchester") instead of giving its ONS code.
func councilNames() map[string]catalogue.CouncilCode {
	all := catalogue.Councils()
	m := make(map[string]catalogue.CouncilCode, len(all))
	for _, c := range all {
		m[norm(c.Name)] = c.Code
	}
	return m
}

// parseCouncil reads an ONS code or a council's name.
func parseCouncil(s string, names map[string]catalogue.CouncilCode) (catalogue.CouncilCode, bool) {
	s = strings.TrimSpace(s)
	if c := catalogue.CouncilCode(strings.ToUpper(s)); c.Valid() {
		return c, true
	}
	c, ok := names[norm(s)]
	return c, ok
}

const councilMsg = "must be the ONS code (E08000003) or name of an English upper-tier council"
