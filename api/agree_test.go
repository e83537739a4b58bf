package api_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Offers reach a child only from homes whose providers accepted a referral (casework.MakeOffer).
// The offer tests written before referrals make offers straight away: agreeFirst, called by do,
// makes the providers of the homes agree first, through the store, as a provider answering
// would: the homes named in the body, else the top three of the child's options; for a match
// run, each child's homes of the run. A home that cannot take the child is left without a
// referral, so the offer's own refusal is what the test sees.
var (
	childOffersPath = regexp.MustCompile(`^/v1/children/(\d+)/offers$`)
	runOffersPath   = regexp.MustCompile(`^/v1/match-runs/(\d+)/offers$`)
)

func (f *fixture) agreeFirst(who, method, path string, body any) any {
	if method != "POST" || f.noAgree {
		return body
	}
	ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Role: catalogue.RoleAdmin})
	if m := runOffersPath.FindStringSubmatch(path); m != nil {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		res, err := f.store.ListRunResults(ctx, catalogue.Everything, catalogue.MatchRunID(id), catalogue.RunPageFilter{Limit: catalogue.MaxLimit})
		if err != nil {
			return body
		}
		for _, r := range res.Items {
			var homes []catalogue.PlacementID
			for _, o := range r.Offers {
				homes = append(homes, o.Placement)
			}
			var sibs []catalogue.ChildID
			if len(r.Group) > 1 && r.Group[0] == r.Child {
				sibs = r.Group[1:]
			}
			f.agree(ctx, r.Child, sibs, homes)
		}
		return body
	}
	m := childOffersPath.FindStringSubmatch(path)
	if m == nil {
		return body
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	child := catalogue.ChildID(id)
	var homes []catalogue.PlacementID
	if b, ok := body.(map[string]any); ok {
		if ps, ok := b["placements"].([]int64); ok {
			for _, p := range ps {
				homes = append(homes, catalogue.PlacementID(p))
			}
		}
	}
	var sibs []catalogue.ChildID
	if len(homes) == 0 {
		f.noAgree = true
		r := f.do(who, "POST", "/v1/children/"+m[1]+"/options", nil)
		f.noAgree = false
		var opts struct {
			Options []struct {
				Placement struct {
					ID int64 `json:"id"`
				} `json:"placement"`
			} `json:"options"`
			Together *struct {
				Searched bool `json:"searched"`
			} `json:"together"`
		}
		if json.Unmarshal(r.body, &opts) != nil {
			return body
		}
		for i, o := range opts.Options {
			if i < 3 {
				homes = append(homes, catalogue.PlacementID(o.Placement.ID))
			}
		}
		if opts.Together != nil && opts.Together.Searched {
			sibs = f.siblingsOf(ctx, child)
		}
	} else {
		sibs = f.siblingsOf(ctx, child)
	}
	if f.agree(ctx, child, sibs, homes) >= 2 {
		return body
	}
	// Fewer than two homes agreed: say why the child has one choice, as an officer must.
	b, ok := body.(map[string]any)
	if body == nil {
		b, ok = map[string]any{}, true
	}
	if ok {
		if _, has := b["one_choice_reason"]; !has {
			b["one_choice_reason"] = "Only one home could take the child."
		}
		return b
	}
	return body
}

// siblingsOf are the brothers and sisters planned together with the child.
func (f *fixture) siblingsOf(ctx context.Context, child catalogue.ChildID) []catalogue.ChildID {
	ch, err := f.store.Child(ctx, catalogue.Everything, child)
	if err != nil || ch.SiblingGroup == 0 {
		return nil
	}
	g, err := f.store.SiblingGroup(ctx, catalogue.Everything, ch.SiblingGroup)
	if err != nil || g.Plan != catalogue.PlanTogether {
		return nil
	}
	var out []catalogue.ChildID
	for _, m := range g.Members {
		if m != child {
			out = append(out, m)
		}
	}
	return out
}

// agree refers the child to each home and has its provider accept, ignoring a home that
// cannot be referred or has no place to hold.
func (f *fixture) agree(ctx context.Context, child catalogue.ChildID, sibs []catalogue.ChildID, homes []catalogue.PlacementID) int {
	now := f.store.Now()
	agreed := 0
	for _, h := range homes {
		rs, err := f.store.CreateReferrals(ctx, catalogue.Everything, []catalogue.Referral{{Child: child, Siblings: sibs, Placement: h,
			Deadline: now.Add(catalogue.ResponseWindow(false))}})
		if err != nil {
			continue
		}
		_, err = f.store.RespondReferral(ctx, catalogue.Everything, rs[0].ID, rs[0].Version,
			catalogue.ReferralResponse{Accepted: true, Impact: "Settles well with the children here."}, now.Add(72*time.Hour))
		if err == nil {
			agreed++
		}
	}
	if f.engine != nil {
		_ = f.engine.Touch(ctx, homes...)
	}
	return agreed
}

// storedOffer makes an offer of one home to a child straight through the store, as offers were
// made before referrals (an option naming no referral): for the tests of what the decision's
// transaction guards (the last place, the household rules), which holds now make rare, as
// two children can no longer be offered one home's last place through the API.
func (f *fixture) storedOffer(child catalogue.ChildID, home catalogue.PlacementID) offerBody {
	f.t.Helper()
	o, err := f.store.CreateOffer(context.Background(), catalogue.Everything, catalogue.Offer{Child: child,
		Options: []catalogue.Option{{Rank: 1, Role: catalogue.RoleChoice, Placement: home, Score: 0.5, Quality: 0.5, SchoolKm: -1}}})
	if err != nil {
		f.t.Fatal(err)
	}
	return offerBody{ID: int64(o.ID), Child: int64(o.Child), Status: string(o.Status), Version: o.Version}
}
