// Package browser holds the tests that use Biebplein as a person does: the real program
// (app.Main on a free port, SQLite, the demo network) in Debian's Chromium driven with
// chromedp, with axe-core checking every page for WCAG 2.2 A and AA. The package has no code
// of its own; see harness_test.go.
//
// The tests need Chromium (BIEBPLEIN_CHROMIUM, or chromium on the PATH) and axe-core
// (BIEBPLEIN_AXE, or what tools/browser-deps.sh fetched). Without them they are skipped with
// a message, unless BIEBPLEIN_REQUIRE_BROWSER is set, as .ci/run does: then they fail.
package browser
