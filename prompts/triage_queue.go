package prompts

import (
	"context"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

func triageQueuePrompt(Deps) Prompt {
	const name = "triage_queue"
	return Prompt{
		Def: mcp.NewPrompt(name,
			mcp.WithPromptTitle("Triage a queue"),
			mcp.WithPromptDescription("The New tickets in a queue, each with a proposed priority and assignee. Nothing is changed until the person confirms."),
			mcp.WithArgument("queue", mcp.RequiredArgument(),
				mcp.ArgumentDescription("The queue, by its label as Autotask shows it, e.g. Level I Support (completion lists the tenant's queues).")),
		),
		Tools:    []string{"query_entity", "describe_fields", "get_ticket", "update_ticket"},
		Complete: map[string]Kind{"queue": QueueLabels},
		Handler: func(_ context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			queue, err := argument(req, "queue", true)
			if err != nil {
				return nil, err
			}
			return result("Triage the New tickets of queue "+queue, triageQueueText(queue)), nil
		},
	}
}

func triageQueueText(queue string) string {
	open := cond("status", "noteq", "Complete")
	steps := []string{
		"Triage the New tickets in the Autotask queue " + quote(queue) + ": propose a priority and an assignee for each, and change nothing until I confirm.",
		"",
		"1. List the queue's New tickets (status and queueID take their labels):",
		"   " + call("query_entity", obj{
			{"entity", "Tickets"},
			{"filter", list(cond("status", "eq", "New"), cond("queueID", "eq", queue))},
			{"fields", []string{"id", "ticketNumber", "title", "description", "companyID", "priority", "issueType", "subIssueType", "createDate", "dueDateTime", "assignedResourceID"}},
			{"limit", 50},
		}),
		"   If the answer has a next_cursor, fetch the rest with " + call("query_entity", obj{{"entity", "Tickets"}, {"cursor", refText("NEXT_CURSOR")}}) + ". If the queue label is refused, the error lists the queue labels that exist.",
		"2. The priorities to choose from: " + call("describe_fields", obj{{"entity", "Tickets"}, {"field", "priority"}}),
		"3. Who can take tickets, and how busy each is:",
		"   " + call("query_entity", obj{
			{"entity", "Resources"},
			{"filter", list(cond("isActive", "eq", true))},
			{"fields", []string{"id", "firstName", "lastName", "title"}},
		}),
		"   " + call("query_entity", obj{
			{"entity", "Tickets"},
			{"filter", list(cond("assignedResourceID", "eq", ref("RESOURCE_ID")), open)},
			{"count_only", true},
		}) + " for each candidate. " + openStatusNote(),
		"4. Show me one table: ticket number, title, company, current and proposed priority, proposed assignee, and one line of reasoning from the ticket's own text (impact, urgency, who is affected). Then stop and wait for my answer.",
		"5. Only for the tickets I confirm, and with the values I confirm: read each ticket, then change it.",
		"   " + call("get_ticket", obj{{"ticket_id", ref("TICKET_ID")}}),
		"   " + call("update_ticket", obj{
			{"ticket_id", ref("TICKET_ID")},
			{"changes", obj{{"priority", refText("PRIORITY")}, {"assignedResourceID", ref("RESOURCE_ID")}, {"assignedResourceRoleID", ref("ROLE_ID")}}},
		}),
		"   Autotask assigns a resource together with one of their roles: " + call("query_entity", obj{
			{"entity", "ResourceRoles"},
			{"filter", list(cond("resourceID", "eq", ref("RESOURCE_ID")), cond("isActive", "eq", true))},
			{"fields", []string{"roleID", "queueID"}},
		}) + " gives them; prefer the role whose queueID is the ticket's queue. Leave status as it is: triage does not change it.",
		"   Report what was changed, and any ticket whose write was refused and why.",
		"",
		guardRules,
	}
	return strings.Join(steps, "\n")
}
