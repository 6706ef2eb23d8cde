using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace RateLimitAnalyzers.Knowledge.Endpoints;

/// <summary>
/// User catalog files arrive as <c>AdditionalFiles</c> (analyzers must not read the disk): any additional file
/// named <c>RateLimitEndpoints.txt</c> or <c>*.RateLimitEndpoints.txt</c>, so a project and the packages it uses
/// can each contribute one.
/// </summary>
internal static class EndpointCatalogFiles
{
    internal const string FileName = "RateLimitEndpoints.txt";

    internal const string FileNameSuffix = ".RateLimitEndpoints.txt";

    internal static bool IsCatalogFile(string path)
    {
        // Both separators, whatever the OS: a path written on Windows still names its file.
        var name = path.Substring(path.LastIndexOfAny(['/', '\\']) + 1);
        return string.Equals(name, FileName, StringComparison.OrdinalIgnoreCase)
            || (name.Length > FileNameSuffix.Length && name.EndsWith(FileNameSuffix, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Parses every catalog file among <paramref name="additionalFiles"/>, in ordinal path order so that which
    /// user entry wins does not depend on item order in the project, and combines them with the built-ins.
    /// </summary>
    internal static EndpointCatalogLoadResult Load(ImmutableArray<AdditionalText> additionalFiles, CancellationToken cancellationToken)
    {
        var files = additionalFiles.Where(f => IsCatalogFile(f.Path)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            return new EndpointCatalogLoadResult(EndpointCatalog.Default, ImmutableArray<CatalogError>.Empty);
        }

        var entries = new List<CatalogEntry>();
        var errors = ImmutableArray.CreateBuilder<CatalogError>();
        foreach (var file in files)
        {
            var text = file.GetText(cancellationToken);
            if (text is null)
            {
                continue;
            }

            var result = EndpointCatalogParser.Parse(text, file.Path, CatalogEntryOrigin.User, cancellationToken);
            entries.AddRange(result.Entries);
            errors.AddRange(result.Errors);
        }

        return new EndpointCatalogLoadResult(EndpointCatalog.Create(BuiltInEndpoints.Entries, entries), errors.ToImmutable());
    }
}

/// <summary>The effective catalog for a compilation and the RL9002 errors its user files produced.</summary>
internal sealed class EndpointCatalogLoadResult
{
    internal EndpointCatalogLoadResult(EndpointCatalog catalog, ImmutableArray<CatalogError> errors)
    {
        Catalog = catalog;
        Errors = errors;
    }

    internal EndpointCatalog Catalog { get; }

    internal ImmutableArray<CatalogError> Errors { get; }
}
