package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/app/demo"
	"github.com/nabij/nabij/records/sqlite"
)

func cmdDemo(args []string) error {
	var cfg app.Config
	fs := serverFlags("demo", &cfg)
	if err := parse(fs, args, &cfg); err != nil {
		return err
	}
	if cfg.DataDir == "" {
		dir, err := os.MkdirTemp("", "nabij-demo-")
		if err != nil {
			return err
		}
		cfg.DataDir = dir
	}
	if _, err := os.Stat(sqlite.DBPath(cfg.DataDir)); err == nil && cfg.DB == "" {
		return exitError{2, cfg.DataDir + " holds a database already; serve it with: nabij serve --data " + cfg.DataDir}
	}
	srv, err := app.New(cfg)
	if err != nil {
		return err
	}
	password := demo.DemoPassword(os.Getenv("NABIJ_DEMO_PASSWORD"))
	fmt.Println("seeding the demo…")
	if err := demo.Seed(context.Background(), srv.Store, password, time.Now()); err != nil {
		srv.Shutdown(time.Second)
		return err
	}
	return serveUntilSignal(srv, cfg.Addr, func(addr string) {
		fmt.Printf("\nnabij demo on http://%s  (data in %s)\n\n", addr, cfg.DataDir)
		fmt.Println("Sign in with any of these accounts:")
		for _, l := range demo.DemoLogins {
			fmt.Printf("  %-6s  %-13s  %s\n", l.Username, l.Role, l.Note)
		}
		if os.Getenv("NABIJ_DEMO_PASSWORD") != "" {
			fmt.Println("\nPassword for every account: the value of NABIJ_DEMO_PASSWORD")
		} else {
			fmt.Printf("\nPassword for every account: %s\n", password)
		}
		fmt.Printf("API: http://%s/api/v1   OpenAPI: http://%s/api/openapi.json\n", addr, addr)
		if cfg.DB != "" {
			fmt.Printf("Serve this data again later with: nabij serve --db '%s' --data %s\n", cfg.DB, cfg.DataDir)
			return
		}
		fmt.Printf("Serve this data again later with: nabij serve --data %s\n", cfg.DataDir)
	})
}
