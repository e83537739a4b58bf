package ssda903

import (
	"io"
	"strconv"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// Districts locates postcode districts (outward codes, "LS1") at their centres.
type Districts map[string]catalogue.Location

// ReadDistricts reads a postcode-district file: a header naming the columns district (or
// postcode_district, outward_code), latitude and longitude, then a row per district (ONS
// publishes district centroids with the postcode directory). Every bad row is reported by
// row and column, with the file's name.
func ReadDistricts(name string, r io.Reader) (Districts, error) {
	out := Districts{}
	p := newProblems()
	f := File{Name: name, R: r}
	cr := newDistrictColumns()
	readAny(f, cr, p, func(row row) {
		code, ok := catalogue.OutwardCode(row.cell("DISTRICT"))
		if !ok {
			p.add(row.at, "district", "must be a postcode district (an outward code such as LS1)")
		}
		lat, errLat := strconv.ParseFloat(row.cell("LATITUDE"), 64)
		lng, errLng := strconv.ParseFloat(row.cell("LONGITUDE"), 64)
		loc := catalogue.Location{Lat: lat, Lng: lng}
		switch {
		case errLat != nil || errLng != nil:
			p.add(row.at, "latitude", "latitude and longitude must be numbers")
		case loc.Validate() != nil:
			p.add(row.at, "latitude", "must be a place in Great Britain or Ireland")
		case ok:
			out[code] = loc
		}
	})
	if err := p.issues.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// newDistrictColumns are the district file's columns, with the other names each may go by.
func newDistrictColumns() map[string]string {
	return map[string]string{
		"DISTRICT": "DISTRICT", "POSTCODE_DISTRICT": "DISTRICT", "OUTWARD_CODE": "DISTRICT", "POSTCODE": "DISTRICT",
		"LATITUDE": "LATITUDE", "LAT": "LATITUDE", "LONGITUDE": "LONGITUDE", "LONG": "LONGITUDE", "LNG": "LONGITUDE",
	}
}

// readAny reads a CSV file whose header names its columns by aliases (upper case): each row's
// cells are keyed by the column each alias stands for; other columns are ignored.
func readAny(f File, aliases map[string]string, p problems, each func(row)) {
	readCSV(f, p, func(header []string) bool {
		have := map[string]bool{}
		for i, h := range header {
			header[i] = aliases[strings.ToUpper(h)]
			have[header[i]] = true
		}
		ok := true
		for _, c := range []string{"DISTRICT", "LATITUDE", "LONGITUDE"} {
			if !have[c] {
				p.add(place{f.Name, 1}, strings.ToLower(c), "column is missing from the header")
				ok = false
			}
		}
		return ok
	}, DefaultMaxRows, each)
}
