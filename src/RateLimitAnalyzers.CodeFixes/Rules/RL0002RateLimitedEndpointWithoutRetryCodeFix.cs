using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.CodeFixes.Rules;

/// <summary>
/// RL0002 fix: route the call through the runtime's retrying send, with the catalog's quota and throttle signals
/// written into the policy. Where the <c>new HttpClient(...)</c> is in the same file, the client gets the retrying
/// handler, so every call through it is covered:
/// <c>new HttpClient(new RateLimitedHandler(new RateLimitPolicy("api.archiva.app/api/ingest/event", new QuotaWindow(100, TimeSpan.FromSeconds(60)))))</c>.
/// Otherwise the one call is wrapped:
/// <c>await RateLimitedSend.RunAsync(new RateLimitPolicy(...), _ => client.PostAsync(url, content), cancellationToken)</c>,
/// and a <c>client.SendAsync(request, token)</c> goes through the helper that sends a fresh request per attempt:
/// <c>RateLimitedSend.SendAsync(client, () =&gt; new HttpRequestMessage(...), policy, token)</c> for a request created in
/// the call, <c>RateLimitedSend.SendAsync(client, request, policy, token)</c> (a copy per attempt) for one built earlier.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RL0002RateLimitedEndpointWithoutRetryCodeFix))]
public sealed class RL0002RateLimitedEndpointWithoutRetryCodeFix : CodeFixProvider
{
    /// <summary>One key for every RL0002 fix, so Fix All applies them together.</summary>
    public const string EquivalenceKey = "RL0002.RetryThroughRuntime";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.RateLimitedEndpointWithoutRetry);

    public override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) => await FixAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || !RuntimeCode.IsAvailable(context.Document, model.Compilation))
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Target(root, diagnostic) is not null)
            {
                var title = Kind(diagnostic) == RL0002RateLimitedEndpointWithoutRetryAnalyzer.HandlerFix
                    ? "Give the client the rate-limit retrying handler"
                    : "Send through the rate-limit retrying helper";
                context.RegisterCodeFix(
                    CodeAction.Create(title, cancellationToken => FixAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || !RuntimeCode.IsAvailable(document, model.Compilation))
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var names = default(RuntimeCode.Names);
        var handled = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            // Several calls through one client share its fix: the client gets one handler.
            if (Target(root, diagnostic) is not { } target || !handled.Add(target))
            {
                continue;
            }

            names = RuntimeCode.Names.At(model, target.SpanStart, names);
            var policy = PolicyExpression(diagnostic, names);
            var replacement = target is not InvocationExpressionSyntax call ? WithHandler((ExpressionSyntax)target, policy, names)
                : Kind(diagnostic) == RL0002RateLimitedEndpointWithoutRetryAnalyzer.WrapFix ? Wrap(call, diagnostic, policy, names)
                : SendRequest(call, diagnostic, policy, names);
            editor.ReplaceNode(target, replacement.WithTriviaFrom(target).WithAdditionalAnnotations(Formatter.Annotation));
        }

        if (handled.Count == 0)
        {
            return document;
        }

        var newRoot = editor.GetChangedRoot();
        if (names.NeedsImport && newRoot is CompilationUnitSyntax unit)
        {
            newRoot = RuntimeCode.AddImport(unit);
        }

        return await Formatter.FormatAsync(document.WithSyntaxRoot(newRoot), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static string? Kind(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(RL0002RateLimitedEndpointWithoutRetryAnalyzer.FixKindProperty, out var kind) ? kind : null;

    /// <summary>The node the fix rewrites: the client's creation for the handler fix, the call for the wrap fix.</summary>
    private static SyntaxNode? Target(SyntaxNode root, Diagnostic diagnostic)
    {
        switch (Kind(diagnostic))
        {
            case RL0002RateLimitedEndpointWithoutRetryAnalyzer.HandlerFix:
                var creation = diagnostic.AdditionalLocations.Count > 0 ? diagnostic.AdditionalLocations[0] : null;
                if (creation is null || creation.SourceTree != root.SyntaxTree || !root.FullSpan.Contains(creation.SourceSpan))
                {
                    return null;
                }

                return root.FindNode(creation.SourceSpan, getInnermostNodeForTie: true) is BaseObjectCreationExpressionSyntax node ? node : null;

            case RL0002RateLimitedEndpointWithoutRetryAnalyzer.WrapFix:
            case RL0002RateLimitedEndpointWithoutRetryAnalyzer.FreshRequestFix:
            case RL0002RateLimitedEndpointWithoutRetryAnalyzer.RequestCopyFix:
                if (!root.FullSpan.Contains(diagnostic.Location.SourceSpan))
                {
                    return null;
                }

                return root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<InvocationExpressionSyntax>();

            default:
                return null;
        }
    }

    /// <summary><c>new RateLimitPolicy("key", windows) { ThrottleStatusCodes = ..., ThrottleBodyContains = ... }</c>, from the catalog entry.</summary>
    private static string PolicyExpression(Diagnostic diagnostic, RuntimeCode.Names names)
    {
        var properties = diagnostic.Properties;
        properties.TryGetValue(RL0002RateLimitedEndpointWithoutRetryAnalyzer.EndpointKeyProperty, out var key);
        properties.TryGetValue(RL0002RateLimitedEndpointWithoutRetryAnalyzer.QuotaProperty, out var quota);
        properties.TryGetValue(RL0002RateLimitedEndpointWithoutRetryAnalyzer.ThrottleStatusCodesProperty, out var codes);
        properties.TryGetValue(RL0002RateLimitedEndpointWithoutRetryAnalyzer.ThrottleBodyProperty, out var body);

        var text = new StringBuilder("new ").Append(names.Prefix).Append("RateLimitPolicy(").Append(SymbolDisplay.FormatLiteral(key ?? "default", quote: true));

        // No documented quota: no windows, rather than pacing at a number nobody documented; the runtime learns it from the headers.
        foreach (var window in RuntimeCode.WindowExpressions(quota, names, fallback: null))
        {
            text.Append(", ").Append(window);
        }

        text.Append(')');
        var initializers = new List<string>();
        if (!string.IsNullOrEmpty(codes) && codes != "429")
        {
            initializers.Add("ThrottleStatusCodes = new[] { " + string.Join(", ", codes!.Split(',')) + " }");
        }

        if (!string.IsNullOrEmpty(body))
        {
            initializers.Add("ThrottleBodyContains = " + SymbolDisplay.FormatLiteral(body!, quote: true));
        }

        if (initializers.Count > 0)
        {
            text.Append(" { ").Append(string.Join(", ", initializers)).Append(" }");
        }

        return text.ToString();
    }

    /// <summary>
    /// <c>new HttpClient()</c> becomes <c>new HttpClient(new RateLimitedHandler(policy))</c>; a handler it was given
    /// becomes the retrying handler's inner handler. Other arguments and the initializer stay.
    /// </summary>
    private static ExpressionSyntax WithHandler(ExpressionSyntax creation, string policy, RuntimeCode.Names names)
    {
        var arguments = creation switch
        {
            ObjectCreationExpressionSyntax explicitCreation => explicitCreation.ArgumentList,
            ImplicitObjectCreationExpressionSyntax implicitCreation => implicitCreation.ArgumentList,
            _ => null,
        } ?? SyntaxFactory.ArgumentList();

        var handlerText = "new " + names.Prefix + "RateLimitedHandler(" + policy + (arguments.Arguments.Count > 0 ? ", " + arguments.Arguments[0].Expression.ToString() : string.Empty) + ")";
        var handler = SyntaxFactory.Argument(SyntaxFactory.ParseExpression(handlerText));
        var newArguments = arguments.Arguments.Count > 0
            ? arguments.WithArguments(arguments.Arguments.Replace(arguments.Arguments[0], handler))
            : arguments.WithArguments(SyntaxFactory.SingletonSeparatedList(handler));

        return creation switch
        {
            ObjectCreationExpressionSyntax explicitCreation => explicitCreation.WithArgumentList(newArguments),
            ImplicitObjectCreationExpressionSyntax implicitCreation => implicitCreation.WithArgumentList(newArguments),
            _ => creation,
        };
    }

    /// <summary>
    /// <c>client.PostAsync(url, content)</c> becomes <c>RateLimitedSend.RunAsync(policy, _ => client.PostAsync(url, content), token)</c>
    /// (<c>Run(policy, () => ..., token)</c> for a synchronous call). The call inside keeps its own arguments, token included.
    /// </summary>
    private static ExpressionSyntax Wrap(InvocationExpressionSyntax call, Diagnostic diagnostic, string policy, RuntimeCode.Names names)
    {
        var isAsync = diagnostic.Properties.TryGetValue(RL0002RateLimitedEndpointWithoutRetryAnalyzer.IsAsyncProperty, out var value) && value == "true";
        var text = new StringBuilder(names.Prefix).Append("RateLimitedSend.")
            .Append(isAsync ? "RunAsync(" : "Run(")
            .Append(policy)
            .Append(isAsync ? ", _ => " : ", () => ")
            .Append(call.WithoutTrivia().ToString());
        return WithToken(text, EnclosingToken(diagnostic));
    }

    /// <summary>
    /// <c>client.SendAsync(request, token)</c> becomes <c>RateLimitedSend.SendAsync(client, request, policy, token)</c>, a
    /// copy of the request per attempt; a request created in the call is created afresh instead:
    /// <c>RateLimitedSend.SendAsync(client, () =&gt; new HttpRequestMessage(...), policy, token)</c>. Without a token of its
    /// own the call gets the enclosing method's.
    /// </summary>
    private static ExpressionSyntax SendRequest(InvocationExpressionSyntax call, Diagnostic diagnostic, string policy, RuntimeCode.Names names)
    {
        var arguments = call.ArgumentList.Arguments;
        var request = arguments[0].Expression.WithoutTrivia().ToString();
        var text = new StringBuilder(names.Prefix).Append("RateLimitedSend.SendAsync(")
            .Append(((MemberAccessExpressionSyntax)call.Expression).Expression.WithoutTrivia().ToString())
            .Append(", ")
            .Append(Kind(diagnostic) == RL0002RateLimitedEndpointWithoutRetryAnalyzer.FreshRequestFix ? "() => " + request : request)
            .Append(", ")
            .Append(policy);
        return WithToken(text, arguments.Count > 1 ? arguments[1].Expression.WithoutTrivia().ToString() : EnclosingToken(diagnostic));
    }

    private static string? EnclosingToken(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(RL0002RateLimitedEndpointWithoutRetryAnalyzer.CancellationTokenProperty, out var token) && !string.IsNullOrEmpty(token)
            ? RuntimeCode.EscapeIdentifier(token!)
            : null;

    private static ExpressionSyntax WithToken(StringBuilder text, string? token)
    {
        if (token is not null)
        {
            text.Append(", ").Append(token);
        }

        return SyntaxFactory.ParseExpression(text.Append(')').ToString());
    }
}
