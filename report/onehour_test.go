package report

import (
	"testing"

	"corescope/profile"
	"corescope/profile/profiletest"
)

// BenchmarkPNGOneHour renders the report of an hour of 256 cores at 10 Hz:
// its pictures and its line read a column a pixel from the run's series,
// not 36,000 samples.
func BenchmarkPNGOneHour(b *testing.B) {
	ps := []*profile.Profile{profiletest.OneHour(256)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PNG(ps, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
