using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Configuration;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Rules;

/// <summary>
/// RL0002: a call to an endpoint the catalog knows is rate limited, with nothing in view that retries it when the
/// API answers "slow down": no retrying handler on its client, no Polly retry around it, no retry loop, not the
/// runtime's retrying send. A client whose making the code does not show is given the benefit of the doubt.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RL0002RateLimitedEndpointWithoutRetryAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: how the fix protects the call, <see cref="HandlerFix"/> or <see cref="WrapFix"/>; absent when no fix applies.</summary>
    public const string FixKindProperty = PacingFixData.FixKind;

    /// <summary>Give the <c>new HttpClient(...)</c> at the diagnostic's additional location the runtime's retrying handler.</summary>
    public const string HandlerFix = PacingFixData.HandlerFix;

    /// <summary>Send the call through the runtime's retrying helper.</summary>
    public const string WrapFix = PacingFixData.WrapFix;

    /// <summary>
    /// <c>client.SendAsync(new HttpRequestMessage(...)[, token])</c>: send through the runtime's helper that builds the
    /// request afresh for every attempt.
    /// </summary>
    public const string FreshRequestFix = PacingFixData.FreshRequestFix;

    /// <summary>
    /// <c>client.SendAsync(request[, token])</c> with a request built earlier: send through the runtime's helper that sends
    /// a copy of it on every attempt, since HttpClient refuses to send one request message twice.
    /// </summary>
    public const string RequestCopyFix = PacingFixData.RequestCopyFix;

    /// <summary>Diagnostic property: the pacer key of the endpoint.</summary>
    public const string EndpointKeyProperty = PacingFixData.EndpointKey;

    /// <summary>Diagnostic property: the endpoint's quota, in <c>100/60s</c> form; empty when the vendor documents none.</summary>
    public const string QuotaProperty = PacingFixData.Quota;

    /// <summary>Diagnostic property: the status codes that mean "throttled", comma-separated.</summary>
    public const string ThrottleStatusCodesProperty = PacingFixData.ThrottleStatusCodes;

    /// <summary>Diagnostic property: the text in a response body that means "throttled", when the vendor has one.</summary>
    public const string ThrottleBodyProperty = PacingFixData.ThrottleBody;

    /// <summary>Diagnostic property: "true" when the call returns a task, so the fix uses the asynchronous helper.</summary>
    public const string IsAsyncProperty = PacingFixData.IsAsync;

    /// <summary>Diagnostic property: the enclosing function's CancellationToken parameter, when it has one.</summary>
    public const string CancellationTokenProperty = PacingFixData.CancellationToken;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.RateLimitedEndpointWithoutRetry);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var retries = RetryKnowledge.For(context.Compilation, context.Options, context.CancellationToken);
        if (retries is null)
        {
            return;
        }

        context.RegisterOperationBlockStartAction(block =>
        {
            if (retries.Http.MayInvolveRequests(block.OperationBlocks, block.CancellationToken))
            {
                block.RegisterOperationAction(c => AnalyzeCall(c, retries.Http, retries), OperationKind.Invocation);
            }
        });
    }

    private static void AnalyzeCall(OperationAnalysisContext context, HttpKnowledge knowledge, RetryKnowledge retries)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (knowledge.AsDirectSend(invocation, context.CancellationToken) is not { } send)
        {
            return;
        }

        // Cheap questions first: most calls go to endpoints the catalog does not know. The client's origin (which may
        // mean indexing the compilation's registrations) is looked up only when the URL needs its base address.
        var target = knowledge.TargetOf(send, context.CancellationToken);
        if (target.Entry is not { } entry || retries.IsRetried(invocation, context.CancellationToken))
        {
            return;
        }

        var origin = knowledge.OriginOf(target, context.CancellationToken);
        var options = knowledge.Options.For(invocation.Syntax.SyntaxTree);
        var protection = origin.ProtectionFor(target.Url, entry);
        if (protection == ClientProtection.Retries || (protection == ClientProtection.Unseen && !options.ReportUnseenClients))
        {
            return;
        }

        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        PacingFixData.AddPolicy(properties, target, entry);

        var additionalLocations = ImmutableArray<Location>.Empty;
        var fix = FixFor(invocation, send, origin, knowledge);
        if (fix is not null)
        {
            properties[FixKindProperty] = fix.Value.Kind;
            properties[IsAsyncProperty] = knowledge.DerivesFrom(invocation.Type, knowledge.Task) ? "true" : "false";
            if (FunctionFacts.EnclosingFunction(invocation, context.ContainingSymbol)?.Parameters.FirstOrDefault(p => knowledge.Is(p.Type, knowledge.CancellationToken)) is { } token)
            {
                properties[CancellationTokenProperty] = token.Name;
            }

            if (fix.Value.At is { } at)
            {
                additionalLocations = ImmutableArray.Create(at);
            }
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.RateLimitedEndpointWithoutRetry,
            CallNameLocation(invocation),
            additionalLocations,
            properties.ToImmutable(),
            entry.DescribeQuota(),
            DescribeSignals(entry)));
    }

    /// <summary>
    /// The fix: give the client a retrying handler where it is made in the same file (or add this endpoint's policy to the
    /// one it has), else send the call through the runtime's retrying helper. Only HttpClient calls get one: RestSharp and
    /// Refit report throttling in their own result types, which the runtime's helper does not read.
    /// </summary>
    private static (string Kind, Location? At)? FixFor(IInvocationOperation invocation, RequestSend send, ClientOrigin origin, HttpKnowledge knowledge)
    {
        if (!knowledge.IsHttpClientSend(invocation.TargetMethod) && !knowledge.Is(invocation.TargetMethod.ContainingType, knowledge.HttpClientJsonExtensions))
        {
            return null;
        }

        if (PacingFixData.ClientFix(invocation, origin, knowledge) is { } clientFix)
        {
            return clientFix;
        }

        // The wrapped call goes into a lambda: not possible for a call that passes ref/out arguments or runs in an expression tree.
        if (invocation.Arguments.Any(a => a.Parameter?.RefKind is RefKind.Ref or RefKind.Out) || send.Invocation.Type is null)
        {
            return null;
        }

        if (invocation.Arguments.FirstOrDefault(a => knowledge.Is(a.Parameter?.Type, knowledge.HttpRequestMessage)) is not { } request)
        {
            return (WrapFix, null);
        }

        // The runtime's SendAsync takes the request and a token, nothing else (no HttpCompletionOption).
        var takesRequestAndToken = invocation.TargetMethod.Name == "SendAsync"
            && invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax, ArgumentList.Arguments: var arguments }
            && arguments.All(a => a.NameColon is null)
            && invocation.TargetMethod.Parameters.Skip(1).All(p => knowledge.Is(p.Type, knowledge.CancellationToken))
            && invocation.Arguments.Length == arguments.Count;

        // A request created in the call is created again by a lambda; one built earlier would be sent twice, which
        // HttpClient refuses, so it is copied for each attempt or, where the runtime has no such send, not fixed.
        if (UrlText.SkipConversions(request.Value) is IObjectCreationOperation)
        {
            return (takesRequestAndToken ? FreshRequestFix : WrapFix, null);
        }

        return takesRequestAndToken ? (RequestCopyFix, null) : null;
    }

    private static string DescribeSignals(CatalogEntry entry)
    {
        var signals = entry.ThrottleSignals.Where(s => !s.StartsWith("header", System.StringComparison.Ordinal)).ToList();
        return signals.Count == 0 ? "429" : string.Join(" or ", signals);
    }

    /// <summary>The squiggle goes on the method name: <c>client.<u>PostAsync</u>(...)</c>.</summary>
    private static Location CallNameLocation(IInvocationOperation invocation) => invocation.Syntax switch
    {
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } => member.Name.Identifier.GetLocation(),
        InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax binding } => binding.Name.Identifier.GetLocation(),
        InvocationExpressionSyntax { Expression: SimpleNameSyntax name } => name.Identifier.GetLocation(),
        _ => invocation.Syntax.GetLocation(),
    };
}
