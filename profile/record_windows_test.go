package profile

import (
	"context"
	"errors"
	"testing"

	"corescope/runners"
)

func TestRecordRefusedOnWindows(t *testing.T) {
	spec := resolved(runners.Spec{Backend: runners.BackendCommand, Command: []string{"cmd", "/c", "exit"}})
	p, err := Record(context.Background(), spec, Options{})
	if !errors.Is(err, ErrUnsupported) || p != nil {
		t.Errorf("Record = %v, %v; want no profile and ErrUnsupported", p, err)
	}
}
