package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	minNodeMajor = 20
	// lockStamp records which package.json + package-lock.json node_modules was installed
	// from; a different hash means node_modules is stale and npm ci runs again.
	lockStamp = "node_modules/.autotask-mcp-e2e-lock"
	// suiteTimeout bounds the whole JS run (it takes seconds); past it node and every server
	// it started are killed.
	suiteTimeout = 5 * time.Minute
)

const installHint = "the e2e suite needs Node.js 20 or newer with npm on PATH: install them " +
	"(a release from nodejs.org, or your distribution's nodejs and npm packages if they are 20+) and re-run"

// TestMCPTypeScriptSDK runs the JavaScript suite (stdio.test.js, http.test.js) in which the
// official MCP TypeScript SDK client drives the freshly built binary. Node is required, not
// optional: a missing toolchain fails here rather than skipping the only check with a client
// we did not write.
func TestMCPTypeScriptSDK(t *testing.T) {
	node := requireTool(t, "node")
	npm := requireTool(t, "npm")
	requireNodeVersion(t, node)

	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("working directory: %v", err)
	}
	root := filepath.Dir(dir)
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root %s has no go.mod: %v", root, err)
	}

	bin := buildBinary(t, root)
	installSDK(t, dir, npm)

	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", "--test-reporter=spec", "--test-timeout=120000")
	cmd.Dir = dir
	cmd.Env = append(environWithout("AUTOTASK_", "XDG_CACHE_HOME="),
		"AUTOTASK_MCP_BIN="+bin,
		// Any cache the server writes goes to the test's own directory.
		"XDG_CACHE_HOME="+t.TempDir(),
	)
	if _, set := os.LookupEnv("GORACE"); !set {
		// A -race binary sleeps 1 s at exit by default; the suite starts a dozen servers.
		cmd.Env = append(cmd.Env, "GORACE=atexit_sleep_ms=0")
	}
	out := t.Output()
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = 10 * time.Second
	ownProcessGroup(cmd)

	start := time.Now()
	err = cmd.Run()
	elapsed := time.Since(start).Round(100 * time.Millisecond)
	switch {
	case ctx.Err() != nil:
		t.Fatalf("node --test did not finish within %s; killed", suiteTimeout)
	case err != nil:
		t.Fatalf("node --test failed after %s: %v (the failing tests are listed above)", elapsed, err)
	}
	t.Logf("node --test passed in %s", elapsed)
}

func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found on PATH: %s", name, installHint)
	}
	return path
}

func requireNodeVersion(t *testing.T, node string) {
	t.Helper()
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		t.Fatalf("node --version: %v: %s", err, installHint)
	}
	version := strings.TrimSpace(string(out))
	major, _, _ := strings.Cut(strings.TrimPrefix(version, "v"), ".")
	if n, err := strconv.Atoi(major); err != nil || n < minNodeMajor {
		t.Fatalf("node %s is too old: %s", version, installHint)
	}
}

// buildBinary builds cmd/autotask-mcp as the suite's server, with -race when this test runs
// under -race.
func buildBinary(t *testing.T, root string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "autotask-mcp")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, "./cmd/autotask-mcp")...)
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/autotask-mcp: %v\n%s", err, out)
	}
	return bin
}

// installSDK runs npm ci when node_modules is missing or was installed from another lock file.
// npm ci installs exactly what package-lock.json pins; --ignore-scripts because nothing in the
// SDK's tree needs an install script and none should run on a developer's machine.
func installSDK(t *testing.T, dir, npm string) {
	t.Helper()
	want, err := lockHash(dir)
	if err != nil {
		t.Fatalf("hashing the lock file: %v", err)
	}
	have, err := os.ReadFile(filepath.Join(dir, lockStamp))
	if err == nil && strings.TrimSpace(string(have)) == want && sdkInstalled(dir) {
		return
	}
	start := time.Now()
	cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
	}
	if err := os.WriteFile(filepath.Join(dir, lockStamp), []byte(want+"\n"), 0o644); err != nil {
		t.Fatalf("writing %s: %v", lockStamp, err)
	}
	t.Logf("npm ci installed the pinned SDK in %s", time.Since(start).Round(100*time.Millisecond))
}

func lockHash(dir string) (string, error) {
	h := sha256.New()
	for _, name := range []string{"package.json", "package-lock.json"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", name, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func sdkInstalled(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "node_modules", "@modelcontextprotocol", "sdk", "package.json"))
	return err == nil && bytes.Contains(b, []byte(`"name": "@modelcontextprotocol/sdk"`))
}

// environWithout is the test's environment less every variable with one of the prefixes: a
// developer's AUTOTASK_* credentials or settings must not reach the suite.
func environWithout(prefixes ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		drop := false
		for _, p := range prefixes {
			drop = drop || strings.HasPrefix(kv, p)
		}
		if !drop {
			env = append(env, kv)
		}
	}
	return env
}
