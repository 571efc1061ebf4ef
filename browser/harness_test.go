package browser_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/biebplein/biebplein/app"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/demo"
)

// What the tests need from outside the repository, and how CI makes them required.
const (
	envChromium = "BIEBPLEIN_CHROMIUM"
	envAxe      = "BIEBPLEIN_AXE"
	envRequire  = "BIEBPLEIN_REQUIRE_BROWSER"
	envArtefact = "BIEBPLEIN_BROWSER_ARTIFACTS"
	axeVersion  = "4.10.3" // as tools/browser-deps.sh fetches it
)

// stepTimeout bounds one step of a journey: generous, because CI runs the browser beside
// every other package's tests on two cores.
const stepTimeout = 45 * time.Second

// axeTimeout bounds one run of axe-core: on a long page, with tabs of other tests checking
// theirs at the same time on two cores, it can take well over half a minute.
const axeTimeout = 2 * time.Minute

// Widths every page is checked at: a desktop, and the narrowest phone we support.
const (
	desktopWidth = 1280
	phoneWidth   = 360
)

// tools finds Chromium and axe-core once, or says why not.
var tools = sync.OnceValues(func() (paths [2]string, missing string) {
	chromium := os.Getenv(envChromium)
	if chromium == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				chromium = p
				break
			}
		}
	}
	if chromium == "" {
		return paths, "Chromium not found (apt-get install chromium, or set " + envChromium + ")"
	}
	axe := os.Getenv(envAxe)
	if axe == "" {
		home, _ := os.UserHomeDir()
		cache := os.Getenv("BIEBPLEIN_CACHE")
		if cache == "" {
			cache = filepath.Join(home, ".cache", "biebplein")
		}
		axe = filepath.Join(cache, "axe-core-"+axeVersion, "node_modules", "axe-core", "axe.min.js")
	}
	if _, err := os.Stat(axe); err != nil {
		return paths, "axe-core not found at " + axe + " (run tools/browser-deps.sh, or set " + envAxe + ")"
	}
	return [2]string{chromium, axe}, ""
})

// needBrowser skips the test when Chromium or axe-core is missing, or fails it when the
// environment requires them (CI).
func needBrowser(t *testing.T) (chromium, axe string) {
	t.Helper()
	paths, missing := tools()
	if missing != "" {
		if os.Getenv(envRequire) != "" {
			t.Fatalf("browser tests are required (%s is set) but %s", envRequire, missing)
		}
		t.Skipf("browser tests skipped: %s", missing)
	}
	return paths[0], paths[1]
}

// TestMain stops the shared Chromium and removes what the shared demo database left behind,
// after every test.
func TestMain(m *testing.M) {
	code := m.Run()
	if chrome.stop != nil {
		chrome.stop()
	}
	if chrome.dir != "" {
		_ = os.RemoveAll(chrome.dir)
	}
	os.Exit(code)
}

// site is the real program with the demo network, for one test.
type site struct {
	t      *testing.T
	m      *app.Main
	url    string
	axeJS  string
	chrome context.Context // the browser process; each tab is a context of its own
}

// siteConfig is how every test runs the program: on SQLite at db, demo network on.
func siteConfig(db, dataDir string) app.Config {
	return app.Config{
		Addr: "127.0.0.1:0", Database: "sqlite:" + db, DataDir: dataDir, LogFormat: "text",
		LogLevel: "warn", Demo: true, Password: auth.FastParams, Stdout: io.Discard, LogOutput: io.Discard,
	}
}

// demoDatabase is the SQLite file of a program that loaded the demo network, made once per
// test process: loading it takes most of a minute under the race detector, copying it none.
// Each test's site starts the program on a copy of its own, so tests change nothing for each
// other and can run in parallel. (The demo network lives in the database only: no uploads.)
var demoDatabase = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "biebplein-browser-demo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db := filepath.Join(dir, "biebplein.db")
	m := app.NewMain(siteConfig(db, filepath.Join(dir, "data")))
	if err := m.Run(context.Background()); err != nil {
		return nil, fmt.Errorf("start Biebplein: %w", err)
	}
	if m.Demo == nil {
		m.Close()
		return nil, errors.New("the demo network was not loaded")
	}
	if err := m.Close(); err != nil {
		return nil, err
	}
	// Closing the database checkpoints its write-ahead log: the file alone is the database.
	if _, err := os.Stat(db + "-wal"); !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("the demo database's write-ahead log is still there (%v)", err)
	}
	return os.ReadFile(db)
})

// chrome is the one Chromium of the test process, started by the first test that needs it
// and stopped by TestMain. Every tab is a browser context of its own (own cookies, as a
// second browser), so tests sharing the process share nothing else.
var chrome struct {
	once sync.Once
	ctx  context.Context
	err  error
	stop func()
	dir  string
}

// startChrome starts the shared Chromium once.
func startChrome(chromium string) (context.Context, error) {
	chrome.once.Do(func() {
		chrome.dir, chrome.err = os.MkdirTemp("", "biebplein-chromium-")
		if chrome.err != nil {
			return
		}
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
			chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
			// The site scrolls smoothly unless the person asks for less motion: a click aimed
			// at a button that is still scrolling into view misses it, so ask for less.
			chromedp.Flag("force-prefers-reduced-motion", true),
			// Tabs of tests running in parallel are all in the background: keep their timers
			// and rendering going as if each were in front.
			chromedp.Flag("disable-background-timer-throttling", true),
			chromedp.Flag("disable-backgrounding-occluded-windows", true),
			chromedp.Flag("disable-renderer-backgrounding", true),
			chromedp.UserDataDir(chrome.dir), chromedp.WindowSize(desktopWidth, 900),
		}
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelCtx := chromedp.NewContext(alloc)
		chrome.ctx, chrome.stop = ctx, func() { cancelCtx(); cancelAlloc() }
		chrome.err = chromedp.Do(ctx) // starts the browser
	})
	return chrome.ctx, chrome.err
}

// newSite starts Biebplein on a free port on a copy of the demo network, with the shared
// Chromium.
func newSite(t *testing.T) *site {
	t.Helper()
	chromium, axePath := needBrowser(t)
	axeJS, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatal(err)
	}
	data, err := demoDatabase()
	if err != nil {
		t.Fatalf("load the demo network: %v", err)
	}
	db := filepath.Join(t.TempDir(), "biebplein.db")
	if err := os.WriteFile(db, data, 0o600); err != nil {
		t.Fatal(err)
	}
	m := app.NewMain(siteConfig(db, t.TempDir()))
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("start Biebplein: %v", err)
	}
	t.Cleanup(func() { _ = m.Close() })
	ctx, err := startChrome(chromium)
	if err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &site{t: t, m: m, url: m.URL, axeJS: string(axeJS), chrome: ctx}
}

// tab is one browser tab (with its own cookies when made with person), at a width, with
// JavaScript on or off.
type tab struct {
	s    *site
	t    *testing.T
	ctx  context.Context
	name string
	noJS bool
}

// tabOptions choose how a tab browses.
type tabOptions struct {
	Width int  // desktopWidth when 0
	NoJS  bool // JavaScript switched off
}

// newTab opens a tab in a browser context of its own (its own cookies, as a second browser).
func (s *site) newTab(t *testing.T, name string, o tabOptions) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(s.chrome, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	width := o.Width
	if width == 0 {
		width = desktopWidth
	}
	err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), 900))
	if err == nil && o.NoJS {
		err = setScripts(ctx, false)
	}
	if err != nil {
		t.Fatalf("open tab: %v", err)
	}
	tb := &tab{s: s, t: t, ctx: ctx, name: name, noJS: o.NoJS}
	t.Cleanup(tb.keepEvidence)
	return tb
}

// fresh marks the open document, so that next can tell the page that replaces it.
func fresh() chromedp.Action[chromedp.Void] {
	return chromedp.SetAttributeValue(chromedp.CSS("html"), "data-old", "1")
}

// next waits until a new page has replaced the one fresh marked, and shows sel: waiting for
// sel alone could find it on the old page, just before the browser leaves it.
func next(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS("html:not([data-old]) " + sel))
}

// setScripts switches the page's JavaScript on or off.
func setScripts(ctx context.Context, on bool) error {
	_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
	return err
}

// do runs steps, failing the test with what was being done.
func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %s: %v", tb.name, what, err)
	}
}

// open goes to a path of the site, waits for the page and returns its HTTP status. A server
// error fails the test: no page may answer 500.
func (tb *tab) open(path string) int {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(tb.s.url+path))
	if err == nil {
		err = chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS("body")))
	}
	if err != nil {
		tb.t.Fatalf("%s: open %s: %v", tb.name, path, err)
	}
	status := 0
	if res != nil {
		status = int(res.Status)
	}
	if status >= 500 {
		tb.t.Errorf("%s: %s answered %d", tb.name, path, status)
	}
	return status
}

// signIn signs in as email with the demo password.
func (tb *tab) signIn(email string) {
	tb.t.Helper()
	tb.open("/login")
	tb.do("sign in as "+email,
		chromedp.SendKeys(chromedp.CSS("#login-email"), email),
		chromedp.SendKeys(chromedp.CSS("#login-password"), demo.Password),
		fresh(), chromedp.Click(chromedp.CSS("form:has(#login-email) button[type=submit]")),
		next("#notifications-link"),
	)
}

// text returns the text of the first element matching sel.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("%s: text of %s: %v", tb.name, sel, err)
	}
	return s
}

// evaluate runs a JavaScript expression on the open page and decodes its JSON answer into v.
func (tb *tab) evaluate(what, expr string, v any) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string]("JSON.stringify("+expr+")"))
	if err == nil {
		err = json.Unmarshal([]byte(raw), v)
	}
	if err != nil {
		tb.t.Fatalf("%s: %s: %v", tb.name, what, err)
	}
}

// axeResult is what axe-core reports of one rule.
type axeResult struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []string `json:"target"`
		HTML   string   `json:"html"`
	} `json:"nodes"`
}

// checkA11y runs axe-core on the open page for WCAG 2.0, 2.1 and 2.2 at levels A and AA, and
// fails the test with every violation: the rule, the elements and the page.
func (tb *tab) checkA11y(page string) {
	tb.t.Helper()
	for _, v := range tb.violations(page) {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, strings.Join(n.Target, " ")+" "+shorten(n.HTML, 160))
		}
		tb.t.Errorf("%s: %s: %s (%s, %s) at:\n    %s", tb.name, page, v.ID, v.Impact, v.Help, strings.Join(where, "\n    "))
	}
}

// violations returns what axe-core finds on the open page.
func (tb *tab) violations(page string) []axeResult {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, axeTimeout)
	defer cancel()
	if tb.noJS {
		// axe-core is a script: let it run on the page as loaded (whose own scripts did not),
		// then switch scripts off again for what follows.
		if err := setScripts(ctx, true); err != nil {
			tb.t.Fatalf("%s: switch scripts on for axe-core: %v", tb.name, err)
		}
		defer func() {
			if err := setScripts(ctx, false); err != nil {
				tb.t.Fatalf("%s: switch scripts off again: %v", tb.name, err)
			}
		}()
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](tb.s.axeJS+";true")); err != nil {
		tb.t.Fatalf("%s: inject axe-core on %s: %v", tb.name, page, err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag",
		values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]}, resultTypes: ["violations"]})
		.then(r => JSON.stringify(r.violations))`, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("%s: run axe-core on %s: %v", tb.name, page, err)
	}
	var violations []axeResult
	if err := json.Unmarshal([]byte(raw), &violations); err != nil {
		tb.t.Fatalf("%s: axe-core answer on %s: %v", tb.name, page, err)
	}
	return violations
}

func shorten(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// keepEvidence saves a screenshot and the HTML of a failed test's tab where CI output shows
// the path (BIEBPLEIN_BROWSER_ARTIFACTS, or a folder in the system's temporary directory).
func (tb *tab) keepEvidence() {
	if !tb.t.Failed() {
		return
	}
	dir := os.Getenv(envArtefact)
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "biebplein-browser")
	}
	dir = filepath.Join(dir, unsafeName.ReplaceAllString(tb.t.Name(), "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Logf("keep evidence: %v", err)
		return
	}
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	base := filepath.Join(dir, unsafeName.ReplaceAllString(tb.name, "_"))
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil { // 100: PNG
		_ = os.WriteFile(base+".png", png, 0o644)
	}
	if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err == nil {
		_ = os.WriteFile(base+".html", []byte(html), 0o644)
	}
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err == nil {
		tb.t.Logf("%s was at %s; screenshot and HTML: %s.{png,html}", tb.name, loc, base)
		return
	}
	tb.t.Logf("%s: screenshot and HTML: %s.{png,html}", tb.name, base)
}
