package api

import (
	"fmt"
	"html/template"
	"strconv"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/englandmap"
)

// The workspace's maps (issue 19): SVGs of England's councils drawn by englandmap from the
// boundaries shipped in the repository (no map tiles), each with a table of the same points
// beside it. People's locations are drawn as the store keeps them, no finer than the centre of
// their S2 cell of level 13 (englandmap draws every person's mark so, whatever it is given).

// mapSection is a map and the table beside it (the "map" partial).
type mapSection struct {
	SVG     template.HTML
	Caption string
	Head    []string   // the table's columns
	Rows    [][]string // the table's rows: one per place or area drawn
	Legend  []legendItem
	Source  string
}

type legendItem struct{ Colour, Text string }

// mapSource is the attribution the boundaries' licence asks for, under every map.
const mapSource = "Council boundaries: Martin Chorley's UK-GeoJSON (CC BY 4.0), containing Ordnance Survey data © Crown copyright and database right 2014."

var shapeNames = map[englandmap.Shape]string{englandmap.Circle: "circle", englandmap.Square: "square", englandmap.Triangle: "triangle", englandmap.Diamond: "diamond"}

// The marks' colours; each kind has its own shape too, so colour is never all that tells them apart.
const (
	homeColour, schoolColour, contactColour, optionColour = "#0b0c0c", "#4c2c92", "#f47738", "#1d70b8"
)

// optionsMap is the map of a child's options: the child's home (coarse), their school, the
// people in their contact plan (coarse; a person who must not know where the child lives is
// not drawn, only named as left out: the map is of where the child may live) and each option.
func optionsMap(o casework.Options) mapSection {
	ch := o.Child
	m := englandmap.Map{ID: "options-map", Title: "Map of " + ch.FirstName + "’s options",
		Summary: "A map of the councils around " + ch.FirstName + "’s home, with these places marked."}
	var rows [][]string
	mark := func(k englandmap.Mark) {
		m.Marks = append(m.Marks, k)
		rows = append(rows, []string{k.Label, shapeNames[k.Shape], k.Text})
	}
	mark(englandmap.Mark{Label: "H", Text: ch.FirstName + "’s home, to about a kilometre", Shape: englandmap.Square, Colour: homeColour,
		Lat: ch.Home.Lat, Lng: ch.Home.Lng, Person: true})
	if sc := ch.School; sc != nil {
		mark(englandmap.Mark{Label: "S", Text: "School: " + sc.Name, Shape: englandmap.Triangle, Colour: schoolColour, Lat: sc.Location.Lat, Lng: sc.Location.Lng})
	}
	n := 0
	for _, k := range ch.Contacts {
		who := contactName(k.Name, k.Relationship)
		if k.MustNotKnow {
			rows = append(rows, []string{"none", "not drawn", who + ": must not know where " + ch.FirstName + " lives, so not on the map"})
			continue
		}
		n++
		mark(englandmap.Mark{Label: "C" + strconv.Itoa(n), Text: "Contact: " + who + ", to about a kilometre", Shape: englandmap.Diamond, Colour: contactColour,
			Lat: k.Location.Lat, Lng: k.Location.Lng, Person: true})
	}
	for _, op := range o.Options {
		p := op.Placement
		mark(englandmap.Mark{Label: strconv.Itoa(op.Rank), Text: fmt.Sprintf("Option %d: %s, %s (%s from home)", op.Rank, p.Name, p.AreaName, kmText(op.HomeKm)),
			Shape: englandmap.Circle, Colour: optionColour, Lat: p.Location.Lat, Lng: p.Location.Lng})
	}
	return mapSection{SVG: svgHTML(m), Caption: "Places on the map", Head: []string{"Mark", "Drawn as", "What"}, Rows: rows, Source: mapSource}
}

// contactName is how a page names a person of the contact plan: their name with who they are,
// or who they are alone.
func contactName(name string, rel catalogue.Relationship) string {
	if name == "" {
		return humanise(rel)
	}
	return name + " (" + humanise(rel) + ")"
}

// svgHTML is a map's SVG for a template: englandmap escapes every text it draws.
func svgHTML(m englandmap.Map) template.HTML { return template.HTML(m.SVG()) }
