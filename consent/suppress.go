package consent

import "sort"

// Grid is a two-way table to publish with its row, column and grand totals:
// Cells[r][c], and which entries are small (primary suppression: fewer than K
// people behind them). Small* mark the cells, the row totals, the column
// totals and the grand total.
type Grid struct {
	Cells      [][]int
	Small      [][]bool
	RowSmall   []bool
	ColSmall   []bool
	TotalSmall bool
}

// Hidden says which entries of a Grid are not published: the cells, the row
// totals, the column totals and the grand total.
type Hidden struct {
	Cells [][]bool
	Rows  []bool
	Cols  []bool
	Total bool
}

// SuppressGrid hides the small entries of g and then enough others that no hidden
// entry can be worked out from the published ones and the totals.
//
// The grid with its totals is the augmented table A of (R+1)×(C+1) entries,
// where each row of entries sums to its last entry and each column likewise.
// Seen as a bipartite graph — a node per line (row or column of A), an edge
// per hidden entry joining its row and its column — a hidden entry's value is
// fixed by the published ones exactly when its edge is a bridge (on no cycle):
// cutting it splits the hidden entries into two groups, and summing the
// equations of one group's lines leaves that entry alone. So:
//
//  1. every line with exactly one hidden entry hides one more (its smallest
//     non-zero published cell, else a zero cell, else its total) until none is
//     left with one;
//  2. every remaining bridge (r, c) — which now joins two parts that each have
//     a row and a column — gets a hidden entry from a row of c's part to a
//     column of r's part, which puts it on a cycle; adding edges makes no new
//     bridges.
//
// Both steps repeat until neither changes anything. Zero cells are never small.
func SuppressGrid(g Grid) Hidden {
	R := len(g.Cells)
	C := 0
	if R > 0 {
		C = len(g.Cells[0])
	}
	// The augmented table: value and hidden flag of every entry.
	val := make([][]int, R+1)
	hid := make([][]bool, R+1)
	for r := range val {
		val[r] = make([]int, C+1)
		hid[r] = make([]bool, C+1)
	}
	for r := 0; r < R; r++ {
		for c := 0; c < C; c++ {
			v := g.Cells[r][c]
			val[r][c] = v
			val[r][C] += v
			val[R][c] += v
			val[R][C] += v
			hid[r][c] = v > 0 && at(g.Small, r, c)
		}
		hid[r][C] = val[r][C] > 0 && r < len(g.RowSmall) && g.RowSmall[r]
	}
	for c := 0; c < C; c++ {
		hid[R][c] = val[R][c] > 0 && c < len(g.ColSmall) && g.ColSmall[c]
	}
	hid[R][C] = val[R][C] > 0 && g.TotalSmall

	// rank orders the candidates to hide next: interior non-zero cells by
	// value, then interior zero cells, then totals.
	rank := func(r, c int) [3]int {
		total := 0
		if r == R || c == C {
			total = 1
		}
		zero := 0
		if val[r][c] == 0 {
			zero = 1
		}
		return [3]int{total, zero, val[r][c]}
	}
	less := func(a, b [3]int) bool {
		for i := range a {
			if a[i] != b[i] {
				return a[i] < b[i]
			}
		}
		return false
	}
	if R == 0 || C == 0 {
		return hidden(hid, R, C)
	}
	for changed := true; changed; {
		changed = false
		// Step 1: lines with exactly one hidden entry.
		for again := true; again; {
			again = false
			for r := 0; r <= R; r++ {
				if n := countRow(hid, r); n == 1 {
					best := -1
					for c := 0; c <= C; c++ {
						if !hid[r][c] && (best < 0 || less(rank(r, c), rank(r, best))) {
							best = c
						}
					}
					hid[r][best] = true
					again, changed = true, true
				}
			}
			for c := 0; c <= C; c++ {
				if n := countCol(hid, c); n == 1 {
					best := -1
					for r := 0; r <= R; r++ {
						if !hid[r][c] && (best < 0 || less(rank(r, c), rank(best, c))) {
							best = r
						}
					}
					hid[best][c] = true
					again, changed = true, true
				}
			}
		}
		// Step 2: bridges.
		if r, c, ok := findBridge(hid); ok {
			hid[r][c] = false
			side := component(hid, r) // rows and columns still joined to row r
			hid[r][c] = true
			br, bc := -1, -1
			for rr := 0; rr <= R; rr++ {
				if side.rows[rr] {
					continue // a row of c's part
				}
				for cc := 0; cc <= C; cc++ {
					if !side.cols[cc] || hid[rr][cc] {
						continue // a column of r's part
					}
					if br < 0 || less(rank(rr, cc), rank(br, bc)) {
						br, bc = rr, cc
					}
				}
			}
			if br >= 0 {
				hid[br][bc] = true
				changed = true
			}
		}
	}
	return hidden(hid, R, C)
}

func at(m [][]bool, r, c int) bool { return r < len(m) && c < len(m[r]) && m[r][c] }

func countRow(hid [][]bool, r int) int {
	n := 0
	for _, h := range hid[r] {
		if h {
			n++
		}
	}
	return n
}

func countCol(hid [][]bool, c int) int {
	n := 0
	for r := range hid {
		if hid[r][c] {
			n++
		}
	}
	return n
}

type part struct{ rows, cols []bool }

// component returns the lines joined to row r by hidden entries.
func component(hid [][]bool, r int) part {
	p := part{rows: make([]bool, len(hid)), cols: make([]bool, len(hid[0]))}
	p.rows[r] = true
	queue := []int{r} // rows as r, columns as -1-c
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n >= 0 {
			for c, h := range hid[n] {
				if h && !p.cols[c] {
					p.cols[c] = true
					queue = append(queue, -1-c)
				}
			}
			continue
		}
		c := -1 - n
		for rr := range hid {
			if hid[rr][c] && !p.rows[rr] {
				p.rows[rr] = true
				queue = append(queue, rr)
			}
		}
	}
	return p
}

// findBridge returns a hidden entry on no cycle of hidden entries, the first
// in reading order. Tables here are small: removing each edge and asking
// whether its ends stay joined is quick enough and plainly right.
func findBridge(hid [][]bool) (int, int, bool) {
	for r := range hid {
		for c := range hid[r] {
			if !hid[r][c] {
				continue
			}
			hid[r][c] = false
			joined := component(hid, r).cols[c]
			hid[r][c] = true
			if !joined {
				return r, c, true
			}
		}
	}
	return 0, 0, false
}

func hidden(hid [][]bool, R, C int) Hidden {
	h := Hidden{Cells: make([][]bool, R), Rows: make([]bool, R), Cols: make([]bool, C), Total: hid[R][C]}
	for r := 0; r < R; r++ {
		h.Cells[r] = append([]bool(nil), hid[r][:C]...)
		h.Rows[r] = hid[r][C]
	}
	for c := 0; c < C; c++ {
		h.Cols[c] = hid[R][c]
	}
	return h
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
