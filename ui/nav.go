package ui

import (
	"net/url"
	"strings"
)

// Roles, as the layout knows them. They match the role names of the domain;
// ui does not import the domain package, so they are repeated here.
const (
	RoleProfessional = "professional"
	RoleClient       = "client"
	RoleDataOfficer  = "data_officer"
	RoleAdmin        = "admin"
	RoleNetwork      = "network"
)

// Roles lists every role; each has a "role.<name>" message.
var Roles = []string{RoleProfessional, RoleClient, RoleDataOfficer, RoleAdmin, RoleNetwork}

// NavItem is one link in the main menu.
type NavItem struct {
	Path    string // URL path the link goes to
	Key     string // translation key of the link text
	Current bool   // set by Nav when the page is this item or below it
	// More puts the item under the menu's "more" fold (a <details>), so that
	// on a phone the page's content starts in the first screen.
	More bool
}

// navByRole is the main menu per role. Each role sees only what it may use:
// the data officer and the admin read no note content, so they get no link
// that would lead to it. The paths are the contract with the page routes
// (app/web and its role packages).
var navByRole = map[string][]NavItem{
	RoleProfessional: {
		{Path: "/caseload", Key: "nav.caseload"},
		{Path: "/log", Key: "nav.quick_log"},
		{Path: "/clients/new", Key: "nav.new_client"},
		{Path: "/tools", Key: "nav.tools"},
		{Path: "/account/work-contact", Key: "nav.work_contact", More: true},
		{Path: "/account/password", Key: "nav.password", More: true},
	},
	RoleClient: {
		{Path: "/my/file", Key: "nav.my_file"},
		{Path: "/my/plan", Key: "nav.my_plan"},
		{Path: "/my/privacy", Key: "nav.my_privacy"},
		{Path: "/my/network", Key: "nav.my_network", More: true},
		{Path: "/my/access", Key: "nav.who_read"},
		{Path: "/my/entries/new", Key: "nav.my_entry", More: true},
		{Path: "/my/consents", Key: "nav.my_consents", More: true},
		{Path: "/my/disclosures", Key: "nav.my_disclosures", More: true},
		{Path: "/my/export", Key: "nav.my_export", More: true},
		{Path: "/my/erasure", Key: "nav.my_erasure", More: true},
		{Path: "/my/tools", Key: "nav.my_tools", More: true},
		{Path: "/account/password", Key: "nav.password", More: true},
	},
	RoleDataOfficer: {
		{Path: "/dpo/access-log", Key: "nav.access_log"},
		{Path: "/dpo/verify", Key: "nav.verify"},
		{Path: "/dpo/anomalies", Key: "nav.anomalies"},
		{Path: "/dpo/retention", Key: "nav.retention"},
		{Path: "/dpo/legal-holds", Key: "nav.legal_holds"},
		{Path: "/dpo/purge-reports", Key: "nav.purge_reports"},
		{Path: "/dpo/erasure-requests", Key: "nav.erasure_requests"},
		{Path: "/dpo/statistics", Key: "nav.statistics"},
		{Path: "/reports/blended", Key: "nav.blended_report"},
		{Path: "/tools", Key: "nav.tools"},
		{Path: "/account/password", Key: "nav.password"},
	},
	RoleAdmin: {
		{Path: "/admin/users", Key: "nav.users"},
		{Path: "/admin/teams", Key: "nav.teams"},
		{Path: "/admin/caseloads", Key: "nav.caseloads"},
		{Path: "/admin/handovers", Key: "nav.handovers"},
		{Path: "/tools", Key: "nav.tools"},
		{Path: "/account/password", Key: "nav.password"},
	},
	// A member of a client's network reads that client's plan, nothing else.
	RoleNetwork: {
		{Path: "/network/plan", Key: "nav.network_plan"},
		{Path: "/account/password", Key: "nav.password"},
	},
}

// Nav returns the main menu for role, marking the item that currentPath is
// on (or below). An unknown role gets no menu.
func Nav(role, currentPath string) []NavItem {
	items := navByRole[role]
	out := make([]NavItem, len(items))
	for i, it := range items {
		it.Current = currentPath == it.Path || strings.HasPrefix(currentPath, it.Path+"/")
		out[i] = it
	}
	return out
}

// NavMore reports whether some items of the menu are under the "more" fold,
// and whether the current page is one of them (the fold then starts open).
func NavMore(items []NavItem) (any, current bool) {
	for _, it := range items {
		if it.More {
			any = true
			current = current || it.Current
		}
	}
	return any, current
}

// LangSwitchURL is the link the language switch uses: GET /lang/<to>?next=<path>.
// Package app should set the language cookie there and redirect to next,
// after checking next with SafeNext. A plain link, so it works without JS.
func LangSwitchURL(to, currentPath string) string {
	return "/lang/" + url.PathEscape(to) + "?next=" + url.QueryEscape(SafeNext(currentPath))
}

// SafeNext returns p if it is a local path ("/..."), else "/". Use it on any
// redirect target that came from the request, so the language switch (or a
// login redirect) cannot be turned into an open redirect to another site.
func SafeNext(p string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.ContainsRune(p, '\\') {
		return "/"
	}
	// Browsers drop tabs and newlines from URLs, so "/\t/evil.example" would
	// become "//evil.example": refuse every control character.
	for _, r := range p {
		if r < 0x20 || r == 0x7f {
			return "/"
		}
	}
	return p
}

// Contact channels, and which kind each is. The "channel.<name>" and
// "channel_kind.<kind>" messages and the "i-<name>" icons exist for each.
const (
	KindFaceToFace = "face_to_face"
	KindOnline     = "online"
)

// Channels lists every contact channel, face-to-face first.
var Channels = []string{"office", "home_visit", "outreach", "video", "phone", "chat", "email", "messaging", "ehealth_module"}

// ChannelKind returns KindFaceToFace or KindOnline for a channel ("" if unknown).
func ChannelKind(channel string) string {
	switch channel {
	case "office", "home_visit", "outreach":
		return KindFaceToFace
	case "video", "phone", "chat", "email", "messaging", "ehealth_module":
		return KindOnline
	}
	return ""
}
