package englandmap

import "math"

// Unit is the map's unit of length: a quarter of a kilometre. The boundaries are stored, and
// every point is drawn, in whole units of it on the map's plane.
const Unit = 0.25 // km

// The plane is an equirectangular projection true at 53.5°N (the middle of England), origin at
// 6.5°W, 56°N: x grows east, y grows south, as an SVG's do. Across England it is within a few
// per cent of true distance, which is as much as a map of the options needs.
const (
	originLng, originLat = -6.5, 56.0
	kmPerDegree          = 111.2
)

var xScale = math.Cos(53.5*math.Pi/180) * kmPerDegree / Unit

// Project places a latitude and longitude on the map's plane, in units.
func Project(lat, lng float64) (x, y float64) {
	return (lng - originLng) * xScale, (originLat - lat) * kmPerDegree / Unit
}
