using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Tests.Endpoints;

/// <summary>An additional file as the compiler hands it to an analyzer.</summary>
internal sealed class InMemoryAdditionalText : AdditionalText
{
    private readonly SourceText? _text;

    internal InMemoryAdditionalText(string path, string? text)
    {
        Path = path;
        _text = text is null ? null : SourceText.From(text);
    }

    public override string Path { get; }

    public override SourceText? GetText(CancellationToken cancellationToken = default) => _text;
}

internal static class CatalogTestFiles
{
    internal const string UserFile = "/src/App/RateLimitEndpoints.txt";

    internal static EndpointCatalogParseResult ParseUser(string text) =>
        EndpointCatalogParser.Parse(text, UserFile, CatalogEntryOrigin.User);

    internal static EndpointCatalog CatalogWith(params string[] userFiles) =>
        EndpointCatalogFiles.Load(
            userFiles.Select((text, i) => (AdditionalText)new InMemoryAdditionalText("/src/App/" + i + ".RateLimitEndpoints.txt", text)).ToImmutableArray(),
            CancellationToken.None).Catalog;
}
