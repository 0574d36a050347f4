package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The "Reshaping a fleet" guide has a live example and is in the
// navigation of every docs page, like the other guides.
func TestReshapingGuide(t *testing.T) {
	dir := built(t)
	file := filepath.Join(dir, "docs", "reshaping-a-fleet", "index.html")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("/docs/reshaping-a-fleet/ missing: %v", err)
	}
	doc := parseHTML(t, file, data)
	if n := len(findAll(doc, func(n *html.Node) bool { return hasClass(n, "fy-example") })); n == 0 {
		t.Error("the guide has no live example")
	}
	if !strings.Contains(string(data), "fleetyard update") {
		t.Error("the guide never shows the command")
	}
	other := filepath.Join(dir, "docs", "cli", "index.html")
	cli, err := os.ReadFile(other)
	if err != nil {
		t.Fatal(err)
	}
	links := findAll(parseHTML(t, other, cli), func(n *html.Node) bool {
		return n.Type == html.ElementNode && n.Data == "a" && attr(n, "href") == "/docs/reshaping-a-fleet/"
	})
	if len(links) == 0 {
		t.Error("/docs/cli/ does not link the guide (navigation or text)")
	}
}
