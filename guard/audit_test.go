package guard

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// auditLines decodes every line of an audit log.
func auditLines(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 1<<20), 1<<20)
	for sc.Scan() {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		var m map[string]any
		require.NoError(t, dec.Decode(&m), "line %q", sc.Text())
		out = append(out, m)
	}
	require.NoError(t, sc.Err())
	return out
}

func keysOf(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

var auditKeys = []string{"changes", "detail", "entity", "id", "outcome", "session", "time", "tool", "user"}

func TestAuditLinesForAllowedAndRefusedAttempts(t *testing.T) {
	var buf bytes.Buffer
	clock := newClock()
	g := newGuard(t, Options{Audit: &buf, Now: clock.Now})
	fresh := decodeTicket(t, true)
	w := ticketWrite(session, map[string]any{"title": "Printer replaced"})

	// Refused: never read.
	err := g.Check(bg, w, fresh)
	require.ErrorIs(t, err, ErrNotRead)
	g.Audit(bg, AuditEntry{Session: w.Session, Tool: w.Tool, Entity: w.Entity, ID: w.ID, Changes: ChangesFor(fresh, w.Changes), Outcome: OutcomeOf(err), Detail: err.Error()})

	// Allowed: read, checked, applied.
	require.NoError(t, g.RecordRead(bg, session, "Tickets", 42, fresh))
	err = g.Check(bg, w, fresh)
	require.NoError(t, err)
	g.Audit(bg, AuditEntry{Time: clock.Now().Add(time.Second), Session: w.Session, Tool: w.Tool, Entity: w.Entity, ID: w.ID, Changes: ChangesFor(fresh, w.Changes), Outcome: OutcomeOf(err)})

	lines := auditLines(t, buf.Bytes())
	require.Len(t, lines, 2)
	tests := []struct {
		name    string
		line    map[string]any
		time    string
		outcome string
		detail  string
	}{
		{"refused", lines[0], "2024-05-01T10:00:00Z", OutcomeRefused, "get_ticket"},
		{"applied", lines[1], "2024-05-01T10:00:01Z", OutcomeApplied, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, auditKeys, keysOf(tt.line))
			assert.Equal(t, tt.time, tt.line["time"])
			assert.Equal(t, session, tt.line["session"])
			assert.Equal(t, "update_ticket", tt.line["tool"])
			assert.Equal(t, "Tickets", tt.line["entity"])
			assert.Equal(t, json.Number("42"), tt.line["id"])
			assert.Equal(t, tt.outcome, tt.line["outcome"])
			if tt.detail == "" {
				assert.Equal(t, "", tt.line["detail"])
			} else {
				assert.Contains(t, tt.line["detail"], tt.detail)
			}
			assert.Equal(t, []any{map[string]any{"field": "title", "before": "Printer on fire", "after": "Printer replaced"}}, tt.line["changes"])
		})
	}
}

func TestAuditRedactsAndTruncates(t *testing.T) {
	var buf bytes.Buffer
	g := newGuard(t, Options{Audit: &buf})
	long := strings.Repeat("x", 10_000)
	g.Audit(bg, AuditEntry{
		Session: session, Tool: "update_entity", Entity: "Resources", ID: 7, Outcome: OutcomeApplied,
		Changes: []FieldChange{
			{Field: "password", Before: "old-hunter2", After: "new-hunter2"},
			{Field: "apiSecretKey", After: "s3cr3t"},
			{Field: "description", Before: long, After: "short"},
			{Field: "count", Before: 1, After: json.Number("2.0")},
		},
		Detail: long,
	})
	raw := buf.String()
	assert.NotContains(t, raw, "hunter2")
	assert.NotContains(t, raw, "s3cr3t")
	assert.Less(t, len(raw), 6_000, "a long value does not flood the log")
	lines := auditLines(t, buf.Bytes())
	require.Len(t, lines, 1)
	changes := lines[0]["changes"].([]any)
	require.Len(t, changes, 4)
	assert.Equal(t, map[string]any{"field": "password", "before": redacted, "after": redacted}, changes[0])
	assert.Equal(t, map[string]any{"field": "apiSecretKey", "after": redacted}, changes[1])
	assert.Contains(t, changes[2].(map[string]any)["before"], "chars)")
	assert.Equal(t, map[string]any{"field": "count", "before": json.Number("1"), "after": json.Number("2")}, changes[3])
	assert.Contains(t, lines[0]["detail"], "chars)")
}

func TestAuditEmptyChangesIsAnArray(t *testing.T) {
	var buf bytes.Buffer
	g := newGuard(t, Options{Audit: &buf})
	g.Audit(bg, AuditEntry{Session: session, Tool: "add_ticket_note", Entity: "TicketNotes", Outcome: OutcomeDryRun})
	assert.Contains(t, buf.String(), `"changes":[]`)
}

func TestAuditConcurrentLinesDoNotInterleave(t *testing.T) {
	var buf bytes.Buffer
	g := newGuard(t, Options{Audit: &buf})
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.Audit(bg, AuditEntry{Session: fmt.Sprintf("s%d", i), Tool: "update_ticket", Entity: "Tickets", ID: int64(i),
				Changes: []FieldChange{{Field: "description", After: strings.Repeat("y", 1500)}}, Outcome: OutcomeApplied})
		}()
	}
	wg.Wait()
	lines := auditLines(t, buf.Bytes())
	require.Len(t, lines, 64)
	for _, l := range lines {
		assert.Equal(t, auditKeys, keysOf(l))
	}
}

func TestAuditWithoutWriterAndWithFailingWriter(t *testing.T) {
	newGuard(t, Options{}).Audit(bg, AuditEntry{Outcome: OutcomeApplied}) // no audit: nothing happens

	var logs bytes.Buffer
	g := newGuard(t, Options{Audit: failingWriter{}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	g.Audit(bg, AuditEntry{Entity: "Tickets", ID: 42, Outcome: OutcomeApplied})
	assert.Contains(t, logs.String(), "guard audit: write")
	assert.Contains(t, logs.String(), "disk full")
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestOpenAuditLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	for i := range 2 {
		f, err := OpenAuditLog(path)
		require.NoError(t, err)
		g := newGuard(t, Options{Audit: f})
		g.Audit(bg, AuditEntry{Session: session, Tool: "update_ticket", Entity: "Tickets", ID: int64(i), Outcome: OutcomeApplied})
		require.NoError(t, f.Close())
	}
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := auditLines(t, b)
	require.Len(t, lines, 2, "appended, not truncated")
	assert.Equal(t, json.Number("0"), lines[0]["id"])
	assert.Equal(t, json.Number("1"), lines[1]["id"])

	_, err = OpenAuditLog(filepath.Join(t.TempDir(), "missing", "dir", "audit.jsonl"))
	require.Error(t, err)
}

func TestOutcomeOf(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, OutcomeApplied},
		{fmt.Errorf("x: %w", ErrReadOnly), OutcomeRefused},
		{fmt.Errorf("x: %w", ErrNotAllowed), OutcomeRefused},
		{fmt.Errorf("x: %w", ErrNotRead), OutcomeRefused},
		{&ConflictError{Entity: "Tickets", ID: 1}, OutcomeRefused},
		{fmt.Errorf("x: %w", ErrTokenInvalid), OutcomeRefused},
		{fmt.Errorf("x: %w", ErrTokenExpired), OutcomeRefused},
		{fmt.Errorf("x: %w", ErrTokenUsed), OutcomeRefused},
		{fmt.Errorf("x: %w", ErrTokenStale), OutcomeRefused},
		{errors.New("HTTP 500"), OutcomeFailed},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.err), func(t *testing.T) { assert.Equal(t, tt.want, OutcomeOf(tt.err)) })
	}
}

func TestChangesFor(t *testing.T) {
	fresh := decodeTicket(t, false)
	changes := map[string]any{
		"status":            json.Number("5"),
		"resolution":        "Replaced",
		"userDefinedFields": []any{map[string]any{"name": "Site", "value": "Branch"}},
	}
	assert.Equal(t, []FieldChange{
		{Field: "resolution", After: "Replaced"},
		{Field: "status", Before: json.Number("1"), After: json.Number("5")},
		{Field: "userDefinedFields.Site", Before: "HQ", After: "Branch"},
	}, ChangesFor(fresh, changes))
	assert.Empty(t, ChangesFor(fresh, nil))
	assert.Equal(t, []FieldChange{{Field: "title", After: "new"}}, ChangesFor(nil, map[string]any{"title": "new"}))
}
