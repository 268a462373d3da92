// Command nabij is the privacy-aware case-notes tool for blended social work:
// one binary that serves the API and the pages, and the commands to run it.
//
//	nabij demo    [--addr 127.0.0.1:8080] [--data DIR]   seeded demo (temp dir when no --data)
//	nabij serve   [--addr ADDR] --data DIR               the real server
//	nabij user add|list|disable ...  --data DIR          accounts
//	nabij migrate --data DIR                             apply schema migrations
//	nabij verify-log --data DIR                          check the access log (exit 1 when broken)
//	nabij rotate-key --data DIR [--retire]               new master key version, re-wrap data keys
//	nabij backup --data DIR FILE                         online, consistent copy of the database
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "nabij:", err)
		var ec exitCoder
		if asExit(err, &ec) {
			os.Exit(ec.ExitCode())
		}
		os.Exit(1)
	}
}
