using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>
/// What a Polly pipeline or policy holds, read from the code that builds it: a v8
/// <c>new ResiliencePipelineBuilder().AddRetry(...).AddRateLimiter(...).Build()</c>, a v7 <c>Policy.Handle...().WaitAndRetryAsync(...)</c>
/// or a <c>Policy.WrapAsync(...)</c>, and the lambdas given to the HttpClient factory's <c>AddResilienceHandler</c>,
/// <c>AddPolicyHandler</c> and <c>AddTransientHttpErrorPolicy</c>. When the building code is out of view (injected,
/// from a registry or a provider) the answer is "unknown", and the rules do not guess.
/// </summary>
internal static class PollyPipelines
{
    private static readonly ImmutableHashSet<string> s_rateLimiterStages = ImmutableHashSet.Create(StringComparer.Ordinal, "AddRateLimiter", "RateLimit", "RateLimitAsync");

    // Hedging re-sends a request too; for throttling it is as good (or as bad) as a retry.
    private static readonly ImmutableHashSet<string> s_retryStages = HttpKnowledge.PollyRetryStageNames.Add("AddHedging");

    /// <summary>The stages (builder and policy factory calls) of the pipeline an execution runs, or null when its building code is not in view.</summary>
    public static ImmutableHashSet<string>? StagesOf(IOperation? pipeline, CancellationToken cancellationToken)
    {
        if (pipeline is null)
        {
            return null;
        }

        var symbol = UrlText.SkipConversions(pipeline) switch
        {
            ILocalReferenceOperation local => (ISymbol)local.Local,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };

        if (symbol is null)
        {
            return null;
        }

        var compositions = CompositionsOf(symbol, cancellationToken).ToList();
        return compositions.Count == 0 ? null : Stages(compositions);
    }

    /// <summary>Whether the pipeline an execution runs holds a rate limiter; one out of view counts as holding one.</summary>
    public static bool HasRateLimiter(IOperation? pipeline, CancellationToken cancellationToken) =>
        StagesOf(pipeline, cancellationToken) is not { } stages || stages.Overlaps(s_rateLimiterStages);

    /// <summary>Whether the pipeline an execution runs retries.</summary>
    public static ClientProtection Retries(IOperation? pipeline, CancellationToken cancellationToken) =>
        StagesOf(pipeline, cancellationToken) is not { } stages ? ClientProtection.Unseen
        : stages.Overlaps(s_retryStages) ? ClientProtection.Retries
        : ClientProtection.None;

    /// <summary>
    /// Whether an HttpClient-factory builder call adds a retry: <c>AddStandardResilienceHandler</c> always does;
    /// <c>AddResilienceHandler</c>, <c>AddPolicyHandler</c> and <c>AddTransientHttpErrorPolicy</c> do when the pipeline
    /// or policy they are given (a lambda, an inline policy, a variable built in view) has a retry stage.
    /// </summary>
    public static ClientProtection Retries(IInvocationOperation builderCall, CancellationToken cancellationToken)
    {
        switch (builderCall.TargetMethod.Name)
        {
            case "AddStandardResilienceHandler" or "AddStandardHedgingHandler":
                return ClientProtection.Retries;
            case "AddPolicyHandlerFromRegistry":
                return ClientProtection.Unseen;
        }

        var compositions = new List<ExpressionSyntax>();
        foreach (var argument in builderCall.Arguments.Skip(builderCall.TargetMethod.IsExtensionMethod ? 1 : 0))
        {
            var value = UrlText.SkipConversions(argument.Value);
            if (value.Type?.SpecialType == SpecialType.System_String)
            {
                continue;
            }

            var found = value switch
            {
                ILocalReferenceOperation local => CompositionsOf(local.Local, cancellationToken).ToList(),
                IFieldReferenceOperation field => CompositionsOf(field.Field, cancellationToken).ToList(),
                IPropertyReferenceOperation property => CompositionsOf(property.Property, cancellationToken).ToList(),
                _ when value.Syntax is ExpressionSyntax expression => new List<ExpressionSyntax> { expression },
                _ => new List<ExpressionSyntax>(),
            };
            if (found.Count == 0)
            {
                return ClientProtection.Unseen;
            }

            compositions.AddRange(found);
        }

        if (compositions.Count == 0)
        {
            return ClientProtection.Unseen;
        }

        var stages = Stages(compositions);
        return stages.Overlaps(s_retryStages) ? ClientProtection.Retries : stages.IsEmpty ? ClientProtection.Unseen : ClientProtection.None;
    }

    private static ImmutableHashSet<string> Stages(IEnumerable<ExpressionSyntax> compositions) =>
        compositions.SelectMany(c => c.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
            .Select(Operations.InvokedName)
            .Where(name => name is not null)
            .Select(name => name!)
            .ToImmutableHashSet(StringComparer.Ordinal);

    /// <summary>The expressions assigned to a pipeline variable in view that build it (a builder chain or a Policy factory).</summary>
    private static IEnumerable<ExpressionSyntax> CompositionsOf(ISymbol symbol, CancellationToken cancellationToken)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            if (declaration is VariableDeclaratorSyntax { Initializer.Value: { } initializer } && BuildsPipeline(initializer))
            {
                yield return initializer;
            }

            if (declaration is PropertyDeclarationSyntax { Initializer.Value: { } propertyInitializer } && BuildsPipeline(propertyInitializer))
            {
                yield return propertyInitializer;
            }

            // Assignments in the constructor or method that owns the variable.
            var scope = symbol is ILocalSymbol
                ? declaration.FirstAncestorOrSelf<MemberDeclarationSyntax>()
                : declaration.FirstAncestorOrSelf<TypeDeclarationSyntax>();
            if (scope is null)
            {
                continue;
            }

            foreach (var assignment in scope.DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                var target = assignment.Left switch
                {
                    IdentifierNameSyntax name => name.Identifier.ValueText,
                    MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } member => member.Name.Identifier.ValueText,
                    _ => null,
                };
                if (target == symbol.Name && BuildsPipeline(assignment.Right))
                {
                    yield return assignment.Right;
                }
            }
        }
    }

    private static bool BuildsPipeline(ExpressionSyntax expression) =>
        expression.DescendantNodesAndSelf().Any(node =>
            node is ObjectCreationExpressionSyntax creation && creation.Type.ToString().Contains("ResiliencePipelineBuilder")
            || node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Policy" or "HttpPolicyExtensions" } } }
            || node is InvocationExpressionSyntax call && Operations.InvokedName(call) is "Build" or "WrapAsync" or "Wrap");
}
