package main

import (
	"debug/elf"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/docexample"
	"github.com/autotask-mcp/autotask-mcp/internal/server"
)

// dockerInstruction is one instruction of a Dockerfile, continuation lines joined.
type dockerInstruction struct {
	line int    // where it starts
	name string // upper case: FROM, RUN, ENV...
	args string
}

type dockerStage struct {
	from, name   string
	instructions []dockerInstruction
}

// parseDockerfile splits a Dockerfile into its stages; enough of the format for the
// checks below (no parser directives, no heredocs).
func parseDockerfile(text string) []dockerStage {
	var stages []dockerStage
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		start := i
		line := strings.TrimSpace(lines[i])
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for strings.HasSuffix(line, `\`) && i+1 < len(lines) {
			i++
			next := strings.TrimSpace(lines[i])
			if strings.HasPrefix(next, "#") {
				continue
			}
			line = strings.TrimSuffix(line, `\`) + " " + next
		}
		name, args, _ := strings.Cut(line, " ")
		in := dockerInstruction{line: start + 1, name: strings.ToUpper(name), args: strings.TrimSpace(args)}
		if in.name == "FROM" {
			from, as, _ := strings.Cut(in.args, " ")
			_, stageName, _ := strings.Cut(strings.ToLower(as), "as ")
			stages = append(stages, dockerStage{from: from, name: strings.TrimSpace(stageName)})
			continue
		}
		if len(stages) > 0 {
			stages[len(stages)-1].instructions = append(stages[len(stages)-1].instructions, in)
		}
	}
	return stages
}

// all returns the arguments of every instruction called name.
func (s dockerStage) all(name string) []string {
	var out []string
	for _, in := range s.instructions {
		if in.name == name {
			out = append(out, in.args)
		}
	}
	return out
}

// env is the stage's ENV settings (the KEY=value form).
func (s dockerStage) env(t *testing.T) map[string]string {
	out := map[string]string{}
	for _, args := range s.all("ENV") {
		cmds, err := docexample.Commands(args)
		require.NoError(t, err, "ENV %s", args)
		for _, cmd := range cmds {
			for _, kv := range cmd {
				k, v, ok := strings.Cut(kv, "=")
				require.True(t, ok, "ENV %s: use KEY=value", args)
				out[k] = v
			}
		}
	}
	return out
}

func readDockerfile(t *testing.T) []dockerStage {
	raw, err := os.ReadFile(filepath.Join(repoRoot, "Dockerfile"))
	require.NoError(t, err)
	stages := parseDockerfile(string(raw))
	require.GreaterOrEqual(t, len(stages), 2, "a multi-stage build: the image carries the binary, not the toolchain")
	return stages
}

// TestDockerfileStructure holds the image to what a team server needs: built by a Go
// matching go.mod, a static binary, CA certificates (the tenant is HTTPS), a non-root
// user, HTTP on 0.0.0.0:8080, and no secret baked in.
func TestDockerfileStructure(t *testing.T) {
	t.Parallel()
	stages := readDockerfile(t)
	build, final := stages[0], stages[len(stages)-1]

	mod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	require.NoError(t, err)
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(mod)
	require.NotNil(t, goVersion)
	assert.True(t, strings.HasPrefix(build.from, "golang:"+string(goVersion[1])), "the build stage's Go (%s) is go.mod's %s", build.from, goVersion[1])

	user := final.all("USER")
	require.Len(t, user, 1, "the image sets its user")
	uid, _, _ := strings.Cut(user[0], ":")
	assert.NotContains(t, []string{"0", "root", ""}, uid, "the server does not run as root")

	env := final.env(t)
	assert.Equal(t, "http", env["AUTOTASK_MCP_TRANSPORT"])
	assert.Equal(t, "0.0.0.0:8080", env["AUTOTASK_MCP_ADDR"])
	assert.Contains(t, final.all("EXPOSE"), "8080")
	assert.True(t, slices.ContainsFunc(final.all("COPY"), func(args string) bool {
		return strings.HasSuffix(args, " /etc/ssl/certs/ca-certificates.crt")
	}), "the image has CA certificates to verify the tenant's HTTPS")
	entry := final.all("ENTRYPOINT")
	require.Len(t, entry, 1)
	assert.True(t, strings.HasPrefix(entry[0], "["), "exec form: SIGTERM reaches the server, which shuts down gracefully")

	for _, stage := range stages {
		for _, in := range stage.instructions {
			if in.name == "ENV" || in.name == "ARG" {
				for _, secret := range []string{envToken, envGuardKey, "AUTOTASK_SECRET", "AUTOTASK_USERNAME", "AUTOTASK_INTEGRATION_CODE"} {
					assert.NotContains(t, in.args, secret, "Dockerfile:%d: a secret is given at run time, never baked into the image", in.line)
				}
			}
		}
	}
}

// TestDockerfileBinary builds the server with the Dockerfile's own build command (there is
// no container runtime here) and checks the binary the image would carry: static, stamped,
// refusing the image's settings without a token, and serving with one.
func TestDockerfileBinary(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" {
		t.Skip("the image is linux; its binary is checked on linux")
	}
	stages := readDockerfile(t)
	var goBuild *dockerInstruction
	for i, in := range stages[0].instructions {
		if in.name == "RUN" && strings.Contains(in.args, "go build") {
			goBuild = &stages[0].instructions[i]
		}
	}
	require.NotNil(t, goBuild, "the build stage runs go build")
	const version, commit = "v0.0.0-docker", "0123456789abcdef"
	line := os.Expand(goBuild.args, func(name string) string {
		return map[string]string{"VERSION": version, "COMMIT": commit}[name]
	})
	cmds, err := docexample.Commands(line)
	require.NoError(t, err, "Dockerfile:%d", goBuild.line)
	require.Len(t, cmds, 1, "Dockerfile:%d: the build is one command", goBuild.line)
	words := cmds[0]

	// Leading NAME=value words are the build's environment.
	// The image's Go has no GOFLAGS; this machine's must not change the build. Not "": an
	// empty GOFLAGS falls back to what `go env -w` stored.
	env := []string{"GOFLAGS=-mod=readonly"}
	for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
		env = append(env, words[0])
		words = words[1:]
	}
	assert.Contains(t, env, "CGO_ENABLED=0", "a static binary: the image has no C library")
	env = append(env, "GOOS=linux") // the image's platform, whatever GOOS this machine's go env sets
	require.GreaterOrEqual(t, len(words), 2)
	require.Equal(t, []string{"go", "build"}, words[:2])
	assert.Contains(t, words, "-trimpath")
	out := slices.Index(words, "-o")
	require.True(t, out > 0 && out+1 < len(words), "the build names its output with -o")
	bin := filepath.Join(t.TempDir(), "autotask-mcp")
	words[out+1] = bin

	build := exec.CommandContext(t.Context(), words[0], words[1:]...)
	build.Dir = repoRoot
	build.Env = append(os.Environ(), env...)
	output, err := build.CombinedOutput()
	require.NoError(t, err, "%s\n%s", strings.Join(words, " "), output)

	t.Run("static", func(t *testing.T) {
		f, err := elf.Open(bin)
		require.NoError(t, err)
		defer f.Close()
		for _, p := range f.Progs {
			assert.NotEqual(t, elf.PT_INTERP, p.Type, "no dynamic loader")
		}
		libs, err := f.ImportedLibraries()
		require.NoError(t, err)
		assert.Empty(t, libs, "no shared libraries")
	})

	t.Run("stamped", func(t *testing.T) {
		stdout, stderr, code := runProgram(t, bin, testEnv(t), "", "version")
		require.Equal(t, exitOK, code, stderr)
		assert.True(t, strings.HasPrefix(stdout, "autotask-mcp "+version+" (commit "+commit+","), stdout)
	})

	imageEnv := testEnv(t)
	for k, v := range stages[len(stages)-1].env(t) {
		imageEnv = append(imageEnv, k+"="+v)
	}

	t.Run("refuses to start without a token", func(t *testing.T) {
		_, stderr, code := runProgram(t, bin, imageEnv, "")
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, stderr, envToken)
	})

	t.Run("serves with a token", func(t *testing.T) {
		// The image's settings, on a free port instead of 8080.
		srv := startServerProcess(t, bin, append(slices.Clone(imageEnv), envToken+"="+testToken, "AUTOTASK_MCP_ADDR=0.0.0.0:0"))
		_, port, err := net.SplitHostPort(strings.TrimPrefix(srv.Base, "http://"))
		require.NoError(t, err)
		base := "http://127.0.0.1:" + port

		resp, err := http.Get(base + server.HealthPath)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "ok", string(body))

		resp, _ = post(t, base+server.MCPPath, strings.NewReader(initializeBody), nil)
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "no token: refused")
		resp, text := post(t, base+server.MCPPath, strings.NewReader(initializeBody), map[string]string{"Authorization": "Bearer " + testToken})
		require.Equal(t, http.StatusOK, resp.StatusCode, text)
		var answer struct {
			Result struct {
				ServerInfo struct{ Name, Version string } `json:"serverInfo"`
			} `json:"result"`
		}
		require.NoError(t, json.Unmarshal([]byte(text), &answer), text)
		assert.Equal(t, "autotask-mcp", answer.Result.ServerInfo.Name)
		assert.Equal(t, version, answer.Result.ServerInfo.Version)
	})
}
