using System.Collections.Immutable;
using System.Linq;
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
/// RL0007 fix: keep the limiter for the process. <c>new RequestPacer(windows)</c> becomes
/// <c>RequestPacer.Shared("key", windows)</c>; any other limiter built into a local moves to a <c>static readonly</c>
/// field of the type, which its uses then name (a <c>using</c> goes with the local: the field is never disposed per call).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RL0007RateLimiterBuiltPerCallCodeFix))]
public sealed class RL0007RateLimiterBuiltPerCallCodeFix : CodeFixProvider
{
    /// <summary>One key for every RL0007 fix, so Fix All applies them together.</summary>
    public const string EquivalenceKey = "RL0007.KeepLimiter";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.RateLimiterBuiltPerCall);

    public override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) => await FixAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var title = FixKind(diagnostic) switch
            {
                RL0007RateLimiterBuiltPerCallAnalyzer.SharedPacerFix when FindPacer(root, diagnostic) is not null => "Use the endpoint's shared pacer",
                RL0007RateLimiterBuiltPerCallAnalyzer.StaticFieldFix when FindDeclaration(root, diagnostic) is not null => "Keep the limiter in a static readonly field",
                _ => null,
            };
            if (title is not null)
            {
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
        if (root is null || model is null)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var taken = new System.Collections.Generic.HashSet<string>();
        foreach (var diagnostic in diagnostics)
        {
            if (FixKind(diagnostic) == RL0007RateLimiterBuiltPerCallAnalyzer.SharedPacerFix && FindPacer(root, diagnostic) is { } pacer)
            {
                var key = diagnostic.Properties.TryGetValue(RL0007RateLimiterBuiltPerCallAnalyzer.EndpointKeyProperty, out var k) && k is not null ? k : "default";
                var arguments = SyntaxFactory.SeparatedList(
                    new[] { SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(key))) }
                        .Concat(pacer.ArgumentList?.Arguments ?? default));
                editor.ReplaceNode(pacer, SyntaxFactory.InvocationExpression(
                        SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, pacer.Type.WithoutTrivia(), SyntaxFactory.IdentifierName("Shared")),
                        SyntaxFactory.ArgumentList(arguments))
                    .WithTriviaFrom(pacer));
            }
            else if (FixKind(diagnostic) == RL0007RateLimiterBuiltPerCallAnalyzer.StaticFieldFix
                && FindDeclaration(root, diagnostic) is { } found
                && model.GetDeclaredSymbol(found.Declarator, cancellationToken) is ILocalSymbol local)
            {
                MoveToStaticField(editor, model, found.Statement, found.Declarator, found.Member, local, taken, cancellationToken);
            }
        }

        return await Formatter.FormatAsync(document.WithSyntaxRoot(editor.GetChangedRoot()), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static void MoveToStaticField(
        DocumentEditor editor,
        SemanticModel model,
        LocalDeclarationStatementSyntax statement,
        VariableDeclaratorSyntax declarator,
        MemberDeclarationSyntax member,
        ILocalSymbol local,
        System.Collections.Generic.HashSet<string> taken,
        CancellationToken cancellationToken)
    {
        var type = (TypeDeclarationSyntax)member.Parent!;
        var used = new System.Collections.Generic.HashSet<string>(type.Members.SelectMany(MemberNames));
        var name = "s_" + local.Name.TrimStart('_');
        for (var i = 2; used.Contains(name) || !taken.Add(name); i++)
        {
            name = "s_" + local.Name.TrimStart('_') + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var field = SyntaxFactory.FieldDeclaration(
                SyntaxFactory.VariableDeclaration(
                    SyntaxFactory.ParseTypeName(local.Type.ToMinimalDisplayString(model, member.SpanStart)),
                    SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name)).WithInitializer(declarator.Initializer!.WithoutTrivia()))))
            .WithModifiers(SyntaxFactory.TokenList(
                SyntaxFactory.Token(SyntaxKind.PrivateKeyword),
                SyntaxFactory.Token(SyntaxKind.StaticKeyword),
                SyntaxFactory.Token(SyntaxKind.ReadOnlyKeyword)))
            .WithAdditionalAnnotations(Formatter.Annotation);

        foreach (var identifier in member.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.ValueText == local.Name
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, local))
            {
                editor.ReplaceNode(identifier, SyntaxFactory.IdentifierName(name).WithTriviaFrom(identifier));
            }
        }

        editor.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia);
        editor.InsertBefore(member, field);
    }

    private static System.Collections.Generic.IEnumerable<string> MemberNames(MemberDeclarationSyntax member) => member switch
    {
        BaseFieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Identifier.ValueText),
        MethodDeclarationSyntax method => new[] { method.Identifier.ValueText },
        PropertyDeclarationSyntax property => new[] { property.Identifier.ValueText },
        BaseTypeDeclarationSyntax type => new[] { type.Identifier.ValueText },
        _ => System.Array.Empty<string>(),
    };

    private static string? FixKind(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(RL0007RateLimiterBuiltPerCallAnalyzer.FixKindProperty, out var kind) ? kind : null;

    private static ObjectCreationExpressionSyntax? FindPacer(SyntaxNode root, Diagnostic diagnostic) =>
        diagnostic.AdditionalLocations.Count > 0 && root.FullSpan.Contains(diagnostic.AdditionalLocations[0].SourceSpan)
            ? root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) as ObjectCreationExpressionSyntax
            : null;

    /// <summary>The local declaration the limiter is made in, when it declares that one local, in a member of a type.</summary>
    private static (LocalDeclarationStatementSyntax Statement, VariableDeclaratorSyntax Declarator, MemberDeclarationSyntax Member)? FindDeclaration(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!root.FullSpan.Contains(diagnostic.Location.SourceSpan))
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node.FirstAncestorOrSelf<EqualsValueClauseSyntax>() is not { Parent: VariableDeclaratorSyntax declarator } clause
            || clause.Value.Span != diagnostic.Location.SourceSpan
            || declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax statement }
            || statement.Parent is not BlockSyntax
            || statement.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { Parent: TypeDeclarationSyntax } member)
        {
            return null;
        }

        return (statement, declarator, member);
    }
}
