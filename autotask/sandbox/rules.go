package sandbox

import (
	"fmt"
	"time"
)

// validate checks a record about to be stored as the API does: required fields, picklist
// values (active ones, and a child value under its parent), references to seeded
// entities. old is the stored record for an update, nil for a create; picklists and
// references are checked only where they change, so legacy values do not block a write.
func (s *Sandbox) validate(m *entityMeta, rec, old *record) []string {
	var errs []string
	for _, f := range m.fields {
		v := rec.f[f.Name]
		if f.IsRequired && isNull(v) {
			errs = append(errs, fmt.Sprintf("Value does not exist for the required field %s.", f.Name))
			continue
		}
		if isNull(v) || (old != nil && sameValue(old.f[f.Name], v) && !parentChanged(m, f, rec, old)) {
			continue
		}
		switch {
		case f.IsPickList:
			if !picklistAllows(m, f, rec) {
				errs = append(errs, fmt.Sprintf("Picklist value [%s] does not exist for %s.", plainString(v), f.Name))
			}
		case f.IsReference:
			if msg := s.checkReference(m, f, v); msg != "" {
				errs = append(errs, msg)
			}
		}
	}
	if m.name() == "TimeEntries" {
		errs = append(errs, s.timeEntryRules(rec)...)
	}
	return errs
}

// parentChanged: a child picklist value must be checked again when its parent moves
// (issueType changed under an unchanged subIssueType).
func parentChanged(m *entityMeta, f *fieldDef, rec, old *record) bool {
	if f.PicklistParentValueField == "" {
		return false
	}
	p := f.PicklistParentValueField
	return !sameValue(old.f[p], rec.f[p])
}

func picklistAllows(m *entityMeta, f *fieldDef, rec *record) bool {
	pv, ok := f.values[plainString(rec.f[f.Name])]
	if !ok || !pv.IsActive {
		return false
	}
	if f.PicklistParentValueField == "" {
		return true
	}
	return pv.ParentValue == plainString(rec.f[f.PicklistParentValueField])
}

func plainString(v any) string {
	s, _ := toString(plainValue("", v))
	return s
}

// referenceMessages are the API's own words for a reference that points nowhere, where they are
// not its usual ones, by entity and field.
var referenceMessages = map[string]string{
	"TimeEntries.taskID": "This taskID does not reference a valid Task",
}

// checkReference refuses an id that points nowhere, for the entities the sandbox seeds.
func (s *Sandbox) checkReference(m *entityMeta, f *fieldDef, v any) string {
	id, ok := v.(int64)
	if !ok {
		return ""
	}
	var target string
	for name := range seededEntities {
		if e, _ := theCatalog().entity(name); e.model == f.ReferenceEntityType {
			target = name
		}
	}
	if target == "" {
		return ""
	}
	st, _ := s.storeNamed(target)
	if st.get(id) == nil {
		if msg, ok := referenceMessages[m.name()+"."+f.Name]; ok {
			return msg
		}
		return fmt.Sprintf("Unable to find %s with id [%d] for field %s.", f.ReferenceEntityType, id, f.Name)
	}
	return ""
}

// seededEntities are the entities New fills; references to them are checked on writes.
var seededEntities = map[string]bool{
	"Companies": true, "Contacts": true, "Resources": true, "Tickets": true, "TicketNotes": true,
	"TimeEntries": true, "ConfigurationItems": true, "Projects": true, "Tasks": true, "Contracts": true,
	"Quotes": true,
}

func setIfField(m *entityMeta, rec *record, name string, v any) {
	if m.has(name) {
		if v == nil {
			delete(rec.f, name)
		} else {
			rec.f[name] = v
		}
	}
}

// stampCreate sets what the API sets on a new record: creation time, creator, activity.
func (s *Sandbox) stampCreate(m *entityMeta, rec *record, now time.Time, wc writeContext) {
	for _, f := range createdAtFields {
		setIfField(m, rec, f, now)
	}
	for _, f := range creatorFields {
		setIfField(m, rec, f, wc.actor)
	}
	setIfField(m, rec, "creatorType", int64(1))
	if wc.impersonator != 0 {
		setIfField(m, rec, "impersonatorCreatorResourceID", wc.impersonator)
	}
	s.touch(m, nil, rec, now, wc)
}

// stampUpdate records who changed the record and moves its activity timestamps.
func (s *Sandbox) stampUpdate(m *entityMeta, old, rec *record, now time.Time, wc writeContext) {
	if wc.impersonator != 0 {
		setIfField(m, rec, "impersonatorUpdaterResourceID", wc.impersonator)
	} else {
		setIfField(m, rec, "impersonatorUpdaterResourceID", nil)
	}
	s.touch(m, old, rec, now, wc)
}

// touch moves lastActivityDate and its kin, strictly forward even when Now is frozen.
func (s *Sandbox) touch(m *entityMeta, old, rec *record, now time.Time, wc writeContext) {
	for _, f := range touchedAtFields {
		t := now
		if old != nil {
			if prev, ok := old.f[f].(time.Time); ok && !t.After(prev) {
				t = prev.Add(time.Millisecond)
			}
		}
		setIfField(m, rec, f, t)
	}
	for _, f := range updaterFields {
		setIfField(m, rec, f, wc.actor)
	}
	setIfField(m, rec, "lastActivityPersonType", int64(1))
}

// applyRules runs an entity's own behaviour on a write (tickets.go).
func (s *Sandbox) applyRules(m *entityMeta, old, rec *record, now time.Time, wc writeContext) {
	switch m.name() {
	case "Tickets":
		s.ticketRules(old, rec, now, wc)
	case "TimeEntries":
		s.timeEntryStamps(old, rec)
	}
}

// afterWrite propagates a write to related records: a note or time entry on a ticket is
// activity on the ticket, and time logged on a task is activity on the task.
func (s *Sandbox) afterWrite(m *entityMeta, rec *record, now time.Time, wc writeContext) {
	switch m.name() {
	case "TicketNotes", "TimeEntries":
		if id, ok := rec.f["ticketID"].(int64); ok {
			s.touchRecord("Tickets", id, now, wc)
		}
		if id, ok := rec.f["taskID"].(int64); ok && m.name() == "TimeEntries" {
			s.touchRecord("Tasks", id, now, wc)
		}
	}
}
