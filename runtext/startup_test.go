package runtext

import (
	"strings"
	"testing"

	"corescope/profile"
	"corescope/profile/profiletest"
)

// TestStartupWords checks that a start-up is attributed to what took the
// time, each part measured.
func TestStartupWords(t *testing.T) {
	tests := []struct {
		name string
		p    *profile.Profile
		want string
	}{
		{"a pool behind a pyenv shim", profiletest.PoolBehindShim(),
			"Start-up took 0.50 s before the first task: a pyenv shim 0.24 s (4 processes: pyenv ×4), then the interpreter and its imports 0.16 s, then starting 2 worker processes 0.10 s."},
		{"a command behind a shim", profiletest.Shimmed(),
			"Start-up took 0.15 s: start-up processes 0.14 s (5 processes: bash ×5)."},
		{"a command that sleeps first", profiletest.SleepFirst(),
			"Start-up took 0.52 s: python3 (its main process) kept no core busy for 0.52 s."},
		{"no start-up told apart", profiletest.Command("make", 1, 0.2), ""},
	}
	for _, tt := range tests {
		if got := Startup(tt.p); got != tt.want {
			t.Errorf("%s: Startup = %q; want %q", tt.name, got, tt.want)
		}
	}
}

// TestWhyAPoolStarted checks that the processes model's explanation says
// what starting the pool cost, not the whole start-up: the shim's and the
// interpreter's part are not the pool's.
func TestWhyAPoolStarted(t *testing.T) {
	if got, want := Why(profiletest.PoolBehindShim()), "Starting them (fork) cost 0.10 s before the first task began"; !strings.Contains(got, want) {
		t.Errorf("Why() = %q; want it to say %q", got, want)
	}
}

func TestResolution(t *testing.T) {
	tests := []struct{ shim, real, want string }{
		{"/root/.pyenv/shims/python3", "/root/.pyenv/versions/3.11.7/bin/python3",
			"/root/.pyenv/shims/python3 → /root/.pyenv/versions/3.11.7/bin/python3 (pyenv shim)"},
		{"python3", "/home/me/.asdf/installs/python/3.12.1/bin/python3",
			"python3 → /home/me/.asdf/installs/python/3.12.1/bin/python3 (wrapper)"},
		{"/home/me/.asdf/shims/python3", "/x/python3", "/home/me/.asdf/shims/python3 → /x/python3 (asdf shim)"},
		{"/usr/bin/python3", "", ""},
	}
	for _, tt := range tests {
		if got := Resolution(tt.shim, tt.real); got != tt.want {
			t.Errorf("Resolution(%q, %q) = %q; want %q", tt.shim, tt.real, got, tt.want)
		}
	}
}
