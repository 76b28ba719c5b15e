package tools

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

// How a write call ends, and the one rule for its failures:
//
//   - arguments that do not decode (a wrong type, an unknown argument) fail before the call is a
//     write at all: wrap turns them into a tool error, and no audit line is written, as for any tool;
//   - from the moment they decode, the call is a writeRun, and every end of it, success, refusal or
//     failure, an invalid argument value included, goes through the run: finish or fail, which write
//     its one audit line.
//
// A write tool's handler (writeHandler) is handed the run and must return a writeEnd, which only
// finish and fail make: it has no way to end the call with a bare error, and so no way to skip the
// audit. newWriteTool is the only constructor of write tools (newTool refuses them).

// writeInput is a write tool's decoded arguments. target names the record the call writes (see
// writeTarget); an error is an argument that names none.
type writeInput interface {
	target() (writeTarget, error)
}

// scopedWriteInput is a writeInput whose allow-list names depend on the record it writes to:
// log_time writes TimeEntries on a ticket or on a task, and an allow list naming Tickets must let
// it log time on tickets, not on tasks. writes lists the entities besides the target's own.
type scopedWriteInput interface {
	writeInput
	writes(entity string) []string
}

// writeHandler is a write tool's own logic, run once the run exists and the server's policy allows
// the write (see the rule above).
type writeHandler[In writeInput] func(ctx context.Context, r *writeRun, in In) writeEnd

// writeEnd is how a write call ended. Only finish and fail make one.
type writeEnd struct {
	res *mcp.CallToolResult
	err error // the result could not be encoded; the audit line is already written
}

// newWriteTool ties a write tool's definition to its handler, inside a writeRun.
func newWriteTool[In writeInput](deps Deps, d definition, h writeHandler[In]) Tool {
	d.write = true
	d.output = writeOutputSchema(d.recordFields...)
	return buildTool(deps, d, func(ctx context.Context, _ mcp.CallToolRequest, in In) (*mcp.CallToolResult, error) {
		end := runWrite(ctx, deps, d, in, h)
		return end.res, end.err
	})
}

// errWriteUnfinished is a handler that returned without finish or fail: a bug of ours.
var errWriteUnfinished = errors.New("internal error: the write tool ended without a result; report this to the server's operator")

// errWritePanicked is a handler that panicked: a bug of ours. What it had already written is in
// the failure's text.
var errWritePanicked = errors.New("internal error: the write tool stopped unexpectedly; report this to the server's operator")

// runWrite runs one write call: the run, its target, the policy, the ticket a number names, then
// the tool's own logic.
func runWrite[In writeInput](ctx context.Context, deps Deps, d definition, in In, h writeHandler[In]) (end writeEnd) {
	t, err := in.target()
	r := newWriteRun(ctx, deps, d, t.entity, t.id)
	r.w.Writes = slices.DeleteFunc(slices.Clone(d.writes), func(e string) bool { return strings.EqualFold(e, t.entity) })
	if s, ok := any(in).(scopedWriteInput); ok {
		r.w.Writes = s.writes(t.entity)
	}
	defer func() {
		if p := recover(); p != nil {
			if r.ended {
				panic(p) // audited already: wrap words it
			}
			r.log.Error("write tool panicked", "tool", d.name, "panic", p)
			end = r.fail(ctx, errWritePanicked)
		}
	}()
	if err != nil {
		return r.fail(ctx, err)
	}
	if err := r.policy(); err != nil {
		return r.fail(ctx, err)
	}
	if t.number != "" {
		if err := r.findTicket(ctx, t.number); err != nil {
			return r.fail(ctx, err)
		}
	}
	end = h(ctx, r, in)
	if !r.ended {
		r.log.Error("write tool returned without finish or fail", "tool", d.name, "err", end.err)
		return r.fail(ctx, errWriteUnfinished)
	}
	return end
}
