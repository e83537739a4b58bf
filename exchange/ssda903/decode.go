package ssda903

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Decoded is a return read into a batch for Store.Import, with its report.
type Decoded struct {
	Batch  catalogue.Batch
	Report Report
	// where each child and episode of the batch was read: its Header row, its Episodes row.
	children, episodes []place
}

// header is a Header row.
type header struct {
	at  place
	id  string
	sex catalogue.Sex
	dob time.Time
	eth catalogue.Ethnicity
}

// episode is an Episodes row.
type episode struct {
	at         place
	child      string
	start, end time.Time
	codes      catalogue.ReturnCodes
	reason     catalogue.ChangeReason // REASON_PLACE_CHANGE as given
	ignored    bool                   // open, and gave a REC or REASON_PLACE_CHANGE
}

type episodeKey struct {
	child string
	start time.Time
}

// Decode reads a council's return, its files several years merged, into children (one per
// CHILD) and their placement histories (one episode per CHILD and DECOM): a row of a later
// year's file replaces the same child's or episode's row of an earlier one. Every row is
// checked; when anything is wrong, the error is an invalid-input *catalogue.Error listing the
// problems (the first catalogue.MaxIssues, and their Total) with FieldError.Field "FILE:COLUMN"
// and FieldError.Row the file's line (the header is line 1), and the batch is empty.
func Decode(files []File, opt Options) (Decoded, error) {
	council, ok := catalogue.CouncilByCode(opt.Council)
	if !ok {
		return Decoded{}, catalogue.Invalid("council", "is required: the ONS code of the council whose return it is")
	}
	if len(files) == 0 {
		return Decoded{}, catalogue.Invalid("files", "are required: the return's Header and Episodes files")
	}
	p := newProblems()
	rep := Report{Council: opt.Council, Dropped: map[string]int{}}
	files = slices.Clone(files)
	slices.SortStableFunc(files, func(a, b File) int {
		return cmp.Or(cmp.Compare(yearOf(a.Name), yearOf(b.Name)), strings.Compare(a.Name, b.Name))
	})
	headers := map[string]header{}
	named := map[string]bool{} // children of Header rows, good or bad
	episodes := map[episodeKey]episode{}
	var kinds []kind
	for _, f := range files {
		k, ok := kindOf(f.Name)
		if !ok {
			p.add(place{f.Name, 0}, "", "is neither a Header nor an Episodes file: its name must say which (2019-header.csv, 2019-episodes.csv)")
			continue
		}
		kinds = append(kinds, k)
		n := 0
		inFile := map[any]place{}
		readFile(f, k, opt, p, func(r row) {
			n++
			if k == headerFile {
				h, ok := readHeader(r, p, &rep)
				named[h.id] = h.id != ""
				if !ok {
					return
				}
				if at, dup := inFile[h.id]; dup {
					p.add(r.at, "CHILD", "is the child of %s too: a child has one row in a Header file", at)
					return
				}
				inFile[h.id] = r.at
				if _, seen := headers[h.id]; seen {
					rep.RowsReplaced++
				}
				headers[h.id] = h
				return
			}
			e, ok := readEpisode(r, p)
			if !ok {
				return
			}
			key := episodeKey{e.child, e.start}
			if at, dup := inFile[key]; dup {
				p.add(r.at, "DECOM", "repeats the episode of %s: a child has one episode a day", at)
				return
			}
			inFile[key] = r.at
			if _, seen := episodes[key]; seen {
				rep.RowsReplaced++
			}
			episodes[key] = e
		})
		rep.Files = append(rep.Files, FileCount{Name: f.Name, Kind: string(k), Rows: n})
	}
	for _, k := range []kind{headerFile, episodesFile} {
		if !slices.Contains(kinds, k) {
			p.add(place{"", 0}, "", "the return has no %s file: give its Header and Episodes files", k)
		}
	}

	byChild := map[string][]episode{}
	for _, e := range episodes {
		if _, ok := headers[e.child]; !ok {
			if !named[e.child] {
				p.add(e.at, "CHILD", "names a child in no Header file: every child of the Episodes files needs a Header row")
			}
			continue
		}
		byChild[e.child] = append(byChild[e.child], e)
	}
	ids := make([]string, 0, len(headers))
	for id := range headers {
		if len(byChild[id]) == 0 {
			rep.ChildrenWithoutEpisodes++
			continue
		}
		ids = append(ids, id)
	}
	slices.SortFunc(ids, compareIDs)

	var d Decoded
	for _, id := range ids {
		eps := byChild[id]
		slices.SortFunc(eps, func(a, b episode) int { return a.start.Compare(b.start) })
		checkSequence(eps, opt, p, &rep)
		d.add(headers[id], eps, council, opt, p, &rep)
	}
	if err := p.issues.Err(); err != nil {
		return Decoded{}, err
	}
	rep.Children, rep.Episodes = len(d.Batch.Children), len(d.Batch.Episodes)
	d.Report = rep
	return d, nil
}

// compareIDs orders SSDA903 ids as numbers when both are, and as text otherwise.
func compareIDs(a, b string) int {
	x, errA := strconv.ParseInt(a, 10, 64)
	y, errB := strconv.ParseInt(b, 10, 64)
	if errA == nil && errB == nil {
		return cmp.Compare(x, y)
	}
	return strings.Compare(a, b)
}

var childID = regexp.MustCompile(`^[A-Za-z0-9/_-]{1,64}$`)

func readChild(r row, p problems) (string, bool) {
	id := r.cell("CHILD")
	if !childID.MatchString(id) {
		p.add(r.at, "CHILD", "must be the child's SSDA903 id: 1 to 64 letters, digits, /, _ or -")
		return "", false
	}
	return id, true
}

func readHeader(r row, p problems, rep *Report) (header, bool) {
	h := header{at: r.at}
	id, ok := readChild(r, p)
	h.id = id
	switch r.cell("SEX") {
	case "1":
		h.sex = catalogue.Male
	case "2":
		h.sex = catalogue.Female
	default:
		p.add(r.at, "SEX", "must be 1 (male) or 2 (female)")
		ok = false
	}
	h.dob, ok = date(r, "DOB", p, true, ok)
	h.eth = catalogue.Ethnicity(strings.ToUpper(r.cell("ETHNIC")))
	if !h.eth.Valid() {
		p.add(r.at, "ETHNIC", "must be an SSDA903 ethnicity code such as WBRI, MWBC or BAFR")
		ok = false
	}
	for _, c := range dropped {
		if r.cell(c) != "" {
			rep.Dropped[c]++
		}
	}
	return h, ok
}

// date reads a date cell; ok is passed through, and false when the cell is bad.
func date(r row, col string, p problems, required, ok bool) (time.Time, bool) {
	s := r.cell(col)
	if s == "" {
		if required {
			p.add(r.at, col, "is required: a date, DD/MM/YYYY")
			return time.Time{}, false
		}
		return time.Time{}, ok
	}
	t, good := parseDate(s)
	if !good {
		p.add(r.at, col, "must be a date, DD/MM/YYYY")
		return time.Time{}, false
	}
	return t, ok
}

func readEpisode(r row, p problems) (episode, bool) {
	e := episode{at: r.at}
	id, ok := readChild(r, p)
	e.child = id
	e.start, ok = date(r, "DECOM", p, true, ok)
	e.end, ok = date(r, "DEC", p, false, ok)
	if !e.start.IsZero() && !e.end.IsZero() && !e.end.After(e.start) {
		p.add(r.at, "DEC", "must be after DECOM (%s): an episode ends after the day it begins", e.start.Format(dateLayout))
		ok = false
	}
	c := &e.codes
	c.NewEpisode = catalogue.NewEpisodeReason(strings.ToUpper(r.cell("RNE")))
	c.LegalStatus = catalogue.LegalCode(strings.ToUpper(r.cell("LS")))
	c.Need = catalogue.NeedCategory(strings.ToUpper(r.cell("CIN")))
	c.Place = catalogue.PlaceCode(strings.ToUpper(r.cell("PLACE")))
	c.Provider = catalogue.ProviderCode(strings.ToUpper(r.cell("PLACE_PROVIDER")))
	c.URN = r.cell("URN")
	check := func(col string, valid bool, format string, args ...any) {
		if !valid {
			p.add(r.at, col, format, args...)
			ok = false
		}
	}
	check("RNE", c.NewEpisode.Valid(), "must be an SSDA903 reason for new episode, one of %v", catalogue.NewEpisodeReasons)
	check("LS", c.LegalStatus.Valid(), "must be an SSDA903 legal status such as C2, E1 or V2")
	check("CIN", c.Need.Valid(), "must be an SSDA903 category of need, one of %v", catalogue.NeedCategories)
	check("PLACE", c.Place.Valid(), "must be an SSDA903 placement type such as U4, K2 or H5")
	check("PLACE_PROVIDER", c.Provider == "" || c.Provider.Valid(), "must be an SSDA903 placement provider, one of %v", catalogue.ProviderCodes)
	check("URN", len(c.URN) <= 20, "must be at most 20 characters")
	rec := catalogue.CeasedReason(strings.ToUpper(r.cell("REC")))
	reason := catalogue.ChangeReason(strings.ToUpper(r.cell("REASON_PLACE_CHANGE")))
	switch {
	case e.end.IsZero():
		// The return's open episodes sometimes carry a REC or a reason: nothing has ended, so
		// neither means anything yet.
		e.ignored = rec != "" || reason != ""
	case rec == "":
		check("REC", false, "is required when DEC is given: the SSDA903 reason the episode ceased, such as X1 or E4A")
	default:
		check("REC", rec.Valid(), "must be an SSDA903 reason episode ceased, such as X1, E4A or E13")
		check("REASON_PLACE_CHANGE", reason == "" || reason.Valid(), "must be an SSDA903 reason for placement change, one of %v", catalogue.ChangeReasons)
		c.Ceased, e.reason = rec, reason
	}
	for _, pc := range []struct {
		col string
		to  *string
	}{{"HOME_POST", &c.HomeDistrict}, {"PL_POST", &c.PlacedDistrict}} {
		s := r.cell(pc.col)
		if s == "" {
			continue
		}
		out, good := catalogue.OutwardCode(s)
		check(pc.col, good, "must be a UK postcode such as LS1 4AP (only its outward code, LS1, is kept)")
		*pc.to = out
	}
	return e, ok
}

// checkSequence checks a child's episodes, in order of start, follow one another: only the
// last may be open, and none begins before the one before it ended (or, with TrimOverlaps,
// the one before is ended on the day the next begins).
func checkSequence(eps []episode, opt Options, p problems, rep *Report) {
	for k := 1; k < len(eps); k++ {
		prev, cur := &eps[k-1], eps[k]
		switch {
		case prev.end.IsZero():
			p.add(prev.at, "DEC", "is required: the child's next episode (%s) begins on %s", cur.at, cur.start.Format(dateLayout))
		case !cur.start.Before(prev.end):
		case opt.TrimOverlaps:
			prev.end = cur.start
			rep.OverlapsTrimmed++
		default:
			p.add(cur.at, "DECOM", "overlaps the child's episode of %s, which ends on %s", prev.at, prev.end.Format(dateLayout))
		}
	}
}

// add puts a child and their episodes into the batch, reporting what the catalogue refuses.
func (d *Decoded) add(h header, eps []episode, council catalogue.Council, opt Options, p problems, rep *Report) {
	last := eps[len(eps)-1]
	c := catalogue.Child{
		ID: catalogue.ChildID(-int64(len(d.Batch.Children) + 1)), Council: council.Code, CaseRef: h.id,
		FirstName: catalogue.ReturnChildName, DateOfBirth: h.dob, Sex: h.sex, Ethnicity: h.eth,
		// The return carries neither religion nor language: stand-ins, as the child is history
		// and never matched.
		Religion: catalogue.ReligionNone, FirstLanguage: "und",
		LegalStatus: last.codes.LegalStatus.Status(), CareType: careTypeOf(catalogue.SettingOfPlace(last.codes.Place, last.codes.Provider)),
		Purpose: catalogue.PurposeShortTerm, NeededBy: eps[0].start, Companions: catalogue.CompanionsNoPreference,
		Pets: catalogue.PetsCan, Status: catalogue.ChildClosed,
	}
	if last.codes.Place == "U1" || last.codes.Place == "U4" {
		c.Purpose = catalogue.PurposeLongTerm
	}
	if at, ok := opt.Districts[last.codes.HomeDistrict]; ok {
		c.Home = at
		rep.HomesInDistrict++
	} else {
		c.Home = council.Centre
		rep.HomesAtCouncilCentre++
	}
	if err := c.Validate(); err != nil {
		for _, f := range catalogue.FieldErrors(err) {
			col, at := childColumn(f.Field), h.at
			if col == "DECOM" {
				at = eps[0].at
			}
			p.add(at, col, "%s", f.Message)
		}
	}
	d.Batch.Children = append(d.Batch.Children, c)
	d.children = append(d.children, h.at)
	for k, e := range eps {
		ep := catalogue.Episode{
			ID: catalogue.EpisodeID(-int64(len(d.Batch.Episodes) + 1)), Child: c.ID, Council: council.Code,
			Start: e.start, End: e.end, Setting: catalogue.SettingOfPlace(e.codes.Place, e.codes.Provider),
			DistanceKm: catalogue.UnknownDistance, Return: e.codes,
		}
		if !e.end.IsZero() {
			ep.Reason, ep.Return.ReasonGiven = e.reason, e.reason != ""
			var next catalogue.NewEpisodeReason
			if k+1 < len(eps) && eps[k+1].start.Equal(e.end) {
				next = eps[k+1].codes.NewEpisode
			}
			if (next != "") == e.codes.Ceased.LeftCare() {
				rep.CeasedMismatches++
			}
			if e.reason == "" {
				ep.Reason = catalogue.ReturnStandInReason(next)
				rep.StandInReasons++
			}
		} else {
			rep.OpenEpisodes++
			if e.ignored {
				rep.OpenCodesIgnored++
			}
		}
		home, okH := opt.Districts[e.codes.HomeDistrict]
		placed, okP := opt.Districts[e.codes.PlacedDistrict]
		if okH && okP {
			ep.DistanceKm = min(catalogue.DistanceKm(home, placed), catalogue.MaxDistanceKm)
		}
		check := ep
		check.Child = 1 // the batch's key stands for a child the store will give an ID
		if err := check.Validate(); err != nil {
			for _, f := range catalogue.FieldErrors(err) {
				p.add(e.at, episodeColumn(f.Field), "%s", f.Message)
			}
		}
		d.Batch.Episodes = append(d.Batch.Episodes, ep)
		d.episodes = append(d.episodes, e.at)
	}
}

func careTypeOf(s catalogue.Setting) catalogue.CareType {
	switch s {
	case catalogue.SettingKinship:
		return catalogue.CareKinship
	case catalogue.SettingChildrensHome, catalogue.SettingSecure:
		return catalogue.CareChildrensHome
	case catalogue.SettingSupported:
		return catalogue.CareSupported
	}
	return catalogue.CareFamilyFoster
}

// childColumn is the column of a Header row a child's field comes from.
func childColumn(field string) string {
	switch field {
	case "date_of_birth":
		return "DOB"
	case "sex":
		return "SEX"
	case "ethnicity":
		return "ETHNIC"
	case "needed_by":
		return "DECOM"
	}
	return "CHILD"
}

// episodeColumn is the column of an Episodes row an episode's field comes from.
func episodeColumn(field string) string {
	switch field {
	case "start":
		return "DECOM"
	case "end":
		return "DEC"
	case "reason":
		return "REASON_PLACE_CHANGE"
	case "setting", "return.place":
		return "PLACE"
	case "return.new_episode":
		return "RNE"
	case "return.legal_status":
		return "LS"
	case "return.need":
		return "CIN"
	case "return.provider":
		return "PLACE_PROVIDER"
	case "return.ceased":
		return "REC"
	case "return.home_district":
		return "HOME_POST"
	case "return.placed_district":
		return "PL_POST"
	case "return.urn":
		return "URN"
	}
	return "CHILD"
}

var batchField = regexp.MustCompile(`^(children|episodes)\[(\d+)\]\.?(.*)$`)

// Locate turns the problems Store.Import found in the batch (a case reference already used,
// say) into problems of the files' rows and columns.
func (d Decoded) Locate(err error) error {
	var ce *catalogue.Error
	if !errors.As(err, &ce) || ce.Kind != catalogue.KindInvalid {
		return err
	}
	out := *ce
	out.Fields = make([]catalogue.FieldError, len(ce.Fields))
	for i, f := range ce.Fields {
		out.Fields[i] = f
		m := batchField.FindStringSubmatch(f.Field)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[2])
		var at place
		col := ""
		switch {
		case m[1] == "children" && n < len(d.children):
			at, col = d.children[n], childColumn(m[3])
		case m[1] == "episodes" && n < len(d.episodes):
			at, col = d.episodes[n], episodeColumn(m[3])
		default:
			continue
		}
		out.Fields[i] = catalogue.FieldError{Row: at.row, Field: at.file + ":" + col, Message: f.Message}
	}
	return &out
}

// FileCount is how many rows a file had.
type FileCount struct {
	Name string
	Kind string // Header or Episodes
	Rows int
}

// Report says what a decode read, kept and dropped.
type Report struct {
	Council  catalogue.CouncilCode
	Files    []FileCount
	Children int // children imported: those with an episode
	Episodes int // episodes imported
	// OpenEpisodes are the episodes still going on at the return's end.
	OpenEpisodes int
	// RowsReplaced are rows of an earlier year's file that a later year's replaced.
	RowsReplaced int
	// ChildrenWithoutEpisodes are Header rows of children with no episode, not imported.
	ChildrenWithoutEpisodes int
	// HomesInDistrict are children whose home is located at their postcode district's centre;
	// HomesAtCouncilCentre fell back to the council's centre (no postcode, or a district the
	// district file does not have).
	HomesInDistrict, HomesAtCouncilCentre int
	// Dropped counts the cells of the columns not kept (UPN, MOTHER, MC_DOB) that held a value.
	Dropped map[string]int
	// OpenCodesIgnored are open episodes that gave a REC or REASON_PLACE_CHANGE, ignored.
	OpenCodesIgnored int
	// StandInReasons are ended episodes with no REASON_PLACE_CHANGE, given the stand-in reason
	// (catalogue.ReturnStandInReason) and exported blank again.
	StandInReasons int
	// OverlapsTrimmed are episodes ended on the day the child's next began (TrimOverlaps).
	OverlapsTrimmed int
	// CeasedMismatches are ended episodes whose REC disagrees with what follows: X1 with no
	// episode beginning the same day, or a leaving-care code with one. Kept as given; the
	// forecast takes the episodes' dates as the truth.
	CeasedMismatches int
}

// String is the report as the command prints it, one fact a line.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "SSDA903 return of %s\n", r.Council)
	for _, f := range r.Files {
		fmt.Fprintf(&b, "read %s (%s): %d rows\n", f.Name, f.Kind, f.Rows)
	}
	fmt.Fprintf(&b, "children: %d (as history, not waiting)\n", r.Children)
	fmt.Fprintf(&b, "episodes: %d, of which %d still open\n", r.Episodes, r.OpenEpisodes)
	fmt.Fprintf(&b, "rows replaced by a later year's: %d\n", r.RowsReplaced)
	fmt.Fprintf(&b, "children in a Header file with no episode, not imported: %d\n", r.ChildrenWithoutEpisodes)
	fmt.Fprintf(&b, "homes located at their postcode district: %d; fell back to the council's centre: %d\n", r.HomesInDistrict, r.HomesAtCouncilCentre)
	for _, c := range dropped {
		fmt.Fprintf(&b, "dropped %s: %d values\n", c, r.Dropped[c])
	}
	fmt.Fprintf(&b, "open episodes whose REC or REASON_PLACE_CHANGE was ignored: %d\n", r.OpenCodesIgnored)
	fmt.Fprintf(&b, "ended episodes with no REASON_PLACE_CHANGE (stand-in reason): %d\n", r.StandInReasons)
	fmt.Fprintf(&b, "overlapping episodes trimmed: %d\n", r.OverlapsTrimmed)
	fmt.Fprintf(&b, "ended episodes whose REC disagrees with what follows (X1 and no episode that day, or left care and one): %d\n", r.CeasedMismatches)
	return b.String()
}
