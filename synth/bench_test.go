package synth

import (
	"fmt"
	"testing"
)

// BenchmarkGenerate measures generation at a hundredth, a tenth (Demo) and the whole of England.
func BenchmarkGenerate(b *testing.B) {
	for _, scale := range []float64{0.01, 0.1, 1} {
		cfg := Scaled(scale)
		b.Run(fmt.Sprintf("children=%d", cfg.Children), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Generate(cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
