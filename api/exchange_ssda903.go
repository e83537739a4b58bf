package api

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/exchange"
	"github.com/placematch/placematch/exchange/ssda903"
)

// ssda903Result says what an SSDA903 import read, wrote, dropped and where homes fell back.
type ssda903Result struct {
	Council                 string         `json:"council"`
	Files                   []ssda903File  `json:"files"`
	Children                int            `json:"children"`
	Episodes                int            `json:"episodes"`
	OpenEpisodes            int            `json:"open_episodes"`
	RowsReplaced            int            `json:"rows_replaced"`
	ChildrenWithoutEpisodes int            `json:"children_without_episodes"`
	HomesInDistrict         int            `json:"homes_in_district"`
	HomesAtCouncilCentre    int            `json:"homes_at_council_centre"`
	Dropped                 map[string]int `json:"dropped"`
	OpenCodesIgnored        int            `json:"open_codes_ignored"`
	StandInReasons          int            `json:"stand_in_reasons"`
	OverlapsTrimmed         int            `json:"overlaps_trimmed"`
	CeasedMismatches        int            `json:"ceased_mismatches"`
}

type ssda903File struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	Rows int    `json:"rows"`
}

// districtsPart is the form field (or, in a zip, the file whose name holds "district") of the
// optional postcode-district file.
const districtsPart = "postcode_districts"

// importSSDA903 imports a council's SSDA903 return: its Header and Episodes files, any years,
// as a multipart form (a file part each, named by its file name) or as one zip, with an
// optional postcode-district file. Every row valid, or nothing written; a bad return is
// answered with its problems by file ("FILE:COLUMN") and row.
func (s *server) importSSDA903(c *gin.Context) error {
	q := newQuery(c)
	council := catalogue.CouncilCode(q.str("council"))
	if !council.Valid() {
		q.fail("council", "is required: the ONS code of the council whose return it is")
	}
	opt := ssda903.Options{Council: council, TrimOverlaps: q.bool("trim_overlaps")}
	if err := q.err(); err != nil {
		return err
	}
	files, districts, err := s.returnFiles(c)
	if err != nil {
		return err
	}
	if districts != nil {
		if opt.Districts, err = ssda903.ReadDistricts(districts.Name, districts.R); err != nil {
			return err
		}
	}
	d, err := ssda903.Decode(files, opt)
	if err != nil {
		return err
	}
	if _, err := s.store.Import(c.Request.Context(), d.Batch); err != nil {
		return d.Locate(err)
	}
	r := d.Report
	out := ssda903Result{Council: string(r.Council), Children: r.Children, Episodes: r.Episodes, OpenEpisodes: r.OpenEpisodes,
		RowsReplaced: r.RowsReplaced, ChildrenWithoutEpisodes: r.ChildrenWithoutEpisodes, HomesInDistrict: r.HomesInDistrict,
		HomesAtCouncilCentre: r.HomesAtCouncilCentre, Dropped: r.Dropped, OpenCodesIgnored: r.OpenCodesIgnored,
		StandInReasons: r.StandInReasons, OverlapsTrimmed: r.OverlapsTrimmed, CeasedMismatches: r.CeasedMismatches}
	for _, f := range r.Files {
		out.Files = append(out.Files, ssda903File{Name: f.Name, Kind: f.Kind, Rows: f.Rows})
	}
	c.JSON(http.StatusCreated, out)
	return nil
}

// returnFiles reads the files of a return from a multipart form or a zip, and the district
// file when one is given.
func (s *server) returnFiles(c *gin.Context) (files []ssda903.File, districts *ssda903.File, err error) {
	if c.Request.ContentLength > s.maxImport {
		return nil, nil, s.importTooLarge()
	}
	body, err := io.ReadAll(importBody{c.Request.Body})
	if err != nil {
		if errors.Is(err, exchange.ErrTooLarge) {
			return nil, nil, s.importTooLarge()
		}
		return nil, nil, err
	}
	add := func(field, name string, data []byte) {
		name = path.Base(name)
		f := ssda903.File{Name: name, R: bytes.NewReader(data)}
		switch {
		case field == districtsPart || strings.Contains(strings.ToLower(name), "district"):
			districts = &f
		case strings.EqualFold(path.Ext(name), ".csv"):
			files = append(files, f)
		}
	}
	mediaType, params, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	switch mediaType {
	case "application/zip", "application/x-zip-compressed":
		zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		if err != nil {
			return nil, nil, catalogue.Invalid("body", "must be a zip of the return's files: %v", err)
		}
		var total int64
		for _, zf := range zr.File {
			if zf.FileInfo().IsDir() {
				continue
			}
			total += int64(zf.UncompressedSize64)
			if total > s.maxImport {
				return nil, nil, s.importTooLarge()
			}
			rc, err := zf.Open()
			if err != nil {
				return nil, nil, catalogue.Invalid("body", "the zip's %s cannot be read: %v", path.Base(zf.Name), err)
			}
			data, err := io.ReadAll(io.LimitReader(rc, s.maxImport+1))
			rc.Close()
			if err != nil {
				return nil, nil, catalogue.Invalid("body", "the zip's %s cannot be read: %v", path.Base(zf.Name), err)
			}
			add("", zf.Name, data)
		}
	case "multipart/form-data":
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, nil, catalogue.Invalid("body", "must be a multipart form of the return's files: %v", err)
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return nil, nil, catalogue.Invalid("body", "must be a multipart form of the return's files: %v", err)
			}
			if part.FileName() != "" {
				add(part.FormName(), part.FileName(), data)
			}
		}
	default:
		return nil, nil, catalogue.Invalid("body", "must be a multipart form (a file part each) or a zip of the return's Header and Episodes files")
	}
	if len(files) == 0 {
		return nil, nil, catalogue.Invalid("files", "are required: the return's Header and Episodes .csv files")
	}
	return files, districts, nil
}
