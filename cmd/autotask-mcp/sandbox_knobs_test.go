package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// TestSandboxKnobFlags: the built-in sandbox's latency, jitter, faults and request log, from
// flags and from AUTOTASK_MCP_SANDBOX_* variables; contradictions and unknown fault names are
// usage errors that say what is allowed.
func TestSandboxKnobFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    sandboxKnobs
		faults  []string
		wantErr []string
	}{
		{name: "none", want: sandboxKnobs{}},
		{name: "flags", args: []string{"--sandbox-latency", "250ms", "--sandbox-jitter", "50ms", "--sandbox-fault", "500:0.05",
			"--sandbox-fault", "hang:1%,reset-after-apply:0.01", "--sandbox-request-log"},
			want:   sandboxKnobs{Latency: 250 * time.Millisecond, Jitter: 50 * time.Millisecond, RequestLog: true},
			faults: []string{"500:0.05", "hang:1%", "reset-after-apply:0.01"}},
		{name: "environment", env: map[string]string{"AUTOTASK_MCP_SANDBOX_LATENCY": "300ms", "AUTOTASK_MCP_SANDBOX_FAULT": "429-thread:0.1, html-502:0.1",
			"AUTOTASK_MCP_SANDBOX_REQUEST_LOG": "true"},
			want:   sandboxKnobs{Latency: 300 * time.Millisecond, RequestLog: true},
			faults: []string{"429-thread:0.1", "html-502:0.1"}},
		{name: "unknown fault", args: []string{"--sandbox-fault", "timeout:0.1"},
			wantErr: []string{"-sandbox-fault", `"timeout"`, "429-thread, 429-hourly, 500, hang, reset, reset-after-apply, malformed-json, html-502"}},
		{name: "unknown fault in the environment", env: map[string]string{"AUTOTASK_MCP_SANDBOX_FAULT": "500:0.1,slow:0.2"},
			wantErr: []string{"AUTOTASK_MCP_SANDBOX_FAULT", `"slow"`, "html-502"}},
		{name: "fault without a rate", args: []string{"--sandbox-fault", "500"}, wantErr: []string{"NAME:RATE"}},
		{name: "rate above one", args: []string{"--sandbox-fault", "500:2"}, wantErr: []string{"from 0 to 1"}},
		{name: "rates adding up past one", args: []string{"--sandbox-fault", "500:0.6,hang:0.6"},
			wantErr: []string{"--sandbox-fault (AUTOTASK_MCP_SANDBOX_FAULT)", "add up to 1.2"}},
		{name: "jitter beyond the latency", args: []string{"--sandbox-latency", "100ms", "--sandbox-jitter", "150ms"},
			wantErr: []string{"--sandbox-jitter (AUTOTASK_MCP_SANDBOX_JITTER)", "must not exceed", "--sandbox-latency"}},
		{name: "negative latency", args: []string{"--sandbox-latency", "-1s"}, wantErr: []string{"--sandbox-latency", "negative"}},
		{name: "latency without a unit", env: map[string]string{"AUTOTASK_MCP_SANDBOX_LATENCY": "250"}, wantErr: []string{"AUTOTASK_MCP_SANDBOX_LATENCY"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := loadServeConfig(tc.args, mapEnv(tc.env), stdio{out: io.Discard, err: io.Discard})
			if tc.wantErr != nil {
				requireUsageError(t, err, tc.wantErr...)
				return
			}
			require.NoError(t, err)
			got := cfg.SandboxKnobs
			assert.Equal(t, tc.want.Latency, got.Latency)
			assert.Equal(t, tc.want.Jitter, got.Jitter)
			assert.Equal(t, tc.want.RequestLog, got.RequestLog)
			assert.Equal(t, strings.Join(tc.faults, ","), got.Faults.String())
			require.Len(t, got.Faults.mix, len(tc.faults))
			for i, text := range tc.faults {
				want, err := sandbox.ParseRandomFault(text)
				require.NoError(t, err)
				assert.Equal(t, want, got.Faults.mix[i])
			}
		})
	}
}

// TestSandboxKnobsNeedTheSandbox: with a real tenant configured, a sandbox knob is a mistake
// to point out, not a setting to ignore.
func TestSandboxKnobsNeedTheSandbox(t *testing.T) {
	cfg, err := loadServeConfig([]string{"--sandbox-latency", "250ms"}, mapEnv(nil), stdio{out: io.Discard, err: io.Discard})
	require.NoError(t, err)
	creds := mapEnv(map[string]string{"AUTOTASK_USERNAME": "u@example.test", "AUTOTASK_SECRET": "x", "AUTOTASK_INTEGRATION_CODE": "y",
		"AUTOTASK_API_URL": "https://webservices1.autotask.net/ATServicesRest"})
	_, err = openTenant(cfg.serverConfig, creds, slog.New(slog.DiscardHandler), nil)
	var usage *usageError
	require.ErrorAs(t, err, &usage)
	assert.Contains(t, err.Error(), "--sandbox")
}

// TestSandboxCommandKnobs: `autotask-mcp sandbox --latency ... --request-log` logs one line a
// request on stderr, failures and refusals included, and the sandbox's credentials appear in
// none of them, although every request carries them and a zone lookup names the user.
func TestSandboxCommandKnobs(t *testing.T) {
	creds := sandbox.Credentials{Username: "knob-user-51c2@example.test", Secret: "knob-secret-8e7f", IntegrationCode: "KNOBCODE93A1"}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out, errOut := &testenv.Buffer{}, &testenv.Buffer{}
	done := make(chan error, 1)
	go func() {
		done <- runSandbox(ctx, []string{"--addr", "127.0.0.1:0", "--tickets", "20", "--latency", "2ms", "--jitter", "1ms",
			"--fault", "500:0", "--request-log", "--username", creds.Username, "--secret", creds.Secret, "--integration-code", creds.IntegrationCode},
			stdio{out: out, err: errOut})
	}()
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "Press Ctrl-C") }, 30*time.Second, 5*time.Millisecond, "stdout: %s", out)
	var base string
	for line := range strings.Lines(out.String()) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "AUTOTASK_API_URL="); ok {
			base = v
		}
	}
	require.NotEmpty(t, base)

	send := func(path, secret string) int {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"V1.0/"+path, nil)
		require.NoError(t, err)
		req.Header.Set("UserName", creds.Username)
		req.Header.Set("Secret", secret)
		req.Header.Set("ApiIntegrationCode", creds.IntegrationCode)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
		return resp.StatusCode
	}
	assert.Equal(t, 200, send("Tickets/10001", creds.Secret))
	assert.Equal(t, 200, send("ZoneInformation?user="+creds.Username, creds.Secret))
	assert.Equal(t, 401, send("Tickets/10001", creds.Secret+"-wrong"))
	cancel()
	require.NoError(t, <-done)

	logged := errOut.String()
	for _, want := range []string{
		"autotask-mcp: sandbox: GET /ATServicesRest/V1.0/Tickets/10001 200 ",
		"autotask-mcp: sandbox: GET /ATServicesRest/V1.0/ZoneInformation 200 ",
		"autotask-mcp: sandbox: GET /ATServicesRest/V1.0/Tickets/10001 401 ",
	} {
		assert.Contains(t, logged, want)
	}
	for _, secret := range []string{creds.Username, creds.Secret, creds.IntegrationCode, "knob-user-51c2", "knob-secret", "KNOBCODE"} {
		assert.NotContains(t, logged, secret)
	}

	err := runSandbox(t.Context(), []string{"--fault", "teapot:0.5"}, stdio{out: io.Discard, err: io.Discard})
	var usage *usageError
	require.ErrorAs(t, err, &usage)
	assert.Contains(t, err.Error(), "malformed-json, html-502")
}
