package api

import (
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/sufficiency"
)

func TestTrainingSummary(t *testing.T) {
	t.Parallel()
	n, c := sufficiency.CountFigure, sufficiency.WithheldFigure()
	const tr = "trauma-informed training"
	for _, tc := range []struct {
		waiting, arranged sufficiency.Figure
		want              string
	}{
		{n(26), n(0), "26 households need trauma-informed training."},
		{n(1240), n(10), "1,240 households need trauma-informed training; it is arranged for 10 more."},
		{n(0), n(12), "Trauma-informed training is arranged for the 12 households that need it."},
		{n(0), c, "No household is waiting for trauma-informed training; the number for whom it is arranged is withheld."},
		{c, n(7), "The number of households needing trauma-informed training is withheld; it is arranged for 7 more."},
		{n(9), c, "9 households need trauma-informed training; the number for whom it is arranged is withheld."},
		{c, c, "The numbers of households needing trauma-informed training and with it arranged are withheld."},
	} {
		if got := trainingSummary(tr, tc.waiting, tc.arranged); got != tc.want {
			t.Errorf("%v, %v: %q, want %q", tc.waiting, tc.arranged, got, tc.want)
		}
	}
	if got := thousands(1234567); got != "1,234,567" {
		t.Errorf("thousands: %s", got)
	}
}

func TestSupportWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		item catalogue.SupportItem
		want string
	}{
		{catalogue.SupportItem{Training: catalogue.SkillAutism}, "Autism training for the carers."},
		{catalogue.SupportItem{Training: catalogue.SkillDisability, Equipment: true},
			"Disability training for the carers, and equipment or adaptations to the home."},
		{catalogue.SupportItem{Training: catalogue.SkillTraumaInformed, Therapeutic: true, Equipment: true},
			"Trauma-informed training for the carers, therapeutic support for the child and the carers, and equipment or adaptations to the home."},
	} {
		if got := supportWords(tc.item); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.item, got, tc.want)
		}
	}
}
