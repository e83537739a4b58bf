package api

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/exchange"
)

// Family networks and Staying Put, imported and exported (docs/exchange.md): administrators every council's,
// officers their own council's children's. A file names stored children; a child outside the
// caller's scope is "no such child", with the row and column, as a missing one is. Each
// member imported is audited on the child's record by the store.

// importNetwork reads a whole family network file and stores every member or none.
func (s *server) importNetwork(c *gin.Context, format exchange.Format) error {
	fam, err := s.familyStoreOf()
	if err != nil {
		return err
	}
	file, err := s.decodeStored(c, format, exchange.Network, exchange.DecodeOptions{})
	if err != nil {
		return err
	}
	stored, err := fam.ImportNetwork(c.Request.Context(), principal(c).Scope(), file.Network)
	if err != nil {
		return file.Locate(err)
	}
	out := importResult{Kind: string(exchange.Network), FamilyNetwork: len(stored)}
	for _, n := range file.NotKept {
		out.NotKept = append(out.NotKept, notKeptDTO{Field: n.Field, Reason: n.Reason})
	}
	c.JSON(http.StatusCreated, out)
	return nil
}

// exportNetwork writes the family networks in the caller's scope (audited).
func (s *server) exportNetwork(c *gin.Context, format exchange.Format, buf *bytes.Buffer) error {
	fam, err := s.familyStoreOf()
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	p := principal(c)
	ms, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.NetworkMember], error) {
		return fam.ListNetwork(ctx, p.Scope(), catalogue.NetworkMemberID(after), catalogue.MaxLimit)
	})
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "export", "family_network", p.Council); err != nil {
		return err
	}
	return exchange.EncodeNetwork(buf, format, ms)
}

func (s *server) familyStoreOf() (catalogue.FamilyStore, error) {
	return storeAs[catalogue.FamilyStore](s, "family networks")
}

// importStayingPut reads a whole Staying Put file and records every young person's or none,
// each on their current placement (audited on the child's record by the store).
func (s *server) importStayingPut(c *gin.Context, format exchange.Format) error {
	hist, err := s.history()
	if err != nil {
		return err
	}
	file, err := s.decodeStored(c, format, exchange.StayingPut, exchange.DecodeOptions{})
	if err != nil {
		return err
	}
	stored, err := hist.ImportStayingPut(c.Request.Context(), principal(c).Scope(), file.StayingPut)
	if err != nil {
		return file.Locate(err)
	}
	c.JSON(http.StatusCreated, importResult{Kind: string(exchange.StayingPut), StayingPut: len(stored)})
	return nil
}

// exportStayingPut writes where the current placements in the caller's scope stand on Staying
// Put (audited).
func (s *server) exportStayingPut(c *gin.Context, format exchange.Format, buf *bytes.Buffer) error {
	hist, err := s.history()
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	p := principal(c)
	eps, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Episode], error) {
		return hist.ListEpisodes(ctx, p.Scope(), catalogue.EpisodeFilter{After: catalogue.EpisodeID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "export", "staying_put", p.Council); err != nil {
		return err
	}
	return exchange.EncodeStayingPut(buf, format, exchange.StayingPutOf(eps))
}
