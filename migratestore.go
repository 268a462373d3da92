package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/nabij/nabij/records/sqlite"
)

// cmdMigrateStore moves an organisation from a SQLite data dir to an empty
// PostgreSQL database (sqlite.MoveToPostgres): it prints the rows per table
// in the source and in the target and the chain check on arrival, and exits
// 1 when anything does not match (then nothing was copied). The keys are not
// copied: the PostgreSQL instances read them from the dir.
func cmdMigrateStore(args []string) error {
	fs := flag.NewFlagSet("migrate-store", flag.ContinueOnError)
	from := fs.String("from", "", "the SQLite data dir to copy (not being served)")
	to := fs.String("to", "", "the empty PostgreSQL database (postgres://…)")
	wit := fs.String("witness", "", "the source's witness file (default DIR/keys/witness.log)")
	if err := fs.Parse(args); err != nil {
		return exitError{2, err.Error()}
	}
	if *from == "" || !sqlite.IsPostgresDSN(*to) {
		return exitError{2, "migrate-store needs --from DIR and --to postgres://…"}
	}
	rep, err := sqlite.MoveToPostgres(context.Background(), *from, sqlite.DirOptions{DB: *to, Witness: *wit})
	printMove(os.Stdout, rep)
	if err != nil {
		return exitError{1, err.Error()}
	}
	fmt.Printf("access log on arrival: intact, %d records, %d signed checkpoints, last checkpoint at record %d (as in %s)\n",
		rep.Target.Records, rep.Target.Checkpoints, rep.Target.LastCheckpoint, *from)
	fmt.Printf("the keys were not copied: they stay in %s; serve with\n  nabij serve --db 'postgres://…' --data %s\n"+
		"or copy that dir to every instance and set NABIJ_KEYS_DIR. Keep %s (and its keys) until the new set-up serves.\n",
		sqlite.KeyDir(*from), *from, *from)
	return nil
}

// printMove prints the rows per table a move found, as far as it got.
func printMove(w io.Writer, rep sqlite.MoveReport) {
	if len(rep.Tables) == 0 {
		return
	}
	fmt.Fprintf(w, "schema version %d\n", rep.Version)
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "table\tsource\ttarget\t")
	for _, t := range rep.Tables {
		mark := ""
		if t.Source != t.Target {
			mark = "  MISMATCH"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", t.Name, t.Source, t.Target, mark)
	}
	tw.Flush()
}
