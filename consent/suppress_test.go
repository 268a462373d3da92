package consent_test

import (
	"math/big"
	"math/rand"
	"testing"

	"github.com/nabij/nabij/consent"
)

// randomGrid makes a table of 1–6 rows and columns with many small and zero
// cells; small means 0 < n < K, for cells and totals alike.
func randomGrid(rng *rand.Rand) consent.Grid {
	R, C := 1+rng.Intn(6), 1+rng.Intn(6)
	g := consent.Grid{Cells: make([][]int, R), Small: make([][]bool, R), RowSmall: make([]bool, R), ColSmall: make([]bool, C)}
	small := func(n int) bool { return n > 0 && n < consent.K }
	cols := make([]int, C)
	total := 0
	for r := range g.Cells {
		g.Cells[r], g.Small[r] = make([]int, C), make([]bool, C)
		row := 0
		for c := range g.Cells[r] {
			var v int
			switch rng.Intn(4) {
			case 0:
				v = 0
			case 1:
				v = 1 + rng.Intn(consent.K-1)
			default:
				v = rng.Intn(40)
			}
			g.Cells[r][c], g.Small[r][c] = v, small(v)
			row += v
			cols[c] += v
		}
		g.RowSmall[r] = small(row)
		total += row
	}
	for c := range cols {
		g.ColSmall[c] = small(cols[c])
	}
	g.TotalSmall = small(total)
	return g
}

// determined works out, by exact linear algebra and independently of the
// algorithm, which hidden entries of the augmented table (cells with their
// row, column and grand totals) the published entries fix: an unknown is fixed
// when every solution of the homogeneous system has a zero there.
func determined(g consent.Grid, h consent.Hidden) [][]bool {
	R, C := len(g.Cells), len(g.Cells[0])
	hid := func(r, c int) bool {
		switch {
		case r < R && c < C:
			return h.Cells[r][c]
		case r < R:
			return h.Rows[r]
		case c < C:
			return h.Cols[c]
		}
		return h.Total
	}
	idx := map[[2]int]int{}
	var unknowns [][2]int
	for r := 0; r <= R; r++ {
		for c := 0; c <= C; c++ {
			if hid(r, c) {
				idx[[2]int{r, c}] = len(unknowns)
				unknowns = append(unknowns, [2]int{r, c})
			}
		}
	}
	n := len(unknowns)
	out := make([][]bool, R+1)
	for r := range out {
		out[r] = make([]bool, C+1)
	}
	if n == 0 {
		return out
	}
	// One equation per line: the line's cells minus its total.
	var rows [][]*big.Rat
	eq := func(cells [][2]int, total [2]int) {
		e := make([]*big.Rat, n)
		for i := range e {
			e[i] = new(big.Rat)
		}
		any := false
		for _, k := range cells {
			if i, ok := idx[k]; ok {
				e[i].Add(e[i], big.NewRat(1, 1))
				any = true
			}
		}
		if i, ok := idx[total]; ok {
			e[i].Sub(e[i], big.NewRat(1, 1))
			any = true
		}
		if any {
			rows = append(rows, e)
		}
	}
	for r := 0; r <= R; r++ {
		var cells [][2]int
		for c := 0; c < C; c++ {
			cells = append(cells, [2]int{r, c})
		}
		eq(cells, [2]int{r, C})
	}
	for c := 0; c <= C; c++ {
		var cells [][2]int
		for r := 0; r < R; r++ {
			cells = append(cells, [2]int{r, c})
		}
		eq(cells, [2]int{R, c})
	}
	// Reduced row echelon form.
	pivotOf := make([]int, 0)
	lead := 0
	for col := 0; col < n && lead < len(rows); col++ {
		p := -1
		for i := lead; i < len(rows); i++ {
			if rows[i][col].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		rows[lead], rows[p] = rows[p], rows[lead]
		inv := new(big.Rat).Inv(rows[lead][col])
		for j := range rows[lead] {
			rows[lead][j].Mul(rows[lead][j], inv)
		}
		for i := range rows {
			if i == lead || rows[i][col].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(rows[i][col])
			for j := range rows[i] {
				rows[i][j].Sub(rows[i][j], new(big.Rat).Mul(f, rows[lead][j]))
			}
		}
		pivotOf = append(pivotOf, col)
		lead++
	}
	isPivot := map[int]int{}
	for i, col := range pivotOf {
		isPivot[col] = i
	}
	for col, k := range unknowns {
		i, ok := isPivot[col]
		if !ok {
			continue // a free unknown
		}
		fixed := true
		for j := range rows[i] {
			if _, piv := isPivot[j]; !piv && rows[i][j].Sign() != 0 {
				fixed = false
			}
		}
		out[k[0]][k[1]] = fixed
	}
	return out
}

// TestSuppressProperties checks, over many random tables, that every small
// entry is hidden, that no line of the table with its totals has exactly one
// hidden entry, and — by exact linear algebra — that no hidden entry can be
// worked out from the published cells and totals.
func TestSuppressProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(20261202))
	for n := 0; n < 3000; n++ {
		g := randomGrid(rng)
		h := consent.SuppressGrid(g)
		R, C := len(g.Cells), len(g.Cells[0])
		for r := 0; r < R; r++ {
			for c := 0; c < C; c++ {
				if g.Small[r][c] && !h.Cells[r][c] {
					t.Fatalf("table %d: small cell (%d,%d) published: %v", n, r, c, g.Cells)
				}
			}
			if g.RowSmall[r] && !h.Rows[r] {
				t.Fatalf("table %d: small row total %d published", n, r)
			}
		}
		for c := 0; c < C; c++ {
			if g.ColSmall[c] && !h.Cols[c] {
				t.Fatalf("table %d: small column total %d published", n, c)
			}
		}
		if g.TotalSmall && !h.Total {
			t.Fatalf("table %d: small grand total published", n)
		}
		for r := 0; r <= R; r++ {
			k := 0
			for c := 0; c <= C; c++ {
				if hiddenAt(h, R, C, r, c) {
					k++
				}
			}
			if k == 1 {
				t.Fatalf("table %d: row %d has exactly one hidden entry: %v %+v", n, r, g.Cells, h)
			}
		}
		for c := 0; c <= C; c++ {
			k := 0
			for r := 0; r <= R; r++ {
				if hiddenAt(h, R, C, r, c) {
					k++
				}
			}
			if k == 1 {
				t.Fatalf("table %d: column %d has exactly one hidden entry: %v %+v", n, c, g.Cells, h)
			}
		}
		fixed := determined(g, h)
		for r := range fixed {
			for c := range fixed[r] {
				if fixed[r][c] {
					t.Fatalf("table %d: hidden entry (%d,%d) follows from the published ones: cells %v hidden %+v", n, r, c, g.Cells, h)
				}
			}
		}
	}
}

func hiddenAt(h consent.Hidden, R, C, r, c int) bool {
	switch {
	case r < R && c < C:
		return h.Cells[r][c]
	case r < R:
		return h.Rows[r]
	case c < C:
		return h.Cols[c]
	}
	return h.Total
}

// TestSuppressExamples: tables where the answer is known by hand.
func TestSuppressExamples(t *testing.T) {
	cases := []struct {
		name  string
		cells [][]int
		want  [][]bool // cells only
	}{
		{"NothingSmall", [][]int{{10, 20}, {30, 40}}, [][]bool{{false, false}, {false, false}}},
		// The 2 is small; the 9 beside it and the 8 below it hide with it, and
		// the 30 to close the cycle.
		{"OneSmall", [][]int{{2, 9}, {8, 30}}, [][]bool{{true, true}, {true, true}}},
		{"ZerosStayPublished", [][]int{{0, 10}, {10, 10}}, [][]bool{{false, false}, {false, false}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := consent.Grid{Cells: tc.cells, Small: make([][]bool, len(tc.cells))}
			for r := range tc.cells {
				g.Small[r] = make([]bool, len(tc.cells[r]))
				for c, v := range tc.cells[r] {
					g.Small[r][c] = v > 0 && v < consent.K
				}
			}
			h := consent.SuppressGrid(g)
			for r := range tc.want {
				for c := range tc.want[r] {
					if h.Cells[r][c] != tc.want[r][c] {
						t.Errorf("cell (%d,%d) hidden %v, want %v (%+v)", r, c, h.Cells[r][c], tc.want[r][c], h)
					}
				}
			}
		})
	}
}
