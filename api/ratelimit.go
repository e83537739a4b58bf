package api

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// attemptLimiter limits failed attempts (a child's link or a dashboard token that does not work)
// per client address and in total. Only failures count, and a valid secret is looked up before
// the total is consulted, so that guessing from many addresses, which can spend the total, never
// keeps out the child or the commissioner who has a real one. An address that has spent its own
// tries is refused before its next secret is even looked up, so one address cannot guess faster
// than its own limit. The address is gin's ClientIP, which believes X-Forwarded-For only from
// the trusted proxies configured (none by default), so a client cannot pick its own address.
//
// The order of a use is: mayTry (refuse at once if the address has no tries left), look the
// secret up, and on a failure failed (which says whether to answer "too many" rather than "not
// found": the address's tries or the total are spent).
type attemptLimiter struct {
	mu      sync.Mutex
	perIP   rate.Limit
	burst   int
	clients map[string]*client
	all     *rate.Limiter
	now     func() time.Time
}

type client struct {
	lim  *rate.Limiter
	seen time.Time
}

// maxClients bounds the table of addresses; idle ones are dropped first.
const maxClients = 10000

func newAttemptLimiter(perMinute, burst, totalPerMinute int, now func() time.Time) *attemptLimiter {
	return &attemptLimiter{
		perIP: rate.Limit(float64(perMinute) / 60), burst: burst, clients: map[string]*client{},
		all: rate.NewLimiter(rate.Limit(float64(totalPerMinute)/60), totalPerMinute), now: now,
	}
}

// mayTry reports whether ip has a try left: an address that has spent its own is refused
// before its secret is looked up. It spends nothing.
func (l *attemptLimiter) mayTry(ip string) bool {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.clients[ip]
	return !ok || c.lim.TokensAt(now) >= 1
}

// failed counts a failed attempt from ip, against its limit and the total, and reports whether
// the attempt went beyond either: then the answer is "too many", not "not found".
func (l *attemptLimiter) failed(ip string) (tooMany bool) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.clients[ip]
	if !ok {
		if len(l.clients) >= maxClients {
			l.sweep(now)
		}
		c = &client{lim: rate.NewLimiter(l.perIP, l.burst)}
		l.clients[ip] = c
	}
	c.seen = now
	if !c.lim.AllowN(now, 1) {
		return true
	}
	return !l.all.AllowN(now, 1)
}

// sweep drops addresses idle long enough for their bucket to be full again, or, if none is, the
// table's oldest half.
func (l *attemptLimiter) sweep(now time.Time) {
	refill := time.Duration(float64(l.burst)/float64(l.perIP)) * time.Second
	for ip, c := range l.clients {
		if now.Sub(c.seen) > refill {
			delete(l.clients, ip)
		}
	}
	if len(l.clients) < maxClients {
		return
	}
	n := 0
	for ip := range l.clients {
		delete(l.clients, ip)
		if n++; n >= maxClients/2 {
			break
		}
	}
}
