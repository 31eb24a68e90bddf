package recorder

import (
	"context"
	"os"

	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

// profilerEnv makes the test binary a profiler that records a long run, so
// a test can SIGKILL it: "go" runs the processes model, "command" a shell
// whose children are not its own workers, and "argv" the command in its
// arguments, printing the profile (as a file holds it, concluded) when the
// run ends.
const profilerEnv = "CORESCOPE_TEST_PROFILER"

func runAsProfiler() int {
	s := spec.Spec{Workload: spec.CPU, Model: spec.Processes, Tasks: 200, Size: 0.5}
	switch os.Getenv(profilerEnv) {
	case "command":
		s = spec.Spec{Backend: spec.BackendCommand, Command: []string{"sh", "-c", "sleep 60 & sleep 60 & wait"}}
	case "argv":
		s = spec.Spec{Backend: spec.BackendCommand, Command: os.Args[1:]}
	}
	p, _ := Record(context.Background(), resolved(s), Options{})
	if p == nil {
		return 1
	}
	runtext.Conclude([]*profile.Profile{p}) // as the CLI does before it writes a run
	if err := profile.Encode(os.Stdout, []*profile.Profile{p}); err != nil {
		return 1
	}
	return 0
}

// resolved is spec with its defaults; the specs of these tests are valid.
func resolved(sp spec.Spec) spec.Spec {
	s, err := sp.Resolve()
	if err != nil {
		panic(err)
	}
	return s
}
