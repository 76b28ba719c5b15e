package guard

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentReadsChecksAndWrites runs readers, writers and confirmations on shared records from
// many goroutines; run with -race. Every answer must be one the guard can give.
func TestConcurrentReadsChecksAndWrites(t *testing.T) {
	shared := NewMemoryStore(MemoryLimits{RecordsPerSession: 8})
	guards := []*Guard{newGuard(t, Options{Store: shared}), newGuard(t, Options{Store: shared})}
	base := decodeTicket(t, true)
	moved := ticketWith(t, map[string]any{"status": 8, "lastActivityDate": "2024-05-01T09:45:00Z"})

	var wg sync.WaitGroup
	for gi := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := guards[gi%2]
			s := fmt.Sprintf("s%d", gi%4) // sessions shared between goroutines and replicas
			for i := range 200 {
				id := int64(42 + i%12)
				rec := ticketWith(t, map[string]any{"id": id})
				fresh := rec
				if i%5 == 0 {
					fresh = ticketWith(t, map[string]any{"id": id, "status": moved["status"], "lastActivityDate": moved["lastActivityDate"]})
				}
				w := Write{Session: s, Tool: "update_ticket", Entity: "Tickets", ID: id, Changes: map[string]any{"title": "x"}}
				switch i % 4 {
				case 0, 1:
					assert.NoError(t, g.RecordRead(bg, s, "Tickets", id, rec))
				case 2:
					err := g.Check(bg, w, fresh)
					if err != nil && !errors.Is(err, ErrNotRead) && !errors.Is(err, ErrConflict) {
						t.Errorf("unexpected check error: %v", err)
					}
				case 3:
					assert.NoError(t, g.RecordWrite(bg, s, "Tickets", id, rec, rec))
					tok, _, err := g.IssueToken(bg, w, VersionOf(base))
					if assert.NoError(t, err) {
						assert.NoError(t, guards[(gi+1)%2].RedeemToken(bg, tok, w, VersionOf(base)))
					}
				}
			}
		}()
	}
	wg.Wait()

	// The ledger is still coherent: a fresh read followed by a check passes.
	g := guards[0]
	require.NoError(t, g.RecordRead(bg, "s0", "Tickets", 42, base))
	require.NoError(t, g.Check(bg, ticketWrite("s0", nil), base))
}

func TestParallelSessionsAreIsolated(t *testing.T) {
	g := newGuard(t, Options{})
	t.Run("group", func(t *testing.T) {
		for i := range 8 {
			s := fmt.Sprintf("p%d", i)
			t.Run(s, func(t *testing.T) {
				t.Parallel()
				w := ticketWrite(s, map[string]any{"title": "x"})
				require.ErrorIs(t, g.Check(bg, w, decodeTicket(t, true)), ErrNotRead)
				require.NoError(t, g.RecordRead(bg, s, "Tickets", 42, decodeTicket(t, false)))
				require.NoError(t, g.Check(bg, w, decodeTicket(t, true)))
			})
		}
	})
}
