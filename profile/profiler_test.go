package profile

import (
	"context"
	"os"

	"corescope/runners"
)

// profilerEnv makes the test binary a profiler that records a long run, so
// a test can SIGKILL it: "go" runs the processes model, "command" a shell
// whose children are not its own workers, and "argv" the command in its
// arguments, printing the profile (as a file holds it) when the run ends.
const profilerEnv = "CORESCOPE_TEST_PROFILER"

func runAsProfiler() int {
	spec := runners.Spec{Workload: runners.CPU, Model: runners.Processes, Tasks: 200, Size: 0.5}
	switch os.Getenv(profilerEnv) {
	case "command":
		spec = runners.Spec{Backend: runners.BackendCommand, Command: []string{"sh", "-c", "sleep 60 & sleep 60 & wait"}}
	case "argv":
		spec = runners.Spec{Backend: runners.BackendCommand, Command: os.Args[1:]}
	}
	p, _ := Record(context.Background(), resolved(spec), Options{})
	if p == nil {
		return 1
	}
	if err := Encode(os.Stdout, []*Profile{p}); err != nil {
		return 1
	}
	return 0
}

// resolved is spec with its defaults; the specs of these tests are valid.
func resolved(spec runners.Spec) runners.Spec {
	s, err := spec.Resolve()
	if err != nil {
		panic(err)
	}
	return s
}
