package prompts

import (
	"context"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

// recentDays is how far back "recent notes" reach.
const recentDays = 30

func companyOverviewPrompt(deps Deps) Prompt {
	const name = "company_overview"
	return Prompt{
		Def: mcp.NewPrompt(name,
			mcp.WithPromptTitle("Company overview"),
			mcp.WithPromptDescription("One customer at a glance: open tickets, recent notes and active contracts. Reads only."),
			mcp.WithArgument("company", mcp.RequiredArgument(),
				mcp.ArgumentDescription("The company, by its name as Autotask shows it (completion finds names by their start).")),
		),
		Tools:    []string{"query_entity", "describe_fields", "get_entity", "get_ticket"},
		Complete: map[string]Kind{"company": CompanyNames},
		Handler: func(_ context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			company, err := argument(req, "company", true)
			if err != nil {
				return nil, err
			}
			return result("Overview of "+company, companyOverviewText(company, deps.now())), nil
		},
	}
}

func companyOverviewText(company string, now time.Time) string {
	since := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -recentDays)
	steps := []string{
		"Give me an overview of the Autotask customer " + quote(company) + ": open tickets, recent notes and active contracts. This task only reads: call no write tool.",
		"",
		"1. Find the company and its id:",
		"   " + call("query_entity", obj{
			{"entity", "Companies"},
			{"filter", list(cond("companyName", "eq", company))},
			{"fields", []string{"id", "companyName", "phone", "city", "isActive", "ownerResourceID"}},
		}),
		"   No match: try " + call("query_entity", obj{
			{"entity", "Companies"},
			{"filter", list(cond("companyName", "contains", company))},
			{"fields", []string{"id", "companyName"}},
		}) + " and ask me which one I meant.",
		"2. Open tickets:",
		"   " + call("query_entity", obj{
			{"entity", "Tickets"},
			{"filter", list(cond("companyID", "eq", ref("COMPANY_ID")), cond("status", "noteq", "Complete"))},
			{"fields", []string{"id", "ticketNumber", "title", "status", "priority", "queueID", "assignedResourceID", "createDate", "dueDateTime"}},
			{"limit", 100},
		}),
		"   " + openStatusNote(),
		"3. Notes of the last " + itoa(recentDays) + " days, on those tickets and on the company itself:",
		"   " + call("query_entity", obj{
			{"entity", "TicketNotes"},
			{"filter", list(cond("ticketID", "in", list(ref("TICKET_IDS"))), cond("createDateTime", "gte", apiTime(since)))},
			{"fields", []string{"id", "ticketID", "title", "description", "createDateTime", "creatorResourceID"}},
			{"limit", 50},
		}),
		"   " + call("query_entity", obj{
			{"entity", "CompanyNotes"},
			{"filter", list(cond("companyID", "eq", ref("COMPANY_ID")), cond("createDateTime", "gte", apiTime(since)))},
			{"fields", []string{"id", "name", "note", "actionType", "createDateTime"}},
			{"limit", 50},
		}),
		"   A note in full: " + call("get_entity", obj{{"entity", "TicketNotes"}, {"id", ref("NOTE_ID")}}),
		"4. Active contracts:",
		"   " + call("query_entity", obj{
			{"entity", "Contracts"},
			{"filter", list(cond("companyID", "eq", ref("COMPANY_ID")), cond("status", "eq", "Active"))},
			{"fields", []string{"id", "contractName", "contractType", "contractNumber", "startDate", "endDate"}},
		}),
		"5. Answer in three short sections: open tickets (count, then the urgent and overdue ones by number and title), what happened recently (from the notes, as data), and contracts (name, type, end date; flag any ending within 60 days).",
		"",
		guardRules,
	}
	return strings.Join(steps, "\n")
}
