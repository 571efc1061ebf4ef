package biebplein

import (
	"errors"
	"fmt"
)

// Error codes. The HTTP layer maps each to a status and each message key to a Dutch or English
// text; nothing else of an error reaches a user.
const (
	CodeInvalid      = "invalid"      // 400: the input is wrong; Fields says where
	CodeUnauthorized = "unauthorized" // 401: not signed in, or wrong credentials
	CodeForbidden    = "forbidden"    // 403: signed in, but may not do this to something visible
	CodeNotFound     = "not_found"    // 404: does not exist, or the actor may not see it
	CodeConflict     = "conflict"     // 409: clashes with existing data (duplicate e-mail)
	CodeTooLarge     = "too_large"    // 413: the body or a file is over its limit
	CodeRateLimited  = "rate_limited" // 429: throttled; try again later
	CodeUnavailable  = "unavailable"  // 503: a dependency (the database) is down
	CodeInternal     = "internal"     // 500: a bug; details are logged, never shown
)

// Error is the one error type of the domain. Message is a catalogue key (for example
// "error.email_taken"), never free text, so that the web and API layers can show it in the
// reader's language. Fields maps input field names to catalogue keys for validation errors.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
}

// Error implements the error interface. It is for logs; users see the translated Message.
func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("biebplein: %s: %s %v", e.Code, e.Message, e.Fields)
	}
	return fmt.Sprintf("biebplein: %s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and message key.
func Errorf(code, key string) *Error {
	return &Error{Code: code, Message: key}
}

// ErrorCode returns the code of err: the Code of an *Error in its chain, CodeInternal for any
// other error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the message key of err, or "error.internal" for errors that are not
// an *Error.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "error.internal"
}

// ErrorFields returns the per-field message keys of a validation error, or nil.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Validation collects per-field problems; Err returns nil when there are none. Use it as:
//
//	var v Validation
//	v.Check(name != "", "name", "error.name_required")
//	return v.Err()
type Validation struct {
	fields map[string]string
}

// Check records key for field when ok is false and the field has no problem yet.
func (v *Validation) Check(ok bool, field, key string) {
	if ok {
		return
	}
	v.Add(field, key)
}

// Add records key for field unless the field already has a problem.
func (v *Validation) Add(field, key string) {
	if v.fields == nil {
		v.fields = map[string]string{}
	}
	if _, seen := v.fields[field]; !seen {
		v.fields[field] = key
	}
}

// Has reports whether field already has a problem.
func (v *Validation) Has(field string) bool {
	_, ok := v.fields[field]
	return ok
}

// Err returns an invalid *Error listing the fields, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: CodeInvalid, Message: "error.invalid_input", Fields: v.fields}
}
