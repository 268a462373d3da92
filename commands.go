package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/app/auth"
	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

// usage is the one list of nabij's commands; `nabij help` prints it and a
// test checks that every command run() knows is in it.
const usage = `nabij — privacy-aware case notes for blended social work

Usage:
  nabij demo [--addr 127.0.0.1:8080] [--data DIR]     serve a seeded demo (a temp dir when no --data)
  nabij serve [--addr ADDR] --data DIR                 serve a data dir
  nabij user add --data DIR --username U --role R [--name N] [--client-id ID]
  nabij user list --data DIR                           list accounts
  nabij user disable --data DIR --username U           disable an account and end its sessions
  nabij migrate --data DIR                             apply schema migrations
  nabij verify-log --data DIR [--witness PATH]         check the access log and its witness (exit 1
                                                       when broken); writes nothing
  nabij rotate-key --data DIR [--retire]               new master key version, re-wrap data keys
  nabij retention run --data DIR [--dry-run] [--now RFC3339] [--json]
                                                       destroy what retention rules make due
  nabij migrate-store --from DIR --to postgres://…    copy a SQLite data dir (not being served)
                                                       into an empty PostgreSQL database, as
                                                       stored, and verify its log there
  nabij backup --data DIR FILE                         online, consistent copy of the database
                                                       (SQLite; on PostgreSQL use pg_dump)
  nabij help                                           this text

Serve and demo also take --require-totp ROLES and --jurisdiction NL|BE. Every command
that opens a data dir takes --witness PATH: the append-only file of the access log's
signed heads (default DIR/keys/witness.log; best on another disk or host).
Each also takes --db postgres://… (NABIJ_DB): the data in PostgreSQL, shared by several
instances; the keys stay files, in DIR/keys or NABIJ_KEYS_DIR (the same on every instance).

Environment: NABIJ_DATA, NABIJ_DB, NABIJ_KEYS_DIR, NABIJ_ADDR, NABIJ_WITNESS, NABIJ_REQUIRE_TOTP (roles, comma-separated),
NABIJ_JURISDICTION (NL or BE), NABIJ_TRUSTED_PROXIES, NABIJ_SECURE_COOKIES=1,
NABIJ_DEMO_PASSWORD, NABIJ_PASSWORD (user add: the password of your own first
account; without it, user add prints a one-time activation code instead).
Operations: NABIJ_METRICS_TOKEN (scrapes from other hosts), NABIJ_MIN_FREE_DISK_MB
(readiness margin, default 64).
`

type exitCoder interface{ ExitCode() int }

type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }
func (e exitError) ExitCode() int { return e.code }

func asExit(err error, target *exitCoder) bool { return errors.As(err, target) }

func run(args []string) error {
	if len(args) == 0 {
		fmt.Print(usage)
		return exitError{2, "no command"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "demo":
		return cmdDemo(rest)
	case "serve":
		return cmdServe(rest)
	case "user":
		return cmdUser(rest)
	case "migrate":
		return cmdMigrate(rest)
	case "verify-log":
		return cmdVerifyLog(rest)
	case "rotate-key":
		return cmdRotateKey(rest)
	case "retention":
		return cmdRetention(rest)
	case "backup":
		return cmdBackup(rest)
	case "migrate-store":
		return cmdMigrateStore(rest)
	case "bench-seed": // hidden: load-test data for bench/load (see benchseed.go)
		return cmdBenchSeed(rest)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return exitError{2, "unknown command " + cmd}
}

// serverFlags are the flags every command shares.
func serverFlags(name string, cfg *app.Config) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&cfg.Addr, "addr", "", "listen address (NABIJ_ADDR; default 127.0.0.1:8080)")
	fs.StringVar(&cfg.DataDir, "data", "", "data directory (NABIJ_DATA)")
	fs.StringVar(&cfg.DB, "db", "", "a PostgreSQL database (postgres://…) instead of the data dir's SQLite file; the keys stay in DATA/keys or NABIJ_KEYS_DIR (NABIJ_DB)")
	fs.StringVar(&cfg.Witness, "witness", "", "append-only file of the log's signed heads, best on another disk or host (NABIJ_WITNESS; default DATA/keys/witness.log)")
	fs.Func("require-totp", "roles that must use a second factor, comma-separated (NABIJ_REQUIRE_TOTP)", func(v string) error {
		roles, err := app.ParseRoles(v)
		cfg.RequireTOTP = roles
		return err
	})
	fs.Func("jurisdiction", "NL or BE: whether clients read personal working notes (NABIJ_JURISDICTION)", func(v string) error {
		j := records.Jurisdiction(strings.ToUpper(v))
		if j != records.JurisdictionNL && j != records.JurisdictionBE {
			return fmt.Errorf("jurisdiction must be NL or BE")
		}
		cfg.Jurisdiction = j
		return nil
	})
	fs.Func("reads", "where reads of one client run: auto, writer or snapshot (NABIJ_READS; auto: on the writer on SQLite with fewer than 4 cores)", func(v string) error {
		p, err := sqlite.ParseReadPath(v)
		cfg.Reads = p
		return err
	})
	return fs
}

func parse(fs *flag.FlagSet, args []string, cfg *app.Config) error {
	if err := fs.Parse(args); err != nil {
		return exitError{2, err.Error()}
	}
	return cfg.ConfigFromEnv()
}

func cmdServe(args []string) error {
	var cfg app.Config
	fs := serverFlags("serve", &cfg)
	if err := parse(fs, args, &cfg); err != nil {
		return err
	}
	if !cfg.HasStore() {
		return exitError{2, "serve needs --data DIR (or NABIJ_DATA)"}
	}
	srv, err := app.New(cfg)
	if err != nil {
		return err
	}
	stop, err := profileCPU(os.Getenv("NABIJ_CPUPROFILE"))
	if err != nil {
		srv.Shutdown(time.Second)
		return err
	}
	defer stop()
	return serveUntilSignal(srv, cfg.Addr, nil)
}

// profileCPU writes a CPU profile of the whole serve to path until stop is
// called; an empty path profiles nothing. The load test sets it (through
// NABIJ_CPUPROFILE) to see where a request's CPU goes under real load.
func profileCPU(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	// A new file only: a path named by mistake must not truncate the
	// database or the witness.
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// serveUntilSignal serves until SIGTERM or SIGINT, then shuts down gracefully.
func serveUntilSignal(srv *app.Server, addr string, ready func(addr string)) error {
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		srv.Shutdown(time.Second)
		return err
	}
	if ready != nil {
		ready(ln.Addr().String())
	} else {
		fmt.Printf("nabij listening on http://%s\n", ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	select {
	case s := <-sig:
		fmt.Fprintf(os.Stderr, "nabij: %s, shutting down\n", s)
		return srv.Shutdown(10 * time.Second)
	case err := <-errc:
		srv.Shutdown(time.Second)
		return err
	}
}

func cmdMigrate(args []string) error {
	var cfg app.Config
	fs := serverFlags("migrate", &cfg)
	if err := parse(fs, args, &cfg); err != nil {
		return err
	}
	if cfg.DB != "" {
		v, err := sqlite.MigratePostgres(cfg.DB)
		if err != nil {
			return err
		}
		fmt.Printf("database at schema version %d\n", v)
		return nil
	}
	if cfg.DataDir == "" {
		return exitError{2, "migrate needs --data DIR (or --db postgres://…)"}
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return err
	}
	v, err := sqlite.Migrate(sqlite.DBPath(cfg.DataDir))
	if err != nil {
		return err
	}
	fmt.Printf("database at schema version %d\n", v)
	return nil
}

// cmdVerifyLog checks the access log of a data dir against its checkpoints and
// its witness. It writes nothing, so it is safe on a copy, on evidence, and
// beside a data dir whose keys are missing.
func cmdVerifyLog(args []string) error {
	var cfg app.Config
	fs := serverFlags("verify-log", &cfg)
	if err := parse(fs, args, &cfg); err != nil {
		return err
	}
	if !cfg.HasStore() {
		return exitError{2, "verify-log needs --data DIR (or NABIJ_DATA)"}
	}
	rep, err := sqlite.VerifyDir(context.Background(), cfg.DataDir, cfg.DirOptions())
	if err != nil {
		return err
	}
	if !rep.OK {
		return exitError{1, fmt.Sprintf("access log BROKEN at record %d: %s (%d records, %d checkpoints)",
			rep.BrokenAt, rep.Problem, rep.Records, rep.Checkpoints)}
	}
	fmt.Printf("access log intact: %d records, %d signed checkpoints, last checkpoint at record %d\n",
		rep.Records, rep.Checkpoints, rep.LastCheckpoint)
	return nil
}

func cmdRotateKey(args []string) error {
	var cfg app.Config
	fs := serverFlags("rotate-key", &cfg)
	retire := fs.Bool("retire", false, "retire the old versions once nothing uses them")
	if err := parse(fs, args, &cfg); err != nil {
		return err
	}
	if !cfg.HasStore() {
		return exitError{2, "rotate-key needs --data DIR"}
	}
	st, kr, err := sqlite.OpenDir(cfg.DataDir, cfg.DirOptions())
	if err != nil {
		return err
	}
	defer st.Close()
	old := kr.Versions()
	v, err := kr.Rotate()
	if err != nil {
		return err
	}
	n, err := st.RotateMasterKey(context.Background())
	if err != nil {
		return fmt.Errorf("re-wrapping stopped (run rotate-key again to finish; everything stays readable): %w", err)
	}
	fmt.Printf("master key version %d is active; %d data keys re-wrapped\n", v, n)
	if *retire {
		for _, o := range old {
			left, err := st.KeysWrappedBy(context.Background(), o)
			if err != nil {
				return err
			}
			if left > 0 {
				return fmt.Errorf("version %d still wraps %d keys; not retired", o, left)
			}
			if err := kr.Retire(o); err != nil {
				return err
			}
			fmt.Printf("retired master key version %d\n", o)
		}
	}
	return nil
}

func cmdBackup(args []string) error {
	var cfg app.Config
	fs := serverFlags("backup", &cfg)
	if err := parse(fs, args, &cfg); err != nil {
		return err
	}
	if cfg.DB != "" {
		return exitError{2, sqlite.ErrBackupPostgres.Error()}
	}
	if fs.NArg() != 1 || cfg.DataDir == "" {
		return exitError{2, "usage: nabij backup --data DIR FILE"}
	}
	// A read-only copy: it works while the server has the dir open.
	if err := sqlite.BackupDir(context.Background(), cfg.DataDir, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Printf("backup written to %s; it is useless without %s — back that up apart\n", fs.Arg(0), sqlite.KeyDir(cfg.DataDir))
	return nil
}

func cmdUser(args []string) error {
	if len(args) == 0 {
		return exitError{2, "usage: nabij user add|list|disable ..."}
	}
	sub, rest := args[0], args[1:]
	var cfg app.Config
	fs := serverFlags("user "+sub, &cfg)
	username := fs.String("username", "", "username")
	role := fs.String("role", "", "professional, client, data_officer or admin")
	name := fs.String("name", "", "display name (staff)")
	clientID := fs.String("client-id", "", "for a client account: the client's id")
	if err := parse(fs, rest, &cfg); err != nil {
		return err
	}
	if !cfg.HasStore() {
		return exitError{2, "user needs --data DIR"}
	}
	st, _, err := sqlite.OpenDir(cfg.DataDir, cfg.DirOptions())
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	switch sub {
	case "add":
		// The operator may set the password of their own first account with
		// NABIJ_PASSWORD; anyone else's account gets an activation code, so
		// that its holder chooses their own password.
		in := records.NewUser{Username: *username, Role: records.Role(*role), DisplayName: *name, ClientID: *clientID}
		var code string
		if pw := os.Getenv("NABIJ_PASSWORD"); pw != "" {
			if err := auth.CheckPassword(pw); err != nil {
				return exitError{2, "NABIJ_PASSWORD needs at least 12 characters and may not be a common password"}
			}
			if in.PasswordHash, err = crypto.HashPassword(pw); err != nil {
				return err
			}
		} else if code, in.ActivationCodeHash, err = auth.NewActivationCode(); err != nil {
			return err
		}
		u, err := st.CreateUser(ctx, records.System(), in)
		if err != nil {
			return err
		}
		if code != "" {
			fmt.Printf("activation code for %s: %s (valid %d days; the holder sets their password at /activate)\n",
				u.Username, code, int(records.ActivationTTL.Hours()/24))
		}
		fmt.Printf("added %s (%s), id %s\n", u.Username, u.Role, u.ID)
	case "list":
		users, err := st.Users(ctx, records.System())
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(os.Stdout, 0, 2, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tROLE\tDISABLED\tTOTP\tID")
		for _, u := range users {
			fmt.Fprintf(tw, "%s\t%s\t%v\t%v\t%s\n", u.Username, u.Role, u.Disabled, u.TOTPEnabled, u.ID)
		}
		return tw.Flush()
	case "disable":
		u, err := st.UserByUsername(ctx, *username)
		if err != nil {
			return err
		}
		if err := st.SetUserDisabled(ctx, records.System(), u.ID, true); err != nil {
			return err
		}
		fmt.Printf("disabled %s\n", u.Username)
	default:
		return exitError{2, "unknown user command " + sub + " (add, list, disable)"}
	}
	return nil
}
