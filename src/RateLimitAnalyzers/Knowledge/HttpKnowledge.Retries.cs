using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace RateLimitAnalyzers.Knowledge;

// Which constructs retry: Polly pipelines and policies run around a request.
internal sealed partial class HttpKnowledge
{
    /// <summary>Whether the call runs a Polly pipeline or policy (<c>ExecuteAsync</c> and friends).</summary>
    public bool IsPollyExecution(IInvocationOperation invocation) => IsPollyExecution(invocation.TargetMethod);

    private bool IsPollyExecution(IMethodSymbol method)
    {
        if (!method.Name.StartsWith("Execute", StringComparison.Ordinal))
        {
            return false;
        }

        var type = method.ContainingType.OriginalDefinition;
        return Is(type, PollyPipeline) || Is(type, PollyPipelineOfT)
            || Implements(type, PollySyncPolicy) || Implements(type, PollyAsyncPolicy)
            || ImplementsGeneric(type, PollySyncPolicyOfT) || ImplementsGeneric(type, PollyAsyncPolicyOfT)
            || Is(type, PollySyncPolicy) || Is(type, PollyAsyncPolicy) || Is(type, PollySyncPolicyOfT) || Is(type, PollyAsyncPolicyOfT);
    }
}
