package sandbox

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// seededHistoryEnd is the day the seeded history ends: every seeded date is placed
// relative to it, not to today. A ticket number carries the ticket's creation date, so a
// history that moved with the calendar would renumber every ticket each day, and a ticket
// number written down yesterday (in a README, a test, a bug report) would find nothing.
var seededHistoryEnd = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// seeder fills a new tenant. Every draw comes from one generator in a fixed order, so the
// same Seed gives the same tenant on any day from seededHistoryEnd on.
type seeder struct {
	s    *Sandbox
	r    *rand.Rand
	asOf time.Time // midnight UTC of the day the seeded history ends (historyEnd): everything seeded happened before it

	techs     []int64 // active technicians
	customers []customer
	roles     map[string]int64 // role id by name (seedRoles)
	workTypes map[string]int64 // work type (BillingCodes) id by name
}

type customer struct {
	id        int64
	name      string
	domain    string
	contacts  []int64
	contactNm []string
	contract  int64
	cis       []int64
}

func (s *Sandbox) seed() {
	g := &seeder{
		s:    s,
		r:    rand.New(rand.NewPCG(uint64(s.opts.Seed), uint64(s.opts.Seed)^0x9e3779b97f4a7c15)),
		asOf: historyEnd(s.opts.Now()),
	}
	g.resources()
	g.seedRoles()
	g.companies()
	g.contacts()
	g.contracts()
	g.configurationItems()
	g.projects()
	g.reserve("Tickets", s.opts.Tickets)
	g.reserve("TicketNotes", s.opts.Tickets*3/2)
	g.reserve("TimeEntries", s.opts.Tickets)
	g.tickets()
	g.quotes()
}

// historyEnd is seededHistoryEnd, or today's midnight when Now is earlier (a test's frozen
// clock, a machine's wrong one): nothing seeded may lie in the future, because the real API
// never holds a ticket created, completed or worked on later than now.
func historyEnd(now time.Time) time.Time {
	if today := now.UTC().Truncate(24 * time.Hour); today.Before(seededHistoryEnd) {
		return today
	}
	return seededHistoryEnd
}

// reserve sizes a store for what the seed is about to put in it.
func (g *seeder) reserve(entity string, n int) {
	st, _ := g.s.storeNamed(entity)
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.recs) == 0 {
		st.recs = make(map[int64]*record, n)
		st.ids = make([]int64, 0, n)
	}
}

// put stores a seeded record as is: seed data is valid by construction.
func (g *seeder) put(entity string, f map[string]any, udf map[string]string) int64 {
	st, _ := g.s.storeNamed(entity)
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.insertLocked(&record{f: f, udf: udf})
}

func (g *seeder) pick(list []string) string { return list[g.r.IntN(len(list))] }

// weighted returns one of values, drawn by weights.
func (g *seeder) weighted(values []int64, weights []int) int64 {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.r.IntN(total)
	for i, w := range weights {
		if n < w {
			return values[i]
		}
		n -= w
	}
	return values[len(values)-1]
}

// daysAgo is a time between lo and hi days before asOf (at least the day before, so nothing
// seeded is later than Now), at a working hour.
func (g *seeder) daysAgo(lo, hi int) time.Time {
	d := max(lo+g.r.IntN(hi-lo+1), 1)
	return g.asOf.AddDate(0, 0, -d).Add(time.Duration(8*60+g.r.IntN(9*60)) * time.Minute)
}

func (g *seeder) resources() {
	c := g.s.opts.Credentials
	email := c.Username
	if !strings.Contains(email, "@") {
		email += "@autotask-mcp.local"
	}
	g.s.apiResourceID = g.put("Resources", map[string]any{
		"firstName": "API", "lastName": "Sandbox Integration", "email": email, "userName": c.Username,
		"isActive": true, "resourceType": "Employee", "title": "API User", "userType": int64(1),
		"licenseType": int64(7), "hireDate": g.asOf.AddDate(-2, 0, 0),
	}, nil)
	for i, t := range technicians {
		login := strings.ToLower(t.first[:1] + strings.ReplaceAll(t.last, "'", ""))
		id := g.put("Resources", map[string]any{
			"firstName": t.first, "lastName": t.last, "title": t.title, "isActive": true,
			"email": login + "@northstar-it.example", "userName": login, "resourceType": "Employee",
			"userType": int64(1), "licenseType": int64(1), "initials": t.first[:1] + t.last[:1],
			"officePhone": fmt.Sprintf("(555) 010-%04d", 2000+i), "hireDate": g.daysAgo(200, 3000),
		}, nil)
		g.techs = append(g.techs, id)
	}
	g.s.otherResourceID = g.techs[0]
	// A former employee: impersonating an inactive resource is refused.
	g.put("Resources", map[string]any{
		"firstName": "Jordan", "lastName": "Former", "title": "Technician (left)", "isActive": false,
		"email": "jformer@northstar-it.example", "userName": "jformer", "resourceType": "Employee",
		"userType": int64(1), "hireDate": g.daysAgo(1500, 3000),
	}, nil)
}

func (g *seeder) companies() {
	g.put("Companies", map[string]any{
		"id": int64(0), "companyName": "Northstar IT Services", "companyNumber": "0",
		"companyType": int64(5), "phone": "(555) 010-0100", "address1": "100 Harbor Way",
		"city": "Seattle", "state": "WA", "postalCode": "98101", "countryID": int64(237),
		"isActive": true, "ownerResourceID": g.techs[0], "webAddress": "www.northstar-it.example",
		"createDate": g.asOf.AddDate(-8, 0, 0), "lastActivityDate": g.daysAgo(1, 30),
	}, map[string]string{})
	tiers := []string{"Gold", "Silver", "Bronze"}
	backups := []string{"Datto BCDR", "Veeam", "Acronis", "Azure Backup"}
	for i := range g.s.opts.Companies {
		name := customerNames[i%len(customerNames)]
		if round := i / len(customerNames); round > 0 {
			name = fmt.Sprintf("%s (%s)", name, cities[round%len(cities)].city)
		}
		domain := strings.ToLower(strings.NewReplacer(" ", "", "&", "and", "'", "", "(", "", ")", "").Replace(name)) + ".example"
		loc := cities[g.r.IntN(len(cities))]
		created := g.daysAgo(400, 2500)
		udf := map[string]string{}
		if g.r.IntN(4) > 0 {
			udf["Contract Tier"] = g.pick(tiers)
		}
		if g.r.IntN(3) > 0 {
			udf["Backup Provider"] = g.pick(backups)
		}
		if g.r.IntN(2) == 0 {
			udf["Onboarding Date"] = created.Format(dateOnlyLayout)
		}
		if g.r.IntN(3) > 0 {
			udf["Seats"] = itoa(int64(5 + g.r.IntN(120)))
		}
		id := g.put("Companies", map[string]any{
			"companyName": name, "companyNumber": fmt.Sprintf("C%04d", i+1), "companyType": int64(1),
			"classification": int64(1 + g.r.IntN(4)), "phone": fmt.Sprintf("(555) %03d-%04d", 100+g.r.IntN(800), g.r.IntN(10000)),
			"address1": fmt.Sprintf("%d %s", 10+g.r.IntN(9000), g.pick(streets)), "city": loc.city,
			"state": loc.state, "postalCode": loc.zip, "countryID": int64(237), "isActive": i%17 != 16,
			"ownerResourceID": g.techs[g.r.IntN(len(g.techs))], "webAddress": "www." + domain,
			"createDate": created, "lastActivityDate": g.daysAgo(0, 60), "lastTrackedModifiedDateTime": g.daysAgo(0, 60),
			"createdByResourceID": g.techs[0],
		}, udf)
		g.customers = append(g.customers, customer{id: id, name: name, domain: domain})
	}
}

func (g *seeder) contacts() {
	for ci := range g.customers {
		c := &g.customers[ci]
		for j := range 2 + g.r.IntN(3) {
			first, last := g.pick(firstNames), g.pick(lastNames)
			created := g.daysAgo(100, 1500)
			id := g.put("Contacts", map[string]any{
				"firstName": first, "lastName": last, "companyID": c.id, "isActive": int64(1),
				"emailAddress": strings.ToLower(first+"."+last) + "@" + c.domain,
				"phone":        fmt.Sprintf("(555) %03d-%04d", 100+g.r.IntN(800), g.r.IntN(10000)),
				"title":        g.pick(contactTitles), "primaryContact": j == 0, "createDate": created,
				"lastActivityDate": g.daysAgo(0, 90), "lastModifiedDate": g.daysAgo(0, 90),
			}, nil)
			c.contacts = append(c.contacts, id)
			c.contactNm = append(c.contactNm, first+" "+last)
		}
	}
}

func (g *seeder) contracts() {
	for ci := range g.customers {
		c := &g.customers[ci]
		start := g.asOf.AddDate(-g.r.IntN(3), -g.r.IntN(12), 0)
		c.contract = g.put("Contracts", map[string]any{
			"contractName": c.name + " Managed Services Agreement", "companyID": c.id,
			"contractNumber": fmt.Sprintf("MSA-%04d", ci+1), "contractType": int64(7), "status": int64(1),
			"contractCategory": int64(1), "startDate": start, "endDate": start.AddDate(3, 0, -1),
			"isDefaultContract": true, "serviceLevelAgreementID": int64(1), "setupFee": 0.0,
			"description": "Monitoring, patching and unlimited remote support.", "lastModifiedDateTime": start,
			"timeReportingRequiresStartAndStopTimes": int64(1),
		}, nil)
		if g.r.IntN(5) == 0 {
			g.put("Contracts", map[string]any{
				"contractName": c.name + " Block Hours", "companyID": c.id,
				"contractNumber": fmt.Sprintf("BH-%04d", ci+1), "contractType": int64(4), "status": int64(1),
				"contractCategory": int64(2), "startDate": start, "endDate": start.AddDate(1, 0, -1),
				"isDefaultContract": false, "estimatedHours": 40.0, "lastModifiedDateTime": start,
				"timeReportingRequiresStartAndStopTimes": int64(1),
			}, nil)
		}
	}
}

func (g *seeder) configurationItems() {
	for ci := range g.customers {
		c := &g.customers[ci]
		prefix := strings.ToUpper(strings.SplitN(c.domain, ".", 2)[0])
		if len(prefix) > 8 {
			prefix = prefix[:8]
		}
		for j := range 2 + g.r.IntN(3) {
			typ := int64([]int{2, 1, 1, 3, 4}[j%5])
			title := map[int64]string{
				1: "LT-" + prefix + fmt.Sprintf("-%02d", j), 2: prefix + "-" + serverNames[j%len(serverNames)],
				3: prefix + "-FW01", 4: printerNames[g.r.IntN(len(printerNames))],
			}[typ]
			installed := g.daysAgo(100, 1800)
			id := g.put("ConfigurationItems", map[string]any{
				"companyID": c.id, "configurationItemType": typ, "referenceTitle": title, "isActive": true,
				"serialNumber": fmt.Sprintf("SN%08X", g.r.Uint32()), "installDate": installed,
				"warrantyExpirationDate": installed.AddDate(3, 0, 0), "location": g.pick(siteNames),
				"createDate": installed, "lastModifiedTime": g.daysAgo(0, 100), "createdByPersonID": g.techs[0],
				"contractID": c.contract,
			}, nil)
			c.cis = append(c.cis, id)
		}
	}
}

func (g *seeder) projects() {
	seq := 0
	for ci := range g.customers {
		if ci%4 != 1 {
			continue
		}
		c := &g.customers[ci]
		tpl := projectTemplates[g.r.IntN(len(projectTemplates))]
		start := g.daysAgo(10, 200)
		end := start.AddDate(0, 0, 30+g.r.IntN(90))
		status := int64(2)
		if end.Before(g.asOf) {
			status = 5
		}
		lead := g.techs[7]
		pid := g.put("Projects", map[string]any{
			"projectName": c.name + " - " + tpl.name, "companyID": c.id, "status": status, "projectType": int64(4),
			"startDateTime": start, "endDateTime": end, "projectLeadResourceID": lead,
			"projectNumber": fmt.Sprintf("P%s.%04d", start.Format("20060102"), ci), "contractID": c.contract,
			"description": tpl.name + " for " + c.name + ".", "createDateTime": start.AddDate(0, 0, -7),
			"lastActivityDateTime": g.daysAgo(0, 10), "creatorResourceID": lead, "estimatedTime": float64(20 + g.r.IntN(200)),
		}, nil)
		for j, title := range tpl.tasks {
			seq++
			taskStatus := int64(1)
			switch {
			case status == 5 || j < len(tpl.tasks)/2:
				taskStatus = 5
			case j == len(tpl.tasks)/2:
				taskStatus = 10
			}
			g.put("Tasks", map[string]any{
				"projectID": pid, "title": title, "status": taskStatus, "taskType": int64(1),
				"assignedResourceID": g.techs[g.r.IntN(len(g.techs))], "estimatedHours": float64(2 + g.r.IntN(16)),
				"startDateTime": start.AddDate(0, 0, j*7), "endDateTime": start.AddDate(0, 0, j*7+5),
				"taskNumber": fmt.Sprintf("TK%s.%04d", start.Format("20060102"), seq), "priorityLabel": int64(2),
				"billingCodeID":  g.workTypes[workProject],
				"createDateTime": start, "lastActivityDateTime": start.AddDate(0, 0, j*7), "creatorResourceID": lead,
				"creatorType": int64(1), "isVisibleInClientPortal": false, "description": title + " (" + tpl.name + ")",
			}, nil)
		}
	}
}
