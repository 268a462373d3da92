package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

const retentionUsage = `Usage:
  nabij retention run --data DIR [--dry-run] [--now RFC3339-TIME] [--json]

Destroys what the retention rules say is due (unless on legal hold), one
transaction per client, destroys the data key of a client with nothing left,
and prints the purge report: kinds, counts, ids, rules — never content.
--dry-run changes nothing and shows what would go; --now runs as if at that time.
`

func cmdRetention(args []string) error {
	if len(args) == 0 || args[0] != "run" {
		fmt.Fprint(os.Stderr, retentionUsage)
		return exitError{2, "usage: nabij retention run --data DIR [--dry-run] [--now RFC3339-TIME]"}
	}
	var cfg app.Config
	fs := flag.NewFlagSet("retention run", flag.ContinueOnError)
	fs.StringVar(&cfg.DataDir, "data", "", "data directory (NABIJ_DATA)")
	fs.StringVar(&cfg.DB, "db", "", "a PostgreSQL database instead of the data dir's SQLite file (NABIJ_DB)")
	dry := fs.Bool("dry-run", false, "show what is due; change nothing")
	nowFlag := fs.String("now", "", "run as if at this RFC 3339 time (time travel)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parse(fs, args[1:], &cfg); err != nil {
		return err
	}
	if !cfg.HasStore() {
		return exitError{2, "retention run needs --data DIR (or NABIJ_DATA)"}
	}
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return exitError{2, "--now must be an RFC 3339 time, e.g. 2045-01-01T00:00:00Z"}
		}
		cfg.Now = func() time.Time { return t }
	}
	st, _, err := sqlite.OpenDir(cfg.DataDir, cfg.DirOptions())
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := consent.New(st, cfg.Now).Run(context.Background(), *dry)
	if err != nil {
		return err
	}
	// Sign the head now, so the destroy records of this run are vouched for
	// before the server's next timer checkpoint.
	if err := st.Checkpoint(context.Background()); err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printPurgeReport(rep)
	return nil
}

func printPurgeReport(rep *records.PurgeReport) {
	mode := "destroyed"
	if rep.DryRun {
		mode = "DRY RUN — nothing destroyed; this is what is due"
	}
	fmt.Printf("retention run %s at %s (%s)\n", rep.RunID, rep.At.Format(time.RFC3339), mode)
	destroyed, held := rep.Totals()
	verb := "destroyed"
	if rep.DryRun {
		verb = "due"
	}
	fmt.Printf("%d clients checked; %d records %s; %d held by a legal hold; %d data keys %s\n",
		rep.ClientsChecked, destroyed, verb, held, rep.KeysDestroyed, map[bool]string{true: "to destroy", false: "destroyed"}[rep.DryRun])
	if n := rep.NoBirthDate(); n > 0 {
		fmt.Printf("%d records kept: an until_age rule applies, but their client has no birth date\n", n)
	}
	if len(rep.Items) == 0 {
		fmt.Println("nothing is due")
		return
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "CLIENT\tKIND\tACTION\tCOUNT\tIDS\tRULE")
	for _, it := range rep.Items {
		ids := it.RecordIDs
		short := strings.Join(ids, ",")
		if len(ids) > 2 {
			short = strings.Join(ids[:2], ",") + fmt.Sprintf(",…(+%d)", len(ids)-2)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", it.ClientID, it.Kind, it.Action, it.Count, short, it.Rule)
	}
	tw.Flush()
	if !rep.DryRun && rep.KeysDestroyed > 0 && !rep.WALTruncated {
		fmt.Println("warning: the WAL could not be truncated now; it will be at the next checkpoint")
	}
}
