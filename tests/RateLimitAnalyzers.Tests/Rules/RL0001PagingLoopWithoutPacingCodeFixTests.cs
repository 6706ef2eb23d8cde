using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using RateLimitAnalyzers.CodeFixes.Rules;
using RateLimitAnalyzers.Rules;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    RateLimitAnalyzers.Rules.RL0001PagingLoopWithoutPacingAnalyzer,
    RateLimitAnalyzers.CodeFixes.Rules.RL0001PagingLoopWithoutPacingCodeFix>;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL0001PagingLoopWithoutPacingCodeFixTests
{
    [Fact]
    public Task Async_loop_awaits_the_shared_pacer_with_the_methods_cancellation_token() => Verify.VerifyCodeFixAsync(
        RL0001Cases.Usings + """
        class Page { public List<string> Calls { get; set; } = new(); public string? Cursor { get; set; } }
        class Export
        {
            public async Task RunAsync(HttpClient client, CancellationToken stoppingToken)
            {
                string? cursor = null;
                [|while|] (true)
                {
                    var page = await client.GetFromJsonAsync<Page>("https://api.agora.io/beta/analytics/call/lists?cursor=" + cursor, stoppingToken);
                    if (page == null || page.Calls.Count == 0) break;
                    cursor = page.Cursor;
                }
            }
        }
        """,
        """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Text.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using RateLimitAnalyzers.Pacing;
        class Page { public List<string> Calls { get; set; } = new(); public string? Cursor { get; set; } }
        class Export
        {
            private static readonly RequestPacer AgoraPacer = RequestPacer.Shared(
                "api.agora.io/beta/analytics/call/lists",
                QuotaWindow.PerSecond(1),
                QuotaWindow.PerDay(1000));

            public async Task RunAsync(HttpClient client, CancellationToken stoppingToken)
            {
                string? cursor = null;
                while (true)
                {
                    await AgoraPacer.WaitTurnAsync(stoppingToken);
                    var page = await client.GetFromJsonAsync<Page>("https://api.agora.io/beta/analytics/call/lists?cursor=" + cursor, stoppingToken);
                    if (page == null || page.Calls.Count == 0) break;
                    cursor = page.Cursor;
                }
            }
        }
        """);

    [Fact]
    public Task Synchronous_loop_blocks_on_the_pacer_and_an_embedded_statement_becomes_a_block() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Net.Http;

        namespace Ingest;

        class Sender
        {
            public void SendAll(HttpClient client, IEnumerable<HttpContent> events)
            {
                [|foreach|] (var e in events)
                    client.Send(new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = e });
            }
        }
        """,
        """
        using System.Collections.Generic;
        using System.Net.Http;
        using RateLimitAnalyzers.Pacing;

        namespace Ingest;

        class Sender
        {
            private static readonly RequestPacer ArchivaPacer = RequestPacer.Shared(
                "api.archiva.app/api/ingest/event",
                new QuotaWindow(100, System.TimeSpan.FromSeconds(60)),
                // Evenly spaced within 100 requests per 60 s, never in bursts; change it to pace faster or slower.
                QuotaWindow.MinimumInterval(System.TimeSpan.FromMilliseconds(600)));

            public void SendAll(HttpClient client, IEnumerable<HttpContent> events)
            {
                foreach (var e in events)
                {
                    ArchivaPacer.WaitTurn();
                    client.Send(new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = e });
                }
            }
        }
        """);

    [Fact]
    public Task Unknown_endpoint_uses_host_and_path_as_key_and_the_default_quota_from_editorconfig()
    {
        var test = new Verify.Test
        {
            TestCode = RL0001Cases.Usings + """
                class Export
                {
                    public async Task RunAsync(HttpClient client)
                    {
                        var page = 1;
                        [|do|]
                        {
                            var items = await client.GetFromJsonAsync<List<string>>($"https://api.example.com/v1/items?page={page++}");
                            if (items!.Count == 0) break;
                        } while (true);
                    }
                }
                """,
            FixedCode = RL0001Cases.Usings.Replace("using System.Threading.Tasks;\n", "using System.Threading.Tasks;\nusing RateLimitAnalyzers.Pacing;\n") + """
                class Export
                {
                    private static readonly RequestPacer ExamplePacer = RequestPacer.Shared(
                        "api.example.com/v1/items",
                        QuotaWindow.PerMinute(30),
                        new QuotaWindow(500, TimeSpan.FromHours(12)),
                        // Evenly spaced within 30 requests per minute, never in bursts; change it to pace faster or slower.
                        QuotaWindow.MinimumInterval(TimeSpan.FromSeconds(2)));

                    public async Task RunAsync(HttpClient client)
                    {
                        var page = 1;
                        do
                        {
                            await ExamplePacer.WaitTurnAsync();
                            var items = await client.GetFromJsonAsync<List<string>>($"https://api.example.com/v1/items?page={page++}");
                            if (items!.Count == 0) break;
                        } while (true);
                    }
                }
                """,
        };
        var editorconfig = ("/.editorconfig", """
            root = true

            [*.cs]
            rate_limit_analyzers.default_quota = 30/1m, 500/12h
            """);
        test.TestState.AnalyzerConfigFiles.Add(editorconfig);
        test.FixedState.AnalyzerConfigFiles.Add(editorconfig);
        return test.RunAsync();
    }

    [Fact]
    public Task Lambda_uses_its_own_asyncness_and_token() => Verify.VerifyCodeFixAsync(
        RL0001Cases.Usings + """
        class Page { public string? Next { get; set; } }
        class Export
        {
            public Func<CancellationToken, Task> Job(HttpClient client) => async ct =>
            {
                string? cursor = null;
                [|do|]
                {
                    var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor, ct);
                    cursor = page!.Next;
                }
                while (cursor != null);
            };
        }
        """,
        RL0001Cases.Usings.Replace("using System.Threading.Tasks;\n", "using System.Threading.Tasks;\nusing RateLimitAnalyzers.Pacing;\n") + """
        class Page { public string? Next { get; set; } }
        class Export
        {
            private static readonly RequestPacer ExamplePacer = RequestPacer.Shared(
                "api.example.com/v1/items",
                QuotaWindow.PerSecond(1));

            public Func<CancellationToken, Task> Job(HttpClient client) => async ct =>
            {
                string? cursor = null;
                do
                {
                    await ExamplePacer.WaitTurnAsync(ct);
                    var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor, ct);
                    cursor = page!.Next;
                }
                while (cursor != null);
            };
        }
        """);

    [Fact]
    public Task Fix_all_paces_every_loop_in_every_document()
    {
        const string first = """
            using System.Collections.Generic;
            using System.Net.Http;
            using System.Net.Http.Json;
            using System.Threading;
            using System.Threading.Tasks;

            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }

            class Export
            {
                public async Task RunAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    string? cursor = null;
                    [|do|]
                    {
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor, cancellationToken);
                        cursor = page!.Next;
                    }
                    while (cursor != null);

                    string? next = "https://api.github.com/repos/o/r/issues?per_page=100";
                    [|while|] (next != null)
                    {
                        var page = await client.GetFromJsonAsync<Page>(next, cancellationToken);
                        next = page!.Next;
                    }
                }
            }
            """;
        const string second = """
            using System.Collections.Generic;
            using System.Net.Http;

            class Ingest
            {
                public void SendAll(HttpClient client, IEnumerable<HttpContent> events)
                {
                    [|foreach|] (var e in events)
                    {
                        client.Send(new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = e });
                    }
                }
            }
            """;
        const string firstFixed = """
            using System.Collections.Generic;
            using System.Net.Http;
            using System.Net.Http.Json;
            using System.Threading;
            using System.Threading.Tasks;
            using RateLimitAnalyzers.Pacing;

            class Page { public List<string> Items { get; set; } = new(); public string? Next { get; set; } }

            class Export
            {
                private static readonly RequestPacer ExamplePacer = RequestPacer.Shared(
                    "api.example.com/v1/items",
                    QuotaWindow.PerSecond(1));

                private static readonly RequestPacer GitHubPacer = RequestPacer.Shared(
                    "api.github.com/*",
                    QuotaWindow.PerHour(5000),
                    // Evenly spaced within 5,000 requests per hour, never in bursts; change it to pace faster or slower.
                    QuotaWindow.MinimumInterval(System.TimeSpan.FromMilliseconds(720)));

                public async Task RunAsync(HttpClient client, CancellationToken cancellationToken)
                {
                    string? cursor = null;
                    do
                    {
                        await ExamplePacer.WaitTurnAsync(cancellationToken);
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor, cancellationToken);
                        cursor = page!.Next;
                    }
                    while (cursor != null);

                    string? next = "https://api.github.com/repos/o/r/issues?per_page=100";
                    while (next != null)
                    {
                        await GitHubPacer.WaitTurnAsync(cancellationToken);
                        var page = await client.GetFromJsonAsync<Page>(next, cancellationToken);
                        next = page!.Next;
                    }
                }
            }
            """;
        const string secondFixed = """
            using System.Collections.Generic;
            using System.Net.Http;
            using RateLimitAnalyzers.Pacing;

            class Ingest
            {
                private static readonly RequestPacer ArchivaPacer = RequestPacer.Shared(
                    "api.archiva.app/api/ingest/event",
                    new QuotaWindow(100, System.TimeSpan.FromSeconds(60)),
                    // Evenly spaced within 100 requests per 60 s, never in bursts; change it to pace faster or slower.
                    QuotaWindow.MinimumInterval(System.TimeSpan.FromMilliseconds(600)));

                public void SendAll(HttpClient client, IEnumerable<HttpContent> events)
                {
                    foreach (var e in events)
                    {
                        ArchivaPacer.WaitTurn();
                        client.Send(new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = e });
                    }
                }
            }
            """;

        return Verify.VerifyFixAllAsync(("/0/Export.cs", first, firstFixed), ("/0/Ingest.cs", second, secondFixed));
    }

    [Fact]
    public Task Top_level_loops_share_one_pacer_local_declared_before_the_first()
    {
        const string Program = """
            // A client made out of view: the loop is the one to pace.
            var client = (HttpClient)AppDomain.CurrentDomain.GetData("client")!;
            string? cursor = null;
            [|while|] (true)
            {
                var page = await client.GetFromJsonAsync<Page>("https://api.agora.io/beta/analytics/call/lists?cursor=" + cursor);
                if (page == null || page.Calls.Count == 0) break;
                cursor = page.Cursor;
            }

            foreach (var day in new[] { "2024-01-01", "2024-01-02" })
            {
                string? next = null;
                [|do|]
                {
                    var page = await client.GetFromJsonAsync<Page>("https://api.agora.io/beta/analytics/call/lists?day=" + day + "&cursor=" + next);
                    next = page?.Cursor;
                }
                while (next != null);
            }

            class Page { public List<string> Calls { get; set; } = new(); public string? Cursor { get; set; } }
            """;
        const string Fixed = """
            // A client made out of view: the loop is the one to pace.
            var client = (HttpClient)AppDomain.CurrentDomain.GetData("client")!;
            string? cursor = null;
            RequestPacer AgoraPacer = RequestPacer.Shared(
                "api.agora.io/beta/analytics/call/lists",
                QuotaWindow.PerSecond(1),
                QuotaWindow.PerDay(1000));
            while (true)
            {
                await AgoraPacer.WaitTurnAsync();
                var page = await client.GetFromJsonAsync<Page>("https://api.agora.io/beta/analytics/call/lists?cursor=" + cursor);
                if (page == null || page.Calls.Count == 0) break;
                cursor = page.Cursor;
            }

            foreach (var day in new[] { "2024-01-01", "2024-01-02" })
            {
                string? next = null;
                do
                {
                    await AgoraPacer.WaitTurnAsync();
                    var page = await client.GetFromJsonAsync<Page>("https://api.agora.io/beta/analytics/call/lists?day=" + day + "&cursor=" + next);
                    next = page?.Cursor;
                }
                while (next != null);
            }

            class Page { public List<string> Calls { get; set; } = new(); public string? Cursor { get; set; } }
            """;
        return VerifyProgramAsync(RL0001Cases.Usings + Program, RL0001Cases.Usings + FixedText.RuntimeUsing + Fixed);
    }

    /// <summary>A project that asks for <c>var</c> where the type is apparent gets it on the pacer local, and a second loop still finds that local.</summary>
    [Fact]
    public Task A_top_level_pacer_local_is_var_where_the_editorconfig_asks_for_it()
    {
        const string Program = """
            var client = (HttpClient)AppDomain.CurrentDomain.GetData("client")!;
            foreach (var day in new[] { "2024-01-01", "2024-01-02" })
            {
                string? next = null;
                [|do|]
                {
                    var page = await client.GetFromJsonAsync<Page>("https://api.agora.io/beta/analytics/call/lists?day=" + day + "&cursor=" + next);
                    next = page?.Cursor;
                }
                while (next != null);
            }

            string? cursor = null;
            [|do|]
            {
                var page = await client.GetFromJsonAsync<Page>("https://api.agora.io/beta/analytics/call/lists?cursor=" + cursor);
                cursor = page?.Cursor;
            }
            while (cursor != null);

            class Page { public string? Cursor { get; set; } }
            """;
        const string Fixed = """
            var client = (HttpClient)AppDomain.CurrentDomain.GetData("client")!;
            var AgoraPacer = RequestPacer.Shared(
                "api.agora.io/beta/analytics/call/lists",
                QuotaWindow.PerSecond(1),
                QuotaWindow.PerDay(1000));
            foreach (var day in new[] { "2024-01-01", "2024-01-02" })
            {
                string? next = null;
                do
                {
                    await AgoraPacer.WaitTurnAsync();
                    var page = await client.GetFromJsonAsync<Page>("https://api.agora.io/beta/analytics/call/lists?day=" + day + "&cursor=" + next);
                    next = page?.Cursor;
                }
                while (next != null);
            }

            string? cursor = null;
            do
            {
                await AgoraPacer.WaitTurnAsync();
                var page = await client.GetFromJsonAsync<Page>("https://api.agora.io/beta/analytics/call/lists?cursor=" + cursor);
                cursor = page?.Cursor;
            }
            while (cursor != null);

            class Page { public string? Cursor { get; set; } }
            """;
        return VerifyProgramAsync(
            RL0001Cases.Usings + Program,
            RL0001Cases.Usings + FixedText.RuntimeUsing + Fixed,
            "root = true\n\n[*.cs]\ncsharp_style_var_when_type_is_apparent = true:warning\n");
    }

    /// <summary>The fix over a program of top-level statements, one diagnostic at a time and all at once.</summary>
    private static Task VerifyProgramAsync(string source, string fixedSource, string? editorConfig = null)
    {
        var test = new CSharpCodeFixVerifier<RL0001PagingLoopWithoutPacingAnalyzer, RL0001PagingLoopWithoutPacingCodeFix>.Test { TestCode = source, FixedCode = fixedSource };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
            test.FixedState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
        }

        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task No_fix_is_offered_when_the_runtime_is_not_emitted() => Verify.VerifyNoFixWithoutRuntimeAsync(
        RL0001Cases.Usings + """
            class Page { public string? Next { get; set; } }
            class Export
            {
                public async Task RunAsync(HttpClient client)
                {
                    string? cursor = null;
                    [|do|]
                    {
                        var page = await client.GetFromJsonAsync<Page>("https://api.example.com/v1/items?cursor=" + cursor);
                        cursor = page!.Next;
                    }
                    while (cursor != null);
                }
            }
            """);
}
