package main

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// Every credential the binaries under test are given, right or wrong. Each holds symbols
// that JSON, URL and Go quoting rewrite, so an encoded leak looks different from a raw one
// and the encoded forms are worth checking at all.
const (
	leakUser     = "leak-check@autotask-mcp.local" // expected in output; never asserted on
	leakSecret   = `Zx9+SECRET/never&shown<7Qp>"`
	leakCode     = "INTEG-never-shown-4Lm&=?"
	wrongSecret  = `Wr0ng+SECRET/also&hidden<9Tz>`
	wrongCode    = "WRONG-INTEG-hidden-6Yk&="
	leakToken    = "MCPTOKEN-never-shown-8Rv+/="
	wrongToken   = "MCPTOKEN-wrong-but-private-3Jd" // a client's token is private even when wrong
	leakGuardKey = "GUARDKEY-never-shown-2Hc-0123456789"
)

// forbidden names each value that must never appear in anything the server emits.
var forbidden = []struct{ name, value string }{
	{"the Autotask secret", leakSecret},
	{"the Autotask integration code", leakCode},
	{"a wrong Autotask secret", wrongSecret},
	{"a wrong integration code", wrongCode},
	{"the MCP bearer token", leakToken},
	{"a client's wrong bearer token", wrongToken},
	{"the guard key", leakGuardKey},
}

func b64Secret() string { return base64.StdEncoding.EncodeToString([]byte(leakSecret)) }

// secretForm is one way a value can be written down.
type secretForm struct{ name, text string }

// encodings lists the spellings of v a careless log line, error or result could carry:
// raw, escaped for JSON, Go and URLs, base64 (padding dropped, so padded and unpadded
// both match), hex, and either half (a truncated secret is still a leaked secret).
func encodings(v string) []secretForm {
	jsonEsc := func(html bool) string {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		_ = enc.Encode(v)
		s := strings.TrimSpace(b.String())
		return s[1 : len(s)-1]
	}
	all := []secretForm{
		{"raw", v},
		{"JSON-escaped", jsonEsc(true)},
		{"JSON-escaped without HTML escaping", jsonEsc(false)},
		{"Go-quoted", strings.Trim(strconv.Quote(v), `"`)},
		{"URL query-escaped", url.QueryEscape(v)},
		{"URL path-escaped", url.PathEscape(v)},
		{"base64", base64.RawStdEncoding.EncodeToString([]byte(v))},
		{"base64url", base64.RawURLEncoding.EncodeToString([]byte(v))},
		{"hex", hex.EncodeToString([]byte(v))},
		{"HEX", strings.ToUpper(hex.EncodeToString([]byte(v)))},
		{"first half", v[:len(v)/2]},
		{"second half", v[len(v)/2:]},
	}
	seen := map[string]bool{}
	var forms []secretForm
	for _, f := range all {
		if !seen[f.text] {
			seen[f.text] = true
			forms = append(forms, f)
		}
	}
	return forms
}

// findLeaks reports each forbidden value found in blob, once: the value, the first form it
// was found in (whole forms before halves), any other forms, and the text around it.
func findLeaks(blob string) []string {
	var found []string
	for _, secret := range forbidden {
		var first secretForm
		at := -1
		var also []string
		for _, form := range encodings(secret.value) {
			i := strings.Index(blob, form.text)
			switch {
			case i < 0:
			case at < 0:
				first, at = form, i
			default:
				also = append(also, form.name)
			}
		}
		if at < 0 {
			continue
		}
		from, to := max(0, at-60), min(len(blob), at+len(first.text)+60)
		more := ""
		if len(also) > 0 {
			more = "; also as " + strings.Join(also, ", ")
		}
		snippet := strings.ReplaceAll(blob[from:to], "\n", "⏎")
		found = append(found, fmt.Sprintf("%s, %s%s, at byte %d: …%s…", secret.name, first.name, more, at, snippet))
	}
	return found
}

// assertNoLeak fails the test once per leak in blob, saying where the blob came from.
// It returns the blob's size so callers can insist they checked something.
func assertNoLeak(t testing.TB, where, blob string) int {
	t.Helper()
	for _, leak := range findLeaks(blob) {
		t.Errorf("LEAK in %s: %s", where, leak)
	}
	return len(blob)
}

func TestSecretFormsAreDetected(t *testing.T) {
	t.Parallel()
	// The check is only as good as its forms: every form of every value must be found.
	for _, secret := range forbidden {
		for _, form := range encodings(secret.value) {
			assert.NotEmpty(t, findLeaks("x "+form.text+" y"), "%s as %s", secret.name, form.name)
		}
	}
	assert.Empty(t, findLeaks(leakUser+" sandbox-secret SANDBOX never shown"), "no false alarm on ordinary text")
}

// leakCounts tallies what the secrets test exercised, for its closing log line.
type leakCounts struct {
	calls, toolErrors, resourceReads, subcommands, httpRequests, faults atomic.Int64
}

// leakTenant is a sandbox tenant in this process, with the known credentials, behind a
// real HTTP server: the binaries under test reach it as they would reach Autotask.
type leakTenant struct {
	sb     *sandbox.Sandbox
	srv    *httptest.Server
	apiURL string // .../ATServicesRest, for AUTOTASK_API_URL and AUTOTASK_ZONE_LOOKUP_URL
}

func newLeakTenant(t *testing.T) *leakTenant {
	t.Helper()
	sb := sandbox.New(sandbox.Options{
		Tickets:     60,
		Companies:   10,
		Credentials: sandbox.Credentials{Username: leakUser, Secret: leakSecret, IntegrationCode: leakCode},
	})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return &leakTenant{sb: sb, srv: srv, apiURL: srv.URL + "/ATServicesRest"}
}

// env is the binary's environment for this tenant with the given secret and code.
func (lt *leakTenant) env(t *testing.T, secret, code string, extra ...string) []string {
	vars := []string{
		autotask.EnvUsername + "=" + leakUser,
		autotask.EnvSecret + "=" + secret,
		autotask.EnvIntegrationCode + "=" + code,
		autotask.EnvAPIURL + "=" + lt.apiURL,
		envGuardKey + "=" + leakGuardKey,
	}
	return testEnv(t, append(vars, extra...)...)
}

// leakSession is the binary serving MCP on stdio to an mcp-go client, with every byte
// the server writes to stdout recorded: the stdio client in main_test.go owns the
// stdout pipe, so it cannot show the raw protocol stream this test must search.
type leakSession struct {
	name      string
	c         *client.Client
	cmd       *exec.Cmd
	stdout    *testenv.Buffer
	stderr    *testenv.Buffer
	auditPath string
	counts    *leakCounts
	closed    bool
	copied    chan struct{}
	toClient  *io.PipeWriter

	toolsMu   sync.Mutex
	succeeded map[string]bool // tools called with a result that was not an error
	failed    map[string]bool // tools called with a result that was
}

// toolsCalled lists the tools that both succeeded and failed at least once in this session.
func (s *leakSession) toolsCalled() []string {
	s.toolsMu.Lock()
	defer s.toolsMu.Unlock()
	var both []string
	for name := range s.succeeded {
		if s.failed[name] {
			both = append(both, name)
		}
	}
	return both
}

func startLeakSession(t *testing.T, name string, env []string, counts *leakCounts, args ...string) *leakSession {
	t.Helper()
	s := &leakSession{
		name:      name,
		stdout:    &testenv.Buffer{},
		stderr:    &testenv.Buffer{},
		auditPath: filepath.Join(t.TempDir(), "audit.jsonl"),
		counts:    counts,
		copied:    make(chan struct{}),
		succeeded: map[string]bool{},
		failed:    map[string]bool{},
	}
	args = append([]string{"--log-level", "debug", "--audit-log", s.auditPath}, args...)
	s.cmd = exec.Command(binPath, args...)
	s.cmd.Env = env
	s.cmd.Stderr = s.stderr
	stdin, err := s.cmd.StdinPipe()
	require.NoError(t, err)
	// stdout goes through an OS pipe this test reads to the end, whatever the client does:
	// the client stops reading once closed, and the record must still be complete.
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	s.cmd.Stdout = pw
	require.NoError(t, s.cmd.Start())
	_ = pw.Close()
	clientR, clientW := io.Pipe()
	s.toClient = clientW
	go func() {
		defer close(s.copied)
		defer pr.Close()
		buf := make([]byte, 32<<10)
		forward := true
		for {
			n, err := pr.Read(buf)
			if n > 0 {
				_, _ = s.stdout.Write(buf[:n])
				if forward {
					if _, werr := clientW.Write(buf[:n]); werr != nil {
						forward = false
					}
				}
			}
			if err != nil {
				_ = clientW.CloseWithError(err)
				return
			}
		}
	}()
	s.c = client.NewClient(transport.NewIO(clientR, stdin, nil))
	t.Cleanup(func() { s.close(t) })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, s.c.Start(ctx))
	_, err = s.c.Initialize(ctx, initializeRequest("secrets-test"))
	require.NoError(t, err, "initialize; stderr:\n%s", s.stderr)
	return s
}

// close ends the session (stdin closed, as a desktop client does), waits for the process
// and its output, then searches stdout, stderr and the audit log.
func (s *leakSession) close(t *testing.T) {
	t.Helper()
	if s.closed {
		return
	}
	s.closed = true
	_ = s.c.Close()
	_ = s.toClient.Close()
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	select {
	case err := <-exited:
		assert.NoError(t, err, "%s: exit status; stderr:\n%s", s.name, s.stderr)
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-exited
		t.Errorf("%s: server did not exit after stdin closed", s.name)
	}
	<-s.copied
	assert.NotContains(t, s.stderr.String(), "DATA RACE")
	assert.NotZero(t, assertNoLeak(t, s.name+": stdout (MCP protocol stream)", s.stdout.String()))
	assert.NotZero(t, assertNoLeak(t, s.name+": stderr (debug log)", s.stderr.String()))
	if audit, err := os.ReadFile(s.auditPath); err == nil {
		assertNoLeak(t, s.name+": audit log", string(audit))
	}
}

// audit returns the audit log so far (the guard writes each line as it happens).
func (s *leakSession) audit(t *testing.T) string {
	b, err := os.ReadFile(s.auditPath)
	if os.IsNotExist(err) {
		return ""
	}
	require.NoError(t, err)
	return string(b)
}

// call runs one tool and searches what came back: the whole result as the client decoded
// it (text and structuredContent) and any error. It returns the result's text and its
// structured content, and whether the call failed (isError or a protocol error).
func (s *leakSession) call(t *testing.T, tool string, args map[string]any) (text string, structured map[string]any, failed bool) {
	t.Helper()
	s.counts.calls.Add(1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	where := fmt.Sprintf("%s: %s %s", s.name, tool, mustJSON(t, args))
	res, err := s.c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: tool, Arguments: args}})
	if err != nil {
		s.counts.toolErrors.Add(1)
		assertNoLeak(t, where+": error", err.Error())
		return err.Error(), nil, true
	}
	assertNoLeak(t, where+": result", mustJSON(t, res))
	var texts []string
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			texts = append(texts, tc.Text)
		}
	}
	if res.StructuredContent != nil {
		require.NoError(t, json.Unmarshal([]byte(mustJSON(t, res.StructuredContent)), &structured))
	}
	if res.IsError {
		s.counts.toolErrors.Add(1)
	}
	s.toolsMu.Lock()
	if res.IsError {
		s.failed[tool] = true
	} else {
		s.succeeded[tool] = true
	}
	s.toolsMu.Unlock()
	return strings.Join(texts, "\n"), structured, res.IsError
}

// ok runs a call that must succeed and returns its structured content.
func (s *leakSession) ok(t *testing.T, tool string, args map[string]any) map[string]any {
	t.Helper()
	text, structured, failed := s.call(t, tool, args)
	require.False(t, failed, "%s %s failed: %s", tool, mustJSON(t, args), text)
	return structured
}

// fails runs a call that must fail, with a message holding every one of want (any case).
func (s *leakSession) fails(t *testing.T, tool string, args map[string]any, want ...string) string {
	t.Helper()
	text, _, failed := s.call(t, tool, args)
	require.True(t, failed, "%s %s should have failed: %s", tool, mustJSON(t, args), text)
	for _, w := range want {
		assert.Contains(t, strings.ToLower(text), strings.ToLower(w), "%s %s", tool, mustJSON(t, args))
	}
	return text
}

// read reads an MCP resource; resources are another road from the tenant to the client.
func (s *leakSession) read(t *testing.T, uri string, wantErr bool) {
	t.Helper()
	s.counts.resourceReads.Add(1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := s.c.ReadResource(ctx, mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: uri}})
	where := s.name + ": resource " + uri
	if wantErr {
		require.Error(t, err, where)
		assertNoLeak(t, where+": error", err.Error())
		return
	}
	require.NoError(t, err, where)
	assertNoLeak(t, where+": result", mustJSON(t, res))
}

func mustJSON(t testing.TB, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// always is enough scripted faults to fail every attempt of one call: the client tries a
// read three times, and net/http may replay an idempotent request on a fresh connection
// after a reset, consuming a second fault per attempt.
const always = 10

// fault scripts n failures of the next matching requests and returns what clears whatever
// the call did not consume, so no fault leaks into the next step.
func fault(lt *leakTenant, counts *leakCounts, method, path string, n int, f sandbox.Fault) func() {
	counts.faults.Add(1)
	lt.sb.Faults().Script(method, path, n, f)
	return lt.sb.Faults().Clear
}

// TestSecretsNeverLeak runs every tool, its refusals and the failures of the API it talks
// to, the auth failures, the subcommands and the HTTP transport, all with known
// credentials, and searches everything the server emits for them (see forbidden and
// encodings): the MCP stream on stdout, the debug log on stderr, the audit log, the zone
// cache, every tool result and error, subcommand output, HTTP answers.
func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	counts := &leakCounts{}
	t.Cleanup(func() {
		t.Logf("exercised: %d tool calls (%d of them ended in an error), %d resource reads, %d subcommand runs, %d raw HTTP requests, %d injected faults",
			counts.calls.Load(), counts.toolErrors.Load(), counts.resourceReads.Load(), counts.subcommands.Load(),
			counts.httpRequests.Load(), counts.faults.Load())
	})

	t.Run("stdio every tool and fault", func(t *testing.T) {
		t.Parallel()
		lt := newLeakTenant(t)
		s := startLeakSession(t, "stdio session", lt.env(t, leakSecret, leakCode), counts)
		secretsEveryTool(t, lt, s)
		s.close(t)
		testenv.RequireCoversTools(t, "cmd/autotask-mcp/secrets_test.go (secretsEveryTool: a call that succeeds and one that fails)",
			testenv.ToolNames(), s.toolsCalled())
	})
	t.Run("stdio base64 secret and zone discovery", func(t *testing.T) {
		t.Parallel()
		lt := newLeakTenant(t)
		cacheDir := t.TempDir()
		env := testEnv(t,
			autotask.EnvUsername+"="+leakUser,
			autotask.EnvSecretB64+"="+b64Secret(),
			autotask.EnvIntegrationCode+"="+leakCode,
			autotask.EnvZoneLookupURL+"="+lt.apiURL,
			autotask.EnvCacheDir+"="+cacheDir,
			envGuardKey+"="+leakGuardKey,
		)
		s := startLeakSession(t, "stdio session (base64 secret, zone discovery)", env, counts)
		page := s.ok(t, "query_entity", map[string]any{"entity": "Tickets", "limit": 2, "fields": []string{"id", "ticketNumber"}})
		items, _ := page["items"].([]any)
		require.NotEmpty(t, items)
		first, _ := items[0].(map[string]any)
		id := int64(first["id"].(float64))
		s.ok(t, "get_ticket", map[string]any{"ticket_id": id})
		s.ok(t, "add_ticket_note", map[string]any{"ticket_id": id, "title": "zone check", "description": "written through the discovered zone"})
		s.fails(t, "get_ticket", map[string]any{"ticket_id": 999999999}, "no ticket with id")
		s.close(t)

		out, errOut, code := runBinary(t, env, "", "check", "--log-level", "debug")
		counts.subcommands.Add(1)
		assert.Equal(t, 0, code, "check: %s\n%s", out, errOut)
		assert.Contains(t, out, "credentials: ok")
		assertNoLeak(t, "check (base64 secret, zone discovery): stdout", out)
		assertNoLeak(t, "check (base64 secret, zone discovery): stderr", errOut)

		cached := map[string]int{}
		require.NoError(t, filepath.WalkDir(cacheDir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			kind, _, _ := strings.Cut(filepath.Base(path), "-")
			cached[kind]++
			assertNoLeak(t, "cache file "+filepath.Base(path), string(b))
			return nil
		}))
		for _, kind := range []string{"zone", "metadata", "threshold"} {
			assert.NotZero(t, cached[kind], "the %s was cached, so its file was searched: %v", kind, cached)
		}
	})
	for _, bad := range []struct{ name, secret, code string }{
		{"wrong secret", wrongSecret, leakCode},           // the API answers an empty 401
		{"wrong integration code", leakSecret, wrongCode}, // the API answers a 500 with a message
	} {
		t.Run("stdio "+bad.name, func(t *testing.T) {
			t.Parallel()
			lt := newLeakTenant(t)
			env := lt.env(t, bad.secret, bad.code)
			s := startLeakSession(t, "stdio session ("+bad.name+")", env, counts)
			// The assistant is told plainly that the credentials are wrong, and nothing more.
			for _, c := range []struct {
				tool string
				args map[string]any
			}{
				{"get_ticket", map[string]any{"ticket_number": "T20260602.0002"}},
				{"query_entity", map[string]any{"entity": "Tickets", "count_only": true}},
				{"get_entity", map[string]any{"entity": "Companies", "id": 0}},
				{"describe_fields", map[string]any{"entity": "Tickets"}},
				{"add_ticket_note", map[string]any{"ticket_id": 10019, "title": "t", "description": "d"}},
				{"create_ticket", map[string]any{"company": 0, "title": "t", "description": "d", "dry_run": true}},
			} {
				text := s.fails(t, c.tool, c.args)
				if c.tool != "add_ticket_note" { // refused by the guard before any request
					assert.Contains(t, text, "refused the server's credentials", "%s: a clear auth error", c.tool)
				}
			}
			s.read(t, "autotask://tickets/10019", true)
			s.close(t)

			for _, run := range []struct {
				args []string
				want string
			}{
				{[]string{"check", "--log-level", "debug"}, "credentials"},
				{[]string{"call", "--log-level", "debug", "get_ticket", `{"ticket_id":10019}`}, "refused the server's credentials"},
			} {
				out, errOut, code := runBinary(t, env, "", run.args...)
				counts.subcommands.Add(1)
				assert.Equal(t, exitFailure, code, "%v: %s\n%s", run.args, out, errOut)
				assert.Contains(t, out+errOut, run.want)
				assertNoLeak(t, fmt.Sprintf("%v (%s): stdout", run.args, bad.name), out)
				assertNoLeak(t, fmt.Sprintf("%v (%s): stderr", run.args, bad.name), errOut)
			}
		})
	}
	t.Run("subcommands", func(t *testing.T) {
		t.Parallel()
		lt := newLeakTenant(t)
		env := lt.env(t, leakSecret, leakCode)
		runs := []struct {
			name     string
			args     []string
			wantCode int
			want     string
			before   func()
		}{
			{name: "check", args: []string{"check", "--log-level", "debug"}, want: "credentials: ok"},
			{name: "call get_ticket", args: []string{"call", "--log-level", "debug", "get_ticket", `{"ticket_id":10019}`}, want: `"ticket"`},
			{name: "call full result", args: []string{"call", "--log-level", "debug", "--full", "query_entity", `{"entity":"Companies","limit":2}`}, want: `"structuredContent"`},
			{name: "call bad arguments", args: []string{"call", "get_ticket", `{}`}, wantCode: exitFailure, want: `"isError": true`},
			{name: "call refused write", args: []string{"call", "--audit-log", filepath.Join(t.TempDir(), "a.jsonl"), "add_ticket_note", `{"ticket_id":10019,"title":"t","description":"d"}`},
				wantCode: exitFailure, want: "had not read"},
			{name: "call unknown tool", args: []string{"call", "get_tikcet", `{}`}, wantCode: exitUsage, want: "no tool"},
			{name: "call 500 from the API", args: []string{"call", "--log-level", "debug", "get_ticket", `{"ticket_id":10019}`}, wantCode: exitFailure, want: "did not answer properly",
				before: func() { fault(lt, counts, "GET", "Tickets/10019", always, sandbox.Fault{Kind: sandbox.FaultStatus}) }},
			{name: "call API hangs past --timeout", args: []string{"call", "--log-level", "debug", "--timeout", "1500ms", "get_ticket", `{"ticket_id":10019}`}, wantCode: exitFailure,
				before: func() { fault(lt, counts, "GET", "Tickets/10019", 1, sandbox.Fault{Kind: sandbox.FaultHang}) }},
		}
		for _, run := range runs {
			if run.before != nil {
				run.before()
			}
			out, errOut, code := runBinary(t, env, "", run.args...)
			counts.subcommands.Add(1)
			assert.Equal(t, run.wantCode, code, "%s: %s\n%s", run.name, out, errOut)
			if run.want != "" {
				assert.Contains(t, out+errOut, run.want, run.name)
			}
			assertNoLeak(t, run.name+": stdout", out)
			assertNoLeak(t, run.name+": stderr", errOut)
			lt.sb.Faults().Clear()
		}
	})
	t.Run("http transport", func(t *testing.T) {
		t.Parallel()
		secretsOverHTTP(t, newLeakTenant(t), counts)
	})
}

// secretsEveryTool runs every tool with good and bad arguments, the guard's refusals, the
// confirmation token path, and each kind of API failure the sandbox can inject.
func secretsEveryTool(t *testing.T, lt *leakTenant, s *leakSession) {
	counts := s.counts
	// Reads, and the assistant's mistakes with them.
	s.ok(t, "describe_fields", map[string]any{})
	s.ok(t, "describe_fields", map[string]any{"entity": "Tickets", "include_picklists": true})
	s.ok(t, "describe_fields", map[string]any{"entity": "Tickets", "field": "status"})
	s.fails(t, "describe_fields", map[string]any{"entity": "Tikets"})
	s.fails(t, "describe_fields", map[string]any{"entity": "Tickets", "field": "acountID"})
	s.fails(t, "describe_fields", map[string]any{"entity": 42})

	page := s.ok(t, "query_entity", map[string]any{"entity": "Tickets", "limit": 7, "fields": []string{"id", "ticketNumber", "title"},
		"filter": []map[string]any{{"field": "status", "op": "noteq", "value": "Complete"}}})
	items, _ := page["items"].([]any)
	require.GreaterOrEqual(t, len(items), 6)
	idAt := func(i int) int64 { return int64(items[i].(map[string]any)["id"].(float64)) }
	readID, otherID := idAt(0), idAt(2)
	// A refusal for want of a read shows the ticket and counts as the read: each blind write below
	// is on a ticket of its own, so each is refused.
	unread := []int64{idAt(1), idAt(3), idAt(4), idAt(5)}
	number, _ := items[0].(map[string]any)["ticketNumber"].(string)
	if cursor, _ := page["cursor"].(string); cursor != "" {
		s.ok(t, "query_entity", map[string]any{"entity": "Tickets", "cursor": cursor})
	}
	s.ok(t, "query_entity", map[string]any{"entity": "Tickets", "count_only": true})
	s.ok(t, "query_entity", map[string]any{"entity": "Companies", "limit": 3})
	s.ok(t, "query_entity", map[string]any{"entity": "Tickets", "filter": []map[string]any{{"op": "or", "items": []map[string]any{
		{"field": "priority", "op": "eq", "value": "High"}, {"field": "title", "op": "contains", "value": "printer"}}}}})
	s.fails(t, "query_entity", map[string]any{"entity": "Tickets", "filter": []map[string]any{{"field": "acountID", "op": "eq", "value": 1}}}, "acountID")
	s.fails(t, "query_entity", map[string]any{"entity": "Tickets", "filter": []map[string]any{{"field": "id", "op": "like", "value": 1}}})
	s.fails(t, "query_entity", map[string]any{"entity": "Tickets", "cursor": "not-a-cursor"})
	s.fails(t, "query_entity", map[string]any{"entity": "Nope"})
	s.fails(t, "query_entity", map[string]any{})

	s.ok(t, "get_ticket", map[string]any{"ticket_id": readID, "include": []string{"notes", "time_entries", "company", "contact"}})
	s.ok(t, "get_ticket", map[string]any{"ticket_number": number})
	s.fails(t, "get_ticket", map[string]any{"ticket_id": 999999999}, "no ticket with id")
	s.fails(t, "get_ticket", map[string]any{"ticket_number": "T20990101.9999"})
	s.fails(t, "get_ticket", map[string]any{})
	s.fails(t, "get_ticket", map[string]any{"ticket_number": "not a number"})
	s.fails(t, "get_ticket", map[string]any{"ticket_id": readID, "ticket_number": number})

	s.ok(t, "get_entity", map[string]any{"entity": "Companies", "id": 0})
	s.ok(t, "get_entity", map[string]any{"entity": "Resources", "id": 29682885})
	s.fails(t, "get_entity", map[string]any{"entity": "Companies", "id": 99999999})
	s.fails(t, "get_entity", map[string]any{"entity": "Nope", "id": 1})
	s.fails(t, "get_entity", map[string]any{"entity": "TicketNotes", "id": 1})
	s.fails(t, "get_entity", map[string]any{"entity": "Companies"})

	s.read(t, "autotask://entities", false)
	s.read(t, "autotask://entities/Tickets/fields", false)
	s.read(t, fmt.Sprintf("autotask://tickets/%d", readID), false)
	s.read(t, "autotask://tickets/by-number/"+number, false)
	s.read(t, "autotask://tickets/999999999", true)

	// Writes: refused, dry run, applied, and the confirmation token path.
	s.fails(t, "add_ticket_note", map[string]any{"ticket_id": unread[0], "title": "t", "description": "d"}, "had not read")
	s.fails(t, "update_ticket", map[string]any{"ticket_id": unread[1], "changes": map[string]any{"title": "x"}}, "had not read")
	s.fails(t, "resolve_ticket", map[string]any{"ticket_id": unread[2], "resolution": "r"}, "had not read")
	s.fails(t, "log_time", map[string]any{"ticket_id": unread[3], "hours": 1, "summary": "s"}, "had not read")
	s.fails(t, "add_ticket_note", map[string]any{"ticket_id": readID})
	s.fails(t, "update_ticket", map[string]any{"ticket_id": readID, "changes": "title"})

	s.ok(t, "add_ticket_note", map[string]any{"ticket_id": readID, "title": "dry", "description": "dry run", "dry_run": true})
	s.ok(t, "add_ticket_note", map[string]any{"ticket_id": readID, "title": "Checked", "description": "Called the user back."})
	s.ok(t, "log_time", map[string]any{"ticket_number": number, "hours": 0.25, "summary": "Called the user back.", "dry_run": true})
	s.ok(t, "log_time", map[string]any{"ticket_id": readID, "hours": 0.25, "summary": "Called the user back."})
	s.fails(t, "log_time", map[string]any{"ticket_id": readID, "hours": 0.25, "summary": "x", "role": "Astronaut"}, "no role is named")
	s.ok(t, "get_ticket", map[string]any{"ticket_id": readID})
	s.ok(t, "update_ticket", map[string]any{"ticket_id": readID, "changes": map[string]any{"title": "Renamed by the secrets test"}, "dry_run": true})
	s.ok(t, "update_ticket", map[string]any{"ticket_id": readID, "changes": map[string]any{"title": "Renamed by the secrets test", "priority": "High"}})
	s.fails(t, "update_ticket", map[string]any{"ticket_id": readID, "changes": map[string]any{"acountID": 1}}, "acountID")
	s.ok(t, "get_ticket", map[string]any{"ticket_id": readID})
	pending := s.ok(t, "update_ticket", map[string]any{"ticket_id": readID, "changes": map[string]any{"status": "In Progress"}})
	require.Equal(t, "confirmation_required", pending["outcome"], "a status change waits for the person")
	token := pending["confirmation"].(map[string]any)["token"].(string)
	s.fails(t, "update_ticket", map[string]any{"ticket_id": readID, "changes": map[string]any{"status": "In Progress"}, "confirm": "forged-" + token}, "token")
	done := s.ok(t, "update_ticket", map[string]any{"ticket_id": readID, "changes": map[string]any{"status": "In Progress"}, "confirm": token})
	require.Equal(t, "applied", done["outcome"])
	again := s.ok(t, "update_ticket", map[string]any{"ticket_id": readID, "changes": map[string]any{"status": "In Progress"}, "confirm": token})
	require.Equal(t, "unchanged", again["outcome"], "a replayed token finds nothing left to do")

	companies := s.ok(t, "query_entity", map[string]any{"entity": "Companies", "limit": 1, "fields": []string{"id"},
		"filter": []map[string]any{{"field": "id", "op": "gt", "value": 0}}})
	companyID := companies["items"].([]any)[0].(map[string]any)["id"]
	newTicket := map[string]any{"company": companyID, "title": "Created by the secrets test", "description": "No secret here."}
	with := func(m map[string]any, k string, v any) map[string]any {
		c := map[string]any{k: v}
		for key, val := range m {
			if key != k {
				c[key] = val
			}
		}
		return c
	}
	s.ok(t, "create_ticket", with(newTicket, "dry_run", true))
	s.fails(t, "create_ticket", with(newTicket, "company", "No Such Company Ltd"))
	s.fails(t, "create_ticket", with(newTicket, "status", "Complete"))
	s.fails(t, "create_ticket", map[string]any{"company": companyID})
	created := s.ok(t, "create_ticket", newTicket)
	newID := int64(created["ticket_id"].(float64))

	s.ok(t, "get_ticket", map[string]any{"ticket_id": newID})
	s.ok(t, "resolve_ticket", map[string]any{"ticket_id": newID, "resolution": "dry", "dry_run": true})
	pending = s.ok(t, "resolve_ticket", map[string]any{"ticket_id": newID, "resolution": "Fixed it.", "note": "Replaced the cable."})
	require.Equal(t, "confirmation_required", pending["outcome"], "completing a ticket waits for the person")
	token = pending["confirmation"].(map[string]any)["token"].(string)
	done = s.ok(t, "resolve_ticket", map[string]any{"ticket_id": newID, "resolution": "Fixed it.", "note": "Replaced the cable.", "confirm": token})
	require.Equal(t, "applied", done["outcome"])

	// Generic writes: a contact under the company, confirmed with the token, then changed.
	contact := map[string]any{"entity": "Contacts", "parent": "Companies", "parent_id": companyID,
		"fields": map[string]any{"firstName": "Secret", "lastName": "Keeper", "isActive": 1}}
	s.fails(t, "create_entity", contact, "had not read")
	s.fails(t, "create_entity", with(contact, "fields", map[string]any{"firstName": "Secret"}), "lastName")
	pending = s.ok(t, "create_entity", contact)
	require.Equal(t, "confirmation_required", pending["outcome"], "every generic write waits for the person")
	token = pending["confirmation"].(map[string]any)["token"].(string)
	newContact := s.ok(t, "create_entity", with(contact, "confirm", token))
	contactID := newContact["record_id"]
	change := map[string]any{"entity": "Contacts", "id": contactID, "changes": map[string]any{"title": "Keeper of keys"}}
	s.fails(t, "update_entity", with(change, "changes", map[string]any{"lastActivityDate": "2026-01-01T00:00:00Z"}), "read-only")
	pending = s.ok(t, "update_entity", change)
	token = pending["confirmation"].(map[string]any)["token"].(string)
	require.Equal(t, "applied", s.ok(t, "update_entity", with(change, "confirm", token))["outcome"])

	audit := s.audit(t)
	assert.Contains(t, audit, `"outcome":"applied"`, "applied writes were audited, so the audit log was searched")
	assert.Contains(t, audit, `"outcome":"refused"`, "refused writes were audited too")

	// The API failing in each way the sandbox can fail it, for reads and for writes.
	ticketPath := fmt.Sprintf("Tickets/%d", otherID)
	s.ok(t, "get_ticket", map[string]any{"ticket_id": otherID})
	for _, f := range []struct {
		name         string
		tool         string
		args         map[string]any
		method, path string
		n            int
		fault        sandbox.Fault
		want         string // fails, succeeds, or either: a write whose answer was lost may be confirmed by reading it back
	}{
		{name: "500 on every attempt of a read", tool: "get_ticket", args: map[string]any{"ticket_id": otherID},
			method: "GET", path: ticketPath, n: always, fault: sandbox.Fault{Kind: sandbox.FaultStatus}},
		{name: "500 once, then the retry succeeds", tool: "get_ticket", args: map[string]any{"ticket_id": otherID},
			method: "GET", path: ticketPath, n: 1, fault: sandbox.Fault{Kind: sandbox.FaultStatus}, want: "succeeds"},
		{name: "429 with Retry-After, then success", tool: "query_entity", args: map[string]any{"entity": "Tickets", "count_only": true},
			method: "POST", path: "Tickets/query", n: 1, fault: sandbox.Fault{Kind: sandbox.FaultStatus, Status: 429, RetryAfter: time.Second}, want: "succeeds"},
		{name: "429 with a Retry-After too long to wait", tool: "query_entity", args: map[string]any{"entity": "Tickets", "count_only": true},
			method: "POST", path: "Tickets/query", n: 1, fault: sandbox.Fault{Kind: sandbox.FaultStatus, Status: 429, RetryAfter: time.Hour}},
		{name: "HTML error page from a proxy", tool: "query_entity", args: map[string]any{"entity": "Companies", "limit": 2},
			method: "POST", path: "Companies/query", n: always, fault: sandbox.Fault{Kind: sandbox.FaultHTML}},
		{name: "HTML error page echoing the request's headers", tool: "get_ticket", args: map[string]any{"ticket_id": otherID},
			method: "GET", path: ticketPath, n: always, fault: sandbox.Fault{Kind: sandbox.FaultHTML, Body: echoedHeaders("<html><body><pre>", "</pre></body></html>")}},
		{name: "non-JSON 503 body echoing the request's headers", tool: "get_ticket", args: map[string]any{"ticket_id": otherID},
			method: "GET", path: ticketPath, n: always, fault: sandbox.Fault{Kind: sandbox.FaultStatus, Status: 503, Body: echoedHeaders("", "")}},
		{name: "malformed JSON", tool: "get_entity", args: map[string]any{"entity": "Companies", "id": 0},
			method: "GET", path: "Companies/0", n: always, fault: sandbox.Fault{Kind: sandbox.FaultMalformedJSON}},
		{name: "connection reset", tool: "get_ticket", args: map[string]any{"ticket_id": otherID},
			method: "GET", path: ticketPath, n: always, fault: sandbox.Fault{Kind: sandbox.FaultReset}},
		{name: "401 mid-session", tool: "get_ticket", args: map[string]any{"ticket_id": otherID},
			method: "GET", path: ticketPath, n: always, fault: sandbox.Fault{Kind: sandbox.FaultStatus, Status: 401, Body: " "}},
		{name: "write: reset after the note was applied", tool: "add_ticket_note", args: map[string]any{"ticket_id": otherID, "title": "t", "description": "d"},
			method: "POST", path: ticketPath + "/Notes", n: 1, fault: sandbox.Fault{Kind: sandbox.FaultResetAfterApply}, want: "either"},
		{name: "write: 500 on the PUT", tool: "update_ticket", args: map[string]any{"ticket_id": otherID, "changes": map[string]any{"title": "500"}},
			method: "PUT", path: "Tickets", n: 1, fault: sandbox.Fault{Kind: sandbox.FaultStatus}},
		{name: "write: 429 on the PUT, then success", tool: "update_ticket", args: map[string]any{"ticket_id": otherID, "changes": map[string]any{"title": "after 429"}},
			method: "PUT", path: "Tickets", n: 1, fault: sandbox.Fault{Kind: sandbox.FaultStatus, Status: 429, RetryAfter: 200 * time.Millisecond}, want: "succeeds"},
		{name: "write: malformed JSON after the create", tool: "create_ticket", args: map[string]any{"company": companyID, "title": "half an answer", "description": "d"},
			method: "POST", path: "Tickets", n: 1, fault: sandbox.Fault{Kind: sandbox.FaultMalformedJSON}, want: "either"},
		{name: "write: HTML page instead of the create", tool: "create_ticket", args: map[string]any{"company": companyID, "title": "a proxy page", "description": "d"},
			method: "POST", path: "Tickets", n: 1, fault: sandbox.Fault{Kind: sandbox.FaultHTML}},
		{name: "write: reset before the resolution PUT", tool: "resolve_ticket", args: map[string]any{"ticket_id": otherID, "resolution": "r", "complete": false},
			method: "PUT", path: "Tickets", n: 1, fault: sandbox.Fault{Kind: sandbox.FaultReset}},
	} {
		if f.want == "" {
			f.want = "fails"
		}
		if f.tool == "add_ticket_note" || f.tool == "update_ticket" || f.tool == "resolve_ticket" {
			// A fresh read, so the guard lets the write through to the fault: an earlier
			// fault may have applied a change the session has not seen.
			s.ok(t, "get_ticket", map[string]any{"ticket_id": otherID})
		}
		failedBefore := strings.Count(s.stderr.String(), "autotask request failed")
		undo := fault(lt, counts, f.method, f.path, f.n, f.fault)
		text, _, failed := s.call(t, f.tool, f.args)
		undo()
		if f.want != "either" {
			assert.Equal(t, f.want == "fails", failed, "%s: %s", f.name, text)
		}
		// A fault that matched no request would make a passing call prove nothing.
		assert.Eventually(t, func() bool { return strings.Count(s.stderr.String(), "autotask request failed") > failedBefore },
			5*time.Second, 10*time.Millisecond, "%s: the fault was met", f.name)
	}
}

// secretsOverHTTP serves Streamable HTTP with a bearer token and sends it requests without
// the token, with wrong ones (one of them the Autotask secret, as a confused operator
// might), then a real session.
func secretsOverHTTP(t *testing.T, lt *leakTenant, counts *leakCounts) {
	env := lt.env(t, leakSecret, leakCode, envToken+"="+leakToken)
	var srv *httpServer
	// Registered before the server starts, so it runs after the server's own cleanup has
	// stopped it: the log is complete, shutdown included.
	t.Cleanup(func() {
		if srv != nil {
			assert.NotZero(t, assertNoLeak(t, "http server: stderr (debug log)", srv.Stderr.String()))
		}
	})
	srv = startHTTPServer(t, env, "http", "--log-level", "debug")

	send := func(name, body string, header map[string]string, wantCode int) (*http.Response, string) {
		t.Helper()
		counts.httpRequests.Add(1)
		resp, respBody := post(t, srv.URL, strings.NewReader(body), header)
		assert.Equal(t, wantCode, resp.StatusCode, "%s: %s", name, respBody)
		assertNoLeak(t, "http "+name+": response body", respBody)
		assertNoLeak(t, "http "+name+": response headers", mustJSON(t, resp.Header))
		return resp, respBody
	}
	bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	send("no token", initializeBody, nil, 401)
	send("wrong token", initializeBody, bearer(wrongToken), 401)
	send("the Autotask secret as token", initializeBody, bearer(leakSecret), 401)
	send("token prefix", initializeBody, bearer(leakToken[:12]), 401)
	send("token as basic auth", initializeBody, map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(leakUser+":"+leakToken))}, 401)

	resp, _ := send("initialize", initializeBody, bearer(leakToken), 200)
	session := resp.Header.Get("Mcp-Session-Id")
	require.NotEmpty(t, session)
	inSession := func(tok string) map[string]string {
		return map[string]string{"Authorization": "Bearer " + tok, "Mcp-Session-Id": session, "Mcp-Protocol-Version": mcp.ProtocolVersion20251125}
	}
	callBody := func(id int, tool, args string) string {
		return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":%q,"arguments":%s}}`, id, tool, args)
	}
	_, body := send("get_ticket", callBody(2, "get_ticket", `{"ticket_id":10019}`), inSession(leakToken), 200)
	assert.Contains(t, body, "ticketNumber")
	_, body = send("get_ticket bad arguments", callBody(3, "get_ticket", `{"ticket_id":"x"}`), inSession(leakToken), 200)
	assert.Contains(t, body, `"isError":true`)
	_, body = send("refused write", callBody(4, "add_ticket_note", `{"ticket_id":10033,"title":"t","description":"d"}`), inSession(leakToken), 200)
	assert.Contains(t, body, "had not read")
	send("session with a wrong token", callBody(5, "get_ticket", `{"ticket_id":10019}`), inSession(wrongToken), 401)
	counts.faults.Add(1)
	lt.sb.Faults().Script("GET", "Tickets/10019", always, sandbox.Fault{Kind: sandbox.FaultStatus, Status: 401})
	_, body = send("Autotask refusing the credentials", callBody(6, "get_ticket", `{"ticket_id":10019}`), inSession(leakToken), 200)
	lt.sb.Faults().Clear()
	assert.Contains(t, body, "refused the server's credentials")
}

// echoedHeaders is a body such as a misconfigured proxy's debug page answers with: the
// request's credential headers, copied back.
func echoedHeaders(prefix, suffix string) string {
	return prefix + "UserName: " + leakUser + "\nSecret: " + leakSecret + "\nApiIntegrationCode: " + leakCode + "\n" + suffix
}

// TestSecretsEchoedByTheAPI is an API (or a proxy answering in its place) that quotes a
// credential back inside a JSON error message. The API's messages travel on to the debug log,
// the failed call's warning and, for a refusal that is not about credentials, the tool result;
// the client redacts its own credentials from them first.
func TestSecretsEchoedByTheAPI(t *testing.T) {
	t.Parallel()
	lt := newLeakTenant(t)
	s := startLeakSession(t, "stdio session (API echoing credentials)", lt.env(t, leakSecret, leakCode), &leakCounts{})
	for _, msg := range []string{
		"IntegrationCode " + leakCode + " is invalid.",         // reads as an auth failure
		"Value " + leakCode + " is not valid for field title.", // reads as a refused request
		"Upstream said: " + echoedHeaders("", "") + " end",     // reads as a transient failure
	} {
		body, err := json.Marshal(map[string][]string{"errors": {msg}})
		require.NoError(t, err)
		lt.sb.Faults().Script("GET", "Tickets/10019", always, sandbox.Fault{Kind: sandbox.FaultStatus, Body: string(body)})
		s.fails(t, "get_ticket", map[string]any{"ticket_id": 10019})
		lt.sb.Faults().Clear()
	}
	s.close(t)
}
