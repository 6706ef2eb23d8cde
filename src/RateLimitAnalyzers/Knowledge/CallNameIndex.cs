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
using Microsoft.CodeAnalysis.Text;

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
    private readonly HashSet<string> _delegateTypes;
    private readonly Func<string, bool> _isSeed;
    private readonly NameTable _gateNames;

    // The same names as a set, to ask whether the file names read from the text (FileNames) hold a name at all.
    private readonly HashSet<string> _readNames;
    private readonly string _gatePrefix;

    // Whether a method of a name reaches a seed within so many further calls; judged on first use, by any thread.
    private readonly ConcurrentDictionary<(string Name, int Calls), bool> _reaches = new();
    private readonly ConcurrentDictionary<SyntaxNode, string[]> _bodyNames = new();
    private readonly ConditionalWeakTable<SyntaxTree, FileNames> _files = new();

    private CallNameIndex(Dictionary<string, List<SyntaxNode>> bodiesByName, HashSet<string> refitMethods, HashSet<string> delegateTypes, Func<string, bool> isSeed, IEnumerable<string> gateNames, string gatePrefix)
    {
        _bodiesByName = bodiesByName;
        _refitMethods = refitMethods;
        _delegateTypes = delegateTypes;
        _isSeed = isSeed;
        _gatePrefix = gatePrefix;
        var names = new HashSet<string>(gateNames, StringComparer.Ordinal);
        names.UnionWith(bodiesByName.Keys);
        names.UnionWith(refitMethods);
        names.UnionWith(delegateTypes);
        _readNames = names;
        _gateNames = new NameTable(names);
    }

    /// <summary>Whether a source method of this name may send or wait within <see cref="Rounds"/> calls.</summary>
    public bool IsWorthFollowing(string methodName) => Reaches(methodName, Rounds - 1);

    /// <summary>Whether a source method of this name may send or wait within so many calls (at most <see cref="Rounds"/>).</summary>
    public bool IsWorthFollowing(string methodName, int calls) => Reaches(methodName, Math.Min(calls, Rounds) - 1);

    /// <summary>Whether a method, local function or lambda body of the user's may send or wait within <see cref="Rounds"/> calls.</summary>
    public bool IsWorthFollowing(SyntaxNode body) => BodyReaches(body, Rounds - 1);

    /// <summary>Whether the compilation declares a delegate type of this name (<c>delegate Task&lt;T&gt; RetryFunc(...)</c>).</summary>
    public bool IsDelegateType(string typeName) => _delegateTypes.Contains(typeName);

    /// <summary>Whether a method of this name is declared on a Refit interface of the compilation: calling it sends a request.</summary>
    public bool IsRefitMethod(string methodName) => _refitMethods.Contains(methodName);

    /// <param name="isSeed">Whether a call of this name may send or wait by itself (<c>GetAsync</c>, <c>ExecuteAsync</c>, <c>Delay</c>).</param>
    /// <param name="refitReferenced">Whether Refit is referenced: only then are attributed interface methods Refit methods.</param>
    /// <param name="isIndexed">Whether a file's methods take part (the runtime the package emits does not: the rules know its types by symbol).</param>
    /// <param name="gateNames">Names besides the user's methods, Refit methods and delegate types that <see cref="MayCall"/> is asked about (sends, Polly's retries, <c>Func</c> and <c>Action</c>).</param>
    /// <param name="gatePrefix">A prefix of names <see cref="MayCall"/> is asked about too (<c>Execute</c>).</param>
    public static CallNameIndex Build(
        Compilation compilation, Func<string, bool> isSeed, bool refitReferenced, Func<SyntaxTree, bool> isIndexed, IEnumerable<string> gateNames, string gatePrefix, CancellationToken cancellationToken)
    {
        var bodiesByName = new Dictionary<string, List<SyntaxNode>>(StringComparer.Ordinal);
        var refitMethods = new HashSet<string>(StringComparer.Ordinal);
        var delegateTypes = new HashSet<string>(StringComparer.Ordinal);
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

            delegateTypes.UnionWith(declarations.DelegateTypes);
        }

        return new CallNameIndex(bodiesByName, refitMethods, delegateTypes, isSeed, gateNames, gatePrefix);
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
        if (!_bodyNames.TryGetValue(body, out var names))
        {
            names = _bodyNames.GetOrAdd(body, CalledNames(body));
        }

        foreach (var called in names)
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
    /// reject every other name). Read from the file's names (<see cref="FileNames"/>), found once per file in its text:
    /// every call's name is an identifier of its code, and one pass over a file's text costs a fraction of a walk over
    /// its members' nodes. Code whose text cannot be read safely is read from the syntax instead.
    /// </summary>
    public bool MayCall(SyntaxNode node, Func<string, bool> predicate, CancellationToken cancellationToken)
    {
        var file = NamesIn(node.SyntaxTree, cancellationToken);
        var span = node.Span;
        if (file.HasUnreadableIn(span))
        {
            return AnyCallIn(node, predicate);
        }

        for (var i = FileNames.FirstAtOrAfter(file.Starts, span.Start); i < file.Starts.Length && file.Starts[i] < span.End; i++)
        {
            if (predicate(file.Names[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether any code of a file may call by a name the predicate accepts (see <see cref="MayCall"/>), or holds code that
    /// must be read from the syntax: when not, no part of it can pass <see cref="MayCall"/>.
    /// </summary>
    public bool MayCallInFile(SyntaxTree tree, Func<string, bool> predicate, CancellationToken cancellationToken)
    {
        var file = NamesIn(tree, cancellationToken);
        if (file.Unreadable.Length > 0)
        {
            return true;
        }

        foreach (var name in file.Names)
        {
            if (predicate(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The calls by this name in a file: every invocation whose invoked name it is (<see cref="Operations.InvokedName"/>).
    /// For a name the index reads, they are found at the places the file's text names it (<see cref="FileNames"/>), so the
    /// file's syntax is not walked; for any other name, and in a file with code its text reader cannot read, by walking
    /// the file's syntax.
    /// </summary>
    public IEnumerable<InvocationExpressionSyntax> CallsByName(SyntaxTree tree, string name, CancellationToken cancellationToken)
    {
        var file = ReadsFromText(name) ? NamesIn(tree, cancellationToken) : null;
        if (file is null || file.HidesCallNames)
        {
            return MayNameIn(tree, name, cancellationToken)
                ? tree.GetRoot(cancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>().Where(call => Operations.InvokedName(call) == name)
                : Array.Empty<InvocationExpressionSyntax>();
        }

        if (Array.IndexOf(file.Names, name) < 0)
        {
            return Array.Empty<InvocationExpressionSyntax>();
        }

        var root = tree.GetRoot(cancellationToken);
        var calls = new List<InvocationExpressionSyntax>();
        for (var i = 0; i < file.Names.Length; i++)
        {
            if (file.Names[i] == name && CallAt(root.FindToken(file.Starts[i]), name) is { } call)
            {
                calls.Add(call);
            }
        }

        return calls;

        // The invocation a name's token is the invoked name of: Name(...), x.Name(...), x?.Name(...), with type arguments or not.
        static InvocationExpressionSyntax? CallAt(SyntaxToken token, string name)
        {
            if (token.Parent is not SimpleNameSyntax simple || simple.Identifier != token || token.ValueText != name)
            {
                return null;
            }

            ExpressionSyntax invoked = simple.Parent switch
            {
                MemberAccessExpressionSyntax member when member.Name == simple => member,
                MemberBindingExpressionSyntax binding when binding.Name == simple => binding,
                _ => simple,
            };
            return invoked.Parent is InvocationExpressionSyntax call && call.Expression == invoked ? call : null;
        }
    }

    /// <summary>
    /// The calls by this name in the given files (see <see cref="CallsByName(SyntaxTree, string, CancellationToken)"/>),
    /// looking only at the files whose text names it: which files name which name is worked out once, from the names
    /// the gate reads of every file, so a method's calls are not looked for in every file of the compilation.
    /// </summary>
    public IEnumerable<InvocationExpressionSyntax> CallsByName(IReadOnlyCollection<SyntaxTree> trees, string name, CancellationToken cancellationToken)
    {
        if (!ReadsFromText(name))
        {
            return trees.SelectMany(tree => CallsByName(tree, name, cancellationToken));
        }

        var files = FilesByName(trees, cancellationToken);
        var naming = files.ByName.TryGetValue(name, out var found) ? found : Array.Empty<SyntaxTree>();
        return naming.Concat(files.HidingNames).SelectMany(tree => CallsByName(tree, name, cancellationToken));
    }

    // Which files name each of the index's names, and which hide names from the text reader; built once per set of files.
    private FileIndex? _fileIndex;

    private FileIndex FilesByName(IReadOnlyCollection<SyntaxTree> trees, CancellationToken cancellationToken)
    {
        var known = Volatile.Read(ref _fileIndex);
        if (known is not null && known.Count == trees.Count)
        {
            return known;
        }

        var byName = new Dictionary<string, List<SyntaxTree>>(StringComparer.Ordinal);
        var hiding = new List<SyntaxTree>();
        foreach (var tree in trees)
        {
            var file = NamesIn(tree, cancellationToken);
            if (file.HidesCallNames)
            {
                hiding.Add(tree);
                continue;
            }

            foreach (var name in new HashSet<string>(file.Names, StringComparer.Ordinal))
            {
                if (!byName.TryGetValue(name, out var list))
                {
                    byName[name] = list = new List<SyntaxTree>();
                }

                list.Add(tree);
            }
        }

        var built = new FileIndex(trees.Count, byName.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal), hiding.ToArray());
        Volatile.Write(ref _fileIndex, built);
        return built;
    }

    private sealed record FileIndex(int Count, Dictionary<string, SyntaxTree[]> ByName, SyntaxTree[] HidingNames);

    // Whether the names each file's text is read for (FileNames) include this one: the gate's names, the user's methods,
    // Refit methods, and names with the gate prefix.
    private bool ReadsFromText(string name) => _readNames.Contains(name) || name.StartsWith(_gatePrefix, StringComparison.Ordinal);

    private FileNames NamesIn(SyntaxTree tree, CancellationToken cancellationToken) =>
        _files.TryGetValue(tree, out var names) ? names : _files.GetValue(tree, t => FileNames.Read(t, _gateNames, _gatePrefix, cancellationToken));

    /// <summary>
    /// The names a method body calls or creates, read from its text: never fewer than its syntax's (<see cref="CallNames"/>,
    /// which tests compare it with), sometimes more (see <see cref="CodeText"/>).
    /// </summary>
    [MethodImpl(CodeText.Optimized)]
    internal string[] CalledNames(SyntaxNode body)
    {
        var file = NamesIn(body.SyntaxTree, CancellationToken.None);
        var span = body.Span;
        if (file.NamesRuntimeSend || file.HasUnreadableIn(span))
        {
            // RateLimitedSend.Run is told from a library's own Run by its receiver, aliases and static imports included.
            return CallNames(body).ToArray();
        }

        var buffer = Buffer(span.Length);
        body.SyntaxTree.GetText().CopyTo(span.Start, buffer, 0, span.Length);
        var names = new List<string>();
        var code = new CodeText(buffer, 0, span.Length, tellCalls: true);
        while (code.Next(out var identifier))
        {
            if (identifier.Kind is IdentifierKind.Called or IdentifierKind.Created
                && s_keywords.Find(buffer, identifier.Start, identifier.Length) is null
                && (_gateNames.Find(buffer, identifier.Start, identifier.Length) ?? new string(buffer, identifier.Start, identifier.Length)) is var name
                && !names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names.ToArray();
    }

    // Keywords an argument list can follow (`if (`, `typeof(`): no call's name (`nameof(x)` is, to the syntax, a call).
    private static readonly NameTable s_keywords = new(new[]
    {
        "if", "for", "foreach", "while", "switch", "using", "lock", "catch", "when", "return", "typeof", "sizeof",
        "default", "checked", "unchecked", "fixed", "await", "throw", "in", "is", "and", "or", "not", "var", "base", "this", "new",
    });

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

    private static bool IsIdentifierPart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or (>= '0' and <= '9');

    private static char[] Buffer(int length)
    {
        var buffer = s_buffer;
        if (buffer is null || buffer.Length < length)
        {
            s_buffer = buffer = new char[Math.Max(length, 4096)];
        }

        return buffer;
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

        // Most identifiers of a file are no name of the table: their length and first letter turn them away unhashed.
        private readonly bool[] _firstLetters = new bool[128];
        private ulong _lengths;

        public NameTable(IEnumerable<string> names)
        {
            foreach (var name in names)
            {
                if (name.Length == 0)
                {
                    continue;
                }

                _lengths |= 1UL << Math.Min(name.Length, 63);
                if (name[0] < 128)
                {
                    _firstLetters[name[0]] = true;
                }

                var hash = Hash(name.ToCharArray(), 0, name.Length);
                _byHash[hash] = _byHash.TryGetValue(hash, out var same) ? same.Concat(new[] { name }).ToArray() : new[] { name };
            }
        }

        [MethodImpl(CodeText.Optimized)]
        public string? Find(char[] buffer, int start, int length)
        {
            if ((_lengths & (1UL << Math.Min(length, 63))) == 0 || buffer[start] >= 128 || !_firstLetters[buffer[start]] || !_byHash.TryGetValue(Hash(buffer, start, length), out var candidates))
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

        [MethodImpl(CodeText.Optimized)]
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

    /// <summary>
    /// The names of one file the gate is asked about, where they stand in its code (comments and literals left out), read
    /// in one pass over its text; and where its text cannot be read safely.
    /// </summary>
    private sealed class FileNames
    {
        private FileNames(int[] starts, string[] names, int[] unreadable, bool namesRuntimeSend, bool hidesCallNames)
        {
            Starts = starts;
            Names = names;
            Unreadable = unreadable;
            NamesRuntimeSend = namesRuntimeSend;
            HidesCallNames = hidesCallNames;
        }

        /// <summary>Where each name stands, in order.</summary>
        public int[] Starts { get; }

        public string[] Names { get; }

        /// <summary>Where code stands that must be read from the syntax (see <see cref="IdentifierKind.Unreadable"/>).</summary>
        public int[] Unreadable { get; }

        /// <summary>Whether the file names the runtime's <c>RateLimitedSend</c>, whose calls are told apart by their receiver.</summary>
        public bool NamesRuntimeSend { get; }

        /// <summary>
        /// Whether some of the code the text reader could not read may hide a call's name: an identifier (non-ASCII letters,
        /// a unicode escape). A target-typed <c>new()</c> hides the type it creates, never the name of a call.
        /// </summary>
        public bool HidesCallNames { get; }

        [MethodImpl(CodeText.Optimized)]
        public static FileNames Read(SyntaxTree tree, NameTable gateNames, string gatePrefix, CancellationToken cancellationToken)
        {
            var text = tree.GetText(cancellationToken);
            var buffer = Buffer(text.Length);
            text.CopyTo(0, buffer, 0, text.Length);
            List<int>? starts = null;
            List<string>? names = null;
            List<int>? unreadable = null;
            var namesRuntimeSend = false;
            var code = new CodeText(buffer, 0, text.Length, tellCalls: false);
            while (code.Next(out var identifier))
            {
                if (identifier.Kind == IdentifierKind.Unreadable)
                {
                    (unreadable ??= new List<int>()).Add(identifier.Start);
                    continue;
                }

                var name = gateNames.Find(buffer, identifier.Start, identifier.Length)
                    ?? (StartsWith(buffer, identifier.Start, identifier.Length, gatePrefix) ? new string(buffer, identifier.Start, identifier.Length) : null);
                if (name is not null)
                {
                    (starts ??= new List<int>()).Add(identifier.Start);
                    (names ??= new List<string>()).Add(name);
                }

                namesRuntimeSend |= identifier.Length == RuntimeSendType.Length && StartsWith(buffer, identifier.Start, identifier.Length, RuntimeSendType);
            }

            var startArray = starts?.ToArray() ?? Array.Empty<int>();
            var nameArray = names?.ToArray() ?? Array.Empty<string>();
            var unreadableArray = unreadable?.ToArray() ?? Array.Empty<int>();

            // In order, but for a literal left open at the end of the file, whose text is then read again as code.
            Array.Sort(startArray, nameArray);
            Array.Sort(unreadableArray);
            var hidesCallNames = false;
            foreach (var at in unreadableArray)
            {
                var isNew = at + 3 < text.Length && buffer[at] == 'n' && buffer[at + 1] == 'e' && buffer[at + 2] == 'w'
                    && buffer[at + 3] is not ('\\' or > (char)127) && !IsIdentifierPart(buffer[at + 3]);
                if (!isNew)
                {
                    hidesCallNames = true;
                    break;
                }
            }

            return new FileNames(startArray, nameArray, unreadableArray, namesRuntimeSend, hidesCallNames);
        }

        public bool HasUnreadableIn(TextSpan span)
        {
            var i = FirstAtOrAfter(Unreadable, span.Start);
            return i < Unreadable.Length && Unreadable[i] < span.End;
        }

        /// <summary>The index of the first place at or after <paramref name="position"/> (the length when none is).</summary>
        public static int FirstAtOrAfter(int[] places, int position)
        {
            int low = 0, high = places.Length;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (places[middle] < position)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }
    }

    /// <summary>One file's methods with bodies and its Refit interface methods, read from member declarations only.</summary>
    private sealed class TreeDeclarations
    {
        private TreeDeclarations(List<(string Name, SyntaxNode Body)> methods, List<string> refitMethods, List<string> delegateTypes)
        {
            Methods = methods;
            RefitMethods = refitMethods;
            DelegateTypes = delegateTypes;
        }

        public List<(string Name, SyntaxNode Body)> Methods { get; }

        public List<string> RefitMethods { get; }

        public List<string> DelegateTypes { get; }

        public static TreeDeclarations Read(SyntaxTree tree, CancellationToken cancellationToken)
        {
            var methods = new List<(string, SyntaxNode)>();
            var refit = new List<string>();
            var delegates = new List<string>();
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
                        case DelegateDeclarationSyntax @delegate:
                            delegates.Add(@delegate.Identifier.ValueText);
                            break;
                    }
                }
            }

            return new TreeDeclarations(methods, refit, delegates);
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
