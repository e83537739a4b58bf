package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The outbox of notifications, as each caller may see it (administrators: all; a provider: its
// own; an officer: their council's teams'), and the addresses administrators set for providers
// and council teams. Notifications carry no child's data; the store asserts the aggregate
// (catalogue.NotificationStore), and a store without it answers 501.

// notificationRoutes are the routes of notifications and their addresses, for the route table.
func (s *server) notificationRoutes() []route {
	addrDoc := "Set the e-mail address the notifications of %s are delivered to (replacing any); audited."
	return []route{
		{http.MethodGet, "/v1/notifications", supplyRead, s.listNotifications, routeDoc{summary: "The outbox: what each notification says (no child's data), who it is for, where to sign in, and its delivery: pending (attempts, next attempt, last error), sent or failed. Administrators: all; providers: their own; officers: their council's teams'.",
			out: pageDTO[notificationDTO]{}, query: params([]param{{"status", "string", "pending, sent or failed"}, {"kind", "string", "a notification kind"}}, pageParams)}},
		{http.MethodGet, "/v1/notification-addresses", adminOnly, s.listNotificationAddresses, routeDoc{summary: "Every notification address set, for providers and council teams.", out: []notificationAddressDTO{}}},
		{http.MethodPut, "/v1/notification-addresses/providers/:id", adminOnly, s.setProviderAddress, routeDoc{summary: fmt.Sprintf(addrDoc, "a provider"), in: emailDTO{}, out: notificationAddressDTO{}}},
		{http.MethodDelete, "/v1/notification-addresses/providers/:id", adminOnly, s.removeProviderAddress, routeDoc{summary: "Remove a provider's notification address; its notifications wait, and fail after their attempts, until one is set. Audited.", status: 204}},
		{http.MethodPut, "/v1/notification-addresses/councils/:council/teams/:team", adminOnly, s.setTeamAddress, routeDoc{summary: fmt.Sprintf(addrDoc, "a council's team (placements: the placement team)"), in: emailDTO{}, out: notificationAddressDTO{}}},
		{http.MethodDelete, "/v1/notification-addresses/councils/:council/teams/:team", adminOnly, s.removeTeamAddress, routeDoc{summary: "Remove a council team's notification address. Audited.", status: 204}},
	}
}

type recipientDTO struct {
	Provider int64  `json:"provider,omitempty"`
	Council  string `json:"council,omitempty"`
	Team     string `json:"team,omitempty"`
	Worker   int64  `json:"worker_of_child,omitempty"` // the child whose allocated social worker is told
}

type notificationDTO struct {
	ID            int64        `json:"id"`
	Kind          string       `json:"kind"`
	To            recipientDTO `json:"to"`
	Subject       string       `json:"subject"`
	Text          string       `json:"text"`
	Link          string       `json:"link"`
	Status        string       `json:"status"`
	Attempts      int          `json:"attempts"`
	CreatedAt     time.Time    `json:"created_at"`
	NextAttemptAt *time.Time   `json:"next_attempt_at,omitempty"` // pending only
	SentAt        *time.Time   `json:"sent_at,omitempty"`
	LastError     string       `json:"last_error,omitempty"`
}

type emailDTO struct {
	Email string `json:"email"`
}

type notificationAddressDTO struct {
	To        recipientDTO `json:"to"`
	Email     string       `json:"email"`
	UpdatedAt time.Time    `json:"updated_at"`
}

func fromRecipient(r catalogue.Recipient) recipientDTO {
	return recipientDTO{Provider: int64(r.Provider), Council: string(r.Council), Team: string(r.Team), Worker: int64(r.Worker)}
}

func fromNotification(n catalogue.Notification) notificationDTO {
	d := notificationDTO{ID: int64(n.ID), Kind: string(n.Kind), To: fromRecipient(n.To), Subject: n.Subject, Text: n.Text,
		Link: n.Link, Status: string(n.Status), Attempts: n.Attempts, CreatedAt: n.CreatedAt.UTC(), SentAt: timePtr(n.SentAt),
		LastError: n.LastError}
	if n.Status == catalogue.NotificationPending {
		d.NextAttemptAt = timePtr(n.NextAttemptAt)
	}
	return d
}

func fromNotificationAddress(a catalogue.NotificationAddress) notificationAddressDTO {
	return notificationAddressDTO{To: fromRecipient(a.To), Email: a.Email, UpdatedAt: a.UpdatedAt.UTC()}
}

// notificationStore returns the outbox, or a 501 when the server's store keeps none.
func (s *server) notificationStore() (catalogue.NotificationStore, error) {
	if s.notices == nil {
		return nil, statusError(http.StatusNotImplemented, "notifications are not kept by this server")
	}
	return s.notices, nil
}

func (s *server) listNotifications(c *gin.Context) error {
	st, err := s.notificationStore()
	if err != nil {
		return err
	}
	q := newQuery(c)
	f := catalogue.NotificationFilter{Status: enum(q, "status", catalogue.NotificationStatus.Valid),
		Kind: enum(q, "kind", catalogue.NotificationKind.Valid)}
	f.Limit, f.After = q.page()
	if err := q.err(); err != nil {
		return err
	}
	page, err := st.ListNotifications(c.Request.Context(), principal(c).Scope(), f)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, fromNotification))
	return nil
}

func (s *server) listNotificationAddresses(c *gin.Context) error {
	st, err := s.notificationStore()
	if err != nil {
		return err
	}
	as, err := st.ListNotificationAddresses(c.Request.Context())
	if err != nil {
		return err
	}
	out := make([]notificationAddressDTO, len(as))
	for i, a := range as {
		out[i] = fromNotificationAddress(a)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// providerRecipient is the provider the path names.
func providerRecipient(c *gin.Context) (catalogue.Recipient, error) {
	id, err := pathID(c)
	return catalogue.ProviderRecipient(catalogue.ProviderID(id)), err
}

// teamRecipient is the council team the path names: 400 naming council or team when malformed.
func teamRecipient(c *gin.Context) (catalogue.Recipient, error) {
	to := catalogue.TeamRecipient(catalogue.CouncilCode(c.Param("council")), catalogue.Team(c.Param("team")))
	return to, to.Validate()
}

// addressOf is the outbox and the recipient the path names (recipient reads it).
func (s *server) addressOf(c *gin.Context, recipient func(*gin.Context) (catalogue.Recipient, error)) (catalogue.NotificationStore, catalogue.Recipient, error) {
	st, err := s.notificationStore()
	if err != nil {
		return nil, catalogue.Recipient{}, err
	}
	to, err := recipient(c)
	return st, to, err
}

func (s *server) setAddress(c *gin.Context, recipient func(*gin.Context) (catalogue.Recipient, error)) error {
	st, to, err := s.addressOf(c, recipient)
	if err != nil {
		return err
	}
	var d emailDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	a, err := st.SetNotificationAddress(c.Request.Context(), catalogue.NotificationAddress{To: to, Email: d.Email})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromNotificationAddress(a))
	return nil
}

func (s *server) removeAddress(c *gin.Context, recipient func(*gin.Context) (catalogue.Recipient, error)) error {
	st, to, err := s.addressOf(c, recipient)
	if err != nil {
		return err
	}
	if err := st.RemoveNotificationAddress(c.Request.Context(), to); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

func (s *server) setProviderAddress(c *gin.Context) error { return s.setAddress(c, providerRecipient) }
func (s *server) removeProviderAddress(c *gin.Context) error {
	return s.removeAddress(c, providerRecipient)
}
func (s *server) setTeamAddress(c *gin.Context) error    { return s.setAddress(c, teamRecipient) }
func (s *server) removeTeamAddress(c *gin.Context) error { return s.removeAddress(c, teamRecipient) }
