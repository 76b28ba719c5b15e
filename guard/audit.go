package guard

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// AuditEntry is one write attempt. The tools layer writes exactly one per attempt, allowed or
// refused, once the outcome is known (the guard cannot know whether the API call that followed its
// Check succeeded).
type AuditEntry struct {
	Time                  time.Time // zero -> now
	Session, Tool, Entity string
	ID                    int64
	Changes               []FieldChange // ChangesFor(fresh, w.Changes)
	Outcome, Detail       string        // Outcome* constants; Detail: the error or a short note
}

// Outcomes of a write attempt.
const (
	OutcomeApplied              = "applied"               // the API accepted the write
	OutcomeRefused              = "refused"               // the guard refused it (policy, not read, conflict, bad token)
	OutcomeConfirmationRequired = "confirmation_required" // a preview and token were returned instead
	OutcomeDeclined             = "declined"              // the person declined or cancelled the elicitation
	OutcomeDryRun               = "dry_run"               // the request was shown, not sent
	OutcomeFailed               = "failed"                // the API refused it or it could not be sent
	OutcomeUnknown              = "outcome_unknown"       // sent, and the API's answer was lost (ErrOutcomeUnknown)
)

var refusals = []error{
	ErrReadOnly, ErrNotAllowed, ErrNotRead, ErrConflict, ErrReadAgain,
	ErrTokenInvalid, ErrTokenExpired, ErrTokenUsed, ErrTokenStale, ErrStoreFull,
}

// OutcomeOf maps the error a write ended with to an audit outcome: nil is applied, a guard error is
// refused, anything else failed. Callers set OutcomeUnknown, OutcomeDeclined and the others themselves.
func OutcomeOf(err error) string {
	if err == nil {
		return OutcomeApplied
	}
	for _, r := range refusals {
		if errors.Is(err, r) {
			return OutcomeRefused
		}
	}
	return OutcomeFailed
}

// auditLine is the JSON shape of one line; every key is always present so lines are easy to query.
type auditLine struct {
	Time    string        `json:"time"`
	User    string        `json:"user"` // "" on a server without users
	Session string        `json:"session"`
	Tool    string        `json:"tool"`
	Entity  string        `json:"entity"`
	ID      int64         `json:"id"`
	Changes []FieldChange `json:"changes"`
	Outcome string        `json:"outcome"`
	Detail  string        `json:"detail"`
}

// maxDetailRunes bounds Detail: a conflict's error text lists fields, an API error its messages.
const maxDetailRunes = 2000

// Audit appends e as one JSON line to Options.Audit, naming the call's user (UserFrom), if any, as
// the one the write was attempted for. Values are truncated and secret-like fields
// redacted whatever the caller passed. A failure to write is logged, not returned: the write it
// describes has already happened or been refused.
func (g *Guard) Audit(ctx context.Context, e AuditEntry) {
	if g.audit == nil {
		return
	}
	if e.Time.IsZero() {
		e.Time = g.now()
	}
	line := auditLine{
		Time:    e.Time.UTC().Format(time.RFC3339Nano),
		User:    userName(ctx),
		Session: e.Session,
		Tool:    e.Tool,
		Entity:  e.Entity,
		ID:      e.ID,
		Changes: make([]FieldChange, 0, len(e.Changes)),
		Outcome: e.Outcome,
		Detail:  truncateRunes(e.Detail, maxDetailRunes),
	}
	for _, c := range e.Changes {
		line.Changes = append(line.Changes, FieldChange{
			Field:  c.Field,
			Before: displayValue(c.Field, c.Before, auditValueRunes),
			After:  displayValue(c.Field, c.After, auditValueRunes),
		})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(line); err != nil {
		g.logger.ErrorContext(ctx, "guard audit: encode", "err", err, "entity", e.Entity, "id", e.ID)
		return
	}
	g.auditMu.Lock()
	defer g.auditMu.Unlock()
	// One Write per line: with O_APPEND, lines from several processes sharing the file do not interleave.
	if _, err := g.audit.Write(buf.Bytes()); err != nil {
		g.logger.ErrorContext(ctx, "guard audit: write", "err", err, "entity", e.Entity, "id", e.ID)
	}
}

// OpenAuditLog opens path for appending audit lines, creating it readable by its owner only: the lines
// hold customer data.
func OpenAuditLog(path string) (io.WriteCloser, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open audit log: %w", err)
	}
	return f, nil
}
