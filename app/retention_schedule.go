package app

import (
	"context"
	"time"

	"github.com/nabij/nabij/consent"
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

func (s *Server) retentionOnce() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	rep, err := s.consent().Run(ctx, false)
	if err != nil {
		s.cfg.Logf("retention run failed: %v", err)
		return
	}
	destroyed, held := rep.Totals()
	if destroyed > 0 || held > 0 {
		s.cfg.Logf("retention run %s: %d clients checked, %d records destroyed, %d held, %d keys destroyed",
			rep.RunID, rep.ClientsChecked, destroyed, held, rep.KeysDestroyed)
	}
}

// consent is the consent and retention policy over the server's store, on the
// server's clock.
func (s *Server) consent() *consent.Service { return consent.New(s.Store, s.cfg.Now) }
