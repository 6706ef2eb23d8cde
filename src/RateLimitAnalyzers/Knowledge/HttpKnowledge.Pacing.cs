using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace RateLimitAnalyzers.Knowledge;

// Which calls pace requests: delays, rate limiters, the package's pacer, waits that follow the server's pacing, and clients whose handler paces.
internal sealed partial class HttpKnowledge
{
    /// <summary>Whether this call waits so that requests keep a pace: a delay, a rate limiter, the package's pacer, or a helper doing one of those.</summary>
    public bool IsPacing(IInvocationOperation invocation, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        if (type is null)
        {
            return false;
        }

        switch (method.Name)
        {
            case "Delay" when Is(type, Task):
            case "Sleep" when Is(type, Thread):
            case "WaitForNextTickAsync" when Is(type, PeriodicTimer):
            case "AcquireAsync" or "AttemptAcquire" when DerivesFrom(type, RateLimiter) || (PartitionedRateLimiter is not null && DerivesFrom(type.OriginalDefinition, PartitionedRateLimiter)):
            case "WaitTurnAsync" or "WaitTurn" or "TryTakeTurn" when Is(type, RequestPacer):
                return true;
        }

        if (IsRuntimeSend(method))
        {
            return true;
        }

        if (IsPollyExecution(method))
        {
            return PollyPipelines.HasRateLimiter(invocation.Instance, cancellationToken);
        }

        if (Options.For(invocation.Syntax.SyntaxTree).IsPacingMethod(method))
        {
            return true;
        }

        return IsWorthFollowing(method, cancellationToken) && Summarize(method, cancellationToken).Paces;
    }

    /// <summary>
    /// Whether a wait follows the server's pacing: its duration, or a condition it runs under, reads Retry-After or a
    /// rate-limit header (<c>X-RateLimit-Remaining</c>, <c>X-RateLimit-Reset</c>, <c>RateLimit-*</c>). Such a wait runs
    /// only when the server says the quota is spent, which is exactly when a request path needs one: a loop or helper
    /// with it is paced by the server, though it does not wait on every path.
    /// </summary>
    public bool FollowsServerPacing(IInvocationOperation wait, CancellationToken cancellationToken)
    {
        bool ReadsServerPacing(IOperation node) => ThrottleTest.IsHintRead(node) || IsServerPacedMember(node, cancellationToken);
        if (wait.Arguments.Any(a => a.Value.DescendantsAndSelf().Any(ReadsServerPacing)))
        {
            return true;
        }

        for (var parent = wait.Parent; parent is not null and not (IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyBaseOperation); parent = parent.Parent)
        {
            if (parent is IConditionalOperation conditional && conditional.Condition.DescendantsAndSelf().Any(ReadsServerPacing))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the request goes through a client whose <c>RateLimitedHandler</c>, made in view, covers its endpoint: it
    /// waits for a turn under that policy's quota before every attempt, so a loop sending through it is paced (the RL0002
    /// fix gives clients this handler, and must not leave RL0001 asking for a second pacer on the same key). A handler
    /// for other APIs on a shared client does not pace this one.
    /// </summary>
    public bool SendsThroughPacingHandler(RequestSend send, CancellationToken cancellationToken)
    {
        if (RateLimitedHandler is null)
        {
            return false;
        }

        var target = TargetOf(send, cancellationToken);
        return OriginOf(target, cancellationToken).PacesFor(target.Url, target.Entry);
    }
}
