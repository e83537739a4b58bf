package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	neturl "net/url"
	"regexp"
	"strings"
	"testing"
)

// agreeTopTwo refers a child to the homes of their two best options (or their only one) and
// has the providers accept (as an administrator may for them), as the offer needs; it returns
// how many homes agreed.
func agreeTopTwo(t *testing.T, url string, tokens map[string]string, child int64) int {
	t.Helper()
	code, body := post(t, fmt.Sprintf("%s/v1/children/%d/options", url, child), tokens["officer"], "{}")
	var opts struct {
		Options []struct {
			Placement struct {
				ID int64 `json:"id"`
			} `json:"placement"`
		} `json:"options"`
	}
	if code != http.StatusOK || json.Unmarshal(body, &opts) != nil || len(opts.Options) == 0 {
		return 0
	}
	homes := fmt.Sprintf(`{"placements": [%d]}`, opts.Options[0].Placement.ID)
	if len(opts.Options) > 1 {
		homes = fmt.Sprintf(`{"placements": [%d, %d]}`, opts.Options[0].Placement.ID, opts.Options[1].Placement.ID)
	}
	code, body = post(t, fmt.Sprintf("%s/v1/children/%d/referrals", url, child), tokens["officer"], homes)
	var sent struct {
		Items []struct {
			ID      int64 `json:"id"`
			Version int   `json:"version"`
		} `json:"items"`
	}
	if code != http.StatusCreated || json.Unmarshal(body, &sent) != nil {
		t.Fatalf("referring child %d: %d %s", child, code, body)
	}
	for _, r := range sent.Items {
		code, body := post(t, fmt.Sprintf("%s/v1/referrals/%d/response", url, r.ID), tokens["admin"],
			fmt.Sprintf(`{"version": %d, "outcome": "accepted", "impact_assessment": "Gets on with the children here.", "weekly_fee": 900}`, r.Version))
		if code != http.StatusOK {
			t.Fatalf("accepting referral %d: %d %s", r.ID, code, body)
		}
	}
	return len(sent.Items)
}

// checkOffer makes an offer for one of the officer's waiting children through the running
// service, sends it, and opens the child's link as a browser would: the wiring of offers and of
// the child's page in serve.
func checkOffer(t *testing.T, url string, tokens map[string]string, children []int64) {
	t.Helper()
	var offer struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}
	made := false
	for _, id := range children {
		n := agreeTopTwo(t, url, tokens, id)
		if n == 0 {
			continue // no home can take this child now
		}
		offerBody := ""
		if n == 1 {
			offerBody = `{"one_choice_reason": "Only one home can take the child now."}`
		}
		code, body := post(t, fmt.Sprintf("%s/v1/children/%d/offers", url, id), tokens["officer"], offerBody)
		if code != http.StatusCreated || json.Unmarshal(body, &offer) != nil || offer.Status != "proposed" {
			t.Fatalf("offer for child %d: %d %s", id, code, body)
		}
		made = true
		break
	}
	if !made {
		t.Fatal("no waiting child of the officer's council could be made an offer")
	}
	// Started without --base-url, the service makes links only for its own loopback address:
	// a spoofed Host is refused before any link is made.
	req, err := http.NewRequest("POST", fmt.Sprintf("%s/v1/offers/%d/send", url, offer.ID), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "evil.example"
	req.Header.Set("Authorization", "Bearer "+tokens["officer"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	refused, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(refused), `"field":"Host"`) {
		t.Fatalf("sending offer %d with a spoofed Host: %d %s", offer.ID, resp.StatusCode, refused)
	}
	code, body := post(t, fmt.Sprintf("%s/v1/offers/%d/send", url, offer.ID), tokens["officer"], `{"expires_in_days": 2}`)
	var sent struct {
		Link struct {
			URL string `json:"url"`
		} `json:"link"`
	}
	if code != http.StatusCreated || json.Unmarshal(body, &sent) != nil || !strings.HasPrefix(sent.Link.URL, url+"/c/pmc_") {
		t.Fatalf("sending offer %d: %d %s", offer.ID, code, body)
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, page := openLink(t, &http.Client{Jar: jar}, sent.Link.URL)
	if resp.StatusCode != 200 || resp.Request.URL.Path != fmt.Sprintf("/child/offers/%d", offer.ID) ||
		!strings.Contains(string(page), "here are homes you could live in") {
		t.Fatalf("opening the child's link: %d at %s", resp.StatusCode, resp.Request.URL.Path)
	}
}

// openLink opens a child's link as a browser does: the link's door (which uses nothing up),
// then its button, following the 303 to the child's page.
func openLink(t *testing.T, browser *http.Client, link string) (*http.Response, []byte) {
	t.Helper()
	resp, err := browser.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	door, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(door), "Open my page") {
		t.Fatalf("the link's door: %d %s", resp.StatusCode, door)
	}
	resp, err = browser.Post(link, "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, page
}

var csrfInPage = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// checkCheckIn sends one of the officer's placed children a check-in link through the running
// service, opens it as a browser would, checks in, and finds the check-in in the officer's view:
// the wiring of check-in links, the check-in page and the history store in serve.
func checkCheckIn(t *testing.T, url string, tokens map[string]string, placed []int64) {
	t.Helper()
	var child int64
	var sent struct {
		Link struct {
			URL string `json:"url"`
		} `json:"link"`
	}
	for _, id := range placed {
		code, body := post(t, fmt.Sprintf("%s/v1/children/%d/check-in-links", url, id), tokens["officer"], "")
		if code == http.StatusConflict {
			continue // no current placement in the demo's history
		}
		if code != http.StatusCreated || json.Unmarshal(body, &sent) != nil || !strings.HasPrefix(sent.Link.URL, url+"/c/pmc_") {
			t.Fatalf("check-in link for child %d: %d %s", id, code, body)
		}
		child = id
		break
	}
	if child == 0 {
		t.Fatal("no placed child of the officer's council has a current placement to check in about")
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	browser := &http.Client{Jar: jar}
	resp, page := openLink(t, browser, sent.Link.URL)
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/child/check-in" || !strings.Contains(string(page), "how are things?") {
		t.Fatalf("opening the check-in link: %d at %s", resp.StatusCode, resp.Request.URL.Path)
	}
	m := csrfInPage.FindSubmatch(page)
	if m == nil {
		t.Fatal("no form token on the check-in page")
	}
	resp, err = browser.PostForm(url+"/child/check-in", neturl.Values{"csrf": {string(m[1])}, "way": {"faces"}, "safe": {"yes"}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "We have saved your answers") {
		t.Fatalf("checking in: %d at %s", resp.StatusCode, resp.Request.URL)
	}
	code, body := get(t, fmt.Sprintf("%s/v1/children/%d/check-ins", url, child), tokens["officer"])
	var view struct {
		CheckIns []struct {
			Safe string `json:"safe"`
		} `json:"check_ins"`
	}
	if code != 200 || json.Unmarshal(body, &view) != nil || len(view.CheckIns) == 0 || view.CheckIns[len(view.CheckIns)-1].Safe != "yes" {
		t.Fatalf("the officer's view of the check-in: %d %s", code, body)
	}
}
