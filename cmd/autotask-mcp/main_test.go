package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the snapshots in testdata/ from the current output")

// binPath is the real binary, built once per test run by TestMain.
var binPath string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "autotask-mcp-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "temp dir:", err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "autotask-mcp")
	args := []string{"build", "-o", binPath}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, ".")...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building autotask-mcp:", err)
		_ = os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// testEnv is the environment of a binary under test: the test's own, minus every
// AUTOTASK_ variable (a developer's real credentials must never reach a test), with
// caches under a temporary directory, plus extra.
func testEnv(t testing.TB, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "AUTOTASK_") || strings.HasPrefix(kv, "XDG_CACHE_HOME=") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "XDG_CACHE_HOME="+t.TempDir())
	return append(env, extra...)
}

// runBinary runs the binary to completion and returns stdout, stderr and exit status.
func runBinary(t testing.TB, env []string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runProgram(t, binPath, env, stdin, args...)
}

// runProgram is runBinary for another build of the program.
func runProgram(t testing.TB, bin string, env []string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		t.Fatalf("run %v: %v", args, err)
	}
	return out.String(), errOut.String(), code
}

// stdioClient starts the binary as an MCP server on stdio and returns a started
// client; its stderr is collected in the returned buffer.
func stdioClient(t *testing.T, env []string, args ...string) (*client.Client, *testenv.Buffer) {
	t.Helper()
	stderr := &testenv.Buffer{}
	c, err := client.NewStdioMCPClientWithOptions(binPath, nil, args,
		transport.WithCommandFunc(func(ctx context.Context, command string, _ []string, args []string) (*exec.Cmd, error) {
			cmd := exec.CommandContext(ctx, command, args...)
			cmd.Env = env
			return cmd, nil
		}),
		transport.WithCommandStderrWriter(stderr),
	)
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = c.Close()
		assert.NotContains(t, stderr.String(), "DATA RACE")
	})
	return c, stderr
}

// httpServer is the binary serving MCP over HTTP.
type httpServer struct {
	cmd    *exec.Cmd
	URL    string // the MCP endpoint, e.g. http://127.0.0.1:41234/mcp
	Base   string // http://127.0.0.1:41234
	Stderr *testenv.Buffer
	exited chan error
}

var urlInLog = regexp.MustCompile(`url=(http://\S+)`)

// startHTTPServer starts the binary with --transport TRANSPORT --addr 127.0.0.1:0
// plus args, waits until it logs the URL it listens on, and stops it with SIGTERM when
// the test ends, requiring a clean exit (graceful shutdown).
func startHTTPServer(t *testing.T, env []string, transportName string, args ...string) *httpServer {
	t.Helper()
	full := append([]string{"--transport", transportName, "--addr", "127.0.0.1:0"}, args...)
	return startServerProcess(t, binPath, env, full...)
}

// startServerProcess starts bin with args and env, which must make it serve HTTP, and
// does the rest of what startHTTPServer does.
func startServerProcess(t *testing.T, bin string, env []string, args ...string) *httpServer {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	pipe, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	s := &httpServer{cmd: cmd, Stderr: &testenv.Buffer{}, exited: make(chan error, 1)}

	found := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(pipe)
		scanner.Buffer(make([]byte, 64<<10), 1<<20)
		for scanner.Scan() {
			line := scanner.Text()
			_, _ = fmt.Fprintln(s.Stderr, line)
			if m := urlInLog.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(s.Stderr, pipe)
		s.exited <- cmd.Wait()
	}()
	select {
	case s.URL = <-found:
	case err := <-s.exited:
		t.Fatalf("server exited before listening (%v):\n%s", err, s.Stderr)
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("server did not start listening:\n%s", s.Stderr)
	}
	s.Base = s.URL[:strings.LastIndex(s.URL, "/")]
	t.Cleanup(func() { s.stop(t) })
	return s
}

func (s *httpServer) stop(t *testing.T) {
	t.Helper()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.exited:
		if err != nil {
			t.Errorf("server did not shut down cleanly: %v\n%s", err, s.Stderr)
		}
		assert.NotContains(t, s.Stderr.String(), "DATA RACE")
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
		t.Errorf("server ignored SIGTERM for 15s:\n%s", s.Stderr)
	}
}
