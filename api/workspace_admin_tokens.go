package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The administrator's tokens (issue 19, journey 5): API tokens are for machine clients (a
// council's case system, a regional portal), each with a role and a scope as an account has;
// the list, adding one (its secret shown once) and revoking one. An account's own token, which
// no one can present, is listed as the account's and revoked by disabling the account.

// tokenRow is one token as the list shows it.
type tokenRow struct {
	ID                               catalogue.TokenID
	Label, Role, Scope, Created, End string
	Tag                              tag
	Live, Account                    bool // Account: an account's own token
}

// tokensPage answers GET /workspace/admin/tokens.
func (s *server) tokensPage(c *gin.Context) error {
	q := newQuery(c)
	revoked := q.bool("revoked")
	if err := q.err(); err != nil {
		return err
	}
	ctx := c.Request.Context()
	list, err := s.store.ListTokens(ctx)
	if err != nil {
		return err
	}
	own := map[catalogue.TokenID]bool{}
	if s.accounts != nil {
		accounts, err := s.accounts.ListAccounts(ctx)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			own[a.Token] = true
		}
	}
	names, _, err := s.providerNames(c)
	if err != nil {
		return err
	}
	now := s.now()
	var rows []tokenRow
	for _, t := range list {
		r := tokenRow{ID: t.ID, Label: t.Label, Role: roleNames[t.Role], Created: longDate(t.CreatedAt), Live: t.Live(now), Account: own[t.ID],
			Scope: s.accountScope(c, catalogue.Account{Council: t.Council, Region: t.Region, Provider: t.Provider, Level: t.Level}, names)}
		switch {
		case !t.RevokedAt.IsZero():
			r.Tag, r.End = tag{"Revoked", "red"}, "revoked "+longDate(t.RevokedAt)
		case !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt):
			r.Tag, r.End = tag{"Expired", "grey"}, "expired "+longDate(t.ExpiresAt)
		case !t.ExpiresAt.IsZero():
			r.Tag, r.End = tag{"Live", "green"}, "until "+longDate(t.ExpiresAt)
		default:
			r.Tag, r.End = tag{"Live", "green"}, "does not expire"
		}
		if r.Account {
			r.Tag = tag{"An account's own", "blue"}
		}
		rows = append(rows, r)
	}
	banner := ""
	if revoked {
		banner = "The token is revoked: it is refused from now on."
	}
	return s.renderWorkspace(c, http.StatusOK, "admin_tokens", pageData{Title: "API tokens", Banner: banner, Body: struct{ Rows []tokenRow }{rows}})
}

// tokenForm is a new token as typed.
type tokenForm struct {
	Label, Role, Council, Region, Provider, Level, Days string
}

// showTokenForm renders the form to add a token, with what was typed and its mistakes.
func (s *server) showTokenForm(c *gin.Context, status int, form tokenForm, mistakes []formError) error {
	v, err := s.scopeChoices(c, mistakes)
	if err != nil {
		return err
	}
	return s.renderWorkspace(c, status, "admin_token_new", pageData{Title: "Add an API token", Errors: mistakes, Body: struct {
		accountFormView
		Form tokenForm // the token's, over the account's: the form's fields as typed
	}{v, form}})
}

// newTokenPage answers GET /workspace/admin/tokens/new.
func (s *server) newTokenPage(c *gin.Context) error {
	return s.showTokenForm(c, http.StatusOK, tokenForm{Days: "365"}, nil)
}

// tokenLabels name a token's fields at the start of a mistake's message.
var tokenLabels = map[string]string{"label": "The label", "role": "The role", "council": "The council", "region": "The region",
	"provider": "The provider", "level": "The manager's level", "expires_in": "The days it lasts"}

// addToken answers POST /workspace/admin/tokens: the token is made as POST /v1/tokens makes it
// (makeToken), its secret shown once on the page that answers; a mistake is the form again
// (400, nothing written).
func (s *server) addToken(c *gin.Context) error {
	pf, err := pageForm(c)
	if err != nil {
		return err
	}
	form := tokenForm{Label: strings.TrimSpace(pf.Get("label")), Role: pf.Get("role"), Council: pf.Get("council"), Region: pf.Get("region"),
		Provider: pf.Get("provider"), Level: pf.Get("level"), Days: strings.TrimSpace(pf.Get("days"))}
	d := tokenRequest{Label: form.Label, Role: form.Role}
	var mistakes []formError
	// Only the fields of the role chosen count: the form shows them all.
	switch catalogue.Role(form.Role) {
	case catalogue.RoleOfficer, catalogue.RoleManager:
		d.Council = form.Council
		if form.Role == string(catalogue.RoleManager) {
			d.Level = form.Level
		}
	case catalogue.RoleCommissioner:
		d.Council, d.Region = form.Council, form.Region
	case catalogue.RoleProvider:
		if form.Provider != "" {
			id, err := strconv.ParseInt(form.Provider, 10, 64)
			if err != nil || id <= 0 {
				mistakes = append(mistakes, formError{"provider", "Choose the provider"})
			}
			d.Provider = id
		}
	case catalogue.RoleAdmin:
	default:
		mistakes = append(mistakes, formError{"role", "Choose the role"})
	}
	if form.Days != "" {
		days, err := strconv.Atoi(form.Days)
		if err != nil || days < 1 || days > 3650 {
			mistakes = append(mistakes, formError{"days", "Enter the days the token lasts as a whole number from 1 to 3650, or leave it empty"})
		}
		d.ExpiresIn = fmt.Sprintf("%dh", days*24)
	}
	if form.Label == "" {
		mistakes = append(mistakes, formError{"label", "Enter a label: who or what uses the token"})
	}
	if len(mistakes) == 0 {
		t, secret, err := s.makeToken(c.Request.Context(), d)
		if err == nil {
			return s.renderWorkspace(c, http.StatusOK, "admin_shown_once", pageData{Title: "Token added", Body: shownOnce{
				Heading: "Token added", Who: t.Label, Secret: secret, What: "The token",
				Note: "Give this token to whoever runs " + t.Label + " by a channel only they read. It is shown once: placematch keeps only its hash.",
				Back: "/workspace/admin/tokens"}})
		}
		fields := catalogue.FieldErrors(err)
		if len(fields) == 0 {
			return err
		}
		for _, f := range fields {
			field := f.Field
			if field == "expires_in" {
				field = "days"
			}
			mistakes = append(mistakes, formError{field, cmpOr(tokenLabels[f.Field], "This") + " " + f.Message})
		}
	}
	return s.showTokenForm(c, http.StatusBadRequest, form, mistakes)
}

// revokeTokenPage answers POST /workspace/admin/tokens/:id/revoke: the token is refused from now
// on, as DELETE /v1/tokens/{id}; an account's own token is revoked by disabling the account.
func (s *server) revokeTokenPage(c *gin.Context) error {
	id, _, err := postedTo(c)
	if err != nil {
		return err
	}
	if s.accounts != nil {
		accounts, err := s.accounts.ListAccounts(c.Request.Context())
		if err != nil {
			return err
		}
		for _, a := range accounts {
			if int64(a.Token) == id {
				return statusError(http.StatusConflict, "this is an account's own token: disable the account instead")
			}
		}
	}
	if err := s.store.RevokeToken(c.Request.Context(), catalogue.TokenID(id)); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/workspace/admin/tokens?revoked=1")
	return nil
}
