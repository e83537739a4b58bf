package exchange

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDocsExamples decodes every example file in docs/exchange.md, so the documentation cannot
// drift from the code: each fenced block is tagged with its format and kind ("csv children").
func TestDocsExamples(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../docs/exchange.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```(csv|json) (children|placements|referrals|family_network|staying_put)\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) != 10 {
		t.Fatalf("found %d tagged examples in docs/exchange.md, want one of each format and kind (10)", len(blocks))
	}
	for _, b := range blocks {
		f, k, body := Format(b[1]), Kind(b[2]), b[3]
		d, err := DecodeFile(strings.NewReader(body), f, k, DecodeOptions{})
		if err != nil {
			t.Errorf("the %s %s example does not import: %v", f, k, err)
			continue
		}
		if d.Batch.Len()+len(d.Referrals)+len(d.Network)+len(d.StayingPut) == 0 {
			t.Errorf("the %s %s example imports nothing", f, k)
		}
	}
}
