package dashboard

import (
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/sufficiency"
)

// kinWay is one way children are cared for by kin outside care, as the dashboard lists it.
type kinWay struct {
	Label    string
	Children sufficiency.Figure
}

// kinWays lists the scope's children cared for by kin outside care, way by way; nil when the
// report was not given them.
func kinWays(m *sufficiency.Metrics) []kinWay {
	if m.KinCaringBy == nil {
		return nil
	}
	out := make([]kinWay, len(catalogue.Carings))
	for k, c := range catalogue.Carings {
		out[k] = kinWay{Label: c.ReportWords(), Children: m.KinCaringBy[k]}
	}
	return out
}
