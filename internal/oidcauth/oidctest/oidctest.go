// Package oidctest starts a real OpenID provider for tests: zitadel's OP
// (github.com/zitadel/oidc/v3 pkg/op) with its example in-memory storage and login page, on
// httptest, with the people and clients a test gives. Only tests import it.
package oidctest

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
)

// Users are the people at the provider, by user name.
type Users map[string]*storage.User

// GetUserByUsername, ExampleClientID and GetUserByID make Users the example storage's store of
// people.
func (u Users) GetUserByUsername(name string) *storage.User { return u[name] }

// ExampleClientID is the example storage's own client, unused by placematch.
func (u Users) ExampleClientID() string { return "service" }

// GetUserByID finds a person by their subject.
func (u Users) GetUserByID(id string) *storage.User {
	for _, p := range u {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// Start starts the provider with people and clients (storage.WebClient(id, secret, redirect)),
// closed when the test ends, and returns its issuer URL. The example provider logs every request
// through a logger: quiet here.
func Start(t testing.TB, people Users, clients ...*storage.Client) string {
	t.Helper()
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	byID := map[string]*storage.Client{}
	for _, c := range clients {
		byID[c.GetID()] = c
	}
	handler = exampleop.SetupServer(srv.URL, storage.NewStorageWithClients(people, byID), slog.New(slog.DiscardHandler), false)
	return srv.URL
}

// Now is the provider's own time, read from the Date header of its discovery document (rounded
// down to the second): the tokens it issues are dated by its clock, and tests set the service's
// clock from there, whatever today's date.
func Now(t testing.TB, issuer string) time.Time {
	t.Helper()
	resp, err := http.Get(issuer + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	at, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		t.Fatalf("the provider's Date header: %v", err)
	}
	return at
}
