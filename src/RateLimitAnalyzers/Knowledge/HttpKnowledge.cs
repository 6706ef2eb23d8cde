using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
internal sealed class HttpKnowledge
{
    // Followed through this many calls into the user's own methods ("SendPageAsync → GetJsonAsync → client.GetAsync"): as
    // deep as the name index looks, so that the name gate and the summaries agree on what is worth following.
    private const int MaxCallDepth = CallNameIndex.Rounds;

    // The older transports: WebClient's transfers and a WebRequest's response (HttpWebRequest.GetResponse).
    private static readonly ImmutableHashSet<string> s_webClientSendNames = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "DownloadString", "DownloadStringTaskAsync", "DownloadData", "DownloadDataTaskAsync", "DownloadFile", "DownloadFileTaskAsync",
        "UploadString", "UploadStringTaskAsync", "UploadData", "UploadDataTaskAsync", "UploadValues", "UploadValuesTaskAsync",
        "UploadFile", "UploadFileTaskAsync", "OpenRead", "OpenReadTaskAsync");

    private static readonly ImmutableHashSet<string> s_webRequestSendNames = ImmutableHashSet.Create(StringComparer.Ordinal, "GetResponse", "GetResponseAsync");

    // Rules ask the one knowledge object of their compilation every question, whether or not its answer needs the
    // types resolved here: a query does not move to the type when its implementation happens not to.
    private const string KnowledgeVocabulary = "A question rules ask of the compilation's knowledge, like its neighbours that read resolved types.";

    private static readonly string[] s_restSharpVerbs = { "Get", "Post", "Put", "Patch", "Delete", "Head", "Options" };

    private static readonly ImmutableHashSet<string> s_httpClientSendMethods = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "GetAsync", "PostAsync", "PutAsync", "PatchAsync", "DeleteAsync", "SendAsync", "Send",
        "GetStringAsync", "GetByteArrayAsync", "GetStreamAsync", "GetString", "GetByteArray", "GetStream");

    // Calls that send by themselves, by name (RestSharp's Execute* aside): HttpClient's, its JSON extensions', RestSharp's.
    private static readonly ImmutableHashSet<string> s_sendNames = s_httpClientSendMethods.Union(new[]
    {
        "GetFromJsonAsync", "GetFromJsonAsAsyncEnumerable", "PostAsJsonAsync", "PutAsJsonAsync", "PatchAsJsonAsync", "DeleteFromJsonAsync",
        "GetJsonAsync", "PostJsonAsync", "PutJsonAsync", "PatchJsonAsync", "DeleteJsonAsync", "DownloadDataAsync", "DownloadStreamAsync",
    }).Union(s_webClientSendNames).Union(s_webRequestSendNames);

    // Calls that may send or wait by themselves: what makes a method of the user's worth following into. The runtime's
    // Run and RunAsync count only when called through its type (see CallNameIndex.CallNames): a library's own Run is no send.
    private static readonly ImmutableHashSet<string> s_sendOrWaitNames = s_sendNames.Union(new[]
    {
        "Delay", "Sleep", "WaitForNextTickAsync", "AcquireAsync", "AttemptAcquire", "WaitTurnAsync", "WaitTurn", "TryTakeTurn", "RateLimitedSend.RunAsync", "RateLimitedSend.Run",
    });

    // Polly's retries by name (v8 options and builder, v7 policies): a block with one may hold a retry of HTTP work.
    private static readonly ImmutableHashSet<string> s_pollyRetryNames = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "RetryStrategyOptions", "HttpRetryStrategyOptions", "AddRetry", "Retry", "RetryAsync", "RetryForever", "RetryForeverAsync",
        "WaitAndRetry", "WaitAndRetryAsync", "WaitAndRetryForever", "WaitAndRetryForeverAsync", "AddTransientHttpErrorPolicy", "AddPolicyHandler");

    private static readonly string[] s_restSharpSendPrefixes = { "Execute", "Get", "Post", "Put", "Patch", "Delete", "Head", "Options", "Download" };

    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Depth), MethodSummary> _summaries = new();
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Ordinal), ImmutableArray<IAnonymousFunctionOperation>> _lambdasPassed = new();
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IMethodSymbol>> _implementations = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IInvocationOperation>> _calls = new(SymbolEqualityComparer.Default);

    private readonly ImmutableArray<INamedTypeSymbol> _retryingHandlers;
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();
    private CallNameIndex? _callNames;
    private readonly ConcurrentDictionary<SyntaxNode, bool> _blockDecisions = new();
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

    /// <summary>The request this call sends, directly or through the user's own methods; null when it sends none.</summary>
    public RequestSend? AsSend(IInvocationOperation invocation, CancellationToken cancellationToken) =>
        AsSend(invocation, MaxCallDepth, cancellationToken);

    /// <summary>
    /// The request this call itself sends through an HTTP library (HttpClient, its JSON extensions, RestSharp, a Refit
    /// interface); null for calls that only lead to one (the user's own methods, a Polly execution, the runtime's
    /// retrying send), whose inner request is looked at where it is made.
    /// </summary>
    public RequestSend? AsDirectSend(IInvocationOperation invocation, CancellationToken cancellationToken) =>
        invocation.TargetMethod.ContainingType is null || IsPollyExecution(invocation.TargetMethod) || IsRuntimeSend(invocation.TargetMethod)
            ? null
            : AsSend(invocation, 0, cancellationToken);

    /// <summary>Whether the call runs a Polly pipeline or policy (<c>ExecuteAsync</c> and friends).</summary>
    public bool IsPollyExecution(IInvocationOperation invocation) => IsPollyExecution(invocation.TargetMethod);

    /// <summary>Whether the call goes through the runtime's retrying send.</summary>
    public bool IsRuntimeSend(IInvocationOperation invocation) => IsRuntimeSend(invocation.TargetMethod);

    /// <summary>Whether this call waits so that requests keep a pace: a delay, a rate limiter, the package's pacer, or a helper doing one of those.</summary>
    public bool IsPacing(IInvocationOperation invocation, CancellationToken cancellationToken) =>
        IsPacing(invocation, MaxCallDepth, cancellationToken);

    private RequestSend? AsSend(IInvocationOperation invocation, int depth, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        if (type is null)
        {
            return null;
        }

        if (IsHttpClientSend(method) || IsHandlerBaseSend(invocation))
        {
            return DescribeHttpClientSend(invocation);
        }

        if (HttpClientJsonExtensions is not null && SymbolEqualityComparer.Default.Equals(type, HttpClientJsonExtensions))
        {
            return DescribeHttpClientSend(invocation);
        }

        if (IsRestSharpSend(method))
        {
            return DescribeRestSharpSend(invocation);
        }

        if (IsLegacySend(method))
        {
            return DescribeLegacySend(invocation);
        }

        if (RefitRoute(method) is { } route)
        {
            return new RequestSend(invocation, route.Method, UrlText.FromRoute(route.Path), type.Name + "." + method.Name);
        }

        if (IsPollyExecution(method))
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Value is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }
                    && FirstSend(lambda.Body, depth, cancellationToken) is { } inner)
                {
                    return inner with { Invocation = invocation };
                }
            }

            return null;
        }

        if (IsRuntimeSend(method))
        {
            return new RequestSend(invocation, null, null, "RateLimitedSend." + method.Name);
        }

        if (method.MethodKind == MethodKind.DelegateInvoke && invocation.Instance is IParameterReferenceOperation { Parameter: var parameter })
        {
            // `await send()` in a helper of the user's: it sends what the lambdas its callers pass send.
            if (depth > 0)
            {
                foreach (var lambda in LambdasPassedTo(parameter, cancellationToken))
                {
                    if (FirstSend(lambda.Body, depth - 1, cancellationToken) is { } inner)
                    {
                        return inner with { Invocation = invocation };
                    }
                }
            }

            return null;
        }

        if (depth > 0 && IsWorthFollowing(method, cancellationToken) && Summarize(method, depth - 1, cancellationToken).Sends)
        {
            return new RequestSend(invocation, null, null, type.Name + "." + method.Name);
        }

        return null;
    }

    /// <summary>
    /// <c>base.SendAsync(request, ct)</c> in a <c>DelegatingHandler</c>: it hands the request on towards the network, so
    /// a loop around it sends the request again on each iteration.
    /// </summary>
    private bool IsHandlerBaseSend(IInvocationOperation invocation) =>
        invocation.TargetMethod.Name is "Send" or "SendAsync"
        && invocation.Instance is IInstanceReferenceOperation
        && invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax } }
        && DerivesFrom(invocation.TargetMethod.ContainingType, HttpMessageHandler);

    /// <summary>
    /// The lambdas the compilation's calls pass for a delegate parameter of a method of the user's
    /// (<c>Run(() => http.GetStringAsync(url), ct)</c>). Only the files that call the method by name are bound, once.
    /// </summary>
    private ImmutableArray<IAnonymousFunctionOperation> LambdasPassedTo(IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol method || method.DeclaringSyntaxReferences.IsEmpty)
        {
            return ImmutableArray<IAnonymousFunctionOperation>.Empty;
        }

        return _lambdasPassed.GetOrAdd((method.OriginalDefinition, parameter.Ordinal), key =>
        {
            var lambdas = ImmutableArray.CreateBuilder<IAnonymousFunctionOperation>();
            foreach (var call in CallsTo(key.Method, cancellationToken))
            {
                foreach (var argument in call.Arguments)
                {
                    if (argument.Parameter?.Ordinal == key.Ordinal
                        && UrlText.SkipConversions(argument.Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda })
                    {
                        lambdas.Add(lambda);
                    }
                }
            }

            return lambdas.ToImmutable();
        });
    }

    /// <summary>
    /// The calls of a method of the user's in the whole compilation. Only the files that call it by name (see
    /// <see cref="CallNameIndex"/>) are read, and only the calls by its name are bound; kept per method.
    /// </summary>
    public ImmutableArray<IInvocationOperation> CallsTo(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = (method.ReducedFrom ?? method).OriginalDefinition;
        return _calls.GetOrAdd(method, m =>
        {
            var calls = ImmutableArray.CreateBuilder<IInvocationOperation>();
            foreach (var tree in _compilation.SyntaxTrees)
            {
                if (!CallNameIndex.MayNameIn(tree, m.Name, cancellationToken))
                {
                    continue;
                }

                foreach (var call in tree.GetRoot(cancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    if (PollyPipelines.InvokedName(call) == m.Name
                        && OperationOf(call, cancellationToken) is IInvocationOperation operation
                        && SymbolEqualityComparer.Default.Equals((operation.TargetMethod.ReducedFrom ?? operation.TargetMethod).OriginalDefinition, m))
                    {
                        calls.Add(operation);
                    }
                }
            }

            return calls.ToImmutable();
        });
    }

    private bool IsPacing(IInvocationOperation invocation, int depth, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        if (type is null)
        {
            return false;
        }

        switch (method.Name)
        {
            case "Delay" when Is(type, Task):
            case "Sleep" when Is(type, Thread):
            case "WaitForNextTickAsync" when Is(type, PeriodicTimer):
            case "AcquireAsync" or "AttemptAcquire" when DerivesFrom(type, RateLimiter) || (PartitionedRateLimiter is not null && DerivesFrom(type.OriginalDefinition, PartitionedRateLimiter)):
            case "WaitTurnAsync" or "WaitTurn" or "TryTakeTurn" when Is(type, RequestPacer):
                return true;
        }

        if (IsRuntimeSend(method))
        {
            return true;
        }

        if (IsPollyExecution(method))
        {
            return PollyPipelines.HasRateLimiter(invocation.Instance, cancellationToken);
        }

        if (Options.For(invocation.Syntax.SyntaxTree).IsPacingMethod(method))
        {
            return true;
        }

        return depth > 0 && IsWorthFollowing(method, cancellationToken) && Summarize(method, depth - 1, cancellationToken).Paces;
    }

    /// <summary>
    /// Whether a wait follows the server's pacing: its duration, or a condition it runs under, reads Retry-After or a
    /// rate-limit header (<c>X-RateLimit-Remaining</c>, <c>X-RateLimit-Reset</c>, <c>RateLimit-*</c>). Such a wait runs
    /// only when the server says the quota is spent, which is exactly when a request path needs one: a loop or helper
    /// with it is paced by the server, though it does not wait on every path.
    /// </summary>
    public static bool FollowsServerPacing(IInvocationOperation wait)
    {
        if (wait.Arguments.Any(a => a.Value.DescendantsAndSelf().Any(ThrottleTest.IsHintRead)))
        {
            return true;
        }

        for (var parent = wait.Parent; parent is not null and not (IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyBaseOperation); parent = parent.Parent)
        {
            if (parent is IConditionalOperation conditional && conditional.Condition.DescendantsAndSelf().Any(ThrottleTest.IsHintRead))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The catalog entry a request targets, when the code shows enough of the URL: an absolute URL, or a
    /// relative path (also one appended to a base only known at run time) that the catalog marks distinctive.
    /// </summary>
    public CatalogEntry? MatchCatalog(RequestSend send)
    {
        var url = send.Url;
        if (url is null)
        {
            return null;
        }

        if (url.StartsWith(UrlText.Hole, StringComparison.Ordinal) && url.Length > UrlText.Hole.Length && url[UrlText.Hole.Length] == '/')
        {
            url = url.Substring(UrlText.Hole.Length);
        }

        return Catalog.TryMatchUrl(send.HttpMethod, url, out var entry) ? entry : null;
    }

    public bool IsHttpClientSend(IMethodSymbol method) =>
        s_httpClientSendMethods.Contains(method.Name)
        && (DerivesFrom(method.ContainingType, HttpClient) || (method.Name is "Send" or "SendAsync" && DerivesFrom(method.ContainingType, HttpMessageInvoker)));

    /// <summary>
    /// Whether the request goes through a client made, in view, with the runtime's <c>RateLimitedHandler</c>: it waits
    /// for a turn under its policy's quota before every attempt, so a loop sending through it is paced (the RL0002 fix
    /// gives clients this handler, and must not leave RL0001 asking for a second pacer on the same key).
    /// </summary>
    public bool SendsThroughPacingHandler(RequestSend send, CancellationToken cancellationToken) =>
        RateLimitedHandler is not null
        && Origins.OfSend(send, cancellationToken).Creation?.Arguments.FirstOrDefault(a => a.Parameter?.Name == "handler")?.Value is { } handler
        && UrlText.SkipConversions(handler) is IObjectCreationOperation { Type: { } handlerType }
        && DerivesFrom(handlerType, RateLimitedHandler);

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

    private bool IsRestSharpSend(IMethodSymbol method)
    {
        if (RestClient is null && RestClientInterface is null)
        {
            return false;
        }

        var receiver = method.IsExtensionMethod ? (method.ReducedFrom?.Parameters.FirstOrDefault()?.Type ?? method.Parameters.FirstOrDefault()?.Type) : method.ContainingType;
        if (receiver is not INamedTypeSymbol receiverType || !(DerivesFrom(receiverType, RestClient) || Implements(receiverType, RestClientInterface) || Is(receiverType, RestClientInterface)))
        {
            return false;
        }

        return s_restSharpSendPrefixes.Any(p => method.Name.StartsWith(p, StringComparison.Ordinal));
    }

    private (string? Method, string? Path)? RefitRoute(IMethodSymbol method)
    {
        if (RefitHttpMethodAttribute is null || method.ContainingType.TypeKind != TypeKind.Interface)
        {
            return null;
        }

        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass && CallNameIndex.RefitVerbAttributes.Contains(attributeClass.Name) && DerivesFrom(attributeClass, RefitHttpMethodAttribute))
            {
                var path = attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string : null;
                var verb = attributeClass.Name.EndsWith("Attribute", StringComparison.Ordinal) ? attributeClass.Name.Substring(0, attributeClass.Name.Length - "Attribute".Length) : attributeClass.Name;
                return (verb.ToUpperInvariant(), path);
            }
        }

        return null;
    }

    private bool IsPollyExecution(IMethodSymbol method)
    {
        if (!method.Name.StartsWith("Execute", StringComparison.Ordinal))
        {
            return false;
        }

        var type = method.ContainingType.OriginalDefinition;
        return Is(type, PollyPipeline) || Is(type, PollyPipelineOfT)
            || Implements(type, PollySyncPolicy) || Implements(type, PollyAsyncPolicy)
            || ImplementsGeneric(type, PollySyncPolicyOfT) || ImplementsGeneric(type, PollyAsyncPolicyOfT)
            || Is(type, PollySyncPolicy) || Is(type, PollyAsyncPolicy) || Is(type, PollySyncPolicyOfT) || Is(type, PollyAsyncPolicyOfT);
    }

    /// <summary>A send through the older transports: <c>WebClient.DownloadString</c> and friends, <c>HttpWebRequest.GetResponse(Async)</c>.</summary>
    private bool IsLegacySend(IMethodSymbol method) =>
        s_webClientSendNames.Contains(method.Name) && DerivesFrom(method.ContainingType, WebClient)
        || s_webRequestSendNames.Contains(method.Name) && DerivesFrom(method.ContainingType, WebRequest);

    /// <summary>Whether a client of the older transports is made here: a <c>WebClient</c>, or a request from <c>WebRequest.Create</c>.</summary>
    public bool IsLegacyClient(ITypeSymbol? type) => DerivesFrom(type, WebClient) || DerivesFrom(type, WebRequest);

    /// <summary>
    /// WebClient: the address is its first argument (under its <c>BaseAddress</c>), a download is a GET and an upload a
    /// POST unless a method is given. A WebRequest: the URL it was created with (<c>WebRequest.Create(url)</c>).
    /// </summary>
    private RequestSend DescribeLegacySend(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (s_webRequestSendNames.Contains(method.Name))
        {
            var created = invocation.Instance is { } instance ? UrlText.SkipConversions(instance) : null;
            if (created is ILocalReferenceOperation local && UrlText.InitializerOf(local) is { } initializer)
            {
                created = UrlText.SkipConversions(initializer);
            }

            var url = created is IInvocationOperation { TargetMethod.Name: "Create" or "CreateHttp", Arguments.Length: > 0 } create ? UrlText.Evaluate(create.Arguments[0].Value, Uri) : null;
            return new RequestSend(invocation, null, url, "WebRequest." + method.Name);
        }

        string? verb = method.Name.StartsWith("Download", StringComparison.Ordinal) || method.Name.StartsWith("OpenRead", StringComparison.Ordinal) ? "GET" : "POST";
        string? target = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "address")
            {
                target = UrlText.Evaluate(argument.Value, Uri);
            }
            else if (argument.Parameter?.Name == "method")
            {
                verb = argument.Value.ConstantValue is { HasValue: true, Value: string given } ? given.ToUpperInvariant() : null;
            }
        }

        return new RequestSend(invocation, verb, target, "WebClient." + method.Name);
    }

    private bool IsRuntimeSend(IMethodSymbol method) => RateLimitedSend is not null && Is(method.ContainingType, RateLimitedSend);

    private RequestSend DescribeHttpClientSend(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        string? verb = method.Name switch
        {
            var n when n.StartsWith("Get", StringComparison.Ordinal) => "GET",
            var n when n.StartsWith("Post", StringComparison.Ordinal) => "POST",
            var n when n.StartsWith("Put", StringComparison.Ordinal) => "PUT",
            var n when n.StartsWith("Patch", StringComparison.Ordinal) => "PATCH",
            var n when n.StartsWith("Delete", StringComparison.Ordinal) => "DELETE",
            _ => null,
        };

        string? url = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is null)
            {
                continue;
            }

            if (argument.Parameter.Name == "requestUri")
            {
                url = UrlText.Evaluate(argument.Value, Uri);
            }
            else if (argument.Parameter.Name == "request" && RequestMessageCreation(argument.Value) is { } creation)
            {
                (verb, url) = DescribeRequestMessage(creation);
            }
        }

        return new RequestSend(invocation, verb, url, (method.IsExtensionMethod ? "HttpClient" : method.ContainingType.Name) + "." + method.Name);
    }

    /// <summary>
    /// RestSharp: the verb from the method (<c>ExecutePostAsync</c>, <c>PostJsonAsync</c>) or the request's <c>Method</c>,
    /// the resource from a string argument or the <c>RestRequest</c> it is given; the base URL belongs to the client.
    /// </summary>
    private RequestSend DescribeRestSharpSend(IInvocationOperation invocation)
    {
        var name = invocation.TargetMethod.Name;
        var verbName = name.StartsWith("Execute", StringComparison.Ordinal) ? name.Substring("Execute".Length) : name;
        string? verb = s_restSharpVerbs.FirstOrDefault(v => verbName.StartsWith(v, StringComparison.Ordinal))?.ToUpperInvariant();
        string? resource = null;
        foreach (var argument in invocation.Arguments)
        {
            var value = UrlText.SkipConversions(argument.Value);
            if (argument.Parameter?.Name == "resource")
            {
                resource = UrlText.Evaluate(value, Uri);
            }
            else if (argument.Parameter?.Type.Name == "Method" && value is IFieldReferenceOperation { Field.IsConst: true } method)
            {
                verb ??= method.Field.Name.ToUpperInvariant();
            }
            else if (argument.Parameter?.Type.Name == "RestRequest" && RestRequestCreation(value) is { } request)
            {
                foreach (var requestArgument in request.Arguments)
                {
                    var requestValue = UrlText.SkipConversions(requestArgument.Value);
                    if (requestArgument.Parameter?.Name == "resource")
                    {
                        resource = UrlText.Evaluate(requestValue, Uri);
                    }
                    else if (requestArgument.Parameter?.Name == "method" && requestValue is IFieldReferenceOperation { Field.IsConst: true } requestMethod)
                    {
                        verb ??= requestMethod.Field.Name.ToUpperInvariant();
                    }
                }
            }
        }

        return new RequestSend(invocation, verb ?? "GET", resource, "RestClient." + name);
    }

    private static IObjectCreationOperation? RestRequestCreation(IOperation value)
    {
        // new RestRequest("resource", Method.Post).AddJsonBody(e): the fluent calls return the same request.
        while (value is IInvocationOperation { Type.Name: "RestRequest" } fluent && (fluent.Instance ?? fluent.Arguments.FirstOrDefault()?.Value) is { } receiver)
        {
            value = UrlText.SkipConversions(receiver);
        }

        if (value is IObjectCreationOperation { Type.Name: "RestRequest" } creation)
        {
            return creation;
        }

        return value is ILocalReferenceOperation local ? UrlText.InitializerOf(local) is { } initializer && UrlText.SkipConversions(initializer) is IObjectCreationOperation { Type.Name: "RestRequest" } created ? created : null : null;
    }

    private IObjectCreationOperation? RequestMessageCreation(IOperation value)
    {
        value = UrlText.SkipConversions(value);
        if (value is IObjectCreationOperation creation && Is(creation.Type, HttpRequestMessage))
        {
            return creation;
        }

        if (value is ILocalReferenceOperation local)
        {
            // `var request = new HttpRequestMessage(...)` in the same method, or the last `request = new ...` before the
            // send: a request variable given a new message takes the target of the one that reaches the send.
            var root = value;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            IOperation? reaching = null;
            var reachingStart = -1;
            foreach (var operation in root.Descendants())
            {
                var assigned = operation switch
                {
                    IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local.Local) => declarator.GetVariableInitializer()?.Value,
                    ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local.Local) => assignment.Value,
                    _ => null,
                };
                if (assigned is not null && operation.Syntax.SpanStart < value.Syntax.SpanStart && operation.Syntax.SpanStart > reachingStart)
                {
                    reaching = assigned;
                    reachingStart = operation.Syntax.SpanStart;
                }
            }

            if (reaching is not null && UrlText.SkipConversions(reaching) is IObjectCreationOperation created && Is(created.Type, HttpRequestMessage))
            {
                return created;
            }
        }

        return null;
    }

    private (string? Verb, string? Url) DescribeRequestMessage(IObjectCreationOperation creation)
    {
        string? verb = null;
        string? url = null;
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Name == "method" && UrlText.SkipConversions(argument.Value) is IPropertyReferenceOperation { Property: { IsStatic: true } property } && Is(property.ContainingType, HttpMethod))
            {
                verb = property.Name.ToUpperInvariant();
            }
            else if (argument.Parameter?.Name == "requestUri")
            {
                url = UrlText.Evaluate(argument.Value, Uri);
            }
        }

        return (verb, url);
    }

    private RequestSend? FirstSend(IOperation root, int depth, CancellationToken cancellationToken)
    {
        foreach (var operation in ControlFlow.DescendantsInSameFunction(root))
        {
            if (operation is IInvocationOperation call && AsSend(call, depth, cancellationToken) is { } send)
            {
                return send;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether a call into a method of the user's could send or wait at all, judged from names before any binding
    /// (see <see cref="CallNameIndex"/>). Metadata methods are never followed.
    /// </summary>
    private bool IsWorthFollowing(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        var index = CallNames(cancellationToken);
        if (method.MethodKind != MethodKind.LocalFunction)
        {
            return index.IsWorthFollowing(method.Name);
        }

        // A local function is known by its own body, which the index never reads ahead (it reads member declarations only).
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is LocalFunctionStatementSyntax local
                && ((SyntaxNode?)local.Body ?? local.ExpressionBody) is { } body
                && index.IsWorthFollowing(body))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a block of code (a method body, a field initializer) can hold anything the rules look at: a call by a name
    /// that sends (<c>GetAsync</c>, <c>ExecuteAsync</c>, a Refit method), a method of the user's that leads to one, or a
    /// Polly retry. Read from the block's identifiers, once per block for every rule, so the rules register their
    /// per-operation callbacks only in the few blocks that need them: nearly all code never touches HTTP.
    /// </summary>
    public bool MayInvolveRequests(ImmutableArray<IOperation> blocks, CancellationToken cancellationToken)
    {
        if (blocks.IsEmpty)
        {
            return false;
        }

        // Four rules ask about every block: the first one's answer serves the others.
        var key = blocks[0].Syntax;
        if (_blockDecisions.TryGetValue(key, out var known))
        {
            return known;
        }

        var decision = false;
        foreach (var block in blocks)
        {
            if (MayInvolveRequests(block.Syntax, cancellationToken))
            {
                decision = true;
                break;
            }
        }

        _blockDecisions.TryAdd(key, decision);
        return decision;
    }

    /// <summary>Whether a piece of code calls anything by a name that may send a request (see <see cref="MayInvolveRequests(ImmutableArray{IOperation}, CancellationToken)"/>).</summary>
    public bool MayInvolveRequests(SyntaxNode node, CancellationToken cancellationToken)
    {
        var index = CallNames(cancellationToken);
        return index.MayCall(node, name => IsRequestName(name, index), cancellationToken)
            || InvokesDelegateParameter(node, cancellationToken);
    }

    /// <summary>
    /// Whether the code runs a delegate its method is given (<c>send()</c> for a <c>Func&lt;Task&lt;T&gt;&gt; send</c>
    /// parameter): a retry helper of the user's, which sends what its callers' lambdas send. Read from the method's
    /// parameter list first, since few methods take a <c>Func</c> or an <c>Action</c>.
    /// </summary>
    private static bool InvokesDelegateParameter(SyntaxNode node, CancellationToken cancellationToken)
    {
        var parameters = node.AncestorsAndSelf().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax) switch
        {
            BaseMethodDeclarationSyntax method => method.ParameterList.Parameters,
            LocalFunctionStatementSyntax local => local.ParameterList.Parameters,
            _ => default,
        };

        HashSet<string>? delegates = null;
        foreach (var parameter in parameters)
        {
            var typeName = parameter.Type switch
            {
                GenericNameSyntax generic => generic.Identifier.ValueText,
                IdentifierNameSyntax name => name.Identifier.ValueText,
                QualifiedNameSyntax { Right: var right } => right.Identifier.ValueText,
                _ => null,
            };
            if (typeName is "Func" or "Action")
            {
                (delegates ??= new HashSet<string>(StringComparer.Ordinal)).Add(parameter.Identifier.ValueText);
            }
        }

        return delegates is not null && CallNameIndex.AnyCallIn(node, name => delegates.Contains(name) || name == "Invoke");
    }

    /// <summary>For tests: the gate read from the syntax's call names, which the text gate must never be stricter than.</summary>
    internal bool MayInvolveRequestsBySyntax(SyntaxNode node, CancellationToken cancellationToken)
    {
        var index = CallNames(cancellationToken);
        return CallNameIndex.AnyCallIn(node, name => IsRequestName(name, index));
    }

    // Asked by the index only about its gate names (these lists), the user's method names, Refit methods and Execute*.
    private bool IsRequestName(string name, CallNameIndex index) =>
        (s_sendNames.Contains(name) && (_sendExists || name != "Send"))
        || s_pollyRetryNames.Contains(name)
        || name.StartsWith("Execute", StringComparison.Ordinal)
        || index.IsRefitMethod(name)
        || index.IsWorthFollowing(name);

    // The IDE analyses each file against its own clone of the compilation (same trees, same references). The files'
    // names are kept per tree already; the fixpoint over all of them is the same for every clone, so it is kept per set
    // of trees and options too (it holds names only, nothing of one compilation).
    private static readonly SnapshotCache<CallNameIndex> s_callNameIndexes = new();

    /// <summary>The call-name index this compilation uses, for tests: compilations of one snapshot share the instance.</summary>
    internal CallNameIndex CallNamesForTesting(CancellationToken cancellationToken) => CallNames(cancellationToken);

    private CallNameIndex CallNames(CancellationToken cancellationToken)
    {
        var index = Volatile.Read(ref _callNames);
        if (index is null)
        {
            index = s_callNameIndexes.GetOrCreate(_compilation, Options.Provider, () =>
            {
                var pacingNames = new HashSet<string>(_compilation.SyntaxTrees.SelectMany(t => Options.For(t).PacingMethodNames()), StringComparer.Ordinal);
                return CallNameIndex.Build(
                    _compilation,
                    name => (s_sendOrWaitNames.Contains(name) && (_sendExists || name != "Send")) || name.StartsWith("Execute", StringComparison.Ordinal) || pacingNames.Contains(name),
                    RefitHttpMethodAttribute is not null,
                    tree => !IsEmittedRuntime(tree),
                    s_sendNames.Union(s_pollyRetryNames),
                    "Execute",
                    cancellationToken);
            });
            Volatile.Write(ref _callNames, index);
        }

        return index;
    }

    // The runtime the package's generator emits: the rules know its types by symbol, so its own names seed nothing.
    private static bool IsEmittedRuntime(SyntaxTree tree) =>
        tree.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) && tree.FilePath.IndexOf(nameof(Generator.PacingRuntimeGenerator), StringComparison.Ordinal) >= 0;

    private MethodSummary Summarize(IMethodSymbol method, int depth, CancellationToken cancellationToken)
    {
        method = method.ReducedFrom ?? method;
        if (method.DeclaringSyntaxReferences.IsEmpty || method.IsExtern)
        {
            return MethodSummary.Nothing;
        }

        return _summaries.GetOrAdd(
            (method.OriginalDefinition, depth),
            key => key.Method.IsAbstract ? SummarizeImplementations(key.Method, key.Depth, cancellationToken) : ComputeSummary(key.Method, key.Depth, cancellationToken));
    }

    /// <summary>
    /// An interface or abstract method does what the compilation's implementations of it do (<c>IConnection.Get</c>
    /// sends because <c>Connection.Get</c> does): it sends if one of them sends, and paces if all of them pace.
    /// </summary>
    private MethodSummary SummarizeImplementations(IMethodSymbol method, int depth, CancellationToken cancellationToken)
    {
        var implementations = Implementations(method, cancellationToken);
        var sends = false;
        var paces = !implementations.IsEmpty;
        foreach (var implementation in implementations)
        {
            var summary = Summarize(implementation, depth, cancellationToken);
            sends |= summary.Sends;
            paces &= summary.Paces;
        }

        return new MethodSummary(sends, paces);
    }

    /// <summary>
    /// The compilation's own methods that implement an interface method or override an abstract one. Found by name in
    /// the compilation's declarations, so no code is bound to find them.
    /// </summary>
    private ImmutableArray<IMethodSymbol> Implementations(IMethodSymbol method, CancellationToken cancellationToken) =>
        _implementations.GetOrAdd(method, m =>
        {
            var found = ImmutableArray.CreateBuilder<IMethodSymbol>();
            foreach (var candidate in _compilation.GetSymbolsWithName(m.Name, SymbolFilter.Member, cancellationToken).OfType<IMethodSymbol>())
            {
                if (!candidate.IsAbstract && Implements(candidate, m))
                {
                    found.Add(candidate);
                }
            }

            return found.ToImmutable();
        });

    private static bool Implements(IMethodSymbol candidate, IMethodSymbol method)
    {
        if (method.ContainingType.TypeKind == TypeKind.Interface)
        {
            foreach (var @interface in candidate.ContainingType.AllInterfaces)
            {
                if (!SymbolEqualityComparer.Default.Equals(@interface.OriginalDefinition, method.ContainingType))
                {
                    continue;
                }

                foreach (var member in @interface.GetMembers(method.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(member.OriginalDefinition, method)
                        && SymbolEqualityComparer.Default.Equals(candidate.ContainingType.FindImplementationForInterfaceMember(member)?.OriginalDefinition, candidate.OriginalDefinition))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        for (var overridden = candidate.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, method))
            {
                return true;
            }
        }

        return false;
    }

    private MethodSummary ComputeSummary(IMethodSymbol method, int depth, CancellationToken cancellationToken)
    {
        var sends = false;
        var paces = false;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            if (!_compilation.ContainsSyntaxTree(declaration.SyntaxTree))
            {
                continue;
            }

            var body = OperationOf(declaration, cancellationToken);
            if (body is null)
            {
                continue;
            }

            HashSet<IInvocationOperation>? waits = null;
            foreach (var operation in ControlFlow.DescendantsInSameFunction(body))
            {
                if (operation is IInvocationOperation call)
                {
                    sends |= AsSend(call, depth, cancellationToken) is not null;
                    if (IsPacing(call, depth, cancellationToken))
                    {
                        (waits ??= new HashSet<IInvocationOperation>()).Add(call);
                    }
                }
            }

            // Most methods wait nowhere; only one that waits somewhere has its paths followed.
            paces |= waits is not null
                && (waits.Any(FollowsServerPacing) || PacingPaths.WaitsOnEveryPath(body, call => waits.Contains(call) ? CallEffect.Waits : CallEffect.None, cancellationToken));
        }

        return new MethodSummary(sends, paces);
    }

    /// <summary>
    /// The operation for a node anywhere in the compilation. Following a call into the user's own method, or a client
    /// to the constructor or registration that makes it, needs operations from another syntax tree's semantic model;
    /// this is the one place the analyzers ask for one.
    /// </summary>
    public IOperation? OperationOf(SyntaxNode node, CancellationToken cancellationToken)
    {
        if (!_compilation.ContainsSyntaxTree(node.SyntaxTree))
        {
            return null;
        }

        // One model per tree, so a method body followed from several places is bound once.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
        var model = _models.GetOrAdd(node.SyntaxTree, tree => _compilation.GetSemanticModel(tree));
#pragma warning restore RS1030
        return model.GetOperation(node, cancellationToken);
    }

    /// <summary>
    /// The operations in a type declaration that may give a member its value or its client a base address: the
    /// member's initializer, assignments to it, and assignments to a <c>BaseAddress</c>. Found by syntax first, so
    /// only those statements are bound, not every member of the type.
    /// </summary>
    public IEnumerable<IOperation>? AssignmentsIn(SyntaxNode typeDeclaration, string memberName, CancellationToken cancellationToken)
    {
        if (!_compilation.ContainsSyntaxTree(typeDeclaration.SyntaxTree))
        {
            return null;
        }

        return Find();

        IEnumerable<IOperation> Find()
        {
            foreach (var node in typeDeclaration.DescendantNodes(n => n == typeDeclaration || n is not BaseTypeDeclarationSyntax))
            {
                var relevant = node switch
                {
                    EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } => declarator.Identifier.ValueText == memberName,
                    EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property } => property.Identifier.ValueText == memberName,
                    AssignmentExpressionSyntax assignment when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) => AssignedName(assignment.Left) is { } name && (name == memberName || name == "BaseAddress"),
                    _ => false,
                };
                if (relevant && OperationOf(node, cancellationToken) is { } operation)
                {
                    yield return operation;
                }
            }
        }

        static string? AssignedName(ExpressionSyntax left) => left switch
        {
            IdentifierNameSyntax name => name.Identifier.ValueText,
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            _ => null,
        };
    }

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

    private readonly record struct MethodSummary(bool Sends, bool Paces)
    {
        public static MethodSummary Nothing => default;
    }
}

/// <summary>A call that sends an HTTP request, with what the code shows of its target.</summary>
/// <param name="Invocation">The call.</param>
/// <param name="HttpMethod">GET, POST, ... when known.</param>
/// <param name="Url">The request URL as far as the code shows it; parts computed at run time appear as <c>{0}</c>.</param>
/// <param name="Api">The API method called, e.g. <c>HttpClient.GetAsync</c>.</param>
internal sealed record RequestSend(IInvocationOperation Invocation, string? HttpMethod, string? Url, string Api);

/// <summary>Full names of the pacing runtime's types, which the analyzers recognise and the fixes insert.</summary>
internal static class PacingRuntime
{
    public const string Namespace = "RateLimitAnalyzers.Pacing";
    public const string RequestPacer = Namespace + ".RequestPacer";
    public const string QuotaWindow = Namespace + ".QuotaWindow";
    public const string RateLimitedSend = Namespace + ".RateLimitedSend";
    public const string RateLimitedHandler = Namespace + ".RateLimitedHandler";
    public const string RateLimitPolicy = Namespace + ".RateLimitPolicy";
}
