package guard

import (
	"strings"
	"sync"
	"sync/atomic"
)

// VolatileFields are the fields the API sets by itself when a record changes. They are ignored when a
// fresh record is compared with the record this session expects after its own write (a PUT moves
// lastActivityDate, a status change to Complete stamps completedDate and resolvedDateTime, a priority
// change recomputes the SLA due dates), and when two versions are compared field by field. A change
// only in these fields is never a reason to refuse a write on its own, except that lastActivityDate
// is the version itself (see Check). Matching is case-insensitive.
var VolatileFields = []string{
	// activity stamps
	"lastActivity", "lastActivityBy", "lastActivityDate", "lastActivityDateTime",
	"lastActivityPersonID", "lastActivityPersonType", "lastActivityResourceID",
	"lastCustomerNotificationDateTime", "lastCustomerVisibleActivityDateTime",
	// modification stamps
	"lastTrackedModificationDateTime", "lastTrackedModifiedDateTime",
	"lastModifiedBy", "lastModifiedByResourceID", "lastModifiedDate", "lastModifiedDateTime",
	"lastModifiedTime", "lastModifiedUserID", "statusLastModifiedBy", "statusLastModifiedDate",
	// stamped by a status change (status 5 Complete sets completedDate and resolvedDateTime)
	"completedByResourceID", "completedByType", "completedDate", "completedDateTime", "resolvedDateTime",
	// SLA bookkeeping the API recomputes
	"firstResponseAssignedResourceID", "firstResponseDateTime", "firstResponseDueDateTime",
	"firstResponseElapsedHours", "firstResponseInitiatingResourceID", "firstResponseResourceID",
	"resolutionPlanDateTime", "resolutionPlanDueDateTime", "resolvedDueDateTime",
	"serviceLevelAgreementHasBeenMet", "serviceLevelAgreementPausedNextEventHours",
}

// DefaultSensitiveFields need the person's confirmation before a write sets them, in addition to
// Options.SensitiveFields and any Write marked Sensitive (see Decisions for the two exceptions on
// records a write creates). Each either cannot be quietly undone or acts outside the tenant:
//   - status: never changed implicitly; the Complete status stamps resolution timestamps that cannot
//     be taken back, and the tenant's workflow rules (e-mails to the customer, SLA events) fire on it;
//   - companyID: moves a record to another customer, the boundary an MSP tenant exists to keep;
//   - isActive: deactivating a company, contact or resource hides it across the whole tenant;
//   - changeApprovalBoard, changeApprovalType, changeApprovalStatus: a ticket's change approval;
//     setting them starts or decides an approval that notifies the board's members, customer
//     contacts among them, and lets the change go ahead;
//   - isVisibleToComanaged, isAssignedToComanaged: show or hand a ticket to the co-managing
//     customer's own IT staff, people outside the tenant;
//   - publish (TicketNotes): who may see a note; any visibility other than the tenant's default
//     (internal) can show the note to the customer, and notification rules may e-mail it.
//
// Assignment (assignedResourceID), queue and priority are left out on purpose: they are routine triage,
// and a confirmation asked for every routine change teaches people to accept without reading.
// README.md's "What needs the person's confirmation" table lists the same fields; a test keeps the two
// equal.
var DefaultSensitiveFields = []string{
	"status", "companyID", "isActive",
	"changeApprovalBoard", "changeApprovalType", "changeApprovalStatus",
	"isVisibleToComanaged", "isAssignedToComanaged",
	"publish",
}

// secretMarkers name fields whose values never leave the guard: records carry no secrets today, but a
// future entity or a tool passing a credential-like field must not put it into an audit line, a
// conflict report or an external Store.
var secretMarkers = []string{"secret", "password", "passwd", "token", "apikey", "api_key", "credential", "privatekey", "private_key"}

// isSecretField runs for every field of every record the guard sees, and a tenant has few field
// names, seen again and again: the answer is remembered per name. The memo stops taking new names at
// maxSecretMemo, so names from outside the tenant's metadata cannot grow it without bound; past that
// the check is simply made each time. The count stops with it: a full memo is only read, so it
// never wraps around to admit names again, and misses do not contend on it.
func isSecretField(name string) bool {
	if v, ok := secretMemo.names.Load(name); ok {
		return v.(bool)
	}
	secret := matchesSecretMarker(name)
	if secretMemo.size.Load() < maxSecretMemo && secretMemo.size.Add(1) <= maxSecretMemo {
		secretMemo.names.Store(name, secret)
	}
	return secret
}

const maxSecretMemo = 4096

var secretMemo struct {
	names sync.Map // field name -> bool
	size  atomic.Int32
}

func matchesSecretMarker(name string) bool {
	n := strings.ToLower(name)
	for _, m := range secretMarkers {
		if strings.Contains(n, m) {
			return true
		}
	}
	return false
}

func lowerSet(lists ...[]string) map[string]bool {
	set := make(map[string]bool)
	for _, l := range lists {
		for _, s := range l {
			if s = strings.TrimSpace(s); s != "" {
				set[strings.ToLower(s)] = true
			}
		}
	}
	return set
}

var volatileSet = lowerSet(VolatileFields)

// isVolatile also covers a UDF, never: UDFs are flattened to "userDefinedFields.<name>" and are always
// user data.
func isVolatile(field string) bool { return volatileSet[strings.ToLower(field)] }
