using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;

namespace RateLimitAnalyzers.Knowledge.Endpoints;

/// <summary>
/// A catalog path: literal segments, <c>{name}</c> segments that stand for any one segment, and an optional
/// final <c>*</c> that stands for any number of further segments (none included). Trailing slashes do not count.
/// </summary>
internal sealed class PathPattern
{
    private PathPattern(string text, ImmutableArray<string> segments, bool endsWithWildcard, string shape)
    {
        Text = text;
        Segments = segments;
        EndsWithWildcard = endsWithWildcard;
        Shape = shape;
        foreach (var segment in segments)
        {
            if (IsParameter(segment))
            {
                ParameterCount++;
            }
            else
            {
                LiteralCount++;
            }
        }
    }

    /// <summary>The pattern as written, without a trailing slash: <c>/repos/{owner}/{repo}/issues</c>.</summary>
    internal string Text { get; }

    /// <summary>The segments before any final <c>*</c>.</summary>
    internal ImmutableArray<string> Segments { get; }

    internal bool EndsWithWildcard { get; }

    internal int LiteralCount { get; }

    internal int ParameterCount { get; }

    /// <summary>The pattern with parameter names dropped (<c>/repos/{}/{}/issues</c>), so renaming a parameter does not make a new entry.</summary>
    internal string Shape { get; }

    /// <summary><c>/*</c>: every path on the host.</summary>
    internal bool IsEverything => Segments.IsEmpty && EndsWithWildcard;

    internal static bool TryParse(string text, out PathPattern pattern, out string error)
    {
        pattern = null!;
        if (text.Length == 0 || text[0] != '/')
        {
            error = "the path '" + text + "' must start with '/'";
            return false;
        }

        var query = text.IndexOfAny(['?', '#']);
        if (query >= 0)
        {
            error = "the path '" + text + "' has a query or fragment ('" + text[query] + "'); the catalog matches paths only, so leave it out";
            return false;
        }

        var trimmed = text.Length > 1 ? text.TrimEnd('/') : text;
        var raw = trimmed.Length <= 1 ? [] : trimmed.Substring(1).Split('/');
        var segments = ImmutableArray.CreateBuilder<string>(raw.Length);
        var endsWithWildcard = false;
        var shape = new StringBuilder();
        for (var i = 0; i < raw.Length; i++)
        {
            var segment = raw[i];
            if (segment.Length == 0)
            {
                error = "the path '" + text + "' has an empty segment ('//')";
                return false;
            }

            if (segment == "*")
            {
                if (i != raw.Length - 1)
                {
                    error = "in the path '" + text + "', '*' may only be the last segment";
                    return false;
                }

                endsWithWildcard = true;
                shape.Append("/*");
                continue;
            }

            if (segment.IndexOf('*') >= 0)
            {
                error = "in the path '" + text + "', '*' must be a whole segment ('/v1/*', not '/v1*')";
                return false;
            }

            var opens = segment.IndexOf('{');
            var closes = segment.IndexOf('}');
            if (opens >= 0 || closes >= 0)
            {
                if (!IsParameter(segment) || segment.IndexOf('{', 1) >= 0 || segment.IndexOf('}') != segment.Length - 1)
                {
                    error = "in the path '" + text + "', the segment '" + segment + "' must be a whole parameter like '{owner}'";
                    return false;
                }

                if (segment.Length == 2)
                {
                    error = "in the path '" + text + "', the parameter '{}' needs a name, like '{owner}'";
                    return false;
                }

                shape.Append("/{}");
            }
            else
            {
                shape.Append('/').Append(segment);
            }

            segments.Add(segment);
        }

        pattern = new PathPattern(trimmed, segments.ToImmutable(), endsWithWildcard, shape.Length == 0 ? "/" : shape.ToString());
        error = string.Empty;
        return true;
    }

    /// <summary>
    /// Whether a request path (already split into segments) falls under this pattern. A request segment
    /// that contains '{' is an interpolation hole the call-target resolver could not evaluate: it matches a
    /// parameter or the wildcard but never a literal, because guessing it would match invites false positives.
    /// </summary>
    internal bool Matches(IReadOnlyList<string> requestSegments)
    {
        if (requestSegments.Count < Segments.Length || (!EndsWithWildcard && requestSegments.Count != Segments.Length))
        {
            return false;
        }

        for (var i = 0; i < Segments.Length; i++)
        {
            var pattern = Segments[i];
            var actual = requestSegments[i];
            if (IsParameter(pattern))
            {
                continue;
            }

            if (IsHole(actual) || !string.Equals(pattern, actual, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Text;

    internal static bool IsHole(string requestSegment) => requestSegment.IndexOf('{') >= 0;

    private static bool IsParameter(string segment) => segment.Length >= 2 && segment[0] == '{' && segment[segment.Length - 1] == '}';
}
