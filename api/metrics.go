package api

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/placematch/placematch/catalogue"
)

// Metrics are the service's Prometheus metrics. Labels are route templates
// ("/v1/children/:id"), never raw paths, so no ID or token can reach a label.
type Metrics struct {
	reg *prometheus.Registry

	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	options  *prometheus.HistogramVec
	runs     *prometheus.HistogramVec
	runSize  prometheus.Histogram
	handler  http.Handler
	sizes    *sizeCollector // nil: no catalogue sizes
}

// Sizes reports the catalogue's sizes at scrape time.
type Sizes interface {
	Counts(ctx context.Context) (catalogue.Counts, error)
}

// Snapshot reports the matcher's snapshot at scrape time.
type Snapshot interface {
	Offerable() int             // placements in the snapshot: active, with a place free
	SnapshotAge() time.Duration // how long ago it was last built
}

// NewMetrics makes the registry with the Go runtime and process collectors, request counts and
// durations, option-search latencies and match-run durations and sizes; sizes and snap (either
// may be nil) add gauges of the catalogue read when Prometheus scrapes.
func NewMetrics(sizes Sizes, snap Snapshot) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "placematch_http_requests_total", Help: "HTTP requests by route template, method and status.",
	}, []string{"route", "method", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "placematch_http_request_duration_seconds", Help: "HTTP request durations by route template and method.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"route", "method"})
	m.options = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "placematch_options_search_seconds", Help: "Time to find one child's ranked options in the matcher, by whether two or more suitable placements exist.",
		Buckets: []float64{.0001, .00025, .0005, .001, .002, .005, .01, .025, .05, .1},
	}, []string{"two_or_more"})
	m.runs = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "placematch_match_run_seconds", Help: "Durations of joint match runs, by outcome.",
		Buckets: prometheus.ExponentialBuckets(0.05, 2, 12),
	}, []string{"status"})
	m.runSize = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "placematch_match_run_children", Help: "Children in each joint match run.",
		Buckets: prometheus.ExponentialBuckets(10, 2, 14),
	})
	// The Go and process collectors of the prometheus package itself: its collectors package
	// imports database/sql (for a DB stats collector), which the api package must not depend on
	// (architecture_test.go).
	//lint:ignore SA1019 the replacements in the collectors package would bring database/sql into api
	m.reg.MustRegister(prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}),
		m.requests, m.duration, m.options, m.runs, m.runSize)
	if sizes != nil {
		m.sizes = &sizeCollector{sizes: sizes}
		m.reg.MustRegister(m.sizes)
	}
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
	if snap != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "placematch_snapshot_placements", Help: "Placements in the matcher's snapshot: active, with a place free.",
		}, func() float64 { return float64(snap.Offerable()) }))
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "placematch_snapshot_age_seconds", Help: "Seconds since the matcher's snapshot was built.",
		}, func() float64 { return snap.SnapshotAge().Seconds() }))
	}
	return m
}

// Registry is where the metrics are registered, for other parts of the service to add theirs.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// ObserveMatchRun records one joint match run.
func (m *Metrics) ObserveMatchRun(d time.Duration, children int, status catalogue.RunStatus) {
	m.runs.WithLabelValues(string(status)).Observe(d.Seconds())
	m.runSize.Observe(float64(children))
}

// observeOptions records one options search.
func (m *Metrics) observeOptions(d time.Duration, twoOrMore bool) {
	m.options.WithLabelValues(strconv.FormatBool(twoOrMore)).Observe(d.Seconds())
}

// measure is the middleware that counts requests and their durations by route template.
func (m *Metrics) measure(c *gin.Context) {
	sw := catalogue.StartStopwatch()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
	m.duration.WithLabelValues(route, c.Request.Method).Observe(sw.Elapsed().Seconds())
}

func (s *server) serveMetrics(c *gin.Context) error {
	s.metrics.handler.ServeHTTP(c.Writer, c.Request)
	return nil
}

// sizeCollector reads the catalogue's sizes when Prometheus scrapes: through the API's cache of
// aggregates once the API is built (a scrape then never waits for a count when a copy exists),
// from the store directly before.
type sizeCollector struct {
	sizes Sizes
	read  atomic.Pointer[sizesReader]
}

// sizesReader reads the catalogue's sizes: the counts, how old they are, and whether the store
// answered the last attempt to count them.
type sizesReader func(ctx context.Context, sizes Sizes) (n catalogue.Counts, age time.Duration, up bool, err error)

// readSizesWith makes scrapes read the catalogue's sizes through r.
func (m *Metrics) readSizesWith(r sizesReader) {
	if m.sizes != nil {
		m.sizes.read.Store(&r)
	}
}

var (
	descRecords = prometheus.NewDesc("placematch_catalogue_records", "Records in the catalogue, by kind.", []string{"kind"}, nil)
	descUp      = prometheus.NewDesc("placematch_store_up", "1 when the store answered the last count of the catalogue's records.", nil, nil)
	descAge     = prometheus.NewDesc("placematch_catalogue_records_age_seconds", "Seconds since the catalogue's records were counted.", nil, nil)
)

func (c *sizeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descRecords
	ch <- descUp
	ch <- descAge
}

func (c *sizeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var (
		n   catalogue.Counts
		age time.Duration
		up  = true
		err error
	)
	if r := c.read.Load(); r != nil {
		n, age, up, err = (*r)(ctx, c.sizes)
	} else {
		n, err = c.sizes.Counts(ctx)
	}
	if err != nil {
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 0)
		return
	}
	upValue := 1.0
	if !up { // a copy of the counts, but the last attempt at new ones failed
		upValue = 0
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, upValue)
	ch <- prometheus.MustNewConstMetric(descAge, prometheus.GaugeValue, age.Seconds())
	for kind, v := range map[string]int{
		"providers": n.Providers, "placements": n.Placements, "vacancies_available": n.Vacancies,
		"children": n.Children, "children_waiting": n.ChildrenWaiting, "sibling_groups": n.SiblingGroups,
	} {
		ch <- prometheus.MustNewConstMetric(descRecords, prometheus.GaugeValue, float64(v), kind)
	}
}
