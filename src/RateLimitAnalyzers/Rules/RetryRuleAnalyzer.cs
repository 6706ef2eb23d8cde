using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge;

namespace RateLimitAnalyzers.Rules;

/// <summary>
/// What RL0003 and RL0004 look at, registered once: every loop as a retry, every Polly v8 retry strategy's options and v7
/// retry policy, with the compilation's shared <see cref="RetryKnowledge"/>. Each rule decides what of it to report.
/// </summary>
public abstract class RetryRuleAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var retries = RetryKnowledge.For(start.Compilation, start.Options, start.CancellationToken);
            if (retries is null)
            {
                return;
            }

            // Nearly all code never touches HTTP or Polly: look inside a member only when its names say it might.
            var kinds = AnalyzesFunctions
                ? new[] { OperationKind.Loop, OperationKind.ObjectCreation, OperationKind.Invocation, OperationKind.MethodBody, OperationKind.LocalFunction, OperationKind.AnonymousFunction }
                : new[] { OperationKind.Loop, OperationKind.ObjectCreation, OperationKind.Invocation };
            GatedOperationActions.Register(start, retries.Http, c => Analyze(c, retries), kinds);
        });
    }

    private void Analyze(OperationAnalysisContext context, RetryKnowledge retries)
    {
        switch (context.Operation)
        {
            case ILoopOperation loop:
                Report(context, retries, retries.AnalyzeLoop(loop, context.CancellationToken));
                break;
            case IObjectCreationOperation creation:
                if (PollyRetry.FromOptions(creation, retries, context.CancellationToken) is { } options)
                {
                    Report(context, options);
                }

                break;
            case IInvocationOperation call:
                if (PollyRetry.FromPolicy(call, retries, context.CancellationToken) is { } policy)
                {
                    Report(context, policy);
                }
                else
                {
                    AnalyzeCall(context, retries, call);
                }

                break;
            default:
                AnalyzeFunction(context, retries);
                break;
        }
    }

    /// <summary>A loop or a method body, described as a retry.</summary>
    private protected abstract void Report(OperationAnalysisContext context, RetryKnowledge retries, RetryLoop retry);

    /// <summary>A Polly retry strategy's options or a v7 retry policy.</summary>
    private protected abstract void Report(OperationAnalysisContext context, PollyRetry retry);

    /// <summary>A call that makes no Polly policy: a rule may look at it as a retry by recursion.</summary>
    private protected virtual void AnalyzeCall(OperationAnalysisContext context, RetryKnowledge retries, IInvocationOperation call)
    {
    }

    /// <summary>Whether the rule also looks at every method, local function and lambda body (<see cref="AnalyzeFunction"/>).</summary>
    private protected virtual bool AnalyzesFunctions => false;

    /// <summary>A method, local function or lambda, when <see cref="AnalyzesFunctions"/>.</summary>
    private protected virtual void AnalyzeFunction(OperationAnalysisContext context, RetryKnowledge retries)
    {
    }
}
