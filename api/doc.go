// Package api is placematch's HTTP interface: a Gin engine behind http.Handler, with bearer-token
// authentication, role and council scope on every route, RFC 9457 problem+json errors that name
// the field at fault, request size limits and structured logs that never carry a token or a
// child's name.
//
// Handlers return errors; one renderer (problem.go) maps error categories to statuses. Request
// and response types (DTOs) live here with their converters; domain types in catalogue carry no
// JSON tags. The api talks to the store through catalogue's interfaces (Store gathers the
// aggregates it serves) and to casework for the use cases, and never imports a store
// implementation: cmd wires the concrete types.
package api
