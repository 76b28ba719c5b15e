package tools

import (
	"context"
	"fmt"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/guard"
)

// A session's own write must not count as a change someone else made: after it, the guard learns
// the version this call's writes left (settle), so the session's next write is checked against it.

// wrote notes a successful write of this call: expected is the record as it should now be, and
// after the record as read back since, when it already was.
func (r *writeRun) wrote(expected, after autotask.Record) {
	r.expected, r.after = expected, after
}

// settle tells the guard what this call's writes made of the record, so that the session's next write
// is checked against the exact version they produced: a change anyone else makes after them, even a
// note that moves nothing but lastActivityDate, is then refused, and the session's own next write is
// not. The API answers a write with the id alone, so the version is known only by reading the record
// back: one GET, unless a lost answer's read-back already made it. When the call failed after a
// write, nothing is read: the guard then refuses the session's next write until it reads the record
// again, which the failure's text already tells the assistant to do.
func (r *writeRun) settle(ctx context.Context, succeeded bool) {
	if r.expected == nil {
		return
	}
	after := r.after
	if after == nil && succeeded {
		i := r.step("read back", fmt.Sprintf("GET %s/%d", r.w.Entity, r.w.ID), stepDone, "")
		rec, err := r.deps.Client.Get(ctx, r.w.Entity, r.w.ID)
		if err != nil {
			r.failStep(i, "its new version is not known")
			r.out.Notes = append(r.out.Notes, fmt.Sprintf("The %s could not be read back after this write: read it again (%s) before changing it again.", entityNoun(r.w.Entity), r.readTool()))
			r.log.Warn("read-back after an own write failed", "tool", r.w.Tool, "entity", r.w.Entity, "id", r.w.ID, "err", err)
		} else {
			r.detail(i, "its new version, for this session's next write")
			after = rec
		}
	}
	if after != nil {
		r.out.Version = guard.VersionOf(map[string]any(after))
	}
	var afterMap map[string]any
	if after != nil {
		afterMap = map[string]any(after)
	}
	if err := r.deps.Guard.RecordWrite(ctx, r.w.Session, r.w.Entity, r.w.ID, map[string]any(r.expected), afterMap); err != nil {
		r.log.Warn("guard: own write not recorded", "tool", r.w.Tool, "entity", r.w.Entity, "id", r.w.ID, "err", err)
	}
	r.expected, r.after = nil, nil
}
