using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RateLimitAnalyzers.Knowledge.Endpoints;

namespace RateLimitAnalyzers.Configuration;

/// <summary>
/// The package's own .editorconfig keys, read once per syntax tree through this one type. A value that
/// cannot be read falls back to its default and is remembered as a <see cref="ConfigurationProblem"/>.
/// </summary>
internal sealed class RateLimitOptions
{
    public const string PacingMethodsKey = "rate_limit_analyzers.pacing_methods";
    public const string DefaultQuotaKey = "rate_limit_analyzers.default_quota";
    public const string ReportUnseenClientsKey = "rate_limit_analyzers.report_unseen_clients";

    // One request per second: Agora's Standard plan for call/lists, the lowest documented plan among the
    // APIs this package was designed from. A fix for an endpoint we know nothing about should err slow.
    private const string DefaultQuotaText = "1/1s";

    private static readonly ImmutableArray<QuotaWindowInfo> s_defaultQuota = ParseBuiltInDefault();

    private static readonly char[] s_listSeparators = { ',', ';' };

    private RateLimitOptions(ImmutableArray<string> pacingMethods, ImmutableArray<QuotaWindowInfo> defaultQuota, bool reportUnseenClients, ImmutableArray<ConfigurationProblem> problems)
    {
        PacingMethods = pacingMethods;
        DefaultQuota = defaultQuota;
        ReportUnseenClients = reportUnseenClients;
        Problems = problems;
    }

    public static RateLimitOptions Defaults { get; } = new(ImmutableArray<string>.Empty, s_defaultQuota, reportUnseenClients: false, ImmutableArray<ConfigurationProblem>.Empty);

    /// <summary>Methods the user declared as pacing, as <c>Namespace.Type.Method</c> or <c>M:Namespace.Type.Method</c>.</summary>
    public ImmutableArray<string> PacingMethods { get; }

    /// <summary>The quota a fix writes when the endpoint is not in the catalog.</summary>
    public ImmutableArray<QuotaWindowInfo> DefaultQuota { get; }

    /// <summary>
    /// RL0002's strict mode: also report calls through a client whose making the compilation does not show (a
    /// parameter, a factory without a visible registration). Off by default: such a client may well retry.
    /// </summary>
    public bool ReportUnseenClients { get; }

    public ImmutableArray<ConfigurationProblem> Problems { get; }

    public static RateLimitOptions Read(AnalyzerConfigOptions options)
    {
        var problems = ImmutableArray.CreateBuilder<ConfigurationProblem>();

        var pacingMethods = ImmutableArray<string>.Empty;
        if (options.TryGetValue(PacingMethodsKey, out var methodsText) && !string.IsNullOrWhiteSpace(methodsText))
        {
            var names = methodsText.Split(s_listSeparators, StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim()).Where(n => n.Length > 0).ToImmutableArray();
            var bad = names.FirstOrDefault(n => !IsMethodName(n));
            if (bad is not null)
            {
                problems.Add(new ConfigurationProblem(PacingMethodsKey, methodsText, "'" + bad + "' is not a method name; expected Namespace.Type.Method or M:Namespace.Type.Method, comma-separated"));
            }

            pacingMethods = names.Where(IsMethodName).ToImmutableArray();
        }

        var quota = s_defaultQuota;
        if (options.TryGetValue(DefaultQuotaKey, out var quotaText) && !string.IsNullOrWhiteSpace(quotaText))
        {
            if (QuotaText.TryParse(quotaText, out var parsed, out var error))
            {
                quota = parsed;
            }
            else
            {
                problems.Add(new ConfigurationProblem(DefaultQuotaKey, quotaText, error + "; using " + DefaultQuotaText));
            }
        }

        var reportUnseenClients = false;
        if (options.TryGetValue(ReportUnseenClientsKey, out var strictText) && !string.IsNullOrWhiteSpace(strictText))
        {
            if (!bool.TryParse(strictText.Trim(), out reportUnseenClients))
            {
                problems.Add(new ConfigurationProblem(ReportUnseenClientsKey, strictText, "expected 'true' or 'false'; using false"));
            }
        }

        if (pacingMethods.IsEmpty && quota == s_defaultQuota && !reportUnseenClients && problems.Count == 0)
        {
            return Defaults;
        }

        return new RateLimitOptions(pacingMethods, quota, reportUnseenClients, problems.ToImmutable());
    }

    /// <summary>The simple names (<c>WaitAsync</c>) of the methods the user listed as pacing.</summary>
    public System.Collections.Generic.IEnumerable<string> PacingMethodNames()
    {
        foreach (var name in PacingMethods)
        {
            var qualified = name.StartsWith("M:", StringComparison.Ordinal) ? name.Substring(2) : name;
            var paren = qualified.IndexOf('(');
            qualified = paren < 0 ? qualified : qualified.Substring(0, paren);
            var simple = qualified.Substring(qualified.LastIndexOf('.') + 1);
            var generic = simple.IndexOf('`');
            yield return generic < 0 ? simple : simple.Substring(0, generic);
        }
    }

    /// <summary>Whether the user listed <paramref name="method"/> as pacing.</summary>
    public bool IsPacingMethod(IMethodSymbol method)
    {
        if (PacingMethods.IsEmpty)
        {
            return false;
        }

        var original = method.ReducedFrom ?? method.OriginalDefinition;
        var qualified = original.ContainingType?.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None)) + "." + original.Name;
        var documentationId = original.GetDocumentationCommentId();
        foreach (var name in PacingMethods)
        {
            if (name.StartsWith("M:", StringComparison.Ordinal))
            {
                if (documentationId is not null && (documentationId == name || documentationId.StartsWith(name + "(", StringComparison.Ordinal) || documentationId.StartsWith(name + "``", StringComparison.Ordinal)))
                {
                    return true;
                }
            }
            else if (string.Equals(qualified, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsMethodName(string name)
    {
        var text = name.StartsWith("M:", StringComparison.Ordinal) ? name.Substring(2) : name;
        var paren = text.IndexOf('(');
        if (paren >= 0)
        {
            text = text.Substring(0, paren);
        }

        var parts = text.Split('.');
        return parts.Length >= 2 && parts.All(p => p.Length > 0 && (char.IsLetter(p[0]) || p[0] == '_') && p.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '`'));
    }

    private static ImmutableArray<QuotaWindowInfo> ParseBuiltInDefault()
    {
        // A constant that a test reads back; an analyzer must not throw even if it were broken, so it would fall back
        // to no quota, and the fix to writing none.
        return QuotaText.TryParse(DefaultQuotaText, out var windows, out _) ? windows : ImmutableArray<QuotaWindowInfo>.Empty;
    }
}

/// <summary>A configuration value that could not be read; reported as RL9001.</summary>
internal readonly record struct ConfigurationProblem(string Key, string Value, string Expected);

/// <summary>Per-compilation cache of options per syntax tree.</summary>
internal sealed class RateLimitOptionsCache
{
    private readonly AnalyzerConfigOptionsProvider _provider;
    private readonly ConcurrentDictionary<SyntaxTree, RateLimitOptions> _byTree = new();

    public RateLimitOptionsCache(AnalyzerConfigOptionsProvider provider) => _provider = provider;

    /// <summary>The options the settings are read from: what results made from them are kept against.</summary>
    public AnalyzerConfigOptionsProvider Provider => _provider;

    public RateLimitOptions For(SyntaxTree tree) => _byTree.GetOrAdd(tree, t => RateLimitOptions.Read(_provider.GetOptions(t)));


}
