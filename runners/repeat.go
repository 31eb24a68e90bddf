package runners

import (
	"fmt"
	"strconv"
	"strings"

	"corescope/spec"
)

// ParseRepeat reads --repeat (or the window's Repeat field) as typed: how
// many times each run is measured, 1..spec.MaxRepeat; empty gives def. A
// bad value is a *spec.FieldError naming the field "repeat".
func ParseRepeat(text string, def int) (int, error) {
	return parseCount("repeat", text, def, spec.MaxRepeat, false)
}

// ParseWarmup reads --warmup as typed: how many runs of each spec go before
// the measured ones, recorded but left out of the figures, 0..spec.MaxWarmup;
// empty gives 0.
func ParseWarmup(text string) (int, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(text)
	if err != nil || n < 0 || n > spec.MaxWarmup {
		return 0, &spec.FieldError{Field: "warmup", Value: strconv.Quote(text), Allowed: fmt.Sprintf("use a whole number, 0..%d", spec.MaxWarmup)}
	}
	return n, nil
}
