package runners

import (
	"errors"
	"fmt"

	"corescope/spec"
)

// Subject is a prepared command: what recorder.Record starts for a spec.Spec.
type Subject struct {
	Argv []string // Argv[0] is the program
	Env  []string // extra environment, appended to os.Environ()

	site *Site
}

// Close releases what Prepare started: the loopback site, if any.
func (s *Subject) Close() error {
	if s.site == nil {
		return nil
	}
	return s.site.Close()
}

// Prepare validates spec (see spec.Spec.Resolve) and builds its subject. self is
// the corescope executable: the Go backend runs `self worker ...`, the
// Python backend its model's script on spec.Python, with the loopback site
// started here when the workload needs it. A BackendCommand
// spec runs its command directly, without a shell, once LookPath finds it.
// A command or interpreter found through the login shell's PATH runs with
// that PATH too, as it would from the user's terminal. Every subject gets
// spec.Env in its environment.
func Prepare(sp spec.Spec, self string) (*Subject, error) {
	if err := sp.Validate(); err != nil {
		return nil, err
	}
	if sp.Backend == spec.BackendCommand {
		path, err := LookPath(sp.Command[0])
		var nf *NotFoundError
		switch {
		case errors.As(err, &nf):
			return nil, fmt.Errorf("command: %w", err)
		case err != nil:
			return nil, fmt.Errorf("command: %q cannot be run: %w", sp.Command[0], errors.Unwrap(err))
		}
		return &Subject{Argv: append([]string{path}, sp.Command[1:]...), Env: append(loginPATHEnv(path), sp.Env...)}, nil
	}
	var dir string
	switch {
	case sp.Backend == spec.BackendPython:
		var err error
		if dir, err = pythonDir(); err != nil {
			return nil, err
		}
	case self == "":
		return nil, fmt.Errorf("cannot run the Go backend: the corescope executable is unknown")
	}
	s := &Subject{}
	siteURL := ""
	if sp.Workload != spec.CPU {
		site, err := StartSite(sp.Latency.D(), DefaultBodyBytes)
		if err != nil {
			return nil, err
		}
		s.site, siteURL = site, site.URL
	}
	if sp.Backend == spec.BackendPython {
		s.Argv, s.Env = pythonArgv(sp, dir, siteURL), loginPATHEnv(sp.Python)
	} else {
		s.Argv = append([]string{self, "worker"}, workerArgv(sp, siteURL)...)
	}
	s.Env = append(s.Env, sp.Env...)
	return s, nil
}
