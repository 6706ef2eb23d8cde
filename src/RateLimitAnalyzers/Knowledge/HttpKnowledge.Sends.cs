using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Knowledge;

// Which calls send a request, and where to: HttpClient, its JSON extensions, RestSharp, Refit, WebClient / WebRequest, a handler's base send, and the user's methods that lead to one.
internal sealed partial class HttpKnowledge
{
    /// <summary>The request this call sends, directly or through the user's own methods; null when it sends none.</summary>
    public RequestSend? AsSend(IInvocationOperation invocation, CancellationToken cancellationToken) =>
        AsSend(invocation, follow: true, cancellationToken);

    /// <summary>
    /// The request this call makes each time it runs: what <see cref="AsSend(IInvocationOperation, CancellationToken)"/>
    /// says, but none for a call made only while a member is unset (<c>_icon ??= Fetch()</c>, see
    /// <see cref="Operations.RunsOnlyWhileUnset"/>), which a loop or a caller repeating its code does not repeat.
    /// </summary>
    public RequestSend? AsRepeatedSend(IInvocationOperation invocation, CancellationToken cancellationToken) =>
        Operations.RunsOnlyWhileUnset(invocation) ? null : AsSend(invocation, follow: true, cancellationToken);

    /// <summary>
    /// The request this call itself sends through an HTTP library (HttpClient, its JSON extensions, RestSharp, a Refit
    /// interface); null for calls that only lead to one (the user's own methods, a Polly execution, the runtime's
    /// retrying send), whose inner request is looked at where it is made.
    /// </summary>
    public RequestSend? AsDirectSend(IInvocationOperation invocation, CancellationToken cancellationToken) =>
        invocation.TargetMethod.ContainingType is null || IsPollyExecution(invocation.TargetMethod) || IsRuntimeSend(invocation.TargetMethod)
            ? null
            : AsSend(invocation, follow: false, cancellationToken);

    /// <summary>Whether the call goes through the runtime's retrying send.</summary>
    public bool IsRuntimeSend(IInvocationOperation invocation) => IsRuntimeSend(invocation.TargetMethod);

    /// <param name="follow">Whether calls into the user's own methods and delegates are followed to the sends they lead to.</param>
    private RequestSend? AsSend(IInvocationOperation invocation, bool follow, CancellationToken cancellationToken)
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
                    && FirstSend(lambda.Body, follow, cancellationToken) is { } inner)
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
            return follow && DelegateSend(parameter, cancellationToken) is { } inner ? inner with { Invocation = invocation } : null;
        }

        if (follow && IsWorthFollowing(method, cancellationToken) && Summarize(method, cancellationToken).Sends)
        {
            return new RequestSend(invocation, null, null, type.Name + "." + method.Name);
        }

        return follow ? SendOfLambdaRunBy(invocation, cancellationToken) : null;
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
    /// Where a request goes, resolved one way for every rule: a relative URL under the base address of the client it is
    /// sent through (set where the client is made, in a constructor, a factory method or a typed or named client's
    /// registration; a Refit route under its interface's base), then matched against the catalog.
    /// </summary>
    public RequestTarget TargetOf(RequestSend send, CancellationToken cancellationToken)
    {
        // Cheap questions first: an absolute URL needs no client. Only a library's own send has a client whose base
        // address applies; the user's methods that lead to one are resolved where that send is made.
        if (send.Url is { } url && url.Contains("://") || !IsLibrarySend(send.Invocation.TargetMethod))
        {
            return new RequestTarget(send, send.Url, MatchCatalog(send), null);
        }

        var origin = Origins.OfSend(send, cancellationToken);
        var resolved = IsRefitMethod(send.Invocation.TargetMethod)
            ? UrlText.Append(origin.BaseAddress, send.Url)
            : UrlText.Resolve(origin.BaseAddress, send.Url);
        return new RequestTarget(send, resolved, MatchCatalog(send with { Url = resolved }), origin);
    }

    /// <summary>The origin of the client a resolved request goes through, looked up now if resolving did not need it.</summary>
    public ClientOrigin OriginOf(RequestTarget target, CancellationToken cancellationToken) =>
        target.Origin ?? Origins.OfSend(target.Send, cancellationToken);

    /// <summary>A send of an HTTP library itself, whose receiver is the client: not a user's method, a delegate or a Polly execution that leads to one.</summary>
    private bool IsLibrarySend(IMethodSymbol method) =>
        IsHttpClientSend(method)
        || Is(method.ContainingType, HttpClientJsonExtensions)
        || IsRestSharpSend(method)
        || IsLegacySend(method)
        || RefitRoute(method) is not null;

    /// <summary>
    /// The catalog entry a request targets, when the code shows enough of the URL: an absolute URL, or a
    /// relative path (also one appended to a base only known at run time) that the catalog marks distinctive.
    /// </summary>
    private CatalogEntry? MatchCatalog(RequestSend send)
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

        return IsRestSharpSendName(method.Name);
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
            var root = Operations.Root(value);

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

    private RequestSend? FirstSend(IOperation root, bool follow, CancellationToken cancellationToken)
    {
        foreach (var operation in ControlFlow.DescendantsInSameFunction(root))
        {
            if (operation is IInvocationOperation call && AsSend(call, follow, cancellationToken) is { } send)
            {
                return send;
            }
        }

        return null;
    }
}
