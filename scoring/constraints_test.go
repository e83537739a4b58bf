package scoring

import (
	"slices"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// brother returns Amy's brother Ben, 9, planned to live with her.
func brother() catalogue.Child {
	b := amy()
	b.ID, b.FirstName, b.Sex = 102, "Ben", catalogue.Male
	b.DateOfBirth = time.Date(2017, 2, 1, 0, 0, 0, 0, time.UTC)
	b.Needs, b.Contacts, b.Wishes = nil, nil, catalogue.Wishes{}
	return b
}

func TestCheck(t *testing.T) {
	t.Parallel()
	type setup func(r *Request, pl *catalogue.Placement)
	withGroup := func(r *Request) {
		r.Group = []catalogue.Child{r.Child, brother()}
		r.GroupPlan = catalogue.PlanTogether
	}
	child := func(f func(c *catalogue.Child)) setup {
		return func(r *Request, _ *catalogue.Placement) { f(&r.Child) }
	}
	home := func(f func(pl *catalogue.Placement)) setup {
		return func(_ *Request, pl *catalogue.Placement) { f(pl) }
	}
	both := func(fs ...setup) setup {
		return func(r *Request, pl *catalogue.Placement) {
			for _, f := range fs {
				f(r, pl)
			}
		}
	}
	// supported: Amy at 16, assessed for supported accommodation, and a registered setting for
	// 16 and 17 year olds whose provider Ofsted judged out (then f).
	supported := func(out catalogue.SupportedOutcome, f setup) setup {
		return func(r *Request, pl *catalogue.Placement) {
			*pl = childrensHome()
			pl.Kind, pl.SupportedOutcome, pl.Ofsted = catalogue.SupportedAccommodation, out, ""
			pl.Approval.MinAge, pl.Approval.MaxAge = 16, 17
			r.Child.DateOfBirth, r.Child.CareType = time.Date(2010, 5, 10, 0, 0, 0, 0, time.UTC), catalogue.CareSupported
			if f != nil {
				f(r, pl)
			}
		}
	}
	member := func(age int, role catalogue.MemberRole) catalogue.Member {
		return catalogue.Member{Age: age, Sex: catalogue.Female, Role: role}
	}
	// occupied fills the home's second place with a child of the given age (on the day of the
	// move), what they can live with and their risks.
	occupied := func(age int, comp catalogue.Companions, risks ...catalogue.RiskToOthers) setup {
		return home(func(pl *catalogue.Placement) {
			pl.Vacancies[1].Status, pl.Vacancies[1].Child = catalogue.VacancyFilled, 202
			pl.Vacancies[1].Occupant = &catalogue.Occupant{DateOfBirth: today.AddDate(-age, 0, -1), Companions: comp, Risks: risks}
		})
	}
	adultSon := home(func(pl *catalogue.Placement) { pl.Household.Members[0].Age = 19 })
	// registeredHome makes the home a registered children's home, keeping Amy's terms.
	registeredHome := home(func(pl *catalogue.Placement) {
		pl.Kind, pl.URN, pl.Registration = catalogue.ChildrensHome, "SC100501", catalogue.Registered
		pl.Approval.From, pl.Approval.Until, pl.Approval.MaxAge = time.Time{}, time.Time{}, 17
		pl.Household.Members = nil
	})
	toHome := child(func(c *catalogue.Child) { c.CareType = catalogue.CareChildrensHome })
	supportedHome := both(registeredHome, home(func(pl *catalogue.Placement) { pl.Kind = catalogue.SupportedAccommodation }))
	// fourth: three foster children live with the carers, approved (before the law's
	// validation) for five.
	fourth := home(func(pl *catalogue.Placement) {
		pl.Approval.MaxChildren = 5
		pl.Household.Members = append(pl.Household.Members, member(9, catalogue.MemberPlacedChild),
			member(10, catalogue.MemberPlacedChild), member(11, catalogue.MemberPlacedChild))
	})
	// kin: Amy's kinship carers, on a temporary approval given ten weeks ago.
	kin := both(child(func(c *catalogue.Child) { c.CareType = catalogue.CareKinship }), home(func(pl *catalogue.Placement) {
		pl.Kind, pl.ConnectedTo = catalogue.Kinship, []catalogue.ChildID{101}
		pl.Approval.From, pl.Approval.Until = time.Time{}, time.Time{}
		pl.TemporaryApproval = &catalogue.TemporaryApproval{From: today.AddDate(0, 0, -70)}
	}))
	tests := []struct {
		name   string
		setup  setup
		want   Constraint
		reason string
	}{
		{name: "base passes", setup: func(*Request, *catalogue.Placement) {}},

		{name: "inactive", setup: home(func(pl *catalogue.Placement) { pl.Active = false }),
			want: ConstraintInactive, reason: "The home is closed or suspended, so it cannot take children."},

		{name: "vacancy from the needed-by day passes", setup: home(func(pl *catalogue.Placement) {
			pl.Vacancies = pl.Vacancies[:1]
			pl.Vacancies[0].AvailableFrom = today.AddDate(0, 0, 14)
		})},
		{name: "vacancy a day late", setup: home(func(pl *catalogue.Placement) {
			pl.Vacancies = pl.Vacancies[:1]
			pl.Vacancies[0].AvailableFrom = today.AddDate(0, 0, 15)
		}), want: ConstraintVacancy, reason: "No place is free by 7 December 2026."},
		{name: "held places are not vacancies", setup: home(func(pl *catalogue.Placement) {
			for i := range pl.Vacancies {
				pl.Vacancies[i].Status, pl.Vacancies[i].Child = catalogue.VacancyHeld, 9
			}
		}), want: ConstraintVacancy, reason: "No place is free by 7 December 2026."},
		{name: "too few places for the group", setup: func(r *Request, pl *catalogue.Placement) {
			withGroup(r)
			third := brother()
			third.ID, third.FirstName = 103, "Cal"
			r.Group = append(r.Group, third)
		}, want: ConstraintVacancy, reason: "Only two places are free by 7 December 2026; Amy and her brothers need three."},
		{name: "needed-by in the past: places must be free today", setup: func(r *Request, pl *catalogue.Placement) {
			r.Child.NeededBy = today.AddDate(0, 0, -10)
			pl.Vacancies = pl.Vacancies[:1]
			pl.Vacancies[0].AvailableFrom = today.AddDate(0, 0, 1)
		}, want: ConstraintVacancy, reason: "No place is free by 23 November 2026."},

		{name: "care type", setup: func(r *Request, pl *catalogue.Placement) { *pl = childrensHome() },
			want: ConstraintCareType, reason: "This is a children's home; Amy is assessed as needing family foster care."},
		{name: "care type either takes a children's home", setup: func(r *Request, pl *catalogue.Placement) {
			*pl = childrensHome()
			r.Child.CareType = catalogue.CareEither
		}},
		{name: "care type of a brother", setup: func(r *Request, pl *catalogue.Placement) {
			withGroup(r)
			r.Group[1].CareType = catalogue.CareChildrensHome
		}, want: ConstraintCareType, reason: "This is an agency foster home; Ben is assessed as needing a children's home."},

		{name: "kinship for another child", setup: func(r *Request, pl *catalogue.Placement) {
			r.Child.CareType = catalogue.CareKinship
			pl.Kind, pl.ConnectedTo = catalogue.Kinship, []catalogue.ChildID{999}
		}, want: ConstraintKinshipConnection, reason: "The kinship carers here are assessed for other children, not for Amy."},
		{name: "kinship for this child", setup: func(r *Request, pl *catalogue.Placement) {
			r.Child.CareType = catalogue.CareKinship
			pl.Kind, pl.ConnectedTo = catalogue.Kinship, []catalogue.ChildID{999, 101}
		}},
		{name: "kinship for the child but not her brother", setup: func(r *Request, pl *catalogue.Placement) {
			withGroup(r)
			r.Child.CareType, r.Group[0].CareType, r.Group[1].CareType = catalogue.CareKinship, catalogue.CareKinship, catalogue.CareKinship
			pl.Kind, pl.ConnectedTo = catalogue.Kinship, []catalogue.ChildID{101}
		}, want: ConstraintKinshipConnection, reason: "The kinship carers here are assessed for other children, not for Ben."},

		{name: "ofsted inadequate", setup: home(func(pl *catalogue.Placement) { pl.Ofsted = catalogue.OfstedInadequate }),
			want: ConstraintOfstedInadequate, reason: "Rated inadequate by Ofsted, so it is never offered."},
		{name: "ofsted inadequate, overridden for this child", setup: func(r *Request, pl *catalogue.Placement) {
			pl.Ofsted, r.InadequateAllowed = catalogue.OfstedInadequate, []catalogue.PlacementID{pl.ID}
		}},
		{name: "ofsted inadequate, overridden for another home", setup: func(r *Request, pl *catalogue.Placement) {
			pl.Ofsted, r.InadequateAllowed = catalogue.OfstedInadequate, []catalogue.PlacementID{pl.ID + 1}
		}, want: ConstraintOfstedInadequate, reason: "Rated inadequate by Ofsted, so it is never offered."},
		// Supported accommodation on Ofsted's three-outcome model: the lowest outcome is never
		// offered unless the director overrode it for this child; the others pass.
		{name: "supported, serious weaknesses", setup: supported(catalogue.OutcomeSerious, nil), want: ConstraintOfstedInadequate,
			reason: "Ofsted found serious or widespread weaknesses at its provider, its lowest outcome for supported accommodation, so it is never offered."},
		{name: "supported, serious weaknesses, overridden for this child", setup: supported(catalogue.OutcomeSerious, func(r *Request, pl *catalogue.Placement) {
			r.InadequateAllowed = []catalogue.PlacementID{pl.ID}
		})},
		{name: "supported, inconsistent passes", setup: supported(catalogue.OutcomeInconsistent, nil)},
		{name: "supported, not yet inspected passes", setup: supported(catalogue.OutcomeNone, nil)},
		{name: "ofsted requires improvement passes", setup: home(func(pl *catalogue.Placement) { pl.Ofsted = catalogue.OfstedRequiresImprovement })},

		{name: "age above range", setup: home(func(pl *catalogue.Placement) { pl.Approval.MaxAge = 10 }),
			want: ConstraintAge, reason: "Approved for ages 5 to 10; Amy is 13."},
		{name: "age at the top of the range", setup: home(func(pl *catalogue.Placement) { pl.Approval.MaxAge = 13 })},
		{name: "age of a brother below range", setup: func(r *Request, pl *catalogue.Placement) {
			withGroup(r)
			pl.Approval.MinAge = 11
		}, want: ConstraintAge, reason: "Approved for ages 11 to 15; Ben is 9."},
		{name: "age on the day of the move", setup: func(r *Request, pl *catalogue.Placement) {
			r.Child.DateOfBirth = time.Date(2015, 12, 1, 0, 0, 0, 0, time.UTC) // 11 on 7 December 2026
			pl.Approval.MaxAge = 10
		}, want: ConstraintAge, reason: "Approved for ages 5 to 10; Amy is 11."},

		{name: "sex", setup: home(func(pl *catalogue.Placement) { pl.Approval.Sexes = []catalogue.Sex{catalogue.Male} }),
			want: ConstraintSex, reason: "Approved for boys only; Amy is a girl."},
		{name: "sex approved", setup: home(func(pl *catalogue.Placement) { pl.Approval.Sexes = []catalogue.Sex{catalogue.Female} })},

		{name: "purpose", setup: home(func(pl *catalogue.Placement) { pl.Approval.Purposes = []catalogue.Purpose{catalogue.PurposeShortTerm} }),
			want: ConstraintPurpose, reason: "Not approved for a long-term home, which Amy needs."},

		{name: "sibling group not approved", setup: func(r *Request, pl *catalogue.Placement) {
			withGroup(r)
			pl.Approval.SiblingGroups = false
		}, want: ConstraintSiblingGroup, reason: "Not approved to take brothers and sisters together; Amy and her brother need to live together."},
		{name: "sibling group approved", setup: func(r *Request, pl *catalogue.Placement) { withGroup(r) }},
		{name: "single child in a home not approved for groups", setup: home(func(pl *catalogue.Placement) { pl.Approval.SiblingGroups = false })},

		{name: "places", setup: home(func(pl *catalogue.Placement) {
			pl.Approval.MaxChildren = 2
			pl.Household.Members = append(pl.Household.Members, member(8, catalogue.MemberPlacedChild), member(9, catalogue.MemberPlacedChild))
		}), want: ConstraintPlaces, reason: "Approved for two children and two children are already here; Amy needs one place."},
		{name: "places: carers' own children do not count", setup: home(func(pl *catalogue.Placement) {
			pl.Approval.MaxChildren = 1
		})},

		{name: "wheelchair", setup: child(func(c *catalogue.Child) { c.Wheelchair = true }),
			want: ConstraintWheelchair, reason: "Amy uses a wheelchair and the home has no step-free access."},
		{name: "wheelchair access", setup: both(child(func(c *catalogue.Child) { c.Wheelchair = true }),
			home(func(pl *catalogue.Placement) { pl.Household.WheelchairAccessible = true }))},

		{name: "smoking and respiratory", setup: both(child(func(c *catalogue.Child) { c.Respiratory = true }),
			home(func(pl *catalogue.Placement) { pl.Household.Smoking = true })),
			want: ConstraintSmoking, reason: "Someone smokes in this home and Amy has a respiratory condition."},
		{name: "smoking and under 5", setup: both(child(func(c *catalogue.Child) { c.DateOfBirth = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC) }),
			home(func(pl *catalogue.Placement) { pl.Household.Smoking = true; pl.Approval.MinAge = 0 })),
			want: ConstraintSmoking, reason: "Someone smokes in this home and Amy is under 5."},
		{name: "smoking and 13 without a respiratory condition", setup: home(func(pl *catalogue.Placement) { pl.Household.Smoking = true })},

		{name: "must have a pet", setup: both(child(func(c *catalogue.Child) { c.Pets = catalogue.PetsMust }),
			home(func(pl *catalogue.Placement) { pl.Household.Pets = nil })),
			want: ConstraintPets, reason: "Amy needs a home with a pet and there is none here."},
		{name: "cannot live with pets", setup: child(func(c *catalogue.Child) { c.Pets = catalogue.PetsCannot }),
			want: ConstraintPets, reason: "Amy cannot live with animals and there is a dog here."},
		{name: "must have a pet and has one", setup: child(func(c *catalogue.Child) { c.Pets = catalogue.PetsMust })},

		{name: "allergic to dogs", setup: child(func(c *catalogue.Child) { c.Allergies = []catalogue.Animal{catalogue.AnimalDog} }),
			want: ConstraintAllergies, reason: "Amy is allergic to dogs and there is a dog here."},
		{name: "allergic to cats, lives with a dog", setup: child(func(c *catalogue.Child) { c.Allergies = []catalogue.Animal{catalogue.AnimalCat} })},

		{name: "solo with a carers' child", setup: child(func(c *catalogue.Child) { c.Companions = catalogue.CompanionsSolo }),
			want: ConstraintCompanions, reason: "Amy needs to be the only child in the home; one other child lives here."},
		{name: "solo with an adult son", setup: both(child(func(c *catalogue.Child) { c.Companions = catalogue.CompanionsSolo }),
			home(func(pl *catalogue.Placement) { pl.Household.Members[0].Age = 19 }))},
		{name: "only older with a 15-year-old", setup: child(func(c *catalogue.Child) { c.Companions = catalogue.CompanionsOnlyOlder })},
		{name: "only older with a 13-year-old", setup: both(child(func(c *catalogue.Child) { c.Companions = catalogue.CompanionsOnlyOlder }),
			home(func(pl *catalogue.Placement) { pl.Household.Members[0].Age = 13 })),
			want: ConstraintCompanions, reason: "Amy should live only with older children; a 13-year-old lives here."},
		{name: "only younger with a 15-year-old", setup: child(func(c *catalogue.Child) { c.Companions = catalogue.CompanionsOnlyYounger }),
			want: ConstraintCompanions, reason: "Amy should live only with younger children; a 15-year-old lives here."},

		// Children placed here through the catalogue's places (held or filled) count as the
		// household's children do, and their own rules hold too.
		{name: "a child placed here must be the only child", setup: occupied(10, catalogue.CompanionsSolo),
			want: ConstraintCompanions, reason: "The plan for a child already living here rules out living with Amy, who is 13."},
		{name: "a child placed here lives only with older children", setup: occupied(14, catalogue.CompanionsOnlyOlder),
			want: ConstraintCompanions, reason: "The plan for a child already living here rules out living with Amy, who is 13."},
		{name: "a child placed here lives only with older children, Amy is older", setup: occupied(12, catalogue.CompanionsOnlyOlder)},
		{name: "a child placed here lives only with younger children", setup: occupied(13, catalogue.CompanionsOnlyYounger),
			want: ConstraintCompanions, reason: "The plan for a child already living here rules out living with Amy, who is 13."},
		{name: "solo Amy with a child placed here", setup: both(child(func(c *catalogue.Child) { c.Companions = catalogue.CompanionsSolo }), adultSon, occupied(9, "")),
			want: ConstraintCompanions, reason: "Amy needs to be the only child in the home; one other child lives here."},
		{name: "solo Amy, the place held for her", setup: both(child(func(c *catalogue.Child) { c.Companions = catalogue.CompanionsSolo }), adultSon,
			occupied(13, ""), home(func(pl *catalogue.Placement) {
				pl.Vacancies[1].Child = 101
				pl.Vacancies[1].Status = catalogue.VacancyHeld
			}))},
		{name: "solo Amy with a young adult staying on", setup: both(child(func(c *catalogue.Child) { c.Companions = catalogue.CompanionsSolo }), adultSon,
			occupied(19, catalogue.CompanionsSolo))},
		{name: "Amy's risk to younger children, a 9-year-old placed here", setup: both(
			child(func(c *catalogue.Child) { c.RisksToOthers = []catalogue.RiskToOthers{catalogue.RiskYounger} }), occupied(9, "")),
			want: ConstraintHouseholdSafety, reason: "Amy's risk assessment rules out living with younger children; a 9-year-old lives here."},
		{name: "a child placed here is a risk to younger children", setup: occupied(15, "", catalogue.RiskSexual),
			want: ConstraintHouseholdSafety, reason: "The plan for a child already living here rules out living with Amy, who is 13."},
		{name: "a younger child placed here is a risk to younger children", setup: occupied(12, "", catalogue.RiskYounger)},
		{name: "a child placed here sets fires, Amy is 4", setup: both(child(func(c *catalogue.Child) { c.DateOfBirth = today.AddDate(-4, 0, -1) }),
			home(func(pl *catalogue.Placement) { pl.Approval.MinAge = 0 }), occupied(12, "", catalogue.RiskFire)),
			want: ConstraintHouseholdSafety, reason: "The plan for a child already living here rules out living with Amy, who is 4."},
		{name: "a child placed here sets fires, Amy is 13", setup: occupied(12, "", catalogue.RiskFire)},

		{name: "harm to younger children with a 6-year-old", setup: both(
			child(func(c *catalogue.Child) { c.RisksToOthers = []catalogue.RiskToOthers{catalogue.RiskYounger} }),
			home(func(pl *catalogue.Placement) {
				pl.Household.Members = append(pl.Household.Members, member(6, catalogue.MemberPlacedChild))
			})),
			want: ConstraintHouseholdSafety, reason: "Amy's risk assessment rules out living with younger children; a 6-year-old lives here."},
		{name: "sexual risk with a 6-year-old carers' child", setup: both(
			child(func(c *catalogue.Child) { c.RisksToOthers = []catalogue.RiskToOthers{catalogue.RiskSexual} }),
			home(func(pl *catalogue.Placement) { pl.Household.Members[0].Age = 6 })),
			want: ConstraintHouseholdSafety, reason: "Amy's risk assessment rules out living with younger children; a 6-year-old lives here."},
		{name: "harm to younger children, only older here", setup: child(func(c *catalogue.Child) {
			c.RisksToOthers = []catalogue.RiskToOthers{catalogue.RiskYounger}
		})},
		{name: "harm to animals with a dog", setup: child(func(c *catalogue.Child) { c.RisksToOthers = []catalogue.RiskToOthers{catalogue.RiskAnimals} }),
			want: ConstraintHouseholdSafety, reason: "Amy's risk assessment rules out living with animals, and there are pets here."},
		{name: "fire setting in a smoking home", setup: both(
			child(func(c *catalogue.Child) { c.RisksToOthers = []catalogue.RiskToOthers{catalogue.RiskFire} }),
			home(func(pl *catalogue.Placement) { pl.Household.Smoking = true })),
			want: ConstraintHouseholdSafety, reason: "Amy's fire-setting risk rules out a home where someone smokes, with lighters and matches to hand."},
		{name: "fire setting with a 3-year-old", setup: both(
			child(func(c *catalogue.Child) { c.RisksToOthers = []catalogue.RiskToOthers{catalogue.RiskFire} }),
			home(func(pl *catalogue.Placement) { pl.Household.Members[0].Age = 3 })),
			want: ConstraintHouseholdSafety, reason: "Amy's fire-setting risk rules out a home with children under 5; a 3-year-old lives here."},
		{name: "fire setting with a 15-year-old", setup: child(func(c *catalogue.Child) {
			c.RisksToOthers = []catalogue.RiskToOthers{catalogue.RiskFire}
		})},

		{name: "beyond the maximum distance", setup: home(func(pl *catalogue.Placement) { pl.Location = offset(leedsHome, miKm(60), 0) }),
			want: ConstraintMaxDistance, reason: "60.0 miles from Amy's home as the crow flies, beyond the limit of 50 miles; only a senior decision can widen the search."},
		{name: "just inside the maximum distance", setup: home(func(pl *catalogue.Placement) { pl.Location = offset(leedsHome, miKm(49.9), 0) })},

		{name: "inside a circular zone", setup: child(func(c *catalogue.Child) {
			c.ExclusionZones = []catalogue.ExclusionZone{{Shape: catalogue.ZoneCircle, Centre: offset(leedsHome, miKm(3), 0.5), RadiusKm: 2}}
		}), want: ConstraintExclusionZone, reason: "Inside an area Amy must not live in or near (exclusion zone 1)."},
		{name: "within the buffer of a circular zone", setup: child(func(c *catalogue.Child) {
			c.ExclusionZones = []catalogue.ExclusionZone{
				{Shape: catalogue.ZoneCircle, Centre: offset(leedsHome, -20, 0), RadiusKm: 1},
				{Shape: catalogue.ZoneCircle, Centre: offset(leedsHome, miKm(3), 2.5), RadiusKm: 2},
			}
		}), want: ConstraintExclusionZone, reason: "0.3 miles from an area Amy must not live in or near (exclusion zone 2); homes within 0.6 miles of it are ruled out."},
		{name: "beyond the buffer of a circular zone", setup: child(func(c *catalogue.Child) {
			c.ExclusionZones = []catalogue.ExclusionZone{{Shape: catalogue.ZoneCircle, Centre: offset(leedsHome, miKm(3), 3.2), RadiusKm: 2}}
		})},
		{name: "inside a polygon drawn clockwise", setup: child(func(c *catalogue.Child) {
			at := offset(leedsHome, miKm(3), 0)
			c.ExclusionZones = []catalogue.ExclusionZone{{Shape: catalogue.ZonePolygon, Vertices: []catalogue.Location{
				offset(at, 1, -1), offset(at, 1, 1), offset(at, -1, 1), offset(at, -1, -1),
			}}}
		}), want: ConstraintExclusionZone, reason: "Inside an area Amy must not live in or near (exclusion zone 1)."},
		{name: "outside a polygon", setup: child(func(c *catalogue.Child) {
			at := offset(leedsHome, miKm(3), 5)
			c.ExclusionZones = []catalogue.ExclusionZone{{Shape: catalogue.ZonePolygon, Vertices: []catalogue.Location{
				offset(at, 1, -1), offset(at, 1, 1), offset(at, -1, 1), offset(at, -1, -1),
			}}}
		})},
		{name: "a brother's zone applies to the home", setup: func(r *Request, pl *catalogue.Placement) {
			withGroup(r)
			r.Group[1].ExclusionZones = []catalogue.ExclusionZone{{Shape: catalogue.ZoneCircle, Centre: pl.Location, RadiusKm: 1}}
		}, want: ConstraintExclusionZone, reason: "Inside an area Ben must not live in or near (exclusion zone 1)."},

		{name: "another council's own carers", setup: home(func(pl *catalogue.Placement) {
			pl.Kind, pl.Owner = catalogue.CouncilFoster, bradford
		}), want: ConstraintOwnCarers, reason: "These are Bradford's own foster carers, for Bradford's children: no sharing agreement in force lets Leeds place children with them."},
		{name: "the child's own council's carers", setup: home(func(pl *catalogue.Placement) { pl.Kind, pl.Owner = catalogue.CouncilFoster, leeds })},
		// The High Court's inherent jurisdiction (Re T [2021] UKSC 35): only a home that records
		// it can meet a deprivation of liberty order's conditions.
		{name: "a deprivation of liberty order, a home that has not recorded it can meet one", setup: child(func(c *catalogue.Child) { c.DeprivationOfLiberty = true }),
			want: ConstraintDeprivationOfLiberty, reason: "Amy is under a deprivation of liberty order and this home has not recorded that it can meet the conditions of one."},
		{name: "a deprivation of liberty order, a home that can meet one", setup: both(child(func(c *catalogue.Child) { c.DeprivationOfLiberty = true }),
			home(func(pl *catalogue.Placement) { pl.DoLConditions = true }))},
		{name: "no order, a home that can meet one", setup: home(func(pl *catalogue.Placement) { pl.DoLConditions = true })},
		{name: "a brother's order rules out the home", setup: func(r *Request, pl *catalogue.Placement) {
			withGroup(r)
			r.Group[1].DeprivationOfLiberty = true
		}, want: ConstraintDeprivationOfLiberty, reason: "Ben is under a deprivation of liberty order and this home has not recorded that it can meet the conditions of one."},
		// The law's constraints (law.go). Homes stored before the law's validation may carry
		// terms it now refuses: the constraint holds whatever the approval says.
		{name: "supported accommodation at 13", setup: both(child(func(c *catalogue.Child) { c.CareType = catalogue.CareSupported }), supportedHome),
			want: ConstraintSupportedUnder16, reason: "Supported accommodation is for young people of 16 and over; Amy is 13, and the law forbids it under 16."},
		{name: "supported accommodation at 16", setup: both(child(func(c *catalogue.Child) {
			c.CareType, c.DateOfBirth = catalogue.CareSupported, time.Date(2010, 5, 10, 0, 0, 0, 0, time.UTC)
		}), supportedHome)},
		{name: "supported accommodation for a care leaver of 19", setup: both(child(func(c *catalogue.Child) {
			c.CareType, c.DateOfBirth = catalogue.CareSupported, time.Date(2007, 5, 10, 0, 0, 0, 0, time.UTC)
		}), supportedHome, home(func(pl *catalogue.Placement) { pl.Approval.MaxAge = 21 }))},
		{name: "children's home at 18", setup: both(child(func(c *catalogue.Child) {
			c.CareType, c.DateOfBirth = catalogue.CareChildrensHome, time.Date(2008, 5, 10, 0, 0, 0, 0, time.UTC)
		}), registeredHome, home(func(pl *catalogue.Placement) { pl.Approval.MaxAge = 21 })),
			want: ConstraintHomeOver17, reason: "A children's home is for children under 18; Amy is 18."},
		{name: "children's home at 17", setup: both(child(func(c *catalogue.Child) {
			c.CareType, c.DateOfBirth = catalogue.CareChildrensHome, time.Date(2009, 5, 10, 0, 0, 0, 0, time.UTC)
		}), registeredHome)},
		{name: "children's home not registered", setup: both(toHome, registeredHome, home(func(pl *catalogue.Placement) { pl.Registration = catalogue.RegistrationNone })),
			want: ConstraintUnregistered, reason: "Not registered with Ofsted, so it is never offered."},
		{name: "children's home registration unknown", setup: both(toHome, registeredHome, home(func(pl *catalogue.Placement) { pl.Registration = "" })),
			want: ConstraintUnregistered, reason: "Not registered with Ofsted, so it is never offered."},
		{name: "children's home suspended", setup: both(toHome, registeredHome, home(func(pl *catalogue.Placement) { pl.Registration = catalogue.RegistrationSuspended })),
			want: ConstraintUnregistered, reason: "Ofsted has suspended its registration, so it is never offered."},
		{name: "children's home cancelled", setup: both(toHome, registeredHome, home(func(pl *catalogue.Placement) { pl.Registration = catalogue.RegistrationCancelled })),
			want: ConstraintUnregistered, reason: "Ofsted has cancelled its registration, so it is never offered."},
		{name: "children's home registered without a URN", setup: both(toHome, registeredHome, home(func(pl *catalogue.Placement) { pl.URN = "" })),
			want: ConstraintUnregistered, reason: "No Ofsted registration number (URN) is recorded, so it is never offered."},
		{name: "supported accommodation not registered", setup: both(child(func(c *catalogue.Child) {
			c.CareType, c.DateOfBirth = catalogue.CareSupported, time.Date(2010, 5, 10, 0, 0, 0, 0, time.UTC)
		}), supportedHome, home(func(pl *catalogue.Placement) { pl.Registration = catalogue.RegistrationNone })),
			want: ConstraintUnregistered, reason: "Not registered with Ofsted, so it is never offered."},
		{name: "a fourth foster child", setup: fourth,
			want: ConstraintFosteringLimit, reason: "Foster carers may look after at most three children unless all are brothers and sisters or the council grants an exemption; three foster children live here already and Amy would make four."},
		{name: "a fourth foster child with an exemption", setup: both(fourth, home(func(pl *catalogue.Placement) { pl.Approval.Exemption = "LCC-EX-2026-3" }))},
		{name: "a held place counts toward the limit", setup: both(fourth, home(func(pl *catalogue.Placement) {
			pl.Household.Members = pl.Household.Members[:3]
		}), occupied(12, catalogue.CompanionsWithOthers)),
			want: ConstraintFosteringLimit, reason: "Foster carers may look after at most three children unless all are brothers and sisters or the council grants an exemption; three foster children live here already and Amy would make four."},
		{name: "a young adult staying put does not count", setup: both(fourth, home(func(pl *catalogue.Placement) { pl.Household.Members[3].Age = 18 }))},
		{name: "four brothers and sisters together", setup: func(r *Request, pl *catalogue.Placement) {
			withGroup(r)
			for _, id := range []catalogue.ChildID{103, 104} {
				sib := brother()
				sib.ID = id
				r.Group = append(r.Group, sib)
			}
			pl.Approval.MaxChildren = 4
			pl.Vacancies = append(pl.Vacancies, pl.Vacancies[0], pl.Vacancies[0])
		}},
		{name: "foster approval lapsed before the move", setup: home(func(pl *catalogue.Placement) { pl.Approval.Until = today.AddDate(0, 0, 13) }),
			want: ConstraintApprovalDates, reason: "The carers' approval is not in date on 7 December 2026: it needs its review, or approval, first."},
		{name: "foster approval until the day of the move", setup: home(func(pl *catalogue.Placement) { pl.Approval.Until = today.AddDate(0, 0, 14) })},
		{name: "foster approval not yet given", setup: home(func(pl *catalogue.Placement) { pl.Approval.From = today.AddDate(0, 0, 15) }),
			want: ConstraintApprovalDates, reason: "The carers' approval is not in date on 7 December 2026: it needs its review, or approval, first."},
		{name: "foster approval undated", setup: home(func(pl *catalogue.Placement) { pl.Approval.From, pl.Approval.Until = time.Time{}, time.Time{} }),
			want: ConstraintApprovalDates, reason: "The carers' approval is not in date on 7 December 2026: it needs its review, or approval, first."},
		{name: "kinship without any approval", setup: both(kin, home(func(pl *catalogue.Placement) { pl.TemporaryApproval = nil })),
			want: ConstraintApprovalDates, reason: "The carers' approval is not in date on 7 December 2026: it needs its review, or approval, first."},
		{name: "temporary approval in force", setup: kin},
		{name: "temporary approval lapsed before the move", setup: both(kin, home(func(pl *catalogue.Placement) { pl.TemporaryApproval.From = today.AddDate(0, 0, -100) })),
			want: ConstraintTemporaryApproval, reason: "The carers' temporary approval as connected persons is not in force on 7 December 2026."},
		{name: "temporary approval extended", setup: both(kin, home(func(pl *catalogue.Placement) {
			pl.TemporaryApproval.From, pl.TemporaryApproval.Extended = today.AddDate(0, 0, -100), true
		}))},
		{name: "temporary approval lapsed, full approval given", setup: both(kin, home(func(pl *catalogue.Placement) {
			pl.TemporaryApproval.From, pl.Approval.From, pl.Approval.Until = today.AddDate(0, 0, -200), today, today.AddDate(1, 0, 0)
		}))},
	}
	seen := map[Constraint]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := Request{Child: amy(), Today: today}
			pl := fosterHome()
			tt.setup(&req, &pl)
			if req.Group != nil {
				req.Group[0] = req.Child
			}
			p := prepare(t, req)
			got := p.Check(&pl)
			if got.Constraint != tt.want {
				t.Fatalf("Check = %q (%s), want %q", got.Constraint, got.Reason(), tt.want)
			}
			if got.Rejected() != (tt.want != "") {
				t.Errorf("Rejected() = %v", got.Rejected())
			}
			if r := got.Reason(); r != tt.reason {
				t.Errorf("Reason()\n got %q\nwant %q", r, tt.reason)
			}
			all := p.CheckAll(&pl)
			if tt.want == "" && len(all) != 0 {
				t.Errorf("CheckAll = %v, want none", all)
			}
			if tt.want != "" && (len(all) == 0 || all[0].Constraint != tt.want) {
				t.Errorf("CheckAll()[0] is not %q: %v", tt.want, all)
			}
			// CheckHousehold is the first of CheckAll's about who lives together.
			var wantHousehold Rejection
			for _, r := range all {
				if r.Constraint == ConstraintCompanions || r.Constraint == ConstraintHouseholdSafety {
					wantHousehold = r
					break
				}
			}
			if h := p.CheckHousehold(&pl); h.Constraint != wantHousehold.Constraint || h.Reason() != wantHousehold.Reason() {
				t.Errorf("CheckHousehold = %q (%s), want %q (%s)", h.Constraint, h.Reason(), wantHousehold.Constraint, wantHousehold.Reason())
			}
		})
		seen[tt.want] = true
	}
	for _, c := range Constraints {
		if !seen[c] {
			t.Errorf("no test rejects for %q", c)
		}
	}
}

func TestConstraintsListed(t *testing.T) {
	t.Parallel()
	if len(Constraints) != 26 {
		t.Errorf("%d constraints, want 26", len(Constraints))
	}
	seen := map[Constraint]bool{}
	for _, c := range Constraints {
		if seen[c] {
			t.Errorf("%q listed twice", c)
		}
		seen[c] = true
		if !c.Valid() {
			t.Errorf("%q not valid", c)
		}
	}
	if Constraint("nonsense").Valid() {
		t.Error("unknown constraint is valid")
	}
	if (Rejection{}).Reason() != "" || (Rejection{}).Rejected() {
		t.Error("zero Rejection must pass with no reason")
	}
}

// TestCheckAllOrder: a home that breaks several rules lists them all, in the order checked.
func TestCheckAllOrder(t *testing.T) {
	t.Parallel()
	p := prepare(t, Request{Child: amy()})
	pl := fosterHome()
	pl.Active = false
	pl.Approval.MaxAge = 10
	pl.Location = offset(leedsHome, miKm(80), 0)
	var got []Constraint
	for _, r := range p.CheckAll(&pl) {
		got = append(got, r.Constraint)
	}
	want := []Constraint{ConstraintInactive, ConstraintAge, ConstraintMaxDistance}
	if !slices.Equal(got, want) {
		t.Errorf("CheckAll = %v, want %v", got, want)
	}
}

func TestPrepareErrors(t *testing.T) {
	t.Parallel()
	bad := catalogue.DefaultPolicy()
	bad.Weights[catalogue.FactorCost] = 50
	tests := []struct {
		name  string
		req   Request
		pol   catalogue.Policy
		field string
	}{
		{"no today", Request{Child: amy()}, catalogue.DefaultPolicy(), "today"},
		{"no date of birth", Request{Child: catalogue.Child{FirstName: "X"}, Today: today}, catalogue.DefaultPolicy(), "child.date_of_birth"},
		{"group without the child", Request{Child: amy(), Group: []catalogue.Child{brother()}, Today: today}, catalogue.DefaultPolicy(), "group"},
		{"negative moves", Request{Child: amy(), Today: today, Moves12m: -1}, catalogue.DefaultPolicy(), "moves_12m"},
		{"bad policy", Request{Child: amy(), Today: today}, bad, "weights.cost"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Prepare(tt.req, tt.pol)
			fe := catalogue.FieldErrors(err)
			if len(fe) == 0 || fe[0].Field != tt.field {
				t.Fatalf("Prepare error = %v, want a field error on %s", err, tt.field)
			}
		})
	}
}

func TestOpenVacanciesMatchesCatalogue(t *testing.T) {
	t.Parallel()
	pl := fosterHome()
	pl.Vacancies = append(pl.Vacancies,
		catalogue.Vacancy{AvailableFrom: today.AddDate(0, 0, 5), Status: catalogue.VacancyAvailable},
		catalogue.Vacancy{AvailableFrom: today, Status: catalogue.VacancyWithdrawn},
		catalogue.Vacancy{AvailableFrom: today, Status: catalogue.VacancyFilled, Child: 4})
	for d := -40; d <= 10; d++ {
		day := today.AddDate(0, 0, d)
		if got, want := openVacancies(&pl, day), pl.OpenVacancies(day); got != want {
			t.Errorf("day %+d: %d open, catalogue says %d", d, got, want)
		}
	}
}
