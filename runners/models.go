package runners

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"corescope/spec"
)

// job is one run of the worker: what to run, where the site is, and where its
// events and its children's messages go.
type job struct {
	spec   spec.Spec
	url    string
	out    *eventWriter
	stderr io.Writer
}

// outcome is what a model reports once every task is done.
type outcome struct {
	sum uint64    // the checksum: the sum of every task's result, in any order
	gil *GILStats // the threads model's GIL totals
}

// run runs the job's model to the end, or until ctx is done or a task fails.
func (j *job) run(ctx context.Context) (outcome, error) {
	switch j.spec.Model {
	case spec.Sequential:
		return j.sequential(ctx)
	case spec.Threads:
		return j.threads(ctx)
	case spec.Async:
		return j.async(ctx)
	case spec.Processes:
		return j.processes(ctx)
	case spec.Goroutines:
		return j.goroutines(ctx)
	}
	return outcome{}, fmt.Errorf("model %q is not one of %s", j.spec.Model, spec.Names(spec.Models))
}

// sequential runs the tasks one after another on one OS thread, with Go
// itself limited to one thread of user code.
func (j *job) sequential(ctx context.Context) (outcome, error) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	w := newWork(j.spec, j.url, 1)
	defer w.close()
	var sum uint64
	for task := range j.spec.Tasks {
		if err := ctx.Err(); err != nil {
			return outcome{}, err
		}
		j.out.task(spec.EvTaskStart, task, 0)
		v, err := w.do(ctx, task, nil)
		if err != nil {
			return outcome{}, err
		}
		j.out.task(spec.EvTaskEnd, task, 0)
		sum += v
	}
	return outcome{sum: sum}, nil
}

// threads runs a pool of W OS threads that share a GIL, like CPython's
// ThreadPoolExecutor: a thread holds the GIL for its task's CPU work, hands it
// over at the switch interval when another thread waits, and releases it
// around the request. GOMAXPROCS leaves room for every thread, so that the
// GIL, not Go's scheduler, is what serialises them.
func (j *job) threads(ctx context.Context) (outcome, error) {
	n := j.spec.Workers
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(n + 1))
	w := newWork(j.spec, j.url, n)
	defer w.close()
	gil := NewGIL(j.spec.SwitchInterval.D())
	q := newTaskQueue(j.spec.Tasks)
	var sum atomic.Uint64
	err := forEachWorker(ctx, n, func(ctx context.Context, worker int) error {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		for task, ok := q.take(); ok && ctx.Err() == nil; task, ok = q.take() {
			gil.Acquire()
			j.out.task(spec.EvTaskStart, task, worker)
			var digest uint64
			if w.fetches() {
				gil.Release() // blocking I/O runs without the GIL
				d, err := w.fetch(ctx, task)
				if err != nil {
					return err
				}
				digest = d
				gil.Acquire()
			}
			sum.Add(w.compute(task, digest, gil.yieldCheck))
			j.out.task(spec.EvTaskEnd, task, worker)
			gil.Release()
		}
		return ctx.Err()
	})
	stats := gil.Stats()
	return outcome{sum: sum.Load(), gil: &stats}, err
}

// async runs every task's code on one event-loop OS thread. A task runs until
// it awaits its request and is never preempted; the requests go out at once
// (at most Workers tasks in flight, as the Python script's semaphore allows;
// the default is every task) and wait in the runtime's network poller (Go's
// epoll) off the loop, and their completions come back to the loop's queue.
// So the CPU parts of the tasks never overlap in time. GOMAXPROCS 2 gives the
// loop one P and the network side another, as the kernel does for a Python
// process.
func (j *job) async(ctx context.Context) (outcome, error) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // abandons requests still in flight after a failure
	n := j.spec.Tasks
	w := newWork(j.spec, j.url, n)
	defer w.close()

	type step struct {
		task    int
		resumed bool // the task's request completed
		digest  uint64
		err     error
	}
	ready := make([]step, 0, n)
	next := min(max(j.spec.Workers, 1), n) // the first task not yet started
	for task := range next {
		ready = append(ready, step{task: task})
	}
	completions := make(chan step, n) // never blocks a request goroutine
	var sum uint64
	for done := 0; done < n; {
		if len(ready) == 0 {
			select {
			case s := <-completions:
				ready = append(ready, s)
			case <-ctx.Done():
				return outcome{}, ctx.Err()
			}
		}
		s := ready[0]
		ready = ready[1:]
		if !s.resumed {
			j.out.task(spec.EvTaskStart, s.task, 0)
			if w.fetches() {
				go func(s step) {
					s.digest, s.err = w.fetch(ctx, s.task)
					s.resumed = true
					completions <- s
				}(s)
				continue
			}
		}
		if s.err != nil {
			return outcome{}, s.err
		}
		sum += w.compute(s.task, s.digest, nil)
		j.out.task(spec.EvTaskEnd, s.task, 0)
		done++
		if next < n { // a task ended: the next may start
			ready = append(ready, step{task: next})
			next++
		}
	}
	return outcome{sum: sum}, nil
}

// goroutines runs a pool of W goroutines on as many threads as there are
// cores, with no lock: Go's own answer. DefaultWorkers makes the pool as big as
// the task count for the io and mixed workloads, so that every request is in
// flight at once, as under async.
func (j *job) goroutines(ctx context.Context) (outcome, error) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(runtime.NumCPU()))
	n := j.spec.Workers
	w := newWork(j.spec, j.url, n)
	defer w.close()
	q := newTaskQueue(j.spec.Tasks)
	var sum atomic.Uint64
	err := forEachWorker(ctx, n, func(ctx context.Context, worker int) error {
		for task, ok := q.take(); ok && ctx.Err() == nil; task, ok = q.take() {
			j.out.task(spec.EvTaskStart, task, worker)
			v, err := w.do(ctx, task, nil)
			if err != nil {
				return err
			}
			j.out.task(spec.EvTaskEnd, task, worker)
			sum.Add(v)
		}
		return ctx.Err()
	})
	return outcome{sum: sum.Load()}, err
}

// taskQueue hands out the task ids 0..n-1, each once, to any number of workers.
type taskQueue struct {
	next atomic.Int64
	n    int64
}

func newTaskQueue(n int) *taskQueue { return &taskQueue{n: int64(n)} }

// take returns the next task id; ok is false when none are left.
func (q *taskQueue) take() (task int, ok bool) {
	t := q.next.Add(1) - 1
	return int(t), t < q.n
}

// forEachWorker runs fn for workers 0..n-1 on their own goroutines and waits
// for all of them. The first error cancels the others' ctx and is returned.
func forEachWorker(ctx context.Context, n int, fn func(ctx context.Context, worker int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	for worker := range n {
		wg.Go(func() {
			if err := fn(ctx, worker); err != nil {
				cancel(err)
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx)
}
