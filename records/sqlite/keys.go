package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
)

// keyCache holds unwrapped data keys for a short time, so that a busy file is not
// unwrapped on every request. Only the writer goroutine fills it, and shredding
// evicts after its commit, so a destroyed key is never served from the cache.
type keyCache struct {
	mu   sync.Mutex
	ttl  time.Duration
	max  int
	keys map[string]cachedKey
}

type cachedKey struct {
	dk      *crypto.DataKey
	expires time.Time
}

func newKeyCache(ttl time.Duration, max int) *keyCache {
	return &keyCache{ttl: ttl, max: max, keys: map[string]cachedKey{}}
}

func (c *keyCache) get(clientID string) *crypto.DataKey {
	if c.ttl < 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.keys[clientID]
	if !ok {
		return nil
	}
	if time.Now().After(k.expires) {
		delete(c.keys, clientID)
		return nil
	}
	return k.dk
}

func (c *keyCache) put(clientID string, dk *crypto.DataKey) {
	if c.ttl < 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.keys) >= c.max {
		now := time.Now()
		for id, k := range c.keys {
			if now.After(k.expires) || len(c.keys) >= c.max {
				delete(c.keys, id)
			}
		}
	}
	c.keys[clientID] = cachedKey{dk: dk, expires: time.Now().Add(c.ttl)}
}

// evict forgets a key. The DataKey itself is not wiped: a request that fetched it
// before the shred may still be decrypting what it was allowed to read.
func (c *keyCache) evict(clientID string) {
	c.mu.Lock()
	delete(c.keys, clientID)
	c.mu.Unlock()
}

func (c *keyCache) clear() {
	c.mu.Lock()
	c.keys = map[string]cachedKey{}
	c.mu.Unlock()
}

// dataKey returns the client's unwrapped data key. Returns an EDESTROYED error
// (wrapping crypto.ErrDestroyed) when the key was shredded.
func (w *wtx) dataKey(clientID string) (*crypto.DataKey, error) {
	if w.s.pg {
		return w.dataKeyChecked(clientID)
	}
	if dk := w.s.keys.get(clientID); dk != nil {
		return dk, nil
	}
	var wrapped []byte
	var version int
	err := w.queryRow(`SELECT wrapped, kek_version FROM client_keys WHERE client_id = ?`, clientID).Scan(&wrapped, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, destroyed()
	}
	if err != nil {
		return nil, internal("data key", err)
	}
	dk, err := w.s.kr.Unwrap(clientID, wrapped, version)
	if err != nil {
		return nil, internal("unwrap data key", err)
	}
	w.s.keys.put(clientID, dk)
	return dk, nil
}

// dataKeyChecked is dataKey for stores that share the database with other
// instances (PostgreSQL): another instance may have shredded the key since
// it was cached here, so the key row is read in this transaction every time
// and the cached key is used only while the row is there.
func (w *wtx) dataKeyChecked(clientID string) (*crypto.DataKey, error) {
	var wrapped []byte
	var version int
	err := w.queryRow(`SELECT wrapped, kek_version FROM client_keys WHERE client_id = ?`, clientID).Scan(&wrapped, &version)
	if errors.Is(err, sql.ErrNoRows) {
		w.s.keys.evict(clientID)
		return nil, destroyed()
	}
	if err != nil {
		return nil, internal("data key", err)
	}
	if dk := w.s.keys.get(clientID); dk != nil {
		return dk, nil
	}
	dk, err := w.s.kr.Unwrap(clientID, wrapped, version)
	if err != nil {
		return nil, internal("unwrap data key", err)
	}
	w.s.keys.put(clientID, dk)
	return dk, nil
}

// newClientKey makes, wraps and stores a data key for a new client, and
// returns the sealer for the client's first fields. It needs the creator's
// grant (policy.go), like every other sealer.
func (w *wtx) newClientKey(g grant) (sealer, error) {
	if !g.valid() {
		return sealer{}, internal("new data key", errNoGrant)
	}
	dk, err := crypto.NewDataKey()
	if err != nil {
		return sealer{}, internal("new data key", err)
	}
	wrapped, version, err := w.s.kr.Wrap(g.clientID, dk)
	if err != nil {
		return sealer{}, internal("wrap data key", err)
	}
	if _, err := w.exec(`INSERT INTO client_keys (client_id, wrapped, kek_version, created_at) VALUES (?,?,?,?)`,
		g.clientID, wrapped, version, ms(w.now)); err != nil {
		return sealer{}, internal("store data key", err)
	}
	return sealer{dk: dk, clientID: g.clientID, version: 1}, nil
}

// shredKey deletes the client's data key: every ciphertext of the client becomes
// unreadable. The cache forgets the key once the deletion is committed. The
// marks of who last opened the file go too: there is nothing left to have
// changed since, and the access log keeps every read.
func (w *wtx) shredKey(clientID string) error {
	if _, err := w.exec(`DELETE FROM client_keys WHERE client_id = ?`, clientID); err != nil {
		return internal("shred data key", err)
	}
	if _, err := w.exec(`DELETE FROM last_looked WHERE client_id = ?`, clientID); err != nil {
		return internal("shred data key", err)
	}
	w.s.keys.evict(clientID)
	w.after = append(w.after, func() { w.s.keys.evict(clientID) })
	return nil
}

// sealer seals and opens one client's fields, binding each ciphertext to its
// table, column, row and client (see crypto.AD).
type sealer struct {
	dk       *crypto.DataKey
	clientID string
	version  int
}

func (s sealer) seal(table, column, recordID, plaintext string) []byte {
	return s.dk.Seal([]byte(plaintext), crypto.AD{Table: table, Column: column, RecordID: recordID, ClientID: s.clientID, KeyVersion: s.version})
}

// open returns the plaintext, or an error that never holds content. It is the
// unsealing function: only unseal, in the read gate, calls it (the gate test
// checks this), so plaintext of a client leaves only after its access record
// is committed.
// bufs, when not nil, are scratch buffers reused across fields (the gate
// opens a file's fields one after another).
func (s sealer) open(table, column, recordID string, sealed []byte, bufs *crypto.OpenBuffers) (string, error) {
	if sealed == nil {
		return "", nil
	}
	ad := crypto.AD{Table: table, Column: column, RecordID: recordID, ClientID: s.clientID, KeyVersion: s.version}
	var pt []byte
	var err error
	if bufs != nil {
		pt, err = s.dk.OpenWith(bufs, sealed, ad)
	} else {
		pt, err = s.dk.Open(sealed, ad)
	}
	if err != nil {
		return "", internal("open "+table+"."+column, err)
	}
	return string(pt), nil
}

// errNoGrant: a sealer was asked for without a grant that allows access.
var errNoGrant = errors.New("no access rule allowed this")

// sealerFor returns the sealer of the grant's client. Only a grant made by an
// access rule (policy.go) opens a client's key: no code reaches a client's
// fields with a bare client id. EDESTROYED when the key was shredded.
func (w *wtx) sealerFor(g grant) (sealer, error) {
	if !g.valid() {
		return sealer{}, internal("sealer", errNoGrant)
	}
	dk, err := w.dataKey(g.clientID)
	if err != nil {
		return sealer{}, err
	}
	return sealer{dk: dk, clientID: g.clientID, version: 1}, nil
}

// RotateMasterKey re-wraps every client's data key under the keyring's active
// version, a batch at a time; no data is re-encrypted. It is safe to interrupt:
// each key row names the version that wraps it, and old versions stay in the
// keyring until Retire. Returns how many keys were re-wrapped.
// On error it returns how many keys it re-wrapped so far; running it again
// finishes the job.
func (s *Store) RotateMasterKey(ctx context.Context) (int, error) {
	active := s.kr.Active()
	total := 0
	if err := s.write(ctx, func(w *wtx) error { return w.rewrapSystemKey() }); err != nil {
		return 0, err
	}
	for {
		n := 0
		err := s.write(ctx, func(w *wtx) error {
			rows, err := w.query(`SELECT client_id, wrapped, kek_version FROM client_keys WHERE kek_version <> ? LIMIT 500`, active)
			if err != nil {
				return internal("rotate", err)
			}
			type row struct {
				id      string
				wrapped []byte
				version int
			}
			var todo []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.id, &r.wrapped, &r.version); err != nil {
					rows.Close()
					return internal("rotate", err)
				}
				todo = append(todo, r)
			}
			rows.Close()
			for _, r := range todo {
				dk, err := w.s.kr.Unwrap(r.id, r.wrapped, r.version)
				if err != nil {
					return internal("rotate: unwrap", err)
				}
				wrapped, version, err := w.s.kr.Wrap(r.id, dk)
				if err != nil {
					return internal("rotate: wrap", err)
				}
				if _, err := w.exec(`UPDATE client_keys SET wrapped = ?, kek_version = ? WHERE client_id = ?`, wrapped, version, r.id); err != nil {
					return internal("rotate: store", err)
				}
			}
			n = len(todo)
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		if n == 0 {
			// The rotation, by nabij itself, names the master key version
			// that now wraps every key, and how many it re-wrapped.
			err := s.write(ctx, func(w *wtx) error {
				return w.record(adminEvent(records.System(), "", records.KindMasterKey,
					[]string{"v" + itoa(active), itoa(total)}, records.ActionChange))
			})
			return total, err
		}
	}
}

// KeysWrappedBy counts the data keys (clients' and the account-secrets key) still
// wrapped by a master key version; a version may be retired only when this is zero.
// Returns the database error when the count cannot be read.
func (s *Store) KeysWrappedBy(ctx context.Context, version int) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM client_keys WHERE kek_version = ?1)
		+ (SELECT COUNT(*) FROM settings WHERE key = 'system_key' AND value LIKE ?1 || ':%')`, version).Scan(&n)
	return n, err
}
