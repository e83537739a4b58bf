package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// frameworkReaders may read the framework prices: administrators set them, commissioners set
// fees against them, officers see what their council pays. Providers do not need them.
var frameworkReaders = []catalogue.Role{catalogue.RoleAdmin, catalogue.RoleOfficer, catalogue.RoleCommissioner}

// frameworkPriceDTO is a council's weekly framework price for one kind of care, as the API
// shows and takes it (PUT /v1/framework-prices: version 0 sets one not set before).
type frameworkPriceDTO struct {
	Council     string    `json:"council"`
	Kind        string    `json:"kind"`         // council_foster, agency_foster, kinship, childrens_home, supported_accommodation
	WeeklyPrice int       `json:"weekly_price"` // pounds a week
	Note        string    `json:"note"`
	Version     int       `json:"version"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// frameworkPricesDTO is the list of prices.
type frameworkPricesDTO struct {
	Items []frameworkPriceDTO `json:"items"`
}

func fromFrameworkPrice(p catalogue.FrameworkPrice) frameworkPriceDTO {
	return frameworkPriceDTO{Council: string(p.Council), Kind: string(p.Kind), WeeklyPrice: p.WeeklyPrice, Note: p.Note,
		Version: p.Version, UpdatedAt: p.UpdatedAt}
}

func (s *server) frameworkStore() (catalogue.FrameworkPriceStore, error) {
	fs, ok := s.store.(catalogue.FrameworkPriceStore)
	if !ok {
		return nil, &httpError{status: http.StatusServiceUnavailable, detail: "this store keeps no framework prices"}
	}
	return fs, nil
}

func (s *server) listFrameworkPrices(c *gin.Context) error {
	fs, err := s.frameworkStore()
	if err != nil {
		return err
	}
	q := newQuery(c)
	council := enum(q, "council", catalogue.CouncilCode.Valid)
	if err := q.err(); err != nil {
		return err
	}
	ps, err := fs.FrameworkPrices(c.Request.Context(), council)
	if err != nil {
		return err
	}
	out := frameworkPricesDTO{Items: make([]frameworkPriceDTO, len(ps))}
	for i, p := range ps {
		out.Items[i] = fromFrameworkPrice(p)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// setFrameworkPrice sets a council's price for a kind of care (audited): the sufficiency
// report sets accepted fees against it when it is next computed.
func (s *server) setFrameworkPrice(c *gin.Context) error {
	fs, err := s.frameworkStore()
	if err != nil {
		return err
	}
	var d frameworkPriceDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	p := catalogue.FrameworkPrice{Council: catalogue.CouncilCode(d.Council), Kind: catalogue.PlacementKind(d.Kind),
		WeeklyPrice: d.WeeklyPrice, Note: d.Note, Version: d.Version}
	if err := p.Validate(); err != nil {
		return err
	}
	if p, err = fs.SetFrameworkPrice(c.Request.Context(), p); err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromFrameworkPrice(p))
	return nil
}
