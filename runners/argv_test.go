package runners

import (
	"slices"
	"testing"
)

func TestSplitArgs(t *testing.T) {
	tests := []struct {
		line string
		want []string
		bad  bool
	}{
		{line: "", want: nil},
		{line: "  sleep   1 ", want: []string{"sleep", "1"}},
		{line: `sh -c 'echo "hi there"'`, want: []string{"sh", "-c", `echo "hi there"`}},
		{line: `a "b c" d`, want: []string{"a", "b c", "d"}},
		{line: `a "x\"y\\z\n"`, want: []string{"a", `x"y\z\n`}},
		{line: `a\ b c`, want: []string{"a b", "c"}},
		{line: `''`, want: []string{""}},
		{line: `a'b'"c"`, want: []string{"abc"}},
		{line: `echo 'oops`, bad: true},
		{line: `echo "oops`, bad: true},
		{line: `echo \`, bad: true},
	}
	for _, tt := range tests {
		got, err := SplitArgs(tt.line)
		if tt.bad {
			if err == nil {
				t.Errorf("SplitArgs(%q) = %q, nil; want an error", tt.line, got)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("SplitArgs(%q) = %q, %v; want %q, nil", tt.line, got, err, tt.want)
		}
	}
}
