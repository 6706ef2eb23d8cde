using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using RateLimitAnalyzers.Knowledge.Endpoints;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.CodeFixes;

/// <summary>
/// How the RL0001 and RL0002 fixes write an API's pacing, over one document's editor: a <c>static readonly</c> field per
/// API in the type that uses it, named after the API (<c>GitHubPolicy</c>, <c>ArchivaPacer</c>) and built once, with the
/// documented quota and an even cadence within it; and a client's <c>RateLimitedHandler</c> given the policies its calls
/// need. Both rules give the same data for one endpoint (<see cref="PacingFixData"/>), so whichever fix runs first writes
/// the field and the handler, and the other finds them there and adds nothing.
/// </summary>
internal sealed class PacingCode
{
    private const string PolicyType = "RateLimitPolicy";
    private const string PacerType = "RequestPacer";
    private const string HandlerType = "RateLimitedHandler";

    // The longest line the fix writes on one line; a longer field breaks its arguments one per line.
    private const int DefaultMaxLineLength = 120;

    private static readonly string[] s_nameNoise = { "API", "REST", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "*" };

    private readonly SemanticModel _model;
    private readonly Dictionary<(TypeDeclarationSyntax Type, string Kind, string Key), string> _added = new();
    private readonly Dictionary<TypeDeclarationSyntax, HashSet<string>> _namesAdded = new();
    private readonly Dictionary<TypeDeclarationSyntax, List<(string Text, string Indent, string Key)>> _newFields = new();
    private readonly Dictionary<SyntaxNode, List<string>> _handlerPolicies = new();
    private readonly HashSet<StatementSyntax> _leftTurns = new();
    private readonly HashSet<GlobalStatementSyntax> _leftTopLevelPacers = new();
    private readonly Dictionary<(TypeDeclarationSyntax Type, string Key), FieldDeclarationSyntax> _replacedPacers = new();
    private readonly Dictionary<(string Kind, string Key), (string Text, string Name, GlobalStatementSyntax Before)> _topLevelLocals = new();
    private readonly HashSet<SyntaxNode> _scopedPolicies = new();
    private readonly string _newLine;
    private readonly int _maxLineLength;

    // csharp_style_var_when_type_is_apparent: a top-level local's type is apparent from its initializer
    // (new RateLimitPolicy(...), and RequestPacer.Shared(...), a static method of the type that returns it).
    private readonly bool _varForApparentTypes;
    private readonly bool _trailingComma;
    private RuntimeCode.Names _names;

    // The length of "private static readonly T Name = " while its value is written: the first line's length depends on it.
    private int _declarationLength;

    // Whether the value being written goes over lines even without an indentation (a top-level local's).
    private bool _overLines;

    public PacingCode(DocumentEditor editor, SemanticModel model, SyntaxNode root, int? maxLineLength, bool varForApparentTypes = false)
    {
        Editor = editor;
        _varForApparentTypes = varForApparentTypes;
        _model = model;
        _newLine = RuntimeCode.NewLine(root);
        _maxLineLength = maxLineLength ?? DefaultMaxLineLength;

        // A trailing comma in the new initializer where the file's own multi-line initializers end with one, or have none.
        var initializers = root.DescendantNodes().OfType<InitializerExpressionSyntax>()
            .Where(i => i.Expressions.Count > 0 && !OnOneLine(i)).ToList();
        _trailingComma = initializers.Count == 0 || initializers.Any(i => i.Expressions.SeparatorCount == i.Expressions.Count);
    }

    public DocumentEditor Editor { get; }

    /// <summary>Whether the code written names the runtime by its short names without the file importing it.</summary>
    public bool NeedsImport => _names.NeedsImport;

    /// <summary>A runtime type's name as code at <paramref name="position"/> writes it.</summary>
    public string Runtime(string typeName, int position)
    {
        _names = RuntimeCode.Names.At(_model, position, _names);
        return _names.Prefix + typeName;
    }

    /// <summary>
    /// The endpoint's policy as code at <paramref name="use"/> refers to it: a <c>static readonly</c> field of the type,
    /// added unless the type has one for the key; the policy itself where there is no type to hold a field.
    /// </summary>
    public string Policy(Diagnostic diagnostic, SyntaxNode use, int? usePosition = null) =>
        Field(diagnostic, use, usePosition ?? use.SpanStart, PolicyType, position => PolicyExpression(diagnostic, position, indent: null), (position, indent) => PolicyExpression(diagnostic, position, indent));

    /// <summary>The pacer the loop waits on, as code at <paramref name="use"/> refers to it: a <c>static readonly</c> field of the type, as <see cref="Policy"/>.</summary>
    public string Pacer(Diagnostic diagnostic, SyntaxNode use, int usePosition) =>
        Field(diagnostic, use, usePosition, PacerType, position => PacerExpression(diagnostic, position, indent: null), (position, indent) => PacerExpression(diagnostic, position, indent));

    /// <summary>Whether the loop already waits, first thing, on a pacer field of the type shared under the diagnostic's key.</summary>
    public static bool WaitsOnPacer(StatementSyntax? firstStatement, Diagnostic diagnostic)
    {
        if (firstStatement is not ExpressionStatementSyntax { Expression: var expression }
            || (expression is AwaitExpressionSyntax awaited ? awaited.Expression : expression) is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver } })
        {
            return false;
        }

        var pacer = firstStatement.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type ? ExistingField(type, PacerType, Key(diagnostic))
            : TopLevelStatement(firstStatement) is { Parent: CompilationUnitSyntax unit } statement ? ExistingLocal(unit, PacerType, Key(diagnostic), statement.SpanStart)
            : null;
        return pacer == receiver.Identifier.ValueText;
    }

    /// <summary>
    /// A call sent through the retrying helper inside a loop that RL0001's fix paced under the same key: the helper takes a
    /// turn on that key's pacer before every attempt, so the loop's own wait goes, and so does its pacer field when
    /// nothing else uses it, the policy taking its place. Each request then takes one turn, as when RL0002's fix ran first.
    /// </summary>
    public void LeaveLoopPacing(InvocationExpressionSyntax call, Diagnostic diagnostic)
    {
        foreach (var loop in call.Ancestors().TakeWhile(n => n is not (MemberDeclarationSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).OfType<StatementSyntax>())
        {
            var body = loop switch
            {
                WhileStatementSyntax w => w.Statement,
                DoStatementSyntax d => d.Statement,
                ForStatementSyntax f => f.Statement,
                CommonForEachStatementSyntax e => e.Statement,
                _ => null,
            };
            if (body is not BlockSyntax { Statements.Count: > 0 } block
                || !WaitsOnPacer(block.Statements[0], diagnostic)
                || !_leftTurns.Add(block.Statements[0]))
            {
                continue;
            }

            Editor.RemoveNode(block.Statements[0], SyntaxRemoveOptions.KeepNoTrivia);
            if (block.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type)
            {
                LeaveTopLevelPacer(block, diagnostic);
                continue;
            }

            var name = ExistingField(type, PacerType, Key(diagnostic))!;
            var uses = type.SyntaxTree.GetRoot().DescendantNodes().OfType<IdentifierNameSyntax>().Count(n => n.Identifier.ValueText == name);
            if (uses == _leftTurns.Count(t => t.FirstAncestorOrSelf<TypeDeclarationSyntax>() == type)
                && type.Members.OfType<FieldDeclarationSyntax>().FirstOrDefault(f => f.Declaration.Variables.Any(v => v.Identifier.ValueText == name)) is { } field)
            {
                _replacedPacers[(type, Key(diagnostic))] = field;
            }
        }
    }

    /// <summary>
    /// In top-level statements the loop's pacer is a local: once no wait is left on it, its declaration goes too (the
    /// policy the retrying helper takes is a local of its own, declared where the fix needs it).
    /// </summary>
    private void LeaveTopLevelPacer(BlockSyntax block, Diagnostic diagnostic)
    {
        if (TopLevelStatement(block) is not { Parent: CompilationUnitSyntax unit } statement
            || ExistingLocal(unit, PacerType, Key(diagnostic), statement.SpanStart) is not { } name)
        {
            return;
        }

        var uses = unit.DescendantNodes().OfType<IdentifierNameSyntax>().Count(n => n.Identifier.ValueText == name);
        var left = _leftTurns.Count(t => t.SyntaxTree == unit.SyntaxTree && t.FirstAncestorOrSelf<TypeDeclarationSyntax>() is null);
        if (uses == left
            && unit.Members.OfType<GlobalStatementSyntax>().FirstOrDefault(g => g.Statement is LocalDeclarationStatementSyntax local
                && local.Declaration.Variables.Any(v => v.Identifier.ValueText == name)) is { } declaration
            && _leftTopLevelPacers.Add(declaration))
        {
            Editor.RemoveNode(declaration, SyntaxRemoveOptions.KeepNoTrivia);
        }
    }

    /// <summary>
    /// Gives the client at <paramref name="target"/> the policy: <c>new HttpClient(new RateLimitedHandler(policy))</c>, the
    /// handler it was given becoming the inner one; or adds the policy to the <c>RateLimitedHandler</c> it has. The edits
    /// of one pass are made together by <see cref="Finish"/>, so a client several APIs share gets one handler.
    /// </summary>
    public void GiveClient(SyntaxNode target, string policy)
    {
        if (!_handlerPolicies.TryGetValue(target, out var policies))
        {
            _handlerPolicies[target] = policies = new List<string>();
        }

        if (!policies.Contains(policy))
        {
            policies.Add(policy);
        }
    }

    /// <summary>Makes the edits the pass's fixes share, once at its end: the new fields, a blank line apart, and the handlers.</summary>
    public void WriteSharedEdits()
    {
        foreach (var pair in _newFields)
        {
            // A policy that takes the place of the loop's pacer goes where the pacer was.
            foreach (var field in pair.Value.ToList())
            {
                if (_replacedPacers.TryGetValue((pair.Key, field.Key), out var pacer))
                {
                    Editor.ReplaceNode(pacer, SyntaxFactory.ParseMemberDeclaration(field.Text)!.WithTriviaFrom(pacer).WithAdditionalAnnotations(Formatter.Annotation));
                    pair.Value.Remove(field);
                }
            }

            if (pair.Value.Count == 0)
            {
                continue;
            }

            // A blank line between members: after the new fields at the top of the type, else before each. Inserted
            // beside a member rather than into the type, which would move that member's trivia and the type's.
            // A member a fix just wrote may still hold the blank line after it as its own trailing trivia.
            var type = pair.Key;
            var index = FieldIndex(type);
            var blankAfter = index == 0 || type.Members[index - 1].GetTrailingTrivia().Count(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) > 1;
            var newLine = SyntaxFactory.EndOfLine(_newLine);
            var fields = pair.Value.Select((field, i) =>
            {
                var leading = !blankAfter || i > 0 ? new[] { newLine, SyntaxFactory.Whitespace(field.Indent) } : new[] { SyntaxFactory.Whitespace(field.Indent) };
                var trailing = blankAfter && i == pair.Value.Count - 1 ? new[] { newLine, newLine } : new[] { newLine };
                return SyntaxFactory.ParseMemberDeclaration(field.Text)!.WithLeadingTrivia(leading).WithTrailingTrivia(trailing).WithAdditionalAnnotations(Formatter.Annotation);
            }).ToList();
            if (index > 0)
            {
                Editor.InsertAfter(type.Members[index - 1], fields);
            }
            else if (type.Members.Count > 0)
            {
                Editor.InsertBefore(type.Members[0], fields);
            }
            else
            {
                Editor.InsertMembers(type, 0, fields);
            }
        }

        foreach (var local in _topLevelLocals.Values)
        {
            var declaration = SyntaxFactory.GlobalStatement(SyntaxFactory.ParseStatement(local.Text))
                .WithTrailingTrivia(SyntaxFactory.EndOfLine(_newLine))
                .WithAdditionalAnnotations(Formatter.Annotation);
            Editor.InsertBefore(local.Before, declaration);
        }

        WriteHandlers();
    }

    private void WriteHandlers()
    {
        foreach (var pair in _handlerPolicies)
        {
            var target = pair.Key;
            if (target is BaseObjectCreationExpressionSyntax creation && !IsHandler(creation) && HandlerArgument(creation) is { } existing)
            {
                // A client given a RateLimitedHandler since the diagnostic was computed: the policy goes into that handler.
                target = existing;
            }

            var replacement = IsHandler(target) ? AddPolicies(target, pair.Value) : WithHandler((ExpressionSyntax)target, pair.Value);
            if (replacement is not null)
            {
                Editor.ReplaceNode(target, replacement.WithTriviaFrom(target).WithAdditionalAnnotations(Formatter.Annotation));
            }
        }
    }

    /// <summary>The project's <c>max_line_length</c> for the file, when its .editorconfig sets one.</summary>
    /// <summary>Whether the project's .editorconfig asks for <c>var</c> where the type is apparent (<c>csharp_style_var_when_type_is_apparent = true</c>).</summary>
    public static bool VarForApparentTypes(Document document, SyntaxTree tree) =>
        document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue("csharp_style_var_when_type_is_apparent", out var value)
        && value.Split(':')[0].Trim().Equals("true", StringComparison.OrdinalIgnoreCase);

    public static int? MaxLineLength(Document document, SyntaxTree tree) =>
        document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue("max_line_length", out var value)
            && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length > 40
            ? length
            : null;

    /// <summary>What the IDE shows for a fix that paces through the client (<see cref="FixPass.PaceThroughClient"/>).</summary>
    public const string ThroughClientTitle = "Pace the requests through the client's rate-limit handler";

    /// <summary>The client or handler the policy goes on: the diagnostic's first additional location, for the client fixes.</summary>
    public static SyntaxNode? ClientTarget(SyntaxNode root, Diagnostic diagnostic)
    {
        var kind = Property(diagnostic, PacingFixData.FixKind);
        if (kind is not (PacingFixData.HandlerFix or PacingFixData.AddPolicyFix) || diagnostic.AdditionalLocations.Count == 0)
        {
            return null;
        }

        var location = diagnostic.AdditionalLocations[0];
        if (location.SourceTree != root.SyntaxTree || !root.FullSpan.Contains(location.SourceSpan))
        {
            return null;
        }

        return root.FindNode(location.SourceSpan, getInnermostNodeForTie: true) switch
        {
            BaseObjectCreationExpressionSyntax creation => creation,
            InvocationExpressionSyntax invocation when kind == PacingFixData.AddPolicyFix => invocation,
            ArgumentSyntax { Expression: BaseObjectCreationExpressionSyntax or InvocationExpressionSyntax } argument => argument.Expression,
            _ => null,
        };
    }

    public static string Key(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(PacingFixData.EndpointKey, out var key) && !string.IsNullOrEmpty(key) ? key! : "default";

    private static string? Property(Diagnostic diagnostic, string name) =>
        diagnostic.Properties.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private string Field(Diagnostic diagnostic, SyntaxNode use, int usePosition, string kind, Func<int, string> inline, Func<int, string, string> initializer)
    {
        var key = Key(diagnostic);
        var type = use.FirstAncestorOrSelf<TypeDeclarationSyntax>(t => t is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax);
        if (type is null)
        {
            // Top-level statements: no type to hold a field; a local declared once before the first statement that uses it.
            return TopLevelStatement(use) is { } statement ? TopLevelLocal(diagnostic, statement, usePosition, kind, initializer) : inline(usePosition);
        }

        if (_added.TryGetValue((type, kind, key), out var added) || ExistingField(type, kind, key) is { } existing && (added = existing) is not null)
        {
            return added;
        }

        var position = type.OpenBraceToken.Span.End;
        var name = FreshName(type, usePosition, FieldNames(diagnostic, kind));
        var indent = MemberIndentation(type);
        var fieldType = Runtime(kind, position);
        var declaration = "private static readonly " + fieldType + " " + name + " = ";
        _declarationLength = declaration.Length;
        var value = initializer(position, string.Empty);
        if (value.Contains("\n") || indent.Length + declaration.Length + value.Length + 1 > _maxLineLength)
        {
            value = OverLines(() => initializer(position, indent));
        }

        var text = declaration + value + ";";
        if (!_newFields.TryGetValue(type, out var fields))
        {
            _newFields[type] = fields = new List<(string, string, string)>();
        }

        fields.Add((text, indent, key));
        _added[(type, kind, key)] = name;
        return name;
    }

    /// <summary>
    /// The top-level statement <paramref name="use"/> is in, when a local declared before it can serve it: not from a
    /// local function or a static lambda, which cannot use the top level's locals (or not before they are assigned).
    /// </summary>
    private static GlobalStatementSyntax? TopLevelStatement(SyntaxNode use)
    {
        foreach (var node in use.AncestorsAndSelf())
        {
            switch (node)
            {
                case GlobalStatementSyntax { Statement: not LocalFunctionStatementSyntax } statement:
                    return statement;
                case LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                case AnonymousFunctionExpressionSyntax function when function.Modifiers.Any(SyntaxKind.StaticKeyword):
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// In top-level statements, the pacer or policy as a local named like the field would be, declared once before the
    /// first statement that uses it (<c>RequestPacer GitHubPacer = RequestPacer.Shared(...);</c>), or the one a fix
    /// declared there before.
    /// </summary>
    private string TopLevelLocal(Diagnostic diagnostic, GlobalStatementSyntax statement, int usePosition, string kind, Func<int, string, string> initializer)
    {
        var key = Key(diagnostic);
        if (_topLevelLocals.TryGetValue((kind, key), out var local))
        {
            if (statement.SpanStart < local.Before.SpanStart)
            {
                _topLevelLocals[(kind, key)] = (local.Text, local.Name, statement);
            }

            return local.Name;
        }

        if (ExistingLocal((CompilationUnitSyntax)statement.Parent!, kind, key, statement.SpanStart) is { } existing)
        {
            return existing;
        }

        var position = statement.SpanStart;
        var name = FreshLocalName(statement, usePosition, FieldNames(diagnostic, kind));
        var declaration = (_varForApparentTypes ? "var" : Runtime(kind, position)) + " " + name + " = ";
        _declarationLength = declaration.Length;
        var value = initializer(position, string.Empty);
        if (value.Contains("\n") || declaration.Length + value.Length + 1 > _maxLineLength)
        {
            value = OverLines(() => initializer(position, string.Empty));
        }

        _topLevelLocals[(kind, key)] = (declaration + value + ";", name, statement);
        return name;
    }

    private string OverLines(Func<string> write)
    {
        _overLines = true;
        try
        {
            return write();
        }
        finally
        {
            _overLines = false;
        }
    }

    /// <summary>A top-level local before <paramref name="before"/> that a fix wrote for this key: <c>RequestPacer X = RequestPacer.Shared("key", ...);</c>.</summary>
    private static string? ExistingLocal(CompilationUnitSyntax unit, string kind, string key, int before)
    {
        foreach (var member in unit.Members)
        {
            if (member.SpanStart >= before)
            {
                break;
            }

            if (member is GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax { Declaration: var declaration } }
                && Written(declaration, kind, key) is { } name)
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>The name a top-level local takes: free where it is used, and not declared anywhere in the top-level statements.</summary>
    private string FreshLocalName(GlobalStatementSyntax statement, int usePosition, IEnumerable<string> candidates)
    {
        var unit = (CompilationUnitSyntax)statement.Parent!;
        var declared = new HashSet<string>(
            unit.Members.OfType<GlobalStatementSyntax>().SelectMany(g => g.DescendantTokens()).Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText),
            StringComparer.Ordinal);
        declared.UnionWith(_topLevelLocals.Values.Select(l => l.Name));
        foreach (var name in candidates)
        {
            if (!declared.Contains(name) && _model.LookupSymbols(usePosition, name: name).IsEmpty)
            {
                return name;
            }
        }

        throw new InvalidOperationException("No free name for the local.");
    }

    /// <summary>A field of the type the fixes wrote for this key: <c>static readonly RateLimitPolicy X = new RateLimitPolicy("key", ...)</c>.</summary>
    private static string? ExistingField(TypeDeclarationSyntax type, string kind, string key)
    {
        foreach (var field in type.Members.OfType<FieldDeclarationSyntax>())
        {
            if (field.Modifiers.Any(SyntaxKind.StaticKeyword) && Written(field.Declaration, kind, key) is { } name)
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>The variable's name when the declaration is one of <paramref name="kind"/> for the key, as the fixes write it.</summary>
    private static string? Written(VariableDeclarationSyntax declaration, string kind, string key)
    {
        if (declaration.Variables.Count != 1
            || declaration.Variables[0].Initializer?.Value is not { } value
            || !(TypeNameIs(declaration.Type, kind) || declaration.Type.IsVar && InitializerMakes(value, kind)))
        {
            return null;
        }

        var arguments = value switch
        {
            BaseObjectCreationExpressionSyntax creation => creation.ArgumentList,
            InvocationExpressionSyntax invocation => invocation.ArgumentList,
            _ => null,
        };
        return arguments?.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax { Token.ValueText: var text } && text == key
            ? declaration.Variables[0].Identifier.ValueText
            : null;
    }

    /// <summary><c>new RateLimitPolicy(...)</c> or <c>RequestPacer.Shared(...)</c>: what a <c>var</c> a fix wrote holds.</summary>
    private static bool InitializerMakes(ExpressionSyntax value, string kind) => value switch
    {
        ObjectCreationExpressionSyntax creation => TypeNameIs(creation.Type, kind),
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: TypeSyntax receiver } } => TypeNameIs(receiver, kind),
        _ => false,
    };

    private static bool TypeNameIs(TypeSyntax type, string name) => type switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText == name,
        AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText == name,
        _ => false,
    };

    /// <summary>
    /// Names after the API (<c>GitHubPolicy</c>), then after more of its name (<c>GitHubCodeSearchPolicy</c>) when another
    /// API took the first, then numbered.
    /// </summary>
    private static IEnumerable<string> FieldNames(Diagnostic diagnostic, string kind)
    {
        var suffix = kind == PolicyType ? "Policy" : "Pacer";
        // A diagnostic without the catalog's name (an older analyzer's): the built-in entry's, by key.
        var apiName = Property(diagnostic, PacingFixData.ApiName)
            ?? BuiltInEndpoints.Entries.FirstOrDefault(e => e.Key == Key(diagnostic))?.Name;
        var words = apiName is not null
            ? apiName.Split(' ').Where(w => !w.StartsWith("/", StringComparison.Ordinal) && !s_nameNoise.Contains(w)).ToList()
            : HostWords(Key(diagnostic));
        var names = new List<string>();
        if (words.Count > 0)
        {
            names.Add(Identifier(words[0]) + suffix);
            names.Add(string.Concat(words.Select(Identifier)) + suffix);
        }

        names.Add("Api" + suffix);
        return names.Where(n => n.Length > suffix.Length).Distinct()
            .Concat(Enumerable.Range(2, 98).Select(i => names[names.Count - 1] + i.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary><c>api.example.com/v1/items</c> → <c>example</c>: the host's name without the service prefix and the top-level domain.</summary>
    private static List<string> HostWords(string key)
    {
        var host = key.Split('/')[0];
        var labels = host.Split('.').Where(l => l.Length > 0 && l != "*").ToList();
        if (labels.Count > 1)
        {
            labels.RemoveAt(labels.Count - 1);
        }

        var name = labels.LastOrDefault(l => l is not ("api" or "www"));
        return name is null ? new List<string>() : new List<string> { name };
    }

    private static string Identifier(string word)
    {
        var letters = new string(word.Where(char.IsLetterOrDigit).ToArray());
        return letters.Length == 0 || !char.IsLetter(letters[0]) ? string.Empty : char.ToUpperInvariant(letters[0]) + letters.Substring(1);
    }

    /// <summary>The first name that nothing in the type, nor anything in scope where it is used, already has.</summary>
    private string FreshName(TypeDeclarationSyntax type, int usePosition, IEnumerable<string> candidates)
    {
        if (!_namesAdded.TryGetValue(type, out var taken))
        {
            _namesAdded[type] = taken = new HashSet<string>(StringComparer.Ordinal);
        }

        var typeSymbol = _model.GetDeclaredSymbol(type);
        foreach (var name in candidates)
        {
            if (!taken.Contains(name)
                && (typeSymbol is null || typeSymbol.GetMembers(name).IsEmpty)
                && _model.LookupSymbols(type.OpenBraceToken.Span.End, name: name).IsEmpty
                && _model.LookupSymbols(usePosition, name: name).IsEmpty)
            {
                taken.Add(name);
                return name;
            }
        }

        throw new InvalidOperationException("No free name for the field.");
    }

    /// <summary>After the type's constants and the pacing fields before them: static fields initialise in order, so the policy is there before a client made from it.</summary>
    private static int FieldIndex(TypeDeclarationSyntax type)
    {
        var index = 0;
        while (index < type.Members.Count
            && type.Members[index] is FieldDeclarationSyntax field
            && (field.Modifiers.Any(SyntaxKind.ConstKeyword) || TypeNameIs(field.Declaration.Type, PolicyType) || TypeNameIs(field.Declaration.Type, PacerType)))
        {
            index++;
        }

        return index;
    }

    private static string MemberIndentation(TypeDeclarationSyntax type)
    {
        if (type.Members.Count > 0 && Indentation(type.Members[0]) is { } member)
        {
            return member;
        }

        return (Indentation(type) ?? string.Empty) + "    ";
    }

    private static string? Indentation(SyntaxNode node)
    {
        var trivia = node.GetLeadingTrivia();
        return trivia.Count > 0 && trivia[trivia.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia) ? trivia[trivia.Count - 1].ToString() : null;
    }

    /// <summary><c>new RateLimitPolicy("key", windows) { BaseAddress = ..., ThrottleStatusCodes = ..., ThrottleBodyContains = ... }</c>.</summary>
    private string PolicyExpression(Diagnostic diagnostic, int position, string? indent)
    {
        var initializers = new List<string>();
        if (Property(diagnostic, PacingFixData.PolicyBaseAddress) is { } baseAddress)
        {
            initializers.Add("BaseAddress = " + SymbolDisplay.FormatLiteral(baseAddress, quote: true));
        }

        if (Property(diagnostic, PacingFixData.ThrottleStatusCodes) is { } codes && codes != "429")
        {
            initializers.Add("ThrottleStatusCodes = new[] { " + string.Join(", ", codes.Split(',')) + " }");
        }

        if (Property(diagnostic, PacingFixData.ThrottleBody) is { } body)
        {
            initializers.Add("ThrottleBodyContains = " + SymbolDisplay.FormatLiteral(body, quote: true));
        }

        // No documented quota: no windows, rather than pacing at a number nobody documented; the runtime learns it from the headers.
        var call = "new " + Runtime(PolicyType, position);
        return Arguments(call, Windows(diagnostic, position, fallback: null), indent, initializers);
    }

    /// <summary><c>RequestPacer.Shared("key", windows)</c>: the pacer every loop over the endpoint shares.</summary>
    private string PacerExpression(Diagnostic diagnostic, int position, string? indent) =>
        Arguments(Runtime(PacerType, position) + ".Shared", Windows(diagnostic, position, fallback: "1/1s"), indent, new List<string>());

    /// <summary>
    /// The key and the windows as arguments: on one line without <paramref name="indent"/> (the cadence's comment left
    /// out), else one per line, the cadence after its comment, and the initializer over lines.
    /// </summary>
    private string Arguments(string call, (string Key, ImmutableArray<string> Windows, string? Cadence) arguments, string? indent, List<string> initializers)
    {
        var all = new List<string> { arguments.Key };
        all.AddRange(arguments.Windows);
        var comment = arguments.Cadence?.Substring(0, arguments.Cadence.IndexOf('\n'));
        if (arguments.Cadence is { } cadence)
        {
            all.Add(cadence.Substring(cadence.IndexOf('\n') + 1));
        }

        if (indent is null || indent.Length == 0 && comment is null && !_overLines)
        {
            return call + "(" + string.Join(", ", all) + ")" + (initializers.Count == 0 ? string.Empty : " { " + string.Join(", ", initializers) + " }");
        }

        var inner = indent + "    ";
        var text = new StringBuilder(call).Append('(');
        var oneLine = call + "(" + string.Join(", ", all) + ")";
        if (comment is null && indent!.Length + _declarationLength + oneLine.Length <= _maxLineLength)
        {
            // Only the initializer is long: the call stays on the line.
            text.Clear().Append(oneLine);
            all.Clear();
        }

        for (var i = 0; i < all.Count; i++)
        {
            if (comment is not null && i == all.Count - 1)
            {
                text.Append(_newLine).Append(inner).Append(comment);
            }

            text.Append(_newLine).Append(inner).Append(all[i]).Append(i < all.Count - 1 ? "," : string.Empty);
        }

        text.Append(all.Count > 0 ? ")" : string.Empty);
        if (initializers.Count > 0)
        {
            text.Append(_newLine).Append(indent).Append('{');
            for (var i = 0; i < initializers.Count; i++)
            {
                text.Append(_newLine).Append(inner).Append(initializers[i]).Append(i < initializers.Count - 1 || _trailingComma ? "," : string.Empty);
            }

            text.Append(_newLine).Append(indent).Append('}');
        }

        return text.ToString();
    }

    /// <summary>
    /// The key as a literal, the quota's windows, and an even cadence within them: the tightest window of an hour or less
    /// spread evenly (5000 per hour: one request every 720 ms), so a long run never sends a window's whole quota back to
    /// back. Daily windows stay budgets: spreading them would make a short export take hours. The cadence comes with a
    /// comment line before it (split off at the first line break), and is left out where a one-request window already
    /// spaces the requests as much.
    /// </summary>
    private (string Key, ImmutableArray<string> Windows, string? Cadence) Windows(Diagnostic diagnostic, int position, string? fallback)
    {
        var quota = Property(diagnostic, PacingFixData.Quota);
        var windows = RuntimeCode.WindowExpressions(quota, _names, fallback);
        string? cadence = null;
        if (QuotaText.TryParse(quota ?? fallback ?? string.Empty, out var parsed, out _)
            && parsed.Where(w => w.Period <= TimeSpan.FromHours(1)).OrderByDescending(w => w.Period.TotalMilliseconds / w.Limit).FirstOrDefault() is { Limit: > 1 } tightest)
        {
            var interval = Math.Ceiling(tightest.Period.TotalMilliseconds / tightest.Limit);
            var timeSpan = _names.TimeSpan;
            var duration = interval % 1000 == 0
                ? timeSpan + ".FromSeconds(" + (interval / 1000).ToString(CultureInfo.InvariantCulture) + ")"
                : timeSpan + ".FromMilliseconds(" + interval.ToString(CultureInfo.InvariantCulture) + ")";
            cadence = "// Evenly spaced within " + tightest.Describe() + ", never in bursts; change it to pace faster or slower.\n"
                + Runtime("QuotaWindow", position) + ".MinimumInterval(" + duration + ")";
        }

        return (SymbolDisplay.FormatLiteral(Key(diagnostic), quote: true), windows, cadence);
    }

    private bool IsHandler(SyntaxNode node) => node switch
    {
        BaseObjectCreationExpressionSyntax creation => IsRuntimeType(creation, HandlerType),
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ForHttpClientFactory" } member } => IsRuntimeType(member.Expression, HandlerType),
        _ => false,
    };

    private bool IsRuntimeType(SyntaxNode node, string name)
    {
        var type = node is BaseObjectCreationExpressionSyntax ? _model.GetTypeInfo(node).Type : _model.GetSymbolInfo(node).Symbol as ITypeSymbol;
        if (type is { TypeKind: not TypeKind.Error })
        {
            return type.Name == name && type.ContainingNamespace?.ToDisplayString() == Knowledge.PacingRuntime.Namespace;
        }

        // The runtime may not be in the compilation the fix sees yet: the name as written.
        return node switch
        {
            ObjectCreationExpressionSyntax { Type: var written } => TypeNameIs(written, name),
            TypeSyntax written => TypeNameIs(written, name),
            _ => false,
        };
    }

    /// <summary>The <c>new RateLimitedHandler(...)</c> a client was given.</summary>
    private BaseObjectCreationExpressionSyntax? HandlerArgument(BaseObjectCreationExpressionSyntax client) =>
        client.ArgumentList?.Arguments.FirstOrDefault()?.Expression is BaseObjectCreationExpressionSyntax handler && IsHandler(handler) ? handler : null;

    /// <summary>
    /// <c>new HttpClient()</c> becomes <c>new HttpClient(new RateLimitedHandler(policy))</c>; a handler it was given
    /// becomes the inner handler: <c>new RateLimitedHandler(new SocketsHttpHandler(), policy)</c>. Other arguments and the
    /// initializer stay.
    /// </summary>
    private ExpressionSyntax? WithHandler(ExpressionSyntax creation, List<string> policies)
    {
        var arguments = creation switch
        {
            ObjectCreationExpressionSyntax explicitCreation => explicitCreation.ArgumentList,
            ImplicitObjectCreationExpressionSyntax implicitCreation => implicitCreation.ArgumentList,
            _ => null,
        } ?? SyntaxFactory.ArgumentList();

        var handlerArguments = arguments.Arguments.Count > 0 ? new[] { arguments.Arguments[0].Expression.WithoutTrivia().ToString() }.Concat(policies) : policies;
        var handlerText = "new " + Runtime(HandlerType, creation.SpanStart) + "(" + string.Join(", ", handlerArguments) + ")";
        var handler = SyntaxFactory.Argument(SyntaxFactory.ParseExpression(handlerText));
        var newArguments = arguments.Arguments.Count > 0
            ? arguments.WithArguments(arguments.Arguments.Replace(arguments.Arguments[0], handler.WithTriviaFrom(arguments.Arguments[0])))
            : arguments.WithArguments(SyntaxFactory.SingletonSeparatedList(handler));

        return creation switch
        {
            // new HttpClient { ... } over lines: the line break after the type goes after the new arguments.
            ObjectCreationExpressionSyntax { ArgumentList: null } explicitCreation => explicitCreation
                .WithType(explicitCreation.Type.WithoutTrailingTrivia())
                .WithArgumentList(newArguments.WithTrailingTrivia(explicitCreation.Type.GetTrailingTrivia())),
            ObjectCreationExpressionSyntax explicitCreation => explicitCreation.WithArgumentList(newArguments),
            ImplicitObjectCreationExpressionSyntax implicitCreation => implicitCreation.WithArgumentList(newArguments),
            _ => null,
        };
    }

    /// <summary>
    /// The policies the handler lacks, after the ones it has: <c>new RateLimitedHandler(ArchivaPolicy, GitHubPolicy)</c>. A
    /// handler built as <c>(policy, innerHandler)</c> is rewritten inner handler first, the form that takes several policies.
    /// </summary>
    private ExpressionSyntax? AddPolicies(SyntaxNode handler, List<string> policies)
    {
        var arguments = handler switch
        {
            BaseObjectCreationExpressionSyntax creation => creation.ArgumentList,
            InvocationExpressionSyntax invocation => invocation.ArgumentList,
            _ => null,
        };
        if (arguments is null)
        {
            return null;
        }

        var existing = arguments.Arguments.Select(a => a.Expression.WithoutTrivia().ToString()).ToList();
        var missing = policies.Where(p => !existing.Contains(p)).ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        var inner = arguments.Arguments.Where(a => IsMessageHandler(a.Expression)).ToList();
        var ordered = inner.Concat(arguments.Arguments.Where(a => !inner.Contains(a)).Select(a => ScopeCatchAll(a.NameColon is null ? a : a.WithNameColon(null))))
            .Select(a => a.WithoutTrivia())
            .Concat(missing.Select(p => SyntaxFactory.Argument(SyntaxFactory.ParseExpression(p))));
        var newArguments = arguments.WithArguments(SyntaxFactory.SeparatedList(ordered));
        return handler switch
        {
            ObjectCreationExpressionSyntax creation => creation.WithArgumentList(newArguments),
            ImplicitObjectCreationExpressionSyntax creation => creation.WithArgumentList(newArguments),
            InvocationExpressionSyntax invocation => invocation.WithArgumentList(newArguments),
            _ => null,
        };
    }

    /// <summary>
    /// A policy of the handler without a <c>BaseAddress</c> covers every request that no other policy covers: beside
    /// the policies the fix adds, it would go on pacing other APIs' requests under its own key. Where its key is a
    /// catalogued endpoint's, it gets that endpoint's base address (<c>https://</c>, the host and the path up to its
    /// first parameter), so that it covers the API it was written for and no other; written in place, or in the
    /// initializer of the field the handler names. A key the catalog does not know leaves it as it is: which requests it
    /// was meant for is the author's to say.
    /// </summary>
    private ArgumentSyntax ScopeCatchAll(ArgumentSyntax argument)
    {
        if (argument.Expression is BaseObjectCreationExpressionSyntax inline)
        {
            return CatchAllBaseAddress(inline) is { } scoped ? argument.WithExpression(scoped) : argument;
        }

        if (argument.Expression is IdentifierNameSyntax or MemberAccessExpressionSyntax
            && _model.GetSymbolInfo(argument.Expression).Symbol is IFieldSymbol field
            && field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: BaseObjectCreationExpressionSyntax creation }
            && creation.SyntaxTree == _model.SyntaxTree
            && _scopedPolicies.Add(creation)
            && CatchAllBaseAddress(creation) is { } written)
        {
            Editor.ReplaceNode(creation, written.WithAdditionalAnnotations(Formatter.Annotation));
        }

        return argument;
    }

    /// <summary><c>new RateLimitPolicy("key", ...)</c> with <c>BaseAddress = "..."</c> added, for a catalogued key and no base address; else null.</summary>
    private BaseObjectCreationExpressionSyntax? CatchAllBaseAddress(BaseObjectCreationExpressionSyntax creation)
    {
        if (!IsRuntimeType(creation, PolicyType)
            || creation.ArgumentList?.Arguments.FirstOrDefault()?.Expression is not LiteralExpressionSyntax { Token.ValueText: var key }
            || creation.Initializer?.Expressions.Any(e => e is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "BaseAddress" } }) == true
            || BuiltInEndpoints.Entries.FirstOrDefault(e => e.Key == key && e.Host.IndexOf('*') < 0) is not { } entry
            || PacingFixData.PolicyBaseAddressOf("https://" + entry.Host + "/", entry) is not { } baseAddress)
        {
            return null;
        }

        var assignment = SyntaxFactory.ParseExpression("BaseAddress = " + SymbolDisplay.FormatLiteral(baseAddress, quote: true));
        var initializer = creation.Initializer is { } existing
            ? existing.WithExpressions(existing.Expressions.Insert(0, assignment))
            : SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SingletonSeparatedList(assignment));
        return creation.WithInitializer(initializer);
    }

    private bool IsMessageHandler(ExpressionSyntax expression)
    {
        for (var type = _model.GetTypeInfo(expression).Type; type is not null; type = type.BaseType)
        {
            if (type.Name == "HttpMessageHandler" && type.ContainingNamespace?.ToDisplayString() == "System.Net.Http")
            {
                return true;
            }
        }

        return false;
    }

    private static bool OnOneLine(SyntaxNode node)
    {
        var span = node.SyntaxTree.GetLineSpan(node.Span);
        return span.StartLinePosition.Line == span.EndLinePosition.Line;
    }
}
