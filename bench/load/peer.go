// The PocketBase peer (-peer-pocketbase PATH): after nabij's mixes, the read and
// write mixes run against PocketBase, a plain Go+SQLite server, on the same data
// shape, the same machine and in the same run, so that nabij's figures can be
// read as a ratio to it rather than on their own. PocketBase is an external
// binary built by hand, never a dependency of this module (bench/README.md says
// how to build it and what its mixes leave out: no access record in the
// client's log, no encryption, no authorization rule beyond "signed in").

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nabij/nabij/bench/corpus"
	"github.com/nabij/nabij/records"
)

const pbPassword = "bench-password-1"

// pocketBase is one PocketBase process and its superuser token.
type pocketBase struct {
	bin, dir string
	srv      *server
	hc       *http.Client
	token    string
}

// cli runs a PocketBase command on the data dir. --dev=false because PocketBase
// turns dev mode (every SQL statement logged to the console) on by default when
// its binary lies under the temp dir, as /tmp/pocketbase does.
func (pb *pocketBase) cli(args ...string) ([]byte, error) {
	out, err := exec.Command(pb.bin, append(args, "--dir", pb.dir, "--dev=false")...).CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("%s %s: %v\n%s", pb.bin, args[0], err, out)
	}
	return out, nil
}

// call sends in as JSON with token and decodes a 200 answer into out.
func (pb *pocketBase) call(method, path, token string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, pb.srv.base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	resp, err := pb.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

// create makes one record per body in collection through the batch API
// (one transaction per 100), as the superuser, and returns their ids in order.
func (pb *pocketBase) create(collection string, bodies []map[string]any) ([]string, error) {
	var ids []string
	for len(bodies) > 0 {
		n := min(len(bodies), 100)
		type sub struct {
			Method string         `json:"method"`
			URL    string         `json:"url"`
			Body   map[string]any `json:"body"`
		}
		reqs := make([]sub, n)
		for i, b := range bodies[:n] {
			reqs[i] = sub{"POST", "/api/collections/" + collection + "/records", b}
		}
		var out []struct {
			Status int `json:"status"`
			Body   struct {
				ID string `json:"id"`
			} `json:"body"`
		}
		if err := pb.call("POST", "/api/batch", pb.token, map[string]any{"requests": reqs}, &out); err != nil {
			return nil, err
		}
		for _, o := range out {
			if o.Status != 200 || o.Body.ID == "" {
				return nil, fmt.Errorf("batch create in %s: status %d", collection, o.Status)
			}
			ids = append(ids, o.Body.ID)
		}
		bodies = bodies[n:]
	}
	return ids, nil
}

// total is the number of records in collection (or of log rows, for "logs").
func (pb *pocketBase) total(collection string) (int, error) {
	path := "/api/collections/" + collection + "/records?perPage=1"
	if collection == "logs" {
		path = "/api/logs?perPage=1"
	}
	var out struct {
		TotalItems int `json:"totalItems"`
	}
	err := pb.call("GET", path, pb.token, nil, &out)
	return out.TotalItems, err
}

// setUp starts PocketBase on a fresh data dir, signs its superuser in and
// creates the collections, *nPros signed-in users (returned) and
// *nClients clients with *nNotes notes each (their ids returned).
func (pb *pocketBase) setUp(tmp string) ([]*session, []string, error) {
	out, err := exec.Command(pb.bin, "--version").CombinedOutput()
	if err != nil {
		return nil, nil, fmt.Errorf("%s --version: %v\n%s", pb.bin, err, out)
	}
	fmt.Printf("\n%s", out)
	const email = "bench@example.com"
	if _, err := pb.cli("superuser", "upsert", email, pbPassword); err != nil {
		return nil, nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, nil, err
	}
	logf, err := os.Create(filepath.Join(tmp, "pocketbase.log"))
	if err != nil {
		return nil, nil, err
	}
	cmd := exec.Command(pb.bin, "serve", "--http", addr, "--dir", pb.dir, "--dev=false")
	if pb.srv, err = launch(cmd, logf, "http://"+addr, "/api/health", pb.dir); err != nil {
		return nil, nil, err
	}
	fmt.Printf("pocketbase pid %d on %s\n", pb.srv.cmd.Process.Pid, pb.srv.base)
	var auth struct {
		Token string `json:"token"`
	}
	if err := pb.call("POST", "/api/collections/_superusers/auth-with-password", "",
		map[string]string{"identity": email, "password": pbPassword}, &auth); err != nil {
		return nil, nil, err
	}
	pb.token = auth.Token
	if err := pb.call("PATCH", "/api/settings", pb.token,
		map[string]any{"batch": map[string]any{"enabled": true, "maxRequests": 100, "timeout": 60}}, nil); err != nil {
		return nil, nil, err
	}
	var clients struct {
		ID string `json:"id"`
	}
	if err := pb.call("POST", "/api/collections", pb.token, map[string]any{"name": "clients", "type": "base",
		"fields": []map[string]any{{"name": "name", "type": "text"}}}, &clients); err != nil {
		return nil, nil, err
	}
	signedIn := `@request.auth.id != ""`
	if err := pb.call("POST", "/api/collections", pb.token, map[string]any{"name": "notes", "type": "base",
		"listRule": signedIn, "createRule": signedIn,
		"fields": []map[string]any{
			{"name": "client", "type": "relation", "collectionId": clients.ID, "maxSelect": 1, "required": true},
			{"name": "body", "type": "text", "required": true},
			{"name": "created", "type": "autodate", "onCreate": true},
		},
		"indexes": []string{"CREATE INDEX idx_notes_client ON notes (client)"}}, nil); err != nil {
		return nil, nil, err
	}

	t := time.Now()
	users := make([]map[string]any, *nPros)
	for i := range users {
		e := fmt.Sprintf("pro%02d@example.com", i)
		users[i] = map[string]any{"email": e, "password": pbPassword, "passwordConfirm": pbPassword}
	}
	if _, err := pb.create("users", users); err != nil {
		return nil, nil, err
	}
	sessions := make([]*session, len(users))
	for i, u := range users {
		if err := pb.call("POST", "/api/collections/users/auth-with-password", "",
			map[string]any{"identity": u["email"], "password": pbPassword}, &auth); err != nil {
			return nil, nil, err
		}
		// PocketBase tokens last days; session.token never needs to refresh one.
		sessions[i] = &session{base: pb.srv.base, access: auth.Token, expires: time.Now().Add(24 * time.Hour)}
	}
	names := make([]map[string]any, *nClients)
	for i := range names {
		names[i] = map[string]any{"name": fmt.Sprintf("client %04d", i)}
	}
	ids, err := pb.create("clients", names)
	if err != nil {
		return nil, nil, err
	}
	// Notes: one batch per client, from 8 workers.
	var next atomic.Int64
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for i := int(next.Add(1) - 1); i < len(ids); i = int(next.Add(1) - 1) {
				notes := make([]map[string]any, *nNotes)
				for j := range notes {
					notes[j] = map[string]any{"client": ids[i], "body": corpus.NoteBody(rng)}
				}
				if _, err := pb.create("notes", notes); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, nil, err
	}
	fmt.Printf("pocketbase: seeded %d clients × %d notes and signed in %d users in %s\n",
		len(ids), *nNotes, len(sessions), time.Since(t).Round(time.Millisecond))
	return sessions, ids, nil
}

// runPocketBase runs the peer mixes for the read and write mixes among *mixes,
// in the same order, and prints them beside nabij's.
func runPocketBase(bin, tmp string, nabij []result) error {
	pb := &pocketBase{bin: bin, dir: filepath.Join(tmp, "pb_data"), hc: newHTTPClient(*concurrency, nil)}
	defer func() {
		if pb.srv != nil {
			pb.srv.kill()
		}
	}()
	users, clients, err := pb.setUp(tmp)
	if err != nil {
		return err
	}
	reads := make([]string, len(clients))
	for i, id := range clients {
		reads[i] = "/api/collections/notes/records?filter=" + url.QueryEscape("(client='"+id+"')") +
			fmt.Sprintf("&perPage=%d&sort=-created", records.DefaultFilePage) // the page nabij's read returns
	}
	var first struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := pb.call("GET", reads[0], users[0].access, nil, &first); err != nil {
		return err
	}
	if want := min(*nNotes, records.DefaultFilePage); len(first.Items) != want {
		return fmt.Errorf("a client's notes: %d, want %d", len(first.Items), want)
	}
	fmt.Println()

	srvs := servers{pb.srv}
	var results []result
	var acked atomic.Int64
	for _, mix := range strings.Split(*mixes, ",") {
		switch strings.TrimSpace(mix) {
		case "read":
			results = append(results, runMix("pb-read", pb.hc, srvs, func(rng *rand.Rand) request {
				return request{method: "GET", path: reads[rng.IntN(len(reads))], sess: users[rng.IntN(len(users))], want: 200}
			}, nil))
		case "write":
			results = append(results, runMix("pb-write", pb.hc, srvs, func(rng *rand.Rand) request {
				body, _ := json.Marshal(map[string]string{"client": clients[rng.IntN(len(clients))], "body": corpus.NoteBody(rng)})
				return request{method: "POST", path: "/api/collections/notes/records", body: body, sess: users[rng.IntN(len(users))], want: 200}
			}, func([]byte) { acked.Add(1) }))
		}
	}
	lifetimePeak := max(pb.srv.maxRSS, pb.srv.peakRSS())
	notes, err := pb.total("notes")
	if err != nil {
		return err
	}
	time.Sleep(4 * time.Second) // PocketBase writes its request log in batches, at the latest every 3 s
	logRows, err := pb.total("logs")
	if err != nil {
		return err
	}
	if err := pb.srv.stop(); err != nil {
		fmt.Println("pocketbase stop:", err)
	}

	fmt.Println()
	printTable(results)
	fmt.Printf("pocketbase peak RSS over the whole run (seed included): %.1f MiB\n", float64(lifetimePeak)/(1<<20))
	printErrors(results)
	seeded := *nClients * *nNotes
	fmt.Printf("pocketbase notes: %d seeded + %d acknowledged = %d; in the collection: %d; its request log: %d rows\n",
		seeded, acked.Load(), seeded+int(acked.Load()), notes, logRows)

	fmt.Printf("\n%-6s %11s %9s %8s %10s %9s %10s %9s %11s %9s %10s %9s\n", "mix", "nabij req/s", "PB req/s", "nabij/PB",
		"nabij p50", "PB p50", "nabij p99", "PB p99", "nabij CPU/r", "PB CPU/r", "nabij RSS", "PB RSS")
	for _, p := range results {
		name := strings.TrimPrefix(p.name, "pb-")
		for _, n := range nabij {
			if n.name != name {
				continue
			}
			fmt.Printf("%-6s %11.0f %9.0f %8.2f %10s %9s %10s %9s %11s %9s %10s %9s\n", name, n.rate(), p.rate(), n.rate()/p.rate(),
				ms(n.pct(50)), ms(p.pct(50)), ms(n.pct(99)), ms(p.pct(99)), us(n.cpuPerRequest()), us(p.cpuPerRequest()),
				mib(n.peakRSS), mib(p.peakRSS))
		}
	}
	if seeded+int(acked.Load()) != notes {
		return fmt.Errorf("pocketbase holds %d notes, want %d", notes, seeded+int(acked.Load()))
	}
	return nil
}

func us(d time.Duration) string { return fmt.Sprintf("%.0fµs", float64(d.Microseconds())) }

func mib(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }
