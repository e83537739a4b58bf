package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
)

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
		code, body := post(t, fmt.Sprintf("%s/v1/children/%d/offers", url, id), tokens["officer"], "")
		if code == http.StatusUnprocessableEntity {
			continue // no home can take this child now
		}
		if code != http.StatusCreated || json.Unmarshal(body, &offer) != nil || offer.Status != "proposed" {
			t.Fatalf("offer for child %d: %d %s", id, code, body)
		}
		made = true
		break
	}
	if !made {
		t.Fatal("no waiting child of the officer's council could be made an offer")
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
	browser := &http.Client{Jar: jar}
	resp, err := browser.Get(sent.Link.URL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != fmt.Sprintf("/child/offers/%d", offer.ID) ||
		!strings.Contains(string(page), "here are homes you could live in") {
		t.Fatalf("opening the child's link: %d at %s", resp.StatusCode, resp.Request.URL.Path)
	}
}
