package gen

// Exported for the black-box tests of package gen_test only.

// PatternsOf generates f and says which pattern wrote each file (path ->
// pattern name), for the per-pattern golden folders.
func PatternsOf(f *Fleet, opt Options) ([]File, map[string]string, error) {
	return generateOwned(f.m, opt, f.cache, map[string]string{})
}

// PatternNames lists the patterns in table order, with whether each has a
// docs page.
func PatternNames() (names []string, page []bool) {
	for _, p := range patterns {
		names = append(names, p.name)
		page = append(page, p.page)
	}
	return names, page
}

// ResolveForTest resolves a spec built or edited in Go without Parse's
// validation or its list limits (the 10000-machine benchmark), as cache's
// session when cache is not nil.
func ResolveForTest(s *Spec, cache *Cache) *Fleet {
	normalize(s)
	return &Fleet{m: resolve(s, cache), cache: cache}
}
