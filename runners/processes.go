package runners

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync/atomic"

	"corescope/spec"
)

// The processes model's protocol: the parent writes one task id a line on a
// child's stdin; the child answers on its stdout with the task's events
// (which the parent relays to its own stdout) and then a result line,
// "result <task> <hex>". The child exits at the end of its stdin.

// processes runs a pool of W worker processes, like Python's
// multiprocessing.Pool: the parent starts this program W times as
// `worker --child`, hands each child one task at a time and adds up the
// results. The children stay in the parent's process group, so the profiler
// ends them with it, and on Linux die with the parent (dieWithParent).
func (j *job) processes(ctx context.Context) (outcome, error) {
	self, err := os.Executable()
	if err != nil {
		return outcome{}, fmt.Errorf("cannot find this program to start worker processes: %w", err)
	}
	q := newTaskQueue(j.spec.Tasks)
	var sum atomic.Uint64
	err = forEachWorker(ctx, j.spec.Workers, func(ctx context.Context, worker int) error {
		// Pdeathsig (Linux) fires when the thread that started the child
		// exits, so this goroutine keeps its thread until the child is gone.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		c, err := j.startChild(ctx, self, worker)
		if err != nil {
			return err
		}
		for task, ok := q.take(); ok && ctx.Err() == nil; task, ok = q.take() {
			v, err := c.do(task)
			if err != nil {
				return err
			}
			sum.Add(v)
		}
		return c.finish()
	})
	return outcome{sum: sum.Load()}, err
}

// child is the parent's end of one worker process.
type child struct {
	worker int
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  *bufio.Scanner
	out    *eventWriter
}

// startChild starts worker process number worker; ctx's end kills it.
func (j *job) startChild(ctx context.Context, self string, worker int) (*child, error) {
	args := append(workerArgv(j.spec, j.url), "--child", "--worker-id", strconv.Itoa(worker))
	cmd := exec.CommandContext(ctx, self, append([]string{"worker"}, args...)...)
	cmd.Stderr = j.stderr
	dieWithParent(cmd)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("cannot start worker process %d: %w", worker, err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("cannot start worker process %d: %w", worker, err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start worker process %d: %w", worker, err)
	}
	return &child{worker: worker, cmd: cmd, stdin: stdin, lines: bufio.NewScanner(stdout), out: j.out}, nil
}

// do has the child run task, relays its events and returns its result.
func (c *child) do(task int) (uint64, error) {
	if _, err := fmt.Fprintf(c.stdin, "%d\n", task); err != nil {
		return 0, c.died(task)
	}
	for c.lines.Scan() {
		line := c.lines.Bytes()
		if _, ok := spec.ParseEvent(line); ok {
			c.out.line(line)
			continue
		}
		got, v, err := parseResult(line)
		if err == nil && got != task {
			err = fmt.Errorf("answered task %d when asked for task %d", got, task)
		}
		if err != nil {
			c.cmd.Process.Kill()
			c.cmd.Wait()
			return 0, fmt.Errorf("worker process %d: %w", c.worker, err)
		}
		return v, nil
	}
	return 0, c.died(task)
}

// died waits for a child that stopped answering and says why it ended.
func (c *child) died(task int) error {
	c.stdin.Close()
	err := c.cmd.Wait()
	if err == nil {
		err = fmt.Errorf("it exited")
	}
	return fmt.Errorf("worker process %d ended during task %d: %w", c.worker, task, err)
}

// finish tells the child there are no more tasks and waits for it to exit.
func (c *child) finish() error {
	c.stdin.Close()
	for c.lines.Scan() {
		if _, ok := spec.ParseEvent(c.lines.Bytes()); ok {
			c.out.line(c.lines.Bytes())
		}
	}
	if err := c.cmd.Wait(); err != nil {
		return fmt.Errorf("worker process %d: %w", c.worker, err)
	}
	return nil
}

// parseResult reads a child's "result <task> <hex>" line.
func parseResult(line []byte) (task int, v uint64, err error) {
	f := bytes.Fields(line)
	if len(f) != 3 || string(f[0]) != "result" {
		return 0, 0, fmt.Errorf("unexpected output %q", line)
	}
	task, err = strconv.Atoi(string(f[1]))
	if err != nil {
		return 0, 0, fmt.Errorf("bad task id in %q: %w", line, err)
	}
	v, err = strconv.ParseUint(string(f[2]), 16, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("bad result in %q: %w", line, err)
	}
	return task, v, nil
}

// resultLine is the child's answer for a task.
func resultLine(task int, v uint64) []byte {
	return fmt.Appendf(nil, "result %d %x", task, v)
}

// child serves the processes model as worker process number worker: it runs
// the task ids it reads from in, one after another on one thread, and answers
// each on its stdout.
func (j *job) child(ctx context.Context, worker int, in io.Reader) error {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	w := newWork(j.spec, j.url, 1)
	defer w.close()
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		task, err := strconv.Atoi(sc.Text())
		if err != nil || task < 0 {
			return fmt.Errorf("worker process %d: bad task id %q from the parent", worker, sc.Text())
		}
		j.out.task(spec.EvTaskStart, task, worker)
		v, err := w.do(ctx, task, nil)
		if err != nil {
			return err
		}
		j.out.task(spec.EvTaskEnd, task, worker)
		j.out.line(resultLine(task, v))
	}
	return sc.Err()
}
