package prompts

import (
	"context"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

func draftResolutionPrompt(Deps) Prompt {
	const name = "draft_resolution"
	return Prompt{
		Def: mcp.NewPrompt(name,
			mcp.WithPromptTitle("Draft a resolution"),
			mcp.WithPromptDescription("A proposed resolution and internal note for one ticket; once the person approves them, resolve_ticket writes them through the guard, which asks the person before the status becomes Complete."),
			ticketNumberArgumentOption,
		),
		Tools:    []string{"get_ticket", "get_entity", "resolve_ticket"},
		Complete: map[string]Kind{"ticket_number": TicketNumbers},
		Handler: func(_ context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			number, err := ticketNumberArgument(req)
			if err != nil {
				return nil, err
			}
			return result("Draft and apply a resolution for ticket "+number, draftResolutionText(number)), nil
		},
	}
}

func draftResolutionText(number string) string {
	resolve := obj{
		{"ticket_id", ref("TICKET_ID")},
		{"resolution", refText("RESOLUTION")},
		{"note", refText("NOTE")},
	}
	steps := []string{
		"Draft a resolution for Autotask ticket " + number + ", and apply it only once I approve it.",
		"",
		"1. Read the ticket, its notes and its time (this is also the read the guard requires before the write):",
		"   " + call("get_ticket", obj{{"ticket_number", number}, {"include", []string{"notes", "time_entries", "contact"}}}),
		"   A note whose description was cut: " + call("get_entity", obj{{"entity", "TicketNotes"}, {"id", ref("NOTE_ID")}}),
		"2. Draft two texts from what the ticket shows was done, inventing nothing:",
		"   - the resolution (it replaces the ticket's resolution field): the cause, what fixed it, and how the fix was checked;",
		"   - an internal note for colleagues: steps taken, anything to watch, follow-ups.",
		"   Show me both and wait. Revise them until I approve; if the ticket shows the work is not finished, say so instead of drafting.",
		"3. Preview the write, which sends nothing:",
		"   " + call("resolve_ticket", append(append(obj{}, resolve...), kv{"dry_run", true})),
		"   resolve_ticket adds the note (the tenant's default visibility, normally internal), writes the resolution, and sets the status to Complete only when the ticket has no time entries; with time logged the status stays as it is. Tell me which applies.",
		"4. Apply it:",
		"   " + call("resolve_ticket", resolve),
		"   Setting Complete is a status change, so the server asks me to confirm it, or answers confirmation_required with a token. In that case show me the preview and, only after I agree, call again with the same arguments and \"confirm\":\"<TOKEN>\". If the write is refused because the ticket changed since you read it, read it again and show me what changed before redrafting.",
		"",
		guardRules,
	}
	return strings.Join(steps, "\n")
}
