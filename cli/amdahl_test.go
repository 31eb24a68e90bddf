package cli

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"corescope/spec"
)

// amdahlEnv makes the test binary a subject of Amdahl's law (see
// amdahlSubject) instead of running the tests.
const amdahlEnv = "CORESCOPE_TEST_AMDAHL"

// amdahlSubject sleeps a serial part, then runs a pool of as many
// goroutines as CORESCOPE_WORKERS says (args: the same count, the serial
// seconds, and each task's), 8 tasks each a sleep, reporting each task's
// start and end: Amdahl's law exactly, whatever load other programs make,
// since no part of it needs a core for more than a few milliseconds.
func amdahlSubject(args []string) int {
	workers, err := strconv.Atoi(os.Getenv(spec.WorkersVariable))
	if err != nil || len(args) != 3 || args[0] != strconv.Itoa(workers) {
		fmt.Fprintf(os.Stderr, "amdahl subject: %s=%q, args %q: want the count in both\n", spec.WorkersVariable, os.Getenv(spec.WorkersVariable), args)
		return 2
	}
	serial, _ := time.ParseDuration(args[1])
	each, _ := time.ParseDuration(args[2])
	time.Sleep(serial)
	tasks := make(chan int, 8)
	for i := range 8 {
		tasks <- i
	}
	close(tasks)
	var mu sync.Mutex
	emit := func(ev string, task int) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Printf(`{"ev":%q,"task":%d,"worker":0,"t_ns":%d}`+"\n", ev, task, time.Now().UnixNano())
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range tasks {
				emit(spec.EvTaskStart, i)
				time.Sleep(each)
				emit(spec.EvTaskEnd, i)
			}
		})
	}
	wg.Wait()
	return 0
}
