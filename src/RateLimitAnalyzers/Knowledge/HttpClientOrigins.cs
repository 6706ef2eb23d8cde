using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>Whether the client a request goes through retries throttled requests on its own.</summary>
internal enum ClientProtection
{
    /// <summary>The client is in view and nothing in it retries.</summary>
    None,

    /// <summary>A handler in the client's pipeline retries: the runtime's, Polly's, or the resilience library's.</summary>
    Retries,

    /// <summary>
    /// The code does not show where the client comes from, or shows a handler we cannot judge (the user's own
    /// DelegatingHandler, a registration extension of theirs). The rules do not guess about it.
    /// </summary>
    Unseen,
}

/// <summary>
/// Where a request's client comes from, as far as the compilation shows: its base address, whether its handlers
/// retry, and the <c>new HttpClient(...)</c> a fix can give a retrying handler.
/// </summary>
/// <param name="BaseAddress">The base address the client was given, as <see cref="UrlText"/> shows it; null when unknown.</param>
/// <param name="Protection">Whether the client retries on its own.</param>
/// <param name="Creation">The one <c>new HttpClient(...)</c> the client comes from, when there is exactly one in view.</param>
internal sealed record ClientOrigin(string? BaseAddress, ClientProtection Protection, IObjectCreationOperation? Creation)
{
    public static ClientOrigin Unseen { get; } = new(null, ClientProtection.Unseen, null);

    /// <summary>The runtime's <c>RateLimitedHandler</c> in the client's pipeline, when it has one: it paces and retries only the requests its policies cover.</summary>
    public PacingHandler? Pacing { get; init; }

    /// <summary>Whether a handler other than <see cref="Pacing"/> retries (Polly's, the resilience library's): then every request is retried.</summary>
    public bool OtherHandlerRetries { get; init; }

    /// <summary>
    /// Whether the client retries a request to <paramref name="url"/> (the catalog's <paramref name="entry"/>): a retrying
    /// handler of Polly or the resilience library retries every request, the runtime's handler only those its policies cover.
    /// </summary>
    public ClientProtection ProtectionFor(string? url, CatalogEntry? entry) =>
        Protection == ClientProtection.Retries && Pacing is { } pacing && !OtherHandlerRetries && !pacing.Covers(url, entry)
            ? ClientProtection.None
            : Protection;

    /// <summary>Whether the client's own handler paces requests to <paramref name="url"/>: a <c>RateLimitedHandler</c> whose policies cover it.</summary>
    public bool PacesFor(string? url, CatalogEntry? entry) => Pacing is { } pacing && pacing.Covers(url, entry);

    /// <summary>Several possible origins (a field assigned in two constructors): the base when they agree, and "no protection" only when none has any.</summary>
    public static ClientOrigin Merge(IReadOnlyList<ClientOrigin> origins)
    {
        if (origins.Count == 0)
        {
            return Unseen;
        }

        if (origins.Count == 1)
        {
            return origins[0];
        }

        var bases = origins.Select(o => o.BaseAddress).Distinct(StringComparer.Ordinal).ToList();
        var protection = origins.Any(o => o.Protection == ClientProtection.Unseen) ? ClientProtection.Unseen
            : origins.Any(o => o.Protection == ClientProtection.Retries) ? ClientProtection.Retries
            : ClientProtection.None;

        // The same handler on every path keeps its policies; different ones are not judged endpoint by endpoint.
        var pacing = origins.Select(o => o.Pacing).Distinct().ToList();
        return new ClientOrigin(bases.Count == 1 ? bases[0] : null, protection, null)
        {
            Pacing = pacing.Count == 1 ? pacing[0] : null,
            OtherHandlerRetries = origins.Any(o => o.OtherHandlerRetries),
        };
    }

    public ClientOrigin WithBaseAddress(string? baseAddress) => baseAddress is null ? this : this with { BaseAddress = baseAddress };
}

/// <summary>One policy of a <c>RateLimitedHandler</c> as the code shows it.</summary>
/// <param name="Key">The policy's key; null when computed at run time.</param>
/// <param name="BaseAddress">Its <c>BaseAddress</c>: null when it has none (it covers every request), <see cref="UrlText.Hole"/> inside when computed.</param>
internal sealed record HandlerPolicy(string? Key, string? BaseAddress);

/// <summary>
/// The runtime's <c>RateLimitedHandler</c> on a client: <c>new RateLimitedHandler(policies)</c> or
/// <c>RateLimitedHandler.ForHttpClientFactory(policies)</c>, with the policies it picks from by request URL.
/// </summary>
/// <param name="Policies">Its policies; default when the code does not show them all (a policy array built elsewhere).</param>
/// <param name="Creation">Where the handler is made, for a fix that adds a policy to it.</param>
internal sealed record PacingHandler(ImmutableArray<HandlerPolicy> Policies, SyntaxNode Creation)
{
    /// <summary>
    /// Whether one of the policies covers a request to <paramref name="url"/> (the catalog's <paramref name="entry"/>):
    /// one whose base address the URL lies under, one without a base address keyed by the entry's key or the URL's host,
    /// or the only policy when it has no base address (it covers everything). What the code does not show (a policy, or where
    /// the request goes) counts as covering.
    /// </summary>
    public bool Covers(string? url, CatalogEntry? entry)
    {
        if (Policies.IsDefault || Policies.Length == 1 && Policies[0].BaseAddress is null)
        {
            return true;
        }

        var absolute = url is not null && UrlText.HostOf(url) is not null;
        var host = UrlText.HostOf(url) ?? entry?.Host;
        if (host is null)
        {
            // Where the request goes is not in view; the handler may well be there for it.
            return true;
        }
        foreach (var policy in Policies)
        {
            if (policy.BaseAddress is { } baseAddress)
            {
                if (baseAddress.Contains(UrlText.Hole)
                    || (absolute ? UrlText.IsUnder(url!, baseAddress) : UrlText.HostOf(baseAddress) == host))
                {
                    return true;
                }
            }
            else if (policy.Key is null || policy.Key.Contains(UrlText.Hole)
                || policy.Key == entry?.Key || policy.Key == entry?.Host || string.Equals(policy.Key, host, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public bool Equals(PacingHandler? other) =>
        other is not null && Creation == other.Creation && (Policies.IsDefault ? other.Policies.IsDefault : !other.Policies.IsDefault && Policies.SequenceEqual(other.Policies));

    public override int GetHashCode() => Creation.GetHashCode();
}

/// <summary>
/// Follows the client a request is sent through back to where it is made: <c>new HttpClient(handler) { BaseAddress = ... }</c>,
/// a field set in a constructor, a typed or named client registered with <c>AddHttpClient</c>, a Refit interface
/// registered with <c>AddRefitClient</c> or made by <c>RestService.For</c>, a RestSharp <c>RestClient</c>.
/// Registrations are indexed the first time a rule needs them, once for every compilation with the same trees and
/// references (see <see cref="SnapshotCache{T}"/>).
/// </summary>
internal sealed class HttpClientOrigins
{
    // Calls on an IHttpClientBuilder that we understand; any other builder call is the user's own extension
    // and might add anything, so it makes the registration unseen.
    private static readonly ImmutableHashSet<string> s_neutralBuilderCalls = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "ConfigureHttpClient", "ConfigurePrimaryHttpMessageHandler", "SetHandlerLifetime", "ConfigureAdditionalHttpMessageHandlers",
        "AddTypedClient", "RedactLoggedHeaders", "AddHeaderPropagation", "AddExtendedHttpClientLogging", "RemoveAllLoggers", "AddDefaultLogger",
        "AddLogger", "ConfigureHttpMessageHandlerBuilder", "UseSocketsHttpHandler");

    private static readonly ImmutableHashSet<string> s_retryingBuilderCalls = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "AddStandardResilienceHandler", "AddStandardHedgingHandler", "AddResilienceHandler", "AddPolicyHandler", "AddTransientHttpErrorPolicy", "AddPolicyHandlerFromRegistry");

    private static readonly ImmutableHashSet<string> s_registrationCalls = ImmutableHashSet.Create(
        StringComparer.Ordinal, "AddHttpClient", "AddRefitClient", "ConfigureHttpClientDefaults");

    /// <summary>
    /// The names of the calls that register or make a client the registration index reads: the HttpClient factory's and
    /// Refit's registrations, and Refit's <c>RestService.For</c> when Refit is referenced. The name index reads them
    /// from every file's text, so the registrations are found in the files that name them.
    /// </summary>
    public static IEnumerable<string> RegistrationCallNames(bool refitReferenced) =>
        refitReferenced ? s_registrationCalls.Add("For") : s_registrationCalls;

    // The IDE analyses each file against its own clone of the compilation; the registrations are the same for all of
    // them, and indexing binds every method that registers a client, so they are kept per set of trees and references.
    private static readonly SnapshotCache<RegisteredClients> s_registrations = new();

    private readonly HttpKnowledge _knowledge;
    private readonly Compilation _compilation;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ISymbol, ClientOrigin> _members = new(SymbolEqualityComparer.Default);
    private RegisteredClients? _registrations;

    public HttpClientOrigins(HttpKnowledge knowledge, Compilation compilation)
    {
        _knowledge = knowledge;
        _compilation = compilation;
    }

    /// <summary>
    /// The registrations, indexed by the first caller that needs them, with that caller's cancellation token; a
    /// cancelled indexing is not remembered, so the next caller starts over.
    /// </summary>
    private RegisteredClients RegistrationsFor(CancellationToken cancellationToken)
    {
        var registrations = Volatile.Read(ref _registrations);
        if (registrations is null)
        {
            registrations = s_registrations.GetOrCreate(_compilation, extra: null, () => Registrations.Index(this, _knowledge, _compilation, cancellationToken));
            Volatile.Write(ref _registrations, registrations);
        }

        return registrations;
    }

    /// <summary>The registrations this compilation uses, for tests: compilations of one snapshot share the instance.</summary>
    internal object RegistrationsForTesting(CancellationToken cancellationToken) => RegistrationsFor(cancellationToken);

    private ClientOrigin ForType(ITypeSymbol type, CancellationToken cancellationToken) =>
        Resolve(RegistrationsFor(cancellationToken).ForType(type), cancellationToken);

    /// <summary>A kept registration in this compilation's terms: its <c>new HttpClient(...)</c> bound by this compilation.</summary>
    private ClientOrigin Resolve(RegisteredClient? registered, CancellationToken cancellationToken) =>
        registered is null ? ClientOrigin.Unseen
        : new ClientOrigin(
            registered.BaseAddress,
            registered.Protection,
            registered.Creation is { } creation ? _knowledge.OperationOf(creation, cancellationToken) as IObjectCreationOperation : null)
        {
            Pacing = registered.Pacing,
            OtherHandlerRetries = registered.OtherHandlerRetries,
        };

    /// <summary>The origin of the client a request is sent through: the receiver of the send.</summary>
    public ClientOrigin OfSend(RequestSend send, CancellationToken cancellationToken)
    {
        var invocation = send.Invocation;
        var method = invocation.TargetMethod;
        var receiver = invocation.Instance ?? (method.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);

        if (_knowledge.IsRefitMethod(method))
        {
            return OfRefitInterface(method.ContainingType, cancellationToken);
        }

        return receiver is null ? ClientOrigin.Unseen : OfValue(receiver, depth: 3, cancellationToken);
    }

    /// <summary>What an expression that holds a client (HttpClient, RestClient) is made from.</summary>
    public ClientOrigin OfValue(IOperation value, int depth, CancellationToken cancellationToken) =>
        OfValue(value, depth, useRegistrations: true, cancellationToken);

    /// <param name="useRegistrations">False while the registrations are being indexed: a client a registration is given is followed to a <c>new HttpClient</c> only.</param>
    private ClientOrigin OfValue(IOperation value, int depth, bool useRegistrations, CancellationToken cancellationToken)
    {
        value = UrlText.SkipConversions(value);
        if (!useRegistrations)
        {
            return value is IObjectCreationOperation direct && _knowledge.DerivesFrom(direct.Type, _knowledge.HttpMessageInvoker)
                ? OfHttpClientCreation(direct, cancellationToken)
                : value is ILocalReferenceOperation local0 && depth > 0
                    ? ClientOrigin.Merge(Operations.LocalValues(local0).Select(v => OfValue(v, depth - 1, useRegistrations: false, cancellationToken)).ToList())
                    : ClientOrigin.Unseen;
        }

        switch (value)
        {
            case IObjectCreationOperation creation when _knowledge.DerivesFrom(creation.Type, _knowledge.HttpMessageInvoker):
                return OfHttpClientCreation(creation, cancellationToken);

            case IObjectCreationOperation creation when _knowledge.IsRestClient(creation.Type):
                return OfRestClientCreation(creation, depth, cancellationToken);

            case IObjectCreationOperation or IInvocationOperation { TargetMethod.Name: "Create" or "CreateHttp" } when _knowledge.IsLegacyClient(value.Type):
                // A WebClient or a WebRequest made here: neither has a handler chain, so nothing retries it.
                var legacyBase = (value as IObjectCreationOperation)?.Initializer?.Initializers.OfType<ISimpleAssignmentOperation>()
                    .FirstOrDefault(a => a.Target is IPropertyReferenceOperation { Property.Name: "BaseAddress" })?.Value;
                return new ClientOrigin(legacyBase is null ? null : UrlText.Evaluate(legacyBase, _knowledge.Uri) ?? UrlText.Hole, ClientProtection.None, null);

            case IInvocationOperation { TargetMethod.Name: "CreateClient" } create when _knowledge.Is(create.TargetMethod.ContainingType, _knowledge.HttpClientFactory) || _knowledge.IsHttpClientFactoryExtension(create.TargetMethod):
                var name = create.Arguments.FirstOrDefault(a => a.Parameter?.Type.SpecialType == SpecialType.System_String)?.Value.ConstantValue;
                return Resolve(RegistrationsFor(cancellationToken).ForName(name is { HasValue: true, Value: string text } ? text : string.Empty), cancellationToken);

            case IInvocationOperation { TargetMethod.Name: "For" } refit when _knowledge.IsRefitRestService(refit.TargetMethod.ContainingType) && refit.TargetMethod.TypeArguments.Length == 1:
                return OfRefitInterface(refit.TargetMethod.TypeArguments[0], cancellationToken);

            case ILocalReferenceOperation local when depth > 0:
                return OfLocal(local, depth - 1, cancellationToken);

            case IParameterReferenceOperation parameter:
                return OfParameter(parameter, depth, cancellationToken);

            case IInvocationOperation factory when depth > 0 && _knowledge.DerivesFrom(factory.Type, _knowledge.HttpMessageInvoker) && !factory.TargetMethod.DeclaringSyntaxReferences.IsEmpty:
                return OfFactory(factory, depth - 1, cancellationToken);

            case IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field when depth > 0:
                return OfMember(field.Field, field.Field.ContainingType, depth - 1, cancellationToken);

            case IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Arguments.IsEmpty: true } property when depth > 0 && IsAutoProperty(property.Property):
                return OfMember(property.Property, property.Property.ContainingType, depth - 1, cancellationToken);

            default:
                return ClientOrigin.Unseen;
        }
    }

    private ClientOrigin OfHttpClientCreation(IObjectCreationOperation creation, CancellationToken cancellationToken)
    {
        var chain = (Protection: ClientProtection.None, Pacing: (PacingHandler?)null, OtherRetries: false);
        var handler = creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "handler")?.Value;
        if (handler is not null)
        {
            chain = HandlerChain(handler, cancellationToken);
        }

        string? baseAddress = null;
        if (creation.Initializer is { } initializer)
        {
            foreach (var assignment in initializer.Initializers.OfType<ISimpleAssignmentOperation>())
            {
                if (assignment.Target is IPropertyReferenceOperation { Property.Name: "BaseAddress" })
                {
                    baseAddress = UrlText.Evaluate(assignment.Value, _knowledge.Uri) ?? UrlText.Hole;
                }
            }
        }

        return new ClientOrigin(baseAddress, chain.Protection, creation) { Pacing = chain.Pacing, OtherHandlerRetries = chain.OtherRetries };
    }

    /// <summary>
    /// What a handler chain does about throttling. Our runtime's, Polly's and the resilience library's handlers
    /// retry; the runtime's only for the requests its policies cover, so it is kept with them. A handler of the user's
    /// own, or one held in a variable, might do anything: unseen.
    /// </summary>
    private (ClientProtection Protection, PacingHandler? Pacing, bool OtherRetries) HandlerChain(IOperation handler, CancellationToken cancellationToken)
    {
        handler = UrlText.SkipConversions(handler);
        if (handler is ILocalReferenceOperation local && UrlText.InitializerOf(local) is { } made && PacingHandlerMadeBy(made, cancellationToken) is not null)
        {
            // var handler = new RateLimitedHandler(...); using var client = new HttpClient(handler): the runtime's handler
            // is judged by its policies wherever it is made. Other handlers in locals stay unseen: they may be changed later.
            handler = UrlText.SkipConversions(made);
        }

        if (PacingHandlerMadeBy(handler, cancellationToken) is { } pacing)
        {
            // new RateLimitedHandler(inner, policies): a retrying handler inside it retries what its policies leave out.
            var inner = (handler as IObjectCreationOperation)?.Arguments.FirstOrDefault(a => a.Parameter?.Name == "innerHandler")?.Value;
            var innerChain = inner is null ? default : HandlerChain(inner, cancellationToken);
            return (ClientProtection.Retries, pacing, innerChain.Protection == ClientProtection.Retries && (innerChain.Pacing is null || innerChain.OtherRetries));
        }

        if (handler is not IObjectCreationOperation creation)
        {
            return (ClientProtection.Unseen, null, false);
        }

        if (creation.Type is null)
        {
            return (ClientProtection.Unseen, null, false);
        }

        if (_knowledge.IsRetryingHandler(creation.Type))
        {
            return (ClientProtection.Retries, null, true);
        }

        if (!_knowledge.IsPlatformHandler(creation.Type))
        {
            return (ClientProtection.Unseen, null, false);
        }

        // A platform DelegatingHandler (rare) passes its inner handler on; look at that one.
        var next = creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "innerHandler")?.Value
            ?? creation.Initializer?.Initializers.OfType<ISimpleAssignmentOperation>().FirstOrDefault(a => a.Target is IPropertyReferenceOperation { Property.Name: "InnerHandler" })?.Value;
        return next is null ? (ClientProtection.None, null, false) : HandlerChain(next, cancellationToken);
    }

    /// <summary>The runtime's handler made here, <c>new RateLimitedHandler(...)</c> or <c>RateLimitedHandler.ForHttpClientFactory(...)</c>, with its policies.</summary>
    internal PacingHandler? PacingHandlerMadeBy(IOperation made, CancellationToken cancellationToken) => UrlText.SkipConversions(made) switch
    {
        IObjectCreationOperation creation when _knowledge.RateLimitedHandler is { } type && _knowledge.DerivesFrom(creation.Type, type) =>
            new PacingHandler(PoliciesIn(creation.Arguments, cancellationToken), creation.Syntax),
        IInvocationOperation { TargetMethod.Name: "ForHttpClientFactory" } factory when _knowledge.RateLimitedHandler is { } type && _knowledge.Is(factory.TargetMethod.ContainingType, type) =>
            new PacingHandler(PoliciesIn(factory.Arguments, cancellationToken), factory.Syntax),
        _ => null,
    };

    /// <summary>The policies a handler is given, one argument each or a <c>params</c> array; default when any is not in view.</summary>
    private ImmutableArray<HandlerPolicy> PoliciesIn(ImmutableArray<IArgumentOperation> arguments, CancellationToken cancellationToken)
    {
        var policies = ImmutableArray.CreateBuilder<HandlerPolicy>();
        foreach (var argument in arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                continue;
            }

            if (IsPolicy(parameter.Type))
            {
                if (PolicyOf(argument.Value, hops: 2, cancellationToken) is not { } policy)
                {
                    return default;
                }

                policies.Add(policy);
            }
            else if (parameter.Type is IArrayTypeSymbol { ElementType: var element } && IsPolicy(element))
            {
                if (UrlText.SkipConversions(argument.Value) is not IArrayCreationOperation { Initializer: { } items })
                {
                    return default;
                }

                foreach (var item in items.ElementValues)
                {
                    if (PolicyOf(item, hops: 2, cancellationToken) is not { } policy)
                    {
                        return default;
                    }

                    policies.Add(policy);
                }
            }
        }

        return policies.Count == 0 ? default : policies.ToImmutable();
    }

    private bool IsPolicy(ITypeSymbol? type) =>
        type is { Name: "RateLimitPolicy" } && _knowledge.RateLimitedHandler is { } handler && SymbolEqualityComparer.Default.Equals(type.ContainingNamespace, handler.ContainingNamespace);

    /// <summary>
    /// A policy's key and base address: made here (<c>new RateLimitPolicy("api.github.com", ...) { BaseAddress = "https://api.github.com/" }</c>),
    /// in a local, or in a field's initializer (the <c>static readonly</c> policy the fixes hoist).
    /// </summary>
    private HandlerPolicy? PolicyOf(IOperation value, int hops, CancellationToken cancellationToken)
    {
        value = UrlText.SkipConversions(value);
        switch (value)
        {
            case IObjectCreationOperation creation when IsPolicy(creation.Type):
                var key = creation.Arguments.FirstOrDefault(a => a.Parameter?.Type.SpecialType == SpecialType.System_String)?.Value;
                var baseAddress = creation.Initializer?.Initializers.OfType<ISimpleAssignmentOperation>()
                    .LastOrDefault(a => a.Target is IPropertyReferenceOperation { Property.Name: "BaseAddress" })?.Value;
                return new HandlerPolicy(
                    key is null ? null : UrlText.Evaluate(key, _knowledge.Uri),
                    baseAddress is null ? null : UrlText.Evaluate(baseAddress, _knowledge.Uri) ?? UrlText.Hole);

            case ILocalReferenceOperation local when hops > 0 && UrlText.InitializerOf(local) is { } initializer:
                return PolicyOf(initializer, hops - 1, cancellationToken);

            case IFieldReferenceOperation { Field: { IsReadOnly: true } field } when hops > 0:
                foreach (var reference in field.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: { } initializerSyntax }
                        && _knowledge.OperationOf(initializerSyntax, cancellationToken) is { } fieldValue)
                    {
                        return PolicyOf(fieldValue, hops - 1, cancellationToken);
                    }
                }

                return null;

            default:
                return null;
        }
    }

    private ClientOrigin OfRestClientCreation(IObjectCreationOperation creation, int depth, CancellationToken cancellationToken)
    {
        string? baseAddress = null;
        foreach (var argument in creation.Arguments)
        {
            var value = UrlText.SkipConversions(argument.Value);
            if (argument.Parameter?.Type.SpecialType == SpecialType.System_String || _knowledge.Is(argument.Parameter?.Type, _knowledge.Uri))
            {
                baseAddress = UrlText.Evaluate(value, _knowledge.Uri) ?? UrlText.Hole;
            }
            else if (_knowledge.DerivesFrom(argument.Parameter?.Type, _knowledge.HttpMessageInvoker))
            {
                // new RestClient(httpClient): the HttpClient's handlers and base address apply.
                return OfValue(value, depth, cancellationToken);
            }
            else if (_knowledge.IsRestClientOptions(argument.Parameter?.Type))
            {
                baseAddress = RestClientOptionsBaseUrl(value, depth) ?? baseAddress;
            }
        }

        // RestSharp has no retry of its own (since v107); a Polly wrapper or a loop around the call is what counts.
        return new ClientOrigin(baseAddress, ClientProtection.None, null);
    }

    private string? RestClientOptionsBaseUrl(IOperation options, int depth)
    {
        if (options is ILocalReferenceOperation local && depth > 0 && Operations.LocalValues(local).FirstOrDefault() is { } initializer)
        {
            return RestClientOptionsBaseUrl(UrlText.SkipConversions(initializer), depth - 1);
        }

        if (options is not IObjectCreationOperation creation)
        {
            return null;
        }

        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Type.SpecialType == SpecialType.System_String || _knowledge.Is(argument.Parameter?.Type, _knowledge.Uri))
            {
                return UrlText.Evaluate(argument.Value, _knowledge.Uri) ?? UrlText.Hole;
            }
        }

        var assigned = creation.Initializer?.Initializers.OfType<ISimpleAssignmentOperation>().FirstOrDefault(a => a.Target is IPropertyReferenceOperation { Property.Name: "BaseUrl" });
        return assigned is null ? null : UrlText.Evaluate(assigned.Value, _knowledge.Uri) ?? UrlText.Hole;
    }

    private ClientOrigin OfLocal(ILocalReferenceOperation local, int depth, CancellationToken cancellationToken)
    {
        var values = Operations.LocalValues(local).ToList();
        var origin = ClientOrigin.Merge(values.Select(v => OfValue(v, depth, cancellationToken)).ToList());
        return origin.WithBaseAddress(BaseAddressAssignedIn(Operations.Root(local), local.Local, cancellationToken));
    }

    /// <summary>
    /// A constructor parameter of a typed client, or of a class a Refit interface is injected into: the registration says,
    /// unless the type's own constructors chain to it (<c>: this(Create(new Uri(baseAddress)))</c>), which show the client.
    /// </summary>
    private ClientOrigin OfParameter(IParameterReferenceOperation reference, int depth, CancellationToken cancellationToken)
    {
        var parameter = reference.Parameter;
        if (parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
            && _knowledge.DerivesFrom(parameter.Type, _knowledge.HttpClient))
        {
            // Constructors cannot chain in a cycle, so following them needs no depth of its own.
            var chained = UrlText.ChainedArguments(constructor, parameter.Ordinal, reference.SemanticModel).Select(a => OfValue(a, depth, cancellationToken)).ToList();
            return chained.Count > 0 ? ClientOrigin.Merge(chained) : ForType(constructor.ContainingType, cancellationToken);
        }

        if (_knowledge.IsRefitInterface(parameter.Type))
        {
            return OfRefitInterface(parameter.Type, cancellationToken);
        }

        return ClientOrigin.Unseen;
    }

    private ClientOrigin OfRefitInterface(ITypeSymbol type, CancellationToken cancellationToken) => ForType(type, cancellationToken);

    /// <summary>
    /// A factory method of the user's that makes the client (<c>static HttpClient Create(Uri baseAddress)</c>): what it
    /// returns, with a base address it sets from a parameter taken from this call's argument.
    /// </summary>
    private ClientOrigin OfFactory(IInvocationOperation factory, int depth, CancellationToken cancellationToken)
    {
        var method = (factory.TargetMethod.ReducedFrom ?? factory.TargetMethod).OriginalDefinition;
        var origins = new List<ClientOrigin>();
        string? baseAddress = null;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (_knowledge.OperationOf(reference.GetSyntax(cancellationToken), cancellationToken) is not { } body)
            {
                continue;
            }

            foreach (var operation in ControlFlow.DescendantsInSameFunction(body))
            {
                switch (operation)
                {
                    case IReturnOperation { ReturnedValue: { } returned }:
                        origins.Add(OfValue(returned, depth, cancellationToken));
                        break;
                    case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "BaseAddress" }, Value: var value }
                        when UrlText.SkipConversions(value) is IParameterReferenceOperation { Parameter.Ordinal: var ordinal }
                            && factory.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal) is { } argument:
                        baseAddress = UrlText.Evaluate(argument.Value, _knowledge.Uri) ?? UrlText.Hole;
                        break;
                }
            }
        }

        return origins.Count == 0 ? ClientOrigin.Unseen : ClientOrigin.Merge(origins).WithBaseAddress(baseAddress);
    }

    /// <summary>A field or auto-property: its initializer and every assignment to it in its type, and a BaseAddress set on it there.</summary>
    private ClientOrigin OfMember(ISymbol member, INamedTypeSymbol type, int depth, CancellationToken cancellationToken)
    {
        // Every call through a field asks about the same field: read its assignments once.
        if (_members.TryGetValue(member, out var known))
        {
            return known;
        }

        var origin = ReadMember(member, type, depth, cancellationToken);
        _members.TryAdd(member, origin);
        return origin;
    }

    private ClientOrigin ReadMember(ISymbol member, INamedTypeSymbol type, int depth, CancellationToken cancellationToken)
    {
        var memberType = member is IFieldSymbol field ? field.Type : ((IPropertySymbol)member).Type;
        if (_knowledge.IsRefitInterface(memberType))
        {
            return OfRefitInterface(memberType, cancellationToken);
        }

        var origins = new List<ClientOrigin>();
        string? baseAddress = null;
        foreach (var declaration in type.DeclaringSyntaxReferences)
        {
            var typeSyntax = declaration.GetSyntax(cancellationToken);
            if (_knowledge.AssignmentsIn(typeSyntax, member.Name, cancellationToken) is not { } operations)
            {
                return ClientOrigin.Unseen;
            }

            foreach (var operation in operations)
            {
                switch (operation)
                {
                    case IFieldInitializerOperation initializer when initializer.InitializedFields.Contains(member, SymbolEqualityComparer.Default):
                    case IPropertyInitializerOperation propertyInitializer when propertyInitializer.InitializedProperties.Contains(member, SymbolEqualityComparer.Default):
                        origins.Add(OfValue(((ISymbolInitializerOperation)operation).Value, depth, cancellationToken));
                        break;
                    case ISimpleAssignmentOperation assignment when Operations.SymbolOf(assignment.Target) is { } target && SymbolEqualityComparer.Default.Equals(target, member):
                        origins.Add(OfValue(assignment.Value, depth, cancellationToken));
                        break;
                    case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "BaseAddress", Instance: { } instance } } setBase
                        when Operations.SymbolOf(instance) is { } holder && (SymbolEqualityComparer.Default.Equals(holder, member) || holder is IParameterSymbol { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } }):
                        baseAddress = UrlText.Evaluate(setBase.Value, _knowledge.Uri) ?? UrlText.Hole;
                        break;
                }
            }
        }

        return ClientOrigin.Merge(origins).WithBaseAddress(baseAddress);
    }

    private string? BaseAddressAssignedIn(IOperation root, ISymbol holder, CancellationToken cancellationToken)
    {
        string? baseAddress = null;
        foreach (var operation in root.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "BaseAddress", Instance: { } instance } } assignment
                && Operations.SymbolOf(instance) is { } symbol && SymbolEqualityComparer.Default.Equals(symbol, holder))
            {
                baseAddress = UrlText.Evaluate(assignment.Value, _knowledge.Uri) ?? UrlText.Hole;
            }
        }

        return baseAddress;
    }

    private static bool IsAutoProperty(IPropertySymbol property) =>
        property.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is PropertyDeclarationSyntax { AccessorList: { } accessors } && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null));

    /// <summary>
    /// What a registration gives the clients of one type or name, free of any one compilation's symbols and operations
    /// so it can be kept for later compilations of the same trees: the <c>new HttpClient(...)</c> as syntax, which each
    /// compilation binds for itself.
    /// </summary>
    private sealed record RegisteredClient(string? BaseAddress, ClientProtection Protection, SyntaxNode? Creation, PacingHandler? Pacing, bool OtherHandlerRetries);

    /// <summary>Every HttpClient-factory and Refit registration of a snapshot, by typed-client type and by client name.</summary>
    private sealed class RegisteredClients(Dictionary<string, RegisteredClient> byType, Dictionary<string, RegisteredClient> byName)
    {
        /// <summary>The registration of a type (null when none): by its name, since the symbol differs in every compilation.</summary>
        public RegisteredClient? ForType(ITypeSymbol type) => byType.TryGetValue(TypeKey(type), out var registered) ? registered : null;

        public RegisteredClient? ForName(string name) => byName.TryGetValue(name, out var registered) ? registered : null;

        /// <summary>A type's fully qualified name with its containing types and type arguments, the same in every compilation of a snapshot.</summary>
        public static string TypeKey(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
    }

    /// <summary>Reads the registrations of one compilation.</summary>
    private sealed class Registrations
    {
        private readonly Dictionary<string, List<ClientOrigin>> _byType = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<ClientOrigin>> _byName = new(StringComparer.Ordinal);
        private ClientProtection _defaults = ClientProtection.None;

        /// <summary>The registrations of each type and name merged, with ConfigureHttpClientDefaults' handlers on top.</summary>
        private RegisteredClients Freeze() => new(Combine(_byType), Combine(_byName));

        private Dictionary<string, RegisteredClient> Combine(Dictionary<string, List<ClientOrigin>> index)
        {
            var combined = new Dictionary<string, RegisteredClient>(StringComparer.Ordinal);
            foreach (var pair in index)
            {
                var merged = ClientOrigin.Merge(pair.Value);
                var protection = _defaults == ClientProtection.None || merged.Protection == ClientProtection.Unseen ? merged.Protection : _defaults;
                combined[pair.Key] = new RegisteredClient(merged.BaseAddress, protection, merged.Creation?.Syntax, merged.Pacing, merged.OtherHandlerRetries || _defaults == ClientProtection.Retries);
            }

            return combined;
        }

        public static RegisteredClients Index(HttpClientOrigins origins, HttpKnowledge knowledge, Compilation compilation, CancellationToken cancellationToken)
        {
            // The calls by name from the name index, which finds them where the files' text names them; then in the order a
            // walk of the compilation's files meets them (a file, then its calls outer before inner), as registrations merge.
            var fileOrder = new Dictionary<SyntaxTree, int>();
            foreach (var tree in compilation.SyntaxTrees)
            {
                fileOrder[tree] = fileOrder.Count;
            }

            var calls = RegistrationCallNames(knowledge.RefitRestService is not null)
                .SelectMany(name => knowledge.CallsByName(name, cancellationToken))
                .OrderBy(call => fileOrder[call.SyntaxTree])
                .ThenBy(call => call.SpanStart)
                .ThenByDescending(call => call.Span.Length);
            var result = new Registrations();
            foreach (var call in calls)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (knowledge.OperationOf(call, cancellationToken) is IInvocationOperation registration)
                {
                    result.Add(origins, knowledge, registration, cancellationToken);
                }
            }

            return result.Freeze();
        }

        private void Add(HttpClientOrigins origins, HttpKnowledge knowledge, IInvocationOperation registration, CancellationToken cancellationToken)
        {
            var method = registration.TargetMethod;
            if (method.Name == "For")
            {
                // Refit's RestService.For<T>("https://...") or RestService.For<T>(httpClient).
                if (knowledge.IsRefitRestService(method.ContainingType) && method.TypeArguments.Length == 1)
                {
                    var origin = new ClientOrigin(null, ClientProtection.None, null);
                    foreach (var argument in registration.Arguments)
                    {
                        if (argument.Parameter?.Type.SpecialType == SpecialType.System_String)
                        {
                            origin = origin with { BaseAddress = UrlText.Evaluate(argument.Value, knowledge.Uri) ?? UrlText.Hole };
                        }
                        else if (knowledge.DerivesFrom(argument.Parameter?.Type, knowledge.HttpMessageInvoker))
                        {
                            origin = origins.OfValue(argument.Value, 3, useRegistrations: false, cancellationToken);
                        }
                    }

                    AddTo(_byType, RegisteredClients.TypeKey(method.TypeArguments[0]), origin);
                }

                return;
            }

            if (!knowledge.IsHttpClientRegistration(method))
            {
                return;
            }

            var (protection, baseAddress, pacing, otherRetries) = Builder(origins, knowledge, registration, cancellationToken);
            if (method.Name == "ConfigureHttpClientDefaults")
            {
                if (protection != ClientProtection.None)
                {
                    _defaults = protection;
                }

                return;
            }

            var origin2 = new ClientOrigin(baseAddress, protection, null) { Pacing = pacing, OtherHandlerRetries = otherRetries };
            if (method.TypeArguments.Length > 0)
            {
                // AddHttpClient<TClient>, AddHttpClient<TClient, TImplementation>, AddRefitClient<T>: the client is injected
                // into the implementation (or, for Refit, is the interface).
                AddTo(_byType, RegisteredClients.TypeKey(method.TypeArguments[method.TypeArguments.Length - 1]), origin2);
                if (method.TypeArguments.Length == 2)
                {
                    AddTo(_byType, RegisteredClients.TypeKey(method.TypeArguments[0]), origin2);
                }
            }

            var nameArgument = registration.Arguments.FirstOrDefault(a => a.Parameter?.Name == "name")?.Value.ConstantValue;
            if (nameArgument is { HasValue: true, Value: string clientName })
            {
                AddTo(_byName, clientName, origin2);
            }
            else if (method.TypeArguments.Length > 0)
            {
                // A typed client is also a named client, named after the type.
                AddTo(_byName, method.TypeArguments[0].Name, origin2);
            }
            else if (method.Name == "AddHttpClient" && registration.Arguments.Length <= 1)
            {
                AddTo(_byName, string.Empty, origin2);
            }
        }

        /// <summary>What the builder calls chained on a registration add: a base address, and retrying (or unknown) handlers.</summary>
        private static (ClientProtection Protection, string? BaseAddress, PacingHandler? Pacing, bool OtherRetries) Builder(HttpClientOrigins origins, HttpKnowledge knowledge, IInvocationOperation registration, CancellationToken cancellationToken)
        {
            var protection = ClientProtection.None;
            PacingHandler? pacing = null;
            var otherRetries = false;
            string? baseAddress = BaseAddressIn(knowledge, registration.Arguments.Select(a => a.Value));

            foreach (var call in BuilderCalls(registration))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = call.TargetMethod.Name;
                var lambdas = call.Arguments.Select(a => a.Value).ToList();
                if (name == "ConfigureHttpClient")
                {
                    baseAddress = BaseAddressIn(knowledge, lambdas) ?? baseAddress;
                }
                else if (s_retryingBuilderCalls.Contains(name))
                {
                    var verdict = PollyPipelines.Retries(call, cancellationToken);
                    protection = Stronger(protection, verdict);
                    otherRetries |= verdict == ClientProtection.Retries;
                }
                else if (name is "AddHttpMessageHandler")
                {
                    // AddHttpMessageHandler<THandler>(), or a factory lambda: () => new X(...) / () => RateLimitedHandler.ForHttpClientFactory(policy).
                    var made = call.Arguments.SelectMany(a => a.Value.DescendantsAndSelf()).FirstOrDefault(o => o is IObjectCreationOperation or IInvocationOperation && knowledge.DerivesFrom(o.Type, knowledge.HttpMessageHandler));
                    var handlerType = made?.Type ?? call.TargetMethod.TypeArguments.FirstOrDefault();
                    var retrying = handlerType is not null && knowledge.IsRetryingHandler(handlerType);
                    protection = Stronger(protection, retrying ? ClientProtection.Retries : ClientProtection.Unseen);
                    if (retrying && (made is null ? null : origins.PacingHandlerMadeBy(made, cancellationToken)) is { } madePacing)
                    {
                        pacing = madePacing;
                    }
                    else
                    {
                        otherRetries |= retrying;
                    }
                }
                else if (call.TargetMethod.ContainingType.ContainingNamespace?.ToDisplayString() is { } ns && !ns.StartsWith("Microsoft.Extensions", StringComparison.Ordinal) && !ns.StartsWith("Refit", StringComparison.Ordinal))
                {
                    protection = Stronger(protection, ClientProtection.Unseen);
                }
                else if (!s_neutralBuilderCalls.Contains(name))
                {
                    protection = Stronger(protection, ClientProtection.Unseen);
                }
            }

            if (registration.Arguments.Any(a => a.Value is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } && lambda.Body.Descendants().OfType<IInvocationOperation>().Any(c => s_retryingBuilderCalls.Contains(c.TargetMethod.Name))))
            {
                // ConfigureHttpClientDefaults(builder => builder.AddStandardResilienceHandler()).
                protection = Stronger(protection, ClientProtection.Retries);
                otherRetries = true;
            }

            return (protection, baseAddress, pacing, otherRetries);
        }

        private static ClientProtection Stronger(ClientProtection current, ClientProtection next) =>
            current == ClientProtection.Unseen || next == ClientProtection.Unseen ? ClientProtection.Unseen
            : current == ClientProtection.Retries || next == ClientProtection.Retries ? ClientProtection.Retries
            : ClientProtection.None;

        /// <summary>The calls chained on the builder a registration returns, also through a local that holds it.</summary>
        private static IEnumerable<IInvocationOperation> BuilderCalls(IInvocationOperation registration)
        {
            IOperation current = registration;
            while (true)
            {
                var parent = current.Parent;
                if (parent is IConversionOperation)
                {
                    current = parent;
                    continue;
                }

                if (parent is IArgumentOperation { Parent: IInvocationOperation extension } argument && ReferenceEquals(argument, extension.Arguments.FirstOrDefault()) && extension.TargetMethod.IsExtensionMethod)
                {
                    yield return extension;
                    current = extension;
                    continue;
                }

                if (parent is IInvocationOperation instanceCall && ReferenceEquals(instanceCall.Instance, current))
                {
                    yield return instanceCall;
                    current = instanceCall;
                    continue;
                }

                if (parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
                {
                    foreach (var use in Operations.Root(declarator).Descendants().OfType<ILocalReferenceOperation>().Where(l => SymbolEqualityComparer.Default.Equals(l.Local, declarator.Symbol)))
                    {
                        foreach (var call in BuilderCalls(use))
                        {
                            yield return call;
                        }
                    }
                }

                yield break;
            }
        }

        private static IEnumerable<IInvocationOperation> BuilderCalls(ILocalReferenceOperation use)
        {
            IOperation current = use;
            var parent = current.Parent;
            while (parent is IConversionOperation)
            {
                current = parent;
                parent = parent.Parent;
            }

            if (parent is IArgumentOperation { Parent: IInvocationOperation extension } argument && ReferenceEquals(argument, extension.Arguments.FirstOrDefault()) && extension.TargetMethod.IsExtensionMethod)
            {
                yield return extension;
                foreach (var call in BuilderCalls(extension))
                {
                    yield return call;
                }
            }
        }

        private static string? BaseAddressIn(HttpKnowledge knowledge, IEnumerable<IOperation> values)
        {
            string? baseAddress = null;
            foreach (var value in values)
            {
                foreach (var assignment in value.DescendantsAndSelf().OfType<ISimpleAssignmentOperation>())
                {
                    if (assignment.Target is IPropertyReferenceOperation { Property.Name: "BaseAddress" })
                    {
                        baseAddress = UrlText.Evaluate(assignment.Value, knowledge.Uri) ?? UrlText.Hole;
                    }
                }
            }

            return baseAddress;
        }

        private static void AddTo(Dictionary<string, List<ClientOrigin>> index, string key, ClientOrigin origin)
        {
            if (!index.TryGetValue(key, out var list))
            {
                index[key] = list = new List<ClientOrigin>();
            }

            list.Add(origin);
        }

    }
}
