using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// Every fix applied to consumer code written the way people write HTTP code, in several orders, and the result run
/// against emulated APIs: each request must be sent once and take exactly one turn under its API's key (not two, as
/// when a loop's pacer and its client's handler both pace it), and a request to an API the catalog does not know must
/// take none. Turns are counted where the runtime takes them, on the pacers it shares under each key, so the run is
/// the same on a loaded machine as on a quiet one.
/// </summary>
public sealed class ComposedFixesRunTests
{
    private const string Namespace = "Consumer";

    /// <summary>Every day's Agora call list requested at once (RL0005), through a client made here (RL0002).</summary>
    private const string AgoraFanOut = "using System.Linq;\n" + FixCompositionTests.Usings + """
        public sealed class DayPage
        {
            public List<string> Calls { get; set; } = new();
        }

        public sealed class DailyCalls
        {
            private static readonly HttpClient s_agora = new HttpClient();

            public async Task<int> CountAsync(IReadOnlyList<string> days, CancellationToken cancellationToken)
            {
                var pages = await Task.WhenAll(days.Select(async day =>
                    await s_agora.GetFromJsonAsync<DayPage>("https://api.agora.io/beta/analytics/call/lists?day=" + day, cancellationToken)));
                return pages.Sum(p => p?.Calls.Count ?? 0);
            }
        }
        """;

    /// <summary>
    /// A paging loop over GitHub through a client made here (RL0001 and RL0002 on the same requests), one client for
    /// Archiva (in a loop), GitHub and an uncatalogued quotes API, a paging loop over Agora through a client made
    /// elsewhere, and a fan-out over Agora through a client made here (RL0005 and RL0002).
    /// </summary>
    private static readonly (string Path, string Source)[] s_consumer =
    {
        ("/0/GitHubIssues.cs", FixCompositionTests.GitHubIssues),
        ("/0/SharedClient.cs", FixCompositionTests.SharedClient),
        ("/0/AgoraExport.cs", FixCompositionTests.AgoraExport),
        ("/0/AgoraFanOut.cs", AgoraFanOut),
    };

    // The quota keys of the catalog's entries for these APIs: every fix must pace each API's requests under its own.
    private const string GitHubKey = "api.github.com/*";
    private const string ArchivaKey = "api.archiva.app/api/ingest/event";
    private const string AgoraKey = "api.agora.io/beta/analytics/call/lists";

    private static readonly ConcurrentDictionary<(string Order, bool ReportUnseenClients), Lazy<Task<Project>>> s_fixed = new();

    /// <summary>
    /// Each rule's Fix All in turn, as <c>dotnet format analyzers --diagnostics</c> applies them, in rule order and in
    /// reverse: the fix that runs second must see what the first did and add nothing that paces the same requests again.
    /// With <c>report_unseen_clients</c>, RL0002 also reports the Agora loop's client made elsewhere.
    /// </summary>
    [Theory]
    [InlineData("ascending", false)]
    [InlineData("descending", false)]
    [InlineData("ascending", true)]
    [InlineData("descending", true)]
    public async Task Each_request_of_a_loop_or_a_shared_client_is_sent_once_after_one_turn_under_its_APIs_key(string order, bool reportUnseenClients)
    {
        var after = await FixedAsync(order, reportUnseenClients);
        var record = new RequestRecord();
        using var apis = await EmulatedApis.LoadAsync(after, Namespace, (request, _) => Task.FromResult(Respond(request, record)));
        using var pacers = new RecordedPacers(apis.Assembly, record, new[] { GitHubKey, ArchivaKey, AgoraKey });

        // One after another, so each request's turns are the ones taken since the request before it.
        var issues = await EmulatedApis.CallAsync(apis.Create(Namespace + ".IssueExporter"), "ExportAsync", "octo", "hello", CancellationToken.None);
        var shipper = apis.Create(Namespace + ".EventShipper");
        await EmulatedApis.CallAsync(shipper, "ShipAsync", new object[] { "a", "b", "c" }, CancellationToken.None);
        await EmulatedApis.CallAsync(shipper, "RepositoryAsync", "octo", "hello", CancellationToken.None);
        await EmulatedApis.CallAsync(shipper, "QuoteAsync", "MSFT", CancellationToken.None);
        var calls = await EmulatedApis.CallAsync(apis.Create(Namespace + ".CallListExport", apis.CreateClient(Namespace)), "CountAsync", CancellationToken.None);
        Assert.Equal(6, ((System.Collections.ICollection)issues!).Count);
        Assert.Equal(4, calls);

        var expected = new (string Request, string? Key)[]
        {
            ("GET https://api.github.com/repos/octo/hello/issues?per_page=100&page=1", GitHubKey),
            ("GET https://api.github.com/repos/octo/hello/issues?per_page=100&page=2", GitHubKey),
            ("GET https://api.github.com/repos/octo/hello/issues?per_page=100&page=3", GitHubKey),
            ("GET https://api.github.com/repos/octo/hello/issues?per_page=100&page=4", GitHubKey),
            ("POST https://api.archiva.app/api/ingest/event", ArchivaKey),
            ("POST https://api.archiva.app/api/ingest/event", ArchivaKey),
            ("POST https://api.archiva.app/api/ingest/event", ArchivaKey),
            ("GET https://api.github.com/repos/octo/hello", GitHubKey),
            ("GET https://quotes.example.com/v1/quote/MSFT", null),
            ("GET https://api.agora.io/beta/analytics/call/lists?page_size=100&cursor=", AgoraKey),
            ("GET https://api.agora.io/beta/analytics/call/lists?page_size=100&cursor=next", AgoraKey),
        };
        var run = record.Requests();
        Assert.True(
            run.Select(r => (r.Request, string.Join(", ", r.TurnsBefore))).SequenceEqual(expected.Select(e => (e.Request, e.Key ?? string.Empty))),
            "Each request, with the turns taken before it, expected:\n" + Describe(expected.Select(e => (e.Request, (IReadOnlyList<string>)(e.Key is null ? Array.Empty<string>() : new[] { e.Key }))))
            + "\nbut the run was:\n" + Describe(run) + "\n\n" + await FixedCodeAsync(after));
        Assert.Empty(pacers.UnexpectedKeys());
    }

    /// <summary>Started together, the requests' turns interleave; there must still be one per request, under Agora's key.</summary>
    [Theory]
    [InlineData("ascending")]
    [InlineData("descending")]
    public async Task Each_request_of_a_fan_out_is_sent_once_after_one_turn_under_its_APIs_key(string order)
    {
        var after = await FixedAsync(order, reportUnseenClients: false);
        var record = new RequestRecord();
        using var apis = await EmulatedApis.LoadAsync(after, Namespace, (request, _) => Task.FromResult(Respond(request, record)));
        using var pacers = new RecordedPacers(apis.Assembly, record, new[] { GitHubKey, ArchivaKey, AgoraKey });

        var days = new[] { "2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04" };
        var calls = await EmulatedApis.CallAsync(apis.Create(Namespace + ".DailyCalls"), "CountAsync", days, CancellationToken.None);
        Assert.Equal(8, calls);
        var sent = record.Requests().Where(r => r.Request != RequestRecord.NoRequest).Select(r => r.Request).OrderBy(r => r, StringComparer.Ordinal);
        Assert.Equal(days.Select(day => "GET https://api.agora.io/beta/analytics/call/lists?day=" + day), sent);
        var turns = record.Turns();
        Assert.True(
            turns.Count == days.Length && turns.All(k => k == AgoraKey),
            "The fan-out's " + days.Length + " requests took these turns: " + string.Join(", ", turns) + "\n\n" + await FixedCodeAsync(after));
        Assert.Empty(pacers.UnexpectedKeys());
    }

    /// <summary>The consumer's files with every fix applied in <paramref name="order"/>, once per test run.</summary>
    private static Task<Project> FixedAsync(string order, bool reportUnseenClients) =>
        s_fixed.GetOrAdd((order, reportUnseenClients), key => new Lazy<Task<Project>>(() => FixAsync(key.Order, key.ReportUnseenClients))).Value;

    private static async Task<Project> FixAsync(string order, bool reportUnseenClients)
    {
        var editorConfig = reportUnseenClients ? "root = true\n\n[*.cs]\nrate_limit_analyzers.report_unseen_clients = true\n" : null;
        var before = await ComposedFixes.ProjectAsync(s_consumer, editorConfig);
        var (_, reported) = await ComposedFixes.AnalyzeAsync(before);
        var rules = reported.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToList();

        // The files must give the fixes something to compose: a loop's pacing and its client's on the same requests.
        Assert.Contains("RL0001", rules);
        Assert.Contains("RL0002", rules);
        Assert.Contains("RL0005", rules);
        if (order == "descending")
        {
            rules.Reverse();
        }

        var after = await ComposedFixes.FixAllAsync(before, rules);
        var (_, remaining) = await ComposedFixes.AnalyzeAsync(after);
        Assert.True(remaining.IsEmpty, "The fixes leave:\n" + string.Join("\n", remaining));
        return after;
    }

    /// <summary>What each emulated API answers; every request is recorded as it arrives.</summary>
    private static HttpResponseMessage Respond(HttpRequestMessage request, RequestRecord record)
    {
        var uri = request.RequestUri!;
        record.Request(request.Method + " " + uri.AbsoluteUri);
        var body = (uri.Host, uri.AbsolutePath) switch
        {
            ("api.github.com", "/repos/octo/hello/issues") => uri.Query.EndsWith("page=4", StringComparison.Ordinal) ? "[]" : "[{\"number\":1},{\"number\":2}]",
            ("api.github.com", "/repos/octo/hello") => "{\"name\":\"hello\"}",
            ("api.archiva.app", "/api/ingest/event") => "{\"accepted\":1}",
            ("api.agora.io", "/beta/analytics/call/lists") => uri.Query.EndsWith("cursor=", StringComparison.Ordinal)
                ? "{\"calls\":[\"a\",\"b\"],\"next\":\"next\"}"
                : "{\"calls\":[\"c\",\"d\"]}",
            ("quotes.example.com", _) => "412.5",
            _ => null,
        };
        return body is null
            ? new HttpResponseMessage(HttpStatusCode.NotFound)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    private static string Describe(IEnumerable<(string Request, IReadOnlyList<string> TurnsBefore)> requests) =>
        string.Join("\n", requests.Select(r => "  " + r.Request + " after " + (r.TurnsBefore.Count == 0 ? "no turn" : "turns under " + string.Join(", ", r.TurnsBefore))));

    private static async Task<string> FixedCodeAsync(Project project)
    {
        var text = new StringBuilder();
        foreach (var document in project.Documents)
        {
            text.Append("// ").AppendLine(document.FilePath).AppendLine((await document.GetTextAsync()).ToString());
        }

        return text.ToString();
    }
}
