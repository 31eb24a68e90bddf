package report

import (
	"testing"

	"corescope/profile"
)

func TestThreadName(t *testing.T) {
	tests := []struct {
		t    profile.Thread
		want string
	}{
		{profile.Thread{PID: 5, TID: 6, Name: "worker", Process: "python3"}, "python3/worker [6]"},
		{profile.Thread{PID: 5, TID: 5, Name: "python3", Process: "python3"}, "python3 [5]"},
		{profile.Thread{PID: 5, TID: 6, Process: "python3"}, "python3 [6]"},
		{profile.Thread{PID: 7945, TID: 7945}, "pid 7945"},
		{profile.Thread{PID: 7945, TID: 7950}, "pid 7945 [7950]"},
	}
	for _, tt := range tests {
		if got := threadName(tt.t); got != tt.want {
			t.Errorf("threadName(%+v) = %q; want %q", tt.t, got, tt.want)
		}
	}
}
