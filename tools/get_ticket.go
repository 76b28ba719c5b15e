package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/invopop/jsonschema"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/schema"
)

// ticketNumberPattern is Autotask's ticket number: T, the creation date, a dot and a daily sequence.
var ticketNumberPattern = regexp.MustCompile(`^[Tt][0-9]{8}\.[0-9]{4,6}$`)

const (
	includeNotes       = "notes"
	includeTimeEntries = "time_entries"
	includeCompany     = "company"
	includeContact     = "contact"
)

var ticketIncludes = []string{includeNotes, includeTimeEntries, includeCompany, includeContact}

type getTicketInput struct {
	TicketID     *int64   `json:"ticket_id,omitempty" jsonschema:"minimum=1" jsonschema_description:"Ticket id; or ticket_number."`
	TicketNumber string   `json:"ticket_number,omitempty" jsonschema_description:"E.g. T20261122.0042; or ticket_id."`
	Include      []string `json:"include,omitempty" jsonschema:"enum=notes,enum=time_entries,enum=company,enum=contact,uniqueItems" jsonschema_description:"Add, summarised: notes, time_entries, company, contact."`
}

// JSONSchemaExtend puts the named ticket number pattern into the schema, so client and server
// check the same thing.
func (getTicketInput) JSONSchemaExtend(s *jsonschema.Schema) {
	if p, ok := s.Properties.Get("ticket_number"); ok {
		p.Pattern = ticketNumberPattern.String()
	}
}

type getTicketOutput struct {
	Ticket        map[string]any    `json:"ticket" jsonschema:"required" jsonschema_description:"The ticket, compact; UDFs under udfs."`
	Version       string            `json:"version" jsonschema:"required" jsonschema_description:"The version read; a write is refused once the ticket changed since."`
	Notes         *ticketNotes      `json:"notes,omitempty" jsonschema_description:"include notes: {total, items}, the newest first, long text shortened (get_entity TicketNotes reads one whole)."`
	TimeEntries   *ticketTime       `json:"time_entries,omitempty" jsonschema_description:"include time_entries: {total, hours_worked, items}, the newest first."`
	Company       map[string]any    `json:"company,omitempty" jsonschema_description:"Summarised."`
	Contact       map[string]any    `json:"contact,omitempty" jsonschema_description:"Summarised."`
	IncludeErrors map[string]string `json:"include_errors,omitempty" jsonschema_description:"Includes not read, and why."`
	Untrusted     untrustedSections `json:"untrusted,omitempty"`
}

func (o getTicketOutput) marker() untrustedSections { return o.Untrusted }
func (o getTicketOutput) withoutMarker() any        { o.Untrusted = nil; return o }

// ticketNotes and ticketTime are described by their properties in getTicketOutput.
type ticketNotes struct {
	Total int              `json:"total"`
	Items []map[string]any `json:"items,omitempty"`
}

func (ticketNotes) JSONSchema() *jsonschema.Schema { return &jsonschema.Schema{Type: "object"} }
func (ticketTime) JSONSchema() *jsonschema.Schema  { return &jsonschema.Schema{Type: "object"} }

type ticketTime struct {
	Total       int              `json:"total"`
	HoursWorked float64          `json:"hours_worked"` // the sum of hoursWorked over every entry
	Items       []map[string]any `json:"items,omitempty"`
}

// What the includes carry: enough to understand the ticket, little enough to keep it cheap.
const (
	notesShown        = 10
	noteTextRunes     = 600
	timeEntriesShown  = 10
	timeNoteTextRunes = 200
)

// ticketViewOmits are the fields get_ticket leaves out: what the API keeps for its own bookkeeping
// (who touched the ticket last and as what, duplicate modification stamps, organisational
// plumbing, service thermometer internals), who created it, stamps that repeat another
// (resolvedDateTime is set with completedDate; lastActivityDate is the result's version), the
// form-layout category and the billing contract. On the sandbox's tickets they are a third of
// the bytes and seldom help anyone understand or act on a ticket; get_entity Tickets returns
// every field. Dropping them is what brings a ticket under 40% of the API's own JSON (see
// TestGetTicketIsAtMost40PercentOfRaw).
var ticketViewOmits = []string{
	"lastTrackedModificationDateTime", "lastActivityPersonType", "lastActivityResourceID",
	"organizationalLevelAssociationID", "creatorType", "completedByResourceID",
	"impersonatorCreatorResourceID", "apiVendorID", "monitorTypeID",
	"serviceLevelAgreementPausedNextEventHours", "currentServiceThermometerRating",
	"previousServiceThermometerRating", "serviceThermometerTemperature",
	"firstResponseInitiatingResourceID", "firstResponseAssignedResourceID",
	"lastCustomerNotificationDateTime", "lastCustomerVisibleActivityDateTime",
	"creatorResourceID", "createdByContactID", "resolvedDateTime", "lastActivityDate",
	"ticketCategory", "contractID",
}

var (
	noteFields    = []string{"id", "title", "description", "noteType", "publish", "createDateTime", "creatorResourceID", "createdByContactID"}
	timeFields    = []string{"id", "dateWorked", "hoursWorked", "resourceID", "summaryNotes", "isNonBillable"}
	companyFields = []string{"id", "companyName", "companyNumber", "companyType", "phone", "address1", "city", "state", "postalCode", "webAddress", "isActive", "ownerResourceID"}
	contactFields = []string{"id", "firstName", "lastName", "title", "emailAddress", "phone", "mobilePhone", "isActive", "companyID"}
)

const getTicketDescription = `Read one ticket by ticket_id or ticket_number: compact (picklists "Label (id)", references "Name (id)", bookkeeping fields left out: get_entity has all), with its version; include adds notes, time_entries, company, contact. Read a ticket here before changing it.`

func getTicketTool(deps Deps) Tool {
	return newTool(deps, definition{
		name:        "get_ticket",
		title:       "Get a ticket",
		description: getTicketDescription,
		input:       schema.Input[getTicketInput](),
		output:      schema.Output[getTicketOutput](),
		idempotent:  true,
	}, func(ctx context.Context, _ mcp.CallToolRequest, in getTicketInput) (*mcp.CallToolResult, error) {
		return getTicket(ctx, deps, in)
	})
}

func getTicket(ctx context.Context, deps Deps, in getTicketInput) (*mcp.CallToolResult, error) {
	includes, err := checkTicketArgs(in)
	if err != nil {
		return nil, err
	}
	// The ticket and the Tickets metadata do not depend on each other: a process that has not
	// read the metadata yet fetches it while the ticket is on its way. With the metadata cached,
	// as on nearly every call, there is nothing to wait on beside the ticket.
	rec, md, err := readTicketAndMetadata(ctx, deps, in)
	if err != nil {
		return nil, err
	}
	id := rec.ID()
	version := recordRead(ctx, deps, "Tickets", id, rec)
	view := maps.Clone(rec) // shallow: compactRecord only reads the values, the omits only delete keys
	for _, f := range ticketViewOmits {
		if f == "lastActivityDate" && version != guard.VersionOf(map[string]any{f: rec[f]}) {
			continue // the version is a hash, not this date: keep the date
		}
		delete(view, f)
	}
	ticket, hasText := compactRecord(view, md)
	out := getTicketOutput{Ticket: ticket, Version: version}
	out.Untrusted.add("ticket", hasText)
	var names referenceNamer
	names.add("ticket", ticket, md)
	addTicketIncludes(ctx, deps, rec, includes, &out, &names)
	for _, section := range names.name(ctx, deps) {
		out.Untrusted.add(section, true)
	}
	return structuredResult(out)
}

// readTicketAndMetadata reads the ticket the call names and the Tickets metadata, side by side
// when the metadata has to be fetched.
func readTicketAndMetadata(ctx context.Context, deps Deps, in getTicketInput) (rec autotask.Record, md *autotask.Metadata, err error) {
	if md, ok := deps.Client.CachedMetadata("Tickets"); ok {
		rec, err = readTicket(ctx, deps, in)
		return rec, md, err
	}
	err = inParallel(ctx,
		func(ctx context.Context) (err error) {
			rec, err = readTicket(ctx, deps, in)
			return err
		},
		func(ctx context.Context) (err error) {
			if md, err = deps.Client.Metadata(ctx, "Tickets"); err != nil {
				return fmt.Errorf("metadata of Tickets: %w", err)
			}
			return nil
		})
	return rec, md, err
}

func checkTicketArgs(in getTicketInput) ([]string, error) {
	switch {
	case in.TicketID != nil && in.TicketNumber != "":
		return nil, badArgs("give ticket_id or ticket_number, not both")
	case in.TicketID == nil && in.TicketNumber == "":
		return nil, badArgs("give ticket_id (e.g. 12345) or ticket_number (e.g. T20261122.0042)")
	case in.TicketID != nil && *in.TicketID < 1:
		return nil, badArgs("ticket_id must be a positive integer (got %d)", *in.TicketID)
	case in.TicketNumber != "" && !ticketNumberPattern.MatchString(strings.TrimSpace(in.TicketNumber)):
		return nil, badArgs("ticket_number %s is not a ticket number; they look like T20261122.0042 (T, date, dot, sequence). For a numeric id use ticket_id", describeValue(in.TicketNumber))
	}
	var includes []string
	for i, inc := range in.Include {
		name := strings.ToLower(strings.TrimSpace(inc))
		if !slices.Contains(ticketIncludes, name) {
			return nil, badArgs("include[%d]: unknown include %s; choose from %s", i, describeValue(inc), strings.Join(ticketIncludes, ", "))
		}
		if !slices.Contains(includes, name) {
			includes = append(includes, name)
		}
	}
	return includes, nil
}

// readTicket reads by id with one GET, or by number with one query that returns the whole record
// (the query API returns the same full record as GET), saving the number-to-id round trip.
func readTicket(ctx context.Context, deps Deps, in getTicketInput) (autotask.Record, error) {
	if in.TicketID != nil {
		rec, err := deps.Client.GetTicket(ctx, *in.TicketID)
		if err != nil {
			if errors.Is(err, autotask.ErrNotFound) {
				return nil, badArgs("no ticket with id %d; find tickets with query_entity (entity Tickets)", *in.TicketID)
			}
			return nil, fmt.Errorf("get ticket %d: %w", *in.TicketID, err)
		}
		return rec, nil
	}
	number := strings.ToUpper(strings.TrimSpace(in.TicketNumber))
	page, err := deps.Client.Query(ctx, "Tickets", autotask.Query{
		Filter:     []autotask.Filter{autotask.Eq("ticketNumber", number)},
		MaxRecords: 1,
	})
	if err != nil {
		return nil, fmt.Errorf("find ticket %s: %w", number, err)
	}
	if len(page.Items) == 0 {
		return nil, badArgs("no ticket with number %s; check the number, or search with query_entity (entity Tickets, field title, op contains)", number)
	}
	return page.Items[0], nil
}

// recordRead notes in the guard's ledger that this session has seen the record, and returns the
// version it saw. A ledger failure does not fail the read: the write that needs it will say so.
func recordRead(ctx context.Context, deps Deps, entity string, id int64, rec autotask.Record) string {
	raw := map[string]any(rec)
	if deps.Guard != nil {
		if err := deps.Guard.RecordRead(ctx, SessionID(ctx), entity, id, raw); err != nil && deps.Logger != nil {
			deps.Logger.Warn("guard: read not recorded", "entity", entity, "id", id, "err", err)
		}
	}
	return guard.VersionOf(raw)
}

// addTicketIncludes reads the includes concurrently (each is a different endpoint, so the client's
// per-endpoint limit is not the bottleneck). A failed include is reported beside the ticket rather
// than failing the whole read. The references of what they read are noted in names.
func addTicketIncludes(ctx context.Context, deps Deps, rec autotask.Record, includes []string, out *getTicketOutput, names *referenceNamer) {
	if len(includes) == 0 {
		return
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, inc := range includes {
		wg.Go(func() {
			set, text, err := readInclude(ctx, deps, rec, inc, out, names)
			if set == nil && err == nil {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if out.IncludeErrors == nil {
					out.IncludeErrors = map[string]string{}
				}
				out.IncludeErrors[inc] = describeError(err)
				return
			}
			set()
			out.Untrusted.add(inc, text)
		})
	}
	wg.Wait()
}

// readInclude reads one include of a ticket; set stores it in out and is called under the
// caller's lock. Neither set nor an error: the ticket has nothing to include (no contact).
func readInclude(ctx context.Context, deps Deps, rec autotask.Record, inc string, out *getTicketOutput, names *referenceNamer) (set func(), text bool, err error) {
	switch inc {
	case includeNotes:
		notes, text, err := ticketNotesOf(ctx, deps, rec.ID(), names)
		return func() { out.Notes = notes }, text, err
	case includeTimeEntries:
		te, text, err := ticketTimeOf(ctx, deps, rec.ID(), names)
		return func() { out.TimeEntries = te }, text, err
	case includeCompany, includeContact:
		entity, field, fields := "Companies", "companyID", companyFields
		if inc == includeContact {
			entity, field, fields = "Contacts", "contactID", contactFields
		}
		refID, ok := rec.Int(field)
		if !ok || refID <= 0 {
			return nil, false, nil
		}
		summary, text, err := relatedSummary(ctx, deps, entity, refID, fields, names, inc)
		if inc == includeCompany {
			return func() { out.Company = summary }, text, err
		}
		return func() { out.Contact = summary }, text, err
	}
	return nil, false, nil
}

func ticketNotesOf(ctx context.Context, deps Deps, ticketID int64, names *referenceNamer) (*ticketNotes, bool, error) {
	records, md, err := childRecords(ctx, deps, "TicketNotes", ticketID, noteFields)
	if err != nil {
		return nil, false, err
	}
	sortNewest(records, "createDateTime")
	out := &ticketNotes{Total: len(records)}
	text := false
	for _, rec := range records[:min(len(records), notesShown)] {
		item, t := compactRecord(rec, md)
		truncateField(item, "description", noteTextRunes)
		delete(item, "ticketID")
		names.add(includeNotes, item, md)
		out.Items = append(out.Items, item)
		text = text || t
	}
	return out, text, nil
}

func ticketTimeOf(ctx context.Context, deps Deps, ticketID int64, names *referenceNamer) (*ticketTime, bool, error) {
	records, md, err := childRecords(ctx, deps, "TimeEntries", ticketID, timeFields)
	if err != nil {
		return nil, false, err
	}
	sortNewest(records, "dateWorked")
	out := &ticketTime{Total: len(records)}
	for _, rec := range records {
		if h, ok := number(rec["hoursWorked"]); ok {
			out.HoursWorked += h
		}
	}
	out.HoursWorked = roundHours(out.HoursWorked)
	text := false
	for _, rec := range records[:min(len(records), timeEntriesShown)] {
		item, t := compactRecord(rec, md)
		truncateField(item, "summaryNotes", timeNoteTextRunes)
		delete(item, "ticketID")
		names.add(includeTimeEntries, item, md)
		out.Items = append(out.Items, item)
		text = text || t
	}
	return out, text, nil
}

// childRecords reads every record of entity whose ticketID is ticketID, only the given fields, one
// query per 500 records.
func childRecords(ctx context.Context, deps Deps, entity string, ticketID int64, fields []string) ([]autotask.Record, *autotask.Metadata, error) {
	md, err := deps.Client.Metadata(ctx, entity)
	if err != nil {
		return nil, nil, fmt.Errorf("metadata of %s: %w", entity, err)
	}
	q := autotask.Query{
		Filter:        []autotask.Filter{autotask.Eq("ticketID", ticketID)},
		IncludeFields: knownFields(md, fields),
		MaxRecords:    maxLimit,
	}
	var records []autotask.Record
	for rec, err := range deps.Client.QueryAll(ctx, entity, q) {
		if err != nil {
			return nil, nil, fmt.Errorf("query %s of ticket %d: %w", entity, ticketID, err)
		}
		records = append(records, rec)
	}
	return records, md, nil
}

// relatedSummary reads one related record and keeps the fields a person needs to place it; its
// references are noted in names, in section.
func relatedSummary(ctx context.Context, deps Deps, entity string, id int64, fields []string, names *referenceNamer, section string) (map[string]any, bool, error) {
	rec, err := deps.Client.Get(ctx, entity, id)
	if err != nil {
		return nil, false, fmt.Errorf("get %s %d: %w", entity, id, err)
	}
	md, err := deps.Client.Metadata(ctx, entity)
	if err != nil {
		md = nil // labels are a nicety; the summary stands without them
	}
	picked := make(autotask.Record, len(fields))
	for _, f := range fields {
		if v, ok := rec[f]; ok {
			picked[f] = v
		}
	}
	summary, hasText := compactRecord(picked, md)
	names.add(section, summary, md)
	return summary, hasText, nil
}

// knownFields keeps the names the entity really has, so a tenant whose metadata lacks one of our
// chosen fields still gets its includes.
func knownFields(md *autotask.Metadata, names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if f, ok := md.Field(n); ok {
			out = append(out, f.Name)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// truncateField shortens a string field of a compact record in place.
func truncateField(item map[string]any, field string, n int) {
	if s, ok := item[field].(string); ok {
		item[field] = truncateRunes(s, n)
	}
}

// sortNewest orders records by a date field, newest first. The API's dates are ISO 8601 in UTC,
// so text order is time order; records without the date go last.
func sortNewest(records []autotask.Record, field string) {
	slices.SortStableFunc(records, func(a, b autotask.Record) int {
		return strings.Compare(b.String(field), a.String(field))
	})
}

// number reads a numeric field value.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	}
	return 0, false
}

func roundHours(h float64) float64 {
	return math.Round(h*100) / 100
}
