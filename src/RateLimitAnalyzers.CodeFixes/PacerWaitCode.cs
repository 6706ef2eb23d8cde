using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.CodeFixes;

/// <summary>
/// The wait for a turn that the paging-loop, fan-out and short-wait fixes write, on the endpoint's pacer that
/// <see cref="PacingCode"/> holds in a <c>static readonly</c> field named after the API:
/// <c>await GitHubPacer.WaitTurnAsync(cancellationToken)</c>. The three rules give the same key for one endpoint, so their
/// fixes share one field, built once, whichever runs first.
/// </summary>
internal static class PacerWaitCode
{
    /// <summary><c>await GitHubPacer.WaitTurnAsync(cancellationToken)</c>, or <c>GitHubPacer.WaitTurn()</c> in synchronous code.</summary>
    public static ExpressionSyntax Wait(PacingCode code, Diagnostic diagnostic, SyntaxNode use, int usePosition)
    {
        var properties = diagnostic.Properties;
        var token = properties.TryGetValue(PacingFixData.CancellationToken, out var t) && t is not null ? RuntimeCode.EscapeIdentifier(t) : string.Empty;
        var pacer = code.Pacer(diagnostic, use, usePosition);

        // Parsed as an expression and awaited through the factory: outside an async context the parser would read "await" as a name.
        var call = SyntaxFactory.ParseExpression(pacer + (IsAsync(diagnostic) ? ".WaitTurnAsync(" : ".WaitTurn(") + token + ")");
        return IsAsync(diagnostic) ? SyntaxFactory.AwaitExpression(call) : call;
    }

    public static StatementSyntax Statement(PacingCode code, Diagnostic diagnostic, SyntaxNode use, int usePosition) =>
        SyntaxFactory.ExpressionStatement(Wait(code, diagnostic, use, usePosition)).WithAdditionalAnnotations(Formatter.Annotation);

    public static bool IsAsync(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(PacingFixData.IsAsync, out var value) && value == "true";
}
