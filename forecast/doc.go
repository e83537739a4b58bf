// Package forecast forecasts the demand for care: how many children will be looked after, by
// age band and placement category, at each 31 March one to three years ahead, so that
// commissioners can plan sufficiency (Children Act 1989 s22G: a council must take steps to
// secure, so far as reasonably practicable, sufficient accommodation for the children it looks
// after, within its area).
//
// The history is the children's placement episodes (from the store, or a council's SSDA903
// return decoded by exchange/ssda903): History turns them into stocks (children in care on a
// day, by age band and category) and flows between two 31 Marches (children who entered, left,
// aged out at 18, stayed, moved between categories or aged into the next band). Flows balance
// exactly: a stock is the stock a year before, less those who left, plus those who entered.
//
// Two methods forecast from the same history:
//
//   - the stock-and-flow model (Fit, Model.Forecast): a year-on-year transition matrix over the
//     cells (band x category, and out of care), counted child by child between consecutive
//     31 Marches with each child's real age, plus the mean yearly entries by cell. Its interval
//     is an 80% band from simulation: each simulated year draws one of the fitted years (a
//     bootstrap over years, so a good or bad year's rates are carried whole) and then draws
//     every child's move and the entries as the counts they are (multinomial and Poisson),
//     since a council's cells hold tens of children and chance alone moves them;
//   - the Children's Services Demand Model's method (FitCSDM, CSDM.Project), reimplemented from
//     its published description (Social Finance, data-to-insight): daily transition rates
//     between placement categories within each age bin (transitions over days spent in the
//     cell in a reference period), daily entrants by cell, a fixed daily share of each bin
//     ageing into the next, projected forward day by day. It has no interval.
//
// Backtest holds out the last years of a history, fits both on the rest and reports each one's
// mean absolute percentage error by category on the years held out.
//
// The package is pure: it reads no clock, store or file; the days it works on are passed in.
// It imports catalogue only.
package forecast
