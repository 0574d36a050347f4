package gen

import "strings"

// A target is a machine's targetHost taken apart as clan takes it apart
// (clan_lib/ssh/remote.py, _parse_ssh_uri): [user@]host[:port], the user
// root where none is named, an IPv6 host in brackets.
type target struct {
	user, host, port string
}

// parseTarget splits t. problem is why clan would refuse t, or "".
func parseTarget(t string) (tg target, problem string) {
	tg.user = "root"
	hostPort := t
	switch n := strings.Count(t, "@"); {
	case n > 1:
		return tg, "a target host names at most one user (user@host)"
	case n == 1:
		i := strings.IndexByte(t, '@')
		tg.user, hostPort = t[:i], t[i+1:]
		if tg.user == "" {
			return tg, "the user before @ is empty"
		}
	}
	if strings.HasPrefix(hostPort, "[") {
		end := strings.IndexByte(hostPort, ']')
		if end < 0 {
			return tg, "an IPv6 address needs its closing bracket: [2001:db8::1]"
		}
		tg.host, hostPort = hostPort[1:end], hostPort[end+1:]
		if hostPort != "" && !strings.HasPrefix(hostPort, ":") {
			return tg, "only :port may follow the bracketed address"
		}
		tg.port = strings.TrimPrefix(hostPort, ":")
	} else {
		if strings.Count(hostPort, ":") > 1 {
			return tg, "an IPv6 address goes in brackets: [2001:db8::1]"
		}
		tg.host = hostPort
		if i := strings.IndexByte(hostPort, ':'); i >= 0 {
			tg.host, tg.port = hostPort[:i], hostPort[i+1:]
		}
	}
	if tg.host == "" {
		return tg, "the host is empty"
	}
	if tg.port != "" && !validPort(tg.port) {
		return tg, "the port after : is a number from 1 to 65535"
	}
	return tg, ""
}

func validPort(p string) bool {
	if len(p) > 5 || p[0] == '0' {
		return false
	}
	n := 0
	for _, c := range p {
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return n >= 1 && n <= 65535
}

// targetHostName is the host of target ([user@]host[:port]).
func targetHostName(t string) string {
	tg, _ := parseTarget(t)
	return tg.host
}
