//go:build unix && !linux

package recorder

import "corescope/profile"

// follower follows the subject's process group alone: this system has no
// cgroups, and no /proc to find a process that left the group by its
// environment.
type follower struct {
	note string // how the run's processes are followed, for the summary
}

func newFollower() *follower {
	return &follower{note: "its process group alone: a process that leaves it (setsid) is not followed on this system"}
}

func (f *follower) env() []string { return nil }

func (f *follower) add(int) {}

func (f *follower) remove() {}

// endEscaped finds no process outside the group.
func (f *follower) endEscaped(_ int, escaped []profile.EscapedProcess) []profile.EscapedProcess {
	return escaped
}

// watchdog adds nothing to the watchdog's kill of the group.
func (f *follower) watchdog() (script string, args []string) { return ":", nil }
