package api

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/exchange"
)

// Past referrals, imported and exported (docs/exchange.md): administrators every council's,
// officers their own council's children's. A file names stored children and homes; a child
// outside the caller's scope is "no such child", with the row and column, as a missing one is.

func (s *server) referralHistory() (catalogue.ReferralHistoryStore, error) {
	return storeAs[catalogue.ReferralHistoryStore](s, "referral histories")
}

// storeAs is the Store as the interface T, or a 503 saying it keeps no what.
func storeAs[T any](s *server, what string) (T, error) {
	t, ok := s.store.(T)
	if !ok {
		return t, &httpError{status: http.StatusServiceUnavailable, detail: "this store keeps no " + what}
	}
	return t, nil
}

// decodeStored reads a whole file of a kind that names stored records (referrals, family
// networks, Staying Put): one over the server's limit is a 413.
func (s *server) decodeStored(c *gin.Context, format exchange.Format, kind exchange.Kind, opt exchange.DecodeOptions) (exchange.Decoded, error) {
	opt.MaxBytes = s.maxImport
	file, err := exchange.DecodeFile(importBody{c.Request.Body}, format, kind, opt)
	if errors.Is(err, exchange.ErrTooLarge) {
		return exchange.Decoded{}, s.importTooLarge()
	}
	return file, err
}

// importReferrals reads a whole referrals file and stores every referral or none.
func (s *server) importReferrals(c *gin.Context, format exchange.Format) error {
	hist, err := s.referralHistory()
	if err != nil {
		return err
	}
	p := principal(c)
	file, err := s.decodeStored(c, format, exchange.Referrals, exchange.DecodeOptions{Now: s.now()})
	if err != nil {
		return err
	}
	stored, err := hist.ImportReferrals(c.Request.Context(), p.Scope(), file.Referrals)
	if err != nil {
		return file.Locate(err)
	}
	out := importResult{Kind: string(exchange.Referrals), Referrals: len(stored)}
	for _, n := range file.NotKept {
		out.NotKept = append(out.NotKept, notKeptDTO{Field: n.Field, Reason: n.Reason})
	}
	c.JSON(http.StatusCreated, out)
	return nil
}

// exportReferrals writes the referrals in the caller's scope: codes, counts and times, never
// the providers' words (audited).
func (s *server) exportReferrals(c *gin.Context, format exchange.Format, buf *bytes.Buffer) error {
	ctx := c.Request.Context()
	p := principal(c)
	referrals, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Referral], error) {
		return s.store.ListReferrals(ctx, p.Scope(), catalogue.ReferralFilter{After: catalogue.ReferralID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "export", "referrals", p.Council); err != nil {
		return err
	}
	return exchange.EncodeReferrals(buf, format, referrals)
}
