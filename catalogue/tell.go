package catalogue

import (
	"strings"
)

// Who is told of what happens to a referral (issue 16, item 5): the one rule. The store writes
// these notifications in the transaction of the change that causes them, so that none is lost
// when it commits and none exists when it rolls back.
//
//	event              the provider  the child's allocated team  the allocated social worker
//	referral_sent      yes
//	deadline_near      yes
//	referral_withdrawn yes
//	referral_response               yes                         yes
//	referral_expired   yes          yes                         yes

// ReferralTold is who, besides the provider, is told of a referral's events about a child: the
// allocated team (Team: the allocation's, or the council's placement team) and whether the
// allocated social worker is reached (Worker: the child has an allocation with an e-mail).
type ReferralTold struct {
	Team   Team
	Worker bool
}

// ReferralNotifications is the notifications of one event of kind about referral r, by the
// table above; each names the referral by its ID and links to it, and says nothing of the child.
func ReferralNotifications(kind NotificationKind, r Referral, told ReferralTold) []Notification {
	link := "/v1/referrals/" + r.ID.String()
	one := func(to Recipient) Notification { return NewNotification(kind, to, int64(r.ID), link) }
	team := told.Team
	if !team.Valid() {
		team = TeamPlacements
	}
	council := func() []Notification {
		out := []Notification{one(TeamRecipient(r.Council, team))}
		if told.Worker {
			out = append(out, one(WorkerRecipient(r.Council, r.Child)))
		}
		return out
	}
	switch kind {
	case NotifyReferralSent, NotifyDeadlineNear, NotifyReferralWithdrawn:
		return []Notification{one(ProviderRecipient(r.Provider))}
	case NotifyReferralResponse:
		return council()
	case NotifyReferralExpired:
		return append([]Notification{one(ProviderRecipient(r.Provider))}, council()...)
	}
	return nil
}

// TeamOf is the council team an allocation's team is, as a Team name: its words in lower case,
// every run of other characters a hyphen, at most 40 ("North West CLA" is "north-west-cla");
// "" when no letter or digit is left.
func TeamOf(name string) Team {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	t := Team(strings.TrimRight(b.String()[:min(b.Len(), 40)], "-"))
	if !t.Valid() {
		return ""
	}
	return t
}
