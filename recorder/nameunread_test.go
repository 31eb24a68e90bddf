package recorder

import (
	"slices"
	"testing"

	"corescope/profile"
)

func TestNameUnread(t *testing.T) {
	threads := []profile.Thread{
		{PID: 10, TID: 10, Name: "python3", Process: "python3"}, // read by /proc
		{PID: 10, TID: 12},                 // a worker /proc missed
		{PID: 20, TID: 20},                 // a process /proc missed
		{PID: 30, TID: 30},                 // one no record names
		{PID: 40, TID: 41, Name: "pool-1"}, // /proc read the thread, not its process
	}
	kernel := map[int]string{10: "bash", 12: "worker", 20: "head", 40: "java"}
	nameUnread(threads, kernel)
	want := []profile.Thread{
		{PID: 10, TID: 10, Name: "python3", Process: "python3"},
		{PID: 10, TID: 12, Name: "worker", Process: "python3"},
		{PID: 20, TID: 20, Name: "head", Process: "head"},
		{PID: 30, TID: 30},
		{PID: 40, TID: 41, Name: "pool-1", Process: "java"},
	}
	if !slices.Equal(threads, want) {
		t.Errorf("nameUnread(…) = %+v; want %+v", threads, want)
	}
}
