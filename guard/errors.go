package guard

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/internal/sanitize"
)

// The sentinels are written for the assistant that will read them: each says what to do next.
// Callers wrap them with the record (fmt.Errorf("...: %w")) and test with errors.Is.
var (
	ErrReadOnly   = errors.New("the server is read-only: no write is allowed")
	ErrNotAllowed = errors.New("this write is not in the server's allow list (AUTOTASK_MCP_ALLOW_WRITES)")
	ErrNotRead    = errors.New("this session has not read the record: read it first with get_ticket (tickets) or get_entity, check it is the one you mean, then retry")
	ErrConflict   = errors.New("the record changed since this session read it: read it again with get_ticket or get_entity and redo the change on the current values")
	ErrReadAgain  = errors.New("this session's own last write to the record could not be read back, so a change someone else made after it cannot be told from it: read the record again with get_ticket or get_entity, check it, then retry")

	ErrTokenInvalid = errors.New("the confirmation token is not valid for this change: ask for a new confirmation by repeating the call without a token")
	ErrTokenExpired = errors.New("the confirmation token has expired: ask for a new confirmation by repeating the call without a token")
	ErrTokenUsed    = errors.New("the confirmation token was already used: a token confirms one write only")
	ErrTokenStale   = errors.New("the record changed after the confirmation was issued: read it again and ask for a new confirmation")

	// ErrStoreFull is returned by MemoryStore when it cannot remember one more redeemed token without
	// forgetting one that has not expired yet; forgetting would allow a replay, so it refuses instead.
	ErrStoreFull = errors.New("guard store is full: too many confirmations in flight, retry later")
)

// ConflictError is a refused write to a record that changed since the session read it (or since the
// session's own last write). errors.Is(err, ErrConflict) holds.
type ConflictError struct {
	Entity  string
	ID      int64
	Changed []FieldChange // sorted by field; values truncated, secrets redacted
}

// maxFieldsInMessage keeps the error text short; Changed carries every field.
const maxFieldsInMessage = 8

func (e *ConflictError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d changed since this session read it", e.Entity, e.ID)
	if len(e.Changed) > 0 {
		b.WriteString(" (")
		for i, c := range e.Changed {
			if i == maxFieldsInMessage {
				fmt.Fprintf(&b, "; and %d more", len(e.Changed)-i)
				break
			}
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s: %s → %s", c.Field, DescribeValue(c.Before), DescribeValue(c.After))
		}
		b.WriteString(")")
	}
	b.WriteString(": read it again with get_ticket or get_entity and redo the change on the current values")
	return b.String()
}

func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// EmptyValue is how DescribeValue shows a value that is not there.
const EmptyValue = "(empty)"

// DescribeValue is the one wording of a record's value in a message, the conflict's text here and
// every tool message (the tools layer calls it, adding its own length cut): nothing (null, blank
// text, an empty list or object) as (empty), text quoted, anything else as JSON. Values are record
// text written by third parties, so what is shown is sanitised: no markup, no invisible characters.
func DescribeValue(v any) string {
	switch x := v.(type) {
	case nil:
		return EmptyValue
	case string:
		s := sanitize.Text(x)
		if strings.TrimSpace(s) == "" {
			return EmptyValue
		}
		return strconv.Quote(s)
	case []any:
		if len(x) == 0 {
			return EmptyValue
		}
	case map[string]any:
		if len(x) == 0 {
			return EmptyValue
		}
	}
	return sanitize.Text(canonicalText(v))
}
