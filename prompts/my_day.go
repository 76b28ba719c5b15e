package prompts

import (
	"context"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

func myDayPrompt(deps Deps) Prompt {
	const name = "my_day"
	return Prompt{
		Def: mcp.NewPrompt(name,
			mcp.WithPromptTitle("My day"),
			mcp.WithPromptDescription("The open tickets assigned to a technician that are due today or overdue, most urgent first. Reads only."),
			mcp.WithArgument("resource",
				mcp.ArgumentDescription("The technician, by first and last name as Autotask shows them (completion finds them as you type). Leave empty for yourself: the assistant then asks who you are.")),
		),
		Tools:    []string{"query_entity", "describe_fields", "get_ticket"},
		Complete: map[string]Kind{"resource": ResourceNames},
		Handler: func(_ context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			resource, err := argument(req, "resource", false)
			if err != nil {
				return nil, err
			}
			who := resource
			if who == "" {
				who = "me"
			}
			return result("Tickets due today or overdue for "+who, myDayText(resource, deps.now())), nil
		},
	}
}

func myDayText(resource string, now time.Time) string {
	endOfToday := time.Date(now.Year(), now.Month(), now.Day(), 23, 59, 59, 0, time.UTC)
	var who, find string
	if resource == "" {
		who = "me"
		find = "Ask me for my first and last name as Autotask knows me (do not guess), then find my resource id:"
	} else {
		who = quote(resource)
		find = "Find the resource id of " + quote(resource) + ":"
	}
	open := cond("status", "noteq", "Complete")
	steps := []string{
		"Show what is on the plate today for " + who + " in Autotask: the open tickets assigned to " + who + " that are due today or overdue. This task only reads: call no write tool.",
		"",
		"1. " + find,
		"   " + call("query_entity", obj{
			{"entity", "Resources"},
			{"filter", resourceFilter(resource)},
			{"fields", []string{"id", "firstName", "lastName", "email", "isActive"}},
		}),
		"   If several people match, ask which one; if nobody does, say so and stop.",
		"2. Their open tickets due by the end of today, " + endOfToday.Format("2006-01-02") + " (UTC, as Autotask stores times):",
		"   " + call("query_entity", obj{
			{"entity", "Tickets"},
			{"filter", list(cond("assignedResourceID", "eq", ref("RESOURCE_ID")), open, cond("dueDateTime", "lte", apiTime(endOfToday)))},
			{"fields", []string{"id", "ticketNumber", "title", "companyID", "status", "priority", "dueDateTime"}},
			{"limit", 100},
		}),
		"   " + openStatusNote(),
		"3. How many other open tickets they hold, for context:",
		"   " + call("query_entity", obj{
			{"entity", "Tickets"},
			{"filter", list(cond("assignedResourceID", "eq", ref("RESOURCE_ID")), open)},
			{"count_only", true},
		}),
		"4. Answer with a short list, overdue first (oldest due date first), then due today by priority: ticket number, title, company, priority, status, and how long overdue. End with the count from step 3.",
		"",
		guardRules,
	}
	return strings.Join(steps, "\n")
}

// resourceFilter finds a resource by the name the person gave: first word against the first
// name, last word against the last name, so "Mary Ann Smith" finds firstName "Mary Ann". One
// word matches either name exactly. With no name, it is the template the assistant fills in.
func resourceFilter(name string) []any {
	words := strings.Fields(name)
	switch len(words) {
	case 0:
		return list(cond("firstName", "eq", refText("FIRST_NAME")), cond("lastName", "eq", refText("LAST_NAME")))
	case 1:
		return list(group("or", cond("firstName", "eq", words[0]), cond("lastName", "eq", words[0])))
	}
	return list(cond("firstName", "beginsWith", words[0]), cond("lastName", "endsWith", words[len(words)-1]))
}
