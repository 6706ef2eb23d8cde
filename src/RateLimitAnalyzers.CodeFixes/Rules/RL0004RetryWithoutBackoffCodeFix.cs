using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.CodeFixes.Rules;

/// <summary>
/// RL0004 fix: back off exponentially with jitter between attempts, bounded by the caller's cancellation, and give up
/// after a few attempts where the retry had no limit.
/// <list type="bullet">
/// <item>A loop or a recursion waits <c>await Backoff.DelayAsync(attempt, oldDelay, max, cancellationToken);</c>
/// (<c>Backoff.Delay(...)</c> in synchronous code) in place of its constant wait, or where it went round again at once;
/// a loop that counts no attempts gets <c>var attempt = 0;</c> and <c>attempt++;</c>, and a <c>while (true)</c> one
/// <c>if (attempt &gt;= 3) throw;</c> before the wait.</item>
/// <item>A Polly v7 <c>Retry</c>, <c>RetryForever</c> or constant <c>WaitAndRetry</c> becomes
/// <c>WaitAndRetry(n, retryAttempt =&gt; Backoff.Exponential(retryAttempt - 1, ...))</c>.</item>
/// <item>Polly v8 options get <c>BackoffType = DelayBackoffType.Exponential</c> and <c>UseJitter = true</c>.</item>
/// </list>
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RL0004RetryWithoutBackoffCodeFix))]
public sealed class RL0004RetryWithoutBackoffCodeFix : RetryCodeFixProvider
{
    /// <summary>One key for every RL0004 fix, so Fix All applies them together.</summary>
    public const string FixEquivalenceKey = "RL0004.BackOffExponentially";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.RetryWithoutBackoff);

    public RL0004RetryWithoutBackoffCodeFix()
        : base(FixEquivalenceKey)
    {
    }

    private protected override string? Title(SyntaxNode root, Diagnostic diagnostic, SyntaxNode site) =>
        RetryCode.Property(diagnostic, RetryFixData.Fix) switch
        {
            RetryFixData.FixWait when site is StatementSyntax or BlockSyntax && RetryCode.CanCountAttempts(root, diagnostic, site) =>
                RetryCode.Property(diagnostic, RetryFixData.KeepWait) == "true"
                    ? "Give up after " + RetryCode.MaxRetries + " retries"
                    : "Back off exponentially with jitter between attempts",
            RetryFixData.FixPolicy when site is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax } =>
                "Wait and retry with exponential backoff and jitter",
            RetryFixData.FixBackoffOptions when site is BaseObjectCreationExpressionSyntax =>
                "Back off exponentially with jitter",
            _ => null,
        };

    private protected override void Apply(RetryCode.Writer writer, Diagnostic diagnostic, SyntaxNode site)
    {
        switch (RetryCode.Property(diagnostic, RetryFixData.Fix))
        {
            case RetryFixData.FixWait:
                BackOff(writer, diagnostic, site);
                break;
            case RetryFixData.FixPolicy:
                WaitAndRetry(writer, diagnostic, (InvocationExpressionSyntax)site);
                break;
            case RetryFixData.FixBackoffOptions:
                RetryCode.SetExponentialBackoff(writer, (BaseObjectCreationExpressionSyntax)site, diagnostic);
                break;
        }
    }

    private static void BackOff(RetryCode.Writer writer, Diagnostic diagnostic, SyntaxNode site)
    {
        var position = site.SpanStart;
        var counter = RuntimeCode.EscapeIdentifier(RetryCode.Property(diagnostic, RetryFixData.Counter)!);
        var waits = new List<StatementSyntax>();
        if (RetryCode.Property(diagnostic, RetryFixData.KeepWait) != "true")
        {
            var backoff = writer.Runtime(RetryRuntime.BackoffName, position);
            var arguments = "(" + counter + ", " + writer.BaseDelay(diagnostic, position) + ", " + writer.MaxDelay(diagnostic, position) + RetryCode.Writer.TokenArgument(diagnostic) + ")";
            waits.Add(RetryCode.IsAsync(diagnostic)
                ? RetryCode.Statement(backoff + ".DelayAsync" + arguments, await: true)
                : RetryCode.Statement(backoff + ".Delay" + arguments, await: false));
        }

        var edit = (WaitEdit)System.Enum.Parse(typeof(WaitEdit), RetryCode.Property(diagnostic, RetryFixData.Edit)!);
        RetryCode.Place(writer.Editor, site, edit, RetryCode.CountAttempts(writer, diagnostic, site, edit, waits));
    }

    /// <summary><c>.RetryAsync(3)</c> → <c>.WaitAndRetryAsync(3, retryAttempt => Backoff.Exponential(retryAttempt - 1, base, max))</c>; Polly counts retries from 1.</summary>
    private static void WaitAndRetry(RetryCode.Writer writer, Diagnostic diagnostic, InvocationExpressionSyntax call)
    {
        var position = call.SpanStart;
        var member = (MemberAccessExpressionSyntax)call.Expression;
        var name = member.Name.Identifier.ValueText.EndsWith("Async", System.StringComparison.Ordinal) ? "WaitAndRetryAsync" : "WaitAndRetry";
        var attempt = writer.FreshName(position, "retryAttempt", "attempt", "retry");
        var count = RetryCode.Property(diagnostic, RL0004RetryWithoutBackoffAnalyzer.RetryCountProperty) ?? RetryCode.MaxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var arguments = SyntaxFactory.ParseArgumentList("(" + count + ", " + attempt + " => " + writer.Backoff(attempt + " - 1", diagnostic, position) + ")");
        writer.Editor.ReplaceNode(call, call
            .WithExpression(member.WithName(SyntaxFactory.IdentifierName(name).WithTriviaFrom(member.Name)))
            .WithArgumentList(arguments.WithTriviaFrom(call.ArgumentList))
            .WithAdditionalAnnotations(Formatter.Annotation));
    }
}
