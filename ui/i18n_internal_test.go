package ui

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestMissingTranslations fails when a key is in one catalogue and not the
// other, when a value is empty, or when plural forms differ between them.
func TestMissingTranslations(t *testing.T) {
	cats := map[string]map[string]catalogueEntry{}
	for _, lang := range Languages {
		c, err := loadCatalogue(localesFS, lang)
		if err != nil {
			t.Fatal(err)
		}
		cats[lang] = c
	}
	for _, lang := range Languages {
		for id, e := range cats[lang] {
			if e.Plural == nil && strings.TrimSpace(e.Text) == "" {
				t.Errorf("%s: %q has an empty value", lang, id)
			}
			for form, s := range e.Plural {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s: %q plural form %q is empty", lang, id, form)
				}
			}
			for _, other := range Languages {
				if other == lang {
					continue
				}
				o, ok := cats[other][id]
				if !ok {
					t.Errorf("%q is in locales/%s but missing in locales/%s", id, lang, other)
					continue
				}
				if (e.Plural == nil) != (o.Plural == nil) {
					t.Errorf("%q is plural in one catalogue and not in the other", id)
				}
			}
		}
	}
}

// tKey finds literal keys in {{t "key" ...}}, (t "key"), {{tn "key" n}} and
// field options "label"/"hint" "key". Keys built at run time (print "channel." .)
// are checked by TestDynamicKeysExist.
var (
	tKey     = regexp.MustCompile(`\btn? "([^"]+)"`)
	fieldKey = regexp.MustCompile(`"(?:label|hint)" "([^"]+)"`)
	assetRef = regexp.MustCompile(`\basset "([^"]+)"`)
)

func TestTemplateKeysExist(t *testing.T) {
	tr, err := NewTranslator()
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	err = fs.WalkDir(templatesFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templatesFS, p)
		if err != nil {
			return err
		}
		var keys []string
		for _, m := range tKey.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
		}
		for _, m := range fieldKey.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
		}
		for _, k := range keys {
			found++
			for _, lang := range Languages {
				if !tr.Has(lang, k) {
					t.Errorf("%s uses %q, missing in %s.json", p, k, lang)
				}
			}
		}
		for _, m := range assetRef.FindAllStringSubmatch(string(b), -1) {
			if _, _, ok := Asset(m[1]); !ok {
				t.Errorf("%s uses asset %q, which is not in static/", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 20 { // guards against the regexp silently matching nothing
		t.Fatalf("found only %d keys in templates; is the regexp still right?", found)
	}
}

// TestDynamicKeysExist covers keys that templates build at run time.
func TestDynamicKeysExist(t *testing.T) {
	tr, err := NewTranslator()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range Roles {
		keys = append(keys, "role."+r)
		for _, it := range Nav(r, "") {
			keys = append(keys, it.Key)
		}
	}
	for _, c := range Channels {
		keys = append(keys, "channel."+c, "channel_kind."+ChannelKind(c))
	}
	for _, v := range []string{"shared", "restricted", "personal"} {
		keys = append(keys, "visibility."+v)
	}
	// The record kinds of access records, which the access-log pages name as
	// "kind.<kind>": each kind the store writes needs a translation.
	for _, k := range []string{"file", "client", "outline", "note", "contact", "trajectory", "entry", "break_glass",
		"access_log", "anomalies", "client_key", "account", "consent", "consent_withdrawal", "disclosure", "export",
		"erasure_request", "legal_hold", "purge_report", "retention_rule", "retention", "statistics"} {
		keys = append(keys, "kind."+k)
	}
	for _, k := range LogKinds {
		keys = append(keys, "kind."+k)
	}
	// The actions, purposes and rules of administrative and security events,
	// the client's sentences for them, and the anomaly they raise.
	keys = append(keys, "action.change", "action.grant", "action.revoke", "action.sign_in",
		"purpose.administration", "purpose.security", "rule.admin", "rule.own_account",
		"event.caseload_grant", "event.caseload_grant_team", "event.caseload_revoke", "event.caseload_revoke_team",
		"event.team_grant", "event.sign_in", "event.sign_in_denied", "event.password", "event.totp",
		"event.account_create", "event.account_revoke", "event.account_change", "anomaly.new_account_access",
		"dpo_log.kind", "dpo_log.kind_all", "access.team")
	for _, s := range []int{400, 403, 404, 419, 500} {
		v := ErrorView(ViewData{}, s)
		keys = append(keys, v.Title, v.Data.(ErrorData).Message)
	}
	for _, k := range keys {
		for _, lang := range Languages {
			if !tr.Has(lang, k) {
				t.Errorf("%q missing in %s.json", k, lang)
			}
		}
	}
}

func TestIconsExistForChannels(t *testing.T) {
	svg, _, ok := Asset("icons.svg")
	if !ok {
		t.Fatal("icons.svg not embedded")
	}
	for _, c := range Channels {
		if !strings.Contains(string(svg), `id="i-`+c+`"`) {
			t.Errorf("icons.svg has no symbol i-%s", c)
		}
		if ChannelKind(c) == "" {
			t.Errorf("channel %s has no kind", c)
		}
	}
	if !slices.Contains(Channels, "ehealth_module") {
		t.Error("channel list changed; update the icons and catalogues")
	}
}

// TestCatalogueParts checks how the parts of one language's catalogue join:
// keys from every file, an error for a key in two files, and an error for a
// language without files.
func TestCatalogueParts(t *testing.T) {
	tests := []struct {
		name    string
		files   fstest.MapFS
		want    int
		wantErr string
	}{
		{"OK", fstest.MapFS{
			"locales/nl/a.json": {Data: []byte(`{"a.one": "een"}`)},
			"locales/nl/b.json": {Data: []byte(`{"b.two": {"one": "twee", "other": "twee"}}`)},
		}, 2, ""},
		{"ErrSameKeyTwice", fstest.MapFS{
			"locales/nl/a.json": {Data: []byte(`{"x": "een"}`)},
			"locales/nl/b.json": {Data: []byte(`{"x": "twee"}`)},
		}, 0, "in both"},
		{"ErrNoFiles", fstest.MapFS{
			"locales/en/a.json": {Data: []byte(`{"x": "one"}`)},
		}, 0, "no catalogue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := loadCatalogue(tt.files, "nl")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(cat) != tt.want {
				t.Fatalf("%d keys, want %d", len(cat), tt.want)
			}
		})
	}
}
