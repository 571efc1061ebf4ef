package web

import "strings"

// device names the browser and system of a user agent in words a person recognises, such as
// "Firefox" and "Windows"; "" for what it does not know.
func device(ua string) (browser, system string) {
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"SamsungBrowser/", "Samsung Internet"},
		{"Chrome/", "Chrome"}, {"CriOS/", "Chrome"}, {"FxiOS/", "Firefox"}, {"Safari/", "Safari"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	for _, s := range []struct{ token, name string }{
		{"Windows", "Windows"}, {"Android", "Android"}, {"iPhone", "iPhone"}, {"iPad", "iPad"},
		{"CrOS", "ChromeOS"}, {"Mac OS X", "macOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, s.token) {
			system = s.name
			break
		}
	}
	return browser, system
}

// Device describes the browser of a session for the reader.
func (b base) Device(ua string) string {
	browser, system := device(ua)
	switch {
	case browser != "" && system != "":
		return b.T("web.sessions.device", browser, system)
	case browser != "":
		return browser
	case system != "":
		return system
	}
	return b.T("web.sessions.unknown_device")
}
