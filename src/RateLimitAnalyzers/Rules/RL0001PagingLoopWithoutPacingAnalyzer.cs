using System.Collections.Immutable;
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
/// RL0001: a paging loop (or any request loop against a catalogued rate-limited endpoint) sends its requests
/// back to back, with nothing that waits between them on every iteration.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class RL0001PagingLoopWithoutPacingAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the pacer key the fix shares the pacer under.</summary>
    public const string EndpointKeyProperty = PacingFixData.EndpointKey;

    /// <summary>Diagnostic property: the quota the fix writes into the code, in <c>1/1s, 1000/1d</c> form.</summary>
    public const string QuotaProperty = PacingFixData.Quota;

    /// <summary>Diagnostic property: "true" when the enclosing function is async, so the fix awaits.</summary>
    public const string IsAsyncProperty = PacingFixData.IsAsync;

    /// <summary>Diagnostic property: the enclosing function's CancellationToken parameter, when it has one.</summary>
    public const string CancellationTokenProperty = PacingFixData.CancellationToken;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.PagingLoopWithoutPacing);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var knowledge = HttpKnowledge.For(context.Compilation, context.Options, context.CancellationToken);
        if (knowledge is null)
        {
            return;
        }

        GatedOperationActions.Register(context, knowledge, c => AnalyzeLoop(c, knowledge), OperationKind.Loop);
    }

    private static void AnalyzeLoop(OperationAnalysisContext context, HttpKnowledge knowledge)
    {
        var loop = (ILoopOperation)context.Operation;
        var facts = RequestLoop.Analyze(loop, knowledge, context.CancellationToken);
        var target = facts.EverySends.IsEmpty ? null : facts.FindTarget(knowledge, context.CancellationToken);
        if (!ShouldReport(facts, target))
        {
            return;
        }

        // A nested paging loop's outer loop: the inner loop is the one to pace, and the one reported.
        foreach (var inner in ControlFlow.DescendantsInSameFunction(loop.Body).OfType<ILoopOperation>())
        {
            var innerFacts = RequestLoop.Analyze(inner, knowledge, context.CancellationToken);
            if (ShouldReport(innerFacts, innerFacts.EverySends.IsEmpty ? null : innerFacts.FindTarget(knowledge, context.CancellationToken)))
            {
                return;
            }
        }

        // The endpoint as RL0002 sees it: a relative URL under its client's base address, the catalog's key and quota.
        target ??= knowledge.TargetOf(facts.EverySends[0], context.CancellationToken);
        var entry = target.Entry;
        var options = knowledge.Options.For(loop.Syntax.SyntaxTree);
        var quota = entry is { HasQuota: true } ? entry.Quota : options.DefaultQuota;

        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        var additionalLocations = ImmutableArray<Location>.Empty;
        if (entry is not null && PacingFixData.AddClientFixLikeRL0002(properties, context.Compilation, context.Options, target, entry, knowledge, context.CancellationToken) is { } client)
        {
            // RL0002 reports the same request and gives its client this endpoint's policy: the loop is paced by that
            // client, once, whichever fix runs first.
            additionalLocations = ImmutableArray.Create(client);
        }
        else
        {
            properties[EndpointKeyProperty] = PacerKey(target.Resolved, entry, context.ContainingSymbol);
            properties[QuotaProperty] = QuotaText.Format(quota);
            properties[PacingFixData.FixKind] = PacingFixData.LoopFix;
            if (entry is not null)
            {
                properties[PacingFixData.ApiName] = entry.Name;
            }
        }

        FunctionFacts.Add(properties, loop, context.ContainingSymbol, knowledge);

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.PagingLoopWithoutPacing,
            LoopKeyword(loop.Syntax).GetLocation(),
            additionalLocations,
            properties.ToImmutable(),
            DescribeLoop(facts),
            RuleText.DescribeEndpoint(target.Resolved, entry),
            DescribeAdvice(entry, quota)));
    }

    private static bool ShouldReport(RequestLoop facts, RequestTarget? target) =>
        !facts.EverySends.IsEmpty
        && !facts.IsPaced
        && !facts.IsRetry
        && (facts.IsPaging || target is not null);

    private static string DescribeLoop(RequestLoop facts)
    {
        if (facts.PagingState is { } state)
        {
            return "This paging loop (next page from '" + state.Name + "')";
        }

        if (facts.IsPaging && facts.ExitState is { } exit)
        {
            return "This paging loop (stops on '" + exit.Name + "')";
        }

        return facts.IsPaging ? "This paging loop" : "This loop";
    }

    internal static string DescribeAdvice(CatalogEntry? target, ImmutableArray<QuotaWindowInfo> quota)
    {
        if (target is { HasQuota: true })
        {
            return "it allows " + QuotaText.Describe(target.Quota) + (target.QuotaNote is null ? string.Empty : " (" + target.QuotaNote + ")") + "; wait for a turn before each request";
        }

        if (target is not null)
        {
            return target.DescribeQuota() + "; wait for a turn before each request";
        }

        return "wait for a turn before each request (the fix paces at " + QuotaText.Describe(quota) + "; adjust it to the API's quota)";
    }

    /// <summary>
    /// The key the pacer is shared under: the catalog entry's, else the URL's host and path, else the method
    /// that pages, so that every loop over the same endpoint shares one budget.
    /// </summary>
    internal static string PacerKey(RequestSend send, CatalogEntry? target, ISymbol containingSymbol)
    {
        if (target is not null)
        {
            return target.Key;
        }

        if (send.Url is { } url)
        {
            var path = RuleText.StripQuery(url);
            var scheme = path.IndexOf("://", System.StringComparison.Ordinal);
            if (scheme >= 0)
            {
                path = path.Substring(scheme + 3);
            }

            var hole = path.IndexOf(UrlText.Hole, System.StringComparison.Ordinal);
            if (hole >= 0)
            {
                path = path.Substring(0, hole);
            }

            path = path.TrimEnd('/');
            if (path.Length > 0)
            {
                return path;
            }
        }

        var type = containingSymbol.ContainingType;
        return (type is null ? string.Empty : type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) + ".") + containingSymbol.Name;
    }

    internal static SyntaxToken LoopKeyword(SyntaxNode loop) => loop switch
    {
        WhileStatementSyntax whileLoop => whileLoop.WhileKeyword,
        DoStatementSyntax doLoop => doLoop.DoKeyword,
        ForStatementSyntax forLoop => forLoop.ForKeyword,
        CommonForEachStatementSyntax forEach => forEach.ForEachKeyword,
        _ => loop.GetFirstToken(),
    };
}
