using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Rules;

/// <summary>
/// RL0005: requests started all at once (<c>Task.WhenAll</c> over a task per item, tasks started in a loop,
/// <c>Parallel.ForEach</c>, <c>Parallel.ForEachAsync</c>) with nothing that makes each wait for a turn under the quota.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RL0005RequestFanOutWithoutPacingAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the pacer key the fix shares the pacer under.</summary>
    public const string EndpointKeyProperty = RL0001PagingLoopWithoutPacingAnalyzer.EndpointKeyProperty;

    /// <summary>Diagnostic property: the quota the fix writes into the code, in <c>1/1s, 1000/1d</c> form.</summary>
    public const string QuotaProperty = RL0001PagingLoopWithoutPacingAnalyzer.QuotaProperty;

    /// <summary>Diagnostic property: "true" when the work the fix paces runs asynchronously (an async lambda, one returning a task), so the fix awaits.</summary>
    public const string IsAsyncProperty = FunctionFacts.IsAsyncProperty;

    /// <summary>Diagnostic property: "true" when the lambda returns a value (<c>Task&lt;T&gt;</c>), so an expression body becomes a <c>return</c>.</summary>
    public const string ReturnsValueProperty = "ReturnsValue";

    /// <summary>Diagnostic property: the CancellationToken in scope where the fix waits: the lambda's own, else its method's.</summary>
    public const string CancellationTokenProperty = FunctionFacts.CancellationTokenProperty;

    // The calls that fan out or wait for fanned-out tasks, by name: everything else is left at the first comparison.
    private static readonly ImmutableHashSet<string> s_fanOutNames = ImmutableHashSet.Create("WhenAll", "WaitAll", "ForEach", "ForEachAsync", "For");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.RequestFanOutWithoutPacing);

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

        GatedOperationActions.Register(context, knowledge, c => AnalyzeCall(c, knowledge), OperationKind.Invocation);
    }

    private static void AnalyzeCall(OperationAnalysisContext context, HttpKnowledge knowledge)
    {
        var call = (IInvocationOperation)context.Operation;
        if (!s_fanOutNames.Contains(call.TargetMethod.Name)
            || RequestFanOut.Analyze(call, knowledge, context.CancellationToken) is not { IsPaced: false } fanOut)
        {
            return;
        }

        var resolved = fanOut.FindTarget(knowledge, context.CancellationToken);
        var target = resolved.Entry;
        if (!ShouldReport(fanOut, target))
        {
            return;
        }

        var options = knowledge.Options.For(call.Syntax.SyntaxTree);
        var quota = target is { HasQuota: true } ? target.Quota : options.DefaultQuota;
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        var additionalLocation = fanOut.Work.Syntax.GetLocation();
        if (target is not null
            && PacingFixData.AddClientFixLikeRL0002(properties, context.Compilation, context.Options, resolved, target, knowledge, context.CancellationToken) is { } client)
        {
            // RL0002 reports the same request and gives its client this endpoint's policy: the fanned-out requests are
            // paced by that client, once, whichever fix runs first. The first additional location is then the client.
            additionalLocation = client;
        }
        else
        {
            properties[EndpointKeyProperty] = RL0001PagingLoopWithoutPacingAnalyzer.PacerKey(resolved.Resolved, target, context.ContainingSymbol);
            properties[QuotaProperty] = QuotaText.Format(quota);
        }

        AddFunctionFacts(properties, fanOut, context.ContainingSymbol, knowledge);

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.RequestFanOutWithoutPacing,
            CalleeLocation(call),
            new[] { additionalLocation },
            properties.ToImmutable(),
            DescribeFanOut(fanOut),
            RuleText.DescribeEndpoint(resolved.Resolved, target),
            DescribeAdvice(fanOut, target, quota)));
    }

    /// <summary>
    /// A catalogued endpoint is reported however many run at once: a bound on concurrency is not a bound on rate. Any
    /// other endpoint only when nothing bounds the fan-out, the code does not show how many items there are, and the URL
    /// names one endpoint (requests to whatever URLs the items hold are a crawler's business, not a quota's).
    /// </summary>
    private static bool ShouldReport(RequestFanOut fanOut, CatalogEntry? target) =>
        target is not null || (!fanOut.IsBounded && !fanOut.HasKnownSize && fanOut.Send.Url is not null);

    private static string DescribeFanOut(RequestFanOut fanOut)
    {
        var name = fanOut.Call.TargetMethod.ContainingType.Name + "." + fanOut.Call.TargetMethod.Name;
        return fanOut.Shape switch
        {
            FanOutShape.WhenAllOverLoop => name + " over tasks started in a loop",
            FanOutShape.WhenAllOverSelect => name + " over a task per item",
            FanOutShape.Parallel when fanOut.Work is IAnonymousFunctionOperation { Symbol.IsAsync: true } => name + " with an async lambda",
            _ => name,
        };
    }

    private static string DescribeAdvice(RequestFanOut fanOut, CatalogEntry? target, ImmutableArray<QuotaWindowInfo> quota)
    {
        var advice = RL0001PagingLoopWithoutPacingAnalyzer.DescribeAdvice(target, quota);
        return fanOut.IsBounded ? "bounding how many run at once does not bound how many start per second: " + advice : advice;
    }

    private static void AddFunctionFacts(ImmutableDictionary<string, string?>.Builder properties, RequestFanOut fanOut, ISymbol containingSymbol, HttpKnowledge knowledge)
    {
        if (fanOut.Work is not IAnonymousFunctionOperation lambda)
        {
            // Tasks started in a loop: the fix waits where they are started, in the loop's own function.
            FunctionFacts.Add(properties, fanOut.Work, containingSymbol, knowledge);
            return;
        }

        var returnType = lambda.Symbol.ReturnType;
        var returnsTask = returnType is INamedTypeSymbol { Name: "Task" or "ValueTask" } named && named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks";
        properties[IsAsyncProperty] = lambda.Symbol.IsAsync || returnsTask ? "true" : "false";
        properties[ReturnsValueProperty] = returnsTask ? (((INamedTypeSymbol)returnType).IsGenericType ? "true" : "false") : (returnType.SpecialType == SpecialType.System_Void ? "false" : "true");

        var token = lambda.Symbol.Parameters.FirstOrDefault(p => knowledge.Is(p.Type, knowledge.CancellationToken))
            ?? (FunctionFacts.EnclosingFunction(lambda, containingSymbol)?.Parameters.FirstOrDefault(p => knowledge.Is(p.Type, knowledge.CancellationToken)));
        if (token is not null)
        {
            properties[CancellationTokenProperty] = token.Name;
        }
    }

    /// <summary>The squiggle: <c>Task.WhenAll</c>, <c>Parallel.ForEach</c>, without the arguments that may run for lines.</summary>
    private static Location CalleeLocation(IInvocationOperation call) =>
        call.Syntax is InvocationExpressionSyntax invocation ? invocation.Expression.GetLocation() : call.Syntax.GetLocation();
}
