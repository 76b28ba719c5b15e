package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/guard"
)

// A write the guard refuses because the session has not read the record, because the record
// changed since, or because the session's own last write could not be read back, has the record
// in hand already: the write's own fresh GET. Sending the assistant off to read it costs a turn
// and a request, so the refusal carries the record as it now is, compact, and the guard records it
// as read. The write itself is still refused, in every case: nothing the assistant had not seen is
// ever written. Only its next call may write, and only with what this refusal showed it: a record
// that moves again before then is refused again.

// seenRecord is the record a refusal showed, and why the write was refused.
type seenRecord struct {
	reason   string         // why the write was refused, in place of the guard's own words
	record   map[string]any // compact, as get_ticket or get_entity shows it
	version  string
	recorded bool // the guard took it as read: the next call may write
}

// showRefused keeps the fresh record for the refusal's text when the guard refused for want of
// a current read, and records it as read.
func (r *writeRun) showRefused(ctx context.Context, fresh autotask.Record, err error) {
	var conflict *guard.ConflictError
	name := r.recordName(fresh)
	var reason string
	switch {
	case errors.Is(err, guard.ErrNotRead):
		reason = "this session had not read " + name + " before writing to it, so the write was refused."
	case errors.As(err, &conflict):
		reason = name + " changed since this session read it, so the write was refused." + conflictChanges(conflict)
	case errors.Is(err, guard.ErrReadAgain):
		reason = "this session's own last write to " + name + " could not be read back, so a change someone else made after it could not be told from it; the write was refused."
	default:
		return
	}
	seen := &seenRecord{reason: reason, version: guard.VersionOf(map[string]any(fresh))}
	if gerr := r.deps.Guard.RecordRead(ctx, r.w.Session, r.w.Entity, r.w.ID, map[string]any(fresh)); gerr != nil {
		r.log.Warn("guard: refused record not recorded as read", "entity", r.w.Entity, "id", r.w.ID, "err", gerr)
	} else {
		seen.recorded = true
	}
	md, merr := r.deps.Client.Metadata(ctx, r.w.Entity)
	if merr != nil {
		md = nil // labels are a nicety; the record stands without them
	}
	view := fresh.Clone()
	if r.w.Entity == "Tickets" {
		// As get_ticket shows a ticket: without the API's bookkeeping fields. The version is shown
		// beside it.
		for _, f := range ticketViewOmits {
			delete(view, f)
		}
	}
	seen.record, _ = compactRecord(view, md)
	r.seen = seen
}

// words is what the failure's text says about the record, and the record itself, fenced as
// untrusted text: it holds what third parties wrote.
func (s *seenRecord) words(noun string) string {
	what := fmt.Sprintf("The %s as it is now is below.", noun)
	if s.recorded {
		what += " This result counts as reading it: if it is the one you mean and the change still makes sense on these values, repeat the call; there is no need to read it again."
	} else {
		what += " Read it again before repeating the call."
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{noun: s.record, "version": s.version}); err != nil {
		return what
	}
	escaped := bytes.ReplaceAll(bytes.TrimSpace(buf.Bytes()), []byte("<"), []byte(`\u003c`))
	return what + "\n" + untrustedOpen + string(escaped) + untrustedClose
}
