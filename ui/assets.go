package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"maps"
	"path"
	"slices"
)

//go:embed static
var staticFS embed.FS

type asset struct {
	data        []byte
	contentType string
	version     string // first 16 hex digits of the SHA-256 of data
}

// assets is built once: the files are embedded, so they never change while
// the process runs, and the checksum is computed once, not per request.
var assets = loadAssets()

// contentTypes is fixed here rather than taken from mime.TypeByExtension,
// which reads the host's mime tables and so differs between machines.
var contentTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml",
	".js":  "text/javascript; charset=utf-8",
	".png": "image/png",
	".ico": "image/x-icon",
}

func loadAssets() map[string]asset {
	m := map[string]asset{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ct, ok := contentTypes[path.Ext(p)]
		if !ok {
			ct = "application/octet-stream"
		}
		m[p[len("static/"):]] = asset{data: b, contentType: ct, version: hex.EncodeToString(sum[:])[:16]}
		return nil
	})
	if err != nil {
		panic("ui: embedded assets: " + err.Error())
	}
	return m
}

// Asset returns an embedded static file by name ("nabij.css") for the server
// to send. The server should ignore the ?v= query and send
// "Cache-Control: public, max-age=31536000, immutable": the URL changes
// whenever the content does (see AssetURL), so a cached copy is never stale.
func Asset(name string) (data []byte, contentType string, ok bool) {
	a, ok := assets[name]
	return a.data, a.contentType, ok
}

// AssetURL returns the checksummed URL of an asset: /static/<name>?v=<hash>.
// For an unknown name it returns /static/<name> (which will 404); the template
// test catches such names before they ship.
func AssetURL(name string) string {
	a, ok := assets[name]
	if !ok {
		return "/static/" + name
	}
	return "/static/" + name + "?v=" + a.version
}

// AssetNames lists the embedded assets, for a server that wants to register
// one route per file.
func AssetNames() []string {
	return slices.Sorted(maps.Keys(assets))
}
