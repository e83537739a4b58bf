package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// tokenPrefix marks placematch API tokens so that a leaked one is easy to recognise.
const tokenPrefix = "pm_"

func (s *server) healthz(c *gin.Context) error {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
	return nil
}

func (s *server) readyz(c *gin.Context) error {
	if err := s.store.Ping(c.Request.Context()); err != nil {
		s.log.WarnContext(c.Request.Context(), "not ready", "err", err)
		return &httpError{status: http.StatusServiceUnavailable, detail: "the store is not reachable",
			header: http.Header{"Retry-After": {retryUnavailable}}, logged: true}
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
	return nil
}

type meDTO struct {
	Token    int64  `json:"token"`
	Role     string `json:"role"`
	Council  string `json:"council,omitempty"`
	Region   string `json:"region,omitempty"`
	Provider int64  `json:"provider,omitempty"`
	Level    string `json:"level,omitempty"`
}

func (s *server) me(c *gin.Context) error {
	p := principal(c)
	c.JSON(http.StatusOK, meDTO{Token: int64(p.Token), Role: string(p.Role), Council: string(p.Council), Region: string(p.Region), Provider: int64(p.Provider),
		Level: string(p.Level)})
	return nil
}

func (s *server) createToken(c *gin.Context) error {
	var d tokenRequest
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	t, secret, err := s.makeToken(c.Request.Context(), d)
	if err != nil {
		return err
	}
	secretResponse(c)
	r := fromToken(t)
	r.Token = secret
	c.JSON(http.StatusCreated, r)
	return nil
}

// fromToken is a token as the API shows it, never its secret or hash.
func fromToken(t catalogue.Token) tokenResponse {
	return tokenResponse{ID: int64(t.ID), Label: t.Label, Role: string(t.Role), Council: string(t.Council), Region: string(t.Region),
		Provider: int64(t.Provider), Level: string(t.Level), ExpiresAt: timePtr(t.ExpiresAt), CreatedAt: timePtr(t.CreatedAt),
		RevokedAt: timePtr(t.RevokedAt)}
}

// listTokens answers GET /v1/tokens: every token, live or not, the newest first, without
// secrets.
func (s *server) listTokens(c *gin.Context) error {
	list, err := s.store.ListTokens(c.Request.Context())
	if err != nil {
		return err
	}
	out := tokenListDTO{Items: make([]tokenResponse, len(list))}
	for i, t := range list {
		out.Items[i] = fromToken(t)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// makeToken makes a token from a request, the API's or the administrator's form: its secret,
// shown once, and the token stored with the secret's hash only.
func (s *server) makeToken(ctx context.Context, d tokenRequest) (catalogue.Token, string, error) {
	secret, hash := catalogue.NewSecret(tokenPrefix)
	t := catalogue.Token{Label: d.Label, Role: catalogue.Role(d.Role), Council: catalogue.CouncilCode(d.Council), Region: catalogue.RegionCode(d.Region),
		Provider: catalogue.ProviderID(d.Provider), Level: catalogue.ManagerLevel(d.Level), Hash: hash, CreatedAt: s.now()}
	if d.ExpiresIn != "" {
		ttl, err := time.ParseDuration(d.ExpiresIn)
		if err != nil || ttl <= 0 {
			return catalogue.Token{}, "", fieldError("expires_in", "must be a positive duration such as 720h")
		}
		t.ExpiresAt = s.now().Add(ttl)
	}
	if err := t.Validate(); err != nil {
		return catalogue.Token{}, "", err
	}
	if t.Role == catalogue.RoleProvider {
		if _, err := s.store.Provider(ctx, t.Provider); err != nil {
			if isNotFound(err) {
				return catalogue.Token{}, "", fieldError("provider", "no provider has this ID")
			}
			return catalogue.Token{}, "", err
		}
	}
	t, err := s.store.CreateToken(ctx, t)
	if err != nil {
		return catalogue.Token{}, "", err
	}
	return t, secret, nil
}

func (s *server) revokeToken(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.store.RevokeToken(c.Request.Context(), catalogue.TokenID(id)); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

func (s *server) listAudit(c *gin.Context) error {
	q := newQuery(c)
	f := catalogue.AuditFilter{Subject: q.str("subject"), Council: enum(q, "council", catalogue.CouncilCode.Valid)}
	limit, after := q.page()
	f.Limit, f.After = limit, after
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.store.ListAudit(c.Request.Context(), f)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, fromAudit))
	return nil
}
