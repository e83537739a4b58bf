package api

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/exchange"
)

// Family networks, imported and exported (docs/exchange.md): administrators every council's,
// officers their own council's children's. A file names stored children; a child outside the
// caller's scope is "no such child", with the row and column, as a missing one is. Each
// member imported is audited on the child's record by the store.

// importNetwork reads a whole family network file and stores every member or none.
func (s *server) importNetwork(c *gin.Context, format exchange.Format) error {
	fam, err := s.familyStoreOf()
	if err != nil {
		return err
	}
	file, err := exchange.DecodeFile(importBody{c.Request.Body}, format, exchange.Network, exchange.DecodeOptions{MaxBytes: s.maxImport})
	if errors.Is(err, exchange.ErrTooLarge) {
		return s.importTooLarge()
	}
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
	fs, ok := s.store.(catalogue.FamilyStore)
	if !ok {
		return nil, &httpError{status: http.StatusServiceUnavailable, detail: "this store keeps no family networks"}
	}
	return fs, nil
}
