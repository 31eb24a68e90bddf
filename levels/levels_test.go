package levels

import (
	"encoding/json"
	"math"
	"slices"
	"testing"
)

func TestOfStaysWithinMaxError(t *testing.T) {
	worst := 0.0
	for i := 0; i <= 100000; i++ {
		v := float64(i) / 100000
		l := Of(v)
		if !l.Known() {
			t.Fatalf("Of(%v) = Missing; want a level", v)
		}
		worst = max(worst, math.Abs(l.Fraction()-v))
	}
	if worst > MaxError+1e-12 {
		t.Errorf("largest |Of(v).Fraction() - v| = %v; want <= MaxError %v", worst, MaxError)
	}
	if worst < MaxError*0.9 {
		t.Errorf("largest error %v is far below MaxError %v: the bound documents the wrong step", worst, MaxError)
	}
}

func TestOfEdges(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want Level
	}{{0, 0}, {1, Steps}, {-0.5, 0}, {1.7, Steps}, {math.Inf(1), Steps}, {math.NaN(), Missing}} {
		if got := Of(c.v); got != c.want {
			t.Errorf("Of(%v) = %d; want %d", c.v, got, c.want)
		}
	}
	if !math.IsNaN(Missing.Fraction()) || Missing.Known() {
		t.Errorf("Missing: Fraction %v, Known %v; want NaN and false", Missing.Fraction(), Missing.Known())
	}
}

func TestRow(t *testing.T) {
	r := Quantise(nil, []float64{1, 0.5, math.NaN(), 0})
	if got := r.Sum(); math.Abs(got-1.5) > 2*MaxError {
		t.Errorf("Sum = %v; want 1.5 (the Missing core left out)", got)
	}
	if !math.IsNaN(r.At(2)) || !math.IsNaN(r.At(9)) || !math.IsNaN(r.At(-1)) || r.At(0) != 1 {
		t.Errorf("At(0), At(2), At(9), At(-1) = %v %v %v %v; want 1 NaN NaN NaN", r.At(0), r.At(2), r.At(9), r.At(-1))
	}
	again := Quantise(r, []float64{0.25})
	if &again[0] != &r[0] || len(again) != 1 {
		t.Errorf("Quantise did not reuse a big enough row")
	}
	f := Quantise(nil, []float64{0.2, 1}).Fractions(nil)
	if len(f) != 2 || math.Abs(f[0]-0.2) > MaxError || f[1] != 1 {
		t.Errorf("Fractions = %v; want about [0.2 1]", f)
	}
}

func TestRowJSONIsOneByteACore(t *testing.T) {
	r := make(Row, 256)
	for i := range r {
		r[i] = Level(i % 255)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if want := 4*((256+2)/3) + 2; len(b) != want { // base64 and its quotes
		t.Errorf("a 256-core row is %d bytes of JSON; want base64, %d", len(b), want)
	}
	var back Row
	if err := json.Unmarshal(b, &back); err != nil || !slices.Equal(back, r) {
		t.Errorf("round trip = %v, %v; want the same row", back[:4], err)
	}
}

func BenchmarkQuantise256(b *testing.B) {
	v := make([]float64, 256)
	for i := range v {
		v[i] = float64(i) / 255
	}
	var r Row
	b.ReportAllocs()
	for b.Loop() {
		r = Quantise(r, v)
	}
}
