// Package autotask is a client for the Autotask PSA REST API (ATServicesRest V1.0).
//
// It exists so that callers (the MCP tools) never build URLs or touch HTTP: the client
// owns zone discovery, authentication headers, the tenant's shared request budget
// (10,000 an hour, three in flight per endpoint), retries that never resend a write
// which may already have been applied, streaming pagination, the entity catalog
// generated from the vendor spec, cached metadata and picklists, and the ticket
// contract below.
//
// What a new process would otherwise ask again is kept on disk in Config.CacheDir, in
// files named by a hash of the tenant and user (no credentials in them, mode 0600): the zone,
// each entity's metadata (fetched again in the background after 24 hours, dropped when
// the API refuses a field or picklist value it lists) and the last ThresholdInformation
// answer (taken for ThresholdInterval).
//
// Errors carry one of the package's sentinel kinds (test with errors.Is) and, when
// the API answered, an *APIError with its own error text (errors.As). The API secret
// never appears in an error, a log line or a String().
//
// # The ticket contract
//
// Tickets are read and written only in the way these rules allow; they were validated
// by requests against a live tenant, and comments elsewhere in the repository refer to them as
// "the ticket contract". Paths are those of the vendor spec kept in
// internal/spec/autotask-api.
//
//  1. The numeric id is the only identifier of a single-ticket operation. A
//     TicketNumber (T20261122.0042) is for display: resolve it to the id first with
//     POST /Tickets/query, filter ticketNumber eq the number, items[0].id
//     (TicketByNumber, which returns the whole ticket).
//  2. GET /Tickets/{id} before every update. The ticket is under "item" in the answer;
//     a PUT body is the plain ticket, not wrapped.
//  3. PUT /Tickets is a full update, never a partial one: a missing required field is a
//     hard failure, and a writable field left out is lost, which silently changes the
//     ticket's classification, routing and status. So the body is the whole fresh
//     ticket with only the intended fields changed; the stabilising fields (id,
//     companyID, queueID, title, priority, status, dueDateTime, ticketCategory,
//     issueType, subIssueType, source, organizationalLevelAssociationID) always come
//     from that GET, never from a guess (PutTicket, UpdateTicket).
//  4. Tickets are never PATCHed. The spec does list PATCH /Tickets (id in the body;
//     there is no PATCH /Tickets/{id}), but only GET-then-PUT was shown to leave the
//     rest of the ticket untouched, so Patch refuses Tickets.
//  5. status is an integer picklist whose ids and meanings differ per tenant: read them
//     from GET /Tickets/entityInformation/fields, never from a fixed table, and never
//     infer what a status does from its label.
//  6. The status id, not its label, decides the resolution timestamps. In the tenant
//     measured, 5 "Complete" stamps completedDate and resolvedDateTime, while
//     8 "Completed" changes the status and leaves both null; 5 is the only status
//     shown to stamp them.
//  7. Whether a ticket has time entries is a count of TimeEntries filtered by
//     ticketID eq the id: 0 means none (CountTimeEntries).
//  8. Notes are created only with POST /Tickets/{id}/Notes, with Title, Description,
//     NoteType and Publish. POST /TicketNotes and POST /TicketNote are 404s, although
//     entityInformation reports TicketNote as creatable; POST /TicketNotes/query works
//     (AddTicketNote).
//  9. resolution is a writable string of at most 32000 characters; it can only be
//     written by the full PUT of rule 3, and writing it does not resolve the ticket.
//  10. Notes, resolution and status are separate, explicit writes, and status is never
//     changed implicitly. Resolving a ticket is: GET, add the note, PUT the resolution,
//     count the time entries; only when there are none, PUT status 5 (which stamps the
//     timestamps); otherwise the status stays as it was and the ticket stays open.
package autotask
