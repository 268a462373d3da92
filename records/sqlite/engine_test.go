package sqlite

import "testing"

// TestRebind: SQLite's placeholders become PostgreSQL's, numbered as SQLite
// numbers them; quoted text and comments keep their question marks.
func TestRebind(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"None", `SELECT 1`, `SELECT 1`},
		{"Bare", `SELECT a FROM t WHERE b = ? AND c = ?`, `SELECT a FROM t WHERE b = $1 AND c = $2`},
		{"Numbered", `WHERE l.client_id = ?1 AND l.user_id = ?2 AND ?1 <> ''`, `WHERE l.client_id = $1 AND l.user_id = $2 AND $1 <> ''`},
		{"BareAfterNumbered", `SELECT ?2, ?`, `SELECT $2, $3`},
		{"NumberedTens", `VALUES (?10, ?11)`, `VALUES ($10, $11)`},
		{"InString", `SELECT '?', 'it''s ?', ? FROM t`, `SELECT '?', 'it''s ?', $1 FROM t`},
		{"InQuotedName", `SELECT "a?b" FROM t WHERE x = ?`, `SELECT "a?b" FROM t WHERE x = $1`},
		{"InComment", "SELECT 1 -- why?\nWHERE x = ?", "SELECT 1 -- why?\nWHERE x = $1"},
		{"UnterminatedString", `SELECT 'a?`, `SELECT 'a?`},
		{"LikeConcat", `value LIKE ?1 || ':%'`, `value LIKE $1 || ':%'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rebind(tt.in); got != tt.want {
				t.Errorf("rebind(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := rebind(tt.in); got != tt.want {
				t.Errorf("cached rebind(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
