package synth

import (
	"math"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// familyContacts draws the contact plan a unit's children share: mother mostly, father
// sometimes, a grandparent, an aunt or uncle, brothers and sisters who are not in care. Most
// live near the family home; some contact is not safe.
func (g *gen) familyContacts(u *unit) []catalogue.Contact {
	r, h := g.r, u.heritage
	out := g.scratch.contacts[:0]
	freq := func(safe bool) catalogue.Frequency {
		switch {
		case !safe: // supervised
			return catalogue.Frequencies[choose(r, 0, 0, 10, 45, 45)]
		case u.waiting || u.purpose != catalogue.PurposeLongTerm:
			return catalogue.Frequencies[choose(r, 0, 40, 30, 20, 10)]
		}
		return catalogue.Frequencies[choose(r, 0, 15, 25, 40, 20)]
	}
	where := func(closeKm float64) catalogue.Location {
		switch x := r.Float64(); {
		case x < 0.55:
			return near(r, u.home, 0, closeKm)
		case x < 0.87:
			return near(r, u.home, closeKm, 10)
		default:
			return near(r, u.home, 10, 60)
		}
	}
	if u.uasc {
		// Family is abroad; a cousin or family friend in England, now and then.
		if chance(r, 0.18) {
			out = append(out, catalogue.Contact{Name: "Cousin " + pickOne(r, h.men), Relationship: catalogue.RelOther,
				Location: near(r, u.home, 5, 150), Frequency: catalogue.Frequencies[choose(r, 0, 10, 20, 40, 30)], Type: contactType(chance(r, 0.85))})
		}
		return keep(&g.slabs.contacts, out)
	}
	defer func() { g.scratch.contacts = out[:0] }()
	if chance(r, 0.85) {
		name := h.mum
		if name == "Mum" && g.p.region == regionIndex(northEast) && chance(r, 0.6) {
			name = "Mam"
		}
		safe := chance(r, 0.78)
		out = append(out, catalogue.Contact{Name: name, Relationship: catalogue.RelMother, Location: where(0.8), Frequency: freq(safe), Type: contactType(safe)})
	}
	if chance(r, 0.45) {
		safe := chance(r, 0.6)
		out = append(out, catalogue.Contact{Name: h.dad, Relationship: catalogue.RelFather, Location: where(3), Frequency: freq(safe), Type: contactType(safe)})
	}
	if chance(r, 0.4) {
		name := h.nan
		if name == "Nan" {
			name = pickOne(r, []string{"Nan", "Nan", "Nana", "Gran", "Grandma", "Grandad"})
		}
		out = append(out, catalogue.Contact{Name: name, Relationship: catalogue.RelGrandparent, Location: where(5),
			Frequency: catalogue.Frequencies[choose(r, 0, 30, 30, 30, 10)], Type: contactType(chance(r, 0.95))})
	}
	if chance(r, 0.15) {
		name := "Auntie " + pickOne(r, h.women)
		if chance(r, 0.4) {
			name = "Uncle " + pickOne(r, h.men)
		}
		out = append(out, catalogue.Contact{Name: name, Relationship: catalogue.RelAuntUncle, Location: where(5),
			Frequency: catalogue.Frequencies[choose(r, 0, 15, 25, 40, 20)], Type: contactType(chance(r, 0.92))})
	}
	if chance(r, 0.2) { // a brother or sister who is not in care, or adopted
		list := h.boys
		if chance(r, 0.5) {
			list = h.girls
		}
		out = append(out, catalogue.Contact{Name: pickOne(r, list), Relationship: catalogue.RelSibling, Location: near(r, u.home, 0, 40),
			Frequency: catalogue.Frequencies[choose(r, 0, 15, 25, 40, 20)], Type: contactType(chance(r, 0.95))})
	}
	// Contact that is not safe is supervised, at a contact centre near the family home (the
	// family's own area: the synthetic England places no contact centres of its own); a person
	// who poses a risk must not know where the child lives, and their home is an exclusion zone
	// for the family.
	for i := range out {
		c := &out[i]
		if c.Type != catalogue.ContactSupervised {
			continue
		}
		centre := u.home
		c.Centre = &centre
		if chance(r, 0.15) {
			c.MustNotKnow = true
			u.riskZones = append(u.riskZones, catalogue.ExclusionZone{Shape: catalogue.ZoneCircle,
				Reason: "Near the home of a person who poses a risk to the child", Centre: c.Location, RadiusKm: round1(uniform(r, 1, 3))})
		}
	}
	return keep(&g.slabs.contacts, out)
}

// contactType is direct contact when safe, supervised otherwise (catalogue.LegacyContact: the
// synthetic England draws safety as it always has).
func contactType(safe bool) catalogue.ContactType {
	t, _ := catalogue.LegacyContact(safe)
	return t
}

// childContacts is the unit's plan plus the child's own friends.
func (g *gen) childContacts(u *unit, c *catalogue.Child, male bool) []catalogue.Contact {
	r := g.r
	age := c.AgeOn(g.today)
	out := append(g.scratch.contacts[:0], u.contacts...)
	friends := 0.0
	switch {
	case u.uasc:
		friends = 0.4
	case age >= 11:
		friends = 0.35
	case age >= 7:
		friends = 0.1
	}
	if chance(r, friends) {
		list := u.heritage.boys
		if !male {
			list = u.heritage.girls
		}
		out = append(out, catalogue.Contact{Name: pickOne(r, list), Relationship: catalogue.RelFriend, Location: near(r, u.home, 0, 3),
			Frequency: catalogue.Frequencies[choose(r, 5, 45, 25, 20, 5)], Type: contactType(chance(r, 0.9))})
	}
	g.scratch.contacts = out[:0]
	return keep(&g.slabs.contacts, out)
}

// zones gives children at risk of exploitation exclusion zones around hotspots near home (a
// few as polygons), and every child of the family the zone around a person who poses a risk.
func (g *gen) zones(u *unit, c *catalogue.Child) []catalogue.ExclusionZone {
	r := g.r
	out := append(g.scratch.zones[:0], u.riskZones...)
	cse, cce, missing := c.Need(catalogue.NeedExploitationCSE), c.Need(catalogue.NeedExploitationCCE), c.Need(catalogue.NeedMissing)
	if cse >= catalogue.LevelMedium || cce >= catalogue.LevelMedium || missing == catalogue.LevelHigh {
		var reasons []string
		switch {
		case cse >= catalogue.LevelMedium:
			reasons = []string{"Child sexual exploitation hotspot", "Address linked to adults who exploited the child", "Area where the child was groomed"}
		case cce >= catalogue.LevelMedium:
			reasons = []string{"County lines drug supply area", "Area controlled by a group that exploited the child", "Address used to deal drugs"}
		default:
			reasons = []string{"Area the child goes missing to", "Where the child was found after going missing"}
		}
		n := 1 + choose(r, 50, 35, 15)
		for range n {
			centre := near(r, u.home, 0.5, 8)
			if chance(r, 0.15) {
				out = append(out, catalogue.ExclusionZone{Shape: catalogue.ZonePolygon, Reason: pickOne(r, reasons), Vertices: g.polygon(centre, uniform(r, 0.8, 2))})
				continue
			}
			out = append(out, catalogue.ExclusionZone{Shape: catalogue.ZoneCircle, Reason: pickOne(r, reasons), Centre: centre, RadiusKm: round1(uniform(r, 0.5, 2.5))})
		}
	}
	g.scratch.zones = out[:0]
	return keep(&g.slabs.zones, out)
}

// polygon draws a simple polygon around centre: five to seven vertices in clockwise order.
func (g *gen) polygon(centre catalogue.Location, radiusKm float64) []catalogue.Location {
	r := g.r
	n := between(r, 5, 7)
	out := make([]catalogue.Location, n)
	for i := range out {
		a := (float64(i) + uniform(r, -0.3, 0.3)) * 2 * math.Pi / float64(n)
		out[i] = offset(centre, radiusKm*uniform(r, 0.6, 1.2), a)
	}
	return out
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// wishes ranks what matters to the child from the fixed vocabulary, from their circumstances,
// and for some children 8 and over adds a sentence in their own words.
func (g *gen) wishes(u *unit, c *catalogue.Child, i int) catalogue.Wishes {
	r := g.r
	age := c.AgeOn(g.today)
	if age < 5 || chance(r, 0.1) {
		return catalogue.Wishes{}
	}
	type cand struct {
		w     catalogue.Wish
		score float64
	}
	var cands [8]cand // one per wish at most
	n := 0
	add := func(w catalogue.Wish, s float64) {
		cands[n] = cand{w, s + r.Float64()*1.5}
		n++
	}
	if u.n > 1 {
		add(catalogue.WishLiveWithSiblings, 3)
	}
	if c.School != nil && c.School.KeepPlanned {
		s := 2.5
		if age == 14 || age == 15 {
			s = 3.5
		}
		add(catalogue.WishStayAtSchool, s)
	}
	mum, pronoun := g.safeFamily(c)
	if mum != "" {
		add(catalogue.WishNearFamily, 2.5)
	}
	switch {
	case c.Pets == catalogue.PetsMust:
		add(catalogue.WishHavePet, 3)
	case c.Pets == catalogue.PetsCan && chance(r, 0.15):
		add(catalogue.WishHavePet, 1.5)
	}
	switch c.Religion {
	case catalogue.ReligionMuslim, catalogue.ReligionSikh, catalogue.ReligionHindu, catalogue.ReligionJewish:
		if chance(r, 0.4) {
			add(catalogue.WishMyReligion, 2)
		}
	case catalogue.ReligionChristian:
		if chance(r, 0.1) {
			add(catalogue.WishMyReligion, 1.5)
		}
	}
	if c.FirstLanguage != "en" {
		add(catalogue.WishMyLanguage, 2.5)
	}
	switch x := r.Float64(); {
	case x < 0.2:
		add(catalogue.WishTown, 1)
	case x < 0.3:
		add(catalogue.WishCountry, 1)
	}
	list := cands[:n]
	for a := 1; a < len(list); a++ { // insertion sort, best first
		for b := a; b > 0 && list[b].score > list[b-1].score; b-- {
			list[b], list[b-1] = list[b-1], list[b]
		}
	}
	k := 3
	switch {
	case age <= 7:
		k = 1
	case age <= 10:
		k = 2
	}
	k = min(k, len(list))
	pri := g.scratch.wishes[:0]
	for _, x := range list[:k] {
		pri = append(pri, x.w)
	}
	g.scratch.wishes = pri[:0]
	out := catalogue.Wishes{Priorities: keep(&g.slabs.wishes, pri)}
	if age >= 8 && k > 0 && chance(r, ownWordsRate) {
		out.InOwnWords = g.ownWords(u, c, i, list[0].w, mum, pronoun)
	}
	return out
}

// safeFamily names the closest safe family member in the child's plan, as the child says it
// ("my mum", "my nan"), with the pronoun for them ("her"), or "" when there is none.
func (g *gen) safeFamily(c *catalogue.Child) (who, pronoun string) {
	for _, ct := range c.Contacts {
		if ct.Type != catalogue.ContactDirect {
			continue
		}
		switch ct.Relationship {
		case catalogue.RelMother:
			return "my " + familyWord(ct.Name), "her"
		case catalogue.RelGrandparent, catalogue.RelFather, catalogue.RelAuntUncle:
			if who == "" {
				who, pronoun = "my "+familyWord(ct.Name), "her"
				switch {
				case ct.Relationship == catalogue.RelFather, ct.Name == "Grandad", strings.HasPrefix(ct.Name, "Uncle "):
					pronoun = "him"
				}
			}
		}
	}
	return who, pronoun
}

// familyWord lower-cases English family words ("Mum" -> "mum") and keeps names as they are.
func familyWord(name string) string {
	switch name {
	case "Mum", "Mam", "Dad", "Nan", "Nana", "Gran", "Grandma", "Grandad":
		return strings.ToLower(name)
	}
	if strings.HasPrefix(name, "Auntie ") || strings.HasPrefix(name, "Uncle ") {
		return strings.ToLower(name[:1]) + name[1:]
	}
	return name
}

// ownWords is a short first-person sentence about what matters most.
func (g *gen) ownWords(u *unit, c *catalogue.Child, i int, top catalogue.Wish, family, pronoun string) string {
	r := g.r
	switch top {
	case catalogue.WishLiveWithSiblings:
		sib := g.siblingWords(u, i)
		return pickOne(r, []string{
			"I want to live with my " + sib + ". We have always been together.",
			"Please don't split me up from my " + sib + ".",
			"Me and my " + sib + " look after each other. I want us to stay together.",
		})
	case catalogue.WishStayAtSchool:
		if a := c.AgeOn(g.today); a == 14 || a == 15 {
			return "I've got my GCSEs coming up so I really need to stay at my school."
		}
		return pickOne(r, []string{
			"I want to stay at my school because all my friends are there.",
			"Please don't make me change school again. I like my teachers.",
			"I want to keep going to the same school and get the bus like normal.",
		})
	case catalogue.WishNearFamily:
		switch r.IntN(3) {
		case 0:
			return "I want to live near " + family + " so I can still see " + pronoun + "."
		case 1:
			return "I don't want to be far away from " + family + "."
		}
		return "I miss " + family + ". Please can I live close enough to visit " + pronoun + "."
	case catalogue.WishHavePet:
		return pickOne(r, []string{
			"I'd really like to live somewhere with a dog.",
			"I love animals, especially cats. It would help me settle.",
			"Can I live with people who have pets? Animals make me feel calm.",
		})
	case catalogue.WishMyReligion:
		switch c.Religion {
		case catalogue.ReligionMuslim:
			return "I want to live with a family who can take me to the mosque and cook halal food."
		case catalogue.ReligionSikh:
			return "I want to keep going to the gurdwara."
		case catalogue.ReligionHindu:
			return "I want to keep going to the temple and celebrate Diwali."
		case catalogue.ReligionJewish:
			return "I want to keep Shabbat and eat kosher food."
		}
		return "My faith is important to me. I want to keep going to church."
	case catalogue.WishMyLanguage:
		lang := g.v.language(c.FirstLanguage)
		if u.uasc {
			return pickOne(r, []string{
				"I want someone who speaks " + lang + " because my English is not good yet.",
				"I would like to live where I can speak " + lang + " and go to college to learn English.",
			})
		}
		return "I'd like to speak " + lang + " at home sometimes, like with my family."
	case catalogue.WishTown:
		return "I don't want to live in the middle of nowhere. I like being near shops and buses."
	case catalogue.WishCountry:
		return "I'd like somewhere quiet with fields and animals."
	}
	return "I just want somewhere I can stay for a long time."
}

// siblingWords says who the child's brothers and sisters are, from the child's side: "little
// brother", "big sister", "sisters", "brothers and sisters".
func (g *gen) siblingWords(u *unit, i int) string {
	kids := g.out.batch.Children[u.first : u.first+u.n]
	if u.n == 2 {
		other := kids[1-i]
		word := "sister"
		if other.Sex == catalogue.Male {
			word = "brother"
		}
		switch {
		case other.DateOfBirth.Before(kids[i].DateOfBirth):
			return "big " + word
		case other.DateOfBirth.After(kids[i].DateOfBirth):
			return "little " + word
		}
		return "twin " + word
	}
	boys, girls := 0, 0
	for k, c := range kids {
		switch {
		case k == i:
		case c.Sex == catalogue.Male:
			boys++
		default:
			girls++
		}
	}
	switch {
	case girls == 0:
		return "brothers"
	case boys == 0:
		return "sisters"
	}
	return "brothers and sisters"
}
