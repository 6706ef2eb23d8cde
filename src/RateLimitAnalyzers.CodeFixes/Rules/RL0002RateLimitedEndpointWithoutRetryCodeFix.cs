using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.CodeFixes.Rules;

/// <summary>
/// RL0002 fix: route the call through the runtime's retrying send, with the catalog's quota and throttle signals written
/// into a policy held in a <c>static readonly</c> field named after the API (<see cref="PacingCode"/>):
/// <c>private static readonly RateLimitPolicy ArchivaPolicy = new RateLimitPolicy("api.archiva.app/api/ingest/event", ...) { BaseAddress = "https://api.archiva.app/api/ingest/event", ... };</c>.
/// Where the <c>new HttpClient(...)</c> is in the same file, the client gets the retrying handler, so every call through
/// it to that API is covered: <c>new HttpClient(new RateLimitedHandler(ArchivaPolicy))</c>; a client that already has a
/// <c>RateLimitedHandler</c> for other APIs gets the policy added to it: <c>new RateLimitedHandler(ArchivaPolicy, GitHubPolicy)</c>.
/// Otherwise the one call is wrapped: <c>await RateLimitedSend.RunAsync(ArchivaPolicy, _ =&gt; client.PostAsync(url, content), cancellationToken)</c>,
/// and a <c>client.SendAsync(request, token)</c> goes through the helper that sends a fresh request per attempt:
/// <c>RateLimitedSend.SendAsync(client, () =&gt; new HttpRequestMessage(...), policy, token)</c> for a request created in
/// the call, <c>RateLimitedSend.SendAsync(client, request, policy, token)</c> (a copy per attempt) for one built earlier.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RL0002RateLimitedEndpointWithoutRetryCodeFix))]
public sealed class RL0002RateLimitedEndpointWithoutRetryCodeFix : EditorCodeFixProvider
{
    /// <summary>One key for every RL0002 fix, so Fix All applies them together.</summary>
    public const string EquivalenceKey = "RL0002.RetryThroughRuntime";

    public RL0002RateLimitedEndpointWithoutRetryCodeFix()
        : base(EquivalenceKey)
    {
    }

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.RateLimitedEndpointWithoutRetry);

    private protected override string? Title(SyntaxNode root, Diagnostic diagnostic) =>
        PacingCode.ClientTarget(root, diagnostic) is not null
            ? (Kind(diagnostic) == PacingFixData.AddPolicyFix ? "Add the API's policy to the client's rate-limit handler" : "Give the client the rate-limit retrying handler")
            : Target(root, diagnostic) is not null ? "Send through the rate-limit retrying helper" : null;

    private protected override bool Apply(FixPass pass, Diagnostic diagnostic)
    {
        var code = pass.Pacing;

        // Several calls through one client share its fix: the client gets one handler, with a policy for each API they call.
        if (PacingCode.ClientTarget(pass.Root, diagnostic) is { } client)
        {
            code.GiveClient(client, code.Policy(diagnostic, client));
            return true;
        }

        if (Target(pass.Root, diagnostic) is not { } call || !pass.Claim(call))
        {
            return false;
        }

        var policy = code.Policy(diagnostic, call);
        code.LeaveLoopPacing(call, diagnostic);
        var replacement = Kind(diagnostic) == PacingFixData.WrapFix ? Wrap(call, diagnostic, policy, code) : SendRequest(call, diagnostic, policy, code);
        pass.Editor.ReplaceNode(call, replacement.WithTriviaFrom(call).WithAdditionalAnnotations(Formatter.Annotation));
        return true;
    }

    private static string? Kind(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(PacingFixData.FixKind, out var kind) ? kind : null;

    /// <summary>The call the wrap fixes rewrite.</summary>
    private static InvocationExpressionSyntax? Target(SyntaxNode root, Diagnostic diagnostic)
    {
        if (Kind(diagnostic) is not (PacingFixData.WrapFix or PacingFixData.FreshRequestFix or PacingFixData.RequestCopyFix)
            || !root.FullSpan.Contains(diagnostic.Location.SourceSpan))
        {
            return null;
        }

        return root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<InvocationExpressionSyntax>();
    }

    /// <summary>
    /// <c>client.PostAsync(url, content)</c> becomes <c>RateLimitedSend.RunAsync(policy, _ => client.PostAsync(url, content), token)</c>
    /// (<c>Run(policy, () => ..., token)</c> for a synchronous call). The call inside keeps its own arguments, token included.
    /// </summary>
    private static ExpressionSyntax Wrap(InvocationExpressionSyntax call, Diagnostic diagnostic, string policy, PacingCode code)
    {
        var isAsync = diagnostic.Properties.TryGetValue(PacingFixData.IsAsync, out var value) && value == "true";
        var text = new StringBuilder(code.Runtime("RateLimitedSend", call.SpanStart)).Append('.')
            .Append(isAsync ? "RunAsync(" : "Run(")
            .Append(policy)
            .Append(isAsync ? ", _ => " : ", () => ")
            .Append(call.WithoutTrivia().ToString());
        return WithToken(text, EnclosingToken(diagnostic));
    }

    /// <summary>
    /// <c>client.SendAsync(request, token)</c> becomes <c>RateLimitedSend.SendAsync(client, request, policy, token)</c>, a
    /// copy of the request per attempt; a request created in the call is created afresh instead:
    /// <c>RateLimitedSend.SendAsync(client, () =&gt; new HttpRequestMessage(...), policy, token)</c>. Without a token of its
    /// own the call gets the enclosing method's.
    /// </summary>
    private static ExpressionSyntax SendRequest(InvocationExpressionSyntax call, Diagnostic diagnostic, string policy, PacingCode code)
    {
        var arguments = call.ArgumentList.Arguments;
        var request = arguments[0].Expression.WithoutTrivia().ToString();
        var text = new StringBuilder(code.Runtime("RateLimitedSend", call.SpanStart)).Append(".SendAsync(")
            .Append(((MemberAccessExpressionSyntax)call.Expression).Expression.WithoutTrivia().ToString())
            .Append(", ")
            .Append(Kind(diagnostic) == PacingFixData.FreshRequestFix ? "() => " + request : request)
            .Append(", ")
            .Append(policy);
        return WithToken(text, arguments.Count > 1 ? arguments[1].Expression.WithoutTrivia().ToString() : EnclosingToken(diagnostic));
    }

    private static string? EnclosingToken(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(PacingFixData.CancellationToken, out var token) && !string.IsNullOrEmpty(token)
            ? RuntimeCode.EscapeIdentifier(token!)
            : null;

    private static ExpressionSyntax WithToken(StringBuilder text, string? token)
    {
        if (token is not null)
        {
            text.Append(", ").Append(token);
        }

        return SyntaxFactory.ParseExpression(text.Append(')').ToString());
    }
}
