using System.Linq;
using System.Threading.Tasks;
using RateLimitAnalyzers.Benchmarks.AnalyzerCost;
using RateLimitAnalyzers.Benchmarks.Corpus;
using RateLimitAnalyzers.Benchmarks.Runtime;
using RateLimitAnalyzers.Benchmarks.Utilisation;
using Xunit;

namespace RateLimitAnalyzers.Benchmarks.Tests;

/// <summary>Each benchmark set up and run once with tiny parameters: it still builds, loads and runs. Nothing is timed.</summary>
public sealed class BenchmarkSetupTests
{
    [Fact]
    public async Task Acquire_benchmarks_run_every_method()
    {
        var benchmarks = new AcquireBenchmarks();
        benchmarks.Setup();
        try
        {
            await benchmarks.RequestPacer_WaitTurnAsync();
            benchmarks.RequestPacer_WaitTurn();
            Assert.True(await benchmarks.TokenBucket_AcquireAsync());
            Assert.True(benchmarks.TokenBucket_AttemptAcquire());
            Assert.True(await benchmarks.SlidingWindow_AcquireAsync());
            Assert.True(benchmarks.SlidingWindow_AttemptAcquire());
            await benchmarks.Polly_RetryAndRateLimiter_ExecuteAsync();
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    [Fact]
    public async Task Handler_benchmarks_send_through_every_client()
    {
        var benchmarks = new HandlerBenchmarks();
        benchmarks.Setup();
        try
        {
            Assert.True((await benchmarks.Bare_client()).IsSuccessStatusCode);
            Assert.True((await benchmarks.RateLimitedHandler_success()).IsSuccessStatusCode);
            Assert.True((await benchmarks.Polly_ResilienceHandler_success()).IsSuccessStatusCode);
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    [Fact]
    public void Header_parser_benchmarks_read_every_hint()
    {
        var benchmarks = new HeaderParserBenchmarks();
        benchmarks.Setup();
        try
        {
            Assert.Equal(System.TimeSpan.FromSeconds(45), benchmarks.Framework_typed_RetryAfter_seconds());
            Assert.Equal(System.TimeSpan.FromSeconds(45), benchmarks.RetryAfter_seconds());
            Assert.Equal(System.TimeSpan.FromSeconds(45), benchmarks.RetryAfter_http_date());
            Assert.Equal(30, benchmarks.RateLimitHeaders_suse());
            Assert.Equal(50, benchmarks.RateLimitHeaders_ietf());
            Assert.Equal(System.TimeSpan.FromMinutes(10), benchmarks.RateLimitHeaders_github_used_up());
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    [Fact]
    public void Contended_benchmarks_run_every_method_on_eight_threads()
    {
        var benchmarks = new ContendedAcquireBenchmarks { TurnsPerThreadOverride = 10 };
        benchmarks.Setup();
        try
        {
            benchmarks.RequestPacer_WaitTurn();
            benchmarks.TokenBucket_AttemptAcquire();
            benchmarks.SlidingWindow_AttemptAcquire();
            benchmarks.Polly_RetryAndRateLimiter_Execute();
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    [Fact]
    public async Task Utilisation_runs_every_client()
    {
        var settings = new UtilisationSettings(Limit: 5, WindowMilliseconds: 50, Windows: 2, Runs: 1);

        var results = await QuotaUtilisationBenchmark.RunAsync(settings);

        Assert.Equal(QuotaUtilisationBenchmark.Clients.Select(c => c.Client), results.Select(r => r.Client));
        Assert.All(results, r => Assert.True(r.Accepted > 0, r.Client));
    }

    [Fact]
    public async Task Fairness_runs_every_limiter_with_every_task()
    {
        var settings = new FairnessSettings(Tasks: 4, Seconds: 1, Limit: 10);

        var results = await FairnessBenchmark.RunAsync(settings);

        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.Equal(settings.Tasks, r.Turns.Count));

        // Queue order compared like for like: the pacer without its margin, a turn occupying the window as the queued
        // limiter's does; and the pacer as shipped beside it, against the limiter given the window and the margin.
        var likeForLike = results.Where(r => r.Comparison == FairnessBenchmark.LikeForLike).ToList();
        var asShipped = results.Where(r => r.Comparison == FairnessBenchmark.AsShipped).ToList();
        Assert.Equal(new[] { "RequestPacer", "SlidingWindowRateLimiter" }, likeForLike.Select(r => r.Limiter.Split(' ')[0]));
        Assert.Equal(new[] { "RequestPacer", "SlidingWindowRateLimiter" }, asShipped.Select(r => r.Limiter.Split(' ')[0]));
        Assert.All(likeForLike, r => Assert.Equal(System.TimeSpan.FromSeconds(1), r.Occupies));
        Assert.All(asShipped, r => Assert.Equal(System.TimeSpan.FromSeconds(1.05), r.Occupies));
        var report = new System.IO.StringWriter();
        FairnessBenchmark.WriteReport(report, settings, results);
        Assert.Contains("| like for like | RequestPacer (rolling log, ArrivalMargin = 0) | 1.00 s |", report.ToString(), System.StringComparison.Ordinal);
        Assert.Contains("As shipped, a turn occupying 1.05 s: the pacer's longest wait", report.ToString(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_analyzer_suite_loads_and_builds_a_small_corpus()
    {
        var corpus = CorpusGenerator.Generate(20);
        var sdkDefaults = AnalyzerSuite.SdkDefaults();
        var suites = new[] { AnalyzerSuite.None, AnalyzerSuite.RateLimitAnalyzers(), AnalyzerSuite.Meziantou(), AnalyzerSuite.NetAnalyzersLatestAll(), sdkDefaults, sdkDefaults.With(AnalyzerSuite.RateLimitAnalyzers(), "both") };

        foreach (var suite in suites)
        {
            var result = await CorpusBuild.RunAsync(corpus.Files, CorpusCompilation.ReferencesWithHttp, suite);

            Assert.Equal(0, result.CompilerErrors);
            Assert.Equal(suite.Analyzers.Length, result.AnalyzerTimes.Count);
        }

        Assert.Contains(suites[2].Analyzers, a => a.SupportedDiagnostics.Any(d => d.Id.StartsWith("MA", System.StringComparison.Ordinal)));
        Assert.Contains(suites[3].Analyzers, a => a.SupportedDiagnostics.Any(d => d.Id == "CA1062"));
        // latest-all turns on rules that are off by default, such as CA1062 (IDs compare without case).
        Assert.Contains(suites[3].Severities, s => string.Equals(s.Key, "CA1062", System.StringComparison.OrdinalIgnoreCase) && s.Value == Microsoft.CodeAnalysis.ReportDiagnostic.Warn);
        Assert.DoesNotContain(suites[4].Severities, s => string.Equals(s.Key, "CA1062", System.StringComparison.OrdinalIgnoreCase) && s.Value == Microsoft.CodeAnalysis.ReportDiagnostic.Warn);
        Assert.Equal(suites[4].Analyzers.Length + suites[1].Analyzers.Length, suites[5].Analyzers.Length);
        Assert.Equal(suites[1].Generators.Length, suites[5].Generators.Length);
    }

    [Fact]
    public async Task Generator_and_rule_breakdowns_run()
    {
        var corpus = CorpusGenerator.Generate(40);
        var ours = AnalyzerSuite.RateLimitAnalyzers();

        var generator = GeneratorCost.Measure(corpus, iterations: 2);
        var byKind = await RuleCostByFileKind.MeasureAsync(corpus, ours);

        // The corpus never names RateLimitAnalyzers.Pacing (no fix applied), so the generator emits nothing into it.
        Assert.Equal(0, generator.GeneratedFiles);
        Assert.Contains("EmissionPlan: Unchanged", generator.IncrementalStepReasons);
        Assert.Equal(corpus.Files.Count, byKind.Sum(k => k.Files));
        Assert.All(byKind, k => Assert.Equal(ours.Analyzers.Length, k.Times.Count));
        var report = new System.IO.StringWriter();
        AnalyzerCostBenchmark.WriteByKind(report, byKind);
        Assert.Contains("| file kind | files | loops |", report.ToString(), System.StringComparison.Ordinal);
    }
}
