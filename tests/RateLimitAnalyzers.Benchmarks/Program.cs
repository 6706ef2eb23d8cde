using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using RateLimitAnalyzers.Benchmarks;
using RateLimitAnalyzers.Benchmarks.AnalyzerCost;
using RateLimitAnalyzers.Benchmarks.Runtime;
using RateLimitAnalyzers.Benchmarks.Utilisation;

// dotnet run -c Release --project tests/RateLimitAnalyzers.Benchmarks -- <analyzers|where|runtime|utilisation|fairness> [options]
// See tests/benchmarks.md for what each measures and the latest results.
return args.FirstOrDefault() switch
{
    "analyzers" => await Analyzers(args[1..]),
    "where" => await Where(args[1..]),
    "ours" => await Ours(args[1..]),
    "runtime" => Runtime(args[1..]),
    "utilisation" => await Utilisation(args[1..]),
    "fairness" => await Fairness(),
    _ => Usage(),
};

static async Task<int> Analyzers(string[] args)
{
    var settings = new AnalyzerCostSettings(
        Iterations: Option(args, "--iterations", 3),
        FileCount: Option(args, "--files", RateLimitAnalyzers.Benchmarks.Corpus.CorpusGenerator.DefaultFileCount));
    await AnalyzerCostBenchmark.RunAsync(settings, Console.Out);
    return 0;
}

// Only the split of our analyzers' time by file kind: a few minutes, for working on their speed.
static async Task<int> Where(string[] args)
{
    var corpus = RateLimitAnalyzers.Benchmarks.Corpus.CorpusGenerator.Generate(Option(args, "--files", RateLimitAnalyzers.Benchmarks.Corpus.CorpusGenerator.DefaultFileCount));
    var byKind = await RuleCostByFileKind.MeasureAsync(corpus, AnalyzerSuite.RateLimitAnalyzers());
    Console.WriteLine($"Corpus: {corpus.Files.Count:N0} files, {corpus.LineCount:N0} lines, seed {corpus.Seed}.");
    Console.WriteLine();
    AnalyzerCostBenchmark.WriteByKind(Console.Out, byKind);
    return 0;
}

// Only our analyzers in the corpus build, each iteration's time per analyzer: seconds, for profiling the build's cost.
static async Task<int> Ours(string[] args)
{
    var corpus = RateLimitAnalyzers.Benchmarks.Corpus.CorpusGenerator.Generate(Option(args, "--files", RateLimitAnalyzers.Benchmarks.Corpus.CorpusGenerator.DefaultFileCount));
    var suite = AnalyzerSuite.RateLimitAnalyzers();
    for (var iteration = 1; iteration <= Option(args, "--iterations", 3); iteration++)
    {
        var result = await CorpusBuild.RunAsync(corpus.Files, RateLimitAnalyzers.Benchmarks.Corpus.CorpusCompilation.ReferencesWithHttp, suite);
        var times = string.Join(", ", result.AnalyzerTimes.OrderByDescending(t => t.Value).Select(t => t.Key.GetType().Name[..6] + " " + t.Value.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture) + " ms"));
        Console.WriteLine($"iteration {iteration}: build {result.Total.TotalSeconds:N2} s, analyzers {result.AnalyzerTotal.TotalSeconds:N2} s, {result.AnalyzerDiagnostics:N0} findings; {times}");
    }

    return 0;
}

// BenchmarkDotNet, in process (the harness is already a Release build), short runs: a few minutes in all.
// Extra arguments go to BenchmarkDotNet, e.g. --filter *Contended*.
static int Runtime(string[] args)
{
    var config = ManualConfig.Create(DefaultConfig.Instance)
        .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);
    var types = new[] { typeof(AcquireBenchmarks), typeof(ContendedAcquireBenchmarks), typeof(HandlerBenchmarks), typeof(HeaderParserBenchmarks) };
    var filter = args.Contains("--filter") ? args : args.Concat(new[] { "--filter", "*" }).ToArray();
    BenchmarkSwitcher.FromTypes(types).Run(filter, config);
    return 0;
}

static async Task<int> Utilisation(string[] args)
{
    var defaults = new UtilisationSettings();
    var settings = defaults with
    {
        Windows = Option(args, "--windows", defaults.Windows),
        Runs = Option(args, "--runs", defaults.Runs),
    };
    var results = await QuotaUtilisationBenchmark.RunAsync(settings);
    QuotaUtilisationBenchmark.WriteReport(Console.Out, settings, results);
    return 0;
}

static async Task<int> Fairness()
{
    var settings = new FairnessSettings();
    FairnessBenchmark.WriteReport(Console.Out, settings, await FairnessBenchmark.RunAsync(settings));
    return 0;
}

static int Option(string[] args, string name, int defaultValue)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : defaultValue;
}

static int Usage()
{
    Console.Error.WriteLine("usage: -- analyzers [--iterations N] [--files N]");
    Console.Error.WriteLine("       -- where [--files N]");
    Console.Error.WriteLine("       -- ours [--iterations N] [--files N]");
    Console.Error.WriteLine("       -- runtime [BenchmarkDotNet options]");
    Console.Error.WriteLine("       -- utilisation [--windows N] [--runs N]");
    Console.Error.WriteLine("       -- fairness");
    return 2;
}
