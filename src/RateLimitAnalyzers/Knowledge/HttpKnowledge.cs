using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
    // Followed through this many calls into the user's own methods ("SendPageAsync → GetJsonAsync → client.GetAsync").
    private const int MaxCallDepth = 3;

    private static readonly ImmutableHashSet<string> s_httpClientSendMethods = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "GetAsync", "PostAsync", "PutAsync", "PatchAsync", "DeleteAsync", "SendAsync", "Send",
        "GetStringAsync", "GetByteArrayAsync", "GetStreamAsync", "GetString", "GetByteArray", "GetStream");

    private static readonly string[] s_restSharpSendPrefixes = { "Execute", "Get", "Post", "Put", "Patch", "Delete", "Head", "Options", "Download" };

    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Depth), MethodSummary> _summaries = new();

    private HttpKnowledge(Compilation compilation, RateLimitOptionsCache options, EndpointCatalog catalog)
    {
        _compilation = compilation;
        Options = options;
        Catalog = catalog;
        HttpClient = compilation.GetTypeByMetadataName("System.Net.Http.HttpClient");
        HttpMessageInvoker = compilation.GetTypeByMetadataName("System.Net.Http.HttpMessageInvoker");
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
    }

    public RateLimitOptionsCache Options { get; }

    public EndpointCatalog Catalog { get; }

    public INamedTypeSymbol? HttpClient { get; }

    public INamedTypeSymbol? HttpMessageInvoker { get; }

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

    /// <summary>
    /// The knowledge for a compilation, or null when it cannot send HTTP requests at all (no HttpClient,
    /// RestSharp or Refit): then no rule has anything to look at and they all return at once.
    /// </summary>
    public static HttpKnowledge? TryCreate(Compilation compilation, RateLimitOptionsCache options, Func<EndpointCatalog> catalog) =>
        CanSendRequests(compilation) ? new HttpKnowledge(compilation, options, catalog()) : null;

    /// <summary>Whether the compilation references an HTTP client at all: HttpClient, RestSharp or Refit.</summary>
    public static bool CanSendRequests(Compilation compilation) =>
        compilation.GetTypeByMetadataName("System.Net.Http.HttpClient") is not null
        || compilation.GetTypeByMetadataName("RestSharp.RestClient") is not null
        || compilation.GetTypeByMetadataName("Refit.HttpMethodAttribute") is not null;

    /// <summary>The request this call sends, directly or through the user's own methods; null when it sends none.</summary>
    public RequestSend? AsSend(IInvocationOperation invocation, CancellationToken cancellationToken) =>
        AsSend(invocation, MaxCallDepth, cancellationToken);

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

        if (IsHttpClientSend(method))
        {
            return DescribeHttpClientSend(invocation);
        }

        if (HttpClientJsonExtensions is not null && SymbolEqualityComparer.Default.Equals(type, HttpClientJsonExtensions))
        {
            return DescribeHttpClientSend(invocation);
        }

        if (IsRestSharpSend(method))
        {
            return new RequestSend(invocation, null, null, "RestClient." + method.Name);
        }

        if (RefitRoute(method) is { } route)
        {
            return new RequestSend(invocation, route.Method, route.Path, type.Name + "." + method.Name);
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

        if (depth > 0 && Summarize(method, depth - 1, cancellationToken).Sends)
        {
            return new RequestSend(invocation, null, null, type.Name + "." + method.Name);
        }

        return null;
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
            return PollyPipelineHasRateLimiter(invocation.Instance, cancellationToken);
        }

        if (Options.For(invocation.Syntax.SyntaxTree).IsPacingMethod(method))
        {
            return true;
        }

        return depth > 0 && Summarize(method, depth - 1, cancellationToken).Paces;
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
            if (attribute.AttributeClass is { } attributeClass && DerivesFrom(attributeClass, RefitHttpMethodAttribute))
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

    private bool IsRuntimeSend(IMethodSymbol method) => RateLimitedSend is not null && Is(method.ContainingType, RateLimitedSend);

    /// <summary>
    /// Whether the Polly pipeline or policy this call runs holds a rate limiter. When the code that builds
    /// it is not in view (injected, or from a provider), we do not guess: it counts as pacing.
    /// </summary>
    private bool PollyPipelineHasRateLimiter(IOperation? instance, CancellationToken cancellationToken)
    {
        var symbol = instance switch
        {
            ILocalReferenceOperation local => (ISymbol)local.Local,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };

        if (symbol is null)
        {
            return true;
        }

        var compositions = CompositionsOf(symbol, cancellationToken).ToList();
        if (compositions.Count == 0)
        {
            return true;
        }

        return compositions.Any(expression => expression.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().Any(call => InvokedName(call) is "AddRateLimiter" or "RateLimit" or "RateLimitAsync"));
    }

    /// <summary>The expressions assigned to a pipeline variable in view that build it (a builder chain or a Policy factory).</summary>
    private static System.Collections.Generic.IEnumerable<ExpressionSyntax> CompositionsOf(ISymbol symbol, CancellationToken cancellationToken)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            if (declaration is VariableDeclaratorSyntax { Initializer.Value: { } initializer } && BuildsPipeline(initializer))
            {
                yield return initializer;
            }

            if (declaration is PropertyDeclarationSyntax { Initializer.Value: { } propertyInitializer } && BuildsPipeline(propertyInitializer))
            {
                yield return propertyInitializer;
            }

            // Assignments in the constructor or method that owns the variable.
            var scope = symbol is ILocalSymbol
                ? declaration.FirstAncestorOrSelf<MemberDeclarationSyntax>()
                : declaration.FirstAncestorOrSelf<TypeDeclarationSyntax>();
            if (scope is null)
            {
                continue;
            }

            foreach (var assignment in scope.DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                var target = assignment.Left switch
                {
                    IdentifierNameSyntax name => name.Identifier.ValueText,
                    MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } member => member.Name.Identifier.ValueText,
                    _ => null,
                };
                if (target == symbol.Name && BuildsPipeline(assignment.Right))
                {
                    yield return assignment.Right;
                }
            }
        }
    }

    private static bool BuildsPipeline(ExpressionSyntax expression) =>
        expression.DescendantNodesAndSelf().Any(node =>
            node is ObjectCreationExpressionSyntax creation && creation.Type.ToString().Contains("ResiliencePipelineBuilder")
            || node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Policy" } } }
            || node is InvocationExpressionSyntax call && InvokedName(call) is "Build" or "WrapAsync" or "Wrap");

    private static string? InvokedName(InvocationExpressionSyntax call) => call.Expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        IdentifierNameSyntax name => name.Identifier.ValueText,
        GenericNameSyntax generic => generic.Identifier.ValueText,
        _ => null,
    };

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

    private IObjectCreationOperation? RequestMessageCreation(IOperation value)
    {
        value = UrlText.SkipConversions(value);
        if (value is IObjectCreationOperation creation && Is(creation.Type, HttpRequestMessage))
        {
            return creation;
        }

        if (value is ILocalReferenceOperation local)
        {
            // `var request = new HttpRequestMessage(...)` in the same method.
            var root = value;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            foreach (var declarator in root.Descendants().OfType<IVariableDeclaratorOperation>())
            {
                if (SymbolEqualityComparer.Default.Equals(declarator.Symbol, local.Local)
                    && declarator.GetVariableInitializer()?.Value is { } initializer
                    && UrlText.SkipConversions(initializer) is IObjectCreationOperation created
                    && Is(created.Type, HttpRequestMessage))
                {
                    return created;
                }
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

    private MethodSummary Summarize(IMethodSymbol method, int depth, CancellationToken cancellationToken)
    {
        method = method.ReducedFrom ?? method;
        if (method.DeclaringSyntaxReferences.IsEmpty || method.IsAbstract || method.IsExtern)
        {
            return MethodSummary.Nothing;
        }

        return _summaries.GetOrAdd((method.OriginalDefinition, depth), key => ComputeSummary(key.Method, key.Depth, cancellationToken));
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

            // Following a call into the user's own method needs that method's operations, which live in
            // another syntax tree's semantic model. This is the one place the analyzers ask for one.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
            var model = _compilation.GetSemanticModel(declaration.SyntaxTree);
#pragma warning restore RS1030
            var body = model.GetOperation(declaration, cancellationToken);
            if (body is null)
            {
                continue;
            }

            foreach (var operation in ControlFlow.DescendantsInSameFunction(body))
            {
                if (operation is not IInvocationOperation call)
                {
                    continue;
                }

                sends |= AsSend(call, depth, cancellationToken) is not null;
                paces |= ControlFlow.RunsEveryTime(call, body) && IsPacing(call, depth, cancellationToken);
            }
        }

        return new MethodSummary(sends, paces);
    }

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
}
