// Command nabij is the privacy-aware case-notes tool for blended social work:
// one binary that serves the API and the pages (nabij serve, nabij demo), and
// the commands to run it: accounts, migrations, log verification, key
// rotation, retention runs and backups. `nabij help` lists them all; the list
// is the usage text in commands.go.
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
