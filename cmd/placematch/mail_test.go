package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeRefusesBadSMTPSettings: an SMTP server set badly is a usage error naming the option,
// before any store is opened; serve --help lists the mail options with their variables.
func TestServeRefusesBadSMTPSettings(t *testing.T) {
	t.Parallel()
	var help syncBuffer
	if err := run(context.Background(), []string{"serve", "--help"}, envFunc(nil), nil, io.Discard, &help); exitCode(err) != 2 {
		t.Fatalf("serve --help: %v", err)
	}
	for _, opt := range []string{"smtp-host", "smtp-port", "smtp-from", "smtp-tls", "smtp-username", "notify-max-attempts", "notify-backoff"} {
		if !strings.Contains(help.String(), "--"+opt+" ") || !strings.Contains(help.String(), "[env "+envName(opt)+"]") {
			t.Errorf("serve --help does not list --%s with %s", opt, envName(opt))
		}
	}
	db := filepath.Join(t.TempDir(), "never.db")
	for _, c := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"PLACEMATCH_SMTP_HOST": "mail.example.org"}, nil, "smtp-from"},
		{nil, []string{"--smtp-host", "mail.example.org", "--smtp-from", "placematch@example.org", "--smtp-tls", "ssl"}, "smtp-tls"},
		{map[string]string{"PLACEMATCH_SMTP_HOST": "mail.example.org", "PLACEMATCH_SMTP_FROM": "placematch@example.org", "PLACEMATCH_SMTP_USERNAME": "pm"}, nil, "smtp-username"},
	} {
		env := map[string]string{"PLACEMATCH_DB": db}
		for k, v := range c.env {
			env[k] = v
		}
		err := run(context.Background(), append([]string{"serve"}, c.args...), envFunc(env), nil, io.Discard, io.Discard)
		if exitCode(err) != 2 || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: %v, want a usage error naming %s", c.env, c.args, err, c.want)
		}
	}
}
