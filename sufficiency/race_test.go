//go:build race

package sufficiency

const raceEnabled = true
