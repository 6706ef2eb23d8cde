using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace RateLimitAnalyzers.CodeFixes;

/// <summary>
/// One fix pass over a document, for one diagnostic or a Fix All's many: every edit goes through one
/// <see cref="DocumentEditor"/>, and the pass ends once, writing what the edits share (the pacing fields and handlers),
/// adding the runtime's <c>using</c> where the code needs it, then simplifying and formatting what the fixes annotated.
/// </summary>
internal sealed class FixPass
{
    private readonly HashSet<SyntaxNode> _claimed = new HashSet<SyntaxNode>();
    private PacingCode? _pacing;
    private RetryCode.Writer? _retry;

    private FixPass(Document document, DocumentEditor editor, SemanticModel model, SyntaxNode root, CancellationToken cancellationToken)
    {
        Document = document;
        Editor = editor;
        Model = model;
        Root = root;
        CancellationToken = cancellationToken;
    }

    public Document Document { get; }

    public DocumentEditor Editor { get; }

    public SemanticModel Model { get; }

    /// <summary>The document's root before the pass: diagnostics locate their nodes here, and the editor tracks them.</summary>
    public SyntaxNode Root { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>The names the pass gave new members, so two fixes of one pass do not give the same one.</summary>
    public HashSet<string> NamesTaken { get; } = new HashSet<string>();

    /// <summary>Whether this is the first fix of the pass to edit <paramref name="node"/>: two diagnostics on one call rewrite it once.</summary>
    public bool Claim(SyntaxNode node) => _claimed.Add(node);

    /// <summary>The pacing fields and client handlers of the pass (RL0001, RL0002, RL0005, RL0008).</summary>
    public PacingCode Pacing => _pacing ??= new PacingCode(Editor, Model, Root, PacingCode.MaxLineLength(Document, Root.SyntaxTree), PacingCode.VarForApparentTypes(Document, Root.SyntaxTree));

    /// <summary>The retry loops' rewrites of the pass (RL0003, RL0004).</summary>
    public RetryCode.Writer Retry => _retry ??= new RetryCode.Writer(Editor, Model, Root);

    /// <summary>
    /// RL0001, RL0005 and RL0008 beside RL0002: when the diagnostic names the client RL0002's fix gives a rate-limit
    /// handler, the same edit, so that the requests are paced once, by the client, whichever fix runs first.
    /// </summary>
    public bool PaceThroughClient(Diagnostic diagnostic)
    {
        if (PacingCode.ClientTarget(Root, diagnostic) is not { } client)
        {
            return false;
        }

        Pacing.GiveClient(client, Pacing.Policy(diagnostic, client));
        return true;
    }

    /// <summary>The pass over the document; null when it cannot be analysed, or the fix needs the runtime and the project has none.</summary>
    public static async Task<FixPass?> CreateAsync(Document document, bool callsRuntime, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || callsRuntime && !RuntimeCode.IsAvailable(document, model.Compilation))
        {
            return null;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        return new FixPass(document, editor, model, root, cancellationToken);
    }

    /// <summary>The edited document: the shared edits made, the runtime imported where needed, annotated code simplified and formatted.</summary>
    public async Task<Document> FinishAsync()
    {
        _pacing?.WriteSharedEdits();
        if ((_pacing?.NeedsImport == true || _retry?.NeedsImport == true) && Editor.OriginalRoot is CompilationUnitSyntax)
        {
            // Last, over the unit with every other edit made: whether the code needs the import is known only now.
            Editor.ReplaceNode(Editor.OriginalRoot, (unit, _) => RuntimeCode.AddImport((CompilationUnitSyntax)unit));
        }

        var document = Document.WithSyntaxRoot(Editor.GetChangedRoot());
        document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: CancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: CancellationToken).ConfigureAwait(false);
    }
}
