package records_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
)

// testEnv is a store on a real SQLite file in a temp dir, with a real keyring.
type testEnv struct {
	dir   string
	kr    *crypto.Keyring
	store *records.Store
	now   time.Time
}

// mustOpen opens a fresh store; opts may adjust the options before Open.
func mustOpen(tb testing.TB, opts ...func(*records.Options)) *testEnv {
	tb.Helper()
	dir := tb.TempDir()
	kr, err := crypto.OpenKeyring(filepath.Join(dir, "keys"))
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := kr.SigningKey("checkpoints")
	if err != nil {
		tb.Fatal(err)
	}
	o := records.Options{Keyring: kr, Signer: signer}
	for _, f := range opts {
		f(&o)
	}
	s, err := records.Open(filepath.Join(dir, "nabij.db"), o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return &testEnv{dir: dir, kr: kr, store: s}
}

func mustCreateUser(tb testing.TB, s *records.Store, username string, role records.Role, clientID string) records.Actor {
	tb.Helper()
	u, err := s.CreateUser(context.Background(), records.System, records.NewUser{
		Username: username, Role: role, DisplayName: username, PasswordHash: "$argon2id$dummy", ClientID: clientID})
	if err != nil {
		tb.Fatal(err)
	}
	return records.Actor{UserID: u.ID, Role: role, ClientID: clientID, Remote: "127.0.0.1"}
}
