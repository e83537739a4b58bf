package synth

import (
	"strconv"

	"github.com/placematch/placematch/catalogue"
)

// voice is how carers speak of themselves: "we" for a couple, "I" for a single carer.
type voice struct {
	We, we, Our, our, WeVe, WeRe, weRe string
}

func voiceOf(carers int) voice {
	if carers == 1 {
		return voice{We: "I", we: "I", Our: "My", our: "my", WeVe: "I've", WeRe: "I'm", weRe: "I'm"}
	}
	return voice{We: "We", we: "we", Our: "Our", our: "our", WeVe: "We've", WeRe: "We're", weRe: "we're"}
}

// text builds a profile sentence by sentence in the generator's buffer.
type text struct {
	g *gen
}

func (t text) reset()         { t.g.buf = t.g.buf[:0] }
func (t text) string() string { return string(t.g.buf) }
func (t text) add(parts ...string) {
	if len(t.g.buf) > 0 {
		t.g.buf = append(t.g.buf, ' ')
	}
	for _, p := range parts {
		t.g.buf = append(t.g.buf, p...)
	}
}

func years(n int) string {
	if n == 1 {
		return "a year"
	}
	return number(n) + " years"
}

// number writes small numbers in words, as people write them.
func number(n int) string {
	words := [...]string{"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
	if n >= 0 && n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n)
}

// names joins names as people say them: "Amy", "Amy and Ben", "Amy, Ben and Cal".
func (t text) names(list []string) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	s := ""
	for i, n := range list {
		switch {
		case i == 0:
			s = n
		case i == len(list)-1:
			s += " and " + n
		default:
			s += ", " + n
		}
	}
	return s
}

// urban reports whether the council is a city or town rather than a county.
func urban(p *councilPlan) bool {
	switch p.c.Type {
	case "London borough", "Metropolitan district", "City corporation":
		return true
	}
	return p.c.AreaKm2 < 400
}

// fosterProfile is the carers' own words about their home, written for children: who they
// are, their home and family, pets, what they like doing, faith and language, a promise. Plain
// words, and never an address.
func (g *gen) fosterProfile(pl *catalogue.Placement, h *heritage) string {
	r, t := g.r, text{g}
	v := voiceOf(len(pl.Household.Carers))
	t.reset()
	var nameBuf [4]string
	carerNames := nameBuf[:0]
	for _, c := range pl.Household.Carers {
		carerNames = append(carerNames, c.FirstName)
	}
	if len(carerNames) == 1 {
		t.add(pickOne(r, []string{"Hi, I'm ", "Hello! I'm "}), carerNames[0], ".")
	} else {
		t.add(pickOne(r, []string{"Hi, we're ", "Hello! We're "}), t.names(carerNames), ".")
	}
	if pl.Experience == 0 {
		t.add(v.WeRe, " new to fostering and really looking forward to meeting you.")
	} else {
		t.add(v.WeVe, " been fostering for ", years(pl.Experience), ".")
	}
	p := g.p
	switch k := r.IntN(3); {
	case urban(p) && k == 0:
		t.add(v.We, " live in a busy part of ", pl.AreaName, ", close to the buses and a big park.")
	case urban(p) && k == 1:
		t.add(v.Our, " house is on a quiet street in ", pl.AreaName, ", a short walk from the shops.")
	case urban(p):
		t.add(v.We, " live in ", pl.AreaName, ", near a leisure centre and a good chippy.")
	case k == 0:
		t.add(v.We, " live in a village in ", pl.AreaName, " with fields all around.")
	case k == 1:
		t.add(v.Our, " home is on the edge of a small town in ", pl.AreaName, ".")
	default:
		t.add(v.We, " live in ", pl.AreaName, ", with a garden big enough for football.")
	}
	var kidBuf [4]string
	kids := kidBuf[:0]
	grownUp := 0
	for _, m := range pl.Household.Members {
		if m.Role == catalogue.MemberCarersChild {
			kids = append(kids, m.FirstName)
			if m.Age >= 18 {
				grownUp++
			}
		}
	}
	switch {
	case len(kids) == 1 && grownUp == 1:
		t.add(v.Our, " grown-up child ", kids[0], " still lives at home and is great fun.")
	case len(kids) == 1:
		t.add(v.Our, " child ", kids[0], " can't wait to meet you.")
	case len(kids) > 1:
		t.add(v.We, " have ", number(len(kids)), " children of ", v.our, " own: ", t.names(kids), ".")
	}
	for _, a := range pl.Household.Pets {
		switch a {
		case catalogue.AnimalDog:
			t.add(v.We, " have a dog called ", pickOne(r, g.v.petNames), " who loves walks.")
		case catalogue.AnimalCat:
			t.add(v.Our, " cat, ", pickOne(r, g.v.petNames), ", will probably want to sit on you.")
		default:
			t.add(v.We, " also have ", pickOne(r, []string{"two rabbits", "a tortoise", "some fish", "guinea pigs", "chickens"}), ".")
		}
	}
	acts := g.v.activities
	a1, a2 := r.IntN(len(acts)), r.IntN(len(acts))
	if a1 == a2 {
		a2 = (a2 + 1) % len(acts)
	}
	t.add(v.We, " love ", acts[a1], " and ", acts[a2], ".")
	for _, l := range pl.Languages {
		if l != "en" {
			t.add(v.We, " speak ", g.v.language(l), " and English at home.")
			break
		}
	}
	switch pl.Religion {
	case catalogue.ReligionMuslim:
		t.add(v.We, " go to the mosque on Fridays and cook halal food.")
	case catalogue.ReligionChristian:
		if chance(r, 0.3) {
			t.add(v.We, " go to church on Sundays, but you don't have to come.")
		}
	case catalogue.ReligionSikh:
		t.add(v.We, " go to the gurdwara at weekends.")
	case catalogue.ReligionHindu:
		t.add(v.We, " go to the temple and love celebrating Diwali.")
	case catalogue.ReligionJewish:
		t.add(v.We, " have a family meal every Friday night for Shabbat.")
	}
	switch {
	case hasSkill(pl.Skills, catalogue.SkillParentAndChild):
		t.add(v.We, " help young mums and dads learn to look after their babies.")
	case hasSkill(pl.Skills, catalogue.SkillUASC) && chance(r, 0.6):
		t.add(v.WeVe, " looked after young people who came to this country on their own, and ", v.we, " know how hard that is.")
	case hasSkill(pl.Skills, catalogue.SkillTherapeuticParenting):
		t.add(v.WeVe, " had lots of training in helping children who have been through hard times.")
	case hasSkill(pl.Skills, catalogue.SkillDisability) && pl.Household.WheelchairAccessible:
		t.add(v.Our, " house has no steps and plenty of room for a wheelchair.")
	}
	switch r.IntN(4) {
	case 0:
		t.add(v.We, "'ll help you stay in touch with the people who matter to you.")
	case 1:
		t.add("You can bring anything that's important to you, and your room is yours to make your own.")
	case 2:
		t.add(v.We, "'ll always listen, even when things are hard.")
	default:
		t.add(v.We, " know moving is scary, so ", v.we, "'ll go at your pace.")
	}
	return t.string()
}

// kinshipProfile is a connected person's short welcome.
func (g *gen) kinshipProfile(pl *catalogue.Placement, relation string) string {
	r, t := g.r, text{g}
	v := voiceOf(len(pl.Household.Carers))
	t.reset()
	names := make([]string, len(pl.Household.Carers))
	for i, c := range pl.Household.Carers {
		names[i] = c.FirstName
	}
	switch relation {
	case "family friends":
		t.add(v.WeRe, " ", t.names(names), ". ", v.WeVe, " known your family for a long time.")
	default:
		t.add(v.WeRe, " ", t.names(names), ", and ", v.weRe, " your family.")
	}
	t.add(v.We, " want you to grow up with people who love you and know where you come from.")
	if len(pl.Household.Pets) > 0 {
		t.add(v.We, " have a ", pickOne(r, []string{"dog", "cat", "very lazy cat", "noisy dog"}), " you already know.")
	}
	t.add(pickOne(r, []string{
		"You'll have your own room and " + v.we + "'ll keep you at your school.",
		v.We + "'ll make sure you still see your brothers, sisters and friends.",
		"Nothing is too much trouble. " + v.We + " just want you home.",
	}))
	return t.string()
}

// homeProfile is a children's home describing itself to the young people who might live there.
func (g *gen) homeProfile(pl *catalogue.Placement, kind string) string {
	r, t := g.r, text{g}
	t.reset()
	a := pl.Approval
	ages := strconv.Itoa(a.MinAge) + " to " + strconv.Itoa(a.MaxAge)
	if a.MaxChildren == 1 {
		t.add(pl.Name, " is a home just for one young person aged ", ages, ", with staff who are there only for you.")
	} else {
		t.add(pl.Name, " is a home for up to ", number(a.MaxChildren), " young people aged ", ages, ".")
		t.add("Everyone has their own bedroom, and you can make yours feel like yours.")
	}
	switch kind {
	case "disability":
		t.add("There's a sensory room, a garden with a swing, and everything is on one level.")
	case "therapeutic":
		t.add("A therapist visits every week, and the whole team is trained to help when things feel too much.")
	case "emergency":
		t.add("We take young people at short notice and help them settle while the right long-term home is found.")
	case "remand":
		t.add("We support young people through court and help them get back to education.")
	default:
		t.add(pickOne(r, []string{"There's a big garden with a trampoline.", "We have a games room with a pool table.", "We're close to a skate park and a swimming pool."}))
	}
	var keyWorkers []string
	for i, c := range pl.Household.Carers {
		if i < 2 {
			keyWorkers = append(keyWorkers, c.FirstName)
		}
	}
	t.add("Staff are here day and night, and ", t.names(keyWorkers), " would be your key workers.")
	if len(pl.Household.Pets) > 0 {
		t.add("Our dog, ", pickOne(r, g.v.petNames), ", visits most days.")
	}
	t.add(pickOne(r, []string{
		"We help you keep going to school and seeing your family.",
		"We'll help you keep up your hobbies and see your friends.",
		"We cook together, and you get a say in what's for tea.",
	}))
	return t.string()
}

// supportedProfile describes supported accommodation to a young person of 16 or 17.
func (g *gen) supportedProfile(pl *catalogue.Placement) string {
	r, t := g.r, text{g}
	t.reset()
	t.add(pl.Name, " is for young people aged 16 and over who are getting ready to live on their own.")
	if pl.Approval.MaxChildren == 1 {
		t.add("You'd have your own flat, and a key worker who helps with cooking, money, college and appointments.")
	} else if others := pl.Approval.MaxChildren - 1; others == 1 {
		t.add("You'd have your own room, share a kitchen with one other young person, and have a key worker who helps with cooking, money and college.")
	} else {
		t.add("You'd have your own room, share a kitchen with ", number(others), " other young people, and have a key worker who helps with cooking, money and college.")
	}
	t.add(pickOne(r, []string{"Staff are on site day and night.", "Staff visit every day and you can always call someone."}))
	if hasSkill(pl.Skills, catalogue.SkillUASC) {
		t.add("Many young people here came to this country on their own. We help with English classes and finding a solicitor.")
	}
	return t.string()
}
