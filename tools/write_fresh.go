package tools

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// Every write to an existing ticket starts from a fresh read of it, which the guard checks: the
// session must have read the ticket, and nobody may have changed it since.

// readFresh is the GET before every write and the guard's check of it: the session must have read
// the ticket, and it must not have changed since.
func (r *writeRun) readFresh(ctx context.Context, name string) (autotask.Record, error) {
	i := r.step(name, fmt.Sprintf("GET Tickets/%d", r.w.ID), stepDone, "")
	rec, err := r.deps.Client.GetTicket(ctx, r.w.ID)
	if err != nil {
		r.failStep(i, "")
		if errors.Is(err, autotask.ErrNotFound) {
			return nil, badArgs("no ticket with id %d; find tickets with query_entity (entity Tickets)", r.w.ID)
		}
		return nil, err
	}
	if err := r.check(ctx, rec); err != nil {
		r.detail(i, "refused by the guard")
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
