package app

import "corescope/profile"

// session is what the window holds besides its widgets: the runs it shows,
// the job recording more, an export being written, and from these alone,
// what the user may do now (allowed). UI goroutine only.
type session struct {
	runs      []*profile.Profile // in the order they ended or were opened
	job       *job               // the run in progress; nil when idle
	exporting bool               // an export is being written
	closing   bool               // the window closes once the job or the export is done
}

// actions are what the user may do at one moment; the buttons and the
// menu items follow them.
type actions struct {
	run, stop, open, save, export bool
}

// allowed is what the user may do now; fieldsValid says whether the
// controls make a runnable spec.
//   - Run while idle with valid fields: one job at a time, and not while an
//     export writes the runs a new run would add to.
//   - Stop while a job runs and was not stopped yet.
//   - Open unless an export is being written (opening adds runs).
//   - Save and export when there are runs; exports also wait for the job,
//     whose runs would change what they write.
func (s *session) allowed(fieldsValid bool) actions {
	idle := s.job == nil && !s.exporting
	hasRuns := len(s.runs) > 0
	return actions{
		run:    idle && fieldsValid,
		stop:   s.job != nil && !s.job.stopped,
		open:   !s.exporting,
		save:   hasRuns && !s.exporting,
		export: idle && hasRuns,
	}
}
