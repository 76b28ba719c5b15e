package tools

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// A write whose answer was lost (autotask.ErrOutcomeUnknown: a reset connection, a hung request, an
// unreadable 2xx, a gateway error) may or may not be in the tenant. Left at that, the assistant has
// to re-read and guess; one read here usually settles it. What a read-back proves is one-sided: a
// record that is there was written, but one that is not there yet may still be written by a
// request that is hanging on the API's side, so "not found" is worded as "most likely not".

// readBackWindow is how far before the call a record found by a read-back may have been created:
// room for the tenant's clock running behind ours.
const readBackWindow = 5 * time.Minute

// settleLost reads back after a write request's answer was lost; find reports whether the write is
// in the tenant. It returns true when it is. Otherwise the failure's text (fail) says what the
// read-back showed, or nothing when it could not be made.
func (r *writeRun) settleLost(ctx context.Context, err error, what string, find func(context.Context) (bool, error)) bool {
	if !errors.Is(err, autotask.ErrOutcomeUnknown) || ctx.Err() != nil {
		return false
	}
	found, ferr := find(ctx)
	switch {
	case ferr != nil:
		r.log.Warn("read-back after a lost answer failed", "tool", r.w.Tool, "entity", r.w.Entity, "id", r.w.ID, "err", ferr)
		return false
	case !found:
		r.readBack = "Reading it back right after found no sign of it, so it was most likely not applied; but a request that hung can still land late, so read again before repeating it."
		return false
	}
	r.out.Notes = append(r.out.Notes, fmt.Sprintf("Autotask's answer to %s was lost (%s); reading it back showed it was applied, so it was not sent again.", what, lostReason(err)))
	return true
}

func lostReason(err error) string {
	var api *autotask.APIError
	if errors.As(err, &api) {
		switch {
		case api.StatusCode/100 == 2:
			return "the answer was unreadable"
		case api.StatusCode != 0:
			return fmt.Sprintf("HTTP %d", api.StatusCode)
		}
	}
	return "the connection dropped or timed out"
}

// putTicket is PutTicket, settled by a read-back when the answer is lost: the ticket holds every
// changed value, or the PUT did not land. A PUT that landed is noted for the guard (wrote).
func (r *writeRun) putTicket(ctx context.Context, fresh autotask.Record, ch autotask.Changes, what string) (autotask.Record, error) {
	sent, err := r.deps.Client.PutTicket(ctx, fresh, ch)
	if err == nil {
		r.wrote(sent, nil)
		return sent, nil
	}
	var now autotask.Record
	landed := r.settleLost(ctx, err, what, func(ctx context.Context) (bool, error) {
		var gerr error
		if now, gerr = r.deps.Client.GetTicket(ctx, r.w.ID); gerr != nil {
			return false, gerr
		}
		return withoutNoOps(r.md, now, ch).IsEmpty(), nil
	})
	if !landed {
		return nil, err
	}
	sent = fresh.WithChanges(ch)
	r.wrote(sent, now)
	return sent, nil
}

// addNote is AddTicketNote, settled by a read-back when the answer is lost: a note on the ticket
// with this title and text, created since just before the call, is the one it sent.
func (r *writeRun) addNote(ctx context.Context, body autotask.Record) (int64, error) {
	return r.create(ctx, "the note", "TicketNotes", "createDateTime", "description", body,
		func(ctx context.Context) (int64, error) { return r.deps.Client.AddTicketNote(ctx, r.w.ID, body) },
		autotask.Eq("ticketID", r.w.ID), autotask.Eq("title", body["title"]))
}

// createTicket is Create on Tickets, settled by a read-back when the answer is lost: a ticket of
// the company with this title and description, created since just before the call.
func (r *writeRun) createTicket(ctx context.Context, body autotask.Record) (int64, error) {
	return r.create(ctx, "the create", "Tickets", "createDate", "description", body,
		func(ctx context.Context) (int64, error) { return r.deps.Client.Create(ctx, "Tickets", body) },
		autotask.Eq("companyID", body["companyID"]), autotask.Eq("title", body["title"]))
}

// addTimeEntry is Create on TimeEntries, settled by a read-back when the answer is lost: an entry
// by this resource on this ticket or task with this summary, created since just before the call.
func (r *writeRun) addTimeEntry(ctx context.Context, body autotask.Record) (int64, error) {
	parent := "ticketID"
	if r.w.Entity == "Tasks" {
		parent = "taskID"
	}
	return r.create(ctx, "the time entry", "TimeEntries", "createDateTime", "summaryNotes", body,
		func(ctx context.Context) (int64, error) { return r.deps.Client.Create(ctx, "TimeEntries", body) },
		autotask.Eq(parent, r.w.ID), autotask.Eq("resourceID", body["resourceID"]))
}

// create sends a create once and, when its answer is lost, looks for the record it made among
// those matching match whose textField is the one sent. Every record it made is remembered, so a
// later read-back skips it.
func (r *writeRun) create(ctx context.Context, what, entity, createdField, textField string, body autotask.Record,
	send func(context.Context) (int64, error), match ...autotask.Filter) (int64, error) {
	started := time.Now()
	id, err := send(ctx)
	if err != nil {
		landed := r.settleLost(ctx, err, what, func(ctx context.Context) (bool, error) {
			found, ferr := r.findCreated(ctx, entity, createdField, textField, started, body, match...)
			id = found
			return found != 0, ferr
		})
		if !landed {
			return 0, err
		}
	}
	r.deps.created.add(entity, id)
	return id, nil
}

// findCreated is the read-back of a create: the newest record matching filter, created since just
// before the call, with the text sent in textField, that this server has not already created and
// reported (that one is an earlier call's, made with the same words).
func (r *writeRun) findCreated(ctx context.Context, entity, createdField, textField string, since time.Time, body autotask.Record, filter ...autotask.Filter) (int64, error) {
	filter = append(filter, autotask.Gte(createdField, since.Add(-readBackWindow).UTC().Format(time.RFC3339)))
	ids, err := r.findSame(ctx, entity, textField, body, filter...)
	for _, id := range ids {
		if !r.deps.created.has(entity, id) {
			return id, err
		}
	}
	return 0, err
}

// findSame lists the records matching filter whose textField (a description, a summary) is the one
// in body, compared without regard to whitespace (which the API may rewrap), newest (highest id)
// first.
func (r *writeRun) findSame(ctx context.Context, entity, textField string, body autotask.Record, filter ...autotask.Filter) ([]int64, error) {
	page, err := r.deps.Client.Query(ctx, entity, autotask.Query{
		Filter: filter, IncludeFields: []string{"id", textField}, MaxRecords: 50,
	})
	if err != nil {
		return nil, fmt.Errorf("read back %s: %w", entity, err)
	}
	want := strings.Join(strings.Fields(fmt.Sprint(body[textField])), " ")
	var ids []int64
	for _, rec := range page.Items {
		if strings.Join(strings.Fields(rec.String(textField)), " ") == want {
			ids = append(ids, rec.ID())
		}
	}
	slices.Sort(ids)
	slices.Reverse(ids)
	return ids, nil
}

// createdRecords remembers the records this server created, so a read-back after a lost answer
// does not mistake an earlier identical create for the lost one. Bounded: the oldest are
// forgotten first, and a read-back only looks minutes back.
type createdRecords struct {
	mu    sync.Mutex
	seen  map[string]struct{}
	order []string
}

const createdRecordsMax = 4096

func newCreatedRecords() *createdRecords {
	return &createdRecords{seen: map[string]struct{}{}}
}

func createdKey(entity string, id int64) string { return fmt.Sprintf("%s/%d", entity, id) }

func (c *createdRecords) add(entity string, id int64) {
	if c == nil || id == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := createdKey(entity, id)
	if _, ok := c.seen[k]; ok {
		return
	}
	if len(c.order) >= createdRecordsMax {
		delete(c.seen, c.order[0])
		c.order = c.order[1:]
	}
	c.seen[k] = struct{}{}
	c.order = append(c.order, k)
}

func (c *createdRecords) has(entity string, id int64) bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.seen[createdKey(entity, id)]
	return ok
}
