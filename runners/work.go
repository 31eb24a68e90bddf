package runners

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"strconv"

	"corescope/spec"
)

// work is one task's job under a workload: an optional request to the site,
// then an optional computation. Every model runs tasks through it, so they
// all compute the same results.
type work struct {
	url    string
	iters  int64 // kernel iterations per task; 0 for the io workload
	client *http.Client
}

// newWork prepares the tasks of spec. inflight is how many requests the model
// keeps open at once, so that the client neither queues them nor keeps idle
// connections nobody will reuse.
func newWork(s spec.Spec, url string, inflight int) *work {
	w := &work{url: url}
	switch s.Workload {
	case spec.CPU:
		w.iters = itersFor(s.Size)
	case spec.Mixed:
		w.iters = itersFor(s.Size / 2)
	}
	if s.Workload != spec.CPU {
		w.client = &http.Client{Transport: &http.Transport{
			Proxy:               nil, // the site is on loopback; never go through a proxy
			MaxConnsPerHost:     inflight,
			MaxIdleConnsPerHost: inflight,
			DisableCompression:  true,
		}}
	}
	return w
}

// fetches says whether the tasks make a request.
func (w *work) fetches() bool { return w.client != nil }

// fetch makes the task's request and returns a digest of the body (its length
// and FNV-1a hash); 0 when the workload makes no request.
func (w *work) fetch(ctx context.Context, task int) (uint64, error) {
	if !w.fetches() {
		return 0, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, w.url+"/?task="+strconv.Itoa(task), nil)
	if err != nil {
		return 0, fmt.Errorf("task %d: bad site address: %w", task, err)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("task %d: request failed: %w", task, err)
	}
	defer resp.Body.Close()
	h := fnv.New64a()
	n, err := io.Copy(h, resp.Body)
	if err != nil {
		return 0, fmt.Errorf("task %d: reading the answer: %w", task, err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("task %d: the site answered %s", task, resp.Status)
	}
	return h.Sum64() + uint64(n)<<32, nil
}

// compute runs the task's computation, seeded by the digest of its request,
// and returns the task's result. check is the kernel's check hook.
func (w *work) compute(task int, digest uint64, check func()) uint64 {
	if w.iters == 0 {
		return digest
	}
	return digest + compute(taskSeed(task)^digest, w.iters, check)
}

// do runs the whole task on the calling goroutine.
func (w *work) do(ctx context.Context, task int, check func()) (uint64, error) {
	digest, err := w.fetch(ctx, task)
	if err != nil {
		return 0, err
	}
	return w.compute(task, digest, check), nil
}

// close drops the client's idle connections.
func (w *work) close() {
	if w.client != nil {
		w.client.CloseIdleConnections()
	}
}
