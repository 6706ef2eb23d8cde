using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>
/// The identifiers of C# code, read from its characters as the compiler's lexer would find them, without building
/// any syntax: what the name gate (<see cref="CallNameIndex"/>) reads, because realising syntax nodes for every member
/// of a compilation costs many times more than one pass over its text.
/// </summary>
/// <remarks>
/// Comments, string and character literals are skipped, so a name in a log message or a doc comment lets nothing
/// through; the holes of an interpolated string are code. Each identifier says whether it is called (an argument list
/// follows, after any type arguments and comments) or names the type a <c>new</c> creates. It may take more identifiers
/// for calls than the syntax has (a local function's declaration, <c>if (</c>, a comparison that reads like type
/// arguments), never fewer. What it cannot read safely it reports as <see cref="IdentifierKind.Unreadable"/>, for the
/// caller to read that code from the syntax: an identifier with non-ASCII letters or a unicode escape, and a
/// target-typed <c>new()</c>, whose type is named elsewhere. Disabled code (<c>#if false</c>) is read as code, which
/// only reads more names, and a comment or literal it leaves open is read on as code (see <c>Unterminated</c>); what it
/// cannot tell is a <c>/*</c> in disabled code that a <c>*/</c> in later live code closes.
/// </remarks>
internal struct CodeText
{
    // MethodImplOptions.AggressiveOptimization, which netstandard2.0 does not name. The reader runs over every file once
    // per build: too few calls for tiered compilation to optimise its loops before the work is done.
    internal const MethodImplOptions Optimized = (MethodImplOptions)512;

    // How far ahead type arguments are looked for: beyond this a '<' is taken for a call's type arguments (more names, never fewer).
    private const int TypeArgumentsLookahead = 256;

    private readonly char[] _text;
    private readonly int _end;
    private readonly bool _tellCalls;
    private int _at;
    private bool _creating;

    // The interpolated strings the reader is inside (innermost last), each in its literal text or in one of its holes.
    private List<Interpolation>? _interpolations;

    /// <param name="text">The code, from the start of a member's body, a block or a file (never from inside a comment or a literal).</param>
    /// <param name="tellCalls">Whether to tell called and created names from the others (it looks ahead of every identifier).</param>
    public CodeText(char[] text, int start, int end, bool tellCalls)
    {
        _text = text;
        _tellCalls = tellCalls;
        _at = start;
        _end = end;
        _creating = false;
        _interpolations = null;
    }

    /// <summary>The next identifier of the code, in order; false at the end.</summary>
    [MethodImpl(Optimized)]
    public bool Next(out Identifier identifier)
    {
        while (_at < _end)
        {
            if (_interpolations is { Count: > 0 } && !_interpolations[_interpolations.Count - 1].InHole)
            {
                ReadInterpolatedText();
                continue;
            }

            var c = _text[_at];
            if (IsIdentifierStart(c) || (c == '@' && _at + 1 < _end && IsIdentifierStart(_text[_at + 1])))
            {
                identifier = ReadIdentifier(c == '@' ? _at + 1 : _at);
                return true;
            }

            if (c > 127 ? char.IsLetter(c) : c == '\\' && _at + 1 < _end && _text[_at + 1] is 'u' or 'U')
            {
                identifier = new Identifier(_at, 1, IdentifierKind.Unreadable);
                _at++;
                while (_at < _end && (_text[_at] > 127 || IsIdentifierPart(_text[_at]) || _text[_at] == '\\'))
                {
                    _at++;
                }

                return true;
            }

            if (c is >= '0' and <= '9')
            {
                // A number (0x1F, 10UL, 1e3): its letters are no identifier.
                while (_at < _end && IsIdentifierPart(_text[_at]))
                {
                    _at++;
                }

                continue;
            }

            if (c is not (' ' or '\t' or '\r' or '\n' or '.' or ':') && !(c == '/' && _at + 1 < _end && _text[_at + 1] is '/' or '*'))
            {
                // `new A.B.C(` creates C: the type's name ends at anything but a dot, a `::`, white space or a comment.
                _creating = false;
            }

            switch (c)
            {
                case '/' when _at + 1 < _end && _text[_at + 1] is '/' or '*':
                    _at = SkipComment(_at);
                    break;
                case '"' or '$' or '@':
                    ReadLiteralStart();
                    break;
                case '\'':
                    _at = SkipQuoted(_at + 1, '\'');
                    break;
                case '{' when _interpolations is { Count: > 0 }:
                    _interpolations[_interpolations.Count - 1] = _interpolations[_interpolations.Count - 1].Nested(+1);
                    _at++;
                    break;
                case '}' when _interpolations is { Count: > 0 }:
                    var hole = _interpolations[_interpolations.Count - 1];
                    _interpolations[_interpolations.Count - 1] = hole.Depth == 0 ? hole.Closed() : hole.Nested(-1);
                    _at++;
                    break;
                default:
                    _at++;
                    break;
            }
        }

        identifier = default;
        return false;
    }

    [MethodImpl(Optimized)]
    private Identifier ReadIdentifier(int start)
    {
        var end = start;
        while (end < _end && IsIdentifierPart(_text[end]))
        {
            end++;
        }

        if (end < _end && (_text[end] > 127 || _text[end] == '\\'))
        {
            _at = end;
            return new Identifier(start, end - start, IdentifierKind.Unreadable);
        }

        _at = end;
        var isNew = end - start == 3 && _text[start] == 'n' && _text[start + 1] == 'e' && _text[start + 2] == 'w' && (start == 0 || _text[start - 1] != '@');
        if (!_tellCalls && !isNew)
        {
            return new Identifier(start, end - start, IdentifierKind.Plain);
        }

        var next = SkipTrivia(end);
        if (isNew)
        {
            if (next < _end && _text[next] == '(')
            {
                return new Identifier(start, 3, IdentifierKind.Unreadable);
            }

            _creating = true;
            return new Identifier(start, 3, IdentifierKind.Plain);
        }

        var kind = _creating ? IdentifierKind.Created : IdentifierKind.Plain;
        if (next < _end && (_text[next] == '(' || (_text[next] == '<' && TypeArgumentsThenArguments(next))))
        {
            kind = IdentifierKind.Called;
        }

        return new Identifier(start, end - start, kind);
    }

    // From a '<': whether type arguments and then an argument list follow. What reads as no type argument list (a
    // comparison) is not, and a list too long to read is taken for one.
    [MethodImpl(Optimized)]
    private bool TypeArgumentsThenArguments(int at)
    {
        var depth = 0;
        for (var limit = at + TypeArgumentsLookahead; at < _end;)
        {
            if (at >= limit)
            {
                return true;
            }

            var c = _text[at];
            switch (c)
            {
                case '<':
                    depth++;
                    at++;
                    break;
                case '>':
                    depth--;
                    at++;
                    if (depth == 0)
                    {
                        at = SkipTrivia(at);
                        return at < _end && _text[at] == '(';
                    }

                    break;
                case '/' when at + 1 < _end && _text[at + 1] is '/' or '*':
                    at = SkipComment(at);
                    break;
                default:
                    if (!IsIdentifierPart(c) && c is not (' ' or '\t' or '\r' or '\n' or '.' or ',' or '?' or '[' or ']' or '(' or ')' or ':' or '*' or '@'))
                    {
                        return false;
                    }

                    at++;
                    break;
            }
        }

        return false;
    }

    [MethodImpl(Optimized)]
    private int SkipTrivia(int at)
    {
        while (at < _end)
        {
            var c = _text[at];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                at++;
            }
            else if (c == '/' && at + 1 < _end && _text[at + 1] is '/' or '*')
            {
                at = SkipComment(at);
            }
            else
            {
                break;
            }
        }

        return at;
    }

    [MethodImpl(Optimized)]
    private int SkipComment(int at)
    {
        if (_text[at + 1] == '/')
        {
            while (at < _end && _text[at] is not ('\n' or '\r'))
            {
                at++;
            }

            return at;
        }

        var opened = at += 2;
        while (at + 1 < _end && !(_text[at] == '*' && _text[at + 1] == '/'))
        {
            at++;
        }

        return at + 1 < _end ? at + 2 : Unterminated(opened);
    }

    // A comment or literal that runs to the end of the text: the compiler makes the rest of the file part of it, unless
    // it opened in disabled code (`#if false`), where the compiler opens none. Reading on as code reads only more names.
    private static int Unterminated(int opened) => opened;

    // A regular string or character literal: to its closing quote, or to the end of its line when it has none.
    [MethodImpl(Optimized)]
    private int SkipQuoted(int at, char quote)
    {
        while (at < _end)
        {
            var c = _text[at];
            if (c == '\\')
            {
                at += 2;
            }
            else if (c == quote)
            {
                return at + 1;
            }
            else if (c is '\n' or '\r')
            {
                return at;
            }
            else
            {
                at++;
            }
        }

        return _end;
    }

    // At '"', '$' or '@': a string literal, interpolated or not, or (for a lone '$' or '@') nothing.
    private void ReadLiteralStart()
    {
        var at = _at;
        var dollars = 0;
        var verbatim = false;
        while (at < _end && (_text[at] == '$' || _text[at] == '@'))
        {
            dollars += _text[at] == '$' ? 1 : 0;
            verbatim |= _text[at] == '@';
            at++;
        }

        var quotes = 0;
        while (at + quotes < _end && _text[at + quotes] == '"')
        {
            quotes++;
        }

        if (quotes == 0)
        {
            _at = at == _at ? _at + 1 : at;
            return;
        }

        var raw = quotes >= 3 && !verbatim;
        if (dollars > 0)
        {
            _at = at + (raw ? quotes : 1);
            (_interpolations ??= new List<Interpolation>()).Add(new Interpolation(_at, verbatim, raw ? quotes : 1, dollars));
            return;
        }

        if (raw)
        {
            _at = SkipRawText(at + quotes, quotes);
        }
        else if (quotes == 2 && !verbatim)
        {
            _at = at + 2;
        }
        else if (verbatim)
        {
            _at = SkipVerbatim(at + 1);
        }
        else
        {
            _at = SkipQuoted(at + 1, '"');
        }
    }

    [MethodImpl(Optimized)]
    private int SkipVerbatim(int at)
    {
        var opened = at;
        while (at < _end)
        {
            if (_text[at] == '"')
            {
                if (at + 1 < _end && _text[at + 1] == '"')
                {
                    at += 2;
                    continue;
                }

                return at + 1;
            }

            at++;
        }

        return Unterminated(opened);
    }

    [MethodImpl(Optimized)]
    private int SkipRawText(int at, int quotes)
    {
        var opened = at;
        while (at < _end)
        {
            if (_text[at] == '"' && RunLength(at, '"') is var run && run >= quotes)
            {
                return at + run;
            }

            at++;
        }

        return Unterminated(opened);
    }

    private int RunLength(int at, char c)
    {
        var run = 0;
        while (at + run < _end && _text[at + run] == c)
        {
            run++;
        }

        return run;
    }

    // The literal text of the innermost interpolated string, up to its end or its next hole.
    [MethodImpl(Optimized)]
    private void ReadInterpolatedText()
    {
        var index = _interpolations!.Count - 1;
        var literal = _interpolations[index];
        while (_at < _end)
        {
            var c = _text[_at];
            if (c == '\\' && !literal.Verbatim && literal.Quotes == 1)
            {
                _at += 2;
            }
            else if (c == '"')
            {
                var run = RunLength(_at, '"');
                if (literal.Quotes == 1 && literal.Verbatim && run >= 2)
                {
                    _at += 2;
                    continue;
                }

                if (run >= literal.Quotes)
                {
                    _at += literal.Quotes;
                    _interpolations.RemoveAt(index);
                    return;
                }

                _at += run;
            }
            else if (c == '{')
            {
                var run = RunLength(_at, '{');
                if (literal.Quotes == 1 && run >= 2)
                {
                    // `{{` is a brace in the text.
                    _at += 2;
                    continue;
                }

                _at += run;
                if (run >= literal.Dollars)
                {
                    _interpolations[index] = literal.Opened();
                    return;
                }
            }
            else if (c is '\n' or '\r' && literal.Quotes == 1 && !literal.Verbatim)
            {
                // Unterminated: the compiler ends it here too.
                _interpolations.RemoveAt(index);
                return;
            }
            else
            {
                _at++;
            }
        }

        if (literal.Verbatim || literal.Quotes > 1)
        {
            _interpolations.RemoveAt(index);
            _at = Unterminated(literal.TextStart);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsIdentifierStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || c is >= '0' and <= '9';

    /// <summary>One interpolated string the reader is inside.</summary>
    /// <param name="TextStart">Where its text starts, after its quotes.</param>
    /// <param name="Quotes">How many quotes end it: 1, or a raw string's run.</param>
    /// <param name="Dollars">How many braces open a hole (a raw string's <c>$$</c>).</param>
    /// <param name="InHole">Whether the reader is in one of its holes (code) rather than its text.</param>
    /// <param name="Depth">Braces opened in the hole's code and not yet closed.</param>
    private readonly record struct Interpolation(int TextStart, bool Verbatim, int Quotes, int Dollars, bool InHole = false, int Depth = 0)
    {
        public Interpolation Opened() => this with { InHole = true, Depth = 0 };

        public Interpolation Closed() => this with { InHole = false, Depth = 0 };

        public Interpolation Nested(int change) => this with { Depth = Depth + change };
    }
}

/// <summary>What an identifier of <see cref="CodeText"/> does in its code.</summary>
internal enum IdentifierKind
{
    /// <summary>Named, not called.</summary>
    Plain,

    /// <summary>Called: an argument list follows it.</summary>
    Called,

    /// <summary>The name, or a qualifier of the name, of the type a <c>new</c> creates.</summary>
    Created,

    /// <summary>Code the text cannot be read for safely: read the syntax there.</summary>
    Unreadable,
}

/// <summary>An identifier's place in the text (without a verbatim identifier's <c>@</c>) and what it does.</summary>
internal readonly record struct Identifier(int Start, int Length, IdentifierKind Kind);
