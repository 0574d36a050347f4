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
	k := keyWriter(dst)
	k = k.strs(f.Header)
	k = k.expr(f.Body)
	return k
}

type keyWriter []byte

func (k keyWriter) str(s string) keyWriter { return keyenc.Str(k, s) }

func (k keyWriter) strs(ss []string) keyWriter {
	if ss == nil {
		// nil and empty differ for Binding.Inherit (nil: not an inherit)
		return append(k, '~')
	}
	return keyenc.Strs(k, ss)
}

func (k keyWriter) tag(c byte) keyWriter { return append(k, c) }

func (k keyWriter) binds(bs []Binding) keyWriter {
	k = strconv.AppendInt(k, int64(len(bs)), 10)
	k = append(k, '{')
	for i := range bs {
		b := &bs[i]
		k = k.strs(b.Comment).strs(b.Path).expr(b.Value).strs(b.Inherit).expr(b.InheritFrom)
	}
	return k
}

func (k keyWriter) exprs(xs []Expr) keyWriter {
	k = strconv.AppendInt(k, int64(len(xs)), 10)
	k = append(k, '(')
	for _, x := range xs {
		k = k.expr(x)
	}
	return k
}

func (k keyWriter) expr(e Expr) keyWriter {
	switch x := e.(type) {
	case nil:
		return k.tag('0')
	case *String:
		return k.stringLit(x)
	case String:
		return k.stringLit(&x)
	case Int:
		return keyenc.Int(k.tag('i'), int64(x))
	case Bool:
		if x {
			return k.tag('T')
		}
		return k.tag('F')
	case Null:
		return k.tag('n')
	case Path:
		return k.tag('p').str(string(x))
	case Ident:
		return k.tag('v').str(string(x))
	case Select:
		return k.tag('.').expr(x.X).strs(x.Attrs)
	case List:
		return k.tag('[').exprs(x)
	case *Attrs:
		return k.expr(*x)
	case *Lambda:
		return k.expr(*x)
	case Attrs:
		k = k.tag('{')
		if x.Rec {
			k = k.tag('r')
		}
		return k.binds(x.Binds)
	case Lambda:
		k = k.tag('\\').str(x.Param).str(x.At)
		if x.Ellipsis {
			k = k.tag('e')
		}
		k = strconv.AppendInt(k, int64(len(x.Formals)), 10)
		k = k.tag('<')
		for _, f := range x.Formals {
			k = k.str(f.Name).expr(f.Default)
		}
		return k.expr(x.Body)
	case Apply:
		return k.tag('a').expr(x.Fn).exprs(x.Args)
	case Let:
		return k.tag('l').binds(x.Binds).expr(x.Body)
	case BinOp:
		return k.tag('o').str(x.Op).expr(x.L).expr(x.R)
	case If:
		return k.tag('?').expr(x.Cond).expr(x.Then).expr(x.Else)
	case With:
		return k.tag('w').expr(x.Scope).expr(x.Body)
	case Commented:
		return k.tag('#').strs(x.Comment).expr(x.X)
	case SelectOr:
		return k.tag('|').expr(x.X).strs(x.Attrs).expr(x.Default)
	case Not:
		return k.tag('!').expr(x.X)
	}
	panic("nix: AppendKey: unknown node type")
}

func (k keyWriter) stringLit(s *String) keyWriter {
	k = k.tag('"')
	k = strconv.AppendInt(k, int64(len(s.Parts)), 10)
	k = k.tag('(')
	for _, p := range s.Parts {
		if p.Expr != nil {
			k = k.tag('$').str(p.Text).expr(p.Expr)
			continue
		}
		k = k.str(p.Text)
	}
	return k
}
