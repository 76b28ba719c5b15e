package sandbox

// fieldRule hand-sets what the vendor spec leaves out: required and read-only flags and
// picklists come only from a live tenant's entityInformation/fields
// (internal/spec/autotask-api/README.md).
type fieldRule struct {
	required bool
	readOnly bool
	length   int    // string length; 0 keeps the default
	ref      string // referenceEntityType; "-" means not a reference
	picklist []picklistValue
	parent   string // picklistParentValueField
}

func req() fieldRule                      { return fieldRule{required: true} }
func ro() fieldRule                       { return fieldRule{readOnly: true} }
func str(n int) fieldRule                 { return fieldRule{length: n} }
func reqStr(n int) fieldRule              { return fieldRule{required: true, length: n} }
func pick(v []picklistValue) fieldRule    { return fieldRule{picklist: v} }
func reqPick(v []picklistValue) fieldRule { return fieldRule{required: true, picklist: v} }
func roPick(v []picklistValue) fieldRule  { return fieldRule{readOnly: true, picklist: v} }
func childPick(v []picklistValue, parent string) fieldRule {
	return fieldRule{picklist: v, parent: parent}
}

// entityRules are per entity, by canonical field name.
var entityRules = map[string]map[string]fieldRule{
	"Tickets": {
		"title":                           reqStr(255),
		"description":                     str(8000),
		"resolution":                      str(32000), // at most 32000 characters (the ticket contract)
		"companyID":                       req(),
		"status":                          reqPick(ticketStatus),
		"priority":                        reqPick(ticketPriority),
		"queueID":                         pick(ticketQueue),
		"issueType":                       pick(ticketIssueType),
		"subIssueType":                    childPick(ticketSubIssueType, "issueType"),
		"source":                          pick(ticketSource),
		"ticketCategory":                  pick(ticketCategory),
		"ticketType":                      pick(ticketType),
		"serviceLevelAgreementID":         pick(ticketSLA),
		"creatorType":                     roPick(personType),
		"lastActivityPersonType":          roPick(personType),
		"ticketNumber":                    {readOnly: true, length: 50},
		"completedDate":                   ro(),
		"completedByResourceID":           ro(),
		"resolvedDateTime":                ro(),
		"firstResponseDateTime":           ro(),
		"resolvedDueDateTime":             ro(),
		"firstResponseDueDateTime":        ro(),
		"resolutionPlanDateTime":          ro(),
		"resolutionPlanDueDateTime":       ro(),
		"serviceLevelAgreementHasBeenMet": ro(),
		"serviceLevelAgreementPausedNextEventHours": ro(),
		"currentServiceThermometerRating":           ro(),
		"previousServiceThermometerRating":          ro(),
		"serviceThermometerTemperature":             ro(),
		"lastCustomerNotificationDateTime":          ro(),
		"lastCustomerVisibleActivityDateTime":       ro(),
		"firstResponseAssignedResourceID":           ro(),
		"firstResponseInitiatingResourceID":         ro(),
		"apiVendorID":                               ro(),
		"createdByContactID":                        ro(),
	},
	"TicketNotes": { // a note needs Title, Description, NoteType and Publish (the ticket contract)
		"title":              reqStr(250),
		"description":        reqStr(32000),
		"noteType":           reqPick(noteType),
		"publish":            reqPick(notePublish),
		"ticketID":           req(),
		"createdByContactID": ro(),
	},
	"Companies": {
		"companyName":     reqStr(100),
		"companyType":     reqPick(companyType),
		"phone":           reqStr(25),
		"ownerResourceID": req(),
		"classification":  pick(companyClassification),
		"companyNumber":   str(50),
		"apiVendorID":     ro(),
		// Kept by Autotask itself: the survey score and whether the portal or TaskFire is on.
		"surveyCompanyRating":  ro(),
		"isClientPortalActive": ro(),
		"isTaskFireActive":     ro(),
	},
	"Contacts": {
		"firstName":    reqStr(50),
		"lastName":     reqStr(50),
		"companyID":    req(),
		"isActive":     req(),
		"emailAddress": str(254),
		"apiVendorID":  ro(),
	},
	"Resources": {
		"firstName": reqStr(50),
		"lastName":  reqStr(50),
		"email":     reqStr(254),
		"userName":  {readOnly: true, length: 32},
	},
	"TimeEntries": { // dateWorked, roleID and summaryNotes are required by rule, not always (timeentries.go)
		"resourceID":         req(),
		"summaryNotes":       str(8000),
		"internalNotes":      str(8000),
		"timeEntryType":      roPick(timeEntryType),
		"creatorUserID":      {readOnly: true, ref: "Resource"},
		"lastModifiedUserID": {readOnly: true, ref: "Resource"},
		"hoursToBill":        ro(),
	},
	"ConfigurationItems": {
		"companyID":              req(),
		"configurationItemType":  reqPick(ciType),
		"isActive":               req(),
		"referenceTitle":         reqStr(200),
		"createdByPersonID":      {readOnly: true, ref: "Resource"},
		"lastActivityPersonType": roPick(personType),
		"apiVendorID":            ro(),
	},
	"Projects": {
		"projectName":            reqStr(100),
		"companyID":              req(),
		"status":                 reqPick(projectStatus),
		"projectType":            reqPick(projectType),
		"startDateTime":          req(),
		"endDateTime":            req(),
		"projectNumber":          {readOnly: true, length: 50},
		"completedDateTime":      ro(),
		"lastActivityPersonType": roPick(personType),
		// Rolled up from the project's tasks, time and charges.
		"actualHours":         ro(),
		"actualBilledHours":   ro(),
		"changeOrdersRevenue": ro(),
		"duration":            ro(),
		"statusDateTime":      ro(),
	},
	"Tasks": {
		"title":                  reqStr(255),
		"projectID":              req(),
		"status":                 reqPick(taskStatus),
		"taskType":               reqPick(taskType),
		"priorityLabel":          pick(taskPriority),
		"taskNumber":             {readOnly: true, length: 50},
		"completedDateTime":      ro(),
		"creatorType":            roPick(personType),
		"completedByType":        roPick(personType),
		"lastActivityPersonType": roPick(personType),
	},
	"Contracts": {
		"contractName":     reqStr(100),
		"companyID":        req(),
		"contractType":     reqPick(contractType),
		"status":           reqPick(contractStatus),
		"startDate":        req(),
		"endDate":          req(),
		"contractCategory": pick(contractCategory),
		"contractNumber":   str(50),
	},
	// The notes, to-dos, opportunities and appointments below carry the required fields the vendor
	// documents for them; a generic write that leaves one out is refused, as by the API.
	"CompanyNotes": {
		"actionType":         reqPick(actionType),
		"assignedResourceID": req(),
		"companyID":          req(),
		"startDateTime":      req(),
		"endDateTime":        req(),
		"note":               str(8000),
		"name":               str(250),
		"completedDateTime":  ro(),
	},
	"CompanyToDos": {
		"actionType":           reqPick(actionType),
		"assignedToResourceID": req(),
		"companyID":            req(),
		"startDateTime":        req(),
		"endDateTime":          req(),
		"activityDescription":  str(32000),
		"completedDate":        ro(),
	},
	"ProjectNotes": {
		"title":              reqStr(250),
		"description":        reqStr(32000),
		"noteType":           reqPick(projectNoteType),
		"publish":            pick(notePublish),
		"projectID":          req(),
		"createdByContactID": ro(),
	},
	"ContractNotes": {
		"title":       reqStr(250),
		"description": reqStr(32000),
		"contractID":  req(),
	},
	"Opportunities": {
		"title":              reqStr(128),
		"companyID":          req(),
		"ownerResourceID":    req(),
		"status":             reqPick(opportunityStatus),
		"projectedCloseDate": req(),
		"probability":        req(),
		"amount":             req(),
		"cost":               req(),
		"useQuoteTotals":     req(),
		"totalAmountMonths":  ro(),
		"lastActivity":       ro(),
	},
	"Appointments": {
		"title":         reqStr(255),
		"resourceID":    req(),
		"startDateTime": req(),
		"endDateTime":   req(),
		"description":   str(8000),
	},
	"TaskNotes": {
		"title":              reqStr(250),
		"description":        reqStr(32000),
		"noteType":           reqPick(projectNoteType),
		"publish":            reqPick(notePublish),
		"taskID":             req(),
		"createdByContactID": ro(),
	},
	"TicketChecklistItems": { // completing an item stamps who and when; neither is written
		"itemName":              reqStr(255),
		"isCompleted":           req(),
		"ticketID":              req(),
		"completedByResourceID": ro(),
		"completedDateTime":     ro(),
	},
	"Quotes": {
		"name":                              reqStr(100),
		"companyID":                         req(),
		"effectiveDate":                     req(),
		"expirationDate":                    req(),
		"description":                       str(2000),
		"quoteNumber":                       ro(),
		"approvalStatusChangedByResourceID": ro(),
		"approvalStatusChangedDate":         ro(),
		"lastPublishedByResourceID":         ro(),
		"lastPublishedDateTime":             ro(),
		"extApprovalContactResponse":        ro(),
		"extApprovalResponseDate":           ro(),
		"extApprovalResponseSignature":      ro(),
		"lastModifiedBy":                    {readOnly: true, ref: "Resource"},
	},
	"QuoteItems": { // discounts are required (0 for none); the costs and currency amounts are derived
		"quoteID":                      req(),
		"quoteItemType":                reqPick(quoteItemType),
		"quantity":                     req(),
		"isOptional":                   req(),
		"unitDiscount":                 req(),
		"lineDiscount":                 req(),
		"percentageDiscount":           req(),
		"averageCost":                  ro(),
		"highestCost":                  ro(),
		"markupRate":                   ro(),
		"totalEffectiveTax":            ro(),
		"internalCurrencyLineDiscount": ro(),
		"internalCurrencyUnitDiscount": ro(),
		"internalCurrencyUnitPrice":    ro(),
	},
	"ServiceCalls": {
		"companyID":            req(),
		"startDateTime":        req(),
		"endDateTime":          req(),
		"status":               pick(serviceCallStatus),
		"duration":             ro(),
		"canceledByResourceID": ro(),
		"canceledDateTime":     ro(),
	},
	"ExpenseReports": { // approval, payment and the totals are the expense workflow's, not the writer's
		"name":                              reqStr(100),
		"submitterID":                       {required: true, ref: "Resource"},
		"weekEnding":                        req(),
		"approverID":                        {readOnly: true, ref: "Resource"},
		"status":                            roPick(expenseReportStatus),
		"submitDate":                        ro(),
		"approvedDate":                      ro(),
		"amountDue":                         ro(),
		"rejectionReason":                   ro(),
		"departmentNumber":                  ro(),
		"quickBooksReferenceNumber":         ro(),
		"internalCurrencyExpenseTotal":      ro(),
		"internalCurrencyCashAdvanceAmount": ro(),
		"reimbursementCurrencyAmountDue":    ro(),
	},
}

// systemFields are set by the API itself on every entity that has them; a body that
// carries them is ignored for them.
var systemFields = map[string]bool{
	"id": true, "createDate": true, "createDateTime": true, "createdDateTime": true,
	"creatorResourceID": true, "createdByResourceID": true, "creatorType": true,
	"impersonatorCreatorResourceID": true, "impersonatorUpdaterResourceID": true,
	"lastActivityDate": true, "lastActivityDateTime": true, "lastActivityResourceID": true,
	"lastActivityPersonType": true, "lastModifiedDate": true, "lastModifiedDateTime": true,
	"lastModifiedTime": true, "lastModifiedByResourceID": true, "lastTrackedModificationDateTime": true,
	"lastTrackedModifiedDateTime": true, "soapParentPropertyId": true,
}

// Timestamps and actor fields the API stamps on a write, by role.
var (
	createdAtFields = []string{"createDate", "createDateTime", "createdDateTime"}
	creatorFields   = []string{"creatorResourceID", "createdByResourceID", "creatorUserID", "createdByPersonID"}
	touchedAtFields = []string{
		"lastActivityDate", "lastActivityDateTime", "lastModifiedDate", "lastModifiedDateTime",
		"lastModifiedTime", "lastTrackedModificationDateTime", "lastTrackedModifiedDateTime",
	}
	updaterFields = []string{"lastActivityResourceID", "lastModifiedByResourceID", "lastModifiedUserID", "lastActivityPersonID"}
)

// dateOnlyFields are rendered without a time zone, as the real API does for dates
// (times are UTC, often without a Z): clients must cope with both forms.
var dateOnlyFields = map[string]bool{
	"dateWorked": true, "startDate": true, "endDate": true, "installDate": true,
	"warrantyExpirationDate": true, "hireDate": true, "dueDate": true, "weekEnding": true,
}
