package app

import "runtime/debug"

// version is set at build time with -ldflags "-X github.com/biebplein/biebplein/app.version=v1.2.3".
var version = ""

// Version returns the build's version: the one set at build time, or the module version and
// VCS revision Go recorded, or "dev".
func Version() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return v + " (" + s.Value[:12] + ")"
		}
	}
	if v == "" || v == "(devel)" {
		return "dev"
	}
	return v
}
