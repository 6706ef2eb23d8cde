using System;
using System.Collections.Immutable;
using System.IO;
using Microsoft.CodeAnalysis.Text;

namespace RateLimitAnalyzers.Knowledge.Endpoints;

/// <summary>
/// The entries the package ships, written in the user catalog format (BuiltInEndpoints.RateLimitEndpoints.txt,
/// embedded in this assembly) so the shipped facts and users' additions read the same way. Parsed once per process.
/// </summary>
internal static class BuiltInEndpoints
{
    internal const string ResourceName = "RateLimitAnalyzers.Knowledge.Endpoints.BuiltInEndpoints.RateLimitEndpoints.txt";

    private static readonly Lazy<EndpointCatalogParseResult> s_parsed = new(Parse);

    /// <summary>The built-in entries. A malformed built-in line is a bug that a unit test catches, so its error is not reported to users.</summary>
    internal static ImmutableArray<CatalogEntry> Entries => s_parsed.Value.Entries;

    /// <summary>Entries and errors, for the test that keeps the shipped file clean.</summary>
    internal static EndpointCatalogParseResult ParseResult => s_parsed.Value;

    internal static string ReadText()
    {
        using var stream = typeof(BuiltInEndpoints).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("The built-in endpoint catalog resource '" + ResourceName + "' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static EndpointCatalogParseResult Parse() =>
        EndpointCatalogParser.Parse(SourceText.From(ReadText()), ResourceName, CatalogEntryOrigin.BuiltIn);
}
