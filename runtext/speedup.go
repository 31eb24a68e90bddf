package runtext

import (
	"fmt"

	"corescope/diagnosis"
	"corescope/profile"
)

// speedupClause words the speedup of findings f for run p's verdict:
// faster, slower or no faster than its baseline. With repeats, a speedup
// whose range over them straddles 1 is neither: the repeats disagree on
// which was faster.
func speedupClause(p *profile.Profile, f diagnosis.Findings) string {
	x, r := *f.Speedup, p.Summary.SpeedupRange
	over := ""
	if r != nil {
		over = fmt.Sprintf(", %.2f–%.2fx over the repeats", r.Low(), r.High())
	}
	switch {
	case r != nil && r.Straddles(1) && (x >= 1.1 || x <= 0.9):
		return fmt.Sprintf("; neither faster nor slower than %s for sure (%.2fx%s)", f.Baseline, x, over)
	case x >= 1.1:
		return fmt.Sprintf("; %.2fx faster than %s%s", x, f.Baseline, paren(over))
	case x <= 0.9:
		return fmt.Sprintf("; %.2fx %s's speed: slower%s", x, f.Baseline, paren(over))
	}
	return fmt.Sprintf("; no faster than %s (%.2fx%s)", f.Baseline, x, over)
}

// paren is ", text" as " (text)", "" for "".
func paren(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s[2:] + ")"
}
