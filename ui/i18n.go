package ui

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages are the languages nabij speaks, the default first.
var Languages = []string{"nl", "en"}

// DefaultLanguage is used when neither the cookie nor the browser names a
// language we speak. Dutch, because the users are in Flanders and the
// Netherlands.
const DefaultLanguage = "nl"

//go:embed locales/*/*.json
var localesFS embed.FS

// matcher's order must follow Languages: Match returns an index into it.
var matcher = language.NewMatcher([]language.Tag{language.Dutch, language.English})

// MatchLanguage picks the page language. A valid language cookie (the user's
// explicit choice through the language switch) wins over the browser's
// Accept-Language header; anything we cannot match falls back to Dutch.
func MatchLanguage(cookieLang, acceptLanguageHeader string) string {
	if l := strings.ToLower(strings.TrimSpace(cookieLang)); IsLanguage(l) {
		return l
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguageHeader)
	if err != nil || len(tags) == 0 {
		return DefaultLanguage
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return DefaultLanguage
	}
	return Languages[idx]
}

// IsLanguage reports whether lang is one of Languages (exact, lower case).
func IsLanguage(lang string) bool { return slices.Contains(Languages, lang) }

// OtherLanguage returns the language the language switch offers: with two
// languages, simply the one that is not lang.
func OtherLanguage(lang string) string {
	if lang == "en" {
		return "nl"
	}
	return "en"
}

// Translator looks up messages in the embedded catalogues.
// It is safe for concurrent use.
type Translator struct {
	loc  map[string]*i18n.Localizer
	keys map[string]map[string]bool // lang → message id → present
}

// NewTranslator loads the embedded catalogues: every locales/<lang>/*.json,
// one file per part of the product, together one catalogue per language.
// It returns an error if a language has no file, a file is not valid go-i18n
// JSON, or two files of one language define the same message id.
func NewTranslator() (*Translator, error) {
	bundle := i18n.NewBundle(language.Dutch)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	t := &Translator{loc: map[string]*i18n.Localizer{}, keys: map[string]map[string]bool{}}
	for _, lang := range Languages {
		cat, err := loadCatalogue(localesFS, lang)
		if err != nil {
			return nil, err
		}
		files, _ := fs.Glob(localesFS, path.Join("locales", lang, "*.json"))
		for _, file := range files {
			// go-i18n takes the language from the file name's last part
			// before .json, so each part is parsed under its language tag.
			b, err := fs.ReadFile(localesFS, file)
			if err != nil {
				return nil, fmt.Errorf("ui: read %s: %w", file, err)
			}
			if _, err := bundle.ParseMessageFileBytes(b, lang+".json"); err != nil {
				return nil, fmt.Errorf("ui: load %s: %w", file, err)
			}
		}
		t.keys[lang] = map[string]bool{}
		for id := range cat {
			t.keys[lang][id] = true
		}
		// One language per localizer, no fallback chain: a message missing in
		// one language should show up (as its id), not silently turn English.
		t.loc[lang] = i18n.NewLocalizer(bundle, lang)
	}
	return t, nil
}

// Has reports whether the catalogue for lang has a message id. Handlers'
// tests can use it for keys built at run time (Title, Flash, Errors).
func (t *Translator) Has(lang, id string) bool { return t.keys[lang][id] }

// T returns message id in lang, with data filled into its {{.Name}} fields.
// An unknown language falls back to DefaultLanguage; an unknown id returns
// the id itself, so a missing string is visible on the page instead of blank.
func (t *Translator) T(lang, id string, data map[string]any) string {
	return t.localize(lang, &i18n.LocalizeConfig{MessageID: id, TemplateData: data})
}

// N returns the plural form of message id that fits count ("1 contact",
// "3 contacten"). data may be nil; data["Count"] is set to count.
func (t *Translator) N(lang, id string, count int, data map[string]any) string {
	d := make(map[string]any, len(data)+1)
	for k, v := range data {
		d[k] = v
	}
	d["Count"] = count
	return t.localize(lang, &i18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: d})
}

func (t *Translator) localize(lang string, lc *i18n.LocalizeConfig) string {
	if lc.MessageID == "" {
		return ""
	}
	l, ok := t.loc[lang]
	if !ok {
		l = t.loc[DefaultLanguage]
	}
	s, err := l.Localize(lc)
	if err != nil {
		return lc.MessageID
	}
	return s
}

// catalogueEntry is one message: either a plain string or a map of plural
// forms ("one", "other", ...).
type catalogueEntry struct {
	Text   string
	Plural map[string]string
}

// loadCatalogue reads every locales/<lang>/*.json as one flat id → entry
// map. It is used by the translator (to know which keys exist) and by the
// missing-key test. A message id defined in two files is an error: which one
// won would depend on the order of the files.
func loadCatalogue(fsys fs.FS, lang string) (map[string]catalogueEntry, error) {
	files, err := fs.Glob(fsys, path.Join("locales", lang, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("ui: catalogue %s: %w", lang, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("ui: no catalogue for %s (locales/%s/*.json)", lang, lang)
	}
	out := map[string]catalogueEntry{}
	from := map[string]string{}
	for _, file := range files {
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("ui: read %s: %w", file, err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return nil, fmt.Errorf("ui: parse %s: %w", file, err)
		}
		for id, v := range raw {
			if prev, ok := from[id]; ok {
				return nil, fmt.Errorf("ui: %q is in both %s and %s", id, prev, file)
			}
			from[id] = file
			var s string
			if err := json.Unmarshal(v, &s); err == nil {
				out[id] = catalogueEntry{Text: s}
				continue
			}
			var p map[string]string
			if err := json.Unmarshal(v, &p); err != nil {
				return nil, fmt.Errorf("ui: %s: %q is neither a string nor plural forms", file, id)
			}
			if p["other"] == "" {
				return nil, errors.New("ui: " + file + ": plural message " + id + " has no \"other\" form")
			}
			out[id] = catalogueEntry{Plural: p}
		}
	}
	return out, nil
}
