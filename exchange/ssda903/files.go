package ssda903

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// MaxFileBytes bounds one file of a return read by FilesIn: a large council's Episodes file of
// ten years is a few megabytes.
const MaxFileBytes = 64 << 20

// FilesIn reads the return's files in a folder: every .csv file whose name says Header or
// Episodes (see File); the others (a README, a licence) are left alone. It is an error when
// there is none.
func FilesIn(fsys fs.FS) ([]File, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("ssda903: read the folder: %w", err)
	}
	var files []File
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.EqualFold(path.Ext(name), ".csv") {
			continue
		}
		if _, ok := kindOf(name); !ok {
			continue
		}
		if info, err := e.Info(); err == nil && info.Size() > MaxFileBytes {
			return nil, fmt.Errorf("ssda903: %s is larger than %d bytes", name, MaxFileBytes)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("ssda903: read %s: %w", name, err)
		}
		files = append(files, File{Name: name, R: bytes.NewReader(b)})
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("ssda903: the folder has no Header or Episodes .csv file")
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	return files, nil
}
