using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace RateLimitAnalyzers.Knowledge.Endpoints;

/// <summary>
/// The effective catalog: built-in entries, with user entries added and replacing built-ins that have the same
/// method set, host and path shape. Answers "which quota-limited endpoint does this request target?".
/// </summary>
internal sealed class EndpointCatalog
{
    private static readonly Lazy<EndpointCatalog> s_default = new(() => Create(BuiltInEndpoints.Entries, []));

    private readonly Dictionary<string, ImmutableArray<Candidate>> _byHost;
    private readonly ImmutableArray<Candidate> _wildcardHosts;
    private readonly ImmutableArray<Candidate> _distinctive;

    private EndpointCatalog(ImmutableArray<CatalogEntry> entries)
    {
        Entries = entries;
        var candidates = entries.Select((e, i) => new Candidate(e, i)).ToImmutableArray();
        _byHost = candidates.Where(c => !IsWildcardHost(c.Entry.Host))
            .GroupBy(c => c.Entry.Host, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
        _wildcardHosts = candidates.Where(c => IsWildcardHost(c.Entry.Host)).ToImmutableArray();
        _distinctive = candidates.Where(c => c.Entry.IsDistinctive).ToImmutableArray();
    }

    /// <summary>The built-in entries alone, parsed once per process.</summary>
    internal static EndpointCatalog Default => s_default.Value;

    internal ImmutableArray<CatalogEntry> Entries { get; }

    /// <summary>
    /// Combines built-ins with user entries (in file order, files sorted by path). A user entry with the same
    /// <see cref="CatalogEntry.Identity"/> as a built-in replaces it; among user entries the later one wins.
    /// </summary>
    internal static EndpointCatalog Create(ImmutableArray<CatalogEntry> builtIns, IEnumerable<CatalogEntry> userEntries)
    {
        var byIdentity = new Dictionary<string, int>(StringComparer.Ordinal);
        var ordered = new List<CatalogEntry?>();
        foreach (var entry in builtIns.Concat(userEntries))
        {
            if (byIdentity.TryGetValue(entry.Identity, out var existing))
            {
                ordered[existing] = null;
            }

            byIdentity[entry.Identity] = ordered.Count;
            ordered.Add(entry);
        }

        return new EndpointCatalog(ordered.Where(e => e is not null).ToImmutableArray()!);
    }

    /// <summary>
    /// Finds the entry a request targets. <paramref name="httpMethod"/> null means the method is not known and
    /// any entry's methods match. <paramref name="host"/> null means only a relative path is known: then only
    /// entries marked distinctive match, and none if two distinctive entries on different hosts match equally well.
    /// Query strings, fragments, trailing slashes and ports are ignored; the most specific entry wins.
    /// </summary>
    /// <returns>False, with <paramref name="entry"/> null, when no entry matches.</returns>
    internal bool TryMatch(string? httpMethod, string? host, string path, out CatalogEntry entry)
    {
        entry = null!;
        if (path.IndexOf("://", StringComparison.Ordinal) >= 0)
        {
            return TryMatchUrl(httpMethod, path, out entry);
        }

        var segments = SplitPath(path);
        var method = string.IsNullOrWhiteSpace(httpMethod) ? null : httpMethod!.Trim().ToUpperInvariant();
        var normalizedHost = NormalizeHost(host);
        if (normalizedHost is null)
        {
            return TryPickBest(_distinctive, method, segments, hostExact: false, rejectTiesAcrossHosts: true, out entry);
        }

        if (_byHost.TryGetValue(normalizedHost, out var exact) && TryPickBest(exact, method, segments, hostExact: true, rejectTiesAcrossHosts: false, out entry))
        {
            return true;
        }

        var wildcards = _wildcardHosts.Where(c => WildcardHostMatches(c.Entry.Host, normalizedHost));
        return TryPickBest(wildcards, method, segments, hostExact: false, rejectTiesAcrossHosts: false, out entry);
    }

    /// <summary>Like <see cref="TryMatch"/> for a whole URL: absolute (<c>https://host/path?q</c>), protocol-relative or relative.</summary>
    internal bool TryMatchUrl(string? httpMethod, string url, out CatalogEntry entry)
    {
        var text = url.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        int authorityStart;
        if (schemeEnd >= 0)
        {
            authorityStart = schemeEnd + 3;
        }
        else if (text.StartsWith("//", StringComparison.Ordinal))
        {
            authorityStart = 2;
        }
        else
        {
            return TryMatch(httpMethod, null, text, out entry);
        }

        var authorityEnd = text.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = text.Length;
        }

        var authority = text.Substring(authorityStart, authorityEnd - authorityStart);
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority = authority.Substring(at + 1);
        }

        var path = text.Substring(authorityEnd);
        if (authority.Length == 0)
        {
            return TryMatch(httpMethod, null, path, out entry);
        }

        return TryMatch(httpMethod, authority, path.Length == 0 ? "/" : path, out entry);
    }

    /// <summary>The entry with this pacer key, if any.</summary>
    internal CatalogEntry? FindByKey(string key) => Entries.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.Ordinal));

    private static bool TryPickBest(IEnumerable<Candidate> candidates, string? method, List<string> segments, bool hostExact, bool rejectTiesAcrossHosts, out CatalogEntry entry)
    {
        entry = null!;
        var matches = candidates
            .Where(c => MethodMatches(c.Entry, method) && c.Entry.Path.Matches(segments))
            .Select(c => (Candidate: c, Score: new Specificity(hostExact && !IsWildcardHost(c.Entry.Host), c.Entry, method)))
            .ToList();
        if (matches.Count == 0)
        {
            return false;
        }

        var bestScore = matches.Max(m => m.Score);
        var best = matches.Where(m => m.Score.CompareTo(bestScore) == 0).Select(m => m.Candidate).OrderByDescending(c => c.Index).First();

        // A relative path that two APIs both use says nothing about which one is called, even when one of
        // them is a user entry.
        if (rejectTiesAcrossHosts && matches.Any(m => m.Score.CompareIgnoringOrigin(bestScore) == 0 && !string.Equals(m.Candidate.Entry.Host, best.Entry.Host, StringComparison.Ordinal)))
        {
            return false;
        }

        entry = best.Entry;
        return true;
    }

    private static bool MethodMatches(CatalogEntry entry, string? method) =>
        method is null || entry.AllowsAnyMethod || entry.Methods.Contains(method);

    private static List<string> SplitPath(string path)
    {
        var end = path.IndexOfAny(['?', '#']);
        var pathOnly = end < 0 ? path : path.Substring(0, end);

        // Empty segments (leading, trailing or doubled slashes) carry no meaning for matching.
        return pathOnly.Split('/').Where(s => s.Length > 0).ToList();
    }

    /// <summary>Lower case, without port or trailing dot; null when unknown or an unresolved interpolation hole.</summary>
    private static string? NormalizeHost(string? host)
    {
        if (host is null)
        {
            return null;
        }

        var h = host.Trim();
        if (h.Length == 0 || h.IndexOf('{') >= 0)
        {
            return null;
        }

        var colon = h.LastIndexOf(':');
        if (colon >= 0 && h.IndexOf(']') < colon)
        {
            h = h.Substring(0, colon);
        }

        return h.TrimEnd('.').ToLowerInvariant();
    }

    private static bool IsWildcardHost(string host) => host.StartsWith("*.", StringComparison.Ordinal);

    private static bool WildcardHostMatches(string pattern, string host) =>
        host.EndsWith(pattern.Substring(1), StringComparison.Ordinal) && host.Length > pattern.Length - 1;

    // A class: the LINQ over candidates would otherwise be compiled by the JIT for this type in every build.
    private sealed class Candidate
    {
        internal Candidate(CatalogEntry entry, int index)
        {
            Entry = entry;
            Index = index;
        }

        internal CatalogEntry Entry { get; }

        /// <summary>Position in the catalog; later (user) entries win exact ties.</summary>
        internal int Index { get; }
    }

    /// <summary>Most specific first: exact host, more literal segments, more parameters, no trailing '*', listed method, user entry.</summary>
    private readonly struct Specificity : IComparable<Specificity>
    {
        private readonly int _hostExact;
        private readonly int _literals;
        private readonly int _parameters;
        private readonly int _noWildcard;
        private readonly int _methodListed;
        private readonly int _user;

        internal Specificity(bool hostExact, CatalogEntry entry, string? method)
        {
            _hostExact = hostExact ? 1 : 0;
            _literals = entry.Path.LiteralCount;
            _parameters = entry.Path.ParameterCount;
            _noWildcard = entry.Path.EndsWithWildcard ? 0 : 1;
            _methodListed = method is not null && !entry.AllowsAnyMethod ? 1 : 0;
            _user = entry.Origin == CatalogEntryOrigin.User ? 1 : 0;
        }

        public int CompareTo(Specificity other)
        {
            var c = CompareIgnoringOrigin(other);
            return c != 0 ? c : _user.CompareTo(other._user);
        }

        internal int CompareIgnoringOrigin(Specificity other)
        {
            return
                _hostExact != other._hostExact ? _hostExact.CompareTo(other._hostExact) :
                _literals != other._literals ? _literals.CompareTo(other._literals) :
                _parameters != other._parameters ? _parameters.CompareTo(other._parameters) :
                _noWildcard != other._noWildcard ? _noWildcard.CompareTo(other._noWildcard) :
                _methodListed.CompareTo(other._methodListed);
        }
    }
}
