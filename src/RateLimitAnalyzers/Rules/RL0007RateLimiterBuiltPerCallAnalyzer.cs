using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Rules;

/// <summary>
/// RL0007: a rate limiter (System.Threading.RateLimiting's, a Polly pipeline or policy with one, the runtime's
/// <c>RequestPacer</c>) made inside a method, used once there to pace a request, and dropped: a new limiter has its whole
/// budget, so it grants at once and the requests are never paced.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RL0007RateLimiterBuiltPerCallAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: how the fix keeps the limiter, <see cref="SharedPacerFix"/> or <see cref="StaticFieldFix"/>; absent when no fix applies.</summary>
    public const string FixKindProperty = "FixKind";

    /// <summary><c>new RequestPacer(windows)</c> becomes <c>RequestPacer.Shared(key, windows)</c>.</summary>
    public const string SharedPacerFix = "SharedPacer";

    /// <summary>The local's initializer moves to a <c>static readonly</c> field, which the uses then name.</summary>
    public const string StaticFieldFix = "StaticField";

    /// <summary>Diagnostic property: the pacer key for the shared pacer.</summary>
    public const string EndpointKeyProperty = RL0001PagingLoopWithoutPacingAnalyzer.EndpointKeyProperty;

    // Waits on a limiter by name; a Polly execution is asked about separately.
    private static readonly ImmutableHashSet<string> s_waitNames = ImmutableHashSet.Create("AcquireAsync", "AttemptAcquire", "WaitTurnAsync", "WaitTurn", "TryTakeTurn");

    // The limiters that pace by rate; a ConcurrencyLimiter bounds how many run at once, and is not a rule of this one.
    private static readonly ImmutableHashSet<string> s_rateLimiterTypes = ImmutableHashSet.Create("TokenBucketRateLimiter", "SlidingWindowRateLimiter", "FixedWindowRateLimiter");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.RateLimiterBuiltPerCall);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var knowledge = HttpKnowledge.For(context.Compilation, context.Options, context.CancellationToken);
        if (knowledge is null || (knowledge.RateLimiter is null && knowledge.RequestPacer is null && knowledge.PollyPipeline is null && knowledge.PollyAsyncPolicy is null && knowledge.PollySyncPolicy is null))
        {
            return;
        }

        GatedOperationActions.Register(context, knowledge, c => AnalyzeWait(c, knowledge), OperationKind.Invocation);
    }

    private static void AnalyzeWait(OperationAnalysisContext context, HttpKnowledge knowledge)
    {
        var wait = (IInvocationOperation)context.Operation;
        if (wait.Instance is null
            || !(s_waitNames.Contains(wait.TargetMethod.Name) || knowledge.IsPollyExecution(wait))
            || !knowledge.IsPacing(wait, context.CancellationToken))
        {
            return;
        }

        var receiver = UrlText.SkipConversions(wait.Instance);
        IOperation? made;
        ILocalSymbol? local = null;
        if (receiver is ILocalReferenceOperation reference)
        {
            local = reference.Local;
            if (UrlText.InitializerOf(reference) is not { } initializer
                || !IsOnlyWaitedOnOncePerCall(wait, reference, context.CancellationToken))
            {
                return;
            }

            made = initializer;
        }
        else
        {
            made = receiver;
        }

        if (Limiter(made, knowledge) is not { } limiter || FirstSend(wait, knowledge, context.CancellationToken) is not { } send)
        {
            return;
        }

        var resolved = knowledge.TargetOf(send, context.CancellationToken);
        var target = resolved.Entry;
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        properties[EndpointKeyProperty] = RL0001PagingLoopWithoutPacingAnalyzer.PacerKey(resolved.Resolved, target, context.ContainingSymbol);
        if (limiter is IObjectCreationOperation pacer && knowledge.Is(pacer.Type, knowledge.RequestPacer)
            && pacer.Arguments.All(a => a.Parameter?.Name == "windows"))
        {
            properties[FixKindProperty] = SharedPacerFix;
        }
        else if (local is not null && IsStaticSafe(made))
        {
            properties[FixKindProperty] = StaticFieldFix;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.RateLimiterBuiltPerCall,
            made.Syntax.GetLocation(),
            new[] { limiter.Syntax.GetLocation() },
            properties.ToImmutable(),
            DescribeLimiter(limiter, made),
            RuleText.DescribeEndpoint(resolved.Resolved, target),
            target is { HasQuota: true } ? "; it allows " + QuotaText.Describe(target.Quota) : string.Empty));
    }

    /// <summary>
    /// The rate limiter an expression makes, where it makes it: <c>new SlidingWindowRateLimiter(...)</c>, <c>new RequestPacer(...)</c>,
    /// <c>Policy.RateLimitAsync(...)</c>, also inside a pipeline built around it (<c>.AddRateLimiter(new ...)</c>). A pipeline
    /// built per call around a limiter kept elsewhere (<c>.AddRateLimiter(s_limiter)</c>) shares that limiter, and paces.
    /// </summary>
    private static IOperation? Limiter(IOperation made, HttpKnowledge knowledge)
    {
        foreach (var operation in made.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IObjectCreationOperation { Type: { } type } creation
                    when knowledge.Is(type, knowledge.RequestPacer) || (s_rateLimiterTypes.Contains(type.Name) && knowledge.DerivesFrom(type, knowledge.RateLimiter)):
                    return creation;
                case IInvocationOperation { TargetMethod: { Name: "RateLimit" or "RateLimitAsync", IsStatic: true } method } policy
                    when method.ContainingType?.ToDisplayString() is "Polly.Policy":
                    return policy;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the local is waited on at most once per call and goes nowhere else: every use is a call on it (a wait, a
    /// Dispose), none in a loop or a lambda the declaration is not in. A limiter kept for a loop or a fan-out inside the
    /// method paces that loop; one handed on or returned may live on.
    /// </summary>
    private static bool IsOnlyWaitedOnOncePerCall(IInvocationOperation wait, ILocalReferenceOperation reference, CancellationToken cancellationToken)
    {
        var root = Root(wait);

        var declaration = reference.Local.DeclaringSyntaxReferences.FirstOrDefault()?.Span;
        if (declaration is null)
        {
            return false;
        }

        foreach (var use in root.Descendants().OfType<ILocalReferenceOperation>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!SymbolEqualityComparer.Default.Equals(use.Local, reference.Local))
            {
                continue;
            }

            var user = use.Parent;
            while (user is IConversionOperation)
            {
                user = user.Parent;
            }

            if (user is not IInvocationOperation call || !ReferenceEquals(UrlText.SkipConversions(call.Instance ?? use), use) || call.Instance is null)
            {
                return false;
            }

            for (var parent = use.Parent; parent is not null && !parent.Syntax.Span.Contains(declaration.Value); parent = parent.Parent)
            {
                if (parent is ILoopOperation or IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return false;
                }
            }

            // Reported once per limiter: at its first use.
            if (use.Syntax.SpanStart < reference.Syntax.SpanStart)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The request the limiter paces: the one the execution wraps, else the first one the method sends.</summary>
    private static RequestSend? FirstSend(IInvocationOperation wait, HttpKnowledge knowledge, CancellationToken cancellationToken)
    {
        if (knowledge.AsSend(wait, cancellationToken) is { } wrapped)
        {
            return wrapped;
        }

        var root = Root(wait);

        foreach (var invocation in root.Descendants().OfType<IInvocationOperation>())
        {
            if (knowledge.AsSend(invocation, cancellationToken) is { } send)
            {
                return send;
            }
        }

        return null;
    }

    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>Whether the limiter can be made once for the process: it reads nothing of the call (locals, parameters, the instance).</summary>
    private static bool IsStaticSafe(IOperation made) =>
        !made.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation or IParameterReferenceOperation
            || o is IInstanceReferenceOperation { ReferenceKind: not InstanceReferenceKind.ImplicitReceiver }
            || o is IMemberReferenceOperation { Member.IsStatic: false, Instance: null });

    private static string DescribeLimiter(IOperation limiter, IOperation made) => limiter switch
    {
        IObjectCreationOperation { Type: { } type } when ReferenceEquals(UrlText.SkipConversions(made), limiter) => "A " + type.Name + " made here",
        IObjectCreationOperation { Type: { } type } => "A pipeline around a " + type.Name + " made here",
        _ => "A Polly rate-limit policy made here",
    };
}
