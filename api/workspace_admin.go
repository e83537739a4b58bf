package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/passwd"
)

// The administrator's pages (issue 19, journey 5), first the accounts: the list, adding one
// (role, council or provider scope, manager level) with a generated password shown once,
// disabling one (its sessions end) and resetting a password (a new generated one, shown
// once). Accounts have no casework: the handlers call the account store, as signing in does;
// the store validates, ends sessions and audits in its transactions.

// accountRoles are the roles an account may have, in the order the form offers them.
var accountRoles = []catalogue.Role{catalogue.RoleOfficer, catalogue.RoleManager, catalogue.RoleIRO, catalogue.RoleAdvocate, catalogue.RoleProvider, catalogue.RoleCommissioner, catalogue.RoleAdmin}

// accountLabels name an account's fields at the start of a mistake's message.
var accountLabels = map[string]string{"name": "The name", "email": "The e-mail address", "role": "The role",
	"council": "The council", "region": "The region", "provider": "The provider", "level": "The manager's level", "password": "The password"}

type accountRow struct {
	ID                       catalogue.AccountID
	Name, Email, Role, Scope string
	Tags                     []tag
}

// accountScope is an account's council or provider, as a person reads it.
func (s *server) accountScope(c *gin.Context, a catalogue.Account, providers map[catalogue.ProviderID]string) string {
	var parts []string
	if a.Council != "" {
		parts = append(parts, councilName(a.Council))
	}
	if a.Region != "" {
		parts = append(parts, regionName(a.Region))
	}
	if a.Provider != 0 {
		parts = append(parts, cmpOr(providers[a.Provider], "provider "+a.Provider.String()))
	}
	if a.Level != "" {
		parts = append(parts, "as "+a.Level.Words())
	}
	if len(parts) == 0 {
		return "everything"
	}
	return strings.Join(parts, ", ")
}

// providerNames are every provider's name by ID, for the scope of accounts and the form.
func (s *server) providerNames(c *gin.Context) (map[catalogue.ProviderID]string, []keyValue, error) {
	page, err := s.store.ListProviders(c.Request.Context(), catalogue.ProviderFilter{Limit: catalogue.MaxLimit})
	if err != nil {
		return nil, nil, err
	}
	names := map[catalogue.ProviderID]string{}
	var opts []keyValue
	for _, p := range page.Items {
		names[p.ID] = p.Name
		opts = append(opts, keyValue{p.ID.String(), p.Name})
	}
	return names, opts, nil
}

func accountTags(a catalogue.Account) []tag {
	var t []tag
	if a.Disabled() {
		t = append(t, tag{"Disabled", "grey"})
	} else {
		t = append(t, tag{"Active", "green"})
	}
	if a.OIDCSubject != "" {
		t = append(t, tag{"Signs in with the council's account", "blue"})
	}
	return t
}

// accountsPage answers GET /workspace/admin/accounts.
func (s *server) accountsPage(c *gin.Context) error {
	if s.accounts == nil {
		return statusError(http.StatusNotImplemented, "this store keeps no accounts")
	}
	list, err := s.accounts.ListAccounts(c.Request.Context())
	if err != nil {
		return err
	}
	names, _, err := s.providerNames(c)
	if err != nil {
		return err
	}
	rows := make([]accountRow, len(list))
	for i, a := range list {
		rows[i] = accountRow{ID: a.ID, Name: a.Name, Email: a.Email, Role: roleNames[a.Role], Scope: s.accountScope(c, a, names), Tags: accountTags(a)}
	}
	return s.renderWorkspace(c, http.StatusOK, "admin_accounts", pageData{Title: "Accounts", Body: struct{ Rows []accountRow }{rows}})
}

// accountForm is a new account as typed.
type accountForm struct {
	Name, Email, Role, Council, Region, Provider, Level string
}

type accountFormView struct {
	Form      accountForm
	Errs      map[string]string
	Roles     []keyValue
	Councils  []keyValue
	Regions   []keyValue
	Providers []keyValue
	Levels    []keyValue
}

// showAccountForm renders the form to add an account, with what was typed and its mistakes.
func (s *server) showAccountForm(c *gin.Context, status int, form accountForm, mistakes []formError) error {
	v, err := s.scopeChoices(c, mistakes)
	if err != nil {
		return err
	}
	v.Form = form
	return s.renderWorkspace(c, status, "admin_account_new", pageData{Title: "Add an account", Errors: mistakes, Body: v})
}

// scopeChoices are the choices of a role and its scope, for the forms that add an account or a
// token (partial_scope.html), with each field's first mistake.
func (s *server) scopeChoices(c *gin.Context, mistakes []formError) (accountFormView, error) {
	_, providers, err := s.providerNames(c)
	if err != nil {
		return accountFormView{}, err
	}
	v := accountFormView{Errs: map[string]string{}, Providers: providers}
	for _, m := range mistakes {
		if _, ok := v.Errs[m.Field]; !ok {
			v.Errs[m.Field] = m.Text
		}
	}
	for _, r := range accountRoles {
		v.Roles = append(v.Roles, keyValue{string(r), roleNames[r]})
	}
	for _, co := range catalogue.Councils() {
		v.Councils = append(v.Councils, keyValue{string(co.Code), co.Name})
	}
	for _, r := range catalogue.Regions() {
		v.Regions = append(v.Regions, keyValue{string(r.Code), r.Name})
	}
	for _, l := range catalogue.ManagerLevels {
		v.Levels = append(v.Levels, keyValue{string(l), l.Words()})
	}
	return v, nil
}

// newAccountPage answers GET /workspace/admin/accounts/new.
func (s *server) newAccountPage(c *gin.Context) error {
	return s.showAccountForm(c, http.StatusOK, accountForm{}, nil)
}

// shownOnce is a page that shows a secret once: a generated password.
type shownOnce struct {
	Heading, Who, Secret, Note, Back string
	What                             string // what the secret is: "The password" when empty
}

// addAccount answers POST /workspace/admin/accounts: the account is made with a generated
// password, shown once on the page that answers; a mistake is the form again (400, nothing
// written).
func (s *server) addAccount(c *gin.Context) error {
	if s.accounts == nil {
		return statusError(http.StatusNotImplemented, "this store keeps no accounts")
	}
	if err := c.Request.ParseForm(); err != nil {
		return fieldError("form", "cannot be read")
	}
	pf := c.Request.PostForm
	form := accountForm{Name: strings.TrimSpace(pf.Get("name")), Email: strings.TrimSpace(pf.Get("email")), Role: pf.Get("role"),
		Council: pf.Get("council"), Region: pf.Get("region"), Provider: pf.Get("provider"), Level: pf.Get("level")}
	a := catalogue.Account{Name: form.Name, Email: catalogue.NormaliseEmail(form.Email), Role: catalogue.Role(form.Role)}
	var mistakes []formError
	// Only the fields of the role chosen count: the form shows them all.
	switch a.Role {
	case catalogue.RoleOfficer, catalogue.RoleManager, catalogue.RoleIRO, catalogue.RoleAdvocate, catalogue.RoleCommissioner:
		a.Council = catalogue.CouncilCode(form.Council)
		if a.Role == catalogue.RoleManager {
			a.Level = catalogue.ManagerLevel(form.Level)
		}
		if a.Role == catalogue.RoleCommissioner {
			a.Region = catalogue.RegionCode(form.Region)
		}
	case catalogue.RoleProvider:
		if form.Provider != "" {
			id, err := strconv.ParseInt(form.Provider, 10, 64)
			if err != nil || id <= 0 {
				mistakes = append(mistakes, formError{"provider", "Choose the provider"})
			}
			a.Provider = catalogue.ProviderID(id)
		}
	case catalogue.RoleAdmin:
	default:
		mistakes = append(mistakes, formError{"role", "Choose the role"})
	}
	password := passwd.Generate()
	a.PasswordHash = passwd.Hash(password)
	if len(mistakes) == 0 {
		made, err := s.accounts.CreateAccount(c.Request.Context(), a)
		if err == nil {
			return s.renderWorkspace(c, http.StatusOK, "admin_shown_once", pageData{Title: "Account added", Body: shownOnce{
				Heading: "Account added", Who: made.Name + " (" + made.Email + ")", Secret: password,
				Note: "Give this password to " + made.Name + " in person or by a channel only they read. It is shown once: placematch keeps only its hash.",
				Back: "/workspace/admin/accounts"}})
		}
		if errors.Is(err, catalogue.ErrConflict) {
			mistakes = append(mistakes, formError{"email", "An account with this e-mail address already exists"})
		} else if fields := catalogue.FieldErrors(err); len(fields) > 0 {
			for _, f := range fields {
				mistakes = append(mistakes, formError{f.Field, accountMistake(f, a.Role)})
			}
		} else {
			return err
		}
	}
	return s.showAccountForm(c, http.StatusBadRequest, form, mistakes)
}

// accountMistake is a field's mistake in words a person can act on.
func accountMistake(f catalogue.FieldError, role catalogue.Role) string {
	switch f.Field {
	case "council":
		return "Choose the council of the " + roleNames[role]
	case "region":
		if strings.Contains(f.Message, "council is given") {
			return "Choose a council or a region, not both"
		}
		return "Choose the region"
	case "provider":
		return "Choose the provider"
	case "level":
		return "Choose the manager's level"
	case "name":
		if strings.Contains(f.Message, "required") {
			return "Enter the person's name"
		}
	case "email":
		return "Enter an e-mail address, like name@example.gov.uk"
	}
	return cmpOr(accountLabels[f.Field], "This") + " " + f.Message
}

// accountPage answers GET /workspace/admin/accounts/:id: one account, and what may be done
// to it.
func (s *server) accountPage(c *gin.Context) error {
	q := newQuery(c)
	disabled := q.bool("disabled")
	if err := q.err(); err != nil {
		return err
	}
	a, err := s.accountOf(c)
	if err != nil {
		return err
	}
	names, _, err := s.providerNames(c)
	if err != nil {
		return err
	}
	banner := ""
	if disabled {
		banner = a.Name + "’s account is disabled: their sessions have ended, and they cannot sign in."
	}
	summary := []keyValue{{"E-mail address", a.Email}, {"Role", roleNames[a.Role]}, {"Scope", s.accountScope(c, a, names)},
		{"Added", longDate(a.CreatedAt)}}
	if a.Disabled() {
		summary = append(summary, keyValue{"Disabled", longDate(a.DisabledAt)})
	}
	self := principal(c).Account == a.ID
	return s.renderWorkspace(c, http.StatusOK, "admin_account", pageData{Title: a.Name, Banner: banner, Body: struct {
		ID            catalogue.AccountID
		Name          string
		Tags          []tag
		Summary       []keyValue
		Disabled, Own bool
	}{a.ID, a.Name, accountTags(a), summary, a.Disabled(), self}})
}

func (s *server) accountOf(c *gin.Context) (catalogue.Account, error) {
	if s.accounts == nil {
		return catalogue.Account{}, statusError(http.StatusNotImplemented, "this store keeps no accounts")
	}
	id, err := pathID(c)
	if err != nil {
		return catalogue.Account{}, err
	}
	return s.accounts.Account(c.Request.Context(), catalogue.AccountID(id))
}

// disableAccount answers POST /workspace/admin/accounts/:id/disable.
func (s *server) disableAccount(c *gin.Context) error {
	a, err := s.accountOf(c)
	if err != nil {
		return err
	}
	if principal(c).Account == a.ID {
		return statusError(http.StatusBadRequest, "you cannot disable your own account: ask another administrator")
	}
	if _, err := s.accounts.DisableAccount(c.Request.Context(), a.ID); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/workspace/admin/accounts/%d?disabled=1", a.ID))
	return nil
}

// resetPassword answers POST /workspace/admin/accounts/:id/password: a new generated password,
// shown once; the account's sessions end.
func (s *server) resetPassword(c *gin.Context) error {
	a, err := s.accountOf(c)
	if err != nil {
		return err
	}
	password := passwd.Generate()
	if a, err = s.accounts.SetPassword(c.Request.Context(), a.ID, passwd.Hash(password)); err != nil {
		return err
	}
	return s.renderWorkspace(c, http.StatusOK, "admin_shown_once", pageData{Title: "Password reset", Body: shownOnce{
		Heading: "Password reset", Who: a.Name + " (" + a.Email + ")", Secret: password,
		Note: "Their sessions have ended. Give this password to " + a.Name + " in person or by a channel only they read. It is shown once: placematch keeps only its hash.",
		Back: fmt.Sprintf("/workspace/admin/accounts/%d", a.ID)}})
}
