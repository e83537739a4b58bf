package api

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// attemptLimiter limits attempts (opening a child's link) per client address and in total. The
// address is gin's ClientIP, which believes X-Forwarded-For only from the trusted proxies
// configured (none by default), so a client cannot pick its own address.
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

// allow reports whether one more attempt from ip may go ahead now.
func (l *attemptLimiter) allow(ip string) bool {
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
		return false
	}
	return l.all.AllowN(now, 1)
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
