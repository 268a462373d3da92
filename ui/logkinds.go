package ui

// LogKinds are the record kinds the data officer's access-log search offers:
// the main kinds of client data, then the administrative and security
// events. Each is named by "kind.<kind>" in the catalogue.
var LogKinds = []string{"file", "client", "outline", "privacy", "note", "break_glass", "export", "disclosure",
	"account", "password", "totp", "session", "caseload", "team", "retention_rules", "legal_hold", "master_key",
	"plan", "network", "anomalies",
	"tool", "team_lead", "tool_recommendation", "blended_report"}

// IsLogKind reports whether k is one of LogKinds.
func IsLogKind(k string) bool {
	for _, x := range LogKinds {
		if x == k {
			return true
		}
	}
	return false
}
