package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/docexample"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// repoRoot is where README.md, go.mod and the packages the README names live.
var repoRoot = filepath.Join("..", "..")

// readmeSection is the README section whose examples a new user runs first.
const readmeSection = "Try it"

// goRunThis is how the README runs this program; the test runs the binary built from the
// same source instead.
var goRunThis = []string{"go", "run", "./cmd/autotask-mcp"}

// readREADME is the repository's README.md.
func readREADME(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	require.NoError(t, err)
	return string(raw)
}

// TestREADMEExamples runs every command README.md shows a new user, the way a new user
// would on a fresh clone (no credentials: the built-in sandbox tenant), and checks that the
// program prints what the README shows for it. The commands and the output are read from
// README.md itself, so an example edited into something the program does not print, or a
// program change that makes an example untrue, fails here. Output the README elides with
// "..." is not compared.
func TestREADMEExamples(t *testing.T) {
	t.Parallel()
	raw := readREADME(t)
	blocks := docexample.Blocks(raw)
	require.NotEmpty(t, blocks, "README.md has no code blocks")

	t.Run("first lines", func(t *testing.T) {
		first := blocks[0]
		require.Empty(t, first.Heading, "the README opens with a code block before any section")
		lines := docexample.BareCommands(first)
		require.NotEmpty(t, lines)
		for _, line := range lines {
			t.Run(fmt.Sprintf("README.md:%d", line.Line), func(t *testing.T) { runReadmeLine(t, line) })
		}
	})

	t.Run(readmeSection, func(t *testing.T) {
		r := &readmeRun{sandboxes: map[string]string{}}
		// Prose like "`go run ./cmd/autotask-mcp sandbox --addr ...` prints ..., then:"
		// starts what the examples after it talk to.
		for _, span := range docexample.Spans(raw) {
			if span.Heading == readmeSection && strings.HasPrefix(span.Text, "go run ") {
				r.startBackground(t, span)
			}
		}
		var examples []docexample.Example
		for _, b := range blocks {
			if b.Heading == readmeSection && b.Lang == "sh" {
				session := docexample.Session(b)
				require.NotEmpty(t, session, "README.md:%d: a shell block under ## %s with no command (%q line) to check", b.Line, readmeSection, docexample.Prompt)
				examples = append(examples, session...)
			}
		}
		require.NotEmpty(t, examples, "no examples (%q lines) under ## %s", docexample.Prompt, readmeSection)
		for _, ex := range examples {
			t.Run(fmt.Sprintf("README.md:%d", ex.Line), func(t *testing.T) {
				require.NotEmpty(t, strings.TrimSpace(ex.Output), "the example shows no output to check")
				r.runExample(t, ex)
			})
		}
	})
}

// runReadmeLine checks one of the README's opening command lines: the server on stdio
// answers an MCP initialize; the test suite's own commands are not run (this test is part
// of them), but what they name must exist and the tools they say they need must be the
// ones the repository asks for.
func runReadmeLine(t *testing.T, line docexample.Example) {
	cmds, err := docexample.Commands(line.Command)
	require.NoError(t, err)
	require.NotEmpty(t, cmds)
	for _, words := range cmds {
		switch {
		case isGoRunThis(words):
			args := words[len(goRunThis):]
			require.True(t, len(args) == 0 || args[0] == "serve" || strings.HasPrefix(args[0], "-"),
				"README.md:%d: the opening line is expected to serve; teach this test what %q does", line.Line, words)
			checkServesStdio(t, args)
		case len(words) >= 2 && words[0] == "go" && (words[1] == "vet" || words[1] == "test"):
			t.Logf("not run: %q is the suite this test belongs to", strings.Join(words, " "))
			checkPackagesExist(t, words[2:])
		default:
			t.Fatalf("README.md:%d: this test does not know how to check %q; teach it", line.Line, words)
		}
	}
	checkStatedRequirements(t, line.Command)
}

// checkServesStdio starts the server the way a desktop client does and sends initialize.
func checkServesStdio(t *testing.T, args []string) {
	stdout, stderr, code := runBinary(t, testEnv(t), initializeBody+"\n", args...)
	require.Equal(t, 0, code, "stderr: %s", stderr)
	first, _, _ := strings.Cut(stdout, "\n")
	var resp struct {
		ID     int `json:"id"`
		Result struct {
			ProtocolVersion string `json:"protocolVersion"`
			ServerInfo      struct {
				Name string `json:"name"`
			} `json:"serverInfo"`
		} `json:"result"`
	}
	require.NoError(t, json.Unmarshal([]byte(first), &resp), "stdout: %s", stdout)
	assert.Equal(t, 1, resp.ID)
	assert.NotEmpty(t, resp.Result.ProtocolVersion)
	assert.Equal(t, "autotask-mcp", resp.Result.ServerInfo.Name)
	assert.Contains(t, stderr, "serving the built-in sandbox tenant", "no credentials: the sandbox, said on stderr")
}

// checkPackagesExist requires the package patterns among args to name packages.
func checkPackagesExist(t *testing.T, args []string) {
	var patterns []string
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			patterns = append(patterns, a)
		}
	}
	if len(patterns) == 0 {
		return
	}
	cmd := exec.CommandContext(t.Context(), "go", append([]string{"list"}, patterns...)...)
	cmd.Dir = repoRoot
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go list %s: %s", strings.Join(patterns, " "), out)
}

var (
	statedGo   = regexp.MustCompile(`\bGo (\d+\.\d+)\b`)
	statedNode = regexp.MustCompile(`\bNode\.js (\d+)\+`)
	goModGo    = regexp.MustCompile(`(?m)^go (\d+\.\d+)`)
	nodeEngine = regexp.MustCompile(`^>=\s*(\d+)$`)
)

// checkStatedRequirements holds the versions a line's comment says it needs to what
// go.mod and e2e/package.json ask for.
func checkStatedRequirements(t *testing.T, line string) {
	if m := statedGo.FindStringSubmatch(line); m != nil {
		mod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
		require.NoError(t, err)
		want := goModGo.FindSubmatch(mod)
		require.NotNil(t, want, "go.mod has a go directive")
		assert.Equal(t, string(want[1]), m[1], "the Go version the README states is go.mod's")
	}
	if m := statedNode.FindStringSubmatch(line); m != nil {
		raw, err := os.ReadFile(filepath.Join(repoRoot, "e2e", "package.json"))
		require.NoError(t, err)
		var pkg struct {
			Engines struct {
				Node string `json:"node"`
			} `json:"engines"`
		}
		require.NoError(t, json.Unmarshal(raw, &pkg))
		want := nodeEngine.FindStringSubmatch(pkg.Engines.Node)
		require.NotNil(t, want, "e2e/package.json engines.node %q", pkg.Engines.Node)
		assert.Equal(t, want[1], m[1], "the Node.js version the README states is e2e/package.json's")
	}
}

// readmeRun is the state one pass over the examples builds up.
type readmeRun struct {
	sandboxes map[string]string // the address the README gives a sandbox -> where the test's one listens
}

// startBackground starts a long-running command the README's prose gives (only the
// sandbox is one) on a free loopback port instead of the address the README gives, and
// stops it when the test ends.
func (r *readmeRun) startBackground(t *testing.T, span docexample.Span) {
	cmds, err := docexample.Commands(span.Text)
	require.NoError(t, err, "README.md:%d", span.Line)
	require.Len(t, cmds, 1, "README.md:%d: one command", span.Line)
	words := cmds[0]
	require.True(t, isGoRunThis(words) && len(words) > len(goRunThis) && words[len(goRunThis)] == "sandbox",
		"README.md:%d: this test does not know how to run %q; teach it", span.Line, span.Text)
	args := slices.Clone(words[len(goRunThis):])
	at := slices.Index(args, "--addr")
	require.True(t, at >= 0 && at+1 < len(args), "README.md:%d: give the sandbox an explicit --addr, so the examples can say where it is", span.Line)
	readmeAddr := args[at+1]
	args[at+1] = "127.0.0.1:0"

	printed := startSandboxCommand(t, args)
	apiURL := printed["AUTOTASK_API_URL"]
	require.NotEmpty(t, apiURL, "the sandbox prints its base URL")
	for _, name := range []string{"AUTOTASK_USERNAME", "AUTOTASK_SECRET", "AUTOTASK_INTEGRATION_CODE"} {
		assert.NotEmpty(t, printed[name], "the sandbox prints its credentials (%s)", name)
	}
	host, _, _ := strings.Cut(strings.TrimPrefix(apiURL, "http://"), "/")
	r.sandboxes[readmeAddr] = host
}

// runExample runs one "$ " command and checks the output the README shows after it.
func (r *readmeRun) runExample(t *testing.T, ex docexample.Example) {
	cmds, err := docexample.Commands(ex.Command)
	require.NoError(t, err)
	require.Len(t, cmds, 1, "one command per example")
	words := cmds[0]
	switch {
	case isGoRunThis(words):
		stdout, stderr, code := runBinary(t, testEnv(t), "", words[len(goRunThis):]...)
		require.Equal(t, 0, code, "stdout: %s\nstderr: %s", stdout, stderr)
		shownOut, shownErr := splitShownStderr(ex.Output)
		for _, line := range shownErr {
			assert.True(t, slices.ContainsFunc(strings.Split(stderr, "\n"), func(got string) bool {
				return docexample.MatchText(line, got)
			}), "the README shows this line on stderr:\n%s\nstderr was:\n%s", line, stderr)
		}
		assert.NoError(t, matchOutput(shownOut, stdout), "stdout:\n%s", stdout)
	case words[0] == "curl":
		req, err := docexample.CurlRequest(t.Context(), words)
		require.NoError(t, err)
		readmeAddr := req.URL.Host
		listening, ok := r.sandboxes[readmeAddr]
		require.True(t, ok, "the example talks to %s, where no sandbox the README starts (under ## %s) listens", readmeAddr, readmeSection)
		req.URL.Host = listening
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		// Links in the answer point where the test's sandbox listens; the README's at its address.
		got := strings.ReplaceAll(string(body), "//"+listening+"/", "//"+readmeAddr+"/")
		assert.NoError(t, matchOutput(ex.Output, got), "HTTP %d:\n%s", resp.StatusCode, body)
	default:
		t.Fatalf("this test does not know how to run %q; teach it", words)
	}
}

func isGoRunThis(words []string) bool {
	return len(words) >= len(goRunThis) && slices.Equal(words[:len(goRunThis)], goRunThis)
}

// splitShownStderr separates the lines an example shows on stderr (the program's notices,
// which a terminal interleaves with stdout) from the stdout it shows.
func splitShownStderr(shown string) (stdout string, stderr []string) {
	var out strings.Builder
	for line := range strings.Lines(shown) {
		if strings.HasPrefix(line, stderrPrefix) {
			stderr = append(stderr, strings.TrimSuffix(line, "\n"))
			continue
		}
		out.WriteString(line)
	}
	return out.String(), stderr
}

// matchOutput compares JSON structurally (any layout, "..." elisions) and any other output
// line by line.
func matchOutput(shown, actual string) error {
	if s := strings.TrimSpace(shown); strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[") {
		return docexample.MatchJSON(shown, actual)
	}
	want := strings.Split(strings.TrimSuffix(shown, "\n"), "\n")
	got := strings.Split(strings.TrimSuffix(actual, "\n"), "\n")
	if len(want) != len(got) {
		return fmt.Errorf("shown %d lines, got %d", len(want), len(got))
	}
	for i := range want {
		if !docexample.MatchText(want[i], got[i]) {
			return fmt.Errorf("line %d: shown %q, got %q", i+1, want[i], got[i])
		}
	}
	return nil
}

// toolRowPattern is a row of the README's tool table: "| `get_ticket` | what it does |".
var toolRowPattern = regexp.MustCompile("^\\| `([a-z_]+)` \\|")

// TestREADMEToolsTable keeps the README's "## Tools" table the list of tools the server
// offers: a tool added to tools.All without a row, or a row left after a tool is gone, fails.
func TestREADMEToolsTable(t *testing.T) {
	t.Parallel()
	raw := readREADME(t)
	_, section, found := strings.Cut(raw, "\n## Tools\n")
	require.True(t, found, "README.md has a ## Tools section")
	section, _, _ = strings.Cut(section, "\n## ")
	var listed []string
	for _, line := range strings.Split(section, "\n") {
		if m := toolRowPattern.FindStringSubmatch(line); m != nil {
			listed = append(listed, m[1])
		}
	}
	testenv.RequireCoversTools(t, "README.md (the table under ## Tools)", testenv.ToolNames(), listed)
}
