using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RateLimitAnalyzers.Benchmarks.Corpus;

namespace RateLimitAnalyzers.Benchmarks.AnalyzerCost;

public sealed record AnalyzerCostSettings(int Iterations = 5, int FileCount = CorpusGenerator.DefaultFileCount, ulong Seed = CorpusGenerator.DefaultSeed);

/// <summary>
/// Compiles the corpus with no analyzers, with ours, with Meziantou.Analyzer and with the SDK's NetAnalyzers at
/// latest-all, interleaved in every iteration so that a noisy machine slows all of them alike; then the same
/// without System.Net.Http, and the generator on its own. Prints markdown tables.
/// </summary>
public static class AnalyzerCostBenchmark
{
    public static async Task RunAsync(AnalyzerCostSettings settings, TextWriter output)
    {
        var corpus = CorpusGenerator.Generate(settings.FileCount, settings.Seed);
        var withoutHttp = corpus.FilesWithoutHttp;
        Log($"corpus: {corpus.Files.Count} files, {corpus.LineCount} lines (seed {corpus.Seed}); without HTTP: {withoutHttp.Count} files, {withoutHttp.Sum(f => f.LineCount)} lines");

        var ours = AnalyzerSuite.RateLimitAnalyzers();
        // The last two answer what adding our package costs a real build, which already runs the SDK's default rules.
        var sdkDefaults = AnalyzerSuite.SdkDefaults();
        var suites = new[] { AnalyzerSuite.None, ours, AnalyzerSuite.Meziantou(), AnalyzerSuite.NetAnalyzersLatestAll(), sdkDefaults, sdkDefaults.With(ours, sdkDefaults.Name + " + RateLimitAnalyzers") };
        foreach (var suite in suites)
        {
            Log($"{suite.Name}: {suite.Analyzers.Length} analyzers, {suite.Generators.Length} generators");
        }

        // JIT and first-use costs land here, on a slice, not in the first measured iteration.
        var slice = corpus.Files.Take(Math.Min(200, corpus.Files.Count)).ToList();
        foreach (var suite in suites)
        {
            EnsureNoErrors(await CorpusBuild.RunAsync(slice, CorpusCompilation.ReferencesWithHttp, suite).ConfigureAwait(false), suite);
        }

        var full = await MeasureAsync(corpus.Files, CorpusCompilation.ReferencesWithHttp, suites, settings.Iterations).ConfigureAwait(false);
        var noHttp = await MeasureAsync(withoutHttp, CorpusCompilation.ReferencesWithoutHttp, new[] { AnalyzerSuite.None, ours }, settings.Iterations).ConfigureAwait(false);
        Log("generator");
        var generator = GeneratorCost.Measure(corpus, settings.Iterations + 1);
        Log("our analyzers by file kind");
        var byKind = await RuleCostByFileKind.MeasureAsync(corpus, ours).ConfigureAwait(false);

        WriteReport(output, corpus, withoutHttp, suites, full, noHttp, generator, byKind, settings);
    }

    private static async Task<Dictionary<AnalyzerSuite, List<CorpusBuildResult>>> MeasureAsync(
        IReadOnlyList<CorpusFile> files, ImmutableArray<MetadataReference> references, AnalyzerSuite[] suites, int iterations)
    {
        var results = suites.ToDictionary(s => s, _ => new List<CorpusBuildResult>());
        for (var i = 0; i < iterations; i++)
        {
            // Rotate the order so that no configuration always runs right after the heaviest one.
            for (var k = 0; k < suites.Length; k++)
            {
                var suite = suites[(i + k) % suites.Length];
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var result = await CorpusBuild.RunAsync(files, references, suite).ConfigureAwait(false);
                EnsureNoErrors(result, suite);
                results[suite].Add(result);
                Log($"iteration {i + 1}/{iterations} {suite.Name}: {result.Total.TotalSeconds:0.00} s, analyzers {result.AnalyzerTotal.TotalSeconds:0.000} s, {result.AnalyzerDiagnostics} analyzer diagnostics");
            }
        }

        return results;
    }

    private static void EnsureNoErrors(CorpusBuildResult result, AnalyzerSuite suite)
    {
        if (result.CompilerErrors > 0)
        {
            throw new InvalidOperationException($"The corpus does not compile ({suite.Name}): {result.CompilerErrors} errors, first: {result.Errors[0]}");
        }
    }

    private static void WriteReport(
        TextWriter o,
        GeneratedCorpus corpus,
        IReadOnlyList<CorpusFile> withoutHttp,
        AnalyzerSuite[] suites,
        Dictionary<AnalyzerSuite, List<CorpusBuildResult>> full,
        Dictionary<AnalyzerSuite, List<CorpusBuildResult>> noHttp,
        GeneratorCostResult generator,
        IReadOnlyList<KindCost> byKind,
        AnalyzerCostSettings settings)
    {
        var none = suites[0];
        var ours = suites[1];
        var baseline = Stats.Median(full[none].Select(r => r.Total));

        o.WriteLine($"Corpus: {corpus.Files.Count:N0} files, {corpus.LineCount:N0} lines, seed {corpus.Seed}. Medians of {settings.Iterations} iterations; Roslyn {typeof(Compilation).Assembly.GetName().Version}.");
        o.WriteLine();
        o.WriteLine("| configuration | analyzers run | compile (median) | vs no analyzers | analyzer time (sum, median) | analyzer share of compile | diagnostics |");
        o.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var suite in suites)
        {
            var runs = full[suite];
            var total = Stats.Median(runs.Select(r => r.Total));
            var analyzerTime = Stats.Median(runs.Select(r => r.AnalyzerTotal));
            var share = Stats.Median(runs.Select(r => r.AnalyzerTotal / r.Total));
            o.WriteLine($"| {suite.Name} | {runs[0].ActiveAnalyzers.Count} of {suite.Analyzers.Length} | {Seconds(total)} | {Ratio(total, baseline)} | {Seconds(analyzerTime)} | {Percent(share)} | {runs[0].AnalyzerDiagnostics:N0} |");
        }

        o.WriteLine();
        var ourRuns = full[ours];
        var generatorInBuild = Stats.Median(ourRuns.Select(r => r.Generators));
        var ourShare = Stats.Median(ourRuns.Select(r => (r.AnalyzerTotal + r.Generators) / r.Total));
        var ourTime = Stats.Median(ourRuns.Select(r => r.AnalyzerTotal + r.Generators));
        o.WriteLine($"Our analyzers and generator together: {Milliseconds(ourTime)}, which is **{Percent(ourTime / baseline)}** of the {Seconds(baseline)} compile without analyzers (target: at most 1%) and {Percent(ourShare)} of the {Seconds(Stats.Median(ourRuns.Select(r => r.Total)))} build with them; the generator's part: {Milliseconds(generatorInBuild)}. The share column above is the median of each iteration's own share.");
        o.WriteLine();

        o.WriteLine("Per analyzer (median time over the iterations; an analyzer class may report several rule IDs):");
        o.WriteLine();
        o.WriteLine("| analyzer | rules | median | mean of the suite | p90 of the suite | max of the suite | findings |");
        o.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        var compared = suites[1..4];
        var perAnalyzer = compared.ToDictionary(s => s, s => PerAnalyzerMedians(full[s]));
        foreach (var suite in compared)
        {
            var times = perAnalyzer[suite].Values.Select(t => t.TotalMilliseconds).ToList();
            o.WriteLine($"| **{suite.Name}: every active analyzer** | {times.Count} analyzers | {Ms(Stats.Median(times))} | {Ms(times.DefaultIfEmpty().Average())} | {Ms(Stats.Percentile(times, 90))} | {Ms(times.DefaultIfEmpty().Max())} | {full[suite][0].AnalyzerDiagnostics:N0} |");
        }

        foreach (var (analyzer, time) in perAnalyzer[ours].OrderByDescending(p => p.Value))
        {
            o.WriteLine($"| {analyzer.GetType().Name} | {Ids(analyzer)} | {Milliseconds(time)} | | | | {Findings(ourRuns[0], analyzer):N0} |");
        }

        o.WriteLine();
        foreach (var suite in suites[2..4])
        {
            o.WriteLine($"Slowest of {suite.Name}:");
            o.WriteLine();
            o.WriteLine("| analyzer | rules | median |");
            o.WriteLine("| --- | --- | ---: |");
            foreach (var (analyzer, time) in perAnalyzer[suite].OrderByDescending(p => p.Value).Take(5))
            {
                o.WriteLine($"| {analyzer.GetType().Name} | {Ids(analyzer)} | {Milliseconds(time)} |");
            }

            o.WriteLine();
        }

        var oursMedian = Stats.Median(perAnalyzer[ours].Values.Select(t => t.TotalMilliseconds));
        var rl0001 = perAnalyzer[ours].Single(p => Ids(p.Key).Contains("RL0001", StringComparison.Ordinal)).Value.TotalMilliseconds;
        var meziantouMedian = Stats.Median(perAnalyzer[suites[2]].Values.Select(t => t.TotalMilliseconds));
        o.WriteLine($"Per rule: our median {Ms(oursMedian)}, RL0001 alone {Ms(rl0001)}; Meziantou.Analyzer's median {Ms(meziantouMedian)} (target: ours no higher). Ours / Meziantou: median {Times(oursMedian / meziantouMedian)}, RL0001 {Times(rl0001 / meziantouMedian)}.");
        o.WriteLine();

        var sdk = Stats.Median(full[suites[4]].Select(r => r.Total));
        var sdkWithOurs = Stats.Median(full[suites[5]].Select(r => r.Total));
        o.WriteLine($"What adding the package costs a plain `dotnet build`, which already runs the SDK's default analyzers: {Seconds(sdk)} without it, {Seconds(sdkWithOurs)} with it, **{Percent(sdkWithOurs / sdk - 1)}** of the build ({Milliseconds(sdkWithOurs - sdk)}; the medians of two noisy builds, so read a difference under a few percent as no difference).");
        o.WriteLine();

        WriteByKind(o, byKind);
        o.WriteLine();

        var noneNoHttp = Stats.Median(noHttp[none].Select(r => r.Total));
        var oursNoHttp = noHttp[ours];
        o.WriteLine($"Without System.Net.Http ({withoutHttp.Count:N0} files, {withoutHttp.Sum(f => f.LineCount):N0} lines):");
        o.WriteLine();
        o.WriteLine("| configuration | compile (median) | our analyzers (sum) | our generator | our share |");
        o.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        o.WriteLine($"| no analyzers | {Seconds(noneNoHttp)} | | | |");
        o.WriteLine($"| RateLimitAnalyzers | {Seconds(Stats.Median(oursNoHttp.Select(r => r.Total)))} | {Milliseconds(Stats.Median(oursNoHttp.Select(r => r.AnalyzerTotal)))} | {Milliseconds(Stats.Median(oursNoHttp.Select(r => r.Generators)))} | {Percent(Stats.Median(oursNoHttp.Select(r => (r.AnalyzerTotal + r.Generators) / r.Total)))} |");
        o.WriteLine();

        var cold = generator.Cold.Count > 0 ? generator.Cold : new[] { generator.FirstInProcess };
        o.WriteLine("The runtime-emitting generator on the full corpus (its own time, as ReportAnalyzer reports it):");
        o.WriteLine();
        o.WriteLine("| run | median |");
        o.WriteLine("| --- | ---: |");
        o.WriteLine($"| cold, first in a fresh process (reads the embedded runtime sources) | {Milliseconds(generator.FirstInProcess)} |");
        o.WriteLine($"| cold, new driver ({cold.Count} runs) | {Milliseconds(Stats.Median(cold))} |");
        o.WriteLine($"| incremental, after a one-file edit ({generator.Incremental.Count} runs) | {Milliseconds(Stats.Median(generator.Incremental))} |");
        o.WriteLine();
        o.WriteLine($"Emits {generator.GeneratedFiles} files. Tracked steps after the edit: {string.Join(", ", generator.IncrementalStepReasons)}.");
    }

    /// <summary>Each of our analyzers' own time by the kind of file it was in (one single-threaded pass).</summary>
    public static void WriteByKind(TextWriter o, IReadOnlyList<KindCost> byKind)
    {
        var analyzers = byKind.SelectMany(k => k.Times).GroupBy(p => p.Key).Select(g => (Analyzer: g.Key, Time: g.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Value)))
            .Where(a => a.Time >= TimeSpan.FromMilliseconds(1)).OrderByDescending(a => a.Time).Select(a => a.Analyzer).ToList();
        var total = byKind.Aggregate(TimeSpan.Zero, (sum, k) => sum + k.Total);
        o.WriteLine("Where our analyzers' time goes: the corpus analyzed file by file on one thread (one pass), each analyzer's own time by the kind of file it was in. Work the rules share (the compilation's HTTP knowledge, following calls into the user's methods) is billed to the rule that asks first; the first file also carries the compilation-start work (resolving types, loading the catalog):");
        o.WriteLine();
        o.WriteLine("| file kind | files | loops | " + string.Join(" | ", analyzers.Select(Ids)) + " | all | per file | share |");
        o.WriteLine("| --- | ---: | ---: | " + string.Join(" | ", analyzers.Select(_ => "---:")) + " | ---: | ---: | ---: |");
        foreach (var kind in byKind.OrderByDescending(k => k.Total))
        {
            o.WriteLine($"| {kind.Kind} | {kind.Files:N0} | {kind.Loops:N0} | {string.Join(" | ", analyzers.Select(a => Milliseconds(kind.Times[a])))} | {Milliseconds(kind.Total)} | {Ms(kind.Total.TotalMilliseconds / kind.Files)} | {Percent(kind.Total / total)} |");
        }
    }

    private static Dictionary<DiagnosticAnalyzer, TimeSpan> PerAnalyzerMedians(List<CorpusBuildResult> runs) =>
        runs[0].ActiveAnalyzers.ToDictionary(a => a, a => Stats.Median(runs.Select(r => r.AnalyzerTimes[a])));

    // A finding belongs to the analyzer that declares its ID; our analyzers share none.
    private static int Findings(CorpusBuildResult run, DiagnosticAnalyzer analyzer) =>
        analyzer.SupportedDiagnostics.Select(d => d.Id).Distinct().Sum(id => run.DiagnosticsById.TryGetValue(id, out var n) ? n : 0);

    private static string Ids(DiagnosticAnalyzer analyzer) => string.Join(" ", analyzer.SupportedDiagnostics.Select(d => d.Id).Distinct().Take(6));

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static string Milliseconds(TimeSpan t) => Ms(t.TotalMilliseconds);

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0", CultureInfo.InvariantCulture) + " ms";

    private static string Percent(double fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Ratio(TimeSpan t, TimeSpan baseline) => (t / baseline).ToString("0.00", CultureInfo.InvariantCulture) + "x";

    private static string Times(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x";

    private static void Log(string message) => Console.Error.WriteLine("[analyzers] " + message);
}
