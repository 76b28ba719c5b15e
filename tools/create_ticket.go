package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/sanitize"
	"github.com/autotask-mcp/autotask-mcp/schema"
)

type createTicketInput struct {
	Company      *labelOrID  `json:"company" jsonschema:"required" jsonschema_description:"Company id, exact name, or \"Name (id)\"."`
	Title        string      `json:"title" jsonschema:"required" jsonschema_description:"One line."`
	Description  string      `json:"description" jsonschema:"required" jsonschema_description:"What it is about."`
	Priority     *labelOrID  `json:"priority,omitempty" jsonschema_description:"Label or id; default the tenant's."`
	Status       *labelOrID  `json:"status,omitempty" jsonschema_description:"Label or id; default the tenant's. Not Complete: resolve_ticket does that."`
	Queue        *labelOrID  `json:"queue,omitempty" jsonschema_description:"Label or id."`
	IssueType    *labelOrID  `json:"issue_type,omitempty" jsonschema_description:"Label or id."`
	SubIssueType *labelOrID  `json:"sub_issue_type,omitempty" jsonschema_description:"Label or id, under issue_type."`
	DueDateTime  string      `json:"due_date_time,omitempty" jsonschema_description:"ISO 8601 UTC."`
	ContactID    *int64      `json:"contact_id,omitempty" jsonschema:"minimum=1" jsonschema_description:"The company's contact."`
	Fields       fieldValues `json:"fields,omitempty" jsonschema_description:"Other fields by API name, as update_ticket's changes."`
	Confirm      string      `json:"confirm,omitempty" jsonschema_description:"Token from confirmation_required, once the person said yes."`
	DryRun       bool        `json:"dry_run,omitempty" jsonschema_description:"Send nothing; return the exact requests."`
}

const createTicketDescription = `Create a ticket for a company; required fields the tenant has defaults for are filled in. A non-default status (or another sensitive field) needs the person's confirmation (asked directly, or see confirm). Sent once, never retried; a lost answer is looked up.`

// createArgs maps the tool's named arguments to ticket fields.
var createArgs = []struct{ arg, field string }{
	{"priority", "priority"}, {"status", "status"}, {"queue", "queueID"}, {"issue_type", "issueType"},
	{"sub_issue_type", "subIssueType"}, {"due_date_time", "dueDateTime"}, {"contact_id", "contactID"},
	{"title", "title"}, {"description", "description"}, {"company", "companyID"},
}

// companyCandidates bounds the companies listed when a name matches none or several.
const companyCandidates = 10

func createTicketTool(deps Deps) Tool {
	return newWriteTool(deps, definition{
		name:         "create_ticket",
		title:        "Create a ticket",
		description:  createTicketDescription,
		input:        schema.Input[createTicketInput](),
		recordFields: []string{"ticket_id", "ticket_number", "title", "company"},
		writes:       []string{"Tickets"},
	}, createTicket)
}

// target: a new record has nothing to have read and no version to check; the guard's policy
// (read-only, allow list) and the audit are what apply.
func (createTicketInput) target() (writeTarget, error) { return writeTarget{entity: "Tickets"}, nil }

func createTicket(ctx context.Context, r *writeRun, in createTicketInput) writeEnd {
	ch, company, defaults, err := createChanges(ctx, r, in)
	if err != nil {
		return r.fail(ctx, err)
	}
	body := autotask.Record{}.WithChanges(ch)
	// The token binds the session, the tool and the exact values to be created: there is no record
	// and no version yet.
	r.w.Create = true
	r.w.Changes = guardChanges(ch)
	r.w.Defaults = picklistDefaults(r.md)
	r.out.Changes = r.changeViews(ch)
	if len(defaults) > 0 {
		r.out.Notes = append(r.out.Notes, "Tenant defaults used: "+strings.Join(defaults, ", ")+".")
	}
	// The summary is the server's own words; the company's name and the title are record text,
	// quoted in their own fields (and in the confirmation the person reads).
	companyName := truncateRunes(sanitize.Text(company.String("companyName")), writeSummaryRunes)
	whose := fmt.Sprintf("for company %d", company.ID())
	r.out.Company = fmt.Sprintf("%s (%d)", companyName, company.ID())
	r.out.Title = truncateRunes(sanitize.Text(in.Title), writeSummaryRunes)

	if in.DryRun {
		r.planDryRun("create ticket", "POST Tickets")
		r.out.Requests = []plannedRequest{{Method: "POST", Path: "Tickets", Body: body}}
		return r.finishDryRun(ctx, "Dry run: nothing sent. The ticket would be created "+whose+".", "Creating")
	}
	msg := createConfirmMessage(r, fmt.Sprintf("for %s (company %d)", companyName, company.ID()), in.Title, r.deps.Guard.Decisions(r.w))
	if _, end, stop := r.confirmThen(ctx, nil, in.Confirm, msg); stop {
		return end
	}
	i := r.plan("create ticket", "POST Tickets")
	id, err := r.createTicket(ctx, body)
	if err != nil {
		if errors.Is(err, autotask.ErrOutcomeUnknown) {
			r.hint = fmt.Sprintf("The ticket may exist now: look for it with query_entity (Tickets, title eq %s, companyID eq %d) before creating it again.",
				describeValue(in.Title), company.ID())
		}
		return r.fail(ctx, err)
	}
	r.setID(id)
	r.done(i, fmt.Sprintf("ticket id %d", id))
	return readCreated(ctx, r, body, whose)
}

// createChanges checks the arguments and turns them into the ticket's fields, before anything is
// sent: named arguments and extra fields resolved, required fields filled from the tenant's
// defaults (named in defaults), the Complete status refused, the company found.
func createChanges(ctx context.Context, r *writeRun, in createTicketInput) (ch autotask.Changes, company autotask.Record, defaults []string, err error) {
	if in.Company == nil {
		return ch, nil, nil, badArgs("company is required: the company id, or its exact name")
	}
	if err := requireText("title", in.Title); err != nil {
		return ch, nil, nil, err
	}
	if err := requireText("description", in.Description); err != nil {
		return ch, nil, nil, err
	}
	md, err := r.loadMetadata(ctx, "Tickets")
	if err != nil {
		return ch, nil, nil, err
	}
	named, extra, err := createValues(in)
	if err != nil {
		return ch, nil, nil, err
	}
	resolver := valueResolver{entity: "Tickets", md: md, names: clientNames(ctx, r.deps.Client)}
	if ch, err = resolver.resolve(named, nil, ""); err != nil {
		return ch, nil, nil, err
	}
	more, err := resolver.resolve(extra, nil, "fields")
	if err != nil {
		return ch, nil, nil, err
	}
	for k, v := range more.Fields {
		ch.Fields[k] = v
	}
	for k, v := range more.UDFs {
		ch.UDFs[k] = v
	}
	if defaults, err = fillRequired(md, ch); err != nil {
		return ch, nil, nil, err
	}
	if err := refuseComplete(md, r.deps.CompleteStatus, ch); err != nil {
		return ch, nil, nil, err
	}
	if company, err = resolveCompany(ctx, r.deps, in.Company.value()); err != nil {
		return ch, nil, nil, err
	}
	ch.Fields["companyID"] = company.ID()
	return ch, company, defaults, nil
}

// readCreated ends a create that succeeded. People know tickets by number, which the create's
// answer does not carry: one GET gets it, and the ticket as read counts as read, so the session can
// go on (add a note) without another.
func readCreated(ctx context.Context, r *writeRun, body autotask.Record, whose string) writeEnd {
	id := r.w.ID
	j := r.step("read the new ticket", fmt.Sprintf("GET Tickets/%d", id), stepDone, "")
	created, err := r.deps.Client.GetTicket(ctx, id)
	if err != nil {
		r.failStep(j, "its number is not known yet; get_ticket shows it")
		// Without the created ticket as the API holds it, its version is unknown: the guard refuses
		// this session's writes to it until it reads it.
		r.wrote(body.WithChanges(autotask.Changes{Fields: map[string]any{"id": id}}), nil)
		r.settle(ctx, false)
		return r.finish(ctx, outcomeApplied, fmt.Sprintf("Created ticket id %d %s. get_ticket shows its number.", id, whose))
	}
	if err := r.deps.Guard.RecordRead(ctx, r.w.Session, "Tickets", id, map[string]any(created)); err != nil {
		r.log.Warn("guard: new ticket not recorded as read", "id", id, "err", err)
	}
	r.out.TicketNumber = created.String("ticketNumber")
	r.out.Version = guard.VersionOf(map[string]any(created))
	return r.finish(ctx, outcomeApplied, fmt.Sprintf("Created %s %s.", ticketName(created, id), whose))
}

// createConfirmMessage is what the person sees before a create that needs their confirmation: the
// company, the title, and each value they are asked about beside the tenant's default.
func createConfirmMessage(r *writeRun, whose, title string, decisions []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Create a ticket %s", whose)
	if title != "" {
		b.WriteString(" " + describeValue(title))
	}
	b.WriteString(":")
	for _, d := range decisions {
		f, known := lookupField(r.md, d)
		after, _ := compactValue(r.w.Changes[d], f, known, r.md)
		fmt.Fprintf(&b, "\n- %s: %s", d, describeValue(after))
		if def, _ := compactValue(r.w.Defaults[d], f, known, r.md); def != nil {
			fmt.Fprintf(&b, " (new tickets get %s unless told otherwise)", describeValue(def))
		}
	}
	return b.String()
}

// createValues gathers the named arguments (as ticket fields) and the extra fields, refusing a field
// given both ways.
func createValues(in createTicketInput) (named, extra map[string]any, err error) {
	named = map[string]any{"title": in.Title, "description": in.Description}
	for field, v := range map[string]any{
		"priority": in.Priority.value(), "status": in.Status.value(), "queueID": in.Queue.value(),
		"issueType": in.IssueType.value(), "subIssueType": in.SubIssueType.value(),
	} {
		if v != nil {
			named[field] = v
		}
	}
	if in.DueDateTime != "" {
		named["dueDateTime"] = in.DueDateTime
	}
	if in.ContactID != nil {
		named["contactID"] = json.Number(strconv.FormatInt(*in.ContactID, 10))
	}
	for k := range in.Fields {
		for _, a := range createArgs {
			if strings.EqualFold(k, a.field) || strings.EqualFold(k, a.arg) {
				return nil, nil, badArgs("fields.%s: give %s as the %s argument, not in fields", k, a.field, a.arg)
			}
		}
	}
	return named, in.Fields, nil
}

// fillRequired sets every required field left out to the tenant's default picklist value, and names
// the required fields that have none, by the argument that sets them. It returns the defaults used,
// as "priority: Medium". The company is an argument of its own, checked before.
func fillRequired(md *autotask.Metadata, ch autotask.Changes) ([]string, error) {
	used, missing := fillRequiredDefaults(md, ch, func(field string) bool { return strings.EqualFold(field, "companyID") })
	if len(missing) > 0 {
		for i, field := range missing {
			missing[i] = argNameOf(field)
		}
		return nil, badArgs("missing required field(s) with no tenant default: %s", strings.Join(missing, ", "))
	}
	return used, nil
}

func argNameOf(field string) string {
	for _, a := range createArgs {
		if a.field == field {
			return a.arg
		}
	}
	return "fields." + field
}

// refuseComplete: creating a ticket straight into the Complete status would stamp it resolved with no
// resolution and no confirmation; resolve_ticket is the road to Complete.
func refuseComplete(md *autotask.Metadata, configured string, ch autotask.Changes) error {
	target, err := completeStatus(md, configured)
	if err != nil {
		return nil // no Complete status in this tenant: nothing to refuse
	}
	if v, ok := ch.Fields["status"]; ok && sameValue("integer", v, target.Value) {
		return badArgs("status %s is refused on create: create the ticket open, then resolve it with resolve_ticket (which asks the person to confirm)", target.Label)
	}
	return nil
}

// resolveCompany finds the company by id, by exact name (case-insensitive, as the API compares),
// or by the "Name (id)" form results show, whose name must be the company's.
func resolveCompany(ctx context.Context, deps Deps, ref any) (autotask.Record, error) {
	fields := []string{"id", "companyName", "isActive"}
	if id, ok := integerValue(ref); ok {
		n, _ := id.Int64()
		return companyByID(ctx, deps, n)
	}
	if m := labelledPattern.FindStringSubmatch(strings.TrimSpace(scalarString(ref))); m != nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(m[2]), 10, 64); err == nil {
			rec, err := companyByID(ctx, deps, n)
			if err != nil {
				return nil, err
			}
			if name := sanitize.Text(rec.String("companyName")); !strings.EqualFold(normalSpaces(name), normalSpaces(m[1])) {
				return nil, badArgs("company %d is %s, not %s; give the id alone, or the name and id as a result shows them", n, describeValue(name), describeValue(strings.TrimSpace(m[1])))
			}
			return rec, nil
		}
	}
	name := strings.TrimSpace(scalarString(ref))
	if name == "" {
		return nil, badArgs("company must be a company id or its exact name")
	}
	page, err := deps.Client.Query(ctx, "Companies", autotask.Query{
		Filter: []autotask.Filter{autotask.Eq("companyName", name)}, IncludeFields: fields, MaxRecords: companyCandidates,
	})
	if err != nil {
		return nil, fmt.Errorf("find company %s: %w", describeValue(name), err)
	}
	var exact []autotask.Record
	for _, c := range page.Items {
		if strings.EqualFold(strings.TrimSpace(c.String("companyName")), name) {
			exact = append(exact, c)
		}
	}
	switch len(exact) {
	case 1:
		return exact[0], nil
	case 0:
		near, err := deps.Client.Query(ctx, "Companies", autotask.Query{
			Filter: []autotask.Filter{autotask.Contains("companyName", longestWord(name))}, IncludeFields: fields, MaxRecords: companyCandidates,
		})
		if err != nil {
			return nil, badArgs("no company is named exactly %s; find it with query_entity (entity Companies)", describeValue(name))
		}
		if len(near.Items) == 0 {
			return nil, badArgs("no company is named exactly %s, and none has %s in its name; find it with query_entity (entity Companies)", describeValue(name), describeValue(longestWord(name)))
		}
		return nil, badArgs("no company is named exactly %s. Similar: %s. Give the id or the exact name", describeValue(name), listCompanies(near.Items))
	}
	return nil, badArgs("%d companies are named %s: %s. Give the id", len(exact), describeValue(name), listCompanies(exact))
}

func companyByID(ctx context.Context, deps Deps, n int64) (autotask.Record, error) {
	if n < 1 {
		return nil, badArgs("company id must be a positive integer (got %d)", n)
	}
	rec, err := deps.Client.Get(ctx, "Companies", n)
	if errors.Is(err, autotask.ErrNotFound) {
		return nil, badArgs("no company with id %d; find companies with query_entity (entity Companies)", n)
	}
	if err != nil {
		return nil, fmt.Errorf("get company %d: %w", n, err)
	}
	return rec, nil
}

func listCompanies(cs []autotask.Record) string {
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		s := fmt.Sprintf("%s (id %d)", truncateRunes(sanitize.Text(c.String("companyName")), 60), c.ID())
		if c.String("isActive") == "false" {
			s += " inactive"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func longestWord(s string) string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return s
	}
	return slices.MaxFunc(words, func(a, b string) int { return len(a) - len(b) })
}
