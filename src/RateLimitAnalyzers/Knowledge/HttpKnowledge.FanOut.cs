using Microsoft.CodeAnalysis;

namespace RateLimitAnalyzers.Knowledge;

// What starts many requests at once and what bounds them: Task.WhenAll / WaitAll, Parallel, SemaphoreSlim. Resolved on
// first use, since only the fan-out rule asks, and only about the few calls whose names match.
internal sealed partial class HttpKnowledge
{
    private INamedTypeSymbol? _parallel;
    private INamedTypeSymbol? _parallelOptions;
    private INamedTypeSymbol? _semaphoreSlim;
    private INamedTypeSymbol? _enumerable;

    public INamedTypeSymbol? Parallel => _parallel ??= _compilation.GetTypeByMetadataName("System.Threading.Tasks.Parallel");

    public INamedTypeSymbol? ParallelOptions => _parallelOptions ??= _compilation.GetTypeByMetadataName("System.Threading.Tasks.ParallelOptions");

    public INamedTypeSymbol? SemaphoreSlim => _semaphoreSlim ??= _compilation.GetTypeByMetadataName("System.Threading.SemaphoreSlim");

    public INamedTypeSymbol? LinqEnumerable => _enumerable ??= _compilation.GetTypeByMetadataName("System.Linq.Enumerable");
}
