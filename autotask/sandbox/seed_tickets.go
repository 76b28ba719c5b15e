package sandbox

import (
	"strings"
	"time"
)

var (
	openStatuses      = []int64{1, 10, 7, 11, 12, 13, 14, 15, 16}
	openStatusWeights = []int{25, 25, 15, 5, 5, 5, 8, 7, 5}
	queues            = []int64{5, 6, 8, 29682833, 29682834, 29682835, 29682836}
	impacts           = []string{"Single User", "Department", "Whole Site", "None"}
	dueHours          = map[int64]time.Duration{1: 8, 2: 48, 3: 120, 4: 4} // by priority
)

// placeholders fill a ticket template.
type placeholders struct{ user, server, site, domain, printer string }

func (p placeholders) replace(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	for _, kv := range [...][2]string{{"{user}", p.user}, {"{server}", p.server}, {"{site}", p.site}, {"{domain}", p.domain}, {"{printer}", p.printer}} {
		if strings.Contains(s, kv[0]) {
			s = strings.ReplaceAll(s, kv[0], kv[1])
		}
	}
	return s
}

// tickets seeds Options.Tickets tickets, oldest first (ids ascend with creation time),
// with notes on most, time entries on some, and hostile free text on a few.
func (g *seeder) tickets() {
	n := g.s.opts.Tickets
	span := 180 * 24 * time.Hour
	if n > 5000 {
		span = 365 * 24 * time.Hour
	}
	start := g.asOf.Add(-span)
	step := span / time.Duration(n)
	hostile := hostilePayloads()
	for i := range n {
		created := start.Add(time.Duration(i)*step + time.Duration(g.r.Int64N(int64(step)))).Truncate(time.Second)
		id := g.ticket(created)
		if h, ok := hostile[i]; ok {
			g.makeHostile(id, h)
		}
	}
}

func (g *seeder) ticket(created time.Time) int64 {
	c := &g.customers[g.skewedCustomer()]
	tpl := ticketTemplates[g.r.IntN(len(ticketTemplates))]
	who := g.r.IntN(len(c.contacts))
	fill := placeholders{
		user: c.contactNm[who], server: serverNames[g.r.IntN(len(serverNames))], site: g.pick(siteNames),
		domain: c.domain, printer: printerNames[g.r.IntN(len(printerNames))],
	}
	age := g.asOf.Sub(created)
	status := g.ticketStatus(age)
	priority := g.weighted([]int64{1, 2, 3, 4}, []int{20, 50, 22, 8})
	source := g.weighted([]int64{2, 1, 4, 11}, []int{45, 25, 20, 10})
	ticketType, category, queue := int64(2), int64(2), queues[g.r.IntN(len(queues))]
	if strings.HasPrefix(tpl.title, "New user") || strings.HasPrefix(tpl.title, "Install") || strings.HasPrefix(tpl.title, "Set up") {
		ticketType = 1
	}
	if tpl.alert {
		source, ticketType, category, queue = 6, 5, 3, 29682834
	}
	f := make(map[string]any, 48) // sized for every key set below: no growth while seeding
	f["title"], f["description"] = fill.replace(tpl.title), fill.replace(tpl.description)
	f["companyID"], f["contactID"], f["status"], f["priority"] = c.id, c.contacts[who], status, priority
	f["queueID"], f["issueType"], f["subIssueType"], f["source"] = queue, tpl.issueType, tpl.subIssue, source
	f["ticketCategory"], f["ticketType"], f["serviceLevelAgreementID"] = category, ticketType, int64(1)
	f["contractID"], f["createDate"], f["creatorType"] = c.contract, created, int64(1)
	f["organizationalLevelAssociationID"], f["estimatedHours"] = int64(29683601), float64(g.r.IntN(8))/2
	f["dueDateTime"] = created.Add(dueHours[priority] * time.Hour)
	f["ticketNumber"] = g.s.nextTicketNumber(created)
	if source == 4 {
		f["creatorType"], f["createdByContactID"] = int64(2), c.contacts[who]
	} else {
		f["creatorResourceID"] = g.techs[g.r.IntN(len(g.techs))]
	}
	if status != statusNew || g.r.IntN(3) == 0 {
		f["assignedResourceID"] = g.techs[g.r.IntN(len(g.techs))]
	}
	if len(c.cis) > 0 && g.r.IntN(3) == 0 {
		f["configurationItemID"] = c.cis[g.r.IntN(len(c.cis))]
	}
	last := created.Add(time.Duration(5+g.r.IntN(120)) * time.Minute)
	if status == statusComplete || status == 8 {
		done := created.Add(time.Duration(1+g.r.IntN(min(int(age.Hours()), 240)+1)) * time.Hour)
		if done.After(g.asOf) {
			done = g.asOf.Add(-time.Minute)
		}
		f["resolution"] = resolutions[g.r.IntN(len(resolutions))]
		if status == statusComplete { // only status 5 "Complete" stamps these
			f["completedDate"], f["resolvedDateTime"] = done, done
			f["completedByResourceID"] = f["assignedResourceID"]
		}
		last = done
	}
	udf := map[string]string{}
	if g.r.IntN(3) > 0 {
		udf["Customer Impact"] = impacts[g.r.IntN(len(impacts))]
	}
	if f["resolution"] != nil && g.r.IntN(2) == 0 {
		udf["Root Cause"] = "Configuration drift after an update"
	}
	if g.r.IntN(5) == 0 {
		udf["Billing Reference"] = "PO-" + itoa(int64(10000+g.r.IntN(90000)))
	}
	id := g.put("Tickets", f, udf)

	notes := g.r.IntN(4)
	if status == statusNew {
		notes = g.r.IntN(2)
	}
	for j := range notes {
		at := created.Add(time.Duration(j+1) * last.Sub(created) / time.Duration(notes+1))
		g.note(id, at, noteTemplates[g.r.IntN(len(noteTemplates))].title, noteTemplates[g.r.IntN(len(noteTemplates))].description)
	}
	if status != statusNew && g.r.IntN(100) < 55 {
		for j := range 1 + g.r.IntN(2) {
			g.timeEntry(id, created.Add(time.Duration(j+1)*time.Hour), f)
		}
	}
	f["lastActivityDate"], f["lastTrackedModificationDateTime"] = last, last
	f["lastActivityResourceID"], f["lastActivityPersonType"] = g.techs[g.r.IntN(len(g.techs))], int64(1)
	return id
}

// skewedCustomer favours the first customers: a few noisy customers raise most tickets.
func (g *seeder) skewedCustomer() int {
	n := len(g.customers)
	x := g.r.Float64()
	return min(int(x*x*float64(n)), n-1)
}

func (g *seeder) ticketStatus(age time.Duration) int64 {
	days := int(age.Hours() / 24)
	roll := g.r.IntN(100)
	switch {
	case days > 21 && roll < 85, days >= 7 && roll < 50, roll < 15:
		return statusComplete
	case days >= 7 && roll < 56, days > 21 && roll < 90:
		return 8 // "Completed": closed without the resolution timestamps, as on the real API
	}
	return g.weighted(openStatuses, openStatusWeights)
}

func (g *seeder) note(ticketID int64, at time.Time, title, description string) {
	at = at.Truncate(time.Second)
	g.put("TicketNotes", map[string]any{
		"ticketID": ticketID, "title": title, "description": description,
		"noteType": g.weighted([]int64{1, 2, 13, 14}, []int{20, 30, 35, 15}), "publish": int64(1 + g.r.IntN(2)),
		"creatorResourceID": g.techs[g.r.IntN(len(g.techs))], "createDateTime": at, "lastActivityDate": at,
	}, nil)
}

func (g *seeder) timeEntry(ticketID int64, start time.Time, t map[string]any) {
	start = start.Truncate(time.Minute)
	hours := float64(1+g.r.IntN(8)) / 4
	if latest := g.asOf.Add(-3 * time.Hour); start.After(latest) {
		start = latest // work logged on the history's last tickets stays in the past
	}
	tech, _ := t["assignedResourceID"].(int64)
	if tech == 0 {
		tech = g.techs[0]
	}
	g.put("TimeEntries", map[string]any{
		"ticketID": ticketID, "resourceID": tech, "dateWorked": start.Truncate(24 * time.Hour),
		"startDateTime": start, "endDateTime": start.Add(time.Duration(hours * float64(time.Hour))),
		"hoursWorked": hours, "hoursToBill": hours, "summaryNotes": "Worked on: " + t["title"].(string),
		"isNonBillable": false, "timeEntryType": int64(2), "contractID": t["contractID"],
		"roleID": g.deskRoleOf(tech), "billingCodeID": g.workTypes[workRemote],
		"createDateTime": start, "lastModifiedDateTime": start, "creatorUserID": tech, "showOnInvoice": true,
	}, nil)
}
