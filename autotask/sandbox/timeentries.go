package sandbox

import (
	"math"
	"strings"
	"time"
)

// The API's rules for a time entry, beyond its metadata's required flags, and what it fills in.
// The wording of each refusal is the API's own where integrators have reported it from live
// tenants; the few marked "plausible" were not found in any report and are worded after the
// reported ones.
const (
	// Reported. The misspelt "InternallAllocationCodeID" is the API's own.
	msgOneParent = "Only one of ticketID,taskID and InternallAllocationCodeID can be used at once"
	// Plausible: a time entry on nothing at all.
	msgNoParent      = "A time entry must have one of ticketID, taskID or internalBillingCodeID."
	msgNoHours       = "Must have at least one of hoursWorked or startDateTime/endDateTime"  // reported
	msgHoursRange    = "hoursWorked greater than 24 hours or less than zero hours"           // reported (start = end gives it too)
	msgHalfWindow    = "startDateTime and endDateTime must be given together."               // plausible
	msgHoursMismatch = "hoursWorked must be the time between startDateTime and endDateTime." // plausible
	msgNoDate        = "dateWorked is required when no value is supplied for startDateTime"  // reported
	msgBlankSummary  = "TimeEntry.summaryNotes can not be blank."                            // reported
	msgRoleInvalid   = "Role does not exist or is invalid"                                   // reported
	// Reported for a role the time entry's resource does not hold.
	msgRoleNotHeld = "The specified AssignedResourceID and AssignedRoleID combination is not currently defined"
)

// hoursTolerance is how far hoursWorked may be from the window's length: the API keeps hours to
// four decimals, so a client rounding to two (0.01 h, 36 seconds) is not refused.
const hoursTolerance = 0.01

// timeEntryRules checks a time entry about to be stored: on a ticket, a task or neither (regular
// time, with an internal allocation code), never two; hours, or a start and end that give them,
// consistent with each other and more than none and at most a day; a date; a summary; and, on a
// ticket or task, a role the resource holds: one of its service-desk roles for a ticket, one of its
// department roles for a task.
func (s *Sandbox) timeEntryRules(rec *record) []string {
	var errs []string
	ticket, task := rec.f["ticketID"] != nil, rec.f["taskID"] != nil
	parents := 0
	for _, f := range []string{"ticketID", "taskID", "internalBillingCodeID"} {
		if rec.f[f] != nil {
			parents++
		}
	}
	switch {
	case parents > 1:
		return append(errs, msgOneParent)
	case parents == 0:
		return append(errs, msgNoParent)
	}
	errs = append(errs, timeEntryHours(rec)...)
	if rec.f["startDateTime"] == nil && rec.f["dateWorked"] == nil {
		errs = append(errs, msgNoDate)
	}
	if !ticket && !task {
		return errs
	}
	if summary, _ := rec.f["summaryNotes"].(string); strings.TrimSpace(summary) == "" {
		errs = append(errs, msgBlankSummary)
	}
	if msg := s.timeEntryRole(rec, ticket); msg != "" {
		errs = append(errs, msg)
	}
	return errs
}

// timeEntryHours checks hoursWorked against the window startDateTime..endDateTime.
func timeEntryHours(rec *record) []string {
	start, hasStart := rec.f["startDateTime"].(time.Time)
	end, hasEnd := rec.f["endDateTime"].(time.Time)
	hours, hasHours := rec.f["hoursWorked"].(float64)
	switch {
	case !hasHours && !(hasStart && hasEnd):
		return []string{msgNoHours}
	case hasStart != hasEnd:
		return []string{msgHalfWindow}
	case hasStart:
		window := end.Sub(start).Hours()
		if window <= 0 || window > 24 {
			return []string{msgHoursRange}
		}
		if hasHours && math.Abs(hours-window) > hoursTolerance {
			return []string{msgHoursMismatch}
		}
	case hours <= 0 || hours > 24:
		return []string{msgHoursRange}
	}
	return nil
}

// timeEntryRole checks the role of a ticket's or a task's time entry.
func (s *Sandbox) timeEntryRole(rec *record, onTicket bool) string {
	kind, holds := "Tasks", "ResourceRoleDepartments"
	if onTicket {
		kind, holds = "Tickets", "ResourceServiceDeskRoles"
	}
	role, ok := rec.f["roleID"].(int64)
	if !ok {
		// Reported for tickets; for tasks, plausible by the same pattern.
		return "TimeEntries for " + kind + " must have a roleID"
	}
	roles, _ := s.storeNamed("Roles")
	if r := roles.get(role); r == nil || r.f["isActive"] != true {
		return msgRoleInvalid
	}
	resource, ok := rec.f["resourceID"].(int64)
	if ok && !s.holdsRole(holds, resource, role) { // no resource at all is refused as a missing field
		return msgRoleNotHeld
	}
	return ""
}

// holdsRole says whether an active record of entity (a resource's service-desk or department
// roles) gives resource the role.
func (s *Sandbox) holdsRole(entity string, resource, role int64) bool {
	st, _ := s.storeNamed(entity)
	st.mu.RLock()
	defer st.mu.RUnlock()
	for _, r := range st.recs {
		if r.f["resourceID"] == resource && r.f["roleID"] == role && r.f["isActive"] == true {
			return true
		}
	}
	return false
}

// timeEntryStamps fills in what the API derives for a time entry it accepted: the hours from the
// window, the date from its start, hours to bill, the entry's type, and, on a new entry, the work
// type and contract of the ticket or task it is logged on when the entry names none.
func (s *Sandbox) timeEntryStamps(old, rec *record) {
	start, hasStart := rec.f["startDateTime"].(time.Time)
	end, hasEnd := rec.f["endDateTime"].(time.Time)
	if hasStart && hasEnd { // the window wins: hoursWorked is its length, to four decimals
		rec.f["hoursWorked"] = math.Round(end.Sub(start).Hours()*10000) / 10000
	}
	if hasStart && rec.f["dateWorked"] == nil {
		rec.f["dateWorked"] = start.Truncate(24 * time.Hour)
	}
	if h, ok := rec.f["hoursWorked"].(float64); ok {
		rec.f["hoursToBill"] = h
	}
	switch {
	case rec.f["ticketID"] != nil:
		rec.f["timeEntryType"] = int64(2)
	case rec.f["taskID"] != nil:
		rec.f["timeEntryType"] = int64(6)
	default:
		rec.f["timeEntryType"] = int64(11)
	}
	if old != nil {
		return
	}
	parent := s.timeEntryParent(rec)
	if parent == nil {
		return
	}
	if rec.f["billingCodeID"] == nil && parent.f["billingCodeID"] != nil {
		rec.f["billingCodeID"] = parent.f["billingCodeID"]
	}
	if rec.f["contractID"] == nil && parent.f["contractID"] != nil {
		rec.f["contractID"] = parent.f["contractID"]
	}
}

// timeEntryParent is the ticket or task a time entry is logged on, nil for regular time.
func (s *Sandbox) timeEntryParent(rec *record) *record {
	for field, entity := range map[string]string{"ticketID": "Tickets", "taskID": "Tasks"} {
		if id, ok := rec.f[field].(int64); ok {
			st, _ := s.storeNamed(entity)
			return st.get(id)
		}
	}
	return nil
}
