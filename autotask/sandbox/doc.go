// Package sandbox is an in-memory Autotask PSA tenant that speaks ATServicesRest V1.0 the
// way the real API does, quirks included, so the client, the tools and their tests run
// offline and anyone can try autotask-mcp without credentials.
//
// # What it simulates
//
//   - Every entity and child route of the vendor spec (routes_gen.go, generated from
//     internal/spec/autotask-api by `go generate ./autotask/sandbox`): query (POST, and GET
//     with search=), query/count, get by id, create/PUT/PATCH on the collection URL with the
//     id in the body, DELETE by id, /{Parent}/{parentId}/{Child}[/{id}], entityInformation,
//     /fields and /userDefinedFields. The capability table decides which methods exist: a
//     method a path lacks is a 405 (PATCH /Tickets/{id}), a path with no methods a 404
//     (POST /TicketNotes; notes are created through POST /Tickets/{id}/Notes).
//     Options.PutOnly takes PATCH away from named entities, to simulate an entity updated
//     only by PUT, which the spec itself does not have.
//   - Paths, JSON property names and filter field names match in any case; answers use the
//     canonical camelCase names. Envelopes: {items, pageDetails}, {item} ({"item": null} for
//     a missing id), {queryCount}, {itemId}, and {errors: [...]} mostly with a 500.
//   - Auth by the ApiIntegrationCode, UserName and Secret headers: a wrong user or secret is
//     an empty 401, a wrong integration code a 500. ImpersonationResourceId makes writes
//     recorded as that resource's. ZoneInformation needs no auth and answers the sandbox's
//     own URL, so zone discovery lands back here.
//   - Queries with all 13 operators, nested and/or groups, one UDF filter at most,
//     maxRecords 1..500, includeFields, keyset pagination by id through absolute
//     nextPageUrl/prevPageUrl cursors that only the original method may follow. An unknown
//     field is a 500; an unknown operator is silently dropped, as the real API does.
//   - Writes with required fields, picklist values (child picklists under their parent) and
//     references validated; read-only and unknown properties ignored; PUT nulls every
//     writable field it does not carry. lastActivityDate moves on every change and when a
//     note or time entry is added to a ticket. A ticket set to status 5 "Complete" gets
//     completedDate and resolvedDateTime; 8 "Completed" does not; leaving 5 clears them.
//     Time entries keep the API's rules (timeentries.go): on a ticket or a task, not both;
//     hours or a window that gives them, consistent; a date; a summary; a role the resource
//     holds (a service-desk role for a ticket, a department role for a task).
//   - Limits: a rolling hour of HourlyLimit requests (429 with Retry-After past it, shown by
//     ThresholdInformation, optional latency past 50% and 75%), and ThreadLimit requests in
//     flight per integration code and endpoint family (429 "API thread threshold of 3
//     threads has been exceeded").
//   - Faults on demand (Faults): scripted for the next n requests to a path, or at a seeded
//     rate each (Options.RandomFaults, Faults.RandomMix): an error status, a hang, a reset
//     connection (before or after the write is applied), a truncated JSON body, an HTML
//     error page; FaultNamed gives the eight a client must survive short names (500, hang,
//     reset-after-apply, ...) for a command line.
//   - A real zone's round trip: Options.Latency (± Jitter, drawn from Seed) holds every
//     request past authentication inside its thread slot, and gives up when the client
//     does. Options.RequestLog hears of every request: method, path, status, when it
//     arrived and how long it took; never a header or the query string.
//
// # Seed data
//
// New seeds, from Options.Seed, the owner company (id 0, "Northstar IT Services") and
// Companies customers (one is "Contoso") with contacts, contracts and configuration items;
// technicians and the API user as resources, with their roles (service-desk and department
// roles, one default each) and the tenant's work types; projects with tasks; and Tickets tickets
// across statuses, queues and priorities, numbered like T20260602.0002, with notes, UDF
// values (some empty) and time entries on some. A few tickets carry hostile free text
// (HostileTicketIDs). The seeded history ends on a fixed day (2026-11-23), not today, so
// ticket numbers, which carry the creation date, are the same on every run; only when
// Options.Now is earlier does it end at Now's day instead, so nothing seeded lies in the
// future. Seeding is cheap: 500 tickets take a few milliseconds, 20,000 about a quarter of
// a second (BenchmarkNew).
//
// # Use
//
//	s := sandbox.New(sandbox.Options{})          // 500 tickets, DefaultCredentials
//	srv := httptest.NewServer(s)                 // or http.ListenAndServe(addr, s)
//	// Point a client at srv.URL + "/ATServicesRest/V1.0/" with sandbox.DefaultCredentials.
//	s.Faults().Script("POST", "Tickets/query", 2, sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500})
//	_ = s.Modify("Tickets", id, map[string]any{"status": 5}) // another user's edit
//	_ = s.Stats().PeakInFlight["Tickets"]
//
// Defaults: Seed 1, Tickets 500, Companies 50, HourlyLimit 10,000, ThreadLimit 3,
// Credentials DefaultCredentials (printable: the sandbox's own, never a real tenant's).
package sandbox
