using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RateLimitAnalyzers.Generator;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.CodeFixes;

/// <summary>
/// How every fix writes code that calls the pacing runtime: whether the runtime is there to call, the names to
/// call it by, the <c>using</c> to add, and quota windows as code.
/// </summary>
internal static class RuntimeCode
{
    // The runtime's types a fix may write; anything else of one of these names in scope makes the fix write full names.
    private static readonly string[] s_runtimeTypeNames =
    {
        "RequestPacer", "QuotaWindow", "RateLimitPolicy", "RateLimitedHandler", "RateLimitedSend", "RetryAfter", "Backoff",
    };

    /// <summary>
    /// How the inserted code names the runtime and <see cref="System.TimeSpan"/> in this document. The fix writes the
    /// short names a person would write, with a <c>using RateLimitAnalyzers.Pacing;</c>, and falls back to the full name
    /// where anything else of the same name is in scope at the insertion: a type of the user's, but also a property, a
    /// method, a field or a local, which would otherwise capture the short name (CS1061, CS0119). The names are decided
    /// here rather than left to the simplifier, because the emitted runtime is not always part of the compilation the
    /// fix sees.
    /// </summary>
    public readonly struct Names
    {
        private Names(string prefix, bool needsImport, string timeSpan)
        {
            Prefix = prefix;
            NeedsImport = needsImport;
            TimeSpan = timeSpan;
        }

        public string Prefix { get; }

        /// <summary>Whether code written at any position so far uses the short names without the file importing the runtime.</summary>
        public bool NeedsImport { get; }

        public string TimeSpan { get; }

        /// <summary>
        /// The names for code inserted at <paramref name="position"/>. Decided anew at every position, since a Fix All
        /// inserts into several types and scopes; <paramref name="previous"/> carries whether the file needs the import.
        /// </summary>
        public static Names At(SemanticModel model, int position, Names previous)
        {
            var qualify = false;
            var imported = false;
            foreach (var name in s_runtimeTypeNames)
            {
                foreach (var symbol in model.LookupSymbols(position, name: name))
                {
                    if (symbol is INamedTypeSymbol && symbol.ContainingNamespace?.ToDisplayString() == PacingRuntime.Namespace)
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
            var timeSpan = TypeName(model, position, "System.TimeSpan");
            return qualify
                ? new Names("global::" + PacingRuntime.Namespace + ".", previous.NeedsImport, timeSpan)
                : new Names(string.Empty, previous.NeedsImport || !imported, timeSpan);
        }

        private static bool ImportsRuntimeNamespace(SyntaxNode root) =>
            root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or UsingDirectiveSyntax)
                .OfType<UsingDirectiveSyntax>()
                .Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == PacingRuntime.Namespace);
    }

    /// <summary>
    /// A framework type's name as code at <paramref name="position"/> should write it: the short name where that name
    /// means the type there and nothing else (a <c>TimeSpan</c> property or a <c>Thread</c> class of the user's would
    /// capture it), else the namespace-qualified name, from <c>global::</c> where something of the user's is named like
    /// the namespace.
    /// </summary>
    public static string TypeName(SemanticModel model, int position, string fullName)
    {
        var shortName = fullName.Substring(fullName.LastIndexOf('.') + 1);

        // By name and namespace: the lookup finds ValueTask and ValueTask<TResult> alike.
        var found = model.LookupSymbols(position, name: shortName);
        if (!found.IsEmpty && found.All(s => s is ITypeSymbol && s.ContainingNamespace?.ToDisplayString() + "." + s.Name == fullName))
        {
            return shortName;
        }

        var root = fullName.Substring(0, fullName.IndexOf('.'));
        return model.LookupSymbols(position, name: root).All(s => s is INamespaceSymbol { ContainingNamespace.IsGlobalNamespace: true })
            ? fullName
            : "global::" + fullName;
    }

    /// <summary>The file's own line ending, so inserted code does not mix CRLF into an LF file or the reverse.</summary>
    public static string NewLine(SyntaxNode root) =>
        root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } newLine ? newLine : "\n";

    /// <summary>Adds the import after the <c>System</c> imports, in order, where the file keeps its imports.</summary>
    public static SyntaxNode AddImport(CompilationUnitSyntax unit)
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
    /// The generator in this package emits the runtime into a compilation that references HttpClient once its code
    /// names <c>RateLimitAnalyzers.Pacing</c>, unless the project opted out: before the first fix it is not there yet,
    /// and the fix's own edit (which always names the namespace) brings it in. So the fix trusts the setting rather than
    /// looking for the emitted types; a runtime already visible from elsewhere (InternalsVisibleTo, the user's own copy)
    /// also counts.
    /// </summary>
    public static bool IsAvailable(Document document, Compilation compilation)
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

    /// <summary>The quota in <c>1/1s, 1000/1d</c> form as <c>QuotaWindow</c> expressions; the fallback quota when the text is missing or unreadable.</summary>
    public static ImmutableArray<string> WindowExpressions(string? quotaText, Names names, string? fallback)
    {
        if (string.IsNullOrEmpty(quotaText) || !QuotaText.TryParse(quotaText!, out var windows, out _))
        {
            if (fallback is null || !QuotaText.TryParse(fallback, out windows, out _))
            {
                return ImmutableArray<string>.Empty;
            }
        }

        return windows.Select(w => WindowExpression(w, names)).ToImmutableArray();
    }

    private static string WindowExpression(QuotaWindowInfo window, Names names)
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

    public static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.AwaitKeyword ? "@" + name : name;
}
