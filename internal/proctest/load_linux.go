package proctest

import (
	"bytes"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// WatchLoad starts measuring the machine and the tree of processes under
// pid (0 for the machine only); the function it returns stops and says
// what was measured.
func WatchLoad(t testing.TB, pid int) func() Load {
	t.Helper()
	busy0, total0 := machineTicks(t)
	stop, done := make(chan struct{}), make(chan struct{})
	var runnable, samples int
	var mu sync.Mutex
	go func() {
		defer close(done)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			if pid > 0 {
				n, ok := runnableIn(pid)
				mu.Lock()
				if ok {
					runnable, samples = runnable+n, samples+1
				}
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	return func() Load {
		close(stop)
		<-done
		busy1, total1 := machineTicks(t)
		mu.Lock()
		defer mu.Unlock()
		l := Load{Samples: samples}
		if total1 > total0 {
			l.Busy = float64(busy1-busy0) / float64(total1-total0) * float64(cpuLines(t))
		}
		if samples > 0 {
			l.Runnable = float64(runnable) / float64(samples)
		}
		return l
	}
}

// machineTicks is the busy and the total time of every core so far, in
// clock ticks, from /proc/stat's first line.
func machineTicks(t testing.TB) (busy, total int64) {
	t.Helper()
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		t.Fatal(err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal guest guest_nice
	if len(f) < 9 || f[0] != "cpu" {
		t.Fatalf("/proc/stat starts %q; want cpu and at least 8 counters", line)
	}
	for i, s := range f[1:9] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("/proc/stat: %q: %v", line, err)
		}
		total += n
		if i != 3 && i != 4 { // idle, iowait
			busy += n
		}
	}
	return busy, total
}

// cpuLines is how many cores /proc/stat counts.
func cpuLines(t testing.TB) int {
	t.Helper()
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(b, []byte("\ncpu"))
}

// runnableIn counts the threads of pid and its descendants in state R;
// false when pid has gone.
func runnableIn(pid int) (int, bool) {
	n, seen := 0, false
	walkTree(pid, func(p int, tasks []string) {
		seen = true
		for _, task := range tasks {
			stat, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/task/" + task + "/stat")
			if err != nil {
				continue
			}
			// The state follows the command name, which is in parentheses.
			if rest := stat[bytes.LastIndexByte(stat, ')')+1:]; bytes.HasPrefix(bytes.TrimSpace(rest), []byte("R")) {
				n++
			}
		}
	})
	return n, seen
}

// walkTree calls visit with pid and each of its descendants, and the ids of
// its threads, reading each thread's children from /proc. A process that
// ends meanwhile is left out.
func walkTree(pid int, visit func(pid int, tasks []string)) {
	for todo := []int{pid}; len(todo) > 0; {
		p := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		dir := "/proc/" + strconv.Itoa(p) + "/task/"
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		tasks := make([]string, len(entries))
		for i, e := range entries {
			tasks[i] = e.Name()
			children, _ := os.ReadFile(dir + e.Name() + "/children")
			for _, c := range strings.Fields(string(children)) {
				if child, err := strconv.Atoi(c); err == nil {
					todo = append(todo, child)
				}
			}
		}
		visit(p, tasks)
	}
}

// WatchPrograms starts noting, every 5 ms, the programs (their kernel
// names, as in /proc/PID/comm) that pid's descendants run; the function it
// returns stops and lists them, each once.
func WatchPrograms(t testing.TB, pid int) func() []string {
	t.Helper()
	seen := map[string]bool{}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			walkTree(pid, func(p int, _ []string) {
				if comm, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/comm"); err == nil && p != pid {
					seen[strings.TrimSpace(string(comm))] = true
				}
			})
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	return func() []string {
		close(stop)
		<-done
		return slices.Sorted(maps.Keys(seen))
	}
}
