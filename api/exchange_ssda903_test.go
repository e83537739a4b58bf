package api_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	ssdaHeader   = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n101,1,03/04/2010,WBRI,A123,,\n"
	ssdaEpisodes = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n" +
		"101,01/02/2019,S,C2,N1,U4,PR1,01/03/2020,X1,CARPL,PR1 2HE,PR2 3AB,\n" +
		"101,01/03/2020,P,C2,N1,K2,PR4,,,,PR1 2HE,BB1 1AA,SC123456\n"
)

// postReturn posts a return's files as a multipart form or, zipped, as a zip.
func (f *fixture) postReturn(who, query string, zipped bool, files map[string]string) response {
	f.t.Helper()
	var body bytes.Buffer
	contentType := "application/zip"
	if zipped {
		zw := zip.NewWriter(&body)
		for name, data := range files {
			w, err := zw.Create(name)
			if err != nil {
				f.t.Fatal(err)
			}
			w.Write([]byte(data))
		}
		if err := zw.Close(); err != nil {
			f.t.Fatal(err)
		}
	} else {
		mw := multipart.NewWriter(&body)
		for name, data := range files {
			w, err := mw.CreateFormFile("files", name)
			if err != nil {
				f.t.Fatal(err)
			}
			w.Write([]byte(data))
		}
		mw.Close()
		contentType = mw.FormDataContentType()
	}
	req := httptest.NewRequest("POST", "/v1/import/ssda903?"+query, &body)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	return response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}

// TestImportSSDA903 posts returns to the API: a good one as a form, the sample as a zip
// (overlaps trimmed), a broken one refused by file, row and column, and an officer refused.
func TestImportSSDA903(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	good := map[string]string{"2020-header.csv": ssdaHeader, "2020-episodes.csv": ssdaEpisodes}
	r := f.postReturn("admin", "council=E10000017", false, good)
	var res map[string]any
	if err := json.Unmarshal(r.body, &res); err != nil || r.status != 201 || res["episodes"] != 2.0 || res["children"] != 1.0 {
		t.Fatalf("a good return: %d %s", r.status, r.body)
	}
	if r := f.postReturn("officer", "council=E10000017", false, good); r.status != 403 {
		t.Errorf("an officer imported a return: %d", r.status)
	}
	if r := f.postReturn("admin", "", false, good); r.status != 400 || !strings.Contains(string(r.body), "council") {
		t.Errorf("no council: %d %s", r.status, r.body)
	}
	bad := map[string]string{"2020-header.csv": ssdaHeader, "2020-episodes.csv": strings.Replace(ssdaEpisodes, "01/03/2020,X1", "01/01/2019,X1", 1)}
	r = f.postReturn("admin", "council=E10000017", true, bad)
	if r.status != 400 || !strings.Contains(string(r.body), "2020-episodes.csv:DEC") {
		t.Errorf("a broken return: %d %s", r.status, r.body)
	}

	sample := map[string]string{}
	names, _ := filepath.Glob(filepath.Join("..", "exchange", "ssda903", "testdata", "sample", "*.csv"))
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		sample[filepath.Base(n)] = string(b)
	}
	r = f.postReturn("admin", "council=E08000003&trim_overlaps=true", true, sample)
	if err := json.Unmarshal(r.body, &res); err != nil || r.status != 201 || res["episodes"] != 2827.0 || res["overlaps_trimmed"] != 40.0 {
		t.Fatalf("the sample: %d %s", r.status, r.body)
	}
}
