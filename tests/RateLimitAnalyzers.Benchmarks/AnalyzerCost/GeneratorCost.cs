using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using RateLimitAnalyzers.Benchmarks.Corpus;
using RateLimitAnalyzers.Generator;

namespace RateLimitAnalyzers.Benchmarks.AnalyzerCost;

/// <summary>The runtime-emitting generator's own time (as <c>-p:ReportAnalyzer=true</c> reports generators) on the corpus.</summary>
public sealed record GeneratorCostResult(
    TimeSpan FirstInProcess,
    IReadOnlyList<TimeSpan> Cold,
    IReadOnlyList<TimeSpan> Incremental,
    IReadOnlyList<string> IncrementalStepReasons,
    int GeneratedFiles);

public static class GeneratorCost
{
    /// <summary>
    /// Cold: a fresh driver over the whole corpus (a build with no previous generator state; the first one in
    /// the process also reads and marks the embedded runtime sources). Incremental: the same driver after a
    /// one-file edit, as the IDE and a warm compiler server run it; the generator should find nothing changed.
    /// </summary>
    public static GeneratorCostResult Measure(GeneratedCorpus corpus, int iterations)
    {
        var compilation = CorpusCompilation.Create(corpus.Files, CorpusCompilation.ReferencesWithHttp);
        var edited = corpus.Files.Select((f, i) => (f, i)).First(p => p.f.Kind == CorpusFileKind.DomainModel).i;

        TimeSpan? first = null;
        var cold = new List<TimeSpan>();
        var incremental = new List<TimeSpan>();
        var reasons = new SortedSet<string>(StringComparer.Ordinal);
        var generated = 0;
        for (var i = 0; i < iterations; i++)
        {
            GeneratorDriver driver = CSharpGeneratorDriver.Create(
                new[] { new PacingRuntimeGenerator().AsSourceGenerator() },
                parseOptions: CorpusCompilation.ParseOptions,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
            driver = driver.RunGenerators(compilation);
            var coldTime = GeneratorTime(driver);
            first ??= coldTime;
            cold.Add(coldTime);
            generated = driver.GetRunResult().GeneratedTrees.Length;

            var tree = compilation.SyntaxTrees.ElementAt(edited);
            var text = tree.GetText();
            var change = new TextChange(new TextSpan(text.Length, 0), "\npublic static class Edit" + i + "\n{\n    public static int Value => " + i + ";\n}\n");
            driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(text.WithChanges(change))));
            incremental.Add(GeneratorTime(driver));

            var run = driver.GetRunResult().Results.Single();
            foreach (var (name, steps) in run.TrackedSteps.Concat(run.TrackedOutputSteps))
            {
                foreach (var output in steps.SelectMany(s => s.Outputs))
                {
                    reasons.Add(name + ": " + output.Reason);
                }
            }
        }

        return new GeneratorCostResult(first!.Value, cold.Skip(1).ToList(), incremental, reasons.ToList(), generated);
    }

    private static TimeSpan GeneratorTime(GeneratorDriver driver) => driver.GetTimingInfo().GeneratorTimes.Single().ElapsedTime;
}
