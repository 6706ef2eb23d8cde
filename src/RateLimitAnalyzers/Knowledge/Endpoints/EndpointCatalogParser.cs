using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis.Text;

namespace RateLimitAnalyzers.Knowledge.Endpoints;

/// <summary>
/// Reads the line-oriented catalog format (see <c>RateLimitEndpoints.txt</c> in rules.md): one entry per line,
/// <c>[METHODS] host/path key=value ...</c>, <c>#</c> comments, blank lines ignored. Each bad line yields one
/// <see cref="CatalogError"/> pointing at the offending token; the other lines still load.
/// </summary>
internal static class EndpointCatalogParser
{
    /// <summary>Longer lines are not entries anyone wrote by hand; refusing them keeps a stray binary or minified file from costing the IDE.</summary>
    internal const int MaxLineLength = 4096;

    internal static readonly ImmutableArray<string> KnownMethods = ImmutableArray.Create("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    internal static readonly ImmutableArray<string> KnownKeys = ImmutableArray.Create(
        "name", "quota", "quota-note", "window", "scope", "throttle", "headers", "body", "page-size", "distinctive", "source", "checked", "notes");

    internal static EndpointCatalogParseResult Parse(string text, string filePath, CatalogEntryOrigin origin, CancellationToken cancellationToken = default) =>
        Parse(SourceText.From(text), filePath, origin, cancellationToken);

    internal static EndpointCatalogParseResult Parse(SourceText text, string filePath, CatalogEntryOrigin origin, CancellationToken cancellationToken = default)
    {
        var entries = ImmutableArray.CreateBuilder<CatalogEntry>();
        var errors = ImmutableArray.CreateBuilder<CatalogError>();
        foreach (var line in text.Lines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var reader = new LineReader(text, line, filePath, origin);
            if (reader.TryRead(out var entry, out var error))
            {
                if (entry is not null)
                {
                    entries.Add(entry);
                }
            }
            else
            {
                errors.Add(error!);
            }
        }

        return new EndpointCatalogParseResult(entries.ToImmutable(), errors.ToImmutable());
    }

    private readonly struct Token
    {
        internal Token(int start, int length, string text, string? key, string? value)
        {
            Start = start;
            Length = length;
            Text = text;
            Key = key;
            Value = value;
        }

        /// <summary>Offset in the line.</summary>
        internal int Start { get; }

        internal int Length { get; }

        internal string Text { get; }

        /// <summary>The part before '=', if any.</summary>
        internal string? Key { get; }

        /// <summary>The part after '=', unquoted.</summary>
        internal string? Value { get; }

        /// <summary>'=' before any '/', '.' or ':' makes a key; <c>api.example.com/a?x=1</c> stays a (bad) target.</summary>
        internal bool IsKeyValue => Key is not null && Key.Length > 0 && Key.IndexOfAny(['/', '.', ':']) < 0;
    }

    private sealed class LineReader
    {
        private readonly SourceText _text;
        private readonly TextLine _line;
        private readonly string _filePath;
        private readonly CatalogEntryOrigin _origin;
        private readonly string _content;

        internal LineReader(SourceText text, TextLine line, string filePath, CatalogEntryOrigin origin)
        {
            _text = text;
            _line = line;
            _filePath = filePath;
            _origin = origin;
            _content = line.Span.Length > MaxLineLength ? string.Empty : text.ToString(line.Span);
        }

        /// <summary>False with an error for a bad line; true with a null entry for a blank or comment line.</summary>
        internal bool TryRead(out CatalogEntry? entry, out CatalogError? error)
        {
            entry = null;
            error = null;
            if (_line.Span.Length > MaxLineLength)
            {
                error = Error(0, _line.Span.Length, "the line is " + _line.Span.Length.ToString("N0", CultureInfo.InvariantCulture) + " characters long; an entry may be at most " + MaxLineLength.ToString("N0", CultureInfo.InvariantCulture));
                return false;
            }

            if (!TryTokenize(out var tokens, out error))
            {
                return false;
            }

            if (tokens.Count == 0)
            {
                return true;
            }

            var index = 0;
            var methods = ImmutableArray<string>.Empty;
            var first = tokens[0];
            if (first.IsKeyValue)
            {
                error = Error(first, "the entry has no target; an entry starts with [METHOD] host/path, e.g. 'POST api.archiva.app/api/ingest/event'");
                return false;
            }

            if (first.Text.IndexOf('/') < 0 && first.Text.IndexOf('.') < 0)
            {
                if (!TryParseMethods(first, out methods, out error))
                {
                    return false;
                }

                index++;
            }

            if (index >= tokens.Count || tokens[index].IsKeyValue)
            {
                error = index >= tokens.Count
                    ? Error(first, "the entry has no host/path after '" + first.Text + "'")
                    : Error(tokens[index], "the entry has no host/path before '" + tokens[index].Text + "'");
                return false;
            }

            if (!TryParseTarget(tokens[index], out var host, out var path, out error))
            {
                return false;
            }

            index++;
            return TryReadProperties(tokens, index, methods, host, path, out entry, out error);
        }

        private bool TryReadProperties(List<Token> tokens, int index, ImmutableArray<string> methods, string host, PathPattern path, out CatalogEntry? entry, out CatalogError? error)
        {
            entry = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var sources = ImmutableArray.CreateBuilder<string>();
            string? name = null, quotaNote = null, scope = null, body = null, notes = null, pageSize = null;
            int? maxPageSize = null, defaultPageSize = null;
            DateTime? checkedOn = null;
            var quota = ImmutableArray<QuotaWindowInfo>.Empty;
            var windowKind = QuotaWindowKind.Unspecified;
            TimeSpan? windowLength = null;
            string? windowLengthText = null;
            Token? windowToken = null, distinctiveToken = null;
            var statusCodes = ImmutableArray<int>.Empty;
            var retryAfter = false;
            var headers = ImmutableArray<string>.Empty;
            var distinctive = false;

            for (; index < tokens.Count; index++)
            {
                var token = tokens[index];
                if (!token.IsKeyValue)
                {
                    error = Error(token, "expected key=value but found '" + token.Text + "' (only the method and host/path come without a key)");
                    return false;
                }

                var key = token.Key!.ToLowerInvariant();
                var value = token.Value!;
                if (!KnownKeys.Contains(key))
                {
                    error = Error(token, "unknown key '" + token.Key + "'; the keys are " + string.Join(", ", KnownKeys));
                    return false;
                }

                if (key != "source" && !seen.Add(key))
                {
                    error = Error(token, "the key '" + key + "' appears twice");
                    return false;
                }

                if (value.Trim().Length == 0)
                {
                    error = Error(token, "the key '" + key + "' has no value");
                    return false;
                }

                switch (key)
                {
                    case "name":
                        name = value.Trim();
                        break;
                    case "quota-note":
                        quotaNote = value.Trim();
                        break;
                    case "scope":
                        scope = value.Trim();
                        break;
                    case "body":
                        body = value;
                        break;
                    case "notes":
                        notes = value.Trim();
                        break;
                    case "quota":
                        if (!QuotaText.TryParse(value, out quota, out var quotaError))
                        {
                            error = Error(token, quotaError);
                            return false;
                        }

                        break;
                    case "window":
                        windowToken = token;
                        if (!TryParseWindow(token, value, out windowKind, out windowLength, out windowLengthText, out error))
                        {
                            return false;
                        }

                        break;
                    case "throttle":
                        if (!TryParseThrottle(token, value, out statusCodes, out retryAfter, out error))
                        {
                            return false;
                        }

                        break;
                    case "headers":
                        if (!TryParseHeaders(token, value, out headers, out error))
                        {
                            return false;
                        }

                        break;
                    case "page-size":
                        if (!TryParsePageSize(token, value, out pageSize, out maxPageSize, out defaultPageSize, out error))
                        {
                            return false;
                        }

                        break;
                    case "distinctive":
                        distinctiveToken = token;
                        if (!TryParseYesNo(value, out distinctive))
                        {
                            error = Error(token, "distinctive must be yes or no, not '" + value + "'");
                            return false;
                        }

                        break;
                    case "checked":
                        if (!DateTime.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                        {
                            error = Error(token, "checked is the day the entry was last compared with its sources, written yyyy-MM-dd (checked=2026-12-04), not '" + value + "'");
                            return false;
                        }

                        checkedOn = day;
                        break;
                    case "source":
                        if (!value.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !value.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                        {
                            error = Error(token, "source must be the URL of the vendor's documentation (http:// or https://), not '" + value + "'");
                            return false;
                        }

                        sources.Add(value);
                        break;
                }
            }

            if (windowLength is not null && !quota.IsEmpty)
            {
                error = Error(windowToken!.Value, "a window length belongs only to entries without a quota; with quota=, write window=" + (windowKind == QuotaWindowKind.Rolling ? "rolling" : "fixed"));
                return false;
            }

            if (distinctive && path.IsEverything)
            {
                error = Error(distinctiveToken!.Value, "the path '" + path.Text + "' matches every path, so it cannot be distinctive");
                return false;
            }

            entry = new CatalogEntry(host, path)
            {
                Methods = methods,
                Name = name ?? host + path.Text,
                Quota = quota,
                QuotaNote = quotaNote,
                WindowKind = windowKind,
                WindowWithoutQuota = windowLength,
                WindowWithoutQuotaText = windowLengthText,
                Scope = scope,
                ThrottleStatusCodes = statusCodes,
                SendsRetryAfter = retryAfter,
                RateLimitHeaders = headers,
                ThrottleBodyPattern = body,
                PageSizeParameter = pageSize,
                MaxPageSize = maxPageSize,
                DefaultPageSize = defaultPageSize,
                CheckedOn = checkedOn,
                IsDistinctive = distinctive,
                Sources = sources.ToImmutable(),
                Notes = notes,
                Origin = _origin,
                FilePath = _filePath,
                Line = _line.LineNumber + 1,
            };
            error = null;
            return true;
        }

        private bool TryTokenize(out List<Token> tokens, out CatalogError? error)
        {
            tokens = new List<Token>();
            error = null;
            var s = _content;
            var i = 0;
            while (i < s.Length)
            {
                while (i < s.Length && IsSpace(s[i]))
                {
                    i++;
                }

                // '#' opens a comment only where a token would start, so URLs with fragments stay whole.
                if (i >= s.Length || s[i] == '#')
                {
                    break;
                }

                var start = i;
                string? key = null;
                string? value = null;
                var valueStart = -1;
                while (i < s.Length && !IsSpace(s[i]))
                {
                    if (s[i] == '=' && key is null)
                    {
                        key = s.Substring(start, i - start);
                        i++;
                        valueStart = i;
                        if (i < s.Length && (s[i] == '"' || s[i] == '\''))
                        {
                            if (!TryReadQuoted(s, ref i, out value, out var message))
                            {
                                error = Error(start, s.Length - start, message);
                                return false;
                            }

                            if (i < s.Length && !IsSpace(s[i]))
                            {
                                error = Error(start, i - start + 1, "unexpected '" + s[i] + "' right after the closing quote; separate entries' fields with spaces");
                                return false;
                            }

                            break;
                        }

                        continue;
                    }

                    i++;
                }

                if (key is not null && value is null)
                {
                    value = s.Substring(valueStart, i - valueStart);
                }

                tokens.Add(new Token(start, i - start, s.Substring(start, i - start), key, value));
            }

            return true;
        }

        /// <summary>"..." allows \" and \\ escapes; '...' takes everything literally, which suits JSON body patterns.</summary>
        private static bool TryReadQuoted(string s, ref int i, out string value, out string message)
        {
            var quote = s[i];
            i++;
            var builder = new StringBuilder();
            while (i < s.Length)
            {
                var c = s[i];
                if (c == quote)
                {
                    i++;
                    value = builder.ToString();
                    message = string.Empty;
                    return true;
                }

                if (quote == '"' && c == '\\' && i + 1 < s.Length && (s[i + 1] == '"' || s[i + 1] == '\\'))
                {
                    builder.Append(s[i + 1]);
                    i += 2;
                    continue;
                }

                builder.Append(c);
                i++;
            }

            value = string.Empty;
            message = "the quoted value has no closing " + quote;
            return false;
        }

        private bool TryParseMethods(Token token, out ImmutableArray<string> methods, out CatalogError? error)
        {
            methods = ImmutableArray<string>.Empty;
            error = null;
            if (token.Text == "*")
            {
                return true;
            }

            var builder = ImmutableArray.CreateBuilder<string>();
            foreach (var part in token.Text.Split(','))
            {
                var method = part.Trim().ToUpperInvariant();
                if (method == "*")
                {
                    error = Error(token, "'*' already means every method; it cannot be combined with others in '" + token.Text + "'");
                    return false;
                }

                if (!KnownMethods.Contains(method))
                {
                    error = Error(token, "unknown HTTP method '" + part + "'; use " + string.Join(", ", KnownMethods) + " or * (a comma-separated list for several)");
                    return false;
                }

                if (!builder.Contains(method))
                {
                    builder.Add(method);
                }
            }

            methods = builder.ToImmutable();
            return true;
        }

        private bool TryParseTarget(Token token, out string host, out PathPattern path, out CatalogError? error)
        {
            host = string.Empty;
            path = null!;
            error = null;
            var target = token.Text;
            foreach (var scheme in new[] { "https://", "http://" })
            {
                if (target.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
                {
                    target = target.Substring(scheme.Length);
                    break;
                }
            }

            var slash = target.IndexOf('/');
            if (slash == 0)
            {
                error = Error(token, "the target '" + token.Text + "' has no host; write host/path, e.g. api.example.com" + target + " (a relative path matches only where the entry says distinctive=yes)");
                return false;
            }

            if (slash < 0)
            {
                error = Error(token, "the target '" + token.Text + "' has no path; write '" + target + "/*' to cover every path on the host");
                return false;
            }

            host = target.Substring(0, slash).ToLowerInvariant();
            if (!IsValidHost(host, out var hostProblem))
            {
                error = Error(token, "the host '" + target.Substring(0, slash) + "' " + hostProblem);
                return false;
            }

            if (!PathPattern.TryParse(target.Substring(slash), out path, out var pathError))
            {
                error = Error(token, pathError);
                return false;
            }

            return true;
        }

        private bool TryParseWindow(Token token, string value, out QuotaWindowKind kind, out TimeSpan? length, out string? lengthText, out CatalogError? error)
        {
            kind = QuotaWindowKind.Unspecified;
            length = null;
            lengthText = null;
            error = null;
            var slash = value.IndexOf('/');
            var kindText = (slash < 0 ? value : value.Substring(0, slash)).Trim().ToLowerInvariant();
            switch (kindText)
            {
                case "rolling":
                    kind = QuotaWindowKind.Rolling;
                    break;
                case "fixed":
                    kind = QuotaWindowKind.Fixed;
                    break;
                default:
                    error = Error(token, "window must be rolling or fixed, optionally with a length for entries without a quota (window=rolling/24h), not '" + value + "'");
                    return false;
            }

            if (slash >= 0)
            {
                if (!QuotaText.TryParsePeriod(value.Substring(slash + 1), out var count, out var unit, out var periodError))
                {
                    error = Error(token, "in window=" + value + ", " + periodError);
                    return false;
                }

                length = QuotaText.ToTimeSpan(count, unit);
                lengthText = QuotaText.DescribePeriod(count, unit);
            }

            return true;
        }

        private bool TryParseThrottle(Token token, string value, out ImmutableArray<int> codes, out bool retryAfter, out CatalogError? error)
        {
            codes = ImmutableArray<int>.Empty;
            retryAfter = false;
            error = null;
            var builder = ImmutableArray.CreateBuilder<int>();
            foreach (var raw in value.Split(','))
            {
                var part = raw.Trim();
                if (string.Equals(part, "retry-after", StringComparison.OrdinalIgnoreCase))
                {
                    retryAfter = true;
                }
                else if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code >= 100 && code <= 599)
                {
                    if (!builder.Contains(code))
                    {
                        builder.Add(code);
                    }
                }
                else
                {
                    error = Error(token, "throttle lists status codes (100-599) and retry-after, separated by commas; '" + part + "' is neither");
                    return false;
                }
            }

            codes = builder.ToImmutable();
            return true;
        }

        private bool TryParseHeaders(Token token, string value, out ImmutableArray<string> headers, out CatalogError? error)
        {
            headers = ImmutableArray<string>.Empty;
            error = null;
            var builder = ImmutableArray.CreateBuilder<string>();
            foreach (var raw in value.Split(','))
            {
                var header = raw.Trim().ToLowerInvariant();
                if (header.Length == 0 || !header.All(IsHeaderNameChar))
                {
                    error = Error(token, "headers lists response header names separated by commas; '" + raw.Trim() + "' is not a header name");
                    return false;
                }

                if (!builder.Contains(header))
                {
                    builder.Add(header);
                }
            }

            headers = builder.ToImmutable();
            return true;
        }

        /// <summary><c>per_page</c>, <c>per_page&lt;=100</c> or <c>per_page&lt;=100,default=30</c>: the parameter, its documented maximum and default.</summary>
        private bool TryParsePageSize(Token token, string value, out string? parameter, out int? max, out int? defaultSize, out CatalogError? error)
        {
            parameter = null;
            max = null;
            defaultSize = null;
            error = null;
            var parts = value.Split(',');
            var first = parts[0];
            var separator = first.IndexOf("<=", StringComparison.Ordinal);
            var name = (separator < 0 ? first : first.Substring(0, separator)).Trim();
            if (name.Length == 0 || !name.All(c => c < 128 && (char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '[' || c == ']')))
            {
                error = Error(token, "page-size is the query parameter's name, optionally with its maximum and default (per_page<=100,default=30); '" + value + "' is not");
                return false;
            }

            if (separator >= 0)
            {
                if (!TryParseSize(token, "maximum", first.Substring(separator + 2), out var parsedMax, out error))
                {
                    return false;
                }

                max = parsedMax;
            }

            foreach (var part in parts.Skip(1))
            {
                var equals = part.IndexOf('=');
                if (equals < 0 || part.Substring(0, equals).Trim() != "default" || defaultSize is not null)
                {
                    error = Error(token, "after the page-size parameter comes only its default, once (per_page<=100,default=30); '" + part.Trim() + "' is not");
                    return false;
                }

                if (!TryParseSize(token, "default", part.Substring(equals + 1), out var parsedDefault, out error))
                {
                    return false;
                }

                defaultSize = parsedDefault;
            }

            if (max is not null && defaultSize > max)
            {
                error = Error(token, "the page-size default " + defaultSize.Value.ToString(CultureInfo.InvariantCulture) + " is larger than its maximum " + max.Value.ToString(CultureInfo.InvariantCulture));
                return false;
            }

            parameter = name;
            return true;
        }

        private bool TryParseSize(Token token, string what, string text, out int size, out CatalogError? error)
        {
            error = null;
            if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1)
            {
                error = Error(token, "the page-size " + what + " '" + text.Trim() + "' must be a whole number of at least 1");
                return false;
            }

            return true;
        }

        private CatalogError Error(Token token, string message) => Error(token.Start, token.Length, message);

        private CatalogError Error(int start, int length, string message)
        {
            var span = new TextSpan(_line.Start + start, Math.Max(0, length));
            return new CatalogError(_filePath, span, _text.Lines.GetLinePositionSpan(span), message);
        }
    }

    private static bool TryParseYesNo(string value, out bool result)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "yes":
            case "true":
                result = true;
                return true;
            case "no":
            case "false":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }

    // A byte order mark left in the text (a file decoded without BOM detection) separates like a space.
    private static bool IsSpace(char c) => char.IsWhiteSpace(c) || c == '\uFEFF';

    private static bool IsHeaderNameChar(char c) =>
        c < 128 && (char.IsLetterOrDigit(c) || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0);

    /// <summary>Lower-case ASCII labels, optionally led by "*." for every subdomain.</summary>
    private static bool IsValidHost(string host, out string problem)
    {
        var labels = host.StartsWith("*.", StringComparison.Ordinal) ? host.Substring(2) : host;
        if (labels.Length == 0)
        {
            problem = "is empty";
            return false;
        }

        if (labels.Any(c => c >= 128))
        {
            problem = "is not ASCII; write its punycode form (xn--...)";
            return false;
        }

        if (labels.IndexOf(':') >= 0)
        {
            problem = "includes a port; leave the port out (entries match any port)";
            return false;
        }

        foreach (var label in labels.Split('.'))
        {
            if (label.Length == 0 || label[0] == '-' || label[label.Length - 1] == '-' || !label.All(c => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            {
                problem = "is not a host name (letters, digits and '-' in dot-separated labels; '*.' only at the start)";
                return false;
            }
        }

        problem = string.Empty;
        return true;
    }
}
