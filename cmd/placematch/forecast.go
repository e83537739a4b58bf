package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/exchange/ssda903"
	"github.com/placematch/placematch/forecast"
	"github.com/placematch/placematch/sufficiency"
)

// MaxForecastYears is how far ahead the forecast goes: the history of a few years says little
// of more.
const MaxForecastYears = 3

// runForecast forecasts the children looked after, by category, from the placement histories
// of an SSDA903 return or of the store, and backtests the forecast against the Children's
// Services Demand Model's method.
func runForecast(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "forecast", "forecast [options]")
	var sf storeFlags
	sf.register(fs, e)
	dir := fs.String("ssda903", "", "forecast from a council's SSDA903 return in this folder (its Header and Episodes .csv files, any years) instead of the store; needs --council")
	council := fs.String("council", "", "ONS code of a council: its children only (with --ssda903: the council whose return it is)")
	years := fs.Int("years", MaxForecastYears, fmt.Sprintf("forecast this many years ahead, 1 to %d", MaxForecastYears))
	backtest := fs.Int("backtest", 0, "hold out this many of the last years, fit on the ones before and report both methods' errors on them")
	since := fs.Int("since", 0, "the first 31 March the history is complete from, as a year (default: the return's first year; from the store, five years before today)")
	if err := parse(e, fs, args, 0); err != nil {
		return err
	}
	if *years < 1 || *years > MaxForecastYears {
		return usageError{fmt.Sprintf("forecast: --years must be between 1 and %d", MaxForecastYears)}
	}
	if *backtest < 0 || *backtest > MaxForecastYears {
		return usageError{fmt.Sprintf("forecast: --backtest must be between 0 and %d", MaxForecastYears)}
	}
	code := catalogue.CouncilCode(*council)
	if code != "" && !code.Valid() {
		return usageError{"forecast: --council must be the ONS code of an English upper-tier council"}
	}
	var h forecast.History
	var err error
	if *dir != "" {
		h, err = historyOfReturn(e, *dir, code, *since)
	} else {
		h, err = historyOfStore(ctx, e, sf, code, *since)
	}
	if err != nil {
		return err
	}
	if code != "" {
		h = h.Of(code)
	}
	fmt.Fprintf(e.stdout, "placement histories of %d children, complete from %s to %s\n\n", len(h.Children), h.From.Format(time.DateOnly), h.Through.Format(time.DateOnly))
	if err := forecast.WriteHistory(e.stdout, h); err != nil {
		return err
	}
	snaps := h.Snapshots()
	m, err := forecast.Fit(h, snaps)
	if err != nil {
		return err
	}
	origin := snaps[len(snaps)-1]
	start := h.StockOn(origin)
	fmt.Fprintf(e.stdout, "\nforecast (stock and flow, fitted on %d years):\n", len(m.Fitted))
	if err := forecast.WriteForecast(e.stdout, start, origin, m.Forecast(start, origin, *years)); err != nil {
		return err
	}
	if *backtest > 0 {
		bt, err := forecast.RunBacktest(h, *backtest)
		if err != nil {
			return usageError{err.Error()}
		}
		fmt.Fprintln(e.stdout)
		return forecast.WriteBacktest(e.stdout, bt)
	}
	return nil
}

// historyOfReturn reads a council's SSDA903 return: complete from the 31 March its first
// year's return begins after (or since) to the 31 March its last ends on.
func historyOfReturn(e *env, dir string, council catalogue.CouncilCode, since int) (forecast.History, error) {
	if council == "" {
		return forecast.History{}, usageError{"forecast: --ssda903 needs --council, the ONS code of the council whose return it is"}
	}
	files, err := ssda903.FilesIn(os.DirFS(dir))
	if err != nil {
		return forecast.History{}, err
	}
	d, err := ssda903.Decode(files, ssda903.Options{Council: council, TrimOverlaps: true})
	if err != nil {
		return forecast.History{}, reportRows(e, err)
	}
	first, last := ssda903.Years(files)
	from, through := forecast.YearEnd(first), forecast.YearEnd(last+1)
	if first == 0 {
		// The files do not say their years: the history runs to the last day they mention.
		for _, ep := range d.Batch.Episodes {
			through = maxDay(through, maxDay(ep.Start, ep.End))
		}
		from = forecast.YearEnd(through.Year() - 5)
	}
	if since != 0 {
		from = forecast.YearEnd(since)
	}
	return forecast.FromBatch(d.Batch, from, through), nil
}

// historyOfStore reads the placement histories of the store's children (the council's, or
// every council's), complete to today.
func historyOfStore(ctx context.Context, e *env, sf storeFlags, council catalogue.CouncilCode, since int) (forecast.History, error) {
	store, err := sf.open(ctx, e, newLogger(e, e.stderr))
	if err != nil {
		return forecast.History{}, err
	}
	defer store.Close()
	return readHistory(ctx, store, council, catalogue.Day(e.now()), since)
}

// historyReader is what a history is read through (the store satisfies it).
type historyReader interface {
	ListChildren(ctx context.Context, s catalogue.Scope, f catalogue.ChildFilter) (catalogue.Page[catalogue.Child], error)
	EpisodesOf(ctx context.Context, children []catalogue.ChildID) (map[catalogue.ChildID][]catalogue.Episode, error)
}

// readHistory reads the placement histories of the children of a council (every council's when
// empty), complete from the 31 March of since (five years before today when 0) to today.
func readHistory(ctx context.Context, store historyReader, council catalogue.CouncilCode, today time.Time, since int) (forecast.History, error) {
	children, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Child], error) {
		return store.ListChildren(ctx, catalogue.Scope{Council: council}, catalogue.ChildFilter{After: catalogue.ChildID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		return forecast.History{}, err
	}
	ids := make([]catalogue.ChildID, len(children))
	for i, c := range children {
		ids[i] = c.ID
	}
	eps, err := store.EpisodesOf(ctx, ids)
	if err != nil {
		return forecast.History{}, err
	}
	from := forecast.YearEnd(today.Year() - 5)
	if since != 0 {
		from = forecast.YearEnd(since)
	}
	return forecast.FromEpisodes(children, eps, from, today), nil
}

// storeDemand is the demand forecast fitted on the store's placement histories as they stand
// when a report is computed (the last five years to the report's day), years ahead.
type storeDemand struct {
	store historyReader
	years int
}

func (d storeDemand) Demand(ctx context.Context, today time.Time) (sufficiency.DemandForecast, error) {
	h, err := readHistory(ctx, d.store, "", catalogue.Day(today), 0)
	if err != nil {
		return nil, err
	}
	return demand{h: h, years: d.years}, nil
}

// demand is the demand forecast of a history as the sufficiency report takes it: the
// stock-and-flow model fitted on every year of the councils' history, years ahead of its last
// 31 March.
type demand struct {
	h     forecast.History
	years int
}

func (d demand) Need(_ context.Context, councils []catalogue.CouncilCode) ([]sufficiency.NeedYear, error) {
	h := d.h.Of(councils...)
	snaps := h.Snapshots()
	m, err := forecast.Fit(h, snaps)
	if err != nil {
		return nil, err
	}
	origin := snaps[len(snaps)-1]
	var out []sufficiency.NeedYear
	for _, y := range m.Forecast(h.StockOn(origin), origin, d.years) {
		ny := sufficiency.NeedYear{On: y.On}
		point := y.Point.ByCategory()
		for i := range forecast.NumCategories {
			ny.Expected = append(ny.Expected, point[i])
			ny.Low = append(ny.Low, y.ByCategory[i].Low)
			ny.High = append(ny.High, y.ByCategory[i].High)
		}
		out = append(out, ny)
	}
	return out, nil
}

func maxDay(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
