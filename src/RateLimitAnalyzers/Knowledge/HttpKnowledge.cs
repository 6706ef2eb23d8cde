using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Configuration;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>
/// What every rule needs to know about a compilation's HTTP traffic: which calls send requests (and to
/// where, when the code shows it), and which calls pace them. Created once per compilation; the
/// well-known types are resolved here and nowhere else.
/// </summary>
internal sealed partial class HttpKnowledge
{
    // Rules ask the one knowledge object of their compilation every question, whether or not its answer needs the
    // types resolved here: a query does not move to the type when its implementation happens not to.
    private const string KnowledgeVocabulary = "A question rules ask of the compilation's knowledge, like its neighbours that read resolved types.";

    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Ordinal), ImmutableArray<IAnonymousFunctionOperation>> _lambdasPassed = new();
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IMethodSymbol>> _implementations = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IInvocationOperation>> _calls = new(SymbolEqualityComparer.Default);

    private readonly ImmutableArray<INamedTypeSymbol> _retryingHandlers;
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();
    private CallNameIndex? _callNames;
    private readonly bool _sendExists;
    private readonly Lazy<HttpClientOrigins> _origins;

    private HttpKnowledge(Compilation compilation, RateLimitOptionsCache options, EndpointCatalog catalog)
    {
        _compilation = compilation;
        Options = options;
        Catalog = catalog;
        HttpClient = compilation.GetTypeByMetadataName("System.Net.Http.HttpClient");
        HttpMessageInvoker = compilation.GetTypeByMetadataName("System.Net.Http.HttpMessageInvoker");
        HttpMessageHandler = compilation.GetTypeByMetadataName("System.Net.Http.HttpMessageHandler");
        HttpClientJsonExtensions = compilation.GetTypeByMetadataName("System.Net.Http.Json.HttpClientJsonExtensions");
        HttpRequestMessage = compilation.GetTypeByMetadataName("System.Net.Http.HttpRequestMessage");
        HttpMethod = compilation.GetTypeByMetadataName("System.Net.Http.HttpMethod");
        Uri = compilation.GetTypeByMetadataName("System.Uri");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        Thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
        PeriodicTimer = compilation.GetTypeByMetadataName("System.Threading.PeriodicTimer");
        RateLimiter = compilation.GetTypeByMetadataName("System.Threading.RateLimiting.RateLimiter");
        PartitionedRateLimiter = compilation.GetTypeByMetadataName("System.Threading.RateLimiting.PartitionedRateLimiter`1");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        RestClient = compilation.GetTypeByMetadataName("RestSharp.RestClient");
        RestClientInterface = compilation.GetTypeByMetadataName("RestSharp.IRestClient");
        RefitHttpMethodAttribute = compilation.GetTypeByMetadataName("Refit.HttpMethodAttribute");
        PollyPipeline = compilation.GetTypeByMetadataName("Polly.ResiliencePipeline");
        PollyPipelineOfT = compilation.GetTypeByMetadataName("Polly.ResiliencePipeline`1");
        PollySyncPolicy = compilation.GetTypeByMetadataName("Polly.ISyncPolicy");
        PollyAsyncPolicy = compilation.GetTypeByMetadataName("Polly.IAsyncPolicy");
        PollySyncPolicyOfT = compilation.GetTypeByMetadataName("Polly.ISyncPolicy`1");
        PollyAsyncPolicyOfT = compilation.GetTypeByMetadataName("Polly.IAsyncPolicy`1");
        RequestPacer = compilation.GetTypeByMetadataName(PacingRuntime.RequestPacer);
        RateLimitedSend = compilation.GetTypeByMetadataName(PacingRuntime.RateLimitedSend);
        RateLimitedHandler = compilation.GetTypeByMetadataName(PacingRuntime.RateLimitedHandler);
        HttpClientFactory = compilation.GetTypeByMetadataName("System.Net.Http.IHttpClientFactory");
        HttpClientFactoryExtensions = compilation.GetTypeByMetadataName("System.Net.Http.HttpClientFactoryExtensions");
        RestClientOptions = compilation.GetTypeByMetadataName("RestSharp.RestClientOptions");
        RefitRestService = compilation.GetTypeByMetadataName("Refit.RestService");
        WebClient = compilation.GetTypeByMetadataName("System.Net.WebClient");
        WebRequest = compilation.GetTypeByMetadataName("System.Net.WebRequest");
        _retryingHandlers = ImmutableArray.Create(
                compilation.GetTypeByMetadataName(PacingRuntime.RateLimitedHandler),
                compilation.GetTypeByMetadataName("Microsoft.Extensions.Http.PolicyHttpMessageHandler"),
                compilation.GetTypeByMetadataName("Microsoft.Extensions.Http.Resilience.ResilienceHandler"))
            .Where(t => t is not null)
            .Select(t => t!)
            .ToImmutableArray();
        // HttpClient.Send and HttpMessageInvoker.Send exist from .NET 5 on: before that, a call named Send is never theirs.
        _sendExists = HttpMessageInvoker?.GetMembers("Send").Any() == true || HttpClient?.GetMembers("Send").Any() == true;
        _origins = new Lazy<HttpClientOrigins>(() => new HttpClientOrigins(this, compilation), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public RateLimitOptionsCache Options { get; }

    public EndpointCatalog Catalog { get; }

    public INamedTypeSymbol? HttpClient { get; }

    public INamedTypeSymbol? HttpMessageInvoker { get; }

    public INamedTypeSymbol? HttpMessageHandler { get; }

    public INamedTypeSymbol? HttpClientJsonExtensions { get; }

    public INamedTypeSymbol? HttpRequestMessage { get; }

    public INamedTypeSymbol? HttpMethod { get; }

    public INamedTypeSymbol? Uri { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? Thread { get; }

    public INamedTypeSymbol? PeriodicTimer { get; }

    public INamedTypeSymbol? RateLimiter { get; }

    public INamedTypeSymbol? PartitionedRateLimiter { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? RestClient { get; }

    public INamedTypeSymbol? RestClientInterface { get; }

    public INamedTypeSymbol? RefitHttpMethodAttribute { get; }

    public INamedTypeSymbol? PollyPipeline { get; }

    public INamedTypeSymbol? PollyPipelineOfT { get; }

    public INamedTypeSymbol? PollySyncPolicy { get; }

    public INamedTypeSymbol? PollyAsyncPolicy { get; }

    public INamedTypeSymbol? PollySyncPolicyOfT { get; }

    public INamedTypeSymbol? PollyAsyncPolicyOfT { get; }

    public INamedTypeSymbol? RequestPacer { get; }

    public INamedTypeSymbol? RateLimitedSend { get; }

    public INamedTypeSymbol? RateLimitedHandler { get; }

    public INamedTypeSymbol? HttpClientFactory { get; }

    public INamedTypeSymbol? HttpClientFactoryExtensions { get; }

    public INamedTypeSymbol? RestClientOptions { get; }

    public INamedTypeSymbol? RefitRestService { get; }

    public INamedTypeSymbol? WebClient { get; }

    public INamedTypeSymbol? WebRequest { get; }

    /// <summary>Where the clients requests go through come from; registrations are indexed on first use.</summary>
    public HttpClientOrigins Origins => _origins.Value;

    /// <summary>
    /// The knowledge for the compilation an analyzer starts on, or null when it cannot send HTTP requests at all (no
    /// HttpClient, RestSharp or Refit): then no rule has anything to look at and they all return at once. Every rule
    /// analysing the same compilation with the same options shares one instance, so the catalog files are read and
    /// the client registrations indexed once, not once per rule.
    /// </summary>
    public static HttpKnowledge? For(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        if (!CanSendRequests(compilation))
        {
            return null;
        }

        var shared = s_byCompilation.GetValue(compilation, c => new SharedKnowledge(options, Create(c, options, cancellationToken)));
        var knowledge = ReferenceEquals(shared.Options, options) ? shared.Knowledge : Create(compilation, options, cancellationToken);

        // Every compilation-start action runs before any block action: made here, the index keeps every block waiting for nothing.
        knowledge.CallNames(cancellationToken);
        return knowledge;
    }

    private static HttpKnowledge Create(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var catalog = EndpointCatalogFiles.Load(options.AdditionalFiles, cancellationToken).Catalog;
        return new HttpKnowledge(compilation, new RateLimitOptionsCache(options.AnalyzerConfigOptionsProvider), catalog);
    }

    private static readonly ConditionalWeakTable<Compilation, SharedKnowledge> s_byCompilation = new();

    private sealed class SharedKnowledge(AnalyzerOptions options, HttpKnowledge knowledge)
    {
        public AnalyzerOptions Options { get; } = options;

        public HttpKnowledge Knowledge { get; } = knowledge;
    }

    /// <summary>Whether the compilation references an HTTP client at all: HttpClient, RestSharp or Refit.</summary>
    public static bool CanSendRequests(Compilation compilation) =>
        compilation.GetTypeByMetadataName("System.Net.Http.HttpClient") is not null
        || compilation.GetTypeByMetadataName("RestSharp.RestClient") is not null
        || compilation.GetTypeByMetadataName("Refit.HttpMethodAttribute") is not null;

    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = KnowledgeVocabulary)]
    public bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);

    public bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (Is(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Implements(ITypeSymbol type, INamedTypeSymbol? @interface) =>
        @interface is not null && type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, @interface));

    private static bool ImplementsGeneric(ITypeSymbol type, INamedTypeSymbol? @interface) =>
        @interface is not null && type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, @interface));
}
