package proctest

import (
	"strings"
	"testing"

	"github.com/prometheus/procfs"
)

// processes lists every process, in PID order; one that exits while it
// reads is left out.
func processes(t testing.TB) []proc {
	t.Helper()
	fs, err := procfs.NewDefaultFS()
	if err != nil {
		t.Fatal(err)
	}
	all, err := fs.AllProcs()
	if err != nil {
		t.Fatal(err)
	}
	var ps []proc
	for _, p := range all {
		if st, err := p.Stat(); err == nil {
			args, _ := p.CmdLine()
			ps = append(ps, proc{pid: st.PID, ppid: st.PPID, pgrp: st.PGRP, zombie: st.State == "Z", cmdline: strings.Join(args, " ")})
		}
	}
	return ps
}
