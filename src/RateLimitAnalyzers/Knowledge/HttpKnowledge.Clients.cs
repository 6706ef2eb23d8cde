using System.Diagnostics.CodeAnalysis;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace RateLimitAnalyzers.Knowledge;

// Clients and their registrations: handlers, RestSharp and Refit clients, the HttpClient factory.
internal sealed partial class HttpKnowledge
{
    /// <summary>Handlers that retry throttled requests: the runtime's RateLimitedHandler, Polly's PolicyHttpMessageHandler, the resilience library's ResilienceHandler.</summary>
    public bool IsRetryingHandler(ITypeSymbol type) => _retryingHandlers.Any(handler => DerivesFrom(type, handler));

    /// <summary>A handler of the platform's own (HttpClientHandler, SocketsHttpHandler): it sends, it never retries.</summary>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = KnowledgeVocabulary)]
    public bool IsPlatformHandler(ITypeSymbol? type) =>
        type?.ContainingNamespace?.ToDisplayString() == "System.Net.Http";

    public bool IsHttpClientFactoryExtension(IMethodSymbol method) => Is(method.ContainingType, HttpClientFactoryExtensions);

    public bool IsRestClient(ITypeSymbol? type) =>
        type is not null && (DerivesFrom(type, RestClient) || Is(type, RestClientInterface) || Implements(type, RestClientInterface));

    public bool IsRestClientOptions(ITypeSymbol? type) => Is(type, RestClientOptions);

    public bool IsRefitRestService(ITypeSymbol? type) => Is(type, RefitRestService);

    /// <summary>A Refit interface: one whose methods carry Refit's [Get], [Post], ... attributes.</summary>
    public bool IsRefitInterface(ITypeSymbol? type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Interface } named && named.GetMembers().OfType<IMethodSymbol>().Any(m => RefitRoute(m) is not null);

    public bool IsRefitMethod(IMethodSymbol method) => RefitRoute(method) is not null;

    /// <summary>A registration of the HttpClient factory or Refit: <c>AddHttpClient</c>, <c>AddRefitClient</c>, <c>ConfigureHttpClientDefaults</c>.</summary>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = KnowledgeVocabulary)]
    public bool IsHttpClientRegistration(IMethodSymbol method) =>
        method.ContainingType?.ContainingNamespace?.ToDisplayString() is "Microsoft.Extensions.DependencyInjection" or "Refit";
}
