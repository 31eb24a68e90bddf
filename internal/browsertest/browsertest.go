package browsertest

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Flags are Chromium's headless flags here: no sandbox (the tests may run
// as root), no GPU, and nothing that reaches for the network, which this
// machine closes (each refused connection would be logged).
var Flags = []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-default-apps", "--mute-audio", "--hide-scrollbars"}

// Find is the Chromium to run: $CORESCOPE_CHROMIUM, else chromium (or
// chromium-browser, google-chrome) in PATH; "" when there is none.
func Find() string {
	if p := os.Getenv("CORESCOPE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser is a headless Chromium driven over the DevTools protocol on a
// pipe (--remote-debugging-pipe): JSON messages ended by a NUL byte, on
// file descriptors 3 (to it) and 4 (from it). No port, no websocket.
type Browser struct {
	cmd     *exec.Cmd
	dir     string
	to      *os.File // the browser reads it
	from    *os.File // the browser writes it
	mu      sync.Mutex
	next    int
	pending map[int]chan message
	onEvent map[string][]func(json.RawMessage) // by session + method
	done    chan struct{}
}

// message is one message of the protocol: a reply (ID) or an event.
type message struct {
	ID        int             `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// Start starts chromium headless with a fresh profile folder, which Close
// removes.
func Start(chromium string) (*Browser, error) {
	dir, err := os.MkdirTemp("", "corescope-chromium-")
	if err != nil {
		return nil, err
	}
	toR, toW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	fromR, fromW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	args := append(append([]string(nil), Flags...), "--user-data-dir="+dir, "--remote-debugging-pipe", "about:blank")
	cmd := exec.Command(chromium, args...)
	cmd.ExtraFiles = []*os.File{toR, fromW} // fds 3 and 4
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("cannot start %s: %w", chromium, err)
	}
	toR.Close()
	fromW.Close()
	b := &Browser{cmd: cmd, dir: dir, to: toW, from: fromR, pending: map[int]chan message{},
		onEvent: map[string][]func(json.RawMessage){}, done: make(chan struct{})}
	go b.read()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := b.Call(ctx, "", "Browser.getVersion", nil, nil); err != nil {
		b.Close()
		return nil, fmt.Errorf("%s does not answer: %w; its stderr: %s", chromium, err, stderr.String())
	}
	return b, nil
}

// read hands each reply to its caller and each event to its handlers,
// until the browser closes the pipe.
func (b *Browser) read() {
	defer close(b.done)
	r := bufio.NewReaderSize(b.from, 1<<20)
	for {
		line, err := r.ReadBytes(0)
		if err != nil {
			b.mu.Lock()
			for id, ch := range b.pending {
				close(ch)
				delete(b.pending, id)
			}
			b.mu.Unlock()
			return
		}
		var m message
		if json.Unmarshal(line[:len(line)-1], &m) != nil {
			continue
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch, ok := b.pending[m.ID]; ok {
				ch <- m
				delete(b.pending, m.ID)
			}
		}
		handlers := b.onEvent[m.SessionID+" "+m.Method]
		b.mu.Unlock()
		for _, h := range handlers {
			h(m.Params)
		}
	}
}

// Call sends method with params to session ("" the browser) and decodes
// its result into result (nil: ignored).
func (b *Browser) Call(ctx context.Context, session, method string, params, result any) error {
	b.mu.Lock()
	b.next++
	id := b.next
	ch := make(chan message, 1)
	b.pending[id] = ch
	b.mu.Unlock()
	req := map[string]any{"id": id, "method": method}
	if params != nil {
		req["params"] = params
	}
	if session != "" {
		req["sessionId"] = session
	}
	data, err := json.Marshal(req)
	if err != nil {
		return err
	}
	if _, err := b.to.Write(append(data, 0)); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case m, ok := <-ch:
		switch {
		case !ok:
			return fmt.Errorf("%s: the browser closed", method)
		case m.Error != nil:
			return fmt.Errorf("%s: %s (%d)", method, m.Error.Message, m.Error.Code)
		case result != nil:
			return json.Unmarshal(m.Result, result)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// on calls f with the params of each event method of session.
func (b *Browser) on(session, method string, f func(json.RawMessage)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.onEvent[session+" "+method] = append(b.onEvent[session+" "+method], f)
}

// Close asks the browser to close, which ends its renderers with it, and
// kills it when it has not within 5 s; then it removes its profile folder.
func (b *Browser) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b.Call(ctx, "", "Browser.close", nil, nil)
	exited := make(chan struct{})
	go func() { b.cmd.Wait(); close(exited) }()
	select {
	case <-exited:
	case <-ctx.Done():
		b.cmd.Process.Kill()
		<-exited
	}
	b.to.Close()
	<-b.done
	b.from.Close()
	os.RemoveAll(b.dir)
}

// Page is one tab.
type Page struct {
	b       *Browser
	session string
	target  string
	loaded  chan struct{}
	mu      sync.Mutex
	logs    []string // errors and warnings it logged, exceptions it threw
	fetched []string // URLs it requested
}

// Open opens url in a new tab of width x height CSS pixels at one device
// pixel a CSS pixel, and waits for its load event.
func (b *Browser) Open(ctx context.Context, url string, width, height int) (*Page, error) {
	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := b.Call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return nil, err
	}
	var att struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.Call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att); err != nil {
		return nil, err
	}
	p := &Page{b: b, session: att.SessionID, target: target.TargetID, loaded: make(chan struct{}, 1)}
	b.on(p.session, "Page.loadEventFired", func(json.RawMessage) {
		select {
		case p.loaded <- struct{}{}:
		default:
		}
	})
	b.on(p.session, "Runtime.exceptionThrown", func(raw json.RawMessage) { p.log(&p.logs, "exception: "+string(raw)) })
	b.on(p.session, "Runtime.consoleAPICalled", func(raw json.RawMessage) {
		var ev struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(raw, &ev) == nil && (ev.Type == "error" || ev.Type == "warning" || ev.Type == "assert") {
			p.log(&p.logs, "console."+ev.Type+": "+string(raw))
		}
	})
	b.on(p.session, "Log.entryAdded", func(raw json.RawMessage) {
		var ev struct {
			Entry struct {
				Level string `json:"level"`
				Text  string `json:"text"`
				URL   string `json:"url"`
			} `json:"entry"`
		}
		if json.Unmarshal(raw, &ev) == nil && (ev.Entry.Level == "error" || ev.Entry.Level == "warning") {
			p.log(&p.logs, "log."+ev.Entry.Level+": "+ev.Entry.Text+" "+ev.Entry.URL)
		}
	})
	b.on(p.session, "Network.requestWillBeSent", func(raw json.RawMessage) {
		var ev struct {
			Request struct {
				URL string `json:"url"`
			} `json:"request"`
		}
		if json.Unmarshal(raw, &ev) == nil {
			p.log(&p.fetched, ev.Request.URL)
		}
	})
	for _, m := range []string{"Page.enable", "Runtime.enable", "Log.enable", "Network.enable"} {
		if err := b.Call(ctx, p.session, m, nil, nil); err != nil {
			return nil, err
		}
	}
	if err := b.Call(ctx, p.session, "Emulation.setDeviceMetricsOverride",
		map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}, nil); err != nil {
		return nil, err
	}
	var nav struct {
		ErrorText string `json:"errorText"`
	}
	if err := b.Call(ctx, p.session, "Page.navigate", map[string]any{"url": url}, &nav); err != nil {
		return nil, err
	}
	if nav.ErrorText != "" {
		return nil, fmt.Errorf("cannot open %s: %s", url, nav.ErrorText)
	}
	select {
	case <-p.loaded:
		return p, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("%s did not load: %w", url, ctx.Err())
	}
}

// log appends s to list, one of p's.
func (p *Page) log(list *[]string, s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	*list = append(*list, s)
}

// Problems are the errors and warnings the page logged and the
// exceptions it threw, so far.
func (p *Page) Problems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.logs...)
}

// Fetched are the URLs the page requested, so far: itself and everything
// it loaded.
func (p *Page) Fetched() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.fetched...)
}

// Close closes the tab.
func (p *Page) Close(ctx context.Context) error {
	return p.b.Call(ctx, "", "Target.closeTarget", map[string]any{"targetId": p.target}, nil)
}

// Eval evaluates the JavaScript expression expr in the page (awaiting a
// promise) and decodes its value into out (nil: ignored).
func (p *Page) Eval(ctx context.Context, expr string, out any) error {
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	err := p.b.Call(ctx, p.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &res)
	switch {
	case err != nil:
		return err
	case res.ExceptionDetails != nil:
		return fmt.Errorf("%s: %s %s", expr, res.ExceptionDetails.Text, res.ExceptionDetails.Exception.Description)
	case out != nil && len(res.Result.Value) > 0:
		return json.Unmarshal(res.Result.Value, out)
	}
	return nil
}

// Wait evaluates expr until it is true, or ctx ends.
func (p *Page) Wait(ctx context.Context, expr string) error {
	for {
		var ok bool
		if err := p.Eval(ctx, "!!("+expr+")", &ok); err != nil {
			return err
		}
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", expr, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Mouse sends a mouse event of kind (mouseMoved, mousePressed,
// mouseReleased, mouseWheel) at x, y CSS pixels of the viewport; a wheel
// scrolls by deltaY.
func (p *Page) Mouse(ctx context.Context, kind string, x, y, deltaY float64) error {
	params := map[string]any{"type": kind, "x": x, "y": y}
	switch kind {
	case "mouseWheel":
		params["deltaX"], params["deltaY"] = 0, deltaY
	case "mousePressed", "mouseReleased":
		params["button"], params["clickCount"] = "left", 1
	}
	return p.b.Call(ctx, p.session, "Input.dispatchMouseEvent", params, nil)
}

// Key types key (a DOM key value: "+", "ArrowLeft") as a key press.
func (p *Page) Key(ctx context.Context, key string) error {
	for _, kind := range []string{"keyDown", "keyUp"} {
		params := map[string]any{"type": kind, "key": key}
		if len([]rune(key)) == 1 && kind == "keyDown" {
			params["text"] = key
		}
		if err := p.b.Call(ctx, p.session, "Input.dispatchKeyEvent", params, nil); err != nil {
			return err
		}
	}
	return nil
}

// Screenshot is the page as a PNG, the whole page when full, else the
// viewport.
func (p *Page) Screenshot(ctx context.Context, full bool) ([]byte, error) {
	var shot struct {
		Data string `json:"data"`
	}
	params := map[string]any{"format": "png", "captureBeyondViewport": full}
	if err := p.b.Call(ctx, p.session, "Page.captureScreenshot", params, &shot); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(shot.Data)
}

// ErrNoChromium says that no Chromium was found (see Find).
var ErrNoChromium = errors.New("no chromium: install Debian's chromium package (make deps does) or set CORESCOPE_CHROMIUM")
