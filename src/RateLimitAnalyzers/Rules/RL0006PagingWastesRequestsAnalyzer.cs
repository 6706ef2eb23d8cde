using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Rules;

/// <summary>
/// RL0006: a paging loop against a catalogued endpoint that asks for smaller pages than the API allows: the request
/// leaves the page-size parameter out (the API's default applies) or sets it to a constant below the maximum. Every
/// page fetched smaller than it could be is a request spent from the quota for nothing.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RL0006PagingWastesRequestsAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the page-size query parameter.</summary>
    public const string ParameterProperty = "PageSizeParameter";

    /// <summary>Diagnostic property: the maximum page size, the value the fix writes.</summary>
    public const string MaximumProperty = "MaxPageSize";

    /// <summary>Diagnostic property: the value the request sets, absent when it leaves the parameter out.</summary>
    public const string ValueProperty = "PageSize";

    /// <summary>Diagnostic property: "true" for a page counter with a fixed bound and no stop on an empty page.</summary>
    public const string FixedPageCountProperty = "FixedPageCount";

    /// <summary>Diagnostic property: the local that holds a page's items, for the empty-page check.</summary>
    public const string PageVariableProperty = "PageVariable";

    /// <summary>Diagnostic property: <c>Count</c> or <c>Length</c>, how the page's items are counted.</summary>
    public const string CountMemberProperty = "CountMember";

    /// <summary>Diagnostic property: "true" when the page may be null (a reference type), so the check tests that too.</summary>
    public const string CanBeNullProperty = "CanBeNull";

    // Query parameters that number pages; a page counter in one of them walks pages.
    private static readonly ImmutableHashSet<string> s_pageNumberParameters = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, "page", "page_number", "pageNumber", "page_index", "pageIndex", "pagenum");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.PagingWastesRequests);

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
        if (!facts.IsPaging)
        {
            ReportFixedPageCount(context, knowledge, loop, facts);
            return;
        }

        foreach (var send in facts.EverySends)
        {
            if (knowledge.TargetOf(send, context.CancellationToken) is not { Entry: { PageSizeParameter: { } parameter, MaxPageSize: { } maximum } target } resolved
                || Query(resolved.Url) is not { } query)
            {
                continue;
            }

            var value = ValueOf(query, parameter, out var present);
            if (present && (value is null || value >= maximum))
            {
                // Set from a variable, or already as large as the API allows.
                continue;
            }

            if (!present && (target.DefaultPageSize is not { } documentedDefault || documentedDefault >= maximum))
            {
                // Left out: wasteful only where the vendor documents a default below the maximum.
                continue;
            }

            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            properties[ParameterProperty] = parameter;
            properties[MaximumProperty] = maximum.ToString(CultureInfo.InvariantCulture);
            if (value is { } set)
            {
                properties[ValueProperty] = set.ToString(CultureInfo.InvariantCulture);
            }

            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.PagingWastesRequests,
                send.Invocation.Syntax.GetLocation(),
                properties.ToImmutable(),
                target.Name,
                value is { } small
                    ? "sets " + parameter + "=" + small.ToString(CultureInfo.InvariantCulture)
                    : "leaves " + parameter + " out, so the API's default of " + target.DefaultPageSize!.Value.ToString("N0", CultureInfo.InvariantCulture) + " applies",
                parameter + " goes up to " + maximum.ToString("N0", CultureInfo.InvariantCulture) + ", and larger pages spend fewer requests of the quota"));
            return;
        }
    }

    /// <summary>
    /// <c>for (var page = 1; page &lt;= 10; page++)</c> with the counter in the request's <c>page</c> parameter and nothing
    /// that stops on an empty page: past the last page every request is spent on nothing. Only for catalogued endpoints,
    /// whose quota the extra requests take from.
    /// </summary>
    private static void ReportFixedPageCount(OperationAnalysisContext context, HttpKnowledge knowledge, ILoopOperation loop, RequestLoop facts)
    {
        if (loop is not IForLoopOperation { Condition: IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual } condition } forLoop
            || !condition.RightOperand.ConstantValue.HasValue
            || UrlText.SkipConversions(condition.LeftOperand) is not ILocalReferenceOperation { Local: var counter }
            || !forLoop.Locals.Contains(counter, SymbolEqualityComparer.Default)
            || facts.EverySends.IsEmpty || facts.IsRetry || facts.ExitDependsOnResponse)
        {
            return;
        }

        foreach (var send in facts.EverySends)
        {
            if (knowledge.TargetOf(send, context.CancellationToken) is not { Entry: { } target } resolved
                || Query(resolved.Url) is not { } query
                || !query.Any(p => s_pageNumberParameters.Contains(p.Substring(0, p.IndexOf('='))) && p.Substring(p.IndexOf('=') + 1) == UrlText.Hole)
                || !send.Invocation.Arguments.Any(a => a.Value.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(r => SymbolEqualityComparer.Default.Equals(r.Local, counter))))
            {
                continue;
            }

            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            properties[FixedPageCountProperty] = "true";
            if (PageVariable(send, forLoop) is { } page && CountMember(page.Type) is { } count)
            {
                properties[PageVariableProperty] = page.Name;
                properties[CountMemberProperty] = count;
                properties[CanBeNullProperty] = page.Type.IsValueType ? "false" : "true";
            }

            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.PagingWastesRequests,
                send.Invocation.Syntax.GetLocation(),
                properties.ToImmutable(),
                target.Name,
                "counts to a fixed number of pages and does not stop on an empty page",
                "every request past the last page spends quota for nothing; stop when a page comes back empty"));
            return;
        }
    }

    /// <summary>The local a page's items are declared into, right in the loop's body: <c>var items = await client.GetFromJsonAsync&lt;List&lt;T&gt;&gt;(...)</c>.</summary>
    private static ILocalSymbol? PageVariable(RequestSend send, IForLoopOperation loop)
    {
        var parent = send.Invocation.Parent;
        while (parent is IAwaitOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }
            && declarator.Parent?.Parent is { } statement
            && ReferenceEquals(statement.Parent, loop.Body)
                ? declarator.Symbol
                : null;
    }

    /// <summary>How the page's items are counted: <c>Count</c> for a list, <c>Length</c> for an array; null for anything else.</summary>
    private static string? CountMember(ITypeSymbol type) =>
        type is IArrayTypeSymbol ? "Length"
        : type.GetMembers("Count").OfType<IPropertySymbol>().Any(p => p.Type.SpecialType == SpecialType.System_Int32) ? "Count"
        : null;

    /// <summary>
    /// The query string the code writes in full: every parameter a name the code shows (<c>?page={0}&amp;per_page=20</c>).
    /// A URL without one, or with a query built elsewhere (<c>?{0}</c>), may set the page size where the rule cannot see.
    /// </summary>
    private static string[]? Query(string? url)
    {
        var start = url?.IndexOf('?') ?? -1;
        if (start < 0)
        {
            return null;
        }

        var end = url!.IndexOf('#', start);
        var parts = url.Substring(start + 1, (end < 0 ? url.Length : end) - start - 1).Split('&');
        return parts.All(p => p.IndexOf('=') is var equals && equals > 0 && p.Substring(0, equals).IndexOf(UrlText.Hole, StringComparison.Ordinal) < 0) ? parts : null;
    }

    /// <summary>The constant the query gives <paramref name="parameter"/>; null when it is absent or not a constant.</summary>
    private static int? ValueOf(string[] query, string parameter, out bool present)
    {
        foreach (var part in query)
        {
            var equals = part.IndexOf('=');
            if (string.Equals(part.Substring(0, equals), parameter, StringComparison.Ordinal))
            {
                present = true;
                return int.TryParse(part.Substring(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
            }
        }

        present = false;
        return null;
    }
}
