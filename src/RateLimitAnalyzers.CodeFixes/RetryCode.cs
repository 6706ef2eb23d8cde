using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.CodeFixes;

/// <summary>
/// How the RL0003 and RL0004 fixes write a retry's wait: the runtime's <c>Backoff</c> and <c>RetryAfter</c>, an attempt
/// counter and limit where the retry has none, placed where the analyzer said (<see cref="RetryFixData"/>).
/// </summary>
internal static class RetryCode
{
    /// <summary>The attempt limit an unbounded retry gets: Polly's default, and Archiva's own example's.</summary>
    public const int MaxRetries = 3;

    // The longest backoff wait, unless the old delay times eight is longer: a minute is Archiva's whole rolling window.
    private const double LongestWaitMilliseconds = 60_000;

    public static string? Property(Diagnostic diagnostic, string name) =>
        diagnostic.Properties.TryGetValue(name, out var value) ? value : null;

    public static bool IsAsync(Diagnostic diagnostic) => Property(diagnostic, FunctionFacts.IsAsyncProperty) == "true";

    /// <summary>The node the diagnostic's first additional location points at (the wait's site, the Polly options or call).</summary>
    public static SyntaxNode? Site(SyntaxNode root, Diagnostic diagnostic, int index = 0)
    {
        if (diagnostic.AdditionalLocations.Count <= index || diagnostic.AdditionalLocations[index].SourceSpan is var span && !root.FullSpan.Contains(span))
        {
            return null;
        }

        return root.FindNode(diagnostic.AdditionalLocations[index].SourceSpan, getInnermostNodeForTie: true);
    }

    /// <summary>Whether statements can go at the site: an <c>await</c> cannot go inside a <c>lock</c>, and a counter needs a place before its loop.</summary>
    public static bool CanPlace(SyntaxNode site, Diagnostic diagnostic, SyntaxNode? loop)
    {
        if (IsAsync(diagnostic) && site.AncestorsAndSelf().TakeWhile(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax)).Any(n => n is LockStatementSyntax))
        {
            return false;
        }

        return loop is null || loop.Parent is BlockSyntax or SwitchSectionSyntax;
    }

    /// <summary>
    /// Whether the attempts the analyzer asked for can be written here: a counter the fix declares needs a place before
    /// its loop, and an attempt limit must not sit in a try block, whose catch would take the give-up for another failure.
    /// </summary>
    public static bool CanCountAttempts(SyntaxNode root, Diagnostic diagnostic, SyntaxNode site)
    {
        var addCounter = Property(diagnostic, RetryFixData.AddCounter) == "true";
        var loop = addCounter ? Site(root, diagnostic, 1) : null;
        return (loop is not null || !addCounter)
            && CanPlace(site, diagnostic, loop)
            && (Property(diagnostic, RetryFixData.GiveUp) != "true" || CanGiveUp(site));
    }

    /// <summary>
    /// The new waits with the attempts counted and bounded around them: <c>if (attempt &gt;= 3) throw ...;</c> before them
    /// where the retry had no limit, and <c>attempt++;</c> after them with <c>var attempt = 0;</c> before the loop where it
    /// counted nothing. With no new wait (the retry's own stays, and is the site it goes before) the count goes up after it.
    /// </summary>
    public static List<StatementSyntax> CountAttempts(Writer writer, Diagnostic diagnostic, SyntaxNode site, WaitEdit edit, IReadOnlyList<StatementSyntax> waits)
    {
        var statements = new List<StatementSyntax>();
        var counter = Property(diagnostic, RetryFixData.Counter) is { } name ? RuntimeCode.EscapeIdentifier(name) : null;
        if (counter is null)
        {
            statements.AddRange(waits);
            return statements;
        }

        if (Property(diagnostic, RetryFixData.GiveUp) == "true")
        {
            var stop = InCatch(site) ? "throw;" : "throw new " + writer.Type("System.Net.Http.HttpRequestException", site.SpanStart) + "(\"Gave up after " + MaxRetries + " retries.\");";
            // In braces: builds that enforce csharp_prefer_braces (IDE0011) reject a one-line if.
            statements.Add(Statement("if (" + counter + " >= " + MaxRetries + ")\n{\n" + stop + "\n}"));
        }

        statements.AddRange(waits);
        if (Property(diagnostic, RetryFixData.AddCounter) == "true")
        {
            var increment = Statement(counter + "++;");
            if (waits.Count == 0 && edit == WaitEdit.InsertBefore && site.Parent is BlockSyntax or SwitchSectionSyntax)
            {
                InsertAfter(writer.Editor, site, new[] { increment });
            }
            else
            {
                statements.Add(increment);
            }

            writer.DeclareCounter(Site(writer.Root, diagnostic, 1)!, counter);
        }

        return statements;
    }

    /// <summary>Whether the attempt limit can stop the retry here: not inside a try block, whose catch would take the give-up for another failure.</summary>
    private static bool CanGiveUp(SyntaxNode site) =>
        !site.Ancestors().TakeWhile(n => !IsLoop(n))
            .Any(n => n is TryStatementSyntax tryStatement && tryStatement.Block.Span.Contains(site.Span));

    private static bool InCatch(SyntaxNode site) => site.AncestorsAndSelf().TakeWhile(n => !IsLoop(n)).Any(n => n is CatchClauseSyntax);

    private static bool IsLoop(SyntaxNode node) => node is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax;

    /// <summary>
    /// Puts statements at the site: in place of the statement, before it, or at the end of the block. A statement that is
    /// not in a block (the body of an <c>if</c>) becomes a block.
    /// </summary>
    public static void Place(DocumentEditor editor, SyntaxNode site, WaitEdit edit, IReadOnlyList<StatementSyntax> statements)
    {
        switch (edit)
        {
            case WaitEdit.Replace when site.Parent is BlockSyntax or SwitchSectionSyntax:
                InsertAfter(editor, site, statements.Skip(1));
                editor.ReplaceNode(site, statements[0] is IfStatementSyntax && statements.Count > 1
                    ? statements[0].WithLeadingTrivia(site.GetLeadingTrivia()).WithTrailingTrivia(LineEnds(statements[0], site, followed: true))
                    : statements[0].WithTriviaFrom(site));
                break;
            case WaitEdit.Replace:
                editor.ReplaceNode(site, Block(statements));
                break;
            case WaitEdit.InsertBefore when site.Parent is BlockSyntax oneLine && OnOneLine(oneLine):
                // if (failed) { response.Dispose(); continue; } gets the wait before its continue: one statement per line.
                var at = oneLine.Statements.IndexOf((StatementSyntax)site);
                editor.ReplaceNode(oneLine, (current, _) =>
                {
                    var kept = ((BlockSyntax)current).Statements;
                    return Block(kept.Take(at).Concat(statements).Concat(kept.Skip(at)).Select(OnALineOfItsOwn)).WithTriviaFrom(current);
                });
                break;
            case WaitEdit.InsertBefore when site.Parent is BlockSyntax or SwitchSectionSyntax:
                InsertBefore(editor, site, statements);
                break;
            case WaitEdit.InsertBefore:
                // if (accepted) continue; becomes a block: the continue goes on a line of its own after the wait.
                editor.ReplaceNode(site, (current, _) => Block(statements.Concat(new[] { OnALineOfItsOwn((StatementSyntax)current) })));
                break;
            case WaitEdit.Append when site is BlockSyntax block && statements.Count > 1 && OnOneLine(block):
                // catch (HttpRequestException) { } gets several statements: one per line, as a person would lay them out.
                editor.ReplaceNode(site, (current, _) => Block(((BlockSyntax)current).Statements.Concat(statements)).WithTriviaFrom(current));
                break;
            case WaitEdit.Append when site is BlockSyntax:
                editor.ReplaceNode(site, (current, _) => ((BlockSyntax)current).AddStatements(statements.ToArray()));
                break;
            default:
                editor.ReplaceNode(site, (current, _) => Block(new[] { (StatementSyntax)current }.Concat(statements)));
                break;
        }
    }

    /// <summary>
    /// Inserts statements before a statement in a block, each on a line of its own at the statement's indentation; a blank
    /// line after an inserted <c>if</c> block, as the code around it would have.
    /// </summary>
    public static void InsertBefore(DocumentEditor editor, SyntaxNode statement, IEnumerable<StatementSyntax> statements) =>
        editor.InsertBefore(statement, statements.Select(s => s.WithLeadingTrivia(statement.GetLeadingTrivia()).WithTrailingTrivia(LineEnds(s, statement, followed: true))));

    /// <summary>Inserts statements after a statement in a block, each on a line of its own at the statement's indentation.</summary>
    public static void InsertAfter(DocumentEditor editor, SyntaxNode statement, IEnumerable<StatementSyntax> statements)
    {
        var list = statements.ToList();
        editor.InsertAfter(statement, list.Select((s, i) => s.WithLeadingTrivia(statement.GetLeadingTrivia()).WithTrailingTrivia(LineEnds(s, statement, followed: i < list.Count - 1))));
    }

    /// <summary>The end of an inserted statement's line: a blank line after an <c>if</c> block that other code follows, as the code around it would have.</summary>
    private static SyntaxTrivia[] LineEnds(StatementSyntax inserted, SyntaxNode neighbour, bool followed) =>
        inserted is IfStatementSyntax { Statement: BlockSyntax } && followed
            ? new[] { EndOfLine(neighbour), EndOfLine(neighbour) }
            : new[] { EndOfLine(neighbour) };

    /// <summary>The line ending the file uses after this statement, so inserted lines do not mix CRLF into an LF file.</summary>
    private static SyntaxTrivia EndOfLine(SyntaxNode statement) =>
        statement.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { RawKind: not 0 } newLine
            ? newLine
            : SyntaxFactory.ElasticCarriageReturnLineFeed;

    /// <summary><c>await target;</c>, built through the factory: outside an async context the parser would read "await" as a name.</summary>
    public static StatementSyntax Statement(string expression, bool await) =>
        OnALineOfItsOwn(SyntaxFactory.ExpressionStatement(await ? SyntaxFactory.AwaitExpression(SyntaxFactory.ParseExpression(expression)) : SyntaxFactory.ParseExpression(expression)));

    public static StatementSyntax Statement(string text) => OnALineOfItsOwn(SyntaxFactory.ParseStatement(text));

    // Parsed text has no trivia of its own, and the formatter keeps two such statements on one line; an elastic marker
    // lets it break the line, as it already does before a factory-made "await". A statement taken out of a one-line
    // block loses the spaces that laid it out there the same way (comments stay).
    private static StatementSyntax OnALineOfItsOwn(StatementSyntax statement) =>
        statement.WithLeadingTrivia(statement.GetLeadingTrivia().Where(t => !t.IsKind(SyntaxKind.WhitespaceTrivia)).Prepend(SyntaxFactory.ElasticMarker))
            .WithAdditionalAnnotations(Formatter.Annotation);

    private static bool OnOneLine(BlockSyntax block) =>
        block.SyntaxTree.GetLineSpan(block.Span).StartLinePosition.Line == block.SyntaxTree.GetLineSpan(block.Span).EndLinePosition.Line;

    private static BlockSyntax Block(IEnumerable<StatementSyntax> statements) =>
        SyntaxFactory.Block(statements).WithAdditionalAnnotations(Formatter.Annotation);

    /// <summary>
    /// Sets Polly v8 retry options to exponential backoff with jitter (<c>BackoffType</c>, <c>UseJitter</c>, and a one-second
    /// <c>Delay</c> in place of <c>TimeSpan.Zero</c>), plus <paramref name="more"/> assignments, keeping the rest as written.
    /// </summary>
    public static void SetExponentialBackoff(Writer writer, BaseObjectCreationExpressionSyntax creation, Diagnostic diagnostic, params string[] more)
    {
        var position = creation.SpanStart;
        var assignments = new List<(string Name, string Value)>
        {
            ("BackoffType", writer.Type("Polly.DelayBackoffType", position) + ".Exponential"),
            ("UseJitter", "true"),
        };
        if (Property(diagnostic, RetryFixData.DelayMilliseconds) == "0")
        {
            assignments.Add(("Delay", writer.Duration(1000, position)));
        }

        writer.Editor.ReplaceNode(creation, (current, _) =>
        {
            var options = (BaseObjectCreationExpressionSyntax)current;
            var expressions = options.Initializer?.Expressions ?? default;
            foreach (var (name, value) in assignments)
            {
                var existing = expressions.OfType<AssignmentExpressionSyntax>().FirstOrDefault(a => a.Left is IdentifierNameSyntax { Identifier.ValueText: var left } && left == name);
                expressions = existing is not null
                    ? expressions.Replace(existing, existing.WithRight(SyntaxFactory.ParseExpression(value).WithTriviaFrom(existing.Right)))
                    : expressions.Add(SyntaxFactory.ParseExpression(name + " = " + value));
            }

            foreach (var assignment in more)
            {
                expressions = expressions.Add(SyntaxFactory.ParseExpression(assignment));
            }

            // An initializer that ended in a comma still does, after the assignments added to it.
            var separators = expressions.GetSeparators().ToList();
            if (options.Initializer is { Expressions: { Count: > 0 } original } && original.SeparatorCount == original.Count && separators.Count < expressions.Count)
            {
                var lineEnd = original.GetSeparator(original.SeparatorCount - 1).TrailingTrivia;
                while (separators.Count < expressions.Count)
                {
                    separators.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(lineEnd));
                }

                expressions = SyntaxFactory.SeparatedList(expressions, separators);
            }

            var initializer = options.Initializer is { } kept
                ? kept.WithExpressions(expressions)
                : SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, expressions);
            return options.WithInitializer(initializer.WithAdditionalAnnotations(Formatter.Annotation));
        });
    }

    /// <summary>
    /// Writes code at one position of the document: the runtime's names (short, with the import, unless a type of the
    /// user's is in the way) and the framework types the code needs (short where the file imports them).
    /// </summary>
    internal sealed class Writer
    {
        private readonly HashSet<SyntaxNode> _countedLoops = new();

        private RuntimeCode.Names _names;

        public Writer(DocumentEditor editor, SemanticModel model, SyntaxNode root)
        {
            Editor = editor;
            Model = model;
            Root = root;
        }

        public DocumentEditor Editor { get; }

        public SemanticModel Model { get; }

        public SyntaxNode Root { get; }

        public bool NeedsImport { get; private set; }

        /// <summary>
        /// Declares <c>var counter = 0;</c> before the loop, once: in a Fix All pass two throttle checks of one loop (a 429
        /// branch and a 503 one) each ask for the counter, and a second declaration would not compile.
        /// </summary>
        public void DeclareCounter(SyntaxNode loop, string counter)
        {
            if (_countedLoops.Add(loop))
            {
                InsertBefore(Editor, loop, new[] { Statement("var " + counter + " = 0;") });
            }
        }

        /// <summary>A runtime type's name as the code at <paramref name="position"/> should write it: <c>Backoff</c>, <c>RetryAfter</c>.</summary>
        public string Runtime(string typeName, int position)
        {
            _names = RuntimeCode.Names.At(Model, position, _names);
            NeedsImport |= _names.NeedsImport;
            return _names.Prefix + typeName;
        }

        /// <summary>The first of <paramref name="candidates"/> that names no local or parameter in scope at the position: a name for a lambda parameter or out variable the fix writes.</summary>
        public string FreshName(int position, params string[] candidates) =>
            candidates.FirstOrDefault(n => !Model.LookupSymbols(position, name: n).Any(s => s is ILocalSymbol or IParameterSymbol))
            ?? candidates[0] + "2";

        /// <summary>A framework type's short name where it resolves to that type at the position, else its full name.</summary>
        public string Type(string fullName, int position) => RuntimeCode.TypeName(Model, position, fullName);

        /// <summary>A length as code: <c>TimeSpan.FromSeconds(5)</c>, <c>TimeSpan.FromMinutes(1)</c>, <c>TimeSpan.FromMilliseconds(250)</c>.</summary>
        public string Duration(double milliseconds, int position)
        {
            var timeSpan = Type("System.TimeSpan", position);
            string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
            return milliseconds % 60_000 == 0 && milliseconds > 0 ? timeSpan + ".FromMinutes(" + Number(milliseconds / 60_000) + ")"
                : milliseconds % 1000 == 0 ? timeSpan + ".FromSeconds(" + Number(milliseconds / 1000) + ")"
                : timeSpan + ".FromMilliseconds(" + Number(milliseconds) + ")";
        }

        /// <summary>
        /// The delay the retry had, as a TimeSpan expression: the backoff's base, or the fallback when the server sends no hint.
        /// A second when it had none; only a constant when the new wait goes where the old expression's variables are not in scope.
        /// </summary>
        public string BaseDelay(Diagnostic diagnostic, int position, bool constantOnly = false)
        {
            var text = Property(diagnostic, RetryFixData.Delay);
            var inMilliseconds = Property(diagnostic, RetryFixData.DelayInMilliseconds) == "true";
            var milliseconds = Milliseconds(diagnostic);
            if (milliseconds is { } known && known > 0 && (inMilliseconds || constantOnly || text is null))
            {
                return Duration(known, position);
            }

            if (text is not null && !constantOnly && milliseconds is not 0)
            {
                return inMilliseconds ? Type("System.TimeSpan", position) + ".FromMilliseconds(" + text + ")" : text;
            }

            return Duration(1000, position);
        }

        /// <summary>The longest backoff wait: a minute, or eight times a longer base.</summary>
        public string MaxDelay(Diagnostic diagnostic, int position) =>
            Duration(Milliseconds(diagnostic) is { } known && known * 8 > LongestWaitMilliseconds ? known * 8 : LongestWaitMilliseconds, position);

        /// <summary><c>Backoff.Exponential(attempt, base, max)</c>: a random wait up to base × 2^attempt.</summary>
        public string Backoff(string attempt, Diagnostic diagnostic, int position, bool constantOnly = false) =>
            Runtime(RetryRuntime.BackoffName, position) + ".Exponential(" + attempt + ", " + BaseDelay(diagnostic, position, constantOnly) + ", " + MaxDelay(diagnostic, position) + ")";

        /// <summary>The token the new wait passes on: the old wait's, else the function's; empty when there is none.</summary>
        public static string TokenArgument(Diagnostic diagnostic) =>
            Property(diagnostic, RetryFixData.CancellationToken) is { Length: > 0 } token ? ", " + RuntimeCode.EscapeIdentifier(token) : string.Empty;

        private static double? Milliseconds(Diagnostic diagnostic) =>
            double.TryParse(Property(diagnostic, RetryFixData.DelayMilliseconds), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
