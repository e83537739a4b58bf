package synth

import (
	"math/rand/v2"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// vocabulary holds the word lists the generator draws from, split once per Generate.
type vocabulary struct {
	homeFirst, homeMiddle, homeLast []string
	ruralLast                       []string // only outside towns
	supportedLast                   []string
	schoolWords, saintsSchool       []string
	petNames, activities            []string
}

func newVocabulary() *vocabulary {
	return &vocabulary{
		homeFirst:     strings.Fields("Holly Oak Willow Rowan Beech Ash Elm Birch Cedar Maple Hazel Laurel Ivy Rose Bramble Heather Fern Clover Primrose Bluebell Meadow Brook Hill Orchard Spring Ridge Moor Dale Glen Lark Wren Robin Kestrel Swallow Hawthorn Poplar Linden Larch Pine Sycamore Chestnut Fox Heron Sunny Green Silver Golden Thorn Lime Apple Cherry Plum Juniper Bracken Gorse Heath Alder Yew Aspen Briar Mill Marsh"),
		homeMiddle:    strings.Fields("bank field wood dene croft lea side brook hurst mead ridge gate view haven - - - - -"),
		homeLast:      strings.Fields("House House House Lodge Lodge Cottage View Court"),
		ruralLast:     strings.Fields("Grange Farm Barn"),
		supportedLast: strings.Fields("Court House Lodge Place Mews Rooms"),
		schoolWords:   strings.Fields("Oakwood Moorside Hillcrest Parkside Brookfield Westfield Greenacres Highfield Woodlands Meadowbank Springfield Fairfield Lakeside Ashgrove Riverside Northfield Southgate Beechwood Kingsway Queensway Abbey Priory Manor Grange Heathfield Longford Redhill Hollins Bankside Eastbrook Millbrook Churchill Castle Valley Broadoak Thornhill Elmhurst Sandhill Ryecroft"),
		saintsSchool:  strings.Fields("Mary's Joseph's Peter's John's Patrick's Anne's Thomas's Michael's Bernadette's Teresa's Augustine's Cuthbert's"),
		petNames:      strings.Fields("Biscuit Luna Bella Max Alfie Poppy Milo Teddy Coco Bailey Ruby Oscar Pepper Nala Rolo Buster Daisy Smudge Tilly Ziggy Bonnie Marley"),
		activities: []string{"walks by the river", "baking", "board games", "football", "going to the cinema", "camping",
			"swimming", "cooking together", "Sunday dinners", "gardening", "fishing", "arts and crafts", "music",
			"bike rides", "trips to the seaside", "watching films with popcorn", "going to the park", "dancing in the kitchen",
			"building dens", "visiting the farm park", "Lego", "reading stories at bedtime"},
	}
}

// homeName makes a children's home name: "Hollybank House", "Rowan Lodge", in the country
// "Brookfield Farm".
func (v *vocabulary) homeName(r *rand.Rand, rural bool) string {
	first, mid := pickOne(r, v.homeFirst), pickOne(r, v.homeMiddle)
	if mid == "-" {
		mid = ""
	}
	last := pickOne(r, v.homeLast)
	if rural && chance(r, 0.2) {
		last = pickOne(r, v.ruralLast)
	}
	return first + mid + " " + last
}

// supportedName makes a supported accommodation name: "Kestrel Court", "The Willow Foyer".
func (v *vocabulary) supportedName(r *rand.Rand, p *councilPlan, places int) string {
	if places >= 10 && chance(r, 0.5) {
		return p.short + " Foyer"
	}
	first, mid := pickOne(r, v.homeFirst), pickOne(r, v.homeMiddle)
	if mid == "-" || chance(r, 0.5) {
		mid = ""
	}
	return first + mid + " " + pickOne(r, v.supportedLast)
}

// schoolName makes a school's name for a child of the given age.
func (v *vocabulary) schoolName(r *rand.Rand, p *councilPlan, age int, religion catalogue.Religion) string {
	w := pickOne(r, v.schoolWords)
	switch {
	case age >= 16:
		switch x := r.Float64(); {
		case x < 0.45:
			return w + " College"
		case x < 0.7:
			return w + " Sixth Form College"
		default:
			return w + " School"
		}
	case age >= 11:
		switch x := r.Float64(); {
		case religion == catalogue.ReligionChristian && x < 0.2:
			return "St " + pickOne(r, v.saintsSchool) + " Catholic High School"
		case x < 0.45:
			return w + " Academy"
		case x < 0.75:
			return w + " High School"
		case x < 0.9:
			return w + " School"
		default:
			return w + " Community College"
		}
	default:
		switch x := r.Float64(); {
		case religion == catalogue.ReligionChristian && x < 0.25:
			if chance(r, 0.5) {
				return "St " + pickOne(r, v.saintsSchool) + " Catholic Primary School"
			}
			return "St " + pickOne(r, v.saintsSchool) + " C of E Primary School"
		case x < 0.12 && age <= 6:
			return w + " Infant School"
		case x < 0.2 && age >= 7:
			return w + " Junior School"
		case x < 0.35:
			return w + " Primary Academy"
		default:
			return w + " Primary School"
		}
	}
}

// language names an ISO 639 code in English, as the rest of placematch does.
func (v *vocabulary) language(code string) string {
	if s, ok := catalogue.LanguageName(code); ok {
		return s
	}
	return code
}
