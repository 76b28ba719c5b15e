package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// The benchmarks that measure the process (memory, HTTP sessions) run the real binary, built once
// per test binary and only when one of them asks: go test ./... does not pay for the build.
var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	binErr    error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// serverBinary builds cmd/autotask-mcp without the race detector, whatever this test binary was
// built with: the figures are the shipped binary's.
func serverBinary(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "autotask-mcp-bench-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "autotask-mcp")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/autotask-mcp/autotask-mcp/cmd/autotask-mcp").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		tb.Fatal(binErr)
	}
	return binPath
}

// binaryEnv is this process's environment without any AUTOTASK_ variable (a developer's real
// credentials must never reach a benchmark), with caches in a temporary directory, plus extra.
func binaryEnv(tb testing.TB, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "AUTOTASK_") || strings.HasPrefix(kv, "XDG_CACHE_HOME=") || strings.HasPrefix(kv, "GODEBUG=") {
			continue
		}
		env = append(env, kv)
	}
	return append(append(env, "XDG_CACHE_HOME="+tb.TempDir()), extra...)
}

// serverOnlyEnv points the binary at a sandbox served by this process, as at a real tenant, so
// the binary's memory is the server's alone. The hourly budget is lifted: the client would
// otherwise pace 10,000 calls over an hour, as it must with a real tenant.
func serverOnlyEnv(tb testing.TB, st *stack) []string {
	creds := sandbox.DefaultCredentials
	return binaryEnv(tb,
		"AUTOTASK_API_URL="+st.api.URL+"/ATServicesRest/",
		"AUTOTASK_USERNAME="+creds.Username,
		"AUTOTASK_SECRET="+creds.Secret,
		"AUTOTASK_INTEGRATION_CODE="+creds.IntegrationCode,
		"AUTOTASK_HOURLY_BUDGET=100000000",
	)
}

// process is a running binary with an initialised MCP session over stdio.
type process struct {
	mcp    *client.Client
	cmd    *exec.Cmd
	stderr *testenv.Buffer
}

// startStdio runs the binary on stdio with GODEBUG=gctrace=1, so its stderr tells the live heap
// after each collection, and waits until initialize is answered and the tools are listed.
func startStdio(tb testing.TB, env []string, args ...string) *process {
	tb.Helper()
	p := &process{stderr: &testenv.Buffer{}}
	env = append(env, "GODEBUG=gctrace=1")
	tr := transport.NewStdioWithOptions(serverBinary(tb), env, args,
		// Not exec.CommandContext: Start's context only bounds the start, the process outlives it.
		transport.WithCommandFunc(func(_ context.Context, command string, env, args []string) (*exec.Cmd, error) {
			p.cmd = exec.Command(command, args...)
			p.cmd.Env = env
			p.cmd.Stderr = p.stderr
			return p.cmd, nil
		}))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := tr.Start(ctx); err != nil {
		tb.Fatalf("start %s: %v", binPath, err)
	}
	p.mcp = client.NewClient(tr)
	tb.Cleanup(func() { _ = p.mcp.Close() })
	if _, err := p.mcp.Initialize(ctx, initializeRequest()); err != nil {
		tb.Fatalf("initialize: %v\n%s", err, p.stderr.String())
	}
	if _, err := p.mcp.ListTools(ctx, mcp.ListToolsRequest{}); err != nil {
		tb.Fatalf("tools/list: %v", err)
	}
	return p
}

// memory is what /proc says about a process, in MiB.
type memory struct{ rss, peak float64 }

func readMemory(tb testing.TB, pid int) memory {
	tb.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Fatalf("read /proc status (Linux only): %v", err)
	}
	var m memory
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		name, value, _ := strings.Cut(sc.Text(), ":")
		kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 64)
		switch name {
		case "VmRSS":
			m.rss = kb / 1024
		case "VmHWM":
			m.peak = kb / 1024
		}
	}
	return m
}

func (p *process) memory(tb testing.TB) memory { return readMemory(tb, p.cmd.Process.Pid) }

var gcLine = regexp.MustCompile(`(\d+)->(\d+)->(\d+) MB`)

// gcMark is a position in the binary's stderr, for liveHeapSince.
func (p *process) gcMark() int { return p.stderr.Len() }

// liveHeapSince is the least live heap, in MB, that the binary's collections since mark found; 0
// when none ran.
func (p *process) liveHeapSince(mark int) float64 {
	least := 0.0
	for i, m := range gcLine.FindAllStringSubmatch(p.stderr.String()[mark:], -1) {
		mb, _ := strconv.ParseFloat(m[3], 64)
		if i == 0 || mb < least {
			least = mb
		}
	}
	return least
}
