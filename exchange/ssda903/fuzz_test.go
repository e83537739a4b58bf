package ssda903

import (
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// FuzzEpisodes feeds the row parser any Episodes file: it never panics, and a return it
// accepts holds only episodes and children the catalogue accepts, each child's episodes
// following one another.
func FuzzEpisodes(f *testing.F) {
	for _, s := range []string{
		goodEpisodes,
		episodesLine + "101,01/02/2019,S,C2,N1,U4,PR1,01/01/2019,X1,,,,\n",
		episodesLine + "101,2019-02-01,s,c2,n1,u4,pr1,,e8,carpl,ls14ap,,\n",
		episodesLine + "101,01/02/2019,\"S\nT\",C2,N1,U4,PR1,,,,,,\n",
		"CHILD\n101\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, episodes string) {
		d, err := Decode([]File{{Name: "header.csv", R: strings.NewReader(goodHeader)}, {Name: "episodes.csv", R: strings.NewReader(episodes)}},
			Options{Council: lancashire, MaxRows: 50})
		if err != nil {
			for _, fe := range catalogue.FieldErrors(err) {
				if !strings.HasPrefix(fe.Field, "episodes.csv") && !strings.HasPrefix(fe.Field, "header.csv") && fe.Field != "" {
					t.Fatalf("a problem not by file: %+v", fe)
				}
			}
			if len(d.Batch.Episodes) != 0 {
				t.Fatal("a refused return decoded episodes")
			}
			return
		}
		for _, c := range d.Batch.Children {
			if c.Validate() != nil {
				t.Fatalf("decoded an invalid child: %v", c.Validate())
			}
		}
		last := map[catalogue.ChildID]catalogue.Episode{}
		for _, e := range d.Batch.Episodes {
			check := e
			check.Child = 1
			if err := check.Validate(); err != nil {
				t.Fatalf("decoded an invalid episode: %v", err)
			}
			if p, ok := last[e.Child]; ok && (p.End.IsZero() || e.Start.Before(p.End)) {
				t.Fatalf("episodes overlap: %v then %v", p, e)
			}
			last[e.Child] = e
		}
	})
}
