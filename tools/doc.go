// Package tools holds the MCP tools of autotask-mcp: one file per tool with its input struct,
// output struct, description and handler side by side, and one list (All) that registers them all.
//
// The files fall into groups, by name:
//
// Read tools, one file each, named after the tool:
//
//	query_entity.go  get_ticket.go  get_entity.go  describe_fields.go
//
// Write tools, one file each, named after the tool; each goes through the guard:
//
//	add_ticket_note.go  update_ticket.go  resolve_ticket.go  create_ticket.go  log_time.go
//	create_entity.go  update_entity.go  (any other entity the API writes, each write confirmed)
//
// The registry: tools.go holds Deps, Tool, the one list of constructors behind All and Register,
// and the definition every tool fills in (newTool builds a read tool); instructions.go is what the
// server tells the assistant once about how the tools fit together.
//
// What every tool call uses (call_*.go): call_args.go decodes arguments strictly, call_errors.go
// words every failure for the assistant, call_result.go builds results (structured content and its
// text twin, record text fenced as untrusted), call_progress.go sends progress notifications, and
// call_messages.go shows values inside those texts: describeValue is the one formatter for a value
// in any message, and "(empty)" its one word for nothing; call_parallel.go sends a call's
// independent requests at once, the first failure cancelling the rest.
//
// The read side (read_*.go): read_compact.go is how records look to the assistant ("Label (id)",
// no empty fields), read_names.go names the references of a result ("Name (id)", one request per
// referenced entity), read_default_fields.go is the short set of fields a query returns when it
// names none, read_group_counts.go counts by a field's values (count_only with group_by),
// read_filter.go checks and resolves query filters, read_filter_names.go
// turns a record's name (or "me") in a filter into its id, read_cursor.go is the stateless query
// cursor, read_entities.go looks entities up and words what they allow.
//
// Shared by reads and writes: api_types.go reads and compares values in the API's types, and
// api_references.go takes a reference back in the "Name (id)" form results show.
// Third-party text is cleaned by package internal/sanitize.
//
// The write engine (write_*.go), which every write tool runs on:
//
//	write_call.go            newWriteTool and the one rule for how a write call ends (below)
//	write_run.go             writeRun: one call's state, the policy check, finish and the audit line
//	write_fail.go            fail: a call that did not complete, worded by what state the record is in
//	write_steps.go           the steps of a call; tool files change them only through these methods
//	write_output.go          the one result shape of every write tool
//	write_args.go            argument types and checks the write tools share (labelOrID, ticketRef)
//	write_value_resolver.go  the assistant's field values turned into the API's (valueResolver)
//	write_fresh.go           the fresh read before a write (a ticket number looked up first), and the guard's check of it
//	write_refusal.go         a write refused for want of a current read shows the record, which counts as read
//	write_changes.go         a change as the assistant and the person see it, and as the guard binds it
//	write_decisions.go       what needs the person's confirmation, compared with the tenant's defaults
//	write_confirm.go         asking for that confirmation: elicitation or a signed token
//	write_readback.go        a write whose answer was lost, settled by reading it back
//	write_own_version.go     the version this call's writes left, told to the guard
//	write_note.go            the ticket note add_ticket_note and resolve_ticket write
//	write_time_entry.go      the time entry log_time writes: the acting resource, its role, the work type
//	write_complete.go        the tenant's Complete status
//	write_entity.go          what create_entity and update_entity share: the entities they write, PATCH or PUT, required fields
//
// A write call ends one way: once its arguments decode, the call is a writeRun, and it ends through
// the run's finish or fail, which write its one audit line. Arguments that do not decode are a
// plain tool error, as for any tool. The handler of a write tool returns a writeEnd, which only
// finish and fail make (write_call.go states the rule in full).
//
// Adding a tool: a file named after it, its constructor added to the list in tools.go (All), and
// its schema snapshot in cmd/autotask-mcp/testdata/tools (TestToolsGolden -update). A write tool is
// built with newWriteTool: its input names the record it writes (target), and its handler takes
// the run. Every test that enumerates tools derives its list from All, through
// internal/testenv.ToolNames, ReadToolNames and WriteToolNames, and a test that must cover each
// tool names the file to update when one is missing (testenv.RequireCoversTools); the write tests
// also need an entry in writeCases (write_guard_test.go) and matrixWrites (fault_matrix_test.go).
package tools
