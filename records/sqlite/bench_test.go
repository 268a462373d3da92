package sqlite_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

// note2KiB is a 2 KiB note body.
var note2KiB = string(bytes.Repeat([]byte("Huisbezoek. "), 2048/12+1)[:2048])

// benchClient opens a store with one professional and one client with a
// trajectory, ready for notes.
func benchClient(b *testing.B) (*sqlite.Store, records.Actor, string, string) {
	b.Helper()
	env := mustOpen(b)
	ctx := context.Background()
	sam := mustCreateUser(b, env.store, "sam", records.RoleProfessional, "")
	c, err := env.store.CreateClient(ctx, sam, records.NewClient{Name: "Noor Jansen", BirthDate: "1990-04-30"})
	if err != nil {
		b.Fatal(err)
	}
	tr, err := env.store.CreateTrajectory(ctx, sam, c.ID, records.NewTrajectory{Goal: "Stable housing"})
	if err != nil {
		b.Fatal(err)
	}
	return env.store, sam, c.ID, tr.ID
}

func reportPerSecond(b *testing.B, n float64, unit string) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(n/s, unit)
	}
}

// BenchmarkCreateNote writes one 2 KiB note, sealed, with its access record,
// one request at a time: each waits for its own commit (synchronous=FULL).
func BenchmarkCreateNote(b *testing.B) {
	s, sam, clientID, trID := benchClient(b)
	ctx := context.Background()
	in := records.NewNote{TrajectoryID: trID, Body: note2KiB, Visibility: records.VisibilityShared}
	b.SetBytes(int64(len(note2KiB)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.CreateNote(ctx, sam, clientID, in); err != nil {
			b.Fatal(err)
		}
	}
	reportPerSecond(b, float64(b.N), "notes/s")
}

// BenchmarkCreateNoteParallel is the same write from many goroutines at once
// (16 per CPU): the group committer puts concurrent writes in one transaction
// and one fsync.
func BenchmarkCreateNoteParallel(b *testing.B) {
	s, sam, clientID, trID := benchClient(b)
	ctx := context.Background()
	in := records.NewNote{TrajectoryID: trID, Body: note2KiB, Visibility: records.VisibilityShared}
	b.SetBytes(int64(len(note2KiB)))
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.CreateNote(ctx, sam, clientID, in); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportPerSecond(b, float64(b.N), "notes/s")
}

// BenchmarkClientFile50 reads a client's file of 50 notes of 2 KiB: the rows,
// the access record (with its commit), and opening every sealed field.
func BenchmarkClientFile50(b *testing.B) {
	s, sam, clientID, trID := benchClient(b)
	ctx := context.Background()
	for i := range 50 {
		in := records.NewNote{TrajectoryID: trID, Body: fmt.Sprintf("%02d %s", i, note2KiB[3:]), Visibility: records.VisibilityShared}
		if _, err := s.CreateNote(ctx, sam, clientID, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		f, err := s.ClientFile(ctx, sam, records.PurposeCare, clientID)
		if err != nil {
			b.Fatal(err)
		}
		if len(f.Notes) != 50 {
			b.Fatalf("%d notes", len(f.Notes))
		}
	}
	reportPerSecond(b, float64(b.N), "files/s")
	reportPerSecond(b, float64(b.N*50), "notes/s")
}

// BenchmarkVerify200k verifies an access log of at least 200,000 records
// (with a signed checkpoint every 1,000). The log is written through the
// real path: a professional with 500 clients opens the caseload overview
// 399 times, and each overview writes one read record per client listed.
func BenchmarkVerify200k(b *testing.B) {
	const clients, want = 500, 200_000
	env := mustOpen(b)
	s, ctx := env.store, context.Background()
	sam := mustCreateUser(b, s, "sam", records.RoleProfessional, "")
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for i := range clients {
		wg.Go(func() {
			if _, err := s.CreateClient(ctx, sam, records.NewClient{Name: fmt.Sprintf("Client %03d", i)}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	calls := make(chan struct{}, (want-clients)/clients)
	for range cap(calls) {
		calls <- struct{}{}
	}
	close(calls)
	for range 8 {
		wg.Go(func() {
			for range calls {
				if _, err := s.Caseload(ctx, sam); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	var rep records.VerifyReport
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		var err error
		if rep, err = s.VerifyAccessLog(ctx, nil); err != nil {
			b.Fatal(err)
		}
	}
	// The users and clients made add their own records to the overviews'.
	if !rep.OK || rep.Records < want || rep.Checkpoints == 0 {
		b.Fatalf("report %+v", rep)
	}
	reportPerSecond(b, float64(rep.Records)*float64(b.N), "records/s")
	// On a shared machine the wall clock counts other people's work; CPU
	// time used by this process is steadier.
	if c := (cpuTime() - cpu).Seconds(); c > 0 {
		b.ReportMetric(float64(rep.Records)*float64(b.N)/c, "records/cpu-s")
	}
}

// cpuTime is the user and system CPU time this process used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkFileReadPage reads the latest page (50 notes of 2 KiB) of a file
// of 50 and of one of 5,000 notes: the cost of a read must not grow with the
// file. Each reports its ns per read as read-ns, to compare side by side.
func BenchmarkFileReadPage(b *testing.B) {
	for _, n := range []int{50, 5000} {
		b.Run(fmt.Sprintf("notes=%d", n), func(b *testing.B) {
			s, sam, clientID, _ := fileWithNotes(b, n, note2KiB[6:])
			ctx := context.Background()
			p := records.FilePage{Limit: records.DefaultFilePage}
			b.ReportAllocs()
			for b.Loop() {
				f, err := s.ClientFilePage(ctx, sam, records.PurposeCare, clientID, p)
				if err != nil {
					b.Fatal(err)
				}
				if len(f.Notes) != 50 {
					b.Fatalf("%d notes", len(f.Notes))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "read-ns")
			reportPerSecond(b, float64(b.N), "files/s")
		})
	}
	// For comparison, the whole file of 5,000 notes (ClientFile, as before
	// files had pages).
	b.Run("whole=5000", func(b *testing.B) {
		s, sam, clientID, _ := fileWithNotes(b, 5000, note2KiB[6:])
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.ClientFile(ctx, sam, records.PurposeCare, clientID); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "read-ns")
	})
}

// BenchmarkFileReadParallel reads the latest page (50 notes of 2 KiB) of one
// file from 16 goroutines per CPU: with reads on the writer every read waits
// for the one writer connection; in snapshots they run on the readers and
// only their access records share the writer's batches.
func BenchmarkFileReadParallel(b *testing.B) {
	for _, mode := range []struct {
		name     string
		onWriter bool
	}{{"on-writer", true}, {"snapshot", false}} {
		b.Run(mode.name, func(b *testing.B) {
			s, sam, clientID, _ := fileWithNotes(b, 50, note2KiB[6:], func(o *sqlite.Options) { o.ReadsOnWriter = mode.onWriter })
			ctx := context.Background()
			b.SetParallelism(16)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.ClientFilePage(ctx, sam, records.PurposeCare, clientID, records.FilePage{}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			reportPerSecond(b, float64(b.N), "files/s")
		})
	}
}
