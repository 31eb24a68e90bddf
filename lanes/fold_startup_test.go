package lanes

import (
	"slices"
	"testing"

	"corescope/profile/profiletest"
)

// TestStartupProcessesFold checks that a command's start-up processes
// (the short-lived ones before its main process got busy) share one lane
// named for them, though each was on a core for 20 ms, more than the fold
// rule's bound for other small processes; a child that worked later keeps
// its lane.
func TestStartupProcessesFold(t *testing.T) {
	p := profiletest.Shimmed() // 5 bash processes of 20 ms each before python3
	f := NewFold(p)
	if f.Processes != 5 || f.Startup != 5 || f.Has(10) || f.Has(20) || !f.Has(100) {
		t.Errorf("fold: %d processes, %d start-up, main folded %v, child folded %v; want the 5 start-up processes alone",
			f.Processes, f.Startup, f.Has(10), f.Has(20))
	}
	if got, want := f.Title()+": "+f.Detail(), "5 start-up processes: 0.10 s on a core in all: bash ×5"; got != want {
		t.Errorf("fold = %q; want %q", got, want)
	}
	l := New()
	l.SetProfile(p)
	if got := l.Names(); !slices.Equal(got, []string{"python3 10", "python3 20", "5 start-up processes"}) {
		t.Errorf("lanes = %q; want python3's two, then the start-up's", got)
	}
	shim := profiletest.PoolBehindShim()
	if f := NewFold(shim); f.Label() != "4 start-up processes of a pyenv shim" {
		t.Errorf("a pyenv shim's fold = %q; want it named for them", f.Label())
	}
	one := []ProcessTime{{PID: 1, OnS: 1}, {PID: 2, Name: "sh", OnS: 0.5, Startup: true}}
	if f := FoldOf(one); f.Processes != 1 || f.Label() != "1 start-up process" {
		t.Errorf("one start-up process of 0.5 s: %d folded as %q; want its lane named for it", f.Processes, f.Label())
	}
}
