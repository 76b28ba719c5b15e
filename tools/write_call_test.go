package tools_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// auditFailure is one way a write call fails after its arguments decoded.
type auditFailure struct {
	name string
	// existingRecord: the failure needs a record the call names (not a create).
	existingRecord bool
	// call prepares the session and returns the failing call's arguments.
	call        func(t *testing.T, env *testenv.Env, tool string, c writeCase, id int64) map[string]any
	wantOutcome string
	wantNoID    bool // the audit line names no record: the call's own id was refused
}

// apiRefusal is the API turning a write request down, as it does a value it will not store.
var apiRefusal = sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500, Body: `{"errors":["Value for field title is invalid."]}`}

var auditFailures = []auditFailure{
	{
		name:           "not read first",
		existingRecord: true,
		call: func(_ *testing.T, _ *testenv.Env, _ string, c writeCase, id int64) map[string]any {
			return c.write(id)
		},
		wantOutcome: guard.OutcomeRefused,
	},
	{
		name:           "record id refused",
		existingRecord: true,
		call: func(_ *testing.T, _ *testenv.Env, _ string, c writeCase, id int64) map[string]any {
			return merge(c.write(id), "ticket_id", 0)
		},
		wantOutcome: guard.OutcomeFailed,
		wantNoID:    true,
	},
	{
		name: "argument value refused",
		call: func(t *testing.T, env *testenv.Env, _ string, c writeCase, id int64) map[string]any {
			readFirst(t, env.MCP, id)
			require.NotNil(t, c.badValue, "writeCases needs a badValue call")
			return c.badValue(id)
		},
		wantOutcome: guard.OutcomeFailed,
	},
	{
		name: "API refuses the write",
		call: func(t *testing.T, env *testenv.Env, tool string, _ writeCase, id int64) map[string]any {
			for _, wc := range matrixWrites {
				if wc.tool == tool {
					a := wc.prepare(t, env, id)
					method, path := wc.faultAt(id)
					env.Sandbox.Faults().Script(method, path, 1, apiRefusal)
					return a
				}
			}
			t.Fatalf("%s has no entry in matrixWrites (fault_matrix_test.go)", tool)
			return nil
		},
		wantOutcome: guard.OutcomeFailed,
	},
}

// Once a write call's arguments decode, the call is audited however it ends: every failure of
// every write tool in tools.All writes exactly one audit line, naming the tool and what failed.
func TestEveryFailedWriteIsAuditedOnce(t *testing.T) {
	audit := &testenv.Buffer{}
	env := writeEnv(t, nil, guard.Options{Audit: audit})
	ids := openTickets(t, env.Sandbox, false)
	next := 0
	for _, tl := range writeTools(env.Deps) {
		tool := tl.Def.Name
		c, found := writeCases[tool]
		require.True(t, found, "write tool %s needs a case in writeCases", tool)
		for _, f := range auditFailures {
			if f.existingRecord && (c.noExistingRecord || c.entityTool) {
				continue // entity_writes_test.go checks the audit line of a generic write refused
			}
			id := ids[next] // a ticket no earlier call has read
			next++
			t.Run(tool+"/"+f.name, func(t *testing.T) {
				callArgs := f.call(t, env, tool, c, id)
				before := len(auditLines(t, audit))

				text := failed(t, env.Call(t, tool, callArgs))

				lines := auditLines(t, audit)
				require.Equal(t, before+1, len(lines), "exactly one audit line for the failed call: %s", text)
				line := lines[before]
				assert.Equal(t, tool, line["tool"])
				assert.Equal(t, f.wantOutcome, line["outcome"], "detail: %v", line["detail"])
				detail, _ := line["detail"].(string)
				assert.NotEmpty(t, detail, "the line says what failed")
				assert.NotContains(t, detail, "internal error", "the handler ended through fail, not past it")
				if f.wantNoID {
					assert.EqualValues(t, 0, line["id"])
				} else if !c.noExistingRecord && !c.entityTool {
					assert.EqualValues(t, id, line["id"])
				}
			})
		}
	}
}
