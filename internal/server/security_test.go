package server

import (
	"bytes"
	"io"
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
			policy := newAccessPolicy(tc.listen, tc.token, nil, 1024)
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

func TestIsLoopbackAddr(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:8080", true},
		{"127.1.2.3:80", true},
		{"localhost:8080", true},
		{"LOCALHOST", true},
		{"[::1]:8080", true},
		{"::1", true},
		{"0.0.0.0:8080", false},
		{":8080", false},
		{"[::]:8080", false},
		{"192.168.1.10:8080", false},
		{"example.com:443", false},
		{"localhost.evil.com:80", false},
	}
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			assert.Equal(t, tc.want, IsLoopbackAddr(tc.addr))
		})
	}
}

// TestSessionsDoNotLeak opens 1,000 sessions against the server in this process and
// requires the session table and the goroutine count to come back down once they
// idle out.
func TestSessionsDoNotLeak(t *testing.T) {
	sessions := newSessionManager()
	url := startInProcessHTTP(t, HTTPConfig{SessionTTL: 300 * time.Millisecond, sessions: sessions}).URL
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
