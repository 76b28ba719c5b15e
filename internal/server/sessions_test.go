package server

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sessionRequest sends an MCP request with the given session id ("" none) and
// returns the answer; the caller closes its body.
func sessionRequest(t *testing.T, ctx context.Context, method, url, session, body string) *http.Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(mcpRequest(t, ctx, method, url, session, body))
	require.NoError(t, err)
	return resp
}

// mcpRequest is an MCP request as a client of the session revision sends it, with the
// given session id ("" none) and body ("" none).
func mcpRequest(t *testing.T, ctx context.Context, method, url, session, body string) *http.Request {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Mcp-Protocol-Version", "2025-11-25")
	if session != "" {
		req.Header.Set("Mcp-Session-Id", session)
	}
	return req
}

// openSession initializes a session and completes the handshake.
func openSession(t *testing.T, ctx context.Context, url string) string {
	t.Helper()
	resp := sessionRequest(t, ctx, http.MethodPost, url, "", initializeBody)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	id := resp.Header.Get("Mcp-Session-Id")
	require.NotEmpty(t, id)
	resp = sessionRequest(t, ctx, http.MethodPost, url, id, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	resp.Body.Close()
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	return id
}

// TestStreamNeedsALiveSession: a GET (the server's stream), a DELETE, or a POST of any
// request or notification but initialize without a session id is a 400, with an unknown
// one a 404, as the Streamable HTTP transport specifies.
// With a live session, GET opens the stream, and the stream outlives the server's read
// timeout and write budget while nothing is sent on it.
func TestStreamNeedsALiveSession(t *testing.T) {
	t.Parallel()
	limits := httpLimits{read: 100 * time.Millisecond, write: 100 * time.Millisecond}
	srv := startInProcessHTTP(t, HTTPConfig{limits: limits})
	ctx, cancel := context.WithTimeout(context.Background(), stallBound)
	defer cancel()
	id := openSession(t, ctx, srv.URL)

	const (
		listTools   = `{"jsonrpc":"2.0","id":7,"method":"tools/list"}`
		initialized = `{"jsonrpc":"2.0","method":"notifications/initialized"}`
	)
	tests := []struct {
		name, method, session, body string
		want                        int
	}{
		{name: "GET without session", method: http.MethodGet, want: http.StatusBadRequest},
		{name: "GET unknown session", method: http.MethodGet, session: "made-up", want: http.StatusNotFound},
		{name: "DELETE without session", method: http.MethodDelete, want: http.StatusBadRequest},
		{name: "DELETE unknown session", method: http.MethodDelete, session: "made-up", want: http.StatusNotFound},
		{name: "POST request without session", method: http.MethodPost, body: listTools, want: http.StatusBadRequest},
		{name: "POST notification without session", method: http.MethodPost, body: initialized, want: http.StatusBadRequest},
		{name: "POST request unknown session", method: http.MethodPost, session: "made-up", body: listTools, want: http.StatusNotFound},
		{name: "POST request live session", method: http.MethodPost, session: id, body: listTools, want: http.StatusOK},
		{name: "POST initialize without session", method: http.MethodPost, body: initializeBody, want: http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := sessionRequest(t, ctx, tc.method, srv.URL, tc.session, tc.body)
			resp.Body.Close() // unread: a wrongly opened stream would never end
			assert.Equal(t, tc.want, resp.StatusCode, "Content-Type %s", resp.Header.Get("Content-Type"))
		})
	}

	t.Run("GET with a live session streams", func(t *testing.T) {
		streamCtx, stop := context.WithCancel(ctx)
		defer stop()
		resp := sessionRequest(t, streamCtx, http.MethodGet, srv.URL, id, "")
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))

		// Let the read timeout and the write budget run out while the stream is idle:
		// neither may end it.
		time.Sleep(3 * limits.read)
		require.NoError(t, srv.Server.SendNotificationToSpecificClient(id, "notifications/message",
			map[string]any{"level": "info", "data": "still streaming"}))
		lines := bufio.NewScanner(resp.Body)
		for lines.Scan() {
			if strings.Contains(lines.Text(), "still streaming") {
				return
			}
		}
		t.Fatalf("the stream ended before the notification (%v)", lines.Err())
	})

	t.Run("DELETE ends the session", func(t *testing.T) {
		resp := sessionRequest(t, ctx, http.MethodDelete, srv.URL, id, "")
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		resp = sessionRequest(t, ctx, http.MethodGet, srv.URL, id, "")
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, "an ended session has no stream")
	})
}
