package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testToken = "test-token-0123456789abcdef"

func TestAccessPolicy(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		_, _ = w.Write(b)
	})
	tests := []struct {
		name     string
		listen   string
		token    string
		host     string
		header   map[string]string
		body     io.Reader
		length   int64 // -1: unknown (chunked)
		wantCode int
	}{
		{name: "loopback plain", listen: "127.0.0.1:8080", host: "127.0.0.1:8080", wantCode: 200},
		{name: "loopback localhost host", listen: "127.0.0.1:8080", host: "localhost:8080", wantCode: 200},
		{name: "loopback ipv6 host", listen: "127.0.0.1:8080", host: "[::1]:8080", wantCode: 200},
		{name: "foreign host on loopback", listen: "127.0.0.1:8080", host: "attacker.example:8080", wantCode: 403},
		{name: "rebinding host", listen: "localhost:8080", host: "localhost.attacker.example", wantCode: 403},
		{name: "foreign origin on loopback", listen: "127.0.0.1:8080", host: "127.0.0.1:8080", header: map[string]string{"Origin": "https://attacker.example"}, wantCode: 403},
		{name: "null origin", listen: "127.0.0.1:8080", host: "127.0.0.1:8080", header: map[string]string{"Origin": "null"}, wantCode: 403},
		{name: "file origin", listen: "127.0.0.1:8080", host: "127.0.0.1:8080", header: map[string]string{"Origin": "file://"}, wantCode: 403},
		{name: "local origin on loopback", listen: "127.0.0.1:8080", host: "127.0.0.1:8080", header: map[string]string{"Origin": "http://localhost:6274"}, wantCode: 200},
		{name: "remote any host", listen: "0.0.0.0:8080", token: testToken, host: "mcp.example.com", header: map[string]string{"Authorization": "Bearer " + testToken}, wantCode: 200},
		{name: "remote same origin", listen: "0.0.0.0:8080", token: testToken, host: "mcp.example.com", header: map[string]string{"Authorization": "Bearer " + testToken, "Origin": "https://mcp.example.com"}, wantCode: 200},
		{name: "remote cross origin", listen: "0.0.0.0:8080", token: testToken, host: "mcp.example.com", header: map[string]string{"Authorization": "Bearer " + testToken, "Origin": "https://attacker.example"}, wantCode: 403},
		{name: "missing token", listen: "0.0.0.0:8080", token: testToken, host: "mcp.example.com", wantCode: 401},
		{name: "wrong token", listen: "0.0.0.0:8080", token: testToken, host: "mcp.example.com", header: map[string]string{"Authorization": "Bearer " + testToken + "x"}, wantCode: 401},
		{name: "token prefix", listen: "0.0.0.0:8080", token: testToken, host: "mcp.example.com", header: map[string]string{"Authorization": "Bearer " + testToken[:10]}, wantCode: 401},
		{name: "basic scheme", listen: "0.0.0.0:8080", token: testToken, host: "mcp.example.com", header: map[string]string{"Authorization": "Basic " + testToken}, wantCode: 401},
		{name: "bearer lower case", listen: "0.0.0.0:8080", token: testToken, host: "mcp.example.com", header: map[string]string{"Authorization": "bearer " + testToken}, wantCode: 200},
		{name: "token on loopback too", listen: "127.0.0.1:8080", token: testToken, host: "127.0.0.1:8080", wantCode: 401},
		{name: "body at limit", listen: "127.0.0.1:8080", host: "127.0.0.1:8080", body: bytes.NewReader(make([]byte, 1024)), length: 1024, wantCode: 200},
		{name: "body over limit", listen: "127.0.0.1:8080", host: "127.0.0.1:8080", body: bytes.NewReader(make([]byte, 1025)), length: 1025, wantCode: 413},
		{name: "chunked body over limit", listen: "127.0.0.1:8080", host: "127.0.0.1:8080", body: io.LimitReader(zeros{}, 4096), length: -1, wantCode: 413},
		{name: "unauthenticated body not read", listen: "0.0.0.0:8080", token: testToken, host: "mcp.example.com", body: io.LimitReader(zeros{}, 4096), length: -1, wantCode: 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			policy := newAccessPolicy(tc.listen, tc.token, 1024)
			body := tc.body
			if body == nil {
				body = strings.NewReader(`{}`)
			}
			r := httptest.NewRequest(http.MethodPost, "/mcp", body)
			r.Host = tc.host
			if tc.length != 0 {
				r.ContentLength = tc.length
			}
			for k, v := range tc.header {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			policy.wrap(ok).ServeHTTP(w, r)
			assert.Equal(t, tc.wantCode, w.Code, w.Body.String())
			if tc.wantCode == 401 {
				assert.Equal(t, `Bearer realm="autotask-mcp"`, w.Header().Get("WWW-Authenticate"))
				assert.NotContains(t, w.Body.String(), testToken)
			}
		})
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// The tests below run the real binary.

func TestHTTPRefusesRemoteAddrWithoutToken(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ transport, addr string }{
		{"http", "0.0.0.0:0"},
		{"http", ":0"},
		{"sse", "[::]:0"},
	} {
		t.Run(tc.transport+" "+tc.addr, func(t *testing.T) {
			_, stderr, code := runBinary(t, testEnv(t), "", "--transport", tc.transport, "--addr", tc.addr)
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, stderr, "AUTOTASK_MCP_TOKEN")
			assert.NotContains(t, stderr, "serving MCP", "nothing was served")
		})
	}
}

const initializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`

// post sends one MCP message to url and returns the response, body read.
func post(t *testing.T, url string, body io.Reader, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, string(b)
}

func TestHTTPTransportSecurity(t *testing.T) {
	t.Parallel()
	type request struct {
		name     string
		header   map[string]string
		body     func() io.Reader
		wantCode int
	}
	initialize := func() io.Reader { return strings.NewReader(initializeBody) }
	auth := "Bearer " + testToken
	requests := []request{
		{name: "valid token", header: map[string]string{"Authorization": auth}, body: initialize, wantCode: 200},
		{name: "no token", body: initialize, wantCode: 401},
		{name: "wrong token", header: map[string]string{"Authorization": "Bearer wrong-token-0123456789"}, body: initialize, wantCode: 401},
		{name: "empty bearer", header: map[string]string{"Authorization": "Bearer "}, body: initialize, wantCode: 401},
		{name: "foreign host", header: map[string]string{"Authorization": auth, "Host": "attacker.example"}, body: initialize, wantCode: 403},
		{name: "foreign origin", header: map[string]string{"Authorization": auth, "Origin": "http://attacker.example"}, body: initialize, wantCode: 403},
		{name: "local origin", header: map[string]string{"Authorization": auth, "Origin": "http://localhost:6274"}, body: initialize, wantCode: 200},
		{name: "oversized body", header: map[string]string{"Authorization": auth}, body: func() io.Reader {
			return bytes.NewReader(bytes.Repeat([]byte(" "), int(defaultMaxBody)+1))
		}, wantCode: 413},
		{name: "oversized chunked body", header: map[string]string{"Authorization": auth}, body: func() io.Reader {
			return io.MultiReader(strings.NewReader(initializeBody), io.LimitReader(zeros{}, defaultMaxBody))
		}, wantCode: 413},
	}
	for _, tr := range []struct{ transport, path string }{{"http", mcpPath}, {"sse", messagePath + "?sessionId=x"}} {
		t.Run(tr.transport, func(t *testing.T) {
			t.Parallel()
			srv := startHTTPServer(t, testEnv(t, envToken+"="+testToken), tr.transport)
			for _, rq := range requests {
				t.Run(rq.name, func(t *testing.T) {
					want := rq.wantCode
					if tr.transport == "sse" && want == 200 {
						want = 400 // the policy let it through; the SSE session id is made up
					}
					resp, body := post(t, srv.Base+tr.path, rq.body(), rq.header)
					assert.Equal(t, want, resp.StatusCode, body)
					assert.NotContains(t, body, testToken)
				})
			}
			t.Run("sse stream needs token", func(t *testing.T) {
				if tr.transport != "sse" {
					t.Skip("sse only")
				}
				resp, err := http.Get(srv.Base + ssePath)
				require.NoError(t, err)
				resp.Body.Close()
				assert.Equal(t, 401, resp.StatusCode)
			})
			t.Run("health without token", func(t *testing.T) {
				resp, err := http.Get(srv.Base + healthPath)
				require.NoError(t, err)
				resp.Body.Close()
				assert.Equal(t, 200, resp.StatusCode)
			})
			assert.NotContains(t, srv.Stderr.String(), testToken, "the token never reaches the logs")
		})
	}
}

// TestHTTPRemoteAddrWithToken binds to every interface, which needs the token.
func TestHTTPRemoteAddrWithToken(t *testing.T) {
	t.Parallel()
	env := testEnv(t, envToken+"="+testToken)
	cmd := startHTTPServerAt(t, env, "0.0.0.0:0")
	_, port, err := net.SplitHostPort(strings.TrimPrefix(cmd.Base, "http://"))
	require.NoError(t, err)
	url := "http://127.0.0.1:" + port + mcpPath
	resp, _ := post(t, url, strings.NewReader(initializeBody), nil)
	assert.Equal(t, 401, resp.StatusCode)
	resp, _ = post(t, url, strings.NewReader(initializeBody), map[string]string{"Authorization": "Bearer " + testToken})
	assert.Equal(t, 200, resp.StatusCode)
}

func startHTTPServerAt(t *testing.T, env []string, addr string) *httpServer {
	t.Helper()
	srv := startHTTPServer(t, env, "http", "--addr", addr) // a later --addr wins
	return srv
}

// TestHTTPSessionsExpire opens sessions, abandons them, and requires every one to be
// gone (404: initialize again) once the idle TTL has passed.
func TestHTTPSessionsExpire(t *testing.T) {
	t.Parallel()
	// At debug level the transport logs each session it sweeps: the test waits for those
	// lines instead of sleeping for a guessed time.
	srv := startHTTPServer(t, testEnv(t), "http", "--session-ttl", "1s", "--log-level", "debug")
	const sessions = 100
	ids := make([]string, 0, sessions)
	for range sessions {
		resp, body := post(t, srv.URL, strings.NewReader(initializeBody), nil)
		require.Equal(t, 200, resp.StatusCode, body)
		id := resp.Header.Get("Mcp-Session-Id")
		require.NotEmpty(t, id)
		ids = append(ids, id)
	}
	list := func(id string) int {
		resp, _ := post(t, srv.URL, strings.NewReader(`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`),
			map[string]string{"Mcp-Session-Id": id, "Mcp-Protocol-Version": "2025-11-25"})
		return resp.StatusCode
	}
	require.Equal(t, 200, list(ids[0]), "a live session works")
	resp, _ := post(t, srv.URL, strings.NewReader(`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`),
		map[string]string{"Mcp-Session-Id": "made-up", "Mcp-Protocol-Version": "2025-11-25"})
	require.Equal(t, 404, resp.StatusCode, "an unknown session is refused")

	// Any request would keep its session alive, so wait without asking, until the server
	// says it swept as many sessions as were opened (the sweep runs every max(ttl/2, 1s)).
	require.Eventually(t, func() bool {
		return strings.Count(srv.Stderr.String(), "Sweeping expired session") >= len(ids)
	}, time.Minute, 50*time.Millisecond, "the server sweeps idle sessions:\n%s", srv.Stderr)
	expired := 0
	for _, id := range ids {
		if list(id) == 404 {
			expired++
		}
	}
	assert.Equal(t, len(ids), expired, "abandoned sessions expire")
}

// TestSessionsDoNotLeak opens 1,000 sessions against the server in this process and
// requires the session table and the goroutine count to come back down once they
// idle out.
func TestSessionsDoNotLeak(t *testing.T) {
	sessions := newSessionManager()
	url := startInProcessHTTP(t, serveConfig{SessionTTL: 300 * time.Millisecond}, httpOptions{sessions: sessions}).URL
	before := runtime.NumGoroutine()

	const n = 1000
	var (
		wg     sync.WaitGroup
		idsMu  sync.Mutex
		opened = map[string]bool{}
		sem    = make(chan struct{}, 16)
	)
	for range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(initializeBody))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			resp, err := http.DefaultClient.Do(req)
			if !assert.NoError(t, err) {
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			assert.Equal(t, 200, resp.StatusCode)
			idsMu.Lock()
			opened[resp.Header.Get("Mcp-Session-Id")] = true
			idsMu.Unlock()
		}()
	}
	wg.Wait()
	// Each initialize opened its own session; whether some already idled out by now depends on
	// the machine's speed, so only their expiry below is asserted, not how many are still live.
	delete(opened, "")
	assert.Len(t, opened, n, "every initialize opened a distinct session")
	require.Eventually(t, func() bool { return sessions.Len() == 0 }, 10*time.Second, 100*time.Millisecond, "sessions idle out")
	http.DefaultClient.CloseIdleConnections()
	require.Eventually(t, func() bool { return runtime.NumGoroutine() <= before+5 }, 10*time.Second, 100*time.Millisecond,
		"goroutines back to %d, have %d", before, runtime.NumGoroutine())
}

// inProcessHTTP is serveHTTP over the built-in sandbox, in this process, on 127.0.0.1.
type inProcessHTTP struct {
	URL  string // the MCP endpoint, http://127.0.0.1:PORT/mcp
	Addr string // 127.0.0.1:PORT
	App  *app
}

// startInProcessHTTP serves Streamable HTTP with cfg (its transport and address filled
// in here) and opts until the test ends, then requires a graceful shutdown.
func startInProcessHTTP(t *testing.T, cfg serveConfig, opts httpOptions) *inProcessHTTP {
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	cfg.Sandbox = true
	a, err := openApp(cfg.serverConfig, mapEnv(nil), logger, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = a.Close(context.Background()) })

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	cfg.Transport, cfg.Addr = "http", ln.Addr().String()
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = defaultSessionTTL
	}
	opts.listener = ln
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveHTTP(ctx, a.Server, cfg, logger, opts) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done, "graceful shutdown")
	})
	return &inProcessHTTP{URL: "http://" + cfg.Addr + mcpPath, Addr: cfg.Addr, App: a}
}
