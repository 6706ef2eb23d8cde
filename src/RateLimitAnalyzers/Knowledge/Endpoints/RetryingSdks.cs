using System;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace RateLimitAnalyzers.Knowledge.Endpoints;

/// <summary>An official SDK that retries throttled requests by itself, as BuiltInRetryingSdks.txt lists it.</summary>
internal sealed record RetryingSdk(string Name, ImmutableArray<string> Namespaces, string Retries, ImmutableArray<string> Sources, DateTime CheckedOn);

/// <summary>
/// The SDKs the package ships knowledge of (BuiltInRetryingSdks.txt, embedded in this assembly), parsed once per
/// process. Data, not code: adding an SDK is one line with its documentation.
/// </summary>
internal static class BuiltInRetryingSdks
{
    internal const string ResourceName = "RateLimitAnalyzers.Knowledge.Endpoints.BuiltInRetryingSdks.txt";

    private static readonly Lazy<(ImmutableArray<RetryingSdk> Sdks, ImmutableArray<string> Errors)> s_parsed = new(() => Parse(ReadText()));

    internal static ImmutableArray<RetryingSdk> Sdks => s_parsed.Value.Sdks;

    /// <summary>Lines that do not read, for the test that keeps the shipped file clean; a bad line is skipped, never thrown on.</summary>
    internal static ImmutableArray<string> Errors => s_parsed.Value.Errors;

    internal static string ReadText()
    {
        using var stream = typeof(BuiltInRetryingSdks).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("The built-in SDK list resource '" + ResourceName + "' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary><c>name | namespaces | what it retries | sources | checked</c>, one SDK a line; <c>#</c> starts a comment line.</summary>
    internal static (ImmutableArray<RetryingSdk> Sdks, ImmutableArray<string> Errors) Parse(string text)
    {
        var sdks = ImmutableArray.CreateBuilder<RetryingSdk>();
        var errors = ImmutableArray.CreateBuilder<string>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var columns = line.Split('|').Select(c => c.Trim()).ToArray();
            var namespaces = columns.Length == 5 ? columns[1].Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).ToImmutableArray() : ImmutableArray<string>.Empty;
            var sources = columns.Length == 5 ? columns[3].Split([' '], StringSplitOptions.RemoveEmptyEntries).ToImmutableArray() : ImmutableArray<string>.Empty;
            if (columns.Length != 5 || columns[0].Length == 0 || namespaces.IsEmpty || columns[2].Length == 0
                || sources.IsEmpty || !sources.All(s => s.StartsWith("https://", StringComparison.Ordinal))
                || !DateTime.TryParseExact(columns[4], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var checkedOn))
            {
                errors.Add("line " + (i + 1).ToString(CultureInfo.InvariantCulture) + ": expected 'name | namespaces | what it retries | https:// sources | yyyy-MM-dd'");
                continue;
            }

            sdks.Add(new RetryingSdk(columns[0], namespaces, columns[2], sources, checkedOn));
        }

        return (sdks.ToImmutable(), errors.ToImmutable());
    }
}

/// <summary>
/// Which requests of a compilation go through a retrying SDK's client types: a send written inside one of the SDK's
/// types (its source compiled in), or through a client the SDK hands out (a client-typed member of an SDK type, a
/// client an SDK factory returns, a local set from either). Made once per compilation, next to its <see cref="HttpKnowledge"/>.
/// </summary>
internal sealed class RetryingSdkClients
{
    private static readonly ConditionalWeakTable<HttpKnowledge, RetryingSdkClients> s_byKnowledge = new();

    // Only the listed namespaces the compilation can see; most compilations reference none and answer at once.
    private readonly ImmutableArray<string> _namespaces;

    private RetryingSdkClients(Compilation compilation, ImmutableArray<RetryingSdk> sdks)
    {
        _namespaces = sdks.SelectMany(s => s.Namespaces).Where(n => Exists(compilation.GlobalNamespace, n)).ToImmutableArray();
    }

    internal static RetryingSdkClients For(HttpKnowledge knowledge, Compilation compilation) =>
        s_byKnowledge.GetValue(knowledge, _ => new RetryingSdkClients(compilation, BuiltInRetryingSdks.Sdks));

    /// <summary>Whether <paramref name="send"/> is made through a listed SDK, whose own retry covers a throttled answer.</summary>
    internal bool Covers(IInvocationOperation send, CancellationToken cancellationToken)
    {
        if (_namespaces.IsEmpty)
        {
            return false;
        }

        if (send.SemanticModel?.GetEnclosingSymbol(send.Syntax.SpanStart, cancellationToken) is { } enclosing && IsInSdk(enclosing))
        {
            return true;
        }

        var receiver = send.Instance ?? (send.TargetMethod.IsExtensionMethod && send.Arguments.Length > 0 ? send.Arguments[0].Value : null);
        return receiver is not null && ComesFromSdk(UrlText.SkipConversions(receiver), followLocal: true, cancellationToken);
    }

    private bool ComesFromSdk(IOperation client, bool followLocal, CancellationToken cancellationToken) => client switch
    {
        _ when client.Type is { } type && IsInSdk(type) => true,
        IInvocationOperation factory => IsInSdk(factory.TargetMethod),
        IPropertyReferenceOperation property => IsInSdk(property.Property),
        IFieldReferenceOperation field => IsInSdk(field.Field),

        // One step back, to the local's initializer: var client = GraphClientFactory.Create(...);
        ILocalReferenceOperation local when followLocal => InitializerOf(local, cancellationToken) is { } value && ComesFromSdk(UrlText.SkipConversions(value), followLocal: false, cancellationToken),
        _ => false,
    };

    private static IOperation? InitializerOf(ILocalReferenceOperation local, CancellationToken cancellationToken)
    {
        var declarator = local.Local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as VariableDeclaratorSyntax;
        return declarator?.Initializer?.Value is { } value && local.SemanticModel is { } model && model.SyntaxTree == value.SyntaxTree
            ? model.GetOperation(value, cancellationToken)
            : null;
    }

    private bool IsInSdk(ISymbol symbol)
    {
        var name = symbol.ContainingNamespace?.ToDisplayString();
        return name is not null && _namespaces.Any(n => name == n || name.StartsWith(n + ".", StringComparison.Ordinal));
    }

    private static bool Exists(INamespaceSymbol global, string name)
    {
        INamespaceSymbol? current = global;
        foreach (var part in name.Split('.'))
        {
            current = current?.GetNamespaceMembers().FirstOrDefault(n => n.Name == part);
        }

        return current is not null;
    }
}
