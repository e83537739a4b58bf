package api_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/placematch/placematch/catalogue"
)

// TestAdministratorInBrowser is the administrator's journey in headless Chromium, with the
// keyboard only: sign in, open the accounts, add an officer (first forgetting the council: the
// error summary), read the password shown once, open the account, reset its password, and
// disable it; then try a cost cap over the most allowed on the scoring policy, and add a
// sharing agreement. Every page is axe-core clean and does not scroll sideways at 320px.
func TestAdministratorInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	j := signIn(t, f, catalogue.Account{Name: "Ada Admin", Email: "ada.admin@placematch.example.org", Role: catalogue.RoleAdmin})
	ctx := j.ctx

	check := func(what string) {
		t.Helper()
		noOverflow(t, ctx, what+" at 320px")
		accessible(t, ctx, what)
	}
	typeIn := func(selector, text string) {
		t.Helper()
		tabTo(t, ctx, selector)
		do(t, ctx, "type in "+selector, chromedp.KeyEvent(text))
	}
	h1 := func() string { return eval[string](t, ctx, `document.querySelector("h1").textContent.trim()`) }
	says := func(text string) bool {
		return eval[bool](t, ctx, fmt.Sprintf(`document.querySelector("main").innerText.includes(%q)`, text))
	}

	tabTo(t, ctx, `main a[href="/workspace/admin/accounts"]`)
	submitted(t, ctx)
	if h1() != "Accounts" {
		t.Fatalf("the accounts: h1 %q", h1())
	}
	check("the accounts")
	tabTo(t, ctx, `main a[href="/workspace/admin/accounts/new"]`)
	submitted(t, ctx)
	if h1() != "Add an account" {
		t.Fatalf("the form: h1 %q", h1())
	}
	check("the form to add an account")

	typeIn("#name", "Nia Officer")
	typeIn("#email", "nia.officer@manchester.example.gov.uk")
	tabTo(t, ctx, "#role")
	do(t, ctx, "choose officer", chromedp.KeyEvent(" "))
	tabTo(t, ctx, "form button[type=submit]")
	submitted(t, ctx)
	if !eval[bool](t, ctx, `!!document.querySelector('.govuk-error-summary a[href="#council"]')`) {
		t.Fatalf("an officer without a council: no error summary linking to the council")
	}
	check("the form with a mistake")
	typeIn("#council", "Manchester")
	if got := eval[string](t, ctx, `document.querySelector("#council").value`); got != string(manchester) {
		t.Fatalf("typing Manchester chose council %q", got)
	}
	tabTo(t, ctx, "form button[type=submit]")
	submitted(t, ctx)
	if h1() != "Account added" || !eval[bool](t, ctx, `/^[A-Z2-7]{26}$/.test(document.querySelector("#secret").textContent)`) {
		t.Fatalf("after adding: h1 %q, without the password shown", h1())
	}
	check("the password shown once")

	nia, err := f.store.AccountByEmail(context.Background(), "nia.officer@manchester.example.gov.uk")
	if err != nil {
		t.Fatal(err)
	}
	tabTo(t, ctx, `main a[href="/workspace/admin/accounts"]`)
	submitted(t, ctx)
	tabTo(t, ctx, fmt.Sprintf(`main a[href="/workspace/admin/accounts/%d"]`, nia.ID))
	submitted(t, ctx)
	if h1() != "Nia Officer" || !says("Active") {
		t.Fatalf("the account: h1 %q", h1())
	}
	check("an account")

	tabTo(t, ctx, `form[action$="/password"] button`)
	submitted(t, ctx)
	if h1() != "Password reset" {
		t.Fatalf("after a reset: h1 %q", h1())
	}
	check("the new password shown once")
	tabTo(t, ctx, fmt.Sprintf(`main a[href="/workspace/admin/accounts/%d"]`, nia.ID))
	submitted(t, ctx)

	tabTo(t, ctx, `form[action$="/disable"] button`)
	submitted(t, ctx)
	if !says("account is disabled") || !says("Disabled") {
		t.Fatalf("after disabling: no banner")
	}
	check("a disabled account")

	// The scoring policy: a cost cap over the most allowed is refused on its field.
	tabTo(t, ctx, `a[href="/workspace/admin/policy"]`)
	submitted(t, ctx)
	if h1() != "Scoring policy" {
		t.Fatalf("the policy: h1 %q", h1())
	}
	check("the scoring policy")
	do(t, ctx, "clear the cost cap", chromedp.Evaluate[chromedp.Void](`document.querySelector("#cost_cap").value = ""; undefined`))
	typeIn("#cost_cap", "50")
	typeIn("#note", "Trying a higher cap.")
	tabTo(t, ctx, `form[method=post] button[type=submit]`)
	submitted(t, ctx)
	if !eval[bool](t, ctx, `!!document.querySelector('.govuk-error-summary a[href="#cost_cap"]')`) {
		t.Fatalf("a cost cap of 50%%: no error summary linking to it")
	}
	check("the scoring policy with a mistake")

	// The sharing agreements: add one between Manchester and Leeds, which the list then shows.
	tabTo(t, ctx, `a[href="/workspace/admin/sharing"]`)
	submitted(t, ctx)
	if h1() != "Sharing agreements" {
		t.Fatalf("the sharing agreements: h1 %q", h1())
	}
	check("the sharing agreements")
	tabTo(t, ctx, `main a[href="/workspace/admin/sharing/new"]`)
	submitted(t, ctx)
	check("the form to add a sharing agreement")
	typeIn("#name", "Manchester and Leeds")
	typeIn("#owner", "Manchester")
	typeIn("#receiver", "Leeds")
	typeIn("#from", "1")
	typeIn("#from-month", "4")
	typeIn("#from-year", "2020")
	tabTo(t, ctx, `form button[type=submit]`)
	submitted(t, ctx)
	if h1() != "Sharing agreements" || !says("Manchester and Leeds") || !says("In force") {
		t.Fatalf("after adding an agreement: h1 %q, without it in force", h1())
	}
	check("the sharing agreements with one in force")

	// API tokens: a token for a case system, its secret shown once, then revoked.
	tabTo(t, ctx, `a[href="/workspace/admin/tokens"]`)
	submitted(t, ctx)
	if h1() != "API tokens" {
		t.Fatalf("the tokens: h1 %q", h1())
	}
	check("the API tokens")
	tabTo(t, ctx, `main a[href="/workspace/admin/tokens/new"]`)
	submitted(t, ctx)
	check("the form to add a token")
	tabTo(t, ctx, `main form button[type=submit]`)
	submitted(t, ctx)
	if !eval[bool](t, ctx, `!!document.querySelector('.govuk-error-summary a[href="#label"]')`) {
		t.Fatalf("a token without a label: no error summary linking to the label")
	}
	check("the form to add a token, with mistakes")
	typeIn("#label", "Manchester case system")
	tabTo(t, ctx, "#role")
	do(t, ctx, "choose placement officer", chromedp.KeyEvent(" "))
	typeIn("#council", "Manchester")
	tabTo(t, ctx, `main form button[type=submit]`)
	submitted(t, ctx)
	if h1() != "Token added" || !eval[bool](t, ctx, `document.querySelector("#secret").textContent.startsWith("pm_")`) {
		t.Fatalf("after adding a token: h1 %q, without its secret", h1())
	}
	check("the new token shown once")
	tabTo(t, ctx, `main a[href="/workspace/admin/tokens"]`)
	submitted(t, ctx)
	tabTo(t, ctx, `form[action$="/revoke"] button`)
	submitted(t, ctx)
	if !says("The token is revoked") {
		t.Fatalf("after revoking: no banner")
	}
	check("the API tokens with one revoked")
}
