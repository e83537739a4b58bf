package ssda903

// Years is the first and last collection year the files' names give (0, 0 when none does). The
// return of year Y covers 1 April Y to 31 March Y+1, as the sample's files do.
func Years(files []File) (first, last int) {
	for _, f := range files {
		y := yearOf(f.Name)
		if y == 0 {
			continue
		}
		if first == 0 || y < first {
			first = y
		}
		last = max(last, y)
	}
	return first, last
}
