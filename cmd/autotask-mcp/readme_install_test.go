package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/internal/docexample"
)

// installSection is the README section that shows how to install the server.
const installSection = "Install"

// TestREADMEShellBlocks: a shell block the README shows is checked by a test, so one added
// under a section no test reads fails here until a test knows how to check it.
func TestREADMEShellBlocks(t *testing.T) {
	t.Parallel()
	raw := readREADME(t)
	checked := []string{"", readmeSection, installSection} // "": the opening lines
	for _, b := range docexample.Blocks(raw) {
		if b.Lang == "sh" {
			assert.Contains(t, checked, b.Heading, "README.md:%d: a shell block under ## %s, which no test checks", b.Line, b.Heading)
		}
	}
}

// releaseBinary is the name scripts/release gives a binary.
var releaseBinary = regexp.MustCompile(`^autotask-mcp_v\d+\.\d+\.\d+_(linux|darwin|windows)_(amd64|arm64)(\.exe)?$`)

// TestREADMEInstall checks every command under ## Install: what can run here runs (the
// release binary's `version`, `go install` of this tree); what cannot (docker, a download,
// a release of every platform) is held to the files it depends on, which their own tests
// and CI run (TestDockerfile*, scripts/release --check).
func TestREADMEInstall(t *testing.T) {
	t.Parallel()
	raw := readREADME(t)
	var lines []docexample.Example
	for _, b := range docexample.Blocks(raw) {
		if b.Heading == installSection && b.Lang == "sh" {
			lines = append(lines, docexample.BareCommands(b)...)
		}
	}
	require.NotEmpty(t, lines, "no commands under ## %s", installSection)
	release, err := os.ReadFile(filepath.Join(repoRoot, "scripts", "release"))
	require.NoError(t, err)
	dockerTag := ""
	for _, line := range lines {
		t.Run(fmt.Sprintf("README.md:%d", line.Line), func(t *testing.T) {
			cmds, err := docexample.Commands(line.Command)
			require.NoError(t, err)
			require.Len(t, cmds, 1, "one command per line")
			words := cmds[0]
			switch {
			case words[0] == "sha256sum":
				assert.Equal(t, "SHA256SUMS", words[len(words)-1])
				assert.Contains(t, string(release), "sha256sum -c --quiet SHA256SUMS", "scripts/release --check verifies its SHA256SUMS the same way")
			case words[0] == "chmod":
				require.Len(t, words, 3)
				assert.Regexp(t, releaseBinary, words[2])
			case strings.HasPrefix(words[0], "./"):
				assert.Regexp(t, releaseBinary, strings.TrimPrefix(words[0], "./"))
				stdout, stderr, code := runBinary(t, testEnv(t), "", words[1:]...)
				require.Equal(t, exitOK, code, stderr)
				assert.True(t, strings.HasPrefix(stdout, "autotask-mcp "), stdout)
			case len(words) == 3 && words[0] == "go" && words[1] == "install":
				checkGoInstall(t, words[2])
			case len(words) > 2 && words[0] == "docker" && words[1] == "build":
				assert.Equal(t, ".", words[len(words)-1], "built from the repository's root, where the Dockerfile is")
				at := slices.Index(words, "-t")
				require.True(t, at > 0 && at+1 < len(words), "the image is tagged")
				dockerTag = words[at+1]
			case len(words) > 2 && words[0] == "docker" && words[1] == "run":
				checkDockerRun(t, words[2:], dockerTag)
			case words[0] == "scripts/release":
				info, err := os.Stat(filepath.Join(repoRoot, "scripts", "release"))
				require.NoError(t, err)
				assert.NotZero(t, info.Mode()&0o111, "scripts/release is executable")
				require.Len(t, words, 2)
				assert.Regexp(t, `^v\d+\.\d+\.\d+$`, words[1])
			default:
				t.Fatalf("this test does not know how to check %q; teach it", words)
			}
		})
	}
}

// checkGoInstall installs this tree the way `go install module/cmd/autotask-mcp@latest`
// builds the module (the module is not fetched: it is this one) and runs the result.
func checkGoInstall(t *testing.T, target string) {
	mod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	require.NoError(t, err)
	module := regexp.MustCompile(`(?m)^module (\S+)`).FindSubmatch(mod)
	require.NotNil(t, module)
	assert.Equal(t, string(module[1])+"/cmd/autotask-mcp@latest", target, "the README installs this module's command")

	bin := t.TempDir()
	install := exec.CommandContext(t.Context(), "go", "install", "-trimpath", "./cmd/autotask-mcp")
	install.Dir = repoRoot
	// A user's go install has no GOFLAGS of this machine's (not "": an empty GOFLAGS falls
	// back to what `go env -w` stored).
	install.Env = append(os.Environ(), "GOBIN="+bin, "GOFLAGS=-mod=readonly")
	out, err := install.CombinedOutput()
	require.NoError(t, err, "%s", out)
	stdout, stderr, code := runProgram(t, filepath.Join(bin, "autotask-mcp"), testEnv(t), "", "version")
	require.Equal(t, exitOK, code, stderr)
	assert.Regexp(t, `^autotask-mcp \S+ \(`, stdout)
}

// checkDockerRun holds `docker run` arguments to the image: the port it exposes, the tag
// the README built, and only variables the server reads, the token among them, secrets
// passed from the environment by name.
func checkDockerRun(t *testing.T, args []string, tag string) {
	stages := readDockerfile(t)
	exposed := stages[len(stages)-1].all("EXPOSE")
	secrets := []string{envToken, envGuardKey, autotask.EnvSecret, autotask.EnvSecretB64}
	settings := []string{autotask.EnvUsername, autotask.EnvIntegrationCode, autotask.EnvAPIURL,
		autotask.EnvResourceID, autotask.EnvHourlyBudget}
	var passed []string
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "-p":
			require.Less(t, i+1, len(args))
			i++
			_, container, ok := strings.Cut(args[i], ":")
			require.True(t, ok, "-p HOST:CONTAINER")
			assert.Contains(t, exposed, container, "the port the image exposes")
		case "-e":
			require.Less(t, i+1, len(args))
			i++
			name, _, hasValue := strings.Cut(args[i], "=")
			switch {
			case slices.Contains(secrets, name):
				assert.False(t, hasValue, "-e %s: a secret on the command line is visible to every user of the machine; pass it by name from the environment", args[i])
			case slices.Contains(settings, name), strings.HasPrefix(name, envPrefix):
			default:
				t.Errorf("-e %s: not a variable the server reads", args[i])
			}
			passed = append(passed, name)
		default:
			require.Equal(t, len(args)-1, i, "the image comes last; unknown option %q", args[i])
			assert.Equal(t, tag, args[i], "the image the README built")
		}
	}
	assert.Contains(t, passed, envToken, "the image refuses to start without it")
}
