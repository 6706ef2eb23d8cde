using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace RateLimitAnalyzers.Tests.Verifiers;

/// <summary>
/// A case as a fix should leave it, written as what the fix changes: the markup gone, the runtime's <c>using</c> after the
/// case's own, and each piece of text the fix rewrites replaced. The test then shows the edit, not the case again.
/// </summary>
internal static class FixedText
{
    public const string RuntimeUsing = "using RateLimitAnalyzers.Pacing;\n";

    /// <param name="markup">The case, beginning with <paramref name="usings"/>.</param>
    /// <param name="usings">The usings the case begins with; the runtime's goes after them.</param>
    /// <param name="edits">Text of the case, which must appear in it once, and what the fix puts in its place.</param>
    public static string Of(string markup, string usings, params (string Old, string New)[] edits)
    {
        TestFileMarkupParser.GetSpans(markup, out string source, out ImmutableArray<TextSpan> _);
        if (!source.StartsWith(usings, StringComparison.Ordinal))
        {
            throw new ArgumentException("The case does not begin with the usings given.", nameof(usings));
        }

        var text = usings + RuntimeUsing + source.Substring(usings.Length);
        foreach (var (old, replacement) in edits)
        {
            var at = text.IndexOf(old, StringComparison.Ordinal);
            if (at < 0 || text.IndexOf(old, at + 1, StringComparison.Ordinal) >= 0)
            {
                throw new ArgumentException("\"" + old + "\" must appear in the case exactly once.", nameof(edits));
            }

            text = text.Remove(at, old.Length).Insert(at, replacement);
        }

        return text;
    }
}
