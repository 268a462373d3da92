package sqlite_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
	"github.com/nabij/nabij/records/sqlite/storetest"
)

// TestOpenDirPostgres: a data dir whose database is on PostgreSQL keeps only
// the keys; several instances open it at once (no lock file); keys that do
// not open its data are refused and nothing is created beside them; the log
// verifies without a store.
func TestOpenDirPostgres(t *testing.T) {
	if !onPostgres() {
		t.Skip("PostgreSQL only: the SQLite data dir is covered by the app's tests")
	}
	ctx := context.Background()
	keys := t.TempDir()
	opts := sqlite.DirOptions{DB: storetest.Database(t, keys), KeysDir: keys}
	a, _, err := sqlite.OpenDir("", opts)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := sqlite.OpenDir("", opts)
	if err != nil {
		t.Fatalf("a second instance: %v", err)
	}
	sam := mustCreateUser(t, a, "sam", records.RoleProfessional, "")
	c, err := b.CreateClient(ctx, sam, records.NewClient{Name: "Noor Jansen"})
	if err != nil {
		t.Fatal(err)
	}
	if f, err := a.ClientFile(ctx, sam, records.PurposeCare, c.ID); err != nil || f.Client.Name != "Noor Jansen" {
		t.Fatalf("read through the other instance: %v", err)
	}
	a.Close()
	b.Close()
	rep, err := sqlite.VerifyDir(ctx, "", opts)
	if err != nil || !rep.OK || rep.Records == 0 {
		t.Fatalf("verify: %+v %v", rep, err)
	}
	other := t.TempDir()
	_, _, err = sqlite.OpenDir("", sqlite.DirOptions{DB: opts.DB, KeysDir: other})
	if !errors.Is(err, sqlite.ErrKeysDoNotOpenData) {
		t.Fatalf("other keys: %v, want ErrKeysDoNotOpenData", err)
	}
	if left, _ := os.ReadDir(other); len(left) != 0 {
		t.Errorf("keys were created beside data they do not open: %v", left)
	}
}
