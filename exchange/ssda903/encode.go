package ssda903

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/placematch/placematch/catalogue"
)

// StandInNeed is the category of need an episode recorded in placematch exports with: the
// return requires one and placematch does not record it; N1 (abuse or neglect) is the
// commonest, the need of about two in three children looked after.
const StandInNeed catalogue.NeedCategory = "N1"

// Encode writes the histories of children as the return's Header and Episodes files, in the
// DfE's layout, codes and date format: a Header row per child with a history (children
// without one are left out), in the order given, and an Episodes row per episode, in order of
// start. CHILD is the child's case reference (an imported child's SSDA903 id), or their ID
// when they have none or share it with a child written before. An imported episode is written
// with the codes its return gave (catalogue.ReturnCodes); one recorded in placematch with the
// codes of its setting, the child's legal status, StandInNeed, X1 when the next episode began
// the day it ended and E8 when none did, and its reason only when the child moved. UPN,
// MOTHER and MC_DOB are written empty; postcodes are their outward code, all that is kept.
func Encode(header, episodes io.Writer, children []catalogue.Child, histories map[catalogue.ChildID][]catalogue.Episode) error {
	hw, ew := csv.NewWriter(header), csv.NewWriter(episodes)
	if err := hw.Write(headerColumns); err != nil {
		return fmt.Errorf("ssda903: write the Header file: %w", err)
	}
	if err := ew.Write(episodeColumns); err != nil {
		return fmt.Errorf("ssda903: write the Episodes file: %w", err)
	}
	used := map[string]bool{}
	for _, c := range children {
		eps := histories[c.ID]
		if len(eps) == 0 {
			continue
		}
		id := c.CaseRef
		if id == "" || used[id] || !childID.MatchString(id) {
			id = c.ID.String()
		}
		used[id] = true
		sex := "1"
		if c.Sex == catalogue.Female {
			sex = "2"
		}
		if err := hw.Write([]string{id, sex, c.DateOfBirth.Format(dateLayout), string(c.Ethnicity), "", "", ""}); err != nil {
			return fmt.Errorf("ssda903: write the Header file: %w", err)
		}
		for k, e := range eps {
			var next *catalogue.Episode
			if k+1 < len(eps) && !e.End.IsZero() && eps[k+1].Start.Equal(e.End) {
				next = &eps[k+1]
			}
			var prev *catalogue.Episode
			if k > 0 {
				prev = &eps[k-1]
			}
			if err := ew.Write(episodeRecord(id, c, e, prev, next)); err != nil {
				return fmt.Errorf("ssda903: write the Episodes file: %w", err)
			}
		}
	}
	hw.Flush()
	ew.Flush()
	if err := hw.Error(); err != nil {
		return fmt.Errorf("ssda903: write the Header file: %w", err)
	}
	if err := ew.Error(); err != nil {
		return fmt.Errorf("ssda903: write the Episodes file: %w", err)
	}
	return nil
}

// episodeRecord is the Episodes row of an episode; prev is the child's episode before it, next
// the one that began the day it ended (nil when none did).
func episodeRecord(id string, c catalogue.Child, e catalogue.Episode, prev, next *catalogue.Episode) []string {
	r := e.Return
	if !r.Imported() {
		r.NewEpisode = catalogue.EpisodePlacementChange
		switch {
		case prev == nil || !prev.End.Equal(e.Start):
			r.NewEpisode = catalogue.EpisodeStarted
		case prev.Reason.SameCarer():
			r.NewEpisode = catalogue.EpisodeStatusChange
		}
		r.LegalStatus = catalogue.LegalCodeOf(c.LegalStatus)
		r.Need = StandInNeed
		r.Place, r.Provider = catalogue.PlaceOfSetting(e.Setting, c.Purpose == catalogue.PurposeLongTerm)
		if !e.End.IsZero() {
			r.Ceased = catalogue.LeftCareOther
			if next != nil {
				r.Ceased = catalogue.ContinuesInCare
			}
		}
		r.ReasonGiven = next != nil
	}
	dec, reason := "", ""
	if !e.End.IsZero() {
		dec = e.End.Format(dateLayout)
		if r.ReasonGiven {
			reason = string(e.Reason)
		}
	}
	return []string{id, e.Start.Format(dateLayout), string(r.NewEpisode), string(r.LegalStatus), string(r.Need),
		string(r.Place), string(r.Provider), dec, string(r.Ceased), reason, r.HomeDistrict, r.PlacedDistrict, r.URN}
}
