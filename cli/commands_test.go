package cli

import (
	"flag"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
)

// TestCommandsAreWhatRunParses checks that each command Commands describes
// is one Run dispatches, whose --help prints the same synopsis and flags,
// and that the usage names every command and no other.
func TestCommandsAreWhatRunParses(t *testing.T) {
	var listed []string
	for _, c := range Commands() {
		listed = append(listed, c.Name)
		code, out, errOut := cli(c.Name, "--help")
		if code != ExitOK || !strings.HasPrefix(out, c.Synopsis+"\n") {
			t.Errorf("corescope %s --help: exit %d, %q%s; want the synopsis %q", c.Name, code, out, errOut, c.Synopsis)
		}
		c.Flags.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(out, "  -"+f.Name+" ") && !strings.Contains(out, "  -"+f.Name+"\n") {
				t.Errorf("corescope %s --help does not list -%s:\n%s", c.Name, f.Name, out)
			}
		})
	}
	var usage []string
	for _, m := range regexp.MustCompile(`(?m)^  corescope ([a-z]+)`).FindAllStringSubmatch(Root().Synopsis, -1) {
		if !slices.Contains(usage, m[1]) {
			usage = append(usage, m[1])
		}
	}
	if !slices.Equal(usage, listed) {
		t.Errorf("the usage shows the commands %q; Commands lists %q", usage, listed)
	}
}

// TestChoicesAreTheFlagsOwn checks that the values offered for a flag are
// the ones its help names, and that only flags that exist have any.
func TestChoicesAreTheFlagsOwn(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Commands() {
		c.Flags.VisitAll(func(f *flag.Flag) {
			values, _ := Choices(f.Name)
			for _, v := range values {
				seen[f.Name] = true
				if !strings.Contains(f.Usage, v) {
					t.Errorf("%s --%s offers %q, which its help does not name: %q", c.Name, f.Name, v, f.Usage)
				}
			}
		})
	}
	for _, name := range []string{"workload", "model", "models", "backend", "start-method"} {
		if !seen[name] {
			t.Errorf("no command has a flag --%s with choices", name)
		}
	}
	if values, list := Choices("models"); !list || !slices.Contains(values, "threads") {
		t.Errorf("Choices(models) = %q, %v; want the models, comma-separated", values, list)
	}
	if !Repeatable(Commands()[2].Flags.Lookup("node")) || Repeatable(Commands()[0].Flags.Lookup("workload")) {
		t.Error("Repeatable: want record --node repeatable and run --workload not")
	}
}

func TestVersionLine(t *testing.T) {
	defer func(v string) { Version = v }(Version)
	Version = "1.2.3"
	build := func(settings ...string) *debug.BuildInfo {
		info := &debug.BuildInfo{}
		for i := 0; i < len(settings); i += 2 {
			info.Settings = append(info.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return info
	}
	for _, c := range []struct {
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{build("vcs", "git", "vcs.revision", "0123456789abcdef0123", "vcs.modified", "false"), true, "corescope 1.2.3 (commit 0123456789ab)"},
		{build("vcs.modified", "true", "vcs.revision", "0123456789abcdef0123"), true, "corescope 1.2.3 (commit 0123456789ab-dirty)"},
		{build("-trimpath", "true"), true, "corescope 1.2.3 (commit unknown)"},
		{nil, false, "corescope 1.2.3 (commit unknown)"},
	} {
		if got := versionLine(c.info, c.ok); got != c.want {
			t.Errorf("versionLine(%v) = %q; want %q", c.info, got, c.want)
		}
	}
	commit = "fedcba987654-dirty" // as make sets it, which wins
	defer func() { commit = "" }()
	if got := versionLine(build("vcs.revision", "0123456789abcdef0123"), true); got != "corescope 1.2.3 (commit fedcba987654-dirty)" {
		t.Errorf("versionLine with the commit make set = %q", got)
	}
	if code, out, _ := cli("--version"); code != ExitOK || out != "corescope 1.2.3 (commit fedcba987654-dirty)\n" {
		t.Errorf("corescope --version: exit %d, %q", code, out)
	}
}

func TestReleaseVersion(t *testing.T) {
	toml := "Website = \"x\"\n\n[Details]\n  Name = \"corescope\"\n  Version = \"0.4.1\"\n  Build = 3\n"
	if got := ReleaseVersion([]byte(toml)); got != "0.4.1" {
		t.Errorf("ReleaseVersion = %q; want 0.4.1", got)
	}
	if got := ReleaseVersion([]byte("[Details]\n  Name = \"corescope\"\n")); got != "" {
		t.Errorf("ReleaseVersion without a Version = %q; want \"\"", got)
	}
}
