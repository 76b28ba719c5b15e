package sandbox

// udfDef is one user-defined field as entityInformation/userDefinedFields describes it.
// The vendor model for that endpoint names the data type "type", not "dataType".
type udfDef struct {
	Name                     string          `json:"name"`
	Label                    string          `json:"label"`
	Type                     string          `json:"type"`
	Length                   int             `json:"length"`
	Description              *string         `json:"description"`
	IsRequired               bool            `json:"isRequired"`
	IsReadOnly               bool            `json:"isReadOnly"`
	IsQueryable              bool            `json:"isQueryable"`
	IsReference              bool            `json:"isReference"`
	ReferenceEntityType      *string         `json:"referenceEntityType"`
	IsPickList               bool            `json:"isPickList"`
	PicklistValues           []picklistValue `json:"picklistValues"`
	PicklistParentValueField *string         `json:"picklistParentValueField"`
	DefaultValue             string          `json:"defaultValue"`
	IsSupportedWebhookField  bool            `json:"isSupportedWebhookField"`
}

func udfString(name, description string, length int) udfDef {
	return udfDef{Name: name, Label: name, Type: "string", Length: length, Description: &description, IsQueryable: true}
}

func udfOfType(name, typ, description string) udfDef {
	return udfDef{Name: name, Label: name, Type: typ, Description: &description, IsQueryable: true}
}

// udfPicklist: UDF picklists store the label text as the value, as Autotask list UDFs do.
func udfPicklist(name, description string, labels ...string) udfDef {
	d := udfString(name, description, 100)
	d.IsPickList = true
	for i, l := range labels {
		d.PicklistValues = append(d.PicklistValues, picklistValue{Value: l, Label: l, SortOrder: i + 1, IsActive: true})
	}
	return d
}

// udfDefinitions: seeded entities with UDFs; every record of them carries every UDF, some
// with a null value.
var udfDefinitions = map[string][]udfDef{
	"Tickets": {
		udfPicklist("Customer Impact", "How many users the issue stops from working", "Single User", "Department", "Whole Site", "None"),
		udfString("Root Cause", "Short root-cause statement for problem management", 500),
		udfString("Billing Reference", "Customer PO or cost centre to bill against", 100),
		udfOfType("Follow-up Date", "datetime", "When to check back with the customer"),
	},
	"Companies": {
		udfPicklist("Contract Tier", "Managed-services tier", "Gold", "Silver", "Bronze"),
		udfString("Backup Provider", "Vendor of the customer's backup solution", 100),
		udfOfType("Onboarding Date", "datetime", "Date the customer was onboarded"),
		udfOfType("Seats", "double", "Licensed user count"),
	},
}
