package sandbox

import "strings"

// picklistValue is one entry of a picklist as entityInformation/fields returns it.
type picklistValue struct {
	Value          string `json:"value"`
	Label          string `json:"label"`
	IsDefaultValue bool   `json:"isDefaultValue"`
	SortOrder      int    `json:"sortOrder"`
	ParentValue    string `json:"parentValue"`
	IsActive       bool   `json:"isActive"`
	IsSystem       bool   `json:"isSystem"`
}

// pl builds a picklist from value/label pairs. A label may start with markers: "*" for the
// default value, "-" for an inactive one, "!" for a system value.
func pl(pairs ...any) []picklistValue {
	out := make([]picklistValue, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		label := pairs[i+1].(string)
		v := picklistValue{Value: itoa(int64(pairs[i].(int))), IsActive: true, SortOrder: i/2 + 1}
		for ; len(label) > 0 && strings.ContainsRune("*-!", rune(label[0])); label = label[1:] {
			switch label[0] {
			case '*':
				v.IsDefaultValue = true
			case '-':
				v.IsActive = false
			case '!':
				v.IsSystem = true
			}
		}
		v.Label = label
		out = append(out, v)
	}
	return out
}

// childPL builds a child picklist: each entry is value, parent value, label.
func childPL(triples ...any) []picklistValue {
	out := make([]picklistValue, 0, len(triples)/3)
	for i := 0; i+2 < len(triples); i += 3 {
		out = append(out, picklistValue{
			Value:       itoa(int64(triples[i].(int))),
			ParentValue: itoa(int64(triples[i+1].(int))),
			Label:       triples[i+2].(string),
			IsActive:    true,
			SortOrder:   i/3 + 1,
		})
	}
	return out
}

// Ticket status ids are tenant-specific (clients read them from the status picklist); this
// tenant has both 5 "Complete", the status that stamps completedDate and resolvedDateTime,
// and 8 "Completed", which does not, as the tenant measured for the ticket contract
// (package autotask) did. Labels are matched exactly, never by prefix.
var (
	ticketStatus = pl(
		1, "*!New", 5, "!Complete", 7, "Waiting Customer", 8, "Completed", 10, "In Progress",
		11, "Escalated", 12, "Waiting Materials", 13, "Waiting Vendor", 14, "Scheduled",
		15, "Customer Note Added", 16, "On Hold",
	)
	ticketPriority = pl(1, "High", 2, "*Medium", 3, "Low", 4, "Critical")
	ticketQueue    = pl(
		5, "Client Portal", 6, "Post Sale", 8, "*Level I Support", 29682833, "Level II Support",
		29682834, "Monitoring Alert", 29682835, "Triage", 29682836, "Projects & Onboarding",
	)
	ticketIssueType = pl(
		1, "Hardware", 2, "Software", 3, "Network", 4, "Email & Collaboration", 5, "Security",
		6, "Accounts & Access",
	)
	ticketSubIssueType = childPL(
		101, 1, "Desktop / Laptop", 102, 1, "Printer / Scanner", 103, 1, "Server", 104, 1, "Mobile Device",
		201, 2, "Application Error", 202, 2, "Installation / Upgrade", 203, 2, "Licensing",
		301, 3, "Internet Outage", 302, 3, "VPN", 303, 3, "Wi-Fi", 304, 3, "Firewall",
		401, 4, "Outlook", 402, 4, "Mailbox / Exchange", 403, 4, "Teams", 404, 4, "Spam / Phishing",
		501, 5, "Malware", 502, 5, "Suspicious Sign-in", 503, 5, "Patch Management",
		601, 6, "Password Reset", 602, 6, "New User", 603, 6, "User Offboarding", 604, 6, "MFA",
	)
	ticketSource = pl(
		1, "Phone", 2, "*Email", 3, "-Fax", 4, "Client Portal", 6, "Monitoring Alert",
		8, "In Person", 11, "Chat",
	)
	ticketCategory = pl(2, "*Standard", 3, "RMM Alert", 4, "Change Request", 5, "RMA", 6, "Project Issue")
	ticketType     = pl(1, "*Service Request", 2, "Incident", 3, "Problem", 4, "Change Request", 5, "Alert")
	ticketSLA      = pl(1, "Standard SLA", 2, "Premium SLA", 3, "Best Effort")
	personType     = pl(1, "!Resource", 2, "!Contact")

	// TicketNote: a note written without a choice is internal and published internally only.
	noteType = pl(
		1, "Task Summary", 2, "Task Detail", 3, "Resolution", 13, "*Internal Note",
		14, "Customer Communication",
	)
	notePublish = pl(1, "*Internal Only", 2, "Internal & Co-managed", 3, "All (Internal & Customer)")

	companyType = pl(
		1, "*Customer", 2, "Lead", 3, "Prospect", 4, "Dead", 5, "!Self", 6, "Cancellation",
		7, "Vendor", 8, "Partner",
	)
	companyClassification = pl(1, "Managed Services", 2, "Break / Fix", 3, "Project Only", 4, "VIP")

	ciType = pl(
		1, "Workstation", 2, "Server", 3, "Network Device", 4, "Printer", 5, "Mobile Device",
		6, "Cloud Service",
	)

	projectStatus = pl(0, "Inactive", 1, "*New", 2, "In Progress", 5, "!Complete", 8, "On Hold")
	projectType   = pl(4, "*Client", 5, "Internal", 8, "Proposal")

	taskStatus   = pl(1, "*New", 5, "!Complete", 7, "Waiting Customer", 10, "In Progress")
	taskType     = pl(1, "*Fixed Work", 2, "Fixed Duration")
	taskPriority = pl(1, "High", 2, "*Medium", 3, "Low")

	contractType = pl(
		1, "Time & Materials", 3, "Fixed Price", 4, "Block Hours", 6, "Retainer",
		7, "*Recurring Service", 8, "Per Ticket",
	)
	contractStatus   = pl(0, "Inactive", 1, "*Active")
	contractCategory = pl(1, "Managed Services", 2, "Break / Fix", 3, "Project", 4, "Hardware as a Service")

	// Company notes and to-dos: what was done or is to be done.
	actionType = pl(1, "Phone Call", 2, "*General", 3, "Meeting", 4, "Email")
	// Opportunities: the sales stage they are in.
	opportunityStatus = pl(1, "*Active", 2, "Lost", 3, "Closed", 4, "Implemented", 5, "Not Ready To Buy")
	// Project notes.
	projectNoteType = pl(1, "*Task Summary", 2, "Task Detail", 3, "Project Summary")

	// Quote lines: what the line sells.
	quoteItemType = pl(1, "Product", 2, "Cost", 3, "Labor", 4, "Expense", 6, "Shipping", 11, "Service", 12, "Service Bundle")
	// Service calls: scheduled, done or called off.
	serviceCallStatus = pl(1, "*New", 2, "Complete", 3, "Canceled")
	// Expense reports move through approval and payment; the API sets the status.
	expenseReportStatus = pl(1, "!In Progress", 2, "!Awaiting Approval", 3, "!Payment Due", 4, "!Paid", 5, "!Rejected")

	timeEntryType = pl(2, "!Ticket", 6, "!Task", 11, "!Regular")
)
