package app

import (
	"context"
	"time"

	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
)

// RetentionEvery is how often the server runs retention by itself; the first
// run comes RetentionFirstAfter the start.
var (
	RetentionEvery      = 24 * time.Hour
	RetentionFirstAfter = time.Minute
)

// startRetentionSchedule runs retention daily inside the server (no cron job
// to forget),
// until Shutdown. Each run logs counts only, never content or ids.
func (s *Server) startRetentionSchedule() {
	go func() {
		timer := time.NewTimer(RetentionFirstAfter)
		defer timer.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-timer.C:
			}
			s.retentionOnce()
			timer.Reset(RetentionEvery)
		}
	}()
}

// retentionOnce runs the day's retention if no other instance has taken the
// day's turn (consent.RetentionDayTurn), and reports whether it ran. The
// first instance to take it keeps it for RetentionEvery, so with several
// instances behind a load balancer retention runs about once a day, not once
// per instance; the run itself also holds consent.RetentionTurn, which keeps
// it apart from a run started by hand.
func (s *Server) retentionOnce() bool {
	ctx, cancel := context.WithTimeout(context.Background(), consent.RetentionTurnFor)
	defer cancel()
	now := s.cfg.Now()
	if err := s.Store.TakeTurn(ctx, consent.RetentionDayTurn, s.instance, now, now.Add(RetentionEvery)); err != nil {
		if records.ErrorCode(err) != records.ECONFLICT {
			s.cfg.Logf("retention run not started: %v", err)
		}
		return false
	}
	rep, err := s.consent().Run(ctx, false)
	if err != nil {
		s.cfg.Logf("retention run failed: %v", err)
		// Give the day's turn back, so that this instance or another tries
		// again at its next turn instead of a day later.
		if err := s.Store.EndTurn(context.WithoutCancel(ctx), consent.RetentionDayTurn, s.instance, s.cfg.Now()); err != nil {
			s.cfg.Logf("retention: the day's turn was not given back: %v", err)
		}
		return false
	}
	destroyed, held := rep.Totals()
	if destroyed > 0 || held > 0 {
		s.cfg.Logf("retention run %s: %d clients checked, %d records destroyed, %d held, %d keys destroyed",
			rep.RunID, rep.ClientsChecked, destroyed, held, rep.KeysDestroyed)
	}
	return true
}

// consent is the consent and retention policy over the server's store, on the
// server's clock.
func (s *Server) consent() *consent.Service { return consent.New(s.Store, s.cfg.Now) }
