package exchange

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// kindFoster stands for PDS placementType "Foster" until the provider says whose: a council's
// (council_foster) or an agency's (agency_foster).
const kindFoster catalogue.PlacementKind = "foster"

// maxVacancies bounds the vacancies listed for one placement.
const maxVacancies = 50

// placementRec is one placement as read from a file, before references are resolved.
type placementRec struct {
	sink     *rowSink
	key      string // the file's id, "" when not given
	pl       catalogue.Placement
	provider string // the key of a provider in the file, "" when pl.Provider is a stored ID
	name     func(path string) string
	vacName  func(i int, path string) string
	broken   bool
	index    int // the placement's position in the file, from 0
}

// providerRec is one provider defined in a JSON placements file.
type providerRec struct {
	sink *rowSink
	key  string
	p    catalogue.Provider
	name func(path string) string
}

// placementAssembler checks placements as they are read, in file order, as childAssembler
// does children: a placement whose provider is stored (or missing) is checked at once, and one
// that names a provider of the file (JSON) at the end, when every provider is known. It keeps
// every placement while the file has no problem, and then only the keys and the placements that
// wait for their provider.
type placementAssembler struct {
	rep     *report
	n       int
	keys    map[string]int
	kept    []placementRec // every placement, while the report is empty
	waiting []placementRec // the placements that name a provider of the file
}

func newPlacementAssembler(rep *report) *placementAssembler {
	return &placementAssembler{rep: rep, keys: map[string]int{}}
}

// add checks the next placement of the file.
func (a *placementAssembler) add(r placementRec) {
	i := a.n
	a.n++
	r.index = i
	r.pl.ID = catalogue.PlacementID(-(i + 1))
	if !r.broken {
		if r.key != "" {
			if first, dup := a.keys[r.key]; dup {
				r.sink.fail("id", "%q is the id of another placement (record at %d)", clip(r.key), first)
			} else {
				a.keys[strings.Clone(r.key)] = r.sink.row
			}
		}
		if r.provider == "" {
			a.check(&r, nil)
		} else {
			a.waiting = append(a.waiting, r)
		}
	}
	switch {
	case a.rep.empty():
		a.kept = append(a.kept, r)
	case a.kept != nil:
		a.kept = nil // nothing will be written: let the records go
	}
}

// check applies a placement's rules: whose foster home it is, its vacancies, its Validate. prov
// is the provider of the file it names, nil for a stored one.
func (a *placementAssembler) check(r *placementRec, prov *catalogue.Provider) {
	if r.pl.Kind == kindFoster {
		switch {
		case prov == nil && !r.sink.reported(r.name("provider")):
			r.sink.fail(r.name("kind"), "Foster does not say whose: write council_foster, agency_foster or kinship")
		case prov == nil:
		case prov.Kind == catalogue.ProviderCouncil:
			r.pl.Kind = catalogue.CouncilFoster
		default:
			r.pl.Kind = catalogue.AgencyFoster
		}
	}
	places := 0
	for _, v := range r.pl.Vacancies {
		if v.Status != catalogue.VacancyWithdrawn {
			places++
		}
	}
	switch {
	case len(r.pl.Vacancies) > maxVacancies:
		r.sink.fail(r.name("vacancies"), "lists %d vacancies, more than %d", len(r.pl.Vacancies), maxVacancies)
	case places > r.pl.Approval.MaxChildren && r.pl.Approval.MaxChildren > 0:
		r.sink.fail(r.name("vacancies"), "lists %d places that are not withdrawn, more than the %d the placement is approved for", places, r.pl.Approval.MaxChildren)
	}
	check := r.pl
	if check.Provider < 0 {
		check.Provider = 1 // a batch-local key; Validate wants a stored ID's sign
	}
	r.sink.validated(check.Validate(), r.name)
	for j, v := range r.pl.Vacancies {
		v.Placement = 1 // set by the store when the placement is written
		r.sink.validated(v.Validate(), func(p string) string { return r.vacName(j, p) })
	}
}

// finish resolves the providers of the file that placements name, checks those placements and
// every provider, and returns the batch, or an empty one when the file has a problem.
func (a *placementAssembler) finish(providers []providerRec) catalogue.Batch {
	provIdx := make(map[string]int, len(providers))
	for i := range providers {
		pr := &providers[i]
		pr.p.ID = catalogue.ProviderID(-(i + 1))
		provIdx[pr.key] = i
		pr.sink.validated(pr.p.Validate(), pr.name)
	}
	for i := range a.waiting {
		r := &a.waiting[i]
		var prov *catalogue.Provider
		if pi, ok := provIdx[r.provider]; !ok {
			r.sink.fail(r.name("provider"), "refers to provider %q, which is not in the file's providers", clip(r.provider))
		} else {
			r.pl.Provider = catalogue.ProviderID(-(pi + 1))
			prov = &providers[pi].p
		}
		a.check(r, prov)
		if a.kept != nil {
			a.kept[r.index].pl = r.pl
		}
	}
	if !a.rep.empty() {
		return catalogue.Batch{}
	}
	b := catalogue.Batch{
		Placements: make([]catalogue.Placement, len(a.kept)),
		Providers:  make([]catalogue.Provider, len(providers)),
	}
	for i, r := range a.kept {
		b.Placements[i] = r.pl
	}
	for i, pr := range providers {
		b.Providers[i] = pr.p
	}
	return b
}

// placementKind reads a placement type: ours, or PDS placementType.
func placementKind(s *rowSink, field, v string) catalogue.PlacementKind {
	if norm(v) == "foster" {
		return kindFoster
	}
	return getEnum(s, field, v, catalogue.PlacementKinds, kindAliases, true)
}

// vacancyItem reads one vacancy "YYYY-MM-DD[:status[:child]]" of a CSV vacancies cell.
func vacancyItem(s *rowSink, field, item string) (catalogue.Vacancy, bool) {
	parts := strings.Split(item, ":")
	if len(parts) > 3 {
		s.fail(field, "%q must be a date, then optionally :status and :child, such as 2026-02-01 or 2026-02-01:filled:1234", clip(item))
		return catalogue.Vacancy{}, false
	}
	v := catalogue.Vacancy{Status: catalogue.VacancyAvailable}
	d, ok := parseDate(parts[0], true)
	if !ok {
		s.fail(field, "%q %s", clip(parts[0]), dateMsg)
		return v, false
	}
	v.AvailableFrom = d
	if len(parts) > 1 {
		st, ok := enum(parts[1], catalogue.VacancyStatuses, nil)
		if !ok {
			s.fail(field, "status %q %s", clip(parts[1]), oneOfMsg(catalogue.VacancyStatuses))
			return v, false
		}
		v.Status = st
	}
	if len(parts) > 2 {
		id, ok := parseID(parts[2])
		if !ok {
			s.fail(field, "child %q must be the ID of a stored child", clip(parts[2]))
			return v, false
		}
		v.Child = catalogue.ChildID(id)
	}
	return v, true
}

func formatVacancy(v catalogue.Vacancy) string {
	s := formatDate(v.AvailableFrom)
	if v.Status != catalogue.VacancyAvailable || v.Child != 0 {
		s += ":" + string(v.Status)
	}
	if v.Child != 0 {
		s += ":" + v.Child.String()
	}
	return s
}

// EncodePlacements writes placements with their vacancies in format f, in ID order (vacancies in
// ID order within each). Providers are referred to by their stored IDs.
func EncodePlacements(w io.Writer, f Format, placements []catalogue.Placement) error {
	placements = slices.Clone(placements)
	slices.SortStableFunc(placements, func(a, b catalogue.Placement) int { return cmp.Compare(a.ID, b.ID) })
	for i := range placements {
		vs := slices.Clone(placements[i].Vacancies)
		slices.SortStableFunc(vs, func(a, b catalogue.Vacancy) int { return cmp.Compare(a.ID, b.ID) })
		placements[i].Vacancies = vs
	}
	switch f {
	case CSV:
		return encodePlacementsCSV(w, placements)
	case JSON:
		return encodePlacementsJSON(w, placements)
	}
	return catalogue.Invalid("format", "must be %q or %q", CSV, JSON)
}

// vacancyPath names a vacancy field in JSON.
func vacancyPath(i int, p string) string { return fmt.Sprintf("vacancies[%d].%s", i, p) }
