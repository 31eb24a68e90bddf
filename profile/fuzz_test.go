package profile

import (
	"bytes"
	"fmt"
	"testing"
)

// FuzzDecode reads any bytes as a profile file. It must never panic, and a
// file it reads must hold what the views rely on (see invariants), and
// write and read back the same: encoding what was read and reading that
// gives the same document again. The seeds (testdata/fuzz/FuzzDecode) are
// the files of the tests here and hostile ones the loader refuses: a task
// id of -1 (which the loader takes: ids are the subject's), thread samples
// and slices on cores the run does not have, a billion cores, nodes that
// overlap.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		for i, p := range ps {
			if err := invariants(p); err != nil {
				t.Fatalf("profile %d was read but %v", i+1, err)
			}
		}
		var once, twice bytes.Buffer
		if err := Encode(&once, ps); err != nil {
			t.Fatalf("Encode(what Decode read) = %v", err)
		}
		again, err := Decode(bytes.NewReader(once.Bytes()))
		if err != nil {
			t.Fatalf("Decode(Encode(what Decode read)) = %v\n%s", err, once.Bytes())
		}
		if err := Encode(&twice, again); err != nil || !bytes.Equal(once.Bytes(), twice.Bytes()) {
			t.Fatalf("written, read and written again differs (%v):\n%s\n%s", err, once.Bytes(), twice.Bytes())
		}
	})
}

// invariants is what the views take for granted of a profile that was
// read, checked apart from the loader's own code: frames of one number of
// cores, no more than one machine has unless nodes lay them out, in time
// order; thread samples and slices on the run's cores; nodes that tile the
// frames' cores.
func invariants(p *Profile) error {
	cores := p.Machine.LogicalCores
	if len(p.Frames) > 0 {
		cores = len(p.Frames[0].Busy)
	}
	if len(p.Nodes) == 0 && cores > MaxCores || p.Machine.LogicalCores > MaxCores {
		return fmt.Errorf("it has %d cores, %d logical", cores, p.Machine.LogicalCores)
	}
	for i, f := range p.Frames {
		switch {
		case len(f.Busy) != cores || len(f.SubjectBusy) != 0 && len(f.SubjectBusy) != cores:
			return fmt.Errorf("frame %d has %d cores and %d subject cores of %d", i+1, len(f.Busy), len(f.SubjectBusy), cores)
		case !(f.T >= 0) || i > 0 && f.T < p.Frames[i-1].T:
			return fmt.Errorf("frame %d is at %v s", i+1, f.T)
		}
		for _, s := range f.ThreadSamples {
			if s.Core < -1 || s.Core >= cores || s.PID < 0 || s.TID < 0 || !(s.CPU >= 0) {
				return fmt.Errorf("frame %d has a thread sample %+v", i+1, s)
			}
		}
	}
	for _, s := range p.Slices {
		if s.CPU < 0 || s.CPU >= cores || s.PID < 0 || s.TID < 0 || !(s.Start >= 0 && s.End >= s.Start) {
			return fmt.Errorf("it has a slice %+v of %d cores", s, cores)
		}
	}
	next := 0
	for _, n := range p.Nodes {
		if n.First != next || n.Cores < 0 || n.Cores > MaxCores {
			return fmt.Errorf("node %+v does not start at core %d", n, next)
		}
		next += n.Cores
	}
	if len(p.Nodes) > 0 && len(p.Frames) > 0 && next != cores {
		return fmt.Errorf("its nodes have %d cores, its frames %d", next, cores)
	}
	return nil
}
