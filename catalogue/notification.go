package catalogue

import (
	"context"
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// NotificationID identifies a notification of the outbox.
type NotificationID int64

func (id NotificationID) String() string { return strconv.FormatInt(int64(id), 10) }

// NotificationKind is what happened, that someone should be told.
type NotificationKind string

// The kinds of notification. The referral kinds are written by the referral life cycle; the
// offer kinds by the offer's own (an offer sent to a child, or withdrawn, tells the child's
// council's placement team).
const (
	NotifyReferralSent      NotificationKind = "referral_sent"      // a provider: a child was referred to one of its homes
	NotifyReferralResponse  NotificationKind = "referral_response"  // the council: a provider answered a referral
	NotifyDeadlineNear      NotificationKind = "deadline_near"      // a provider: a referral's deadline approaches
	NotifyReferralWithdrawn NotificationKind = "referral_withdrawn" // a provider: a referral was withdrawn
	NotifyReferralExpired   NotificationKind = "referral_expired"   // the provider, the allocated social worker and team: nobody answered, or the hold ran out
	NotifyOfferSent         NotificationKind = "offer_sent"         // the council: an offer was sent to the child
	NotifyOfferWithdrawn    NotificationKind = "offer_withdrawn"    // the council: an offer was withdrawn
	NotifyPlacementNotice   NotificationKind = "placement_notice"   // an area authority: a child is placed in its area (regulation 13(4))
	NotifyAlertRaised       NotificationKind = "alert_raised"       // the alert's owner (and, out of hours, the social worker too): a child's check-in needs someone to act
	NotifyAlertEscalated    NotificationKind = "alert_escalated"    // the council's managers: an alert was not acknowledged by its deadline
	NotifyAdvocacyRequested NotificationKind = "advocacy_requested" // the council's advocacy service: a child asked for an advocate
	NotifyLookAgain         NotificationKind = "look_again"         // the council's independent reviewing officers: a child asked them to look again at a decision
	NotifySettlingRequested NotificationKind = "settling_requested" // a provider: a council asks it to hold a back-up place while a child settles
	NotifySettlingAnswered  NotificationKind = "settling_answered"  // the council: a provider agreed to hold a back-up place, or declined
	NotifySettlingReleased  NotificationKind = "settling_released"  // the other side: a settling hold ended (the period ran out, released or withdrawn)
	NotifySettlingOffered   NotificationKind = "settling_offered"   // the provider: the back-up it holds was offered to the child
)

// NotificationKinds lists every NotificationKind.
var NotificationKinds = []NotificationKind{NotifyReferralSent, NotifyReferralResponse, NotifyDeadlineNear,
	NotifyReferralWithdrawn, NotifyReferralExpired, NotifyOfferSent, NotifyOfferWithdrawn, NotifyPlacementNotice,
	NotifyAlertRaised, NotifyAlertEscalated, NotifyAdvocacyRequested, NotifyLookAgain,
	NotifySettlingRequested, NotifySettlingAnswered, NotifySettlingReleased, NotifySettlingOffered}

// Valid reports whether k is a known value.
func (k NotificationKind) Valid() bool { return oneOf(k, NotificationKinds) }

// notificationWords is what each kind says, in words that carry no child's data: only what
// happened, to which record (by its ID), and that the reader should sign in. %d is the record's
// ID. This is the one home of a notification's wording.
var notificationWords = map[NotificationKind]struct{ subject, text string }{
	NotifyReferralSent:      {"New referral", "A child has been referred to one of your homes (referral %d). Please sign in to placematch to read the referral and answer it before its deadline."},
	NotifyReferralResponse:  {"Referral answered", "A provider has answered referral %d. Please sign in to placematch to read the answer."},
	NotifyDeadlineNear:      {"Referral deadline approaching", "The deadline to answer referral %d is approaching. Please sign in to placematch to answer it."},
	NotifyReferralWithdrawn: {"Referral withdrawn", "Referral %d has been withdrawn: you need not answer it. Please sign in to placematch for details."},
	NotifyReferralExpired:   {"Referral expired", "Referral %d has expired: it was not answered by its deadline, or the hold on the place ran out. Please sign in to placematch for details."},
	NotifyPlacementNotice:   {"Notice of a placement in your area", "Another council is placing a child it looks after in your area (placement notice %d), as regulation 13(4) of the Care Planning, Placement and Case Review (England) Regulations 2010 requires it to tell you. The placing council will send you the details the regulation asks for; please contact its placement team, or sign in to placematch, quoting the notice's number."},
	NotifyOfferSent:         {"Offer sent", "Offer %d has been sent to the child. Please sign in to placematch to follow it."},
	NotifyOfferWithdrawn:    {"Offer withdrawn", "Offer %d has been withdrawn. Please sign in to placematch for details."},
	NotifyAlertRaised:       {"Alert: a child needs someone to act", "A child's check-in has raised an alert (alert %d): they said they do not feel safe, or an answer fell sharply. Please sign in to placematch now, acknowledge the alert and act on it before its deadline."},
	NotifyAdvocacyRequested: {"A child asked for an advocate", "A child looked after by the council has asked for an advocate (request %d). Please sign in to placematch to read the request and record when contact is made."},
	NotifyLookAgain:         {"A child asked you to look again at a decision", "A child looked after by the council has asked their independent reviewing officer to look again at a decision about their home (request %d). Please sign in to placematch to read it and record what you find."},
	NotifySettlingRequested: {"Please hold a back-up place", "A council asks you to hold a place in one of your homes for a few weeks while a child settles into another home (settling hold %d): if the move goes badly the child could be offered your home without a new search. Please sign in to placematch to agree, with any weekly retainer, or decline."},
	NotifySettlingAnswered:  {"Settling hold answered", "A provider has answered settling hold %d. Please sign in to placematch to read the answer."},
	NotifySettlingOffered:   {"The back-up place you hold is offered to the child", "The council has offered the child the place you are holding (settling hold %d): it stays held for that offer until the council decides it. Please sign in to placematch for details."},
	NotifySettlingReleased:  {"Settling hold ended", "Settling hold %d has ended: the place it held is free again. Please sign in to placematch for details."},
	NotifyAlertEscalated:    {"Alert not acknowledged", "Alert %d was not acknowledged by its deadline and has been escalated to you. Please sign in to placematch now and make sure someone acts on it."},
}

// NotificationStatus is where a notification is in its delivery.
type NotificationStatus string

// Notification statuses: pending until it is sent, or failed once MaxAttempts attempts have
// failed (it is then kept, to be seen, and never tried again).
const (
	NotificationPending NotificationStatus = "pending"
	NotificationSent    NotificationStatus = "sent"
	NotificationFailed  NotificationStatus = "failed"
)

// NotificationStatuses lists every NotificationStatus.
var NotificationStatuses = []NotificationStatus{NotificationPending, NotificationSent, NotificationFailed}

// Valid reports whether s is a known value.
func (s NotificationStatus) Valid() bool { return oneOf(s, NotificationStatuses) }

// Team names a team of a council that is told of events: "placements" (the placement team,
// told of its offers and of providers' answers), or another a referral names ("fostering",
// "north-west-cla"): lower-case letters, digits and hyphens, at most 40.
type Team string

// TeamPlacements is a council's placement team.
const TeamPlacements Team = "placements"

var teamPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$`)

// Valid reports whether t is a well-formed team name.
func (t Team) Valid() bool { return teamPattern.MatchString(string(t)) }

// Recipient is who a notification is for: a provider (Provider set), a council's team (Council
// and Team set), or the allocated social worker of one of a council's children (Council and
// Worker set): never more than one. The worker's address is the child's allocation's e-mail,
// read when the notification is delivered, so that a change of address is followed; the
// notification still carries no child's data, only the record's ID.
type Recipient struct {
	Provider ProviderID
	Council  CouncilCode
	Team     Team
	Worker   ChildID // the child whose allocated social worker is told
}

// ProviderRecipient is a provider, as a recipient.
func ProviderRecipient(id ProviderID) Recipient { return Recipient{Provider: id} }

// TeamRecipient is a council's team, as a recipient.
func TeamRecipient(c CouncilCode, t Team) Recipient { return Recipient{Council: c, Team: t} }

// WorkerRecipient is the allocated social worker of a child of council c, as a recipient.
func WorkerRecipient(c CouncilCode, child ChildID) Recipient {
	return Recipient{Council: c, Worker: child}
}

// String names the recipient for logs and the audit log: "provider:3",
// "team:E08000003/placements", "worker:E08000003/child-12".
func (r Recipient) String() string {
	switch {
	case r.Provider != 0:
		return "provider:" + r.Provider.String()
	case r.Worker != 0:
		return "worker:" + string(r.Council) + "/child-" + r.Worker.String()
	}
	return "team:" + string(r.Council) + "/" + string(r.Team)
}

// check adds the recipient's problems under p.
func (r Recipient) check(p problems) {
	switch {
	case r.Provider < 0:
		p.add("provider", "must be a provider's ID")
	case r.Provider > 0 && (r.Council != "" || r.Team != "" || r.Worker != 0):
		p.add("provider", "a recipient is a provider, a council's team or a child's allocated social worker: one of them")
	case r.Worker < 0:
		p.add("worker", "must be a child's ID")
	case r.Worker > 0:
		if !r.Council.Valid() {
			p.add("council", "must be the ONS code of the child's council")
		}
		if r.Team != "" {
			p.add("team", "must be empty for a child's allocated social worker")
		}
	case r.Provider == 0:
		if !r.Council.Valid() {
			p.add("council", "must be the ONS code of a council (or name a provider)")
		}
		if !r.Team.Valid() {
			p.add("team", "must be a team's name: lower-case letters, digits and hyphens, at most 40")
		}
	}
}

// Validate reports every bad field of the recipient.
func (r Recipient) Validate() error {
	p := newProblems()
	r.check(p)
	return p.err()
}

// Notification is one message of the outbox: what happened, for whom, and where to sign in to
// see it. It carries no child's data: its words come from its kind and name records by their
// IDs (NewNotification), and it is delivered by e-mail to the recipient's notification address
// (NotificationAddress) by a worker that never holds a transaction open while it sends.
type Notification struct {
	ID      NotificationID
	Kind    NotificationKind
	To      Recipient
	Subject string // one line
	Text    string // what happened, in words; no child's data
	Link    string // the path to sign in to ("/v1/offers/12"), joined to the service's address
	Status  NotificationStatus
	// Attempts is how many times delivery was tried (each claim is one attempt).
	Attempts      int
	CreatedAt     time.Time
	NextAttemptAt time.Time // when a pending notification is next due
	SentAt        time.Time // zero until sent
	LastError     string    // why the last attempt failed; empty once sent
}

// NewNotification is the notification of an event of kind about record id, for to, with the
// path to sign in to: its words are the kind's own (notificationWords), naming the record by
// its ID and nothing else about it.
func NewNotification(kind NotificationKind, to Recipient, id int64, link string) Notification {
	w := notificationWords[kind]
	return Notification{Kind: kind, To: to, Subject: w.subject, Text: fmt.Sprintf(w.text, id), Link: link}
}

// OfferNotification is the notification of an offer's event (NotifyOfferSent,
// NotifyOfferWithdrawn) for its council's placement team.
func OfferNotification(kind NotificationKind, o Offer) Notification {
	return NewNotification(kind, TeamRecipient(o.Council, TeamPlacements), int64(o.ID), "/v1/offers/"+o.ID.String())
}

var linkPattern = regexp.MustCompile(`^/[A-Za-z0-9/_-]{0,200}$`)

// Validate reports every bad field of a new notification: a known kind, a recipient, a subject
// and text, and a link that is a plain path (no query, which could carry a token or a name).
func (n Notification) Validate() error {
	p := newProblems()
	if !n.Kind.Valid() {
		p.add("kind", "must be one of %v", NotificationKinds)
	}
	n.To.check(p.under("to"))
	checkText(p, "subject", n.Subject, 200)
	checkText(p, "text", n.Text, 2000)
	if strings.TrimSpace(n.Subject) == "" || strings.ContainsAny(n.Subject, "\r\n") {
		p.add("subject", "is required, on one line")
	}
	if strings.TrimSpace(n.Text) == "" {
		p.add("text", "is required")
	}
	if !linkPattern.MatchString(n.Link) {
		p.add("link", "must be a path (/v1/offers/12) with no query")
	}
	return p.err()
}

// NotificationAddress is the e-mail address an administrator sets for a provider or a council
// team: where its notifications are delivered.
type NotificationAddress struct {
	To        Recipient
	Email     string // a bare address: name@example.org
	UpdatedAt time.Time
}

// MaxEmail bounds an e-mail address's length (RFC 5321's path limit).
const MaxEmail = 254

// Validate reports every bad field of the address.
func (a NotificationAddress) Validate() error {
	p := newProblems()
	a.To.check(p)
	if a.To.Worker != 0 {
		p.add("worker", "a social worker's address is their allocation's e-mail (PUT /v1/children/{id}/allocation)")
	}
	if msg := EmailProblem(a.Email); msg != "" {
		p.add("email", "%s", msg)
	}
	return p.err()
}

// EmailProblem says what is wrong with an e-mail address, or "" when it is a bare address
// (name@example.org, with a domain that has a dot): no display name, no angle brackets, no
// spaces or line breaks, at most MaxEmail characters.
func EmailProblem(s string) string {
	if s == "" {
		return "is required"
	}
	if len(s) > MaxEmail {
		return fmt.Sprintf("must be at most %d characters", MaxEmail)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || strings.ContainsAny(s, " \t\r\n<>,;\"") {
		return "must be an e-mail address such as team@example.gov.uk"
	}
	at := strings.LastIndexByte(s, '@')
	if domain := s[at+1:]; !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "must be an e-mail address such as team@example.gov.uk"
	}
	return ""
}

// NotificationFilter narrows the list of notifications.
type NotificationFilter struct {
	Status NotificationStatus // empty: any
	Kind   NotificationKind   // empty: any
	After  int64
	Limit  int
}

// Delivery is a notification claimed for delivery, with the address it goes to ("" when none
// is set for its recipient).
type Delivery struct {
	Notification
	Email string
	Claim string // the claim that holds it
}

// DeliveryOutcome is how an attempt to deliver a claimed notification ended: sent, or failed
// with Error and to be tried again at RetryAt (zero: never again; the notification is failed).
type DeliveryOutcome struct {
	ID      NotificationID
	Claim   string
	Sent    bool
	Error   string
	RetryAt time.Time
}

// NotificationStore keeps the outbox of notifications and the addresses they go to.
//
// A notification is written in the same transaction as the event that causes it, so that it is
// never lost when the event commits and never exists when the event rolls back: the store's own
// changes write theirs themselves (an offer sent or withdrawn tells its council's placement
// team), and a store change of another aggregate does the same through the store's
// transaction (sqlstore's Store.enqueue). Notify is for events that are not a store change.
type NotificationStore interface {
	// Notify adds notifications to the outbox, pending and due at once, in one transaction of
	// their own, all or none: ErrInvalid (Notification.Validate) naming the bad one's fields
	// ("[1].link"). It takes no scope: the system's own work.
	Notify(ctx context.Context, ns ...Notification) error
	// ListNotifications returns a page of the notifications in scope by ascending ID: all for
	// the zero scope; a provider's own; a council's teams' for a scope of one council.
	// ErrInvalid naming status or kind when the filter's is not known.
	ListNotifications(ctx context.Context, s Scope, f NotificationFilter) (Page[Notification], error)

	// SetNotificationAddress sets (or replaces) the address of a.To, audited: ErrInvalid
	// naming the fields at fault, or provider when no provider has its ID. Addresses are the
	// administrators' to set (the caller checks the role): it takes no scope.
	SetNotificationAddress(ctx context.Context, a NotificationAddress) (NotificationAddress, error)
	// RemoveNotificationAddress removes the address of to, audited: ErrNotFound when none is
	// set. Its notifications wait, and fail after their attempts, until one is set.
	RemoveNotificationAddress(ctx context.Context, to Recipient) error
	// ListNotificationAddresses returns every address set, providers first by ID, then teams
	// by council and name (administrators only: no scope).
	ListNotificationAddresses(ctx context.Context) ([]NotificationAddress, error)

	// ClaimNotifications claims up to n pending notifications that are due, oldest due first,
	// for claim, each for lease (after which a claim not finished lapses and another worker
	// may try it again), counting one attempt each; it returns them with their recipients'
	// addresses. Each is claimed by one short conditional update: of two workers claiming at
	// once, each notification goes to one only. The system's own work: no scope.
	ClaimNotifications(ctx context.Context, claim string, n int, lease time.Duration) ([]Delivery, error)
	// FinishDelivery records the outcome of an attempt under the claim that holds it:
	// ErrConflict when the claim has lapsed and another has taken the notification, which
	// is then left to it.
	FinishDelivery(ctx context.Context, o DeliveryOutcome) error
}
