// Package ui renders nabij's server-side web pages: Dutch and English
// translations, locale-aware dates, html/template pages with a shared layout,
// and embedded static assets served under checksummed URLs.
//
// The package is framework-agnostic on purpose: it imports no HTTP framework
// and no other nabij package. A handler builds a ViewData from what the
// domain returned, and calls Renderer.Render with an io.Writer. Keeping the
// web framework at the edge (package app) means a move from Fiber v2 to v3,
// or to net/http, does not touch a single template.
//
// Pages must work without JavaScript, at 320 CSS pixels wide, and meet
// WCAG 2.1 AA; the browser tests in this package check that with axe-core
// (see package ui/uitest).
//
// Adding a page:
//
//  1. Write templates/pages/NAME.html defining {{define "content"}}...{{end}}.
//     The layout (header, nav, language switch, flash, footer) wraps it.
//  2. Add every string it uses to BOTH locales/nl/ and locales/en/ (one file per part of the product);
//     TestMissingTranslations and TestTemplateKeysExist fail otherwise.
//  3. Render it with r.Render(w, "NAME", v), where v.Title is a translation key.
package ui
