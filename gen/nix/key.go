package nix

import (
	"strconv"

	"github.com/fleetyard/fleetyard/gen/internal/keyenc"
)

// AppendKey appends to dst an encoding of f that is equal for two files
// exactly when they are the same tree: every node is tagged with its type,
// every string is length-prefixed and every list count-prefixed, so no two
// trees encode alike. The printer is a pure function of the tree, so equal
// keys mean equal printed bytes, and a caller can remember what it printed
// for a key instead of laying out the same file again: the generator does
// this for files that list the whole fleet, which a keystroke elsewhere
// leaves unchanged. Encoding is a walk that copies text; printing chooses
// layouts, which costs several times more.
//
// AppendKey panics on a node type it does not know, as the printer does.
func AppendKey(dst []byte, f File) []byte {
	k := keyWriter{b: dst}
	k.strs(f.Header)
	k.expr(f.Body)
	return k.b
}

// keyWriter appends the encoding AppendKey describes to b. With spans set
// (Memo, memo.go), it also records where in b the encoding of each binding
// the memo remembers lies, so that such a binding nested in one already
// encoded finds its key there instead of walking its tree again.
type keyWriter struct {
	b     []byte
	spans map[*Binding]keySpan
	frame int32
}

// keySpan is where a binding's encoding lies in the key buffer of layout's
// frame number frame (memo.go).
type keySpan struct {
	frame      int32
	start, end int32
}

func (k *keyWriter) str(s string) { k.b = keyenc.Str(k.b, s) }

func (k *keyWriter) strs(ss []string) {
	if ss == nil {
		// nil and empty differ for Binding.Inherit (nil: not an inherit)
		k.b = append(k.b, '~')
		return
	}
	k.b = keyenc.Strs(k.b, ss)
}

func (k *keyWriter) tag(c byte) { k.b = append(k.b, c) }

func (k *keyWriter) count(n int, open byte) {
	k.b = append(strconv.AppendInt(k.b, int64(n), 10), open)
}

func (k *keyWriter) binds(bs []Binding) {
	k.count(len(bs), '{')
	for i := range bs {
		b := &bs[i]
		start := len(k.b)
		k.binding(b)
		if k.spans != nil && remembered(b) {
			k.spans[b] = keySpan{k.frame, int32(start), int32(len(k.b))}
		}
	}
}

func (k *keyWriter) binding(b *Binding) {
	k.strs(b.Comment)
	k.strs(b.Path)
	k.expr(b.Value)
	k.strs(b.Inherit)
	k.expr(b.InheritFrom)
}

func (k *keyWriter) exprs(xs []Expr) {
	k.count(len(xs), '(')
	for _, x := range xs {
		k.expr(x)
	}
}

func (k *keyWriter) expr(e Expr) {
	switch x := e.(type) {
	case nil:
		k.tag('0')
	case *String:
		k.stringLit(x)
	case String:
		k.stringLit(&x)
	case Int:
		k.tag('i')
		k.b = keyenc.Int(k.b, int64(x))
	case Bool:
		if x {
			k.tag('T')
		} else {
			k.tag('F')
		}
	case Null:
		k.tag('n')
	case Path:
		k.tag('p')
		k.str(string(x))
	case Ident:
		k.tag('v')
		k.str(string(x))
	case Select:
		k.tag('.')
		k.expr(x.X)
		k.strs(x.Attrs)
	case List:
		k.tag('[')
		k.exprs(x)
	case *Attrs:
		k.expr(*x)
	case *Lambda:
		k.expr(*x)
	case Attrs:
		k.tag('{')
		if x.Rec {
			k.tag('r')
		}
		k.binds(x.Binds)
	case Lambda:
		k.tag('\\')
		k.str(x.Param)
		k.str(x.At)
		if x.Ellipsis {
			k.tag('e')
		}
		k.count(len(x.Formals), '<')
		for _, f := range x.Formals {
			k.str(f.Name)
			k.expr(f.Default)
		}
		k.expr(x.Body)
	case Apply:
		k.tag('a')
		k.expr(x.Fn)
		k.exprs(x.Args)
	case Let:
		k.tag('l')
		k.binds(x.Binds)
		k.expr(x.Body)
	case BinOp:
		k.tag('o')
		k.str(x.Op)
		k.expr(x.L)
		k.expr(x.R)
	case If:
		k.tag('?')
		k.expr(x.Cond)
		k.expr(x.Then)
		k.expr(x.Else)
	case With:
		k.tag('w')
		k.expr(x.Scope)
		k.expr(x.Body)
	case Commented:
		k.tag('#')
		k.strs(x.Comment)
		k.expr(x.X)
	case SelectOr:
		k.tag('|')
		k.expr(x.X)
		k.strs(x.Attrs)
		k.expr(x.Default)
	case Not:
		k.tag('!')
		k.expr(x.X)
	default:
		panic("nix: AppendKey: unknown node type")
	}
}

func (k *keyWriter) stringLit(s *String) {
	k.tag('"')
	k.count(len(s.Parts), '(')
	for _, p := range s.Parts {
		if p.Expr != nil {
			k.tag('$')
			k.str(p.Text)
			k.expr(p.Expr)
			continue
		}
		k.str(p.Text)
	}
}
