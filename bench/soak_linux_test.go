//go:build linux

package bench

import (
	"os"
	"syscall"
	"testing"
)

// TestResidentMemoryLeavesOutMappedFiles: the memory the soak watches does not grow with the
// pages of a file the process maps and reads, as SQLite maps the database.
func TestResidentMemoryLeavesOutMappedFiles(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc here: the soak samples no memory either")
	}
	f, err := os.CreateTemp(t.TempDir(), "mapped")
	if err != nil {
		t.Fatal(err)
	}
	const size = 64 << 20
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(data)
	before, err := residentMemory(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for i := 0; i < size; i += 4096 {
		sum += int(data[i]) // every page read, and so resident
	}
	after, err := residentMemory(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if before <= 0 || after-before > 16<<20 {
		t.Fatalf("resident memory %d MiB before reading a 64 MiB mapped file, %d MiB after (sum %d): want it unchanged",
			before>>20, after>>20, sum)
	}
}
