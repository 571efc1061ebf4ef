package app

import (
	"strings"
	"testing"
)

func TestConfig_AuditRetention(t *testing.T) {
	t.Run("DefaultIsAYear", func(t *testing.T) {
		t.Setenv("BIEBPLEIN_AUDIT_RETENTION_DAYS", "")
		c := DefaultConfig()
		if err := c.resolve(); err != nil {
			t.Fatal(err)
		}
		if got, want := c.AuditRetentionDays, DefaultAuditRetentionDays; got != want {
			t.Fatalf("AuditRetentionDays = %d, want %d", got, want)
		}
	})

	t.Run("FromTheEnvironment", func(t *testing.T) {
		for value, want := range map[string]int{"30": 30, "90": 90, " 730 ": 730} {
			t.Setenv("BIEBPLEIN_AUDIT_RETENTION_DAYS", value)
			c := DefaultConfig()
			if err := c.resolve(); err != nil {
				t.Fatalf("%q: %v", value, err)
			}
			if err := c.Validate(); err != nil {
				t.Fatalf("%q: Validate() = %v", value, err)
			}
			if c.AuditRetentionDays != want {
				t.Errorf("%q: AuditRetentionDays = %d, want %d", value, c.AuditRetentionDays, want)
			}
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		for _, value := range []string{"29", "0", "-5", "ten", "1.5", "365d"} {
			t.Setenv("BIEBPLEIN_AUDIT_RETENTION_DAYS", value)
			c := DefaultConfig()
			err := c.resolve()
			if err == nil || !strings.Contains(err.Error(), "audit retention") || !strings.Contains(err.Error(), "at least 30") {
				t.Errorf("%q: resolve() = %v, want an error about the audit retention", value, err)
			}
		}
	})

	t.Run("ErrTooShortInTheStruct", func(t *testing.T) {
		c := Config{LogFormat: "text", LogLevel: "info", DataDir: ".", AuditRetentionDays: 7}
		if err := c.Validate(); err == nil {
			t.Fatal("Validate() = nil for 7 days, want an error")
		}
	})
}
