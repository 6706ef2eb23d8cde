using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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
using RateLimitAnalyzers.Generator;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Knowledge.Endpoints;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.CodeFixes.Rules;

/// <summary>
/// RL0001 fix: at the top of the loop body, wait for a turn on the pacer shared under the endpoint's key,
/// with the quota written out in the code:
/// <c>await RequestPacer.Shared("api.agora.io/beta/analytics/call/lists", QuotaWindow.PerSecond(1), QuotaWindow.PerDay(1000)).WaitTurnAsync(cancellationToken);</c>
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RL0001PagingLoopWithoutPacingCodeFix))]
[Shared]
public sealed class RL0001PagingLoopWithoutPacingCodeFix : CodeFixProvider
{
    /// <summary>One key for every RL0001 fix, so Fix All applies them together.</summary>
    public const string EquivalenceKey = "RL0001.InsertPacing";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.PagingLoopWithoutPacing);

    public override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) => await FixAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || !RuntimeIsAvailable(context.Document, model.Compilation))
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (FindLoop(root, diagnostic) is { } loop && CanInsertInto(loop, diagnostic))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Wait for a turn under the quota before each request",
                        cancellationToken => FixAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken),
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || !RuntimeIsAvailable(document, model.Compilation))
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var names = default(RuntimeNames);
        var changed = false;
        foreach (var diagnostic in diagnostics)
        {
            if (FindLoop(root, diagnostic) is not { } loop || !CanInsertInto(loop, diagnostic))
            {
                continue;
            }

            names = RuntimeNames.At(model, loop.SpanStart, names);
            var statement = PacingStatement(diagnostic, names);
            editor.ReplaceNode(loop, (current, _) => InsertAtTop((StatementSyntax)current, statement));
            changed = true;
        }

        if (!changed)
        {
            return document;
        }

        var newRoot = editor.GetChangedRoot();
        if (names.NeedsImport && newRoot is CompilationUnitSyntax unit)
        {
            newRoot = AddRuntimeImport(unit);
        }

        return await Formatter.FormatAsync(document.WithSyntaxRoot(newRoot), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// How the inserted code names the runtime and <see cref="System.TimeSpan"/> in this document. The fix writes the
    /// short names a person would write, with a <c>using RateLimitAnalyzers.Pacing;</c>, and falls back to the full name
    /// only where a type of the user's with the same name is in scope. The names are decided here rather than left to
    /// the simplifier, because the emitted runtime is not always part of the compilation the fix sees.
    /// </summary>
    private readonly struct RuntimeNames
    {
        private RuntimeNames(bool decided, string prefix, bool needsImport, string timeSpan)
        {
            Decided = decided;
            Prefix = prefix;
            NeedsImport = needsImport;
            TimeSpan = timeSpan;
        }

        public bool Decided { get; }

        public string Prefix { get; }

        public bool NeedsImport { get; }

        public string TimeSpan { get; }

        public static RuntimeNames At(SemanticModel model, int position, RuntimeNames previous)
        {
            if (previous.Decided)
            {
                return previous;
            }

            var qualify = false;
            var imported = false;
            foreach (var name in new[] { "RequestPacer", "QuotaWindow" })
            {
                foreach (var symbol in model.LookupNamespacesAndTypes(position, name: name))
                {
                    if (symbol.ContainingNamespace?.ToDisplayString() == PacingRuntime.Namespace)
                    {
                        imported = true;
                    }
                    else
                    {
                        qualify = true;
                    }
                }
            }

            imported |= ImportsRuntimeNamespace(model.SyntaxTree.GetRoot());
            var timeSpan = model.LookupNamespacesAndTypes(position, name: "TimeSpan")
                .Any(t => t.ToDisplayString() == "System.TimeSpan") ? "TimeSpan" : "System.TimeSpan";
            return qualify
                ? new RuntimeNames(true, "global::" + PacingRuntime.Namespace + ".", false, timeSpan)
                : new RuntimeNames(true, string.Empty, !imported, timeSpan);
        }

        private static bool ImportsRuntimeNamespace(SyntaxNode root) =>
            root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or UsingDirectiveSyntax)
                .OfType<UsingDirectiveSyntax>()
                .Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == PacingRuntime.Namespace);
    }

    /// <summary>Adds the import after the <c>System</c> imports, in order, where the file keeps its imports.</summary>
    private static SyntaxNode AddRuntimeImport(CompilationUnitSyntax unit)
    {
        // The file's own line ending, so the import does not mix CRLF into an LF file or the reverse.
        var newLine = unit.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (!newLine.IsKind(SyntaxKind.EndOfLineTrivia))
        {
            newLine = SyntaxFactory.EndOfLine("\n");
        }

        var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(PacingRuntime.Namespace))
            .WithTrailingTrivia(newLine);
        var usings = unit.Usings;
        if (usings.Count == 0
            && unit.Members.FirstOrDefault() is BaseNamespaceDeclarationSyntax ns
            && ns.Usings.Count > 0)
        {
            return unit.ReplaceNode(ns, ns.WithUsings(Insert(ns.Usings, directive, newLine)));
        }

        if (usings.Count == 0)
        {
            // Nothing to line up with: a blank line separates the import from the code below.
            directive = directive.WithTrailingTrivia(newLine, newLine);
            var first = unit.Members.FirstOrDefault();
            if (first is not null && first.GetLeadingTrivia().Any(t => !t.IsKind(SyntaxKind.WhitespaceTrivia) && !t.IsKind(SyntaxKind.EndOfLineTrivia)))
            {
                // Keep a file header (license, #nullable) above the import.
                directive = directive.WithLeadingTrivia(first.GetLeadingTrivia());
                unit = unit.ReplaceNode(first, first.WithLeadingTrivia());
            }
        }

        return unit.WithUsings(Insert(unit.Usings, directive, newLine));
    }

    private static SyntaxList<UsingDirectiveSyntax> Insert(SyntaxList<UsingDirectiveSyntax> usings, UsingDirectiveSyntax directive, SyntaxTrivia newLine)
    {
        var index = usings.Count;
        for (var i = 0; i < usings.Count; i++)
        {
            var name = usings[i].Name?.ToString() ?? string.Empty;
            var isSystem = name == "System" || name.StartsWith("System.", System.StringComparison.Ordinal);
            if (usings[i].GlobalKeyword.IsKind(SyntaxKind.None) && usings[i].Alias is null && usings[i].StaticKeyword.IsKind(SyntaxKind.None)
                && !isSystem && string.CompareOrdinal(name, PacingRuntime.Namespace) > 0)
            {
                index = i;
                break;
            }

            if (usings[i].Alias is not null || !usings[i].StaticKeyword.IsKind(SyntaxKind.None))
            {
                // Aliases and static imports conventionally come last.
                index = i;
                break;
            }
        }

        if (index == usings.Count && usings.Count > 0)
        {
            // The last import carries the blank line before the code; the new import takes it over.
            var last = usings[usings.Count - 1];
            directive = directive.WithTrailingTrivia(last.GetTrailingTrivia());
            usings = usings.Replace(last, last.WithTrailingTrivia(newLine));
        }
        else if (index == 0 && usings.Count > 0)
        {
            // Keep a file header on the first line of the file.
            var first = usings[0];
            directive = directive.WithLeadingTrivia(first.GetLeadingTrivia());
            usings = usings.Replace(first, first.WithLeadingTrivia());
        }

        return usings.Insert(index, directive);
    }

    /// <summary>
    /// The generator in this package emits the runtime into every compilation that references HttpClient, unless the
    /// project opted out. Generated trees are not always part of the compilation a fix sees (the testing library and
    /// some hosts run generators apart from the workspace), so the fix trusts the setting rather than looking for the
    /// emitted types; a runtime already visible from elsewhere (InternalsVisibleTo, the user's own copy) also counts.
    /// </summary>
    private static bool RuntimeIsAvailable(Document document, Compilation compilation)
    {
        if (compilation.GetTypeByMetadataName(PacingRuntime.RequestPacer) is { } pacer
            && compilation.GetTypeByMetadataName(PacingRuntime.QuotaWindow) is { } window
            && compilation.IsSymbolAccessibleWithin(pacer, compilation.Assembly)
            && compilation.IsSymbolAccessibleWithin(window, compilation.Assembly))
        {
            return true;
        }

        document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(
            "build_property." + PacingRuntimeGenerator.EmitPropertyName, out var setting);
        return PacingRuntimeGenerator.EmitSetting.Parse(setting).Emit;
    }

    private static StatementSyntax? FindLoop(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!root.FullSpan.Contains(diagnostic.Location.SourceSpan))
        {
            return null;
        }

        var node = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent;
        return node is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax ? (StatementSyntax)node : null;
    }

    /// <summary>An <c>await</c> cannot go inside a <c>lock</c>; there the fix is not offered.</summary>
    private static bool CanInsertInto(StatementSyntax loop, Diagnostic diagnostic)
    {
        if (!IsAsync(diagnostic))
        {
            return true;
        }

        foreach (var ancestor in loop.Ancestors())
        {
            switch (ancestor)
            {
                case LockStatementSyntax:
                    return false;
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax:
                    return true;
            }
        }

        return true;
    }

    private static bool IsAsync(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(RL0001PagingLoopWithoutPacingAnalyzer.IsAsyncProperty, out var value) && value == "true";

    private static StatementSyntax PacingStatement(Diagnostic diagnostic, RuntimeNames names)
    {
        var properties = diagnostic.Properties;
        var key = properties.TryGetValue(RL0001PagingLoopWithoutPacingAnalyzer.EndpointKeyProperty, out var k) && k is not null ? k : "default";
        if (!properties.TryGetValue(RL0001PagingLoopWithoutPacingAnalyzer.QuotaProperty, out var quotaText)
            || !QuotaText.TryParse(quotaText, out var windows, out _))
        {
            QuotaText.TryParse("1/1s", out windows, out _);
        }

        var token = properties.TryGetValue(RL0001PagingLoopWithoutPacingAnalyzer.CancellationTokenProperty, out var t) && t is not null ? EscapeIdentifier(t) : string.Empty;

        var text = new StringBuilder();
        text.Append(names.Prefix).Append("RequestPacer.Shared(").Append(SymbolDisplay.FormatLiteral(key, quote: true));
        foreach (var window in windows)
        {
            text.Append(", ").Append(WindowExpression(window, names));
        }

        text.Append(')').Append(IsAsync(diagnostic) ? ".WaitTurnAsync(" : ".WaitTurn(").Append(token).Append(')');

        // Parsed as an expression and awaited through the factory: outside an async context the parser would read "await" as a name.
        var call = SyntaxFactory.ParseExpression(text.ToString());
        var expression = IsAsync(diagnostic) ? SyntaxFactory.AwaitExpression(call) : call;
        return SyntaxFactory.ExpressionStatement(expression).WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static string WindowExpression(QuotaWindowInfo window, RuntimeNames names)
    {
        var type = names.Prefix + "QuotaWindow";
        var limit = window.Limit.ToString(CultureInfo.InvariantCulture);
        if (window.PeriodCount == 1)
        {
            return type + window.Unit switch
            {
                QuotaPeriodUnit.Second => ".PerSecond(",
                QuotaPeriodUnit.Minute => ".PerMinute(",
                QuotaPeriodUnit.Hour => ".PerHour(",
                _ => ".PerDay(",
            } + limit + ")";
        }

        var factory = window.Unit switch
        {
            QuotaPeriodUnit.Second => "FromSeconds",
            QuotaPeriodUnit.Minute => "FromMinutes",
            QuotaPeriodUnit.Hour => "FromHours",
            _ => "FromDays",
        };
        return "new " + type + "(" + limit + ", " + names.TimeSpan + "." + factory + "(" + window.PeriodCount.ToString(CultureInfo.InvariantCulture) + "))";
    }

    private static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.AwaitKeyword ? "@" + name : name;

    private static StatementSyntax InsertAtTop(StatementSyntax loop, StatementSyntax pacing)
    {
        var body = loop switch
        {
            WhileStatementSyntax w => w.Statement,
            DoStatementSyntax d => d.Statement,
            ForStatementSyntax f => f.Statement,
            CommonForEachStatementSyntax e => e.Statement,
            _ => null,
        };

        if (body is null)
        {
            return loop;
        }

        var newBody = body is BlockSyntax block
            ? block.WithStatements(block.Statements.Insert(0, pacing))
            : SyntaxFactory.Block(pacing, body).WithAdditionalAnnotations(Formatter.Annotation);

        return loop switch
        {
            WhileStatementSyntax w => w.WithStatement(newBody),
            DoStatementSyntax d => d.WithStatement(newBody),
            ForStatementSyntax f => f.WithStatement(newBody),
            CommonForEachStatementSyntax e => e.WithStatement(newBody),
            _ => loop,
        };
    }
}
