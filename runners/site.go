package runners

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// DefaultBodyBytes is the size of the site's answer to a task's request.
const DefaultBodyBytes = 16 << 10

// Site is the loopback HTTP server that I/O workloads request: real sockets
// and a fixed latency, no internet and no sleeps pretending to be I/O.
type Site struct {
	// URL is the site's base address, such as http://127.0.0.1:40123.
	URL string

	srv     *http.Server
	latency time.Duration
	body    []byte
	served  chan error

	closeOnce sync.Once
	closeErr  error
}

// StartSite serves on 127.0.0.1 at a random port. Each request waits latency,
// on a timer, then answers bodyBytes bytes; ?task=N picks a deterministic
// variant of the body so that every task's answer differs.
func StartSite(latency time.Duration, bodyBytes int) (*Site, error) {
	if latency < 0 {
		return nil, fmt.Errorf("site latency %v is negative", latency)
	}
	if bodyBytes < 1 {
		return nil, fmt.Errorf("site body size %d: use at least 1 byte", bodyBytes)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("cannot start the loopback site: %w", err)
	}
	s := &Site{
		URL:     "http://" + ln.Addr().String(),
		latency: latency,
		body:    siteBody(bodyBytes),
		served:  make(chan error, 1),
	}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { s.served <- s.srv.Serve(ln) }()
	return s, nil
}

// siteBody is printable pseudo-random text, the same on every run.
func siteBody(n int) []byte {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \n"
	b := make([]byte, n)
	x := uint64(1)
	for i := range b {
		x = splitmix(x)
		b[i] = alphabet[x%uint64(len(alphabet))]
	}
	return b
}

// ServeHTTP answers one task after the site's latency: the body rotated by an
// offset that depends on the task.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	task := 0
	if v := r.URL.Query().Get("task"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			http.Error(w, "task must be a non-negative integer", http.StatusBadRequest)
			return
		}
		task = n
	}
	if s.latency > 0 {
		t := time.NewTimer(s.latency)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
	}
	cut := int(splitmix(uint64(task)) % uint64(len(s.body)))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(s.body)))
	w.Write(s.body[cut:])
	w.Write(s.body[:cut])
}

// Close stops the site and its open connections. Calling it again returns
// the first call's result.
func (s *Site) Close() error {
	s.closeOnce.Do(func() {
		err := s.srv.Close()
		if served := <-s.served; !errors.Is(served, http.ErrServerClosed) && err == nil {
			err = served
		}
		if err != nil {
			s.closeErr = fmt.Errorf("closing the loopback site: %w", err)
		}
	})
	return s.closeErr
}
