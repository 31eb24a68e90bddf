package runners

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

// fetchBody GETs url and returns the body of a 200 answer.
func fetchBody(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return b, fmt.Errorf("status %s", resp.Status)
	}
	return b, nil
}

func TestSite(t *testing.T) {
	const latency, size = 40 * time.Millisecond, 1000
	s, err := StartSite(latency, size)
	if err != nil {
		t.Fatalf("StartSite = %v", err)
	}
	defer s.Close()

	start := time.Now()
	a, err := fetchBody(s.URL + "/?task=3")
	if err != nil {
		t.Fatalf("GET task 3: %v", err)
	}
	if d := time.Since(start); d < latency {
		t.Errorf("the site answered after %v; want at least its latency %v", d, latency)
	}
	if len(a) != size {
		t.Errorf("len(body) = %d; want %d", len(a), size)
	}
	again, _ := fetchBody(s.URL + "/?task=3")
	if !bytes.Equal(a, again) {
		t.Error("two answers for task 3 differ; want the same body")
	}
	other, _ := fetchBody(s.URL + "/?task=4")
	if bytes.Equal(a, other) {
		t.Error("tasks 3 and 4 got the same body; want them to differ")
	}
	if _, err := fetchBody(s.URL + "/?task=x"); err == nil {
		t.Error("GET ?task=x succeeded; want 400")
	}
}

func TestStartSiteRejects(t *testing.T) {
	tests := []struct {
		latency time.Duration
		body    int
	}{
		{-time.Millisecond, 10},
		{time.Millisecond, 0},
	}
	for _, tt := range tests {
		if s, err := StartSite(tt.latency, tt.body); err == nil {
			s.Close()
			t.Errorf("StartSite(%v, %d) = nil error; want one", tt.latency, tt.body)
		}
	}
}
