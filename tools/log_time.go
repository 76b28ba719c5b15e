package tools

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/schema"
)

type logTimeInput struct {
	ticketRef
	TaskID        *int64     `json:"task_id,omitempty" jsonschema:"minimum=1" jsonschema_description:"A project task's id, instead of a ticket; read it first (get_entity Tasks)."`
	Hours         *float64   `json:"hours,omitempty" jsonschema:"minimum=0,maximum=24" jsonschema_description:"Hours worked, e.g. 1.5; or start and end."`
	Start         string     `json:"start,omitempty" jsonschema_description:"ISO 8601 UTC, with end, instead of hours (some tenants require them)."`
	End           string     `json:"end,omitempty" jsonschema_description:"ISO 8601 UTC, with start."`
	Summary       string     `json:"summary" jsonschema:"required" jsonschema_description:"What was done. The customer may see it (invoice, portal)."`
	InternalNotes string     `json:"internal_notes,omitempty" jsonschema_description:"Notes for staff only."`
	Date          string     `json:"date,omitempty" jsonschema_description:"YYYY-MM-DD, with hours; default today (UTC)."`
	Billable      *bool      `json:"billable,omitempty" jsonschema_description:"false: non-billable. Default: as the tenant and work type decide."`
	Role          *labelOrID `json:"role,omitempty" jsonschema_description:"Name or id, one the resource holds. Default: its default service-desk (ticket) or department (task) role."`
	WorkType      *labelOrID `json:"work_type,omitempty" jsonschema_description:"Billing code, name or id. Default: the ticket's or task's."`
	DryRun        bool       `json:"dry_run,omitempty" jsonschema_description:"Send nothing; return the exact requests."`
}

const logTimeDescription = `Log time worked on a ticket (ticket_id or ticket_number) or a project task (task_id), read first: hours, or start and end, with a summary. The time is the acting resource's (the impersonated technician, else the API user's), at its default role and the ticket's or task's work type unless role or work_type say otherwise. Once a ticket has time entries, resolve_ticket leaves its status as it is. Sent once, never resent: a lost answer is looked up.`

// maxHoursWorked is the most one time entry may hold: the API refuses a day or more.
const maxHoursWorked = 24

func logTimeTool(deps Deps) Tool {
	return newWriteTool(deps, definition{
		name:         "log_time",
		title:        "Log time on a ticket or task",
		description:  logTimeDescription,
		input:        schema.Input[logTimeInput](),
		recordFields: []string{"ticket_id", "ticket_number", "task_id", "time_entry_id", "title"},
		// Offered when the allow list names time entries, or the tickets or tasks time is logged
		// on; each call is then held to its own target's (writes).
		writes: []string{"TimeEntries", "Tickets", "Tasks"},
	}, logTime)
}

// target is the ticket or the task the time is logged on, which the session must have read.
func (in logTimeInput) target() (writeTarget, error) {
	ticket := in.TicketID != nil || strings.TrimSpace(in.TicketNumber) != ""
	switch {
	case in.TaskID != nil && ticket:
		return writeTarget{entity: "Tickets"}, badArgs("give a ticket (ticket_id or ticket_number) or a task (task_id), not both: a time entry is on one of them")
	case in.TaskID != nil && *in.TaskID < 1:
		return writeTarget{entity: "Tasks"}, badArgs("task_id must be a positive integer (got %d)", *in.TaskID)
	case in.TaskID != nil:
		return writeTarget{entity: "Tasks", id: *in.TaskID}, nil
	case !ticket:
		return writeTarget{entity: "Tickets"}, badArgs("give the ticket (ticket_id or ticket_number) or the task (task_id) the time was worked on")
	}
	return in.ticketRef.target()
}

// writes: the call writes a time entry; an allow list naming the ticket's or task's entity allows
// it there only (the target's own entity is checked beside these).
func (logTimeInput) writes(string) []string { return []string{"TimeEntries"} }

// timeSpan is when the time was worked: hours on a day, or a window.
type timeSpan struct {
	hours      float64
	day        time.Time // hours only
	start, end time.Time // a window
}

func (s timeSpan) window() bool { return !s.start.IsZero() }

func logTime(ctx context.Context, r *writeRun, in logTimeInput) writeEnd {
	span, err := checkTimeArgs(in, time.Now().UTC())
	if err != nil {
		return r.fail(ctx, err)
	}
	md, err := r.loadMetadata(ctx, "TimeEntries")
	if err != nil {
		return r.fail(ctx, err)
	}
	body, err := timeEntryText(md, in)
	if err != nil {
		return r.fail(ctx, err)
	}
	b, err := r.checkBilling(ctx, in)
	if err != nil {
		return r.fail(ctx, err)
	}
	fresh, err := r.readFreshOrFound(ctx, "read "+entityNoun(r.w.Entity))
	if err != nil {
		return r.fail(ctx, err)
	}
	workType := b.workType
	if b.workTypeID != 0 {
		body["billingCodeID"] = b.workTypeID
	} else {
		workType = r.ownWorkType(ctx, fresh)
	}
	parent := r.fillTimeEntry(body, span, b.resource, b.role, in.Billable)

	what := fmt.Sprintf("%s h on %s as %s (%d), work type: %s", hoursText(span), r.recordName(fresh), b.role.Name, b.role.ID, workType)
	if in.Billable != nil && !*in.Billable {
		what += ", non-billable"
	}
	if in.DryRun {
		r.planDryRun("log time", "POST TimeEntries")
		r.out.Requests = []plannedRequest{{Method: "POST", Path: "TimeEntries", Body: body}}
		return r.finishDryRun(ctx, "Dry run: nothing sent. Would log "+what+".", "Logging")
	}
	i := r.plan("log time", "POST TimeEntries")
	id, err := r.addTimeEntry(ctx, body)
	if err != nil {
		if errors.Is(err, autotask.ErrOutcomeUnknown) {
			r.hint = fmt.Sprintf("The time entry may exist now: look for it with query_entity (TimeEntries, %s eq %d, resourceID eq %d) before logging it again.", parent, r.w.ID, b.resource)
		}
		return r.fail(ctx, err)
	}
	r.done(i, fmt.Sprintf("time entry %d", id))
	r.out.TimeEntryID = id
	// A time entry moves the ticket's (or task's) activity and nothing else: every field as read
	// should still have its value.
	r.wrote(fresh, nil)
	if r.w.Entity == "Tickets" {
		r.out.Notes = append(r.out.Notes, "The ticket now has time entries, so resolve_ticket will leave its status as it is: it completes only tickets without time logged. Change the status with update_ticket if the person wants it completed.")
	}
	return r.finish(ctx, outcomeApplied, fmt.Sprintf("Logged %s (time entry %d).", what, id))
}

// timeBilling is whose time it is and what it is billed as: the acting resource, its role, and
// the work type the assistant named (workTypeID 0 when it named none).
type timeBilling struct {
	resource   int64
	role       autotask.Role
	workTypeID int64
	workType   string // "Name (id)" of a named work type
}

// checkBilling checks the resource, the role and a named work type before the ticket or task is
// read, so a mistaken one costs no request beyond the cached look-ups.
func (r *writeRun) checkBilling(ctx context.Context, in logTimeInput) (timeBilling, error) {
	resource, err := r.actingResource(ctx)
	if err != nil {
		return timeBilling{}, err
	}
	role, err := r.timeRole(ctx, resource, in.Role.value())
	if err != nil {
		return timeBilling{}, err
	}
	b := timeBilling{resource: resource, role: role}
	if v := in.WorkType.value(); v != nil {
		w, err := r.workType(ctx, v)
		if err != nil {
			return timeBilling{}, err
		}
		b.workTypeID, b.workType = w.ID, fmt.Sprintf("%s (%d)", w.Name, w.ID)
	}
	return b, nil
}

// ownWorkType names the work type the API gives an entry that names none: the ticket's or task's
// own.
func (r *writeRun) ownWorkType(ctx context.Context, fresh autotask.Record) string {
	noun := entityNoun(r.w.Entity)
	id, ok := fresh.Int("billingCodeID")
	if !ok {
		return fmt.Sprintf("none (the %s has none; name one with work_type)", noun)
	}
	if name := r.workTypeName(ctx, id); name != "" {
		return name + ", the " + noun + "'s own"
	}
	return fmt.Sprintf("the %s's own (%d)", noun, id)
}

// fillTimeEntry sets the entry's target, resource, role, billing and time in body, and the changes
// the guard sees (the entry without its target, which is the write's own record); parent is the
// field naming the ticket or task.
func (r *writeRun) fillTimeEntry(body autotask.Record, span timeSpan, resource int64, role autotask.Role, billable *bool) (parent string) {
	parent = "ticketID"
	if r.w.Entity == "Tasks" {
		parent = "taskID"
	}
	body[parent] = r.w.ID
	body["resourceID"] = resource
	body["roleID"] = role.ID
	if billable != nil {
		body["isNonBillable"] = !*billable
	}
	if span.window() {
		body["startDateTime"] = span.start.Format(apiTimeLayout)
		body["endDateTime"] = span.end.Format(apiTimeLayout)
	} else {
		body["hoursWorked"] = json4(span.hours)
		body["dateWorked"] = span.day.Format(apiTimeLayout)
	}
	entry := make(map[string]any, len(body))
	for k, v := range body {
		if k != parent {
			entry[k] = v
		}
	}
	r.w.Changes = map[string]any{"timeEntry": entry}
	return parent
}

// checkTimeArgs checks the summary and when the time was worked, before anything is read. now is
// today's clock, for the default date.
func checkTimeArgs(in logTimeInput, now time.Time) (timeSpan, error) {
	if err := requireText("summary", in.Summary); err != nil {
		return timeSpan{}, err
	}
	window := in.Start != "" || in.End != ""
	switch {
	case in.Hours != nil && window:
		return timeSpan{}, badArgs("give hours, or start and end, not both: with a window the hours are its length")
	case in.Hours == nil && !window:
		return timeSpan{}, badArgs("give hours (e.g. 1.5), or start and end (ISO 8601 UTC)")
	case in.Hours != nil:
		h := *in.Hours
		if math.IsNaN(h) || h <= 0 || h > maxHoursWorked {
			return timeSpan{}, badArgs("hours must be more than 0 and at most %d (got %s)", maxHoursWorked, strconv.FormatFloat(h, 'f', -1, 64))
		}
		day := now.Truncate(24 * time.Hour)
		if in.Date != "" {
			d, err := time.Parse(time.DateOnly, strings.TrimSpace(in.Date))
			if err != nil {
				t, ok := parseAPITime(in.Date)
				if !ok {
					return timeSpan{}, badArgs("date must be a day, YYYY-MM-DD (got %s)", describeValue(in.Date))
				}
				d = t
			}
			day = d.UTC().Truncate(24 * time.Hour)
		}
		return timeSpan{hours: h, day: day}, nil
	}
	start, okStart := parseAPITime(in.Start)
	end, okEnd := parseAPITime(in.End)
	switch {
	case in.Start == "" || in.End == "":
		return timeSpan{}, badArgs("give start and end together (or hours instead)")
	case !okStart || !okEnd:
		return timeSpan{}, badArgs("start and end are ISO 8601 date-times in UTC, e.g. 2026-11-20T09:00:00Z (got %s and %s)", describeValue(in.Start), describeValue(in.End))
	case !end.After(start):
		return timeSpan{}, badArgs("end (%s) must be after start (%s)", end.Format(apiTimeLayout), start.Format(apiTimeLayout))
	case end.Sub(start) > maxHoursWorked*time.Hour:
		return timeSpan{}, badArgs("start to end is %s; a time entry is at most %d hours", end.Sub(start), maxHoursWorked)
	case in.Date != "" && strings.TrimSpace(in.Date) != start.Format(time.DateOnly):
		return timeSpan{}, badArgs("date %s is not the day of start (%s); leave date out with start and end", describeValue(in.Date), start.Format(time.DateOnly))
	}
	return timeSpan{start: start, end: end, hours: end.Sub(start).Hours()}, nil
}

// timeEntryText is the entry's text as the API takes it: the summary, and the internal notes when
// given, checked against the tenant's lengths.
func timeEntryText(md *autotask.Metadata, in logTimeInput) (autotask.Record, error) {
	body := autotask.Record{}
	res := valueResolver{entity: "TimeEntries", md: md}
	for _, a := range []struct{ field, arg, v string }{{"summaryNotes", "summary", in.Summary}, {"internalNotes", "internal_notes", in.InternalNotes}} {
		if a.v == "" {
			continue
		}
		f, ok := md.Field(a.field)
		if !ok {
			return nil, fmt.Errorf("TimeEntries metadata has no field %s", a.field)
		}
		v, err := res.value(f, a.v, "", a.arg)
		if err != nil {
			return nil, err
		}
		body[f.Name] = v
	}
	return body, nil
}

// json4 is hours as the API keeps them, to four decimals.
func json4(h float64) float64 { return math.Round(h*10000) / 10000 }

func hoursText(s timeSpan) string {
	return strconv.FormatFloat(math.Round(s.hours*100)/100, 'f', -1, 64)
}
