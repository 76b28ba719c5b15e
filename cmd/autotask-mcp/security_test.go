package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/server"
)

// These tests run the real binary; internal/server tests the transport in-process.

const testToken = "test-token-0123456789abcdef"

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
			return bytes.NewReader(bytes.Repeat([]byte(" "), int(server.MaxBody)+1))
		}, wantCode: 413},
		{name: "oversized chunked body", header: map[string]string{"Authorization": auth}, body: func() io.Reader {
			return io.MultiReader(strings.NewReader(initializeBody), bytes.NewReader(make([]byte, server.MaxBody))) // length unknown: chunked
		}, wantCode: 413},
	}
	for _, tr := range []struct{ transport, path string }{{"http", server.MCPPath}, {"sse", server.MessagePath + "?sessionId=x"}} {
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
				resp, err := http.Get(srv.Base + server.SSEPath)
				require.NoError(t, err)
				resp.Body.Close()
				assert.Equal(t, 401, resp.StatusCode)
			})
			t.Run("health without token", func(t *testing.T) {
				resp, err := http.Get(srv.Base + server.HealthPath)
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
	url := "http://127.0.0.1:" + port + server.MCPPath
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
