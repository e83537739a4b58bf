package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/exchange"
)

// importResult says what an import wrote.
type importResult struct {
	Kind          string `json:"kind"`
	Children      int    `json:"children,omitempty"`
	SiblingGroups int    `json:"sibling_groups,omitempty"`
	Providers     int    `json:"providers,omitempty"`
	Placements    int    `json:"placements,omitempty"`
	Vacancies     int    `json:"vacancies,omitempty"`
	Referrals     int    `json:"referrals,omitempty"`
	FamilyNetwork int    `json:"family_network,omitempty"` // members of children's family networks
	StayingPut    int    `json:"staying_put,omitempty"`    // young people's Staying Put recorded
	// NotKept names the fields of the Placements Data Standard the file gave that placematch
	// read and did not keep, each with why: none is dropped silently.
	NotKept []notKeptDTO `json:"not_kept,omitempty"`
	// Flags: what was accepted but must not pass in silence (catalogue.LawFlags), each naming
	// the row's field: settings not registered with Ofsted, above all those children live in.
	Flags []catalogue.FieldError `json:"flags,omitempty"`
}

type notKeptDTO struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// importFile reads a whole CSV or JSON file, validates every row and writes all of it or none.
// Officers import children of their own council, and their referrals; placements are imported
// by administrators.
// The file is read as a stream; a bad one is answered with its first problems and their count
// (catalogue.MaxIssues), and one larger than the limit (--max-import) with a 413, before it is
// read when its length is declared.
func (s *server) importFile(c *gin.Context) error {
	kind, format, err := kindAndFormat(c)
	if err != nil {
		return err
	}
	p := principal(c)
	opt := exchange.DecodeOptions{MaxBytes: s.maxImport}
	switch {
	case kind == exchange.Placements && p.Role != catalogue.RoleAdmin:
		return errForbidden
	case p.Role == catalogue.RoleOfficer:
		opt.Council = p.Council
	}
	if c.Request.ContentLength > s.maxImport {
		return s.importTooLarge()
	}
	if kind == exchange.Referrals {
		return s.importReferrals(c, format)
	}
	if kind == exchange.Network {
		return s.importNetwork(c, format)
	}
	if kind == exchange.StayingPut {
		return s.importStayingPut(c, format)
	}
	file, err := exchange.DecodeFile(importBody{c.Request.Body}, format, kind, opt)
	batch := file.Batch
	if errors.Is(err, exchange.ErrTooLarge) {
		return s.importTooLarge()
	}
	if err != nil {
		return err
	}
	res, err := s.store.Import(c.Request.Context(), batch)
	if err != nil {
		return err
	}
	if len(res.Placements) > 0 {
		if err := s.match.Refresh(context.WithoutCancel(c.Request.Context())); err != nil {
			s.log.WarnContext(c.Request.Context(), "matcher snapshot not refreshed after import", "err", err)
		}
	}
	out := importResult{Kind: string(kind), Children: len(res.Children),
		SiblingGroups: len(res.SiblingGroups), Providers: len(res.Providers), Placements: len(res.Placements),
		Vacancies: res.Vacancies, Flags: res.Flags}
	for _, n := range file.NotKept {
		out.NotKept = append(out.NotKept, notKeptDTO{Field: n.Field, Reason: n.Reason})
	}
	c.JSON(http.StatusCreated, out)
	return nil
}

// exportFile writes every record of a kind the caller may see, in CSV (formula characters
// escaped) or JSON.
func (s *server) exportFile(c *gin.Context) error {
	kind, format, err := kindAndFormat(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	scope := principal(c).Scope()
	var buf bytes.Buffer
	switch kind {
	case exchange.Children:
		children, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Child], error) {
			return s.store.ListChildren(ctx, scope, catalogue.ChildFilter{After: catalogue.ChildID(after), Limit: catalogue.MaxLimit})
		})
		if err != nil {
			return err
		}
		groups, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.SiblingGroup], error) {
			return s.store.ListSiblingGroups(ctx, scope, catalogue.GroupFilter{After: catalogue.SiblingGroupID(after), Limit: catalogue.MaxLimit})
		})
		if err != nil {
			return err
		}
		if err := s.auditRead(c, "export", "children", principal(c).Council); err != nil {
			return err
		}
		if err := exchange.EncodeChildren(&buf, format, children, groups); err != nil {
			return err
		}
	case exchange.Referrals:
		if err := s.exportReferrals(c, format, &buf); err != nil {
			return err
		}
	case exchange.Network:
		if err := s.exportNetwork(c, format, &buf); err != nil {
			return err
		}
	case exchange.StayingPut:
		if err := s.exportStayingPut(c, format, &buf); err != nil {
			return err
		}
	default:
		placements, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Placement], error) {
			return s.store.ListPlacements(ctx, scope, catalogue.PlacementFilter{After: catalogue.PlacementID(after), Limit: catalogue.MaxLimit})
		})
		if err != nil {
			return err
		}
		if err := exchange.EncodePlacements(&buf, format, placements); err != nil {
			return err
		}
	}
	contentType := "application/json"
	if format == exchange.CSV {
		contentType = "text/csv; charset=utf-8"
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, kind, format))
	c.Data(http.StatusOK, contentType, buf.Bytes())
	return nil
}

func (s *server) importTooLarge() error {
	return statusError(http.StatusRequestEntityTooLarge, "the file is larger than %d bytes, the most an import may be: split it into smaller files", s.maxImport)
}

// importBody is an import's body, whose limit (http.MaxBytesReader, see limitBody) the
// exchange decoder knows as exchange.ErrTooLarge.
type importBody struct{ r io.Reader }

func (b importBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		err = exchange.ErrTooLarge
	}
	return n, err
}

func kindAndFormat(c *gin.Context) (exchange.Kind, exchange.Format, error) {
	q := newQuery(c)
	kind, err := exchange.ParseKind(c.Param("kind"))
	if err != nil {
		q.fail("kind", "must be children, placements, referrals, family_network or staying_put")
	}
	fs := c.Query("format")
	if fs == "" {
		fs = "json"
	}
	format, err := exchange.ParseFormat(fs)
	if err != nil {
		q.fail("format", "must be csv or json")
	}
	return kind, format, q.err()
}
