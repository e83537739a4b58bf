package main

import (
	"context"
	"fmt"
	"os"

	"github.com/placematch/placematch/api"
)

// runTranslations checks a council's translations of the child's pages before they are put in
// the directory serve reads (--child-languages-dir; docs/languages.md): every key of English
// there, no other, the same placeholders, the language's plural forms, no HTML, and who
// reviewed it and when. `translations english` prints the English source to translate from.
func runTranslations(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "translations", "translations check FILE... | translations english")
	if err := parse(e, fs, args, 1<<20); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		fs.Usage()
		return usageError{"translations: say check FILE... or english"}
	}
	switch rest[0] {
	case "english":
		b, err := api.EnglishMessages()
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(b)
		return err
	case "check":
	default:
		fs.Usage()
		return usageError{fmt.Sprintf("translations: unknown %q: say check FILE... or english", rest[0])}
	}
	if len(rest) < 2 {
		return usageError{"translations check: name the file(s) to check"}
	}
	bad := 0
	for _, name := range rest[1:] {
		b, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("translations check: %w", err)
		}
		ps, err := api.CheckTranslation(name, b)
		if err != nil {
			return err
		}
		for _, p := range ps {
			fmt.Fprintln(e.stdout, p)
		}
		if len(ps) == 0 {
			fmt.Fprintf(e.stdout, "%s: ok\n", name)
		}
		bad += len(ps)
	}
	if bad > 0 {
		return fmt.Errorf("translations check: %d problem(s): the service will not start with these files until they are put right", bad)
	}
	return nil
}
