package recorder

import (
	"context"
	"errors"
	"testing"

	"corescope/spec"
)

func TestRecordRefusedOnWindows(t *testing.T) {
	s := resolved(spec.Spec{Backend: spec.BackendCommand, Command: []string{"cmd", "/c", "exit"}})
	p, err := Record(context.Background(), s, Options{})
	if !errors.Is(err, ErrUnsupported) || p != nil {
		t.Errorf("Record = %v, %v; want no profile and ErrUnsupported", p, err)
	}
}
