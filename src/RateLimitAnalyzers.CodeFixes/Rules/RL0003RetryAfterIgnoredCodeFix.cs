using System.Collections.Immutable;
using System.Globalization;
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
/// RL0003 fix: wait as long as the server's Retry-After says, and back off when it sends none.
/// <list type="bullet">
/// <item>A wait after the throttle check becomes <c>await RetryAfter.DelayAsync(response, fallback, cancellationToken);</c>
/// (<c>Thread.Sleep(RetryAfter.GetDelayOrDefault(response, fallback))</c> in synchronous code), where the fallback is
/// <c>Backoff.Exponential(attempt, oldDelay, max)</c>. A loop that counts no attempts gets a counter, and a
/// <c>while (true)</c> one a limit, as the RL0004 fix adds them (<see cref="RetryCode.CountAttempts"/>): a fallback
/// that stayed constant, or went on forever, would be RL0004's finding in the fixed code. Elsewhere the fallback is the old delay.</item>
/// <item><c>response.EnsureSuccessStatusCode()</c> under a catch for 429 gets a status check before it that waits and goes round again.</item>
/// <item>Polly v8 options get a <c>DelayGenerator</c> reading Retry-After through the runtime, and exponential backoff with
/// jitter for when there is none; <c>HttpRetryStrategyOptions</c> gets <c>ShouldRetryAfterHeader = true</c>.</item>
/// </list>
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RL0003RetryAfterIgnoredCodeFix))]
public sealed class RL0003RetryAfterIgnoredCodeFix : RetryCodeFixProvider
{
    /// <summary>One key for every RL0003 fix, so Fix All applies them together.</summary>
    public const string FixEquivalenceKey = "RL0003.WaitForRetryAfter";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.RetryAfterIgnored);

    public RL0003RetryAfterIgnoredCodeFix()
        : base(FixEquivalenceKey)
    {
    }

    private protected override string? Title(SyntaxNode root, Diagnostic diagnostic, SyntaxNode site) =>
        RetryCode.Property(diagnostic, RetryFixData.Fix) switch
        {
            RetryFixData.FixWait when site is StatementSyntax or BlockSyntax && RetryCode.CanCountAttempts(root, diagnostic, site) =>
                "Wait as long as Retry-After says, and back off when it is missing",
            RetryFixData.FixEnsureSuccess when site is StatementSyntax && RetryCode.CanCountAttempts(root, diagnostic, site) =>
                "Check for the throttled status before EnsureSuccessStatusCode() and wait as long as Retry-After says",
            RetryFixData.FixDelayGenerator when site is BaseObjectCreationExpressionSyntax =>
                "Read Retry-After in a DelayGenerator, and back off exponentially when it is missing",
            RetryFixData.FixRetryAfterHeader when RetryAfterHeaderSetting(site) is not null =>
                "Let HttpRetryStrategyOptions wait as long as Retry-After says",
            _ => null,
        };

    private protected override void Apply(RetryCode.Writer writer, Diagnostic diagnostic, SyntaxNode site)
    {
        switch (RetryCode.Property(diagnostic, RetryFixData.Fix))
        {
            case RetryFixData.FixWait:
                var edit = (WaitEdit)System.Enum.Parse(typeof(WaitEdit), RetryCode.Property(diagnostic, RetryFixData.Edit)!);
                var wait = Wait(writer, diagnostic, site.SpanStart, constantOnly: false);
                RetryCode.Place(writer.Editor, site, edit, RetryCode.CountAttempts(writer, diagnostic, site, edit, new[] { wait }));
                break;

            case RetryFixData.FixEnsureSuccess:
                RetryCode.Place(writer.Editor, site, WaitEdit.InsertBefore, new[] { CheckBeforeThrowing(writer, diagnostic, site) });
                break;

            case RetryFixData.FixDelayGenerator:
                RetryCode.SetExponentialBackoff(writer, (BaseObjectCreationExpressionSyntax)site, diagnostic, DelayGenerator(writer, site));
                break;

            case RetryFixData.FixRetryAfterHeader:
                var setting = RetryAfterHeaderSetting(site)!;
                writer.Editor.ReplaceNode(setting.Right, SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression).WithTriviaFrom(setting.Right));
                break;
        }
    }

    /// <summary>The <c>ShouldRetryAfterHeader = false</c> in the options' initializer.</summary>
    private static AssignmentExpressionSyntax? RetryAfterHeaderSetting(SyntaxNode site) =>
        (site as BaseObjectCreationExpressionSyntax)?.Initializer?.Expressions.OfType<AssignmentExpressionSyntax>()
            .FirstOrDefault(a => a.Left is IdentifierNameSyntax { Identifier.ValueText: "ShouldRetryAfterHeader" });

    /// <summary>
    /// The wait for a throttled response: Retry-After when the server sends it, else the fallback, which backs off by the
    /// attempt counter when there is one.
    /// </summary>
    private static StatementSyntax Wait(RetryCode.Writer writer, Diagnostic diagnostic, int position, bool constantOnly)
    {
        var response = RuntimeCode.EscapeIdentifier(RetryCode.Property(diagnostic, RetryFixData.Response)!);
        var fallback = RetryCode.Property(diagnostic, RetryFixData.Counter) is { } counter
            ? writer.Backoff(RuntimeCode.EscapeIdentifier(counter), diagnostic, position, constantOnly)
            : writer.BaseDelay(diagnostic, position, constantOnly);
        var retryAfter = writer.Runtime(RetryRuntime.RetryAfterName, position);
        return RetryCode.IsAsync(diagnostic)
            ? RetryCode.Statement(retryAfter + ".DelayAsync(" + response + ", " + fallback + RetryCode.Writer.TokenArgument(diagnostic) + ")", await: true)
            : RetryCode.Statement(writer.Type("System.Threading.Thread", position) + ".Sleep(" + retryAfter + ".GetDelayOrDefault(" + response + ", " + fallback + "))", await: false);
    }

    /// <summary><c>if (response.StatusCode == HttpStatusCode.TooManyRequests) { wait; continue; }</c>, before the headers are thrown away.</summary>
    private static IfStatementSyntax CheckBeforeThrowing(RetryCode.Writer writer, Diagnostic diagnostic, SyntaxNode site)
    {
        var position = site.SpanStart;
        var response = RuntimeCode.EscapeIdentifier(RetryCode.Property(diagnostic, RetryFixData.Response)!);
        var statusCode = writer.Model.Compilation.GetTypeByMetadataName("System.Net.HttpStatusCode");
        var tests = (RetryCode.Property(diagnostic, RetryFixData.Statuses) ?? ThrottleTest.TooManyRequests.ToString(CultureInfo.InvariantCulture)).Split(',').Select(status =>
        {
            var member = ThrottleTest.MemberName(int.Parse(status, CultureInfo.InvariantCulture));
            return statusCode?.GetMembers(member).Any() == true
                ? response + ".StatusCode == " + writer.Type("System.Net.HttpStatusCode", position) + "." + member
                : "(int)" + response + ".StatusCode == " + status;
        });

        // The old delay sat in the catch block; only a constant of it means the same thing up here.
        var wait = Wait(writer, diagnostic, position, constantOnly: true);
        var body = SyntaxFactory.Block(RetryCode.CountAttempts(writer, diagnostic, site, WaitEdit.InsertBefore, new[] { wait }).Append(SyntaxFactory.ContinueStatement()));
        return SyntaxFactory.IfStatement(SyntaxFactory.ParseExpression(string.Join(" || ", tests)), body).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>
    /// <c>DelayGenerator = args => new ValueTask&lt;TimeSpan?&gt;(...)</c>: the server's Retry-After when the outcome is a
    /// response that has one, else null, which lets the strategy's own backoff decide.
    /// </summary>
    private static string DelayGenerator(RetryCode.Writer writer, SyntaxNode site)
    {
        var position = site.SpanStart;
        var args = writer.FreshName(position, "args", "retryArgs", "delayArgs");
        var delay = writer.FreshName(position, "delay", "retryAfter", "hint");
        var timeSpan = writer.Type("System.TimeSpan", position);
        var result = args + ".Outcome.Result";
        return "DelayGenerator = " + args + " => new " + writer.Type("System.Threading.Tasks.ValueTask", position) + "<" + timeSpan + "?>("
            + result + " != null && " + writer.Runtime(RetryRuntime.RetryAfterName, position) + ".TryGetDelay(" + result + ", "
            + writer.Type("System.DateTimeOffset", position) + ".UtcNow, out var " + delay + ") ? " + delay + " : (" + timeSpan + "?)null)";
    }
}
