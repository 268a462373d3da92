package app

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nabij/nabij/app/auth"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

// Config is how a server runs. Zero values take the defaults in Defaults.
type Config struct {
	Addr    string // listen address, e.g. 127.0.0.1:8080
	DataDir string // holds nabij.db and keys/
	// DB, when set, is a PostgreSQL database (postgres://…) that holds the
	// data instead of DataDir's SQLite file; the keys stay in files (KeysDir,
	// else DataDir/keys).
	DB      string
	KeysDir string
	// Witness is the file the signed heads of the access log are appended to;
	// "" means keys/witness.log in the data dir. Another disk or host is better.
	Witness string
	// RequireTOTP lists the roles that must sign in with a second factor.
	RequireTOTP map[records.Role]bool
	// Jurisdiction: NL or BE (personal working notes); "" keeps the stored setting.
	Jurisdiction records.Jurisdiction
	AccessTTL    time.Duration // access token lifetime, at most 15 minutes
	RefreshTTL   time.Duration
	BodyLimit    int // bytes; larger request bodies get 413
	// TrustedProxies are addresses whose X-Forwarded-For is believed (for the
	// "from where" of access records and the per-address rate limit).
	TrustedProxies []string
	// MaxHashing is how many Argon2id password hashes may run at once (each
	// takes about 19 MiB); sign-ins beyond it wait briefly, then get 429.
	// Default auth.DefaultMaxHashing.
	MaxHashing int
	// SecureCookies is set when nabij is served over TLS: cookies are Secure,
	// the session, refresh and CSRF cookies take the __Host- prefix, and every
	// response carries Strict-Transport-Security.
	SecureCookies bool
	// MetricsToken, when set, lets a scrape of /metrics through from anywhere
	// with "Authorization: Bearer TOKEN"; without it only this host may scrape.
	MetricsToken string
	// MinFreeDisk is the free space (bytes) the data dir's disk must keep for
	// /readyz to say ready; 0 takes the store's default (64 MiB), negative
	// turns the check off.
	MinFreeDisk int64
	// Reads is where reads of one client run (auto, writer, snapshot); the
	// default picks by engine and machine (sqlite.ReadPath).
	Reads sqlite.ReadPath
	// Now is the clock (tests and time travel); default time.Now.
	Now func() time.Time
	// Logf receives one line per request: method, route, status, duration — never
	// bodies, query strings or tokens. Default: standard error.
	Logf func(format string, args ...any)
}

// Defaults fills the zero fields of c.
func (c *Config) Defaults() {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if c.AccessTTL <= 0 || c.AccessTTL > 15*time.Minute {
		c.AccessTTL = 15 * time.Minute
	}
	if c.RefreshTTL <= 0 {
		c.RefreshTTL = 12 * time.Hour
	}
	if c.BodyLimit <= 0 {
		c.BodyLimit = 256 << 10
	}
	if c.MaxHashing <= 0 {
		c.MaxHashing = auth.DefaultMaxHashing
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logf == nil {
		c.Logf = func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
	}
}

// ConfigFromEnv reads NABIJ_* variables into c where c leaves a field empty:
// NABIJ_ADDR, NABIJ_DATA, NABIJ_WITNESS, NABIJ_REQUIRE_TOTP (comma-separated roles),
// NABIJ_JURISDICTION, NABIJ_TRUSTED_PROXIES, NABIJ_SECURE_COOKIES=1,
// NABIJ_METRICS_TOKEN, NABIJ_MIN_FREE_DISK_MB, NABIJ_MAX_HASHING (a positive number),
// NABIJ_READS (auto, writer or snapshot).
func (c *Config) ConfigFromEnv() error {
	if c.Addr == "" {
		c.Addr = os.Getenv("NABIJ_ADDR")
	}
	if c.DataDir == "" {
		c.DataDir = os.Getenv("NABIJ_DATA")
	}
	if c.DB == "" {
		c.DB = os.Getenv("NABIJ_DB")
	}
	if c.KeysDir == "" {
		c.KeysDir = os.Getenv("NABIJ_KEYS_DIR")
	}
	if c.DB != "" && !sqlite.IsPostgresDSN(c.DB) {
		return fmt.Errorf("--db / NABIJ_DB must be a postgres:// URL; a SQLite database is a data dir (--data)")
	}
	if c.Witness == "" {
		c.Witness = os.Getenv("NABIJ_WITNESS")
	}
	if v := os.Getenv("NABIJ_REQUIRE_TOTP"); v != "" && c.RequireTOTP == nil {
		roles, err := ParseRoles(v)
		if err != nil {
			return err
		}
		c.RequireTOTP = roles
	}
	if c.Jurisdiction == "" {
		c.Jurisdiction = records.Jurisdiction(strings.ToUpper(os.Getenv("NABIJ_JURISDICTION")))
	}
	if v := os.Getenv("NABIJ_TRUSTED_PROXIES"); v != "" && c.TrustedProxies == nil {
		c.TrustedProxies = strings.Split(v, ",")
	}
	if v := os.Getenv("NABIJ_MIN_FREE_DISK_MB"); v != "" && c.MinFreeDisk == 0 {
		mb, err := strconv.ParseInt(v, 10, 64)
		if err != nil || mb < 0 {
			return fmt.Errorf("NABIJ_MIN_FREE_DISK_MB %q is not a number of MiB", v)
		}
		c.MinFreeDisk = mb << 20
		if mb == 0 {
			c.MinFreeDisk = -1 // 0 MiB: no margin
		}
	}
	if c.MetricsToken == "" {
		c.MetricsToken = os.Getenv("NABIJ_METRICS_TOKEN")
	}
	if v := os.Getenv("NABIJ_MAX_HASHING"); v != "" && c.MaxHashing == 0 {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > 1024 {
			return fmt.Errorf("NABIJ_MAX_HASHING: want a number from 1 to 1024, not %q", v)
		}
		c.MaxHashing = n
	}
	if os.Getenv("NABIJ_SECURE_COOKIES") == "1" {
		c.SecureCookies = true
	}
	if v := os.Getenv("NABIJ_READS"); v != "" && c.Reads == "" {
		p, err := sqlite.ParseReadPath(v)
		if err != nil {
			return fmt.Errorf("NABIJ_READS: %w", err)
		}
		c.Reads = p
	}
	return nil
}

// ParseRoles reads a comma-separated list of roles.
func ParseRoles(v string) (map[records.Role]bool, error) {
	out := map[records.Role]bool{}
	for _, r := range strings.Split(v, ",") {
		r = strings.TrimSpace(r)
		if r == "" {
			continue
		}
		if !records.Role(r).Valid() {
			return nil, fmt.Errorf("unknown role %q (professional, client, data_officer, admin)", r)
		}
		out[records.Role(r)] = true
	}
	return out, nil
}

// DirOptions are the options a data dir is opened with under c.
func (c *Config) DirOptions() sqlite.DirOptions {
	return sqlite.DirOptions{Jurisdiction: c.Jurisdiction, Now: c.Now, Witness: c.Witness, MinFreeDisk: c.MinFreeDisk,
		DB: c.DB, KeysDir: c.KeysDir, Reads: c.Reads}
}

// HasStore tells whether c names where the data is: a data dir, or a
// PostgreSQL database with a dir for its keys.
func (c *Config) HasStore() bool {
	return c.DataDir != "" || (c.DB != "" && c.KeysDir != "")
}
