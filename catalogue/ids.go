package catalogue

import "strconv"

// Typed identifiers keep a child's ID from being passed where a placement's is wanted.
// They are positive; zero means "not yet stored".
type (
	ChildID        int64
	SiblingGroupID int64
	PlacementID    int64
	ProviderID     int64
	VacancyID      int64
	OfferID        int64
	MatchRunID     int64
	TokenID        int64
)

func (id ChildID) String() string        { return strconv.FormatInt(int64(id), 10) }
func (id SiblingGroupID) String() string { return strconv.FormatInt(int64(id), 10) }
func (id PlacementID) String() string    { return strconv.FormatInt(int64(id), 10) }
func (id ProviderID) String() string     { return strconv.FormatInt(int64(id), 10) }
func (id VacancyID) String() string      { return strconv.FormatInt(int64(id), 10) }
func (id OfferID) String() string        { return strconv.FormatInt(int64(id), 10) }
func (id MatchRunID) String() string     { return strconv.FormatInt(int64(id), 10) }
func (id TokenID) String() string        { return strconv.FormatInt(int64(id), 10) }

// CouncilCode is the ONS (GSS) code of an English upper-tier local authority, E06000001 style.
type CouncilCode string

// RegionCode is the ONS code of an English region, E12000001 to E12000009.
type RegionCode string
