package tools_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

// brokenResultTexts are how mcp-go reports a result that broke its tool's own output schema, and how
// a recovered panic reads (tools.go): either means a bug of ours, never the caller's.
var brokenResultTexts = []string{"output schema validation failed", "invalid structured content", "failed with an internal error"}

// maxErrorBytes bounds an error's text: it goes into the assistant's context, and quoting a rejected
// argument back whole could put 64 KB there.
const maxErrorBytes = 2048

// FuzzToolArguments calls every tool with arbitrary JSON arguments through a real MCP session
// (no input an assistant sends may panic the server or break the protocol). Whatever arrives, the answer is a tool result with text, never a protocol error
// or a panic; a success carries a structured object; and writes obey the guard: the write tools run
// on a fresh session that has read nothing, so the only write that may reach the tenant is a new
// ticket from create_ticket, which needs no prior read, and then the result must say it was written.
func FuzzToolArguments(f *testing.F) {
	// A small tenant keeps each call cheap; the hourly limit is lifted so a long run measures the
	// tools, not the sandbox's 429s.
	env := testenv.New(f, testenv.Options{Sandbox: sandbox.Options{Tickets: 60, Companies: 8, HourlyLimit: 1 << 30}})
	all := tools.All(env.Deps)

	ticketID := env.Sandbox.IDs("Tickets")[1]
	ticket, _ := env.Sandbox.Record("Tickets", ticketID)
	number := ticket["ticketNumber"].(string)
	companyID := ticket["companyID"].(int64)
	company, _ := env.Sandbox.Record("Companies", companyID)
	companyName := company["companyName"].(string)
	contactID := env.Sandbox.IDs("Contacts")[0]
	noteID := env.Sandbox.IDs("TicketNotes")[0]
	taskID := env.Sandbox.IDs("Tasks")[0]
	// A real cursor, so mutations reach the cursor's decoding and checks, not only its refusal.
	page := env.Call(f, "query_entity", map[string]any{"entity": "Tickets", "limit": 2})
	cursor, _ := testenv.Structured(f, page)["next_cursor"].(string)
	require.NotEmpty(f, cursor, "a 2-ticket page of %d tickets has a cursor: %s", env.Sandbox.Count("Tickets"), testenv.Text(page))

	seeds := map[string][]string{
		"query_entity": {
			`{"entity":"Tickets"}`,
			`{"entity":"tickets","filter":[{"field":"status","op":"eq","value":"In Progress"}],"fields":["title","status"],"limit":5}`,
			`{"entity":"Tickets","filter":[{"op":"or","items":[{"field":"priority","op":"in","value":["High","Critical (4)"]},{"field":"Customer Impact","op":"eq","value":"Whole Site","udf":true}]}],"count_only":true}`,
			`{"entity":"Companies","filter":[{"field":"companyName","op":"beginsWith","value":"Con"}],"limit":2}`,
			`{"entity":"TimeEntries","filter":[{"field":"dateWorked","op":"gte","value":"2026-01-01"}],"limit":500}`,
			fmt.Sprintf(`{"entity":"Tickets","cursor":%q}`, cursor), fmt.Sprintf(`{"entity":"Companies","cursor":%q}`, cursor),
			fmt.Sprintf(`{"entity":"Tickets","cursor":%q,"limit":5}`, cursor), `{"entity":"Tickets","cursor":"not-a-cursor"}`,
			`{"entity":"Tickets","limit":0}`, `{"entity":"Tickets","limit":1e309}`, `{"entity":"Tickets","limit":-1}`,
			`{"entity":"Tickets","filter":{"field":"id","op":"exist"}}`,
			`{"entity":"Tickets","filter":[{"field":"companyID","op":"eq","value":"Acme"}]}`,
			`{"entity":"TicketChecklistLibraries"}`, `{"entity":"Tikets"}`, `{"entity":null}`, `{"entity":["Tickets"]}`,
		},
		"get_ticket": {
			fmt.Sprintf(`{"ticket_id":%d}`, ticketID),
			fmt.Sprintf(`{"ticket_number":%q,"include":["notes","time_entries","company","contact"]}`, number),
			`{"ticket_number":"T20260602.0002"}`, `{"ticket_number":" t20260602.0002 "}`, `{"ticket_number":"T2026"}`,
			fmt.Sprintf(`{"ticket_id":%d,"ticket_number":%q}`, ticketID, number),
			`{"ticket_id":-1}`, `{"ticket_id":0}`, `{"ticket_id":9223372036854775807}`, `{"ticket_id":99999999999999999999}`,
			`{"ticket_id":"10002"}`, `{"ticket_id":1.5}`, `{"include":["everything"]}`, `{}`,
		},
		"get_entity": {
			fmt.Sprintf(`{"entity":"Companies","id":%d}`, companyID),
			fmt.Sprintf(`{"entity":"TicketNotes","id":%d,"parent":"Tickets","parent_id":%d}`, noteID, ticketID),
			fmt.Sprintf(`{"entity":"Contacts","id":%d}`, contactID),
			`{"entity":"Tickets","id":1}`, `{"entity":"Nope","id":1}`, `{"entity":"Tickets","id":-5}`,
			`{"entity":"TicketNotes","id":1,"parent":"Companies","parent_id":1}`,
		},
		"describe_fields": {
			`{}`, `{"entity":"Tickets"}`, `{"entity":"Tickets","field":"status","include_picklists":true}`,
			`{"entity":"Tickets","field":"Customer Impact"}`, `{"entity":"Tickets","field":"statsu"}`, `{"entity":"Zzz"}`,
		},
		"add_ticket_note": {
			fmt.Sprintf(`{"ticket_id":%d,"title":"Called the customer","description":"Left a voicemail."}`, ticketID),
			fmt.Sprintf(`{"ticket_id":%d,"title":"x","description":"y","note_type":"Task Detail","publish":"Internal Only","dry_run":true}`, ticketID),
			fmt.Sprintf(`{"ticket_id":%d,"title":"","description":"   "}`, ticketID),
			`{"ticket_id":-1,"title":"x","description":"y"}`,
			fmt.Sprintf(`{"ticket_number":%q,"title":"x","description":"y"}`, number),
			fmt.Sprintf(`{"ticket_id":%d,"ticket_number":%q,"title":"x","description":"y"}`, ticketID, number),
		},
		"resolve_ticket": {
			fmt.Sprintf(`{"ticket_id":%d,"resolution":"Replaced the toner."}`, ticketID),
			fmt.Sprintf(`{"ticket_id":%d,"resolution":"Replaced the toner.","complete":false,"note":"done"}`, ticketID),
			fmt.Sprintf(`{"ticket_id":%d,"resolution":"x","confirm":"forged.token"}`, ticketID),
			fmt.Sprintf(`{"ticket_id":%d,"resolution":"x","dry_run":true}`, ticketID),
			`{"ticket_number":"T19990101.0001","resolution":"x"}`,
		},
		"update_ticket": {
			fmt.Sprintf(`{"ticket_id":%d,"changes":{"priority":"Low"}}`, ticketID),
			fmt.Sprintf(`{"ticket_id":%d,"changes":{"status":"Waiting Customer","udfs":{"Root Cause":"toner"}},"dry_run":true}`, ticketID),
			fmt.Sprintf(`{"ticket_id":%d,"changes":{"dueDateTime":"9999-12-31T23:00:00-05:00","estimatedHours":"NaN"}}`, ticketID),
			fmt.Sprintf(`{"ticket_id":%d,"changes":{}}`, ticketID),
			fmt.Sprintf(`{"ticket_id":%d,"changes":{"id":1,"ticketNumber":"T1"}}`, ticketID),
			fmt.Sprintf(`{"ticket_id":%d,"changes":null}`, ticketID),
			fmt.Sprintf(`{"ticket_number":%q,"changes":{"priority":"High"}}`, strings.ToLower(number)),
		},
		"log_time": {
			fmt.Sprintf(`{"ticket_id":%d,"hours":1.5,"summary":"Replaced the toner."}`, ticketID),
			fmt.Sprintf(`{"ticket_number":%q,"start":"2026-11-20T09:00:00Z","end":"2026-11-20T10:30:00Z","summary":"On site.","billable":false,"role":"Service Desk Technician","work_type":"Onsite Support","dry_run":true}`, number),
			fmt.Sprintf(`{"task_id":%d,"hours":2,"date":"2026-11-19","summary":"Migrated the shares.","internal_notes":"x","role":1}`, taskID),
			fmt.Sprintf(`{"ticket_id":%d,"task_id":%d,"hours":25,"summary":" "}`, ticketID, taskID),
			fmt.Sprintf(`{"ticket_id":%d,"hours":1,"start":"2026-11-20T10:00:00Z","end":"2026-11-20T09:00:00Z","summary":"x","date":"tomorrow"}`, ticketID),
			`{"hours":-1,"summary":"x"}`, `{"task_id":0,"hours":"1","summary":"x"}`,
		},
		"create_ticket": {
			fmt.Sprintf(`{"company":%d,"title":"Printer offline","description":"Floor 2 printer is offline."}`, companyID),
			fmt.Sprintf(`{"company":%q,"title":"Laptop will not boot","description":"Black screen.","priority":"High","queue":"Triage","issue_type":"Hardware","sub_issue_type":"Desktop / Laptop","due_date_time":"2027-02-01T12:00:00Z","contact_id":%d,"fields":{"source":"Phone","udfs":{"Customer Impact":"Single User"}},"dry_run":true}`, companyName, contactID),
			fmt.Sprintf(`{"company":%d,"title":"x","description":"y","status":"Complete"}`, companyID),
			`{"company":-1,"title":"x","description":"y"}`, `{"company":"No Such Company","title":"x","description":"y"}`,
			`{"company":{"id":1},"title":"x","description":"y"}`, `{"company":1,"title":"x"}`,
		},
		"create_entity": {
			fmt.Sprintf(`{"entity":"Contacts","parent":"Companies","parent_id":%d,"fields":{"firstName":"Ada","lastName":"Lovelace","isActive":1}}`, companyID),
			fmt.Sprintf(`{"entity":"ToDos","parent":"Companies","parent_id":%d,"fields":{"assignedToResourceID":1,"startDateTime":"2026-12-01T09:00:00Z","endDateTime":"2026-12-01T10:00:00Z","udfs":{"x":"y"}},"dry_run":true}`, companyID),
			fmt.Sprintf(`{"entity":"ConfigurationItems","fields":{"companyID":%d,"configurationItemType":"Workstation","isActive":true,"referenceTitle":"WS-1","apiVendorID":1}}`, companyID),
			`{"entity":"Tickets","fields":{"title":"x"}}`, `{"entity":"Contacts","fields":{}}`, `{"entity":"Contacts","parent":"Companies","fields":{"firstName":"A"}}`,
			`{"entity":"Contacts","parent":"NoSuchParent","parent_id":-1,"fields":null,"confirm":"x.y"}`,
		},
		"update_entity": {
			fmt.Sprintf(`{"entity":"Contacts","id":%d,"changes":{"title":"CTO"}}`, contactID),
			fmt.Sprintf(`{"entity":"Companies","id":%d,"changes":{"webAddress":null,"companyType":"Lead"},"dry_run":true}`, companyID),
			fmt.Sprintf(`{"entity":"Tasks","id":%d,"changes":{"status":"In Progress","startDateTime":"not a date"}}`, taskID),
			`{"entity":"TimeEntries","id":1,"changes":{"summaryNotes":"x"}}`, `{"entity":"Contacts","id":0,"changes":{}}`,
			`{"entity":"NoSuchEntity","id":1,"changes":{"id":2}}`,
		},
	}
	// Shapes that are wrong for every tool.
	hostile := []string{
		`null`, `[]`, `[1,2]`, `"text"`, `42`, `true`, `{"unknown":1}`, `{"ticket_id":null,"entity":null}`,
		`{"entity":"Tickets","` + "\xff\xfe" + `":1}`, `{"entity":"Ti` + "\xc3\x28" + `ckets","title":"` + "\xed\xa0\x80" + `"}`,
		`{"entity":"Tickets","filter":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}`,
		`{"ticket_id":1e999}`, `{"ticket_id":-9223372036854775809}`, `{"id":1,"ID":2,"Id":3}`,
		`{"` + strings.Repeat("k", 5000) + `":1}`,
	}
	// Past the 64 KB argument limit; one tool is enough, the limit is checked before any tool's own
	// decoding, and a seed this big slows every mutation of it.
	seeds["describe_fields"] = append(seeds["describe_fields"], `{"entity":"`+strings.Repeat("x", 65<<10)+`"}`)
	// Longer than an error may be: every name the tools quote back in an error comes back clipped.
	// Kept near the bound, since the fuzzer's minimising and mutating slow down with the input's size.
	long := strings.Repeat("Tickets ", 300)
	seeds["query_entity"] = append(seeds["query_entity"], `{"entity":"`+long+`"}`,
		`{"entity":"Tickets","filter":[{"field":"`+long+`","op":"eq","value":1}]}`,
		`{"entity":"Tickets","filter":[{"field":"status","op":"`+long+`","value":1}]}`,
		`{"entity":"Tickets","filter":[{"field":"status","op":"eq","value":"`+long+`"}]}`)
	seeds["describe_fields"] = append(seeds["describe_fields"], `{"entity":"Tickets","field":"`+long+`"}`)
	seeds["update_ticket"] = append(seeds["update_ticket"], fmt.Sprintf(`{"ticket_id":%d,"changes":{"%s":1}}`, ticketID, long))
	seeds["get_ticket"] = append(seeds["get_ticket"], `{"ticket_number":"`+long+`"}`)
	// Every tool needs realistic arguments to mutate.
	testenv.RequireCoversTools(f, "tools/call_args_fuzz_test.go (the seeds of FuzzToolArguments)", testenv.ToolNames(), slices.Collect(maps.Keys(seeds)))
	// In tool order, so seed#N names the same call on every run.
	for i, tl := range all {
		args := seeds[tl.Def.Name]
		for _, a := range append(args, hostile...) {
			f.Add(byte(i), a)
		}
	}

	reads := env.MCP // a read session; what it reads never counts for the write session
	f.Fuzz(func(t *testing.T, which byte, args string) {
		// A client cannot put invalid JSON inside a JSON-RPC message: that is a transport parse error,
		// not a tool call, so only valid JSON reaches a tool.
		if !json.Valid([]byte(args)) {
			return
		}
		tl := all[int(which)%len(all)]
		name := tl.Def.Name
		shown := args // what failure messages show; the corpus file keeps the whole input
		if len(shown) > 300 {
			shown = shown[:300] + "…"
		}
		session := reads
		if tl.Write {
			// A fresh session each time: it has read nothing, not even a ticket an earlier create made.
			session = env.NewSession(t)
		}
		before := writeRequests(env.Sandbox.Stats())
		var probe any
		if err := json.Unmarshal([]byte(args), &probe); err != nil {
			// Valid JSON that encoding/json cannot hold (a number beyond float64, nesting past 10,000):
			// mcp-go decodes the arguments into `any` while it parses the request, before any tool
			// runs, and answers with a JSON-RPC invalid request. No tool of ours can turn that into a
			// tool result; what must hold is that the answer names the cause and nothing was sent.
			_, err := session.CallTool(context.Background(), callRequest(name, args))
			require.ErrorContains(t, err, "unparsable tools/call request", "%s %s", name, shown)
			require.Zero(t, writeRequests(env.Sandbox.Stats())-before, "%s %s: an unparsable call sent a write", name, shown)
			return
		}
		res := testenv.CallOn(t, session, name, json.RawMessage(args), nil)
		written := writeRequests(env.Sandbox.Stats()) - before

		text := testenv.Text(res)
		require.NotEmpty(t, strings.TrimSpace(text), "%s %s: every result has text", name, shown)
		if res.IsError {
			require.LessOrEqual(t, len(text), maxErrorBytes, "%s %s: the error is too long for the assistant's context", name, shown)
			for _, bad := range brokenResultTexts {
				require.NotContains(t, text, bad, "%s %s", name, shown)
			}
			require.Zero(t, written, "%s %s: write requests reached the tenant, yet the result is an error: %s", name, shown, text)
			return
		}
		out := structuredObject(t, name, shown, res)
		if !tl.Write {
			require.Zero(t, written, "read tool %s %s sent write requests", name, shown)
			return
		}
		// The guard: nothing existing was read, so nothing existing may be written; a new ticket is
		// the one write possible, one request, and the result says so.
		applied := out["outcome"] == "applied" && out["written"] == true
		if written > 0 {
			require.Equal(t, "create_ticket", name, "%s %s on a session that read nothing sent %d write request(s): %s", name, shown, written, text)
			require.Equal(t, 1, written, "%s %s: a create is one request", name, shown)
		}
		require.Equal(t, written > 0, applied, "%s %s: the result says outcome %v, written %v, but %d write request(s) reached the tenant",
			name, shown, out["outcome"], out["written"], written)
	})
}

func callRequest(name, args string) mcp.CallToolRequest {
	var req mcp.CallToolRequest
	req.Params.Name = name
	req.Params.Arguments = json.RawMessage(args)
	return req
}

// writeRequests counts every request that could change the tenant, accepted or not: PUT, PATCH,
// DELETE, and POST except under {Entity}/query (the query, its count and its next pages), which
// the API only reads.
func writeRequests(s sandbox.Stats) int {
	n := 0
	for endpoint, count := range s.ByEndpoint {
		method, path, _ := strings.Cut(endpoint, " ")
		segs := strings.Split(path, "/")
		switch {
		case method == "POST" && len(segs) >= 2 && segs[1] == "query":
		case method == "POST", method == "PUT", method == "PATCH", method == "DELETE":
			n += count
		}
	}
	return n
}

// structuredObject: a success carries structuredContent, and it is a JSON object (the MCP spec's
// requirement for structured results; the server has already checked it against the output schema).
func structuredObject(t *testing.T, name, shown string, res *mcp.CallToolResult) map[string]any {
	t.Helper()
	raw, err := json.Marshal(res.StructuredContent)
	require.NoError(t, err, "%s %s", name, shown)
	require.True(t, bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")), "%s %s: structuredContent is not a JSON object: %s", name, shown, raw)
	var out map[string]any
	require.NoError(t, json.Unmarshal(raw, &out), "%s %s", name, shown)
	return out
}
