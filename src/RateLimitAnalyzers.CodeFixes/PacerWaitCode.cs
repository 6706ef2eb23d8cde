using System.Collections.Immutable;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.CodeFixes;

/// <summary>
/// The wait for a turn on the endpoint's shared pacer that the fan-out and short-wait fixes write, from the key, quota,
/// async-ness and token their analyzers put in the diagnostic's properties:
/// <c>await RequestPacer.Shared("api.stripe.com/*", QuotaWindow.PerSecond(25)).WaitTurnAsync(cancellationToken)</c>.
/// </summary>
internal static class PacerWaitCode
{
    public static ExpressionSyntax Wait(ImmutableDictionary<string, string?> properties, bool isAsync, RuntimeCode.Names names)
    {
        var key = properties.TryGetValue(RL0001PagingLoopWithoutPacingAnalyzer.EndpointKeyProperty, out var k) && k is not null ? k : "default";
        properties.TryGetValue(RL0001PagingLoopWithoutPacingAnalyzer.QuotaProperty, out var quotaText);
        var token = properties.TryGetValue(FunctionFacts.CancellationTokenProperty, out var t) && t is not null ? RuntimeCode.EscapeIdentifier(t) : string.Empty;

        var text = new StringBuilder();
        text.Append(names.Prefix).Append("RequestPacer.Shared(").Append(SymbolDisplay.FormatLiteral(key, quote: true));
        foreach (var window in RuntimeCode.WindowExpressions(quotaText, names, fallback: "1/1s"))
        {
            text.Append(", ").Append(window);
        }

        text.Append(')').Append(isAsync ? ".WaitTurnAsync(" : ".WaitTurn(").Append(token).Append(')');

        // Parsed as an expression and awaited through the factory: outside an async context the parser would read "await" as a name.
        var call = SyntaxFactory.ParseExpression(text.ToString());
        return isAsync ? SyntaxFactory.AwaitExpression(call) : call;
    }

    public static StatementSyntax Statement(ImmutableDictionary<string, string?> properties, bool isAsync, RuntimeCode.Names names) =>
        SyntaxFactory.ExpressionStatement(Wait(properties, isAsync, names)).WithAdditionalAnnotations(Formatter.Annotation);

    public static bool IsAsync(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(FunctionFacts.IsAsyncProperty, out var value) && value == "true";

    /// <summary>The edited document with the runtime's <c>using</c> where the inserted waits need it, formatted where they went.</summary>
    public static Task<Document> FinishAsync(Document document, DocumentEditor editor, RuntimeCode.Names names, CancellationToken cancellationToken)
    {
        var newRoot = editor.GetChangedRoot();
        if (names.NeedsImport && newRoot is CompilationUnitSyntax unit)
        {
            newRoot = RuntimeCode.AddImport(unit);
        }

        return Formatter.FormatAsync(document.WithSyntaxRoot(newRoot), Formatter.Annotation, cancellationToken: cancellationToken);
    }
}
