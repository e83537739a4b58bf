package exchange

// EscapeCell makes a text cell safe to open in a spreadsheet, as this package's CSV files do:
// a cell that starts with a formula character (= + - @, tab, carriage return) gets a leading
// apostrophe, and so does one that already starts with an apostrophe before such a character.
// Other packages that write CSV (the sufficiency export) use it so that every file placematch
// writes is escaped alike.
func EscapeCell(s string) string { return escapeCell(s) }
