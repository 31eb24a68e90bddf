package runners

import (
	"strings"
	"testing"
)

func TestParseRepeatAndWarmup(t *testing.T) {
	for _, tt := range []struct {
		text string
		want int
		err  string
	}{
		{"", 3, ""}, {"1", 1, ""}, {" 5 ", 5, ""}, {"100", 100, ""},
		{"0", 0, "repeat: 0 is not allowed; use 1..100"},
		{"101", 0, "repeat: 101 is not allowed; use 1..100"},
		{"many", 0, `repeat: "many" is not allowed; give a whole number`},
	} {
		got, err := ParseRepeat(tt.text, 3)
		if got != tt.want || (err == nil) != (tt.err == "") || err != nil && !strings.HasPrefix(err.Error(), tt.err) {
			t.Errorf("ParseRepeat(%q) = %d, %v; want %d, %q", tt.text, got, err, tt.want, tt.err)
		}
	}
	for _, tt := range []struct {
		text string
		want int
		err  string
	}{
		{"", 0, ""}, {"0", 0, ""}, {"10", 10, ""},
		{"11", 0, `warmup: "11" is not allowed; use a whole number, 0..10`},
		{"-1", 0, `warmup: "-1" is not allowed`},
	} {
		got, err := ParseWarmup(tt.text)
		if got != tt.want || (err == nil) != (tt.err == "") || err != nil && !strings.HasPrefix(err.Error(), tt.err) {
			t.Errorf("ParseWarmup(%q) = %d, %v; want %d, %q", tt.text, got, err, tt.want, tt.err)
		}
	}
}
