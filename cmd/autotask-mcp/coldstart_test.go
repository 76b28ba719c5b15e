package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// BenchmarkColdStart measures process start to the initialize response over stdio,
// the way a desktop client launches the server (no credentials: the sandbox), against a bare
// mcp-go stdio server with nothing registered (testdata/baremcp, built here with the same
// toolchain and module versions). Both are started in turn, in the same run, so a busy machine
// slows both alike; the ratio of the medians is the figure that travels between machines. Run it
// without -race:
//
//	go test ./cmd/autotask-mcp -run '^$' -bench ColdStart -benchtime 20x
func BenchmarkColdStart(b *testing.B) {
	if raceEnabled {
		b.Skip("the race detector slows the binary down; run without -race")
	}
	bare := filepath.Join(b.TempDir(), "baremcp")
	build := exec.Command("go", "build", "-o", bare, "./testdata/baremcp")
	out, err := build.CombinedOutput()
	require.NoError(b, err, "building the bare mcp-go server: %s", out)

	env := testEnv(b)
	ours := make([]time.Duration, 0, b.N)
	theirs := make([]time.Duration, 0, b.N)
	i := 0
	for b.Loop() {
		// Alternate which goes first, so neither always starts on a cache the other warmed.
		if i%2 == 0 {
			ours = append(ours, coldStart(b, binPath, env))
			theirs = append(theirs, coldStart(b, bare, env))
		} else {
			theirs = append(theirs, coldStart(b, bare, env))
			ours = append(ours, coldStart(b, binPath, env))
		}
		i++
	}
	slices.Sort(ours)
	slices.Sort(theirs)
	median, bareMedian := ours[len(ours)/2], theirs[len(theirs)/2]
	b.ReportMetric(ms(median), "ms-median")
	b.ReportMetric(ms(ours[len(ours)*9/10]), "ms-p90")
	b.ReportMetric(ms(bareMedian), "bare-ms-median")
	b.ReportMetric(float64(median)/float64(bareMedian), "x-bare")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// coldStart starts the binary at path, sends initialize, and times the first line of stdout.
func coldStart(tb testing.TB, path string, env []string) time.Duration {
	tb.Helper()
	cmd := exec.Command(path)
	cmd.Env = env
	stdin, err := cmd.StdinPipe()
	require.NoError(tb, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(tb, err)
	cmd.Stderr = io.Discard

	start := time.Now()
	require.NoError(tb, cmd.Start())
	_, err = io.WriteString(stdin, initializeBody+"\n")
	require.NoError(tb, err)
	line, err := bufio.NewReader(stdout).ReadString('\n')
	elapsed := time.Since(start)
	require.NoError(tb, err)

	var resp struct {
		Result struct {
			ProtocolVersion string `json:"protocolVersion"`
		} `json:"result"`
	}
	require.NoError(tb, json.Unmarshal([]byte(line), &resp), line)
	require.Equal(tb, "2025-11-25", resp.Result.ProtocolVersion)
	require.NoError(tb, stdin.Close())
	_, _ = io.Copy(io.Discard, stdout)
	require.NoError(tb, cmd.Wait(), "exits cleanly when stdin closes")
	return elapsed
}

// TestStdoutCarriesOnlyProtocol runs a short stdio session and requires every line on
// stdout to be a JSON-RPC message, and the sandbox notice to be on stderr.
func TestStdoutCarriesOnlyProtocol(t *testing.T) {
	t.Parallel()
	session := strings.Join([]string{
		initializeBody,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`,
		`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"query_entity","arguments":{"entity":"Tickets","limit":2}}}`,
		`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"get_ticket","arguments":{"ticket_id":-1}}}`,
		`this is not JSON`,
		`{"jsonrpc":"2.0","id":5,"method":"no/such/method"}`,
	}, "\n") + "\n"
	stdout, stderr, code := runBinary(t, testEnv(t), session, "--log-level", "debug")
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	assert.GreaterOrEqual(t, len(lines), 2, stdout)
	for _, line := range lines {
		var msg map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &msg), "stdout line is not JSON: %q", line)
		assert.Equal(t, "2.0", msg["jsonrpc"], line)
	}
	assert.Contains(t, stderr, "built-in sandbox tenant")
	assert.Equal(t, 1, strings.Count(stderr, "built-in sandbox tenant"), "the notice is one line")
}

// BenchmarkInProcessStartup is the share of a cold start that is this program's own:
// run() from its first line to the initialize response on stdout, in a process whose
// runtime and package initialisation are already done. ms-first is the first run
// (the one a real start pays); ms-median the runs after it.
//
//	go test ./cmd/autotask-mcp -run '^$' -bench InProcessStartup -benchtime 20x
func BenchmarkInProcessStartup(b *testing.B) {
	samples := make([]time.Duration, 0, b.N)
	for b.Loop() {
		inR, inW := io.Pipe()
		outR, outW := io.Pipe()
		done := make(chan int, 1)
		start := time.Now()
		go func() {
			done <- run(b.Context(), nil, mapEnv(nil), stdio{in: inR, out: outW, err: io.Discard})
			_ = outW.Close()
		}()
		go func() { _, _ = io.WriteString(inW, initializeBody+"\n") }()
		line, err := bufio.NewReader(outR).ReadString('\n')
		samples = append(samples, time.Since(start))
		require.NoError(b, err)
		require.Contains(b, line, `"protocolVersion":"2025-11-25"`)
		_ = inW.Close()
		go func() { _, _ = io.Copy(io.Discard, outR) }()
		require.Equal(b, exitOK, <-done)
	}
	first := samples[0] // what a fresh process pays: first use of net, crypto, reflection caches
	slices.Sort(samples)
	b.ReportMetric(ms(first), "ms-first")
	b.ReportMetric(ms(samples[len(samples)/2]), "ms-median")
}

// TestStdioShutdownOnSignal: with stdin still open, SIGTERM ends the server cleanly.
func TestStdioShutdownOnSignal(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(binPath)
			cmd.Env = testEnv(t)
			stdin, err := cmd.StdinPipe()
			require.NoError(t, err)
			stdout, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			defer stdin.Close()
			_, err = io.WriteString(stdin, initializeBody+"\n")
			require.NoError(t, err)
			_, err = bufio.NewReader(stdout).ReadString('\n')
			require.NoError(t, err)

			require.NoError(t, cmd.Process.Signal(sig))
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case err := <-exited:
				assert.NoError(t, err, "clean exit")
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("ignored the signal")
			}
		})
	}
}
