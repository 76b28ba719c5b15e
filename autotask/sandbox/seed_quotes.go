package sandbox

import "fmt"

// quotes gives every fourth customer a quote for a hardware refresh with one line, so that quote
// lines (created only under their quote) have a parent to be written under. It draws nothing from
// the seed's random source: the records seeded before it stay as they were.
func (g *seeder) quotes() {
	for ci := range g.customers {
		if ci%4 != 0 {
			continue
		}
		c := &g.customers[ci]
		effective := g.asOf.AddDate(0, 0, -14-ci)
		qid := g.put("Quotes", map[string]any{
			"name": c.name + " - Hardware refresh", "companyID": c.id, "isActive": true,
			"effectiveDate": effective, "expirationDate": effective.AddDate(0, 1, 0),
			"quoteNumber": fmt.Sprintf("Q%04d", ci+1), "description": "Laptops and docking stations.",
			"createDate": effective, "creatorResourceID": g.techs[0], "lastActivityDate": effective,
		}, nil)
		g.put("QuoteItems", map[string]any{
			"quoteID": qid, "quoteItemType": int64(1), "name": "Business laptop", "quantity": 5.0,
			"unitPrice": 1200.0, "unitCost": 950.0, "isOptional": false, "isTaxable": true,
			"unitDiscount": 0.0, "lineDiscount": 0.0, "percentageDiscount": 0.0,
		}, nil)
	}
}
