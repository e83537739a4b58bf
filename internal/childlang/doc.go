// Package childlang keeps the words of the child's pages in message catalogues (issue 20, item
// 10): one JSON file a language, with named placeholders and plural forms, checked against the
// English source (every key, no other, the same placeholders, every plural form of the
// language, no HTML) and refused without a reviewer's name and date, so that no unreviewed
// machine translation reaches a child. It makes the pseudo-locales that prove no text of the
// pages is written anywhere else: en-XA (accented, lengthened, bracketed) and en-XB (the same,
// right to left).
package childlang
