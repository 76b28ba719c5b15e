package guard

import "strings"

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
	// stamped by a status change (seed 003 §5: status 5 sets completedDate and resolvedDateTime)
	"completedByResourceID", "completedByType", "completedDate", "completedDateTime", "resolvedDateTime",
	// SLA bookkeeping the API recomputes
	"firstResponseAssignedResourceID", "firstResponseDateTime", "firstResponseDueDateTime",
	"firstResponseElapsedHours", "firstResponseInitiatingResourceID", "firstResponseResourceID",
	"resolutionPlanDateTime", "resolutionPlanDueDateTime", "resolvedDueDateTime",
	"serviceLevelAgreementHasBeenMet", "serviceLevelAgreementPausedNextEventHours",
}

// DefaultSensitiveFields always need the person's confirmation before a write changes them, in addition
// to Options.SensitiveFields and any Write marked Sensitive:
//   - status: seed 003 forbids implicit status changes, and the Complete status stamps resolution
//     timestamps that cannot be taken back;
//   - companyID: moves a record to another customer, the boundary an MSP tenant exists to keep;
//   - isActive: deactivating a company, contact or resource hides it across the whole tenant.
//
// Assignment (assignedResourceID), queue and priority are left out on purpose: they are routine triage,
// and a confirmation asked for every routine change teaches people to accept without reading.
var DefaultSensitiveFields = []string{"status", "companyID", "isActive"}

// secretMarkers name fields whose values never leave the guard: records carry no secrets today, but a
// future entity or a tool passing a credential-like field must not put it into an audit line, a
// conflict report or an external Store.
var secretMarkers = []string{"secret", "password", "passwd", "token", "apikey", "api_key", "credential", "privatekey", "private_key"}

func isSecretField(name string) bool {
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
