package tools

import (
	"encoding/json"
	"slices"

	"github.com/invopop/jsonschema"

	"github.com/autotask-mcp/autotask-mcp/schema"
)

// Outcomes of a write tool call, in its result.
const (
	outcomeApplied              = "applied"
	outcomeUnchanged            = "unchanged"
	outcomeDryRun               = "dry_run"
	outcomeConfirmationRequired = "confirmation_required"
	outcomeDeclined             = "declined"
)

// Step states.
const (
	stepDone           = "done"
	stepSkipped        = "skipped"
	stepPlanned        = "planned"
	stepFailed         = "failed"
	stepOutcomeUnknown = "outcome_unknown"
	stepNotAttempted   = "not_attempted"
)

// writeOutput is the result of every write tool: one shape, so the assistant reads all of them alike.
// A successful write answers in a few lines: what changed, the record's number and title, its new
// version. The steps, each with its request, come only with a dry run or when a step failed: on
// success they repeat what the summary says.
//
// The properties have no descriptions: what a write result means is said once, in the server's
// instructions (instructions.go), because every write tool lists this schema and each word of it
// would be paid for once per tool in every conversation. The record's own properties (recordFields)
// are listed only by the tools that fill them in (writeOutputSchema).
type writeOutput struct {
	Summary           string            `json:"summary" jsonschema:"required"`
	Outcome           string            `json:"outcome" jsonschema:"required,enum=applied,enum=unchanged,enum=dry_run,enum=confirmation_required,enum=declined"`
	Written           bool              `json:"written" jsonschema:"required"`
	TicketID          int64             `json:"ticket_id,omitempty"`
	TicketNumber      string            `json:"ticket_number,omitempty"`
	NoteID            int64             `json:"note_id,omitempty"`
	TaskID            int64             `json:"task_id,omitempty"`
	TimeEntryID       int64             `json:"time_entry_id,omitempty"`
	Entity            string            `json:"entity,omitempty"`
	RecordID          int64             `json:"record_id,omitempty"`
	Version           string            `json:"version,omitempty"`
	Title             string            `json:"title,omitempty"`
	Company           string            `json:"company,omitempty"`
	Changes           []changeView      `json:"changes,omitempty"`
	Steps             []writeStep       `json:"steps,omitempty"`
	Requests          []plannedRequest  `json:"requests,omitempty"`
	NeedsConfirmation bool              `json:"needs_confirmation,omitempty"`
	Confirmation      *confirmationView `json:"confirmation,omitempty"`
	Notes             []string          `json:"notes,omitempty"`
	Untrusted         untrustedSections `json:"untrusted,omitempty"`
}

// recordFields are the properties of writeOutput that name the record written; every other
// property is in every write tool's result.
var recordFields = []string{"ticket_id", "ticket_number", "note_id", "task_id", "time_entry_id", "entity", "record_id", "title", "company"}

// writeOutputSchema is the output schema of a write tool whose results name the record by the
// given recordFields: writeOutput without the record properties the tool never fills in, so that
// tools/list, which the assistant reads at the start of every conversation, carries no property a
// tool cannot return. A name outside recordFields is a bug in the tool's definition and panics at
// registration, which every test that builds the tools catches.
func writeOutputSchema(fields ...string) json.RawMessage {
	var s jsonschema.Schema
	if err := json.Unmarshal(schema.Output[writeOutput](), &s); err != nil {
		panic("tools: write output schema: " + err.Error())
	}
	for _, f := range fields {
		if !slices.Contains(recordFields, f) {
			panic("tools: " + f + " is not a record property of writeOutput")
		}
	}
	for _, f := range recordFields {
		if !slices.Contains(fields, f) {
			s.Properties.Delete(f)
		}
	}
	raw, err := json.Marshal(&s)
	if err != nil {
		panic("tools: write output schema: " + err.Error())
	}
	return raw
}

// The nested parts of a write result are described in their property's words above, not property by
// property: every write tool lists this schema, so each word of it is paid for once per tool.
func (changeView) JSONSchema() *jsonschema.Schema       { return &jsonschema.Schema{Type: "object"} }
func (writeStep) JSONSchema() *jsonschema.Schema        { return &jsonschema.Schema{Type: "object"} }
func (plannedRequest) JSONSchema() *jsonschema.Schema   { return &jsonschema.Schema{Type: "object"} }
func (confirmationView) JSONSchema() *jsonschema.Schema { return &jsonschema.Schema{Type: "object"} }

// quotedText is the part of a write result that quotes record text: the ticket's title, the
// company's name, the values changed, the requests' bodies, the confirmation's message. The rest
// is the server's own words, which the text twin shows unfenced (call_result.go).
type quotedText struct {
	Title        string            `json:"title,omitempty"`
	Company      string            `json:"company,omitempty"`
	Changes      []changeView      `json:"changes,omitempty"`
	Requests     []plannedRequest  `json:"requests,omitempty"`
	Confirmation *confirmationView `json:"confirmation,omitempty"`
}

// keepRecordFields empties the record properties outside fields: a result carries only those its
// tool's schema lists, whichever of the run's steps (a ticket number's look-up, a parent's read)
// came across the others.
func (o *writeOutput) keepRecordFields(fields []string) {
	for _, f := range recordFields {
		if slices.Contains(fields, f) {
			continue
		}
		switch f {
		case "ticket_id":
			o.TicketID = 0
		case "ticket_number":
			o.TicketNumber = ""
		case "note_id":
			o.NoteID = 0
		case "task_id":
			o.TaskID = 0
		case "time_entry_id":
			o.TimeEntryID = 0
		case "entity":
			o.Entity = ""
		case "record_id":
			o.RecordID = 0
		case "title":
			o.Title = ""
		case "company":
			o.Company = ""
		default:
			panic("tools: record property " + f + " has no field in writeOutput")
		}
	}
}

func (o writeOutput) ownAndQuoted() (own, quoted any) {
	q := quotedText{Title: o.Title, Company: o.Company, Changes: o.Changes, Requests: o.Requests, Confirmation: o.Confirmation}
	o.Title, o.Company, o.Changes, o.Requests, o.Confirmation, o.Untrusted = "", "", nil, nil, nil, nil
	if q.Title == "" && q.Company == "" && len(q.Changes) == 0 && len(q.Requests) == 0 && q.Confirmation == nil {
		return o, nil
	}
	return o, q
}

// changeView is one field a write changes: user-defined fields as udfs.Name, values as records show
// them ("Label (id)", "Name (id)"), absent when empty.
type changeView struct {
	Field  string `json:"field"`
	Before any    `json:"before,omitempty"`
	After  any    `json:"after,omitempty"`
}

// writeStep is one step of a call, with the API request it sends and its state (the step states
// above; outcome_unknown: sent, no answer came back, it may have been applied).
type writeStep struct {
	Step    string `json:"step"`
	Request string `json:"request,omitempty"`
	Status  string `json:"status"`
	Detail  string `json:"detail,omitempty"`
	write   bool
}

// plannedRequest is a write request a dry run would send: the path relative to .../V1.0/, the body
// exactly as it would be sent.
type plannedRequest struct {
	Method string         `json:"method"`
	Path   string         `json:"path"`
	Body   map[string]any `json:"body,omitempty"`
}

// confirmationView is what the person must agree to: the message to show them, and the single-use
// token (bound to the session, record, change and the record's version) that applies it.
type confirmationView struct {
	Token     string `json:"token"`
	ExpiresAt string `json:"expires_at"`
	Message   string `json:"message"`
}
