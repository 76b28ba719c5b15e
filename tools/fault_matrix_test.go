package tools_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

var updateReadme = flag.Bool("update-readme", false, "rewrite the fault matrix in ../README.md from what TestFaultMatrix observed")

// attemptTimeout stands in for the client's 30 s per-request timeout, so a hung request is
// abandoned quickly, yet with room enough that a healthy request on a loaded machine under -race
// never times out (that would turn an "applied once" cell into a read-back one).
const attemptTimeout = time.Second

// readTriesBound is how often a failing read may send one request: the client's three tries.
const readTriesBound = 3

// matrixFault is one way the API (or what stands in front of it) breaks a request: one of the
// sandbox's named faults (sandbox.FaultNamed, the --fault flag's names), with the words the
// README's table gives it.
type matrixFault struct {
	name  string
	fault sandbox.Fault
	// transient: a read that meets it once must recover by itself.
	transient bool
}

// namedFault is the sandbox's fault called name; the matrix covers each of them
// (TestFaultMatrixCoversEveryNamedFault).
func namedFault(name string) sandbox.Fault {
	f, err := sandbox.FaultNamed(name)
	if err != nil {
		panic(err)
	}
	return f
}

var matrixFaults = []matrixFault{
	{"429 thread limit", namedFault("429-thread"), true},
	{"429 hourly limit, `Retry-After` 40 min", namedFault("429-hourly"), false},
	{"500 without an explanation", namedFault("500"), true},
	{"hang past the deadline", namedFault("hang"), true},
	{"connection reset", namedFault("reset"), true},
	{"connection reset after the API applied it", namedFault("reset-after-apply"), true},
	{"malformed JSON (cut in half)", namedFault("malformed-json"), true},
	{"HTML error page (502)", namedFault("html-502"), true},
}

// TestFaultMatrixCoversEveryNamedFault: a fault the sandbox learns to inject is one the matrix
// must try every tool against, and the matrix tries no fault twice.
func TestFaultMatrixCoversEveryNamedFault(t *testing.T) {
	var covered []sandbox.Fault
	for _, mf := range matrixFaults {
		assert.NotContains(t, covered, mf.fault, "%s is in the matrix twice", mf.name)
		covered = append(covered, mf.fault)
	}
	for _, name := range sandbox.FaultNames() {
		assert.Contains(t, covered, namedFault(name), "the sandbox's fault %s is not in the matrix", name)
	}
}

// What a failed write's text must say about the record: the three states the assistant acts on.
const (
	saysNotWritten = "Nothing was written to Autotask."
	saysMayHave    = "MAY HAVE BEEN APPLIED"
	saysPartly     = "Already written:"
)

func faultEnv(t *testing.T) *testenv.Env {
	return testenv.New(t, testenv.Options{Client: func(c *autotask.Config) { c.AttemptTimeout = attemptTimeout }})
}

// readCase is a read tool and a call of it.
type readCase struct {
	tool string
	args func(env *testenv.Env) map[string]any
}

var matrixReads = []readCase{
	{"query_entity", func(*testenv.Env) map[string]any {
		return args("entity", "Tickets", "filter", []any{map[string]any{"field": "status", "op": "eq", "value": "New"}}, "limit", 5)
	}},
	{"get_ticket", func(env *testenv.Env) map[string]any { return args("ticket_id", env.Sandbox.IDs("Tickets")[0]) }},
	{"get_entity", func(env *testenv.Env) map[string]any {
		return args("entity", "Companies", "id", env.Sandbox.IDs("Companies")[1])
	}},
	{"describe_fields", func(*testenv.Env) map[string]any { return args("entity", "TicketNotes") }},
}

func readCaseTools() []string {
	var names []string
	for _, rc := range matrixReads {
		names = append(names, rc.tool)
	}
	return names
}

func writeCaseTools() []string {
	var names []string
	for _, wc := range matrixWrites {
		names = append(names, wc.tool)
	}
	return names
}

// readOutcome words what the assistant got from a read under a fault.
func readOutcome(t *testing.T, res *mcp.CallToolResult) string {
	t.Helper()
	if !res.IsError {
		ok(t, res)
		return "recovered"
	}
	text := testenv.Text(res)
	switch {
	case strings.Contains(text, "request limit is reached") && strings.Contains(text, "Retry in about 40m0s"):
		return "error: limit reached, retry in 40m"
	case strings.Contains(text, "too many requests at once") && strings.Contains(text, "Retry in a few seconds"):
		return "error: too many at once, retry in seconds"
	case strings.Contains(text, "did not answer properly even after retries"):
		return "error: no proper answer after 3 tries"
	}
	t.Errorf("a read's error does not say what happened and what to do: %s", text)
	return "unclear error"
}

// TestFaultMatrix: every tool under every fault. Reads recover from a transient fault met once
// and fail clearly when it lasts; writes, with the fault on the write request itself, are never
// applied twice and tell the assistant whether they were written, may have been, or were not.
// The README's table is what this test observed.
func TestFaultMatrix(t *testing.T) {
	testenv.RequireCoversTools(t, "tools/fault_matrix_test.go (matrixReads)", testenv.ReadToolNames(), readCaseTools())
	testenv.RequireCoversTools(t, "tools/fault_matrix_test.go (matrixWrites)", testenv.WriteToolNames(), writeCaseTools())
	reads := runReadMatrix(t)
	writes := runWriteMatrix(t)
	if t.Failed() || len(reads) < len(matrixFaults) || len(writes) < len(matrixFaults) {
		return // a failure, or -run picked some cells: no whole table to compare
	}
	checkREADMEMatrix(t, renderFaultMatrix(reads, writes))
}

// cellConcurrency is how many matrix cells run at once. A cell mostly waits (on a hung request's
// timeout, on retry back-off), so cells overlap far beyond the machine's cores; each has its own
// tenant, client and server, so they share nothing.
const cellConcurrency = 8

// cellRunner runs subtests on their own goroutines, at most cellConcurrency at a time. It does not
// use t.Parallel, whose limit is the number of cores, and whose subtests would only start after
// the matrix function returned, too late to collect their outcomes into the table.
type cellRunner struct {
	t   *testing.T
	wg  sync.WaitGroup
	sem chan struct{}
	mu  sync.Mutex // guards what the cells write into the caller's maps
}

func newCellRunner(t *testing.T) *cellRunner {
	return &cellRunner{t: t, sem: make(chan struct{}, cellConcurrency)}
}

func (r *cellRunner) run(name string, cell func(t *testing.T)) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		r.sem <- struct{}{}
		defer func() { <-r.sem }()
		r.t.Run(name, cell)
	}()
}

// locked runs f under the runner's lock, for a cell's write into a shared map.
func (r *cellRunner) locked(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f()
}

func (r *cellRunner) wait() { r.wg.Wait() }

// everyTry is a fault count no read call outlasts: more than the requests it sends, each retried up
// to readTriesBound times. A call sends some requests side by side (get_ticket's ticket and
// metadata), so a count of a few would fault some of them and let the others through.
const everyTry = 1000

// runReadMatrix returns fault -> tool -> [outcome when met once, outcome when met every time].
func runReadMatrix(t *testing.T) map[string]map[string][2]string {
	cells := map[string]map[string]*[2]string{}
	runner := newCellRunner(t)
	for _, f := range matrixFaults {
		cells[f.name] = map[string]*[2]string{}
		for _, rc := range matrixReads {
			cell := &[2]string{}
			cells[f.name][rc.tool] = cell
			for i, times := range []int{1, everyTry} {
				runner.run(fmt.Sprintf("%s/%s/x%d", f.name, rc.tool, times), func(t *testing.T) {
					env := faultEnv(t)
					// Metadata is cold, so the fault meets the tool's first request whatever it is.
					env.Sandbox.Faults().Script("", "", times, f.fault)
					res := env.Call(t, rc.tool, rc.args(env))
					outcome := readOutcome(t, res)
					runner.locked(func() { cell[i] = outcome })
					switch {
					case times > 1:
						assert.NotEqual(t, "recovered", outcome, "a fault that lasts is reported")
					case f.transient:
						assert.Equal(t, "recovered", outcome, "a transient fault met once is recovered from")
					default:
						assert.NotEqual(t, "recovered", outcome, "%s is not something to wait out", f.name)
					}
					// A failing read gives up after a bounded number of tries of each request,
					// rather than retrying until the assistant's client times out.
					for endpoint, n := range env.Sandbox.Stats().ByEndpoint {
						assert.LessOrEqual(t, n, readTriesBound, "%s sent %d times", endpoint, n)
					}
					if !res.IsError {
						return
					}
					assert.Zero(t, env.Sandbox.Stats().Writes, "a read writes nothing")
				})
			}
		}
	}
	runner.wait()
	out := map[string]map[string][2]string{}
	for fault, byTool := range cells {
		out[fault] = map[string][2]string{}
		for tool, cell := range byTool {
			if cell[0] != "" && cell[1] != "" {
				out[fault][tool] = *cell
			}
		}
		if len(out[fault]) < len(matrixReads) {
			delete(out, fault)
		}
	}
	return out
}

// faultedWrite is a write tool, the request of it the fault meets, and how to count what it did.
type faultedWrite struct {
	tool string
	// faultAt is the request the fault breaks: method and path prefix, given the ticket.
	faultAt func(id int64) (method, path string)
	// endpoint is the sandbox's name of that request, to count how often it was sent, and normal
	// how often the call sends it when nothing breaks.
	endpoint string
	normal   int
	// check asserts what else the call must have done, whatever the fault (nil: nothing).
	check func(t *testing.T, env *testenv.Env, id int64)
	// prepare reads what the write needs in the session and returns the call's arguments.
	prepare func(t *testing.T, env *testenv.Env, id int64) map[string]any
	// applied counts the writes of this kind that reached the tenant since before.
	applied func(env *testenv.Env, id int64, before int) int
	before  func(env *testenv.Env, id int64) int
	column  string // added to the tool's name in the README's table
}

const (
	matrixNoteTitle   = "Called the customer"
	matrixTitle       = "Printer jam on floor 3 (updated)"
	matrixResolution  = "Replaced the fuser unit; test prints are clean."
	matrixNewTicket   = "Scanner offline after firmware update"
	matrixResolveNote = "Fuser replaced on site."
	matrixTimeSummary = "Replaced the fuser unit and ran test prints."
	matrixContact     = "Hopper-Matrix"
	matrixWebAddress  = "https://printers.example.com"
)

var matrixWrites = []faultedWrite{
	{
		tool:     "add_ticket_note",
		faultAt:  func(id int64) (string, string) { return "POST", fmt.Sprintf("Tickets/%d/Notes", id) },
		endpoint: "POST Tickets/{id}/Notes",
		normal:   1,
		prepare: func(t *testing.T, env *testenv.Env, id int64) map[string]any {
			readFirst(t, env.MCP, id)
			return args("ticket_id", id, "title", matrixNoteTitle, "description", "Restarted the spooler; printing again.")
		},
		before:  func(env *testenv.Env, id int64) int { return len(notesOf(env.Sandbox, id)) },
		applied: func(env *testenv.Env, id int64, before int) int { return len(notesOf(env.Sandbox, id)) - before },
	},
	{
		// The fault meets the PUT of the resolution, after the note was added: a partial write.
		tool:     "resolve_ticket",
		column:   ", fault on the PUT after its note",
		faultAt:  func(int64) (string, string) { return "PUT", "Tickets" },
		endpoint: "PUT Tickets",
		normal:   2, // the resolution, then the status
		check: func(t *testing.T, env *testenv.Env, id int64) {
			var added int
			for _, n := range notesOf(env.Sandbox, id) {
				if n["description"] == matrixResolveNote {
					added++
				}
			}
			assert.Equal(t, 1, added, "the note before the broken PUT was added exactly once")
		},
		prepare: func(t *testing.T, env *testenv.Env, id int64) map[string]any {
			readFirst(t, env.MCP, id)
			a := args("ticket_id", id, "resolution", matrixResolution, "note", matrixResolveNote)
			a["confirm"] = tokenOf(t, env.Call(t, "resolve_ticket", a))
			return a
		},
		before:  func(*testenv.Env, int64) int { return 0 },
		applied: ticketFieldIs("resolution", matrixResolution),
	},
	{
		tool:     "update_ticket",
		faultAt:  func(int64) (string, string) { return "PUT", "Tickets" },
		endpoint: "PUT Tickets",
		normal:   1,
		prepare: func(t *testing.T, env *testenv.Env, id int64) map[string]any {
			readFirst(t, env.MCP, id)
			return args("ticket_id", id, "changes", map[string]any{"title": matrixTitle})
		},
		before:  func(*testenv.Env, int64) int { return 0 },
		applied: ticketFieldIs("title", matrixTitle),
	},
	{
		tool:     "create_ticket",
		faultAt:  func(int64) (string, string) { return "POST", "Tickets" },
		endpoint: "POST Tickets",
		normal:   1,
		prepare: func(t *testing.T, env *testenv.Env, _ int64) map[string]any {
			// Warm the metadata and the company lookup, so the fault meets the create itself.
			a := args("company", env.Sandbox.IDs("Companies")[1], "title", matrixNewTicket, "description", "Since last night's update the scanner shows offline.")
			dry := withArgs(a, "dry_run", true)
			require.Equal(t, "dry_run", outcomeOf(t, env.Call(t, "create_ticket", dry)))
			return a
		},
		before: func(env *testenv.Env, _ int64) int { return ticketsTitled(env.Sandbox, matrixNewTicket) },
		applied: func(env *testenv.Env, _ int64, before int) int {
			return ticketsTitled(env.Sandbox, matrixNewTicket) - before
		},
	},
	{
		tool:     "log_time",
		faultAt:  func(int64) (string, string) { return "POST", "TimeEntries" },
		endpoint: "POST TimeEntries",
		normal:   1,
		prepare: func(t *testing.T, env *testenv.Env, id int64) map[string]any {
			readFirst(t, env.MCP, id)
			a := args("ticket_id", id, "hours", 1.25, "summary", matrixTimeSummary)
			// Warm the metadata and the resource's roles, so the fault meets the create itself.
			require.Equal(t, "dry_run", outcomeOf(t, env.Call(t, "log_time", withArgs(a, "dry_run", true))))
			return a
		},
		before: func(env *testenv.Env, id int64) int { return timeLogged(env.Sandbox, id, matrixTimeSummary) },
		applied: func(env *testenv.Env, id int64, before int) int {
			return timeLogged(env.Sandbox, id, matrixTimeSummary) - before
		},
	},
	{
		tool:     "create_entity",
		column:   " (a contact under a company)",
		faultAt:  func(int64) (string, string) { return "POST", "Companies/" },
		endpoint: "POST Companies/{id}/Contacts",
		normal:   1,
		prepare: func(t *testing.T, env *testenv.Env, id int64) map[string]any {
			company := ticketCompany(t, env, id)
			ok(t, env.Call(t, "get_entity", args("entity", "Companies", "id", company)))
			a := args("entity", "Contacts", "parent", "Companies", "parent_id", company,
				"fields", args("firstName", "Grace", "lastName", matrixContact, "isActive", 1))
			// The person's confirmation comes first; the fault meets the create itself.
			return withArgs(a, "confirm", tokenOf(t, env.Call(t, "create_entity", a)))
		},
		before: func(env *testenv.Env, id int64) int { return contactsNamed(env, matrixContact) },
		applied: func(env *testenv.Env, id int64, before int) int {
			return contactsNamed(env, matrixContact) - before
		},
	},
	{
		tool:     "update_entity",
		column:   " (PATCH of a company)",
		faultAt:  func(int64) (string, string) { return "PATCH", "Companies" },
		endpoint: "PATCH Companies",
		normal:   1,
		prepare: func(t *testing.T, env *testenv.Env, id int64) map[string]any {
			company := ticketCompany(t, env, id)
			ok(t, env.Call(t, "get_entity", args("entity", "Companies", "id", company)))
			a := args("entity", "Companies", "id", company, "changes", args("webAddress", matrixWebAddress))
			return withArgs(a, "confirm", tokenOf(t, env.Call(t, "update_entity", a)))
		},
		before: func(*testenv.Env, int64) int { return 0 },
		applied: func(env *testenv.Env, id int64, _ int) int {
			company, _ := env.Sandbox.Record("Tickets", id)
			if rec, _ := env.Sandbox.Record("Companies", company["companyID"].(int64)); rec["webAddress"] == matrixWebAddress {
				return 1
			}
			return 0
		},
	},
}

// ticketCompany is the company of the ticket a matrix cell was given.
func ticketCompany(t *testing.T, env *testenv.Env, id int64) int64 {
	t.Helper()
	rec, found := env.Sandbox.Record("Tickets", id)
	require.True(t, found)
	return rec["companyID"].(int64)
}

// contactsNamed counts the contacts with this last name.
func contactsNamed(env *testenv.Env, lastName string) int {
	n := 0
	for _, id := range env.Sandbox.IDs("Contacts") {
		if rec, _ := env.Sandbox.Record("Contacts", id); rec["lastName"] == lastName {
			n++
		}
	}
	return n
}

// timeLogged counts the ticket's time entries with this summary.
func timeLogged(sb *sandbox.Sandbox, ticket int64, summary string) int {
	n := 0
	for _, id := range sb.IDs("TimeEntries") {
		if rec, _ := sb.Record("TimeEntries", id); rec["ticketID"] == ticket && rec["summaryNotes"] == summary {
			n++
		}
	}
	return n
}

// ticketFieldIs counts a PUT as applied when the ticket's field holds the value it sent.
func ticketFieldIs(field string, want any) func(env *testenv.Env, id int64, _ int) int {
	return func(env *testenv.Env, id int64, _ int) int {
		if rec, _ := env.Sandbox.Record("Tickets", id); rec[field] == want {
			return 1
		}
		return 0
	}
}

// withArgs is m with kv added (kv wins).
func withArgs(m map[string]any, kv ...any) map[string]any {
	out := args(kv...)
	for k, v := range m {
		if _, set := out[k]; !set {
			out[k] = v
		}
	}
	return out
}

func ticketsTitled(sb *sandbox.Sandbox, title string) int {
	n := 0
	for _, id := range sb.IDs("Tickets") {
		if rec, _ := sb.Record("Tickets", id); rec["title"] == title {
			n++
		}
	}
	return n
}

// writeOutcome is what a write did under a fault and what the assistant was told.
type writeOutcome struct {
	told    string // "applied", "not written", "may have", "partly written"
	applied int    // writes that reached the tenant
	resent  int    // times the broken request was sent again
}

func (o writeOutcome) String() string {
	s := fmt.Sprintf("says %s; %d applied", o.told, o.applied)
	switch o.told {
	case "applied":
		s = "applied once"
	case "applied, read back":
		s = "answer lost, read back: applied once"
	}
	if o.resent > 0 {
		s += fmt.Sprintf(", after %d resend", o.resent)
	}
	return s
}

func runWriteMatrix(t *testing.T) map[string]map[string]writeOutcome {
	out := map[string]map[string]writeOutcome{}
	runner := newCellRunner(t)
	for _, f := range matrixFaults {
		out[f.name] = map[string]writeOutcome{}
		for _, wc := range matrixWrites {
			runner.run(f.name+"/"+wc.tool, func(t *testing.T) {
				env := faultEnv(t)
				id := openTickets(t, env.Sandbox, false)[0]
				callArgs := wc.prepare(t, env, id)
				before := wc.before(env, id)
				env.Sandbox.ResetStats()
				method, path := wc.faultAt(id)
				env.Sandbox.Faults().Script(method, path, 1, f.fault)

				res := env.Call(t, wc.tool, callArgs)
				o := writeOutcome{applied: wc.applied(env, id, before)}
				sent := env.Sandbox.Stats().ByEndpoint[wc.endpoint]
				text := testenv.Text(res)
				switch {
				case !res.IsError:
					require.Equal(t, "applied", outcomeOf(t, res), text)
					o.told = "applied"
					if strings.Contains(text, "reading it back showed it was applied") {
						o.told = "applied, read back"
					}
					assert.Equal(t, 1, o.applied, "a write reported applied is in the tenant once")
				case strings.Contains(text, saysMayHave):
					o.told = "may have"
					if strings.Contains(text, "most likely not applied") {
						o.told = "may have (read back: most likely not)"
						assert.Zero(t, o.applied, "the read-back was right")
					}
					assert.Contains(t, text, "do not resend", "the assistant is told not to resend")
				case strings.Contains(text, saysPartly):
					o.told = "partly written"
				case strings.Contains(text, saysNotWritten) || strings.Contains(text, "It was not applied"):
					o.told = "not written"
					assert.Zero(t, o.applied, "a write reported not written is not in the tenant: %s", text)
				default:
					t.Fatalf("a failed write must say whether it was written: %s", text)
				}
				assertToldOneState(t, o.told, text)
				assert.LessOrEqual(t, o.applied, 1, "never applied twice")
				if strings.HasPrefix(o.told, "applied") {
					o.resent = sent - wc.normal
				} else {
					assert.LessOrEqual(t, sent, wc.normal, "a failed write request is not resent")
				}
				if wc.check != nil {
					wc.check(t, env, id)
				}
				if strings.HasPrefix(o.told, "may have") {
					// An assistant that resends anyway (with the same token, for resolve) still
					// cannot get the write applied twice.
					env.Call(t, wc.tool, callArgs)
					assert.LessOrEqual(t, wc.applied(env, id, before), 1, "a blind resend does not duplicate the write")
				}
				runner.locked(func() { out[f.name][wc.tool] = o })
			})
		}
	}
	runner.wait()
	for fault, byTool := range out {
		if len(byTool) < len(matrixWrites) {
			delete(out, fault)
		}
	}
	return out
}

// checkREADMEMatrix keeps the README's table the one the code produces.
func checkREADMEMatrix(t *testing.T, table string) {
	const begin, end = "<!-- fault-matrix:begin -->\n", "<!-- fault-matrix:end -->"
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	i, j := strings.Index(string(readme), begin), strings.Index(string(readme), end)
	require.True(t, i >= 0 && j > i, "README.md has the fault-matrix markers")
	current := string(readme[i+len(begin) : j])
	if *updateReadme {
		updated := string(readme[:i+len(begin)]) + table + string(readme[j:])
		require.NoError(t, os.WriteFile("../README.md", []byte(updated), 0o644))
		return
	}
	assert.Equal(t, table, current, "the README's fault matrix is stale: go test ./tools -run TestFaultMatrix -update-readme")
}

func renderFaultMatrix(reads map[string]map[string][2]string, writes map[string]map[string]writeOutcome) string {
	var b strings.Builder
	b.WriteString("| fault | read tools, fault once | read tools, fault on every try |")
	for _, wc := range matrixWrites {
		fmt.Fprintf(&b, " `%s`%s |", wc.tool, wc.column)
	}
	b.WriteString("\n|---|---|---|")
	for range matrixWrites {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, f := range matrixFaults {
		fmt.Fprintf(&b, "| %s | %s | %s |", f.name, sameForAll(reads[f.name], 0), sameForAll(reads[f.name], 1))
		for _, wc := range matrixWrites {
			fmt.Fprintf(&b, " %s |", writes[f.name][wc.tool])
		}
		b.WriteString("\n")
	}
	return b.String()
}

// sameForAll is the outcome the read tools share, or each tool's when they differ.
func sameForAll(byTool map[string][2]string, i int) string {
	first := byTool[matrixReads[0].tool][i]
	var each []string
	same := true
	for _, rc := range matrixReads {
		v := byTool[rc.tool][i]
		same = same && v == first
		each = append(each, fmt.Sprintf("`%s` %s", rc.tool, v))
	}
	if same {
		return fmt.Sprintf("%d/%d %s", len(matrixReads), len(matrixReads), first)
	}
	return strings.Join(each, "; ")
}

// assertToldOneState checks that a write's text never contradicts the state it was classified by:
// an assistant told both "may have been applied" and "nothing was written" cannot know whether a
// resend would duplicate the write. Matched case-insensitively, so a rewording cannot slip by.
func assertToldOneState(t *testing.T, told, text string) {
	t.Helper()
	lower := strings.ToLower(text)
	saysNothing := strings.Contains(lower, strings.ToLower(saysNotWritten))
	// "It was not applied" speaks of the one request that failed; a partly written call says it too.
	saysRequestNot := strings.Contains(lower, "it was not applied")
	saysMaybe := strings.Contains(lower, strings.ToLower(saysMayHave))
	saysSome := strings.Contains(lower, strings.ToLower(saysPartly))
	switch {
	case strings.HasPrefix(told, "may have"):
		assert.False(t, saysNothing || saysRequestNot, "a write that may have been applied is not also said to be unwritten: %s", text)
	case told == "not written":
		assert.False(t, saysMaybe, "a write that was not applied is not also said to maybe be: %s", text)
		assert.False(t, saysSome, "a write that was not applied is not also said to be partly written: %s", text)
	case told == "partly written":
		assert.False(t, saysNothing, "a partly written write is not also said to be unwritten: %s", text)
	default: // applied
		assert.False(t, saysNothing || saysRequestNot || saysMaybe, "an applied write is not also said to be unwritten or maybe applied: %s", text)
	}
}
