using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace RateLimitAnalyzers.Knowledge.Endpoints;

/// <summary>A malformed catalog line: reported as RL9002 at <see cref="ToLocation"/>; the rest of the file still loads.</summary>
internal sealed class CatalogError
{
    internal CatalogError(string filePath, TextSpan span, LinePositionSpan lineSpan, string message)
    {
        FilePath = filePath;
        Span = span;
        LineSpan = lineSpan;
        Message = message;
    }

    internal string FilePath { get; }

    /// <summary>The offending text (a token, or the whole line) in the file.</summary>
    internal TextSpan Span { get; }

    internal LinePositionSpan LineSpan { get; }

    /// <summary>1-based, as editors show it.</summary>
    internal int Line => LineSpan.Start.Line + 1;

    /// <summary>1-based column of the offending text.</summary>
    internal int Column => LineSpan.Start.Character + 1;

    /// <summary>A sentence without the file and line (the diagnostic's location carries them).</summary>
    internal string Message { get; }

    internal Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public override string ToString() => FilePath + "(" + Line + "," + Column + "): " + Message;
}

/// <summary>What one catalog file yielded: the entries of its good lines and one error per bad line.</summary>
internal sealed class EndpointCatalogParseResult
{
    internal EndpointCatalogParseResult(ImmutableArray<CatalogEntry> entries, ImmutableArray<CatalogError> errors)
    {
        Entries = entries;
        Errors = errors;
    }

    internal ImmutableArray<CatalogEntry> Entries { get; }

    internal ImmutableArray<CatalogError> Errors { get; }
}
