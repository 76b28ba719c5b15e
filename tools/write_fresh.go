package tools

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// Every write to an existing record starts from a fresh read of it, which the guard checks: the
// session must have read the record, and nobody may have changed it since.

// findTicket looks up the ticket a write names by number: one query, before anything else is read.
// The query returns the whole ticket, kept for readFreshOrFound.
func (r *writeRun) findTicket(ctx context.Context, number string) error {
	i := r.step("find ticket", "POST Tickets/query", stepDone, "")
	rec, err := r.deps.Client.TicketByNumber(ctx, number)
	if err != nil {
		r.failStep(i, "")
		if errors.Is(err, autotask.ErrNotFound) {
			return badArgs("no ticket with number %s; check the number, or search with query_entity (entity Tickets, field title, op contains)", number)
		}
		return err
	}
	id, _ := rec.Int("id")
	r.detail(i, fmt.Sprintf("ticket id %d", id))
	r.setID(id)
	r.out.TicketNumber = number
	r.found = rec
	return nil
}

// readFreshOrFound is readFresh for a write that adds to the ticket (a note, a time entry) rather
// than PUT it: when the call named the ticket by number, the look-up a moment ago returned the whole
// ticket, as fresh as a GET would be, and the guard checks that instead of a second request. A write
// that PUTs the ticket builds its body from a GET, always (readFresh).
func (r *writeRun) readFreshOrFound(ctx context.Context, name string) (autotask.Record, error) {
	rec := r.found
	r.found = nil
	if rec == nil {
		return r.readFresh(ctx, name)
	}
	i := r.step(name, "POST Tickets/query", stepDone, "the ticket as the number's look-up returned it")
	if err := r.check(ctx, rec); err != nil {
		r.detail(i, "refused by the guard")
		r.showRefused(ctx, rec, err)
		return nil, err
	}
	return rec, nil
}

// readFresh is the GET before every write and the guard's check of it: the session must have read
// the record, and it must not have changed since. A refusal for either shows the record as it now
// is, and counts as reading it (showRefused).
func (r *writeRun) readFresh(ctx context.Context, name string) (autotask.Record, error) {
	rec, err := r.deps.Client.Get(ctx, r.w.Entity, r.w.ID)
	return r.checkFresh(ctx, name, rec, err)
}

// checkFresh records the fresh GET as step name and has the guard check the record it read; err is
// the GET's failure. It is readFresh's second half, for a GET sent beside another request.
func (r *writeRun) checkFresh(ctx context.Context, name string, rec autotask.Record, err error) (autotask.Record, error) {
	i := r.step(name, fmt.Sprintf("GET %s/%d", r.w.Entity, r.w.ID), stepDone, "")
	if err != nil {
		r.failStep(i, "")
		if errors.Is(err, autotask.ErrNotFound) {
			return nil, badArgs("no %s with id %d; find %ss with query_entity (entity %s)", entityNoun(r.w.Entity), r.w.ID, entityNoun(r.w.Entity), r.w.Entity)
		}
		return nil, err
	}
	if err := r.check(ctx, rec); err != nil {
		r.detail(i, "refused by the guard")
		r.showRefused(ctx, rec, err)
		return nil, err
	}
	return rec, nil
}

// check is the guard's read-before-write and version check against the record just fetched.
func (r *writeRun) check(ctx context.Context, fresh autotask.Record) error {
	r.fresh = fresh
	if n := fresh.String("ticketNumber"); n != "" && strings.EqualFold(r.w.Entity, "Tickets") {
		r.out.TicketNumber = n
	}
	return r.deps.Guard.Check(ctx, r.w, map[string]any(fresh))
}

// entityNoun is how messages name a record of the entities written to: "ticket", "task".
func entityNoun(entity string) string {
	switch entity {
	case "Tickets":
		return "ticket"
	case "Tasks":
		return "task"
	}
	return entity + " record"
}

// recordName is how summaries and messages name the record written to: a ticket by number, a task
// by number and title, anything else by id.
func (r *writeRun) recordName(rec autotask.Record) string {
	switch r.w.Entity {
	case "Tickets":
		return ticketName(rec, r.w.ID)
	case "Tasks":
		name := fmt.Sprintf("task id %d", r.w.ID)
		if n := rec.String("taskNumber"); n != "" {
			name = fmt.Sprintf("task %s (id %d)", n, r.w.ID)
		}
		return name
	}
	return fmt.Sprintf("%s %d", r.w.Entity, r.w.ID)
}

// readTool is the read tool the assistant reads the written record with.
func (r *writeRun) readTool() string {
	if r.w.Entity == "Tickets" {
		return "get_ticket"
	}
	return "get_entity (entity " + r.w.Entity + ")"
}
