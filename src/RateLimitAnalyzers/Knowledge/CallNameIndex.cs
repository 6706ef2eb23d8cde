using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>
/// What the compilation's code calls, by name, read from syntax alone. It answers two questions that would otherwise
/// mean binding most of the code a second time:
/// <list type="bullet">
/// <item>which of the user's methods are worth following into, because within <see cref="Rounds"/> calls they reach
/// something that sends a request or waits;</item>
/// <item>whether a block of code mentions anything the rules look at at all, so the rules skip the great majority of
/// code (string helpers, mappers, domain logic) without looking at its operations.</item>
/// </list>
/// </summary>
/// <remarks>
/// It over-approximates on purpose: names, not symbols, so an unrelated method that shares a name with a sending one
/// is followed too, and the binding-based summary then gives the real answer. It never under-approximates within
/// <see cref="Rounds"/>. Nothing is read ahead: building the index reads the member declarations of each file (never a
/// method body), and a name is judged the first time a block calls it, by reading the bodies of the methods so named,
/// and so on for at most <see cref="Rounds"/> calls. A code base that never calls anything that sends has only the
/// bodies its blocks' names lead to read, and no callback waits for a whole-compilation walk. The index holds names
/// and syntax only, so <see cref="HttpKnowledge"/> keeps it for every compilation of the same trees (the IDE's
/// per-file clones).
/// </remarks>
internal sealed class CallNameIndex
{
    /// <summary>How many calls deep a method's sends and waits are followed: as deep as the summaries follow.</summary>
    public const int Rounds = HttpKnowledge.MaxCallDepth;

    /// <summary>
    /// Refit's HTTP verb attributes (<c>Refit.GetAttribute</c> ...), by name: the one list the syntactic Refit test and
    /// the semantic one (<see cref="HttpKnowledge.IsRefitMethod"/>) share.
    /// </summary>
    public static readonly ImmutableHashSet<string> RefitVerbAttributes = ImmutableHashSet.Create(
        StringComparer.Ordinal, "GetAttribute", "PostAttribute", "PutAttribute", "DeleteAttribute", "PatchAttribute", "HeadAttribute", "OptionsAttribute");

    private static readonly ConditionalWeakTable<SyntaxTree, TreeDeclarations> s_trees = new();

    private readonly Dictionary<string, List<SyntaxNode>> _bodiesByName;
    private readonly HashSet<string> _refitMethods;
    private readonly Func<string, bool> _isSeed;
    private readonly NameTable _gateNames;
    private readonly string _gatePrefix;

    // Whether a method of a name reaches a seed within so many further calls; judged on first use, by any thread.
    private readonly ConcurrentDictionary<(string Name, int Calls), bool> _reaches = new();
    private readonly ConcurrentDictionary<SyntaxNode, string[]> _bodyNames = new();

    private CallNameIndex(Dictionary<string, List<SyntaxNode>> bodiesByName, HashSet<string> refitMethods, Func<string, bool> isSeed, IEnumerable<string> gateNames, string gatePrefix)
    {
        _bodiesByName = bodiesByName;
        _refitMethods = refitMethods;
        _isSeed = isSeed;
        _gatePrefix = gatePrefix;
        var names = new HashSet<string>(gateNames, StringComparer.Ordinal);
        names.UnionWith(bodiesByName.Keys);
        names.UnionWith(refitMethods);
        _gateNames = new NameTable(names);
    }

    /// <summary>Whether a source method of this name may send or wait within <see cref="Rounds"/> calls.</summary>
    public bool IsWorthFollowing(string methodName) => Reaches(methodName, Rounds - 1);

    /// <summary>Whether a source method of this name may send or wait within so many calls (at most <see cref="Rounds"/>).</summary>
    public bool IsWorthFollowing(string methodName, int calls) => Reaches(methodName, Math.Min(calls, Rounds) - 1);

    /// <summary>Whether a method, local function or lambda body of the user's may send or wait within <see cref="Rounds"/> calls.</summary>
    public bool IsWorthFollowing(SyntaxNode body) => BodyReaches(body, Rounds - 1);

    /// <summary>Whether a method of this name is declared on a Refit interface of the compilation: calling it sends a request.</summary>
    public bool IsRefitMethod(string methodName) => _refitMethods.Contains(methodName);

    /// <param name="isSeed">Whether a call of this name may send or wait by itself (<c>GetAsync</c>, <c>ExecuteAsync</c>, <c>Delay</c>).</param>
    /// <param name="refitReferenced">Whether Refit is referenced: only then are attributed interface methods Refit methods.</param>
    /// <param name="isIndexed">Whether a file's methods take part (the runtime the package emits does not: the rules know its types by symbol).</param>
    /// <param name="gateNames">Names besides the user's methods and Refit methods that <see cref="MayCall"/> is asked about (sends, Polly's retries).</param>
    /// <param name="gatePrefix">A prefix of names <see cref="MayCall"/> is asked about too (<c>Execute</c>).</param>
    public static CallNameIndex Build(
        Compilation compilation, Func<string, bool> isSeed, bool refitReferenced, Func<SyntaxTree, bool> isIndexed, IEnumerable<string> gateNames, string gatePrefix, CancellationToken cancellationToken)
    {
        var bodiesByName = new Dictionary<string, List<SyntaxNode>>(StringComparer.Ordinal);
        var refitMethods = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!isIndexed(tree))
            {
                continue;
            }

            var declarations = s_trees.GetValue(tree, t => TreeDeclarations.Read(t, cancellationToken));
            foreach (var (name, body) in declarations.Methods)
            {
                if (!bodiesByName.TryGetValue(name, out var bodies))
                {
                    bodiesByName[name] = bodies = new List<SyntaxNode>(1);
                }

                bodies.Add(body);
            }

            if (refitReferenced)
            {
                refitMethods.UnionWith(declarations.RefitMethods);
            }
        }

        return new CallNameIndex(bodiesByName, refitMethods, isSeed, gateNames, gatePrefix);
    }

    private bool Reaches(string name, int furtherCalls)
    {
        if (!_bodiesByName.TryGetValue(name, out var bodies))
        {
            return false;
        }

        if (_reaches.TryGetValue((name, furtherCalls), out var known))
        {
            return known;
        }

        var reaches = false;
        foreach (var body in bodies)
        {
            if (BodyReaches(body, furtherCalls))
            {
                reaches = true;
                break;
            }
        }

        _reaches[(name, furtherCalls)] = reaches;
        return reaches;
    }

    private bool BodyReaches(SyntaxNode body, int furtherCalls)
    {
        foreach (var called in _bodyNames.GetOrAdd(body, b => CallNames(b).ToArray()))
        {
            if (_isSeed(called) || _refitMethods.Contains(called) || (furtherCalls > 0 && Reaches(called, furtherCalls - 1)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether code under <paramref name="node"/> may call or create something by a name the predicate accepts, asked only
    /// about the user's method names, Refit methods, the gate names and names with the gate prefix (the predicate must
    /// reject every other name). Read from the text, not the syntax: every call's name is an identifier in it, and the
    /// text of a method costs a fraction of a walk over its nodes. Identifiers in comments and strings only make it pass
    /// more code. Text it cannot read safely (non-ASCII letters, unicode escapes, <c>new()</c> whose type is elsewhere)
    /// is read from the syntax instead.
    /// </summary>
    public bool MayCall(SyntaxNode node, Func<string, bool> predicate, CancellationToken cancellationToken)
    {
        var span = node.Span;
        var buffer = s_buffer;
        if (buffer is null || buffer.Length < span.Length)
        {
            s_buffer = buffer = new char[Math.Max(span.Length, 4096)];
        }

        node.SyntaxTree.GetText(cancellationToken).CopyTo(span.Start, buffer, 0, span.Length);
        for (var i = 0; i < span.Length;)
        {
            var c = buffer[i];
            if (c > 127 ? char.IsLetterOrDigit(c) : c == '\\' && i + 1 < span.Length && buffer[i + 1] is 'u' or 'U')
            {
                return AnyCallIn(node, predicate);
            }

            if (!IsIdentifierStart(c))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < span.Length && IsIdentifierPart(buffer[i]))
            {
                i++;
            }

            var length = i - start;
            if (length == 3 && buffer[start] == 'n' && buffer[start + 1] == 'e' && buffer[start + 2] == 'w' && NextIsOpenParenthesis(buffer, i, span.Length))
            {
                // Target-typed new(): the created type's name may stand outside this code (a field's declared type).
                return AnyCallIn(node, predicate);
            }

            if (_gateNames.Find(buffer, start, length) is { } name ? predicate(name) : StartsWith(buffer, start, length, _gatePrefix) && predicate(new string(buffer, start, length)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a file may call a method of this name: its text holds the name as a whole word (comments and strings
    /// included, so it over-approximates). A file with a unicode escape is read from its syntax instead.
    /// </summary>
    public static bool MayNameIn(SyntaxTree tree, string name, CancellationToken cancellationToken)
    {
        var text = tree.GetText(cancellationToken).ToString();
        for (var at = text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + 1, StringComparison.Ordinal))
        {
            var end = at + name.Length;
            if ((at == 0 || !IsIdentifierPart(text[at - 1])) && (end == text.Length || !IsIdentifierPart(text[end])))
            {
                return true;
            }
        }

        return text.IndexOf("\\u", StringComparison.OrdinalIgnoreCase) >= 0
            && tree.GetRoot(cancellationToken).DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == name);
    }

    [ThreadStatic]
    private static char[]? s_buffer;

    private static bool IsIdentifierStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || c is >= '0' and <= '9';

    private static bool NextIsOpenParenthesis(char[] buffer, int i, int end)
    {
        while (i < end && char.IsWhiteSpace(buffer[i]))
        {
            i++;
        }

        return i < end && buffer[i] == '(';
    }

    private static bool StartsWith(char[] buffer, int start, int length, string prefix)
    {
        if (length < prefix.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if (buffer[start + i] != prefix[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Names found by their characters in a buffer, without making a string of every identifier read.</summary>
    private sealed class NameTable
    {
        private readonly Dictionary<int, string[]> _byHash = new();

        public NameTable(IEnumerable<string> names)
        {
            foreach (var name in names)
            {
                var hash = Hash(name.ToCharArray(), 0, name.Length);
                _byHash[hash] = _byHash.TryGetValue(hash, out var same) ? same.Concat(new[] { name }).ToArray() : new[] { name };
            }
        }

        public string? Find(char[] buffer, int start, int length)
        {
            if (!_byHash.TryGetValue(Hash(buffer, start, length), out var candidates))
            {
                return null;
            }

            foreach (var candidate in candidates)
            {
                if (candidate.Length == length && SameChars(candidate, buffer, start))
                {
                    return candidate;
                }
            }

            return null;
        }

        private static bool SameChars(string name, char[] buffer, int start)
        {
            for (var i = 0; i < name.Length; i++)
            {
                if (name[i] != buffer[start + i])
                {
                    return false;
                }
            }

            return true;
        }

        private static int Hash(char[] chars, int start, int length)
        {
            unchecked
            {
                var hash = (int)2166136261;
                for (var i = start; i < start + length; i++)
                {
                    hash = (hash ^ chars[i]) * 16777619;
                }

                return hash;
            }
        }
    }

    /// <summary>Whether code under <paramref name="node"/> (itself included) calls or creates something by a name the predicate accepts.</summary>
    public static bool AnyCallIn(SyntaxNode node, Func<string, bool> predicate)
    {
        foreach (var name in CallNames(node))
        {
            if (predicate(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Every call's name and every created type's name under <paramref name="node"/>. A call of the runtime's
    /// <c>RateLimitedSend.Run</c> through its type's name also gives the qualified name (<c>RateLimitedSend.Run</c>),
    /// so the runtime's short names do not make a library's own <c>Run</c> look like a send.
    /// </summary>
    public static List<string> CallNames(SyntaxNode node)
    {
        List<string>? names = null;
        RuntimeSendImports? imports = null;
        foreach (var descendant in node.DescendantNodesAndSelf(static n => n is not (TypeSyntax and not ArrayTypeSyntax) and not AttributeListSyntax and not UsingDirectiveSyntax))
        {
            switch (descendant)
            {
                case InvocationExpressionSyntax call when Operations.InvokedName(call) is { } invoked:
                    (names ??= new List<string>()).Add(invoked);
                    var viaRuntimeSend = call.Expression switch
                    {
                        MemberAccessExpressionSyntax { Expression: var receiver } => RightmostName(receiver) is { } type
                            && (type == RuntimeSendType || (imports ??= RuntimeSendImports.Of(node.SyntaxTree)).Aliases.Contains(type)),
                        SimpleNameSyntax => (imports ??= RuntimeSendImports.Of(node.SyntaxTree)).Static,
                        _ => false,
                    };
                    if (viaRuntimeSend)
                    {
                        names.Add(RuntimeSendType + "." + invoked);
                    }

                    break;
                case ForEachStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword, Expression: InvocationExpressionSyntax iterated }
                    when Operations.InvokedName(iterated) is { } iterator:
                    // An async iterator that sends pages by itself: `await foreach` over it sends too (also recorded as a call).
                    (names ??= new List<string>()).Add(iterator);
                    break;
                case BaseObjectCreationExpressionSyntax creation when CreatedName(creation) is { } created:
                    (names ??= new List<string>()).Add(created);
                    break;
            }
        }

        return names ?? s_none;
    }

    private static readonly List<string> s_none = new(0);

    private const string RuntimeSendType = "RateLimitedSend";

    private static string? RightmostName(ExpressionSyntax expression) => expression switch
    {
        SimpleNameSyntax name => name.Identifier.ValueText,
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        _ => null,
    };

    private static string? CreatedName(BaseObjectCreationExpressionSyntax creation) => creation switch
    {
        ObjectCreationExpressionSyntax { Type: var type } => TypeName(type),
        // `RetryStrategyOptions<HttpResponseMessage> options = new() { ... }`: the declared type names what is made.
        ImplicitObjectCreationExpressionSyntax { Parent: EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } } } => TypeName(declaration.Type),
        ImplicitObjectCreationExpressionSyntax { Parent: EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property } } => TypeName(property.Type),
        _ => null,
    };

    private static string? TypeName(TypeSyntax type) => type switch
    {
        SimpleNameSyntax name => name.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>How a file names the runtime's <c>RateLimitedSend</c> other than by its name: aliases, and <c>using static</c>.</summary>
    private sealed class RuntimeSendImports
    {
        private static readonly ConditionalWeakTable<SyntaxTree, RuntimeSendImports> s_byTree = new();
        private static readonly RuntimeSendImports s_none = new(ImmutableHashSet<string>.Empty, isStatic: false);

        private RuntimeSendImports(ImmutableHashSet<string> aliases, bool isStatic)
        {
            Aliases = aliases;
            Static = isStatic;
        }

        public ImmutableHashSet<string> Aliases { get; }

        public bool Static { get; }

        public static RuntimeSendImports Of(SyntaxTree tree) => s_byTree.GetValue(tree, Read);

        private static RuntimeSendImports Read(SyntaxTree tree)
        {
            var aliases = ImmutableHashSet<string>.Empty;
            var isStatic = false;
            foreach (var node in tree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax))
            {
                if (node is UsingDirectiveSyntax { Name: { } name } directive && RightmostName(name) == RuntimeSendType)
                {
                    if (directive.Alias is { } alias)
                    {
                        aliases = aliases.Add(alias.Name.Identifier.ValueText);
                    }
                    else
                    {
                        isStatic |= directive.StaticKeyword.IsKind(SyntaxKind.StaticKeyword);
                    }
                }
            }

            return aliases.IsEmpty && !isStatic ? s_none : new RuntimeSendImports(aliases, isStatic);
        }
    }

    /// <summary>One file's methods with bodies and its Refit interface methods, read from member declarations only.</summary>
    private sealed class TreeDeclarations
    {
        private TreeDeclarations(List<(string Name, SyntaxNode Body)> methods, List<string> refitMethods)
        {
            Methods = methods;
            RefitMethods = refitMethods;
        }

        public List<(string Name, SyntaxNode Body)> Methods { get; }

        public List<string> RefitMethods { get; }

        public static TreeDeclarations Read(SyntaxTree tree, CancellationToken cancellationToken)
        {
            var methods = new List<(string, SyntaxNode)>();
            var refit = new List<string>();
            var pending = new Stack<SyntaxNode>();
            pending.Push(tree.GetRoot(cancellationToken));
            while (pending.Count > 0)
            {
                var container = pending.Pop();
                var members = container switch
                {
                    CompilationUnitSyntax unit => unit.Members,
                    BaseNamespaceDeclarationSyntax ns => ns.Members,
                    TypeDeclarationSyntax type => type.Members,
                    _ => default,
                };
                foreach (var member in members)
                {
                    switch (member)
                    {
                        case BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax:
                            pending.Push(member);
                            break;
                        case MethodDeclarationSyntax { Body: null, ExpressionBody: null, Parent: InterfaceDeclarationSyntax } bodiless when HasRefitVerb(bodiless):
                            refit.Add(bodiless.Identifier.ValueText);
                            break;
                        case MethodDeclarationSyntax method when ((SyntaxNode?)method.Body ?? method.ExpressionBody) is { } body:
                            methods.Add((method.Identifier.ValueText, body));
                            break;
                    }
                }
            }

            return new TreeDeclarations(methods, refit);
        }

        // [Get("/users/{id}")], [Refit.Post(...)], [GetAttribute(...)]: Refit's verbs by name.
        private static bool HasRefitVerb(MethodDeclarationSyntax method)
        {
            foreach (var list in method.AttributeLists)
            {
                foreach (var attribute in list.Attributes)
                {
                    if (RightmostName(attribute.Name) is { } name && (RefitVerbAttributes.Contains(name) || RefitVerbAttributes.Contains(name + "Attribute")))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
