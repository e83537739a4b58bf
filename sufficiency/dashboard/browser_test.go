package dashboard_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/synth"
)

// The dashboard in a real headless Chromium (Debian's chromium; .ci/run installs it). Without
// one the test skips with a message, except under CI=true, where it fails. The screenshot is
// written to testdata/out (ignored by git) so that a person can look at it, and to the test's
// temporary directory otherwise.

func dashboardChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("PLACEMATCH_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			t.Log("placematch-test: Chromium") // counted by .ci/run
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("dashboard browser test: Chromium is not installed (apt-get install chromium); under CI=true this fails")
	}
	t.Skip("dashboard browser test: skipping, Chromium is not installed (apt-get install chromium, or set PLACEMATCH_CHROMIUM); with CI=true this fails")
	return ""
}

// dashboardBrowser starts a headless Chromium with a fresh profile and returns a tab.
func dashboardBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(dashboardChromium(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.WindowSize(1280, 1800),
		chromedp.UserDataDir(t.TempDir()),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

func inTab(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func value[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(tctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %.60q: %v", js, err)
	}
	return v
}

// axePath is axe-core as api's browser tests install it (npm ci --prefix api/testdata/axe).
const axePath = "../../api/testdata/axe/node_modules/axe-core/axe.min.js"

// dashboardAccessible runs axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA rules on the page:
// any violation fails. Without axe-core the scan is skipped, except under CI=true.
func dashboardAccessible(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	src, err := os.ReadFile(axePath)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core is not installed at %s (npm ci --prefix api/testdata/axe); under CI=true this fails", axePath)
		}
		t.Logf("%s: axe-core scan skipped: not installed (npm ci --prefix api/testdata/axe)", what)
		return
	}
	inTab(t, ctx, "load axe-core", chromedp.Evaluate[chromedp.Void](string(src)+"\n;undefined"))
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	raw, err := chromedp.Run(tctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v => v.id + " (" + v.impact + "): " + v.help + " at " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe-core: %v", what, err)
	}
	var vs []string
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		t.Errorf("%s: axe %s", what, v)
	}
}

// TestDashboardInBrowser: a commissioner signs in through the form, sees the map of England
// with every council, the charts and the tables, styled by the one stylesheet under the strict
// CSP, opens a council by its link, and the page is photographed.
func TestDashboardInBrowser(t *testing.T) {
	t.Parallel()
	ctx := dashboardBrowser(t)
	b, cfg := tynesideBatch(t)
	store := sqltest.SQLite(t, sqltest.At(cfg.Today.Add(9*time.Hour))) // the day the catalogue was made for
	bg := context.Background()
	res, err := store.Import(bg, b)
	if err != nil {
		t.Fatal(err)
	}
	// The synthetic referral histories, in the stored IDs, for the referral figures.
	rs := synth.Referrals(b, cfg.Today, cfg.Seed)
	for i := range rs {
		rs[i].Child, rs[i].Placement = res.Children[rs[i].Child], res.Placements[rs[i].Placement]
	}
	if _, err := store.ImportReferrals(bg, catalogue.Everything, rs); err != nil {
		t.Fatal(err)
	}
	secret, hash := catalogue.NewSecret("pm_")
	if _, err := store.CreateToken(bg, catalogue.Token{Label: "commissioner", Role: catalogue.RoleCommissioner, Hash: hash}); err != nil {
		t.Fatal(err)
	}
	engine, err := matcher.NewEngine(bg, store, matcher.Options{Now: store.Now})
	if err != nil {
		t.Fatal(err)
	}
	h, err := api.New(api.Config{Store: store, Matcher: engine, Now: store.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	inTab(t, ctx, "open the dashboard", chromedp.Navigate(srv.URL+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(`#token`)))
	inTab(t, ctx, "sign in", chromedp.SendKeys(chromedp.CSS(`#token`), secret), chromedp.Submit(chromedp.CSS(`#token`)),
		chromedp.WaitVisible(chromedp.CSS(`#map`)))
	if loc := value[string](t, ctx, `location.href`); loc != srv.URL+"/dashboard" {
		t.Errorf("after signing in the address is %s: the token must never be in it", loc)
	}
	if n := value[int](t, ctx, `document.querySelectorAll("#map circle.council").length`); n != len(catalogue.Councils()) {
		t.Errorf("%d councils on the map, want %d", n, len(catalogue.Councils()))
	}
	if n := value[int](t, ctx, `document.querySelectorAll("svg.chart rect.bar").length`); n == 0 {
		t.Error("no bars in the charts")
	}
	// Both stylesheets loaded under the CSP: GOV.UK Frontend's (the header is its blue) and the
	// dashboard's own (the figure cards are a grid).
	if bg := value[string](t, ctx, `getComputedStyle(document.querySelector("header")).backgroundColor`); bg != "rgb(29, 112, 184)" {
		t.Errorf("header background %s: GOV.UK Frontend's stylesheet did not load", bg)
	}
	if d := value[string](t, ctx, `getComputedStyle(document.querySelector(".cards")).display`); d != "grid" {
		t.Errorf("the figure cards are %s, not a grid: the dashboard's stylesheet did not load", d)
	}
	if js := value[bool](t, ctx, `document.cookie.includes("placematch_dashboard")`); js {
		t.Error("the session cookie is readable by script")
	}
	if n := value[int](t, ctx, `document.querySelectorAll("#referrals-kind tbody tr").length`); n != len(catalogue.PlacementKinds)+1 {
		t.Errorf("the referrals table has %d rows, want a row per kind of home and all", n)
	}
	if n := value[int](t, ctx, `document.querySelectorAll("#referrals-providers tbody tr").length`); n == 0 {
		t.Error("England's view lists no provider's referrals")
	}
	dashboardAccessible(t, ctx, "England's dashboard")
	// Tyneside's children are in the North East: the regions table links to it.
	inTab(t, ctx, "open the North East", chromedp.Click(chromedp.CSS(`#areas a[href="?region=E12000001"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#areas`)))
	inTab(t, ctx, "open Newcastle", chromedp.Click(chromedp.CSS(`#areas a[href="?council=E08000021"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#benchmark`)))
	if title := value[string](t, ctx, `document.querySelector("h1").textContent`); title != "Sufficiency: Newcastle upon Tyne" {
		t.Errorf("heading %q", title)
	}
	dashboardAccessible(t, ctx, "Newcastle's dashboard")
	narrowAndKeyboard(t, ctx, srv.URL)
	inTab(t, ctx, "back to the wide screen", chromedp.EmulateViewport(1280, 1800), chromedp.Navigate(srv.URL+"/dashboard?council=E08000021"),
		chromedp.WaitVisible(chromedp.CSS(`#benchmark`)))
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join("testdata", "out"), 0o755); err == nil {
		dir = filepath.Join("testdata", "out")
	}
	path := filepath.Join(dir, "dashboard.png")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	if len(shot) < 20_000 {
		t.Errorf("the screenshot is only %d bytes", len(shot))
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(shot))
}

// narrowAndKeyboard: at 320 CSS pixels wide (WCAG 2.1 reflow, 1.4.10) the referral figures, the
// Staying Put figures and the children cared for by kin outside care fit the screen, no part
// of the page scrolls sideways but a wide table inside its own scrolling region, and the page
// is axe-clean; with the keyboard alone (Tab, then Enter) a person reaches the Staying Put
// table's first area link, sees where the focus is, and opens that area.
func narrowAndKeyboard(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	inTab(t, ctx, "a 320-pixel screen", chromedp.EmulateViewport(320, 900), chromedp.Navigate(base+"/dashboard?region=E12000001"),
		chromedp.WaitVisible(chromedp.CSS(`#staying-put`)))
	if w := value[int](t, ctx, `document.documentElement.scrollWidth`); w > 320 {
		wide := value[string](t, ctx, `Array.from(document.querySelectorAll("body *")).filter(e => !e.closest(".scroll") && e.getBoundingClientRect().right > 321).slice(0, 6).map(e => e.tagName + "#" + e.id).join(" ")`)
		t.Errorf("at 320 pixels the page is %d pixels wide: it scrolls sideways (%s)", w, wide)
	}
	for _, id := range []string{"referrals-h", "referrals-summary", "referrals-kind", "staying-put-h", "staying-put-summary", "staying-put-chart", "staying-put", "kin-caring"} {
		js := `(() => { const e = document.getElementById("` + id + `"); if (!e) return -1; const r = (e.closest(".scroll") || e).getBoundingClientRect(); return Math.round(r.right); })()`
		if right := value[int](t, ctx, js); right < 0 || right > 320 {
			t.Errorf("at 320 pixels #%s ends at %d pixels (-1: missing)", id, right)
		}
	}
	dashboardAccessible(t, ctx, "the North East's dashboard at 320 pixels")

	// Keyboard only: Tab from the top of the page to the first link of the Staying Put table.
	inTab(t, ctx, "focus the top of the page", chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); undefined`))
	const target = `document.querySelector("#staying-put tbody a")`
	reached := false
	for range 600 {
		inTab(t, ctx, "press Tab", chromedp.KeyEvent("\t"))
		if value[bool](t, ctx, `document.activeElement === `+target) {
			reached = true
			break
		}
	}
	if !reached {
		t.Fatal("Tab never reaches the Staying Put table's first link")
	}
	if o := value[string](t, ctx, `getComputedStyle(document.activeElement).outlineStyle`); o == "none" {
		t.Error("the focused link in the Staying Put table shows no focus")
	}
	if in := value[bool](t, ctx, `(() => { const r = document.activeElement.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth; })()`); !in {
		t.Error("the focused link is off the screen")
	}
	href := value[string](t, ctx, `document.activeElement.getAttribute("href")`)
	inTab(t, ctx, "press Enter", chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS(`#staying-put-summary`)))
	if loc := value[string](t, ctx, `location.search`); loc != href {
		t.Errorf("Enter on the link %q opened %q", href, loc)
	}
}
