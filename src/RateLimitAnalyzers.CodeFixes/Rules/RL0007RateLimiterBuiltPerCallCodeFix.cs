using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.CodeFixes.Rules;

/// <summary>
/// RL0007 fix: keep the limiter for the process. <c>new RequestPacer(windows)</c> becomes
/// <c>RequestPacer.Shared("key", windows)</c>; any other limiter built into a local moves to a <c>static readonly</c>
/// field of the type, which its uses then name (a <c>using</c> goes with the local: the field is never disposed per call).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RL0007RateLimiterBuiltPerCallCodeFix))]
public sealed class RL0007RateLimiterBuiltPerCallCodeFix : EditorCodeFixProvider
{
    /// <summary>One key for every RL0007 fix, so Fix All applies them together.</summary>
    public const string EquivalenceKey = "RL0007.KeepLimiter";

    public RL0007RateLimiterBuiltPerCallCodeFix()
        : base(EquivalenceKey)
    {
    }

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.RateLimiterBuiltPerCall);

    // The limiter the user built is in the project already: the fix names it and writes nothing of the runtime.
    private protected override bool CallsRuntime => false;

    private protected override string? Title(SyntaxNode root, Diagnostic diagnostic) => FixKind(diagnostic) switch
    {
        RL0007RateLimiterBuiltPerCallAnalyzer.SharedPacerFix when FindPacer(root, diagnostic) is not null => "Use the endpoint's shared pacer",
        RL0007RateLimiterBuiltPerCallAnalyzer.StaticFieldFix when FindDeclaration(root, diagnostic) is not null => "Keep the limiter in a static readonly field",
        _ => null,
    };

    private protected override bool Apply(FixPass pass, Diagnostic diagnostic)
    {
        if (FixKind(diagnostic) == RL0007RateLimiterBuiltPerCallAnalyzer.SharedPacerFix && FindPacer(pass.Root, diagnostic) is { } pacer)
        {
            var key = diagnostic.Properties.TryGetValue(RL0007RateLimiterBuiltPerCallAnalyzer.EndpointKeyProperty, out var k) && k is not null ? k : "default";
            var arguments = SyntaxFactory.SeparatedList(
                new[] { SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(key))) }
                    .Concat(pacer.ArgumentList?.Arguments ?? default));
            pass.Editor.ReplaceNode(pacer, SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, pacer.Type.WithoutTrivia(), SyntaxFactory.IdentifierName("Shared")),
                    SyntaxFactory.ArgumentList(arguments))
                .WithTriviaFrom(pacer));
            return true;
        }

        if (FixKind(diagnostic) == RL0007RateLimiterBuiltPerCallAnalyzer.StaticFieldFix
            && FindDeclaration(pass.Root, diagnostic) is { } found
            && pass.Model.GetDeclaredSymbol(found.Declarator, pass.CancellationToken) is ILocalSymbol local)
        {
            MoveToStaticField(pass, found.Statement, found.Declarator, found.Member, local);
            return true;
        }

        return false;
    }

    private static void MoveToStaticField(FixPass pass, LocalDeclarationStatementSyntax statement, VariableDeclaratorSyntax declarator, MemberDeclarationSyntax member, ILocalSymbol local)
    {
        var editor = pass.Editor;
        var taken = pass.NamesTaken;
        var type = (TypeDeclarationSyntax)member.Parent!;
        var used = new System.Collections.Generic.HashSet<string>(type.Members.SelectMany(MemberNames));
        var name = "s_" + local.Name.TrimStart('_');
        for (var i = 2; used.Contains(name) || !taken.Add(name); i++)
        {
            name = "s_" + local.Name.TrimStart('_') + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var field = SyntaxFactory.FieldDeclaration(
                SyntaxFactory.VariableDeclaration(
                    SyntaxFactory.ParseTypeName(local.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).WithAdditionalAnnotations(Simplifier.Annotation),
                    SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name)).WithInitializer(declarator.Initializer!.WithoutTrivia()))))
            .WithModifiers(SyntaxFactory.TokenList(
                SyntaxFactory.Token(SyntaxKind.PrivateKeyword),
                SyntaxFactory.Token(SyntaxKind.StaticKeyword),
                SyntaxFactory.Token(SyntaxKind.ReadOnlyKeyword)))
            .WithAdditionalAnnotations(Formatter.Annotation);

        foreach (var identifier in member.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.ValueText == local.Name
                && SymbolEqualityComparer.Default.Equals(pass.Model.GetSymbolInfo(identifier, pass.CancellationToken).Symbol, local))
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
