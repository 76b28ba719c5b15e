package server

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHealthz: the health check answers without the bearer token, GET and HEAD only, and
// its answer is "ok" and a fixed set of headers, whatever the server serves and whoever
// asks, so it cannot reveal the tenant, the zone, the version or the sessions.
func TestHealthz(t *testing.T) {
	t.Parallel()
	const versionCanary = "v9.8.7-canary"
	srv := serveInProcessHTTP(t, New(Config{Deps: sandboxDeps(t), Version: versionCanary}), HTTPConfig{Token: testToken})
	base := "http://" + srv.Addr

	// A session that read tenant data first: nothing of it may show up in the health answer.
	initResp, initBody := rawRequest(t, http.MethodPost, srv.URL, initializeBody, http.Header{
		"Authorization": {"Bearer " + testToken},
		"Content-Type":  {"application/json"},
		"Accept":        {"application/json, text/event-stream"},
	})
	require.Equal(t, http.StatusOK, initResp.StatusCode, initBody)
	require.Contains(t, initBody, versionCanary, "the canary is a value the server does reveal to an authorized client")

	allowedHeaders := []string{"Cache-Control", "Content-Length", "Content-Type", "Date", "X-Content-Type-Options"}
	tests := []struct {
		name       string
		method     string
		header     http.Header
		wantStatus int
		wantBody   string
	}{
		{name: "GET without a token", method: http.MethodGet, wantStatus: http.StatusOK, wantBody: "ok"},
		{name: "HEAD without a token", method: http.MethodHead, wantStatus: http.StatusOK, wantBody: ""},
		{name: "GET with the token", method: http.MethodGet, header: http.Header{"Authorization": {"Bearer " + testToken}},
			wantStatus: http.StatusOK, wantBody: "ok"},
		{name: "GET with a wrong token", method: http.MethodGet, header: http.Header{"Authorization": {"Bearer wrong-token-0123456789"}},
			wantStatus: http.StatusOK, wantBody: "ok"},
		{name: "GET with a session id", method: http.MethodGet, header: http.Header{"Mcp-Session-Id": {initResp.Header.Get("Mcp-Session-Id")}},
			wantStatus: http.StatusOK, wantBody: "ok"},
		{name: "POST", method: http.MethodPost, wantStatus: http.StatusMethodNotAllowed, wantBody: "method not allowed: GET or HEAD\n"},
		{name: "PUT", method: http.MethodPut, wantStatus: http.StatusMethodNotAllowed, wantBody: "method not allowed: GET or HEAD\n"},
		{name: "DELETE", method: http.MethodDelete, wantStatus: http.StatusMethodNotAllowed, wantBody: "method not allowed: GET or HEAD\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, body := rawRequest(t, tt.method, base+HealthPath, "", tt.header)
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantBody, body)
			for name := range resp.Header {
				if name == "Allow" && tt.wantStatus == http.StatusMethodNotAllowed {
					assert.Equal(t, "GET, HEAD", resp.Header.Get("Allow"))
					continue
				}
				assert.True(t, slices.Contains(allowedHeaders, name), "header %s: %q", name, resp.Header.Values(name))
			}
			if tt.wantStatus == http.StatusOK {
				assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
				assert.Equal(t, "2", resp.Header.Get("Content-Length"))
			}
			everything := body + headerText(resp.Header)
			for _, secret := range []string{versionCanary, "autotask-mcp", testToken, "sandbox", "ATServicesRest", initResp.Header.Get("Mcp-Session-Id")} {
				assert.NotContains(t, everything, secret)
			}
		})
	}
}

// rawRequest sends one request and returns the response with its body read.
func rawRequest(t *testing.T, method, url, body string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	require.NoError(t, err)
	for name, values := range header {
		req.Header[name] = values
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(raw)
}

func headerText(h http.Header) string {
	var b strings.Builder
	for name, values := range h {
		b.WriteString(name + ": " + strings.Join(values, ", ") + "\n")
	}
	return b.String()
}
