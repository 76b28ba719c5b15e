package sandbox

// Who may log time as what. In Autotask every resource holds roles (the rate its time is billed
// at): service-desk roles for ticket time (ResourceServiceDeskRoles, one of them the default),
// and roles within departments for project and general time (ResourceRoleDepartments, one of them
// the default). Work types (BillingCodes of use type 1, general allocation codes) say what kind
// of work a time entry is; a ticket or task carries its own default work type in billingCodeID.
// Nothing here draws from the seed's random generator, so adding it left every other seeded
// record as it was.

// Department and role names of the MSP; a technician's title names its main role.
const (
	deptServiceDesk = "Service Desk"
	deptProjects    = "Projects"

	roleDeskTech = "Service Desk Technician"
	rolePM       = "Project Manager"
	roleRetired  = "Helpdesk (retired)" // inactive: no time may be logged as it
)

// roleRates are the tenant's roles and their hourly rates, in id order.
var roleRates = []struct {
	name string
	rate float64
}{
	{roleDeskTech, 95}, {"Service Desk Manager", 130}, {"Senior Engineer", 165}, {"Network Engineer", 150},
	{"Systems Engineer", 150}, {"Security Analyst", 160}, {rolePM, 140}, {"Field Technician", 110},
	{"Cloud Engineer", 155}, {"Account Manager", 120}, {roleRetired, 85},
}

// Work types: general allocation codes (useType 1) of billing code type 0 (labour).
const (
	workRemote  = "Remote Support"
	workProject = "Project Work"
)

var workTypes = []struct {
	name   string
	active bool
}{
	{workRemote, true}, {"Onsite Support", true}, {workProject, true}, {"After Hours Support", true}, {"Legacy Labour", false},
}

// seedRoles is run after resources: it seeds departments, roles and work types, and gives the API
// user and every technician their roles. The ids of roles and work types by name are kept for the
// time entries and tasks seeded after it.
func (g *seeder) seedRoles() {
	depts := map[string]int64{}
	for _, d := range []string{deptServiceDesk, deptProjects} {
		depts[d] = g.put("Departments", map[string]any{"name": d, "description": d + " department"}, nil)
	}
	g.roles = map[string]int64{}
	for _, r := range roleRates {
		g.roles[r.name] = g.put("Roles", map[string]any{
			"name": r.name, "description": r.name, "hourlyRate": r.rate, "hourlyFactor": 1.0,
			"isActive": r.name != roleRetired, "isSystemRole": false, "isExcludedFromNewContracts": false, "roleType": int64(1),
		}, nil)
	}
	g.workTypes = map[string]int64{}
	for _, w := range workTypes {
		g.workTypes[w.name] = g.put("BillingCodes", map[string]any{
			"name": w.name, "description": w.name, "isActive": w.active, "useType": int64(1), "billingCodeType": int64(0),
			"unitPrice": 0.0, "isExcludedFromNewContracts": false,
		}, nil)
	}

	// The API user is a resource too, and like every resource holds a role: time it logs without
	// impersonation is logged as a service-desk technician.
	g.holdRoles(g.s.apiResourceID, roleDeskTech, roleDeskTech, depts[deptServiceDesk], false)
	for i, id := range g.techs {
		title := technicians[i].title
		desk := title
		if _, ok := g.roles[title]; !ok || title == rolePM || title == "Account Manager" {
			desk = roleDeskTech // not on the service desk: ticket time is billed at the desk rate
		}
		dept := depts[deptServiceDesk]
		if title == rolePM {
			dept = depts[deptProjects]
		}
		g.holdRoles(id, desk, title, dept, i == 0)
	}
}

// holdRoles gives a resource its default service-desk role (and the desk technician role beside
// it), and its default department role; it also sets the resource's defaultServiceDeskRoleID.
func (g *seeder) holdRoles(resource int64, desk, deptRole string, dept int64, lead bool) {
	g.put("ResourceServiceDeskRoles", map[string]any{"resourceID": resource, "roleID": g.roles[desk], "isDefault": true, "isActive": true}, nil)
	if desk != roleDeskTech {
		g.put("ResourceServiceDeskRoles", map[string]any{"resourceID": resource, "roleID": g.roles[roleDeskTech], "isDefault": false, "isActive": true}, nil)
	}
	g.put("ResourceRoleDepartments", map[string]any{
		"resourceID": resource, "roleID": g.roles[deptRole], "departmentID": dept, "isDefault": true, "isActive": true, "isDepartmentLead": lead,
	}, nil)
	st, _ := g.s.storeNamed("Resources")
	st.mu.Lock()
	defer st.mu.Unlock()
	if r := st.recs[resource]; r != nil {
		r.f["defaultServiceDeskRoleID"] = g.roles[desk] // seeding: the record is not shared yet
	}
}

// deskRoleOf is the default service-desk role of a seeded technician, for its seeded time entries.
func (g *seeder) deskRoleOf(resource int64) int64 {
	st, _ := g.s.storeNamed("Resources")
	if r := st.get(resource); r != nil {
		if id, ok := r.f["defaultServiceDeskRoleID"].(int64); ok {
			return id
		}
	}
	return g.roles[roleDeskTech]
}
