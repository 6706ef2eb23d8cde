using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Rules;

/// <summary>
/// What RL0001 and RL0002 tell their fixes through <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> and
/// additional locations. Both rules resolve a call's endpoint through the same knowledge, so on the same call they give
/// the same key, quota, throttle signals and base address: two fixes that write a policy for it write the same one.
/// </summary>
/// <remarks>
/// Both rules fire on one paging loop over a catalogued API when its client neither paces nor retries. Applied in any
/// order, their fixes must leave one turn per request. RL0001 therefore says, with <see cref="FixKind"/>, whether the
/// loop is to be paced in the loop (<see cref="LoopFix"/>) or through the client (<see cref="HandlerFix"/>,
/// <see cref="AddPolicyFix"/>), the same edit RL0002's fix makes on that client. Once the client's handler covers the
/// endpoint, neither rule reports the loop or the call again.
/// </remarks>
internal static class PacingFixData
{
    /// <summary>The pacer and policy key: the catalog entry's key, else the URL's host and path, else the method that pages.</summary>
    public const string EndpointKey = "EndpointKey";

    /// <summary>
    /// The quota in <c>1/1s,1000/1d</c> form; empty when the vendor documents none. A policy's (RL0002, and RL0001 with
    /// <see cref="HandlerFix"/> or <see cref="AddPolicyFix"/>) is the catalog's. A loop pacer's (RL0001 with
    /// <see cref="LoopFix"/>) is never empty: the default quota stands in for an unknown or undocumented one.
    /// </summary>
    public const string Quota = "Quota";

    /// <summary>The status codes that mean "throttled", comma-separated (<c>403,429</c>); set on both rules when the endpoint is catalogued.</summary>
    public const string ThrottleStatusCodes = "ThrottleStatusCodes";

    /// <summary>The text in a response body that means "throttled", when the vendor has one.</summary>
    public const string ThrottleBody = "ThrottleBody";

    /// <summary>
    /// The <c>RateLimitPolicy.BaseAddress</c> a policy for this endpoint takes, so that a handler shared by several APIs
    /// picks it for this endpoint's requests only: the request's scheme and host and the catalog path up to its first
    /// parameter (<c>https://api.github.com/</c>, <c>https://api.archiva.app/api/ingest/event</c>). Absent when the code
    /// does not show an absolute URL.
    /// </summary>
    public const string PolicyBaseAddress = "PolicyBaseAddress";

    /// <summary>The API's name as the catalog gives it (<c>GitHub REST API</c>), for naming a hoisted policy field; absent for an unknown endpoint.</summary>
    public const string ApiName = "ApiName";

    /// <summary>How the fix paces or protects the requests; absent when no fix applies.</summary>
    public const string FixKind = "FixKind";

    /// <summary>RL0001: a pacer turn at the top of the loop body (<c>RequestPacer</c>).</summary>
    public const string LoopFix = "Loop";

    /// <summary>
    /// Give the <c>new HttpClient(...)</c> at the first additional location the runtime's <c>RateLimitedHandler</c> with
    /// this endpoint's policy. RL0001 uses it when RL0002 reports the same call with the same fix, so that the loop is
    /// paced by the client and not twice.
    /// </summary>
    public const string HandlerFix = "Handler";

    /// <summary>
    /// The client already has a <c>RateLimitedHandler</c> (the <c>new RateLimitedHandler(...)</c> or
    /// <c>RateLimitedHandler.ForHttpClientFactory(...)</c> at the first additional location) whose policies do not cover
    /// this endpoint: add this endpoint's policy, with its <see cref="PolicyBaseAddress"/>, to that handler's policies.
    /// </summary>
    public const string AddPolicyFix = "AddPolicy";

    /// <summary>RL0002: send the call through the runtime's retrying helper.</summary>
    public const string WrapFix = "Wrap";

    /// <summary>RL0002: <c>client.SendAsync(new HttpRequestMessage(...)[, token])</c>, sent through the helper that builds the request afresh for every attempt.</summary>
    public const string FreshRequestFix = "FreshRequest";

    /// <summary>RL0002: <c>client.SendAsync(request[, token])</c> with a request built earlier, sent through the helper that sends a copy on every attempt.</summary>
    public const string RequestCopyFix = "RequestCopy";

    /// <summary>"true" when the code the fix inserts awaits (the enclosing function is async, or the call returns a task).</summary>
    public const string IsAsync = FunctionFacts.IsAsyncProperty;

    /// <summary>The enclosing function's CancellationToken parameter, when it has one.</summary>
    public const string CancellationToken = FunctionFacts.CancellationTokenProperty;

    /// <summary>
    /// The policy a fix writes for a catalogued endpoint: its key, quota, throttle signals, base address and name, the
    /// same from either rule.
    /// </summary>
    public static void AddPolicy(ImmutableDictionary<string, string?>.Builder properties, RequestTarget target, CatalogEntry entry)
    {
        properties[EndpointKey] = entry.Key;
        properties[Quota] = entry.HasQuota ? QuotaText.Format(entry.Quota) : string.Empty;
        properties[ThrottleStatusCodes] = string.Join(",", ThrottleStatusCodesOf(entry).Select(c => c.ToString(CultureInfo.InvariantCulture)));
        if (entry.ThrottleBodyPattern is not null)
        {
            properties[ThrottleBody] = entry.ThrottleBodyPattern;
        }

        if (PolicyBaseAddressOf(target.Url, entry) is { } baseAddress)
        {
            properties[PolicyBaseAddress] = baseAddress;
        }

        properties[ApiName] = entry.Name;
    }

    public static IEnumerable<int> ThrottleStatusCodesOf(CatalogEntry entry) =>
        entry.ThrottleStatusCodes.IsDefaultOrEmpty ? new[] { 429 } : entry.ThrottleStatusCodes;

    /// <summary>
    /// The request's scheme and host with the catalog path up to its first parameter: a policy with this base address
    /// covers the endpoint's requests and no other API's. An exact path stays whole; a cut one ends in a slash.
    /// </summary>
    public static string? PolicyBaseAddressOf(string? url, CatalogEntry entry)
    {
        if (UrlText.OriginOf(url) is not { } origin)
        {
            return null;
        }

        var literal = entry.Path.Segments.TakeWhile(segment => segment.IndexOf('{') < 0).ToList();
        var whole = literal.Count == entry.Path.Segments.Length && !entry.Path.EndsWithWildcard;
        var path = string.Concat(literal.Select(segment => "/" + segment));
        return origin + (whole && path.Length > 0 ? path : path + "/");
    }

    /// <summary>
    /// The client edit RL0002's fix makes for the same request, when RL0002 reports it: the request goes to a catalogued
    /// endpoint through a client made in this file that neither retries nor paces it, and nothing retries the call.
    /// RL0001, RL0005 and RL0008 then ask for that edit instead of a wait of their own (the policy, the fix kind), so
    /// the requests are paced once, by the client, whichever fix runs first. Returns the client's location, which the
    /// diagnostic carries as its first additional location; null, with nothing written, when RL0002 would not report it.
    /// </summary>
    public static Location? AddClientFixLikeRL0002(
        ImmutableDictionary<string, string?>.Builder properties, Compilation compilation, AnalyzerOptions options, RequestTarget target, CatalogEntry entry, HttpKnowledge knowledge, CancellationToken cancellationToken)
    {
        var origin = knowledge.OriginOf(target, cancellationToken);
        if (origin.ProtectionFor(target.Url, entry) != ClientProtection.None
            || ClientFix(target.Send.Invocation, origin, knowledge) is not { } fix
            || RetryKnowledge.For(compilation, options, cancellationToken) is not { } retries
            || retries.IsRetried(target.Send.Invocation, cancellationToken))
        {
            return null;
        }

        AddPolicy(properties, target, entry);
        properties[FixKind] = fix.Kind;
        return fix.At;
    }

    /// <summary>
    /// How the client a request to a catalogued endpoint goes through can be given that endpoint's policy, when the code
    /// that makes it is in this file: the <c>RateLimitedHandler</c> it already has (<see cref="AddPolicyFix"/>), else the
    /// <c>new HttpClient(...)</c> without a handler, or with one made in place (<see cref="HandlerFix"/>). Null otherwise.
    /// </summary>
    public static (string Kind, Location At)? ClientFix(IInvocationOperation send, ClientOrigin origin, HttpKnowledge knowledge)
    {
        if (!knowledge.IsHttpClientSend(send.TargetMethod) && !knowledge.Is(send.TargetMethod.ContainingType, knowledge.HttpClientJsonExtensions))
        {
            return null;
        }

        if (origin.Pacing is { } pacing)
        {
            return pacing.Creation.SyntaxTree == send.Syntax.SyntaxTree && !pacing.Policies.IsDefault
                ? (AddPolicyFix, pacing.Creation.GetLocation())
                : null;
        }

        if (origin.Creation is { } creation
            && creation.Syntax.SyntaxTree == send.Syntax.SyntaxTree
            && knowledge.Is(creation.Type, knowledge.HttpClient)
            && !creation.Arguments.Any(a => a.Parameter?.Name == "handler" && UrlText.SkipConversions(a.Value) is not IObjectCreationOperation))
        {
            return (HandlerFix, creation.Syntax.GetLocation());
        }

        return null;
    }
}
