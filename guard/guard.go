package guard

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// Options configure a Guard. The zero value is a working guard for one process: random key, bounded
// in-memory store, every write allowed (behind the read, version and confirmation checks), no audit.
type Options struct {
	Key         []byte        // HMAC key (AUTOTASK_MCP_GUARD_KEY), at least 16 bytes; nil -> random per process
	Store       Store         // nil -> NewMemoryStore(MemoryLimits{Now: Now})
	ReadOnly    bool          // refuse every write
	AllowWrites []string      // tool names and/or entity names (ParseAllowList); empty = everything allowed
	TokenTTL    time.Duration // confirmation token lifetime; default 10m
	Audit       io.Writer     // JSON lines (OpenAuditLog); nil = no audit
	Now         func() time.Time

	// SensitiveFields need confirmation in addition to DefaultSensitiveFields (case-insensitive).
	SensitiveFields []string
	// Logger receives audit write failures (the audit has no caller to return them to); nil = discard.
	Logger *slog.Logger
}

// DefaultTokenTTL is long enough for a person to read a preview and answer, short enough that a token
// found later in a transcript is useless.
const DefaultTokenTTL = 10 * time.Minute

// MinKeyBytes is the shortest Options.Key accepted; a shorter shared secret is guessable.
const MinKeyBytes = 16

// Guard is the write policy. It is safe for concurrent use; all its state is in its Store.
type Guard struct {
	key       []byte
	store     Store
	readOnly  bool
	allow     map[string]bool // lower-cased tool and entity names; empty = all
	ttl       time.Duration
	now       func() time.Time
	sensitive map[string]bool
	logger    *slog.Logger

	auditMu sync.Mutex // one line per Write call, never interleaved
	audit   io.Writer
}

func New(opts Options) (*Guard, error) {
	key := opts.Key
	switch {
	case key == nil:
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("guard: generate key: %w", err)
		}
	case len(key) < MinKeyBytes:
		return nil, fmt.Errorf("guard: key is %d bytes, need at least %d", len(key), MinKeyBytes)
	default:
		key = append([]byte(nil), key...)
	}
	if opts.TokenTTL < 0 {
		return nil, errors.New("guard: negative TokenTTL")
	}
	ttl := opts.TokenTTL
	if ttl == 0 {
		ttl = DefaultTokenTTL
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	store := opts.Store
	if store == nil {
		store = NewMemoryStore(MemoryLimits{Now: now})
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Guard{
		key:       key,
		store:     store,
		readOnly:  opts.ReadOnly,
		allow:     lowerSet(opts.AllowWrites),
		ttl:       ttl,
		now:       func() time.Time { return now().UTC() },
		sensitive: lowerSet(DefaultSensitiveFields, opts.SensitiveFields),
		logger:    logger,
		audit:     opts.Audit,
	}, nil
}

func (g *Guard) ReadOnly() bool { return g.readOnly }

// WriteAllowed says whether a write tool may run at all: false in read-only mode; otherwise true when
// there is no allow list, or the list names the tool or one of the entities it writes (either
// suffices: "Tickets" allows every tool writing tickets, "TicketNotes" the tools adding notes,
// "add_ticket_note" that tool whatever it writes).
func (g *Guard) WriteAllowed(tool string, entities ...string) bool {
	return !g.readOnly && allowedBy(g.allow, tool, entities)
}

// policy is the first gate of every write: the server's policy, then that of the call's user.
func (g *Guard) policy(ctx context.Context, w Write) error {
	entities := append([]string{w.Entity}, w.Writes...)
	if g.readOnly {
		return fmt.Errorf("%s on %s %d refused: %w", w.Tool, w.Entity, w.ID, ErrReadOnly)
	}
	if !allowedBy(g.allow, w.Tool, entities) {
		return fmt.Errorf("%s on %s %d refused: %w", w.Tool, w.Entity, w.ID, ErrNotAllowed)
	}
	return userPolicy(ctx, w, entities)
}

// ParseAllowList reads AUTOTASK_MCP_ALLOW_WRITES: names separated by commas and/or spaces, blanks
// dropped. An empty result means no allow list (everything allowed, subject to read-only).
func ParseAllowList(s string) []string {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	if len(fields) == 0 {
		return nil
	}
	return fields
}

func recordKey(ctx context.Context, session, entity string, id int64) RecordKey {
	return RecordKey{Session: ledgerSession(ctx, session), Entity: strings.ToLower(entity), ID: id}
}
