package catalogue

import (
	"fmt"
	"unicode/utf8"
)

// TextProblem says what makes s unfit to be kept as text, or "" when it is fit. Text must be
// UTF-8 and hold no control character but tab and newline: PostgreSQL cannot store U+0000 at
// all, and the others (U+0001 to U+001F, U+007F, U+0080 to U+009F) are invisible, mean nothing
// in a record about a child or a home, and can break the files and pages the text is shown in.
// U+FFFD is refused too: it is what a decoder leaves where bytes were not UTF-8 or a \u escape
// was an unpaired surrogate, so text holding it has already lost something. Line and paragraph
// separators (U+2028, U+2029) and the other format characters are accepted: they are text, and
// every output the service writes escapes or shows them safely.
//
// The message names the character and its position (counted in characters from 1), so that a
// person can find what they cannot see.
func TextProblem(s string) string {
	i := 0
	for ; i < len(s); i++ { // the common case: printable ASCII, tabs and newlines
		if b := s[i]; b >= utf8.RuneSelf || (b < ' ' && b != '\t' && b != '\n') || b == 0x7f {
			break
		}
	}
	if i == len(s) {
		return ""
	}
	pos := i // every byte before i is one character
	for _, r := range s[i:] {
		pos++
		switch {
		case r == utf8.RuneError:
			if !utf8.ValidString(s) {
				return "must be valid UTF-8 text"
			}
			return fmt.Sprintf("must not hold U+FFFD (at character %d), the mark of text that was not valid UTF-8 where it came from", pos)
		case r == '\t' || r == '\n':
		case r < ' ' || (r >= 0x7f && r <= 0x9f):
			return fmt.Sprintf("must not hold control characters: U+%04X at character %d (only tab and newline are allowed)", r, pos)
		}
	}
	return ""
}
