//go:build !race

package exchange

// raceEnabled: the race detector is on, and heap measurements mean nothing.
const raceEnabled = false
