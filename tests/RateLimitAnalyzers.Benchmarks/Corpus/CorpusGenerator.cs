using System;
using System.Collections.Generic;
using System.Linq;

namespace RateLimitAnalyzers.Benchmarks.Corpus;

/// <summary>What a generated file holds. The last four kinds send HTTP requests or configure clients that do.</summary>
public enum CorpusFileKind
{
    DomainModel,
    Queries,
    TextProcessing,
    Workflow,
    TypedClient,
    PagingExport,
    Retry,
    Registrations,
}

public sealed record CorpusFile(string Path, CorpusFileKind Kind, string Text)
{
    public bool UsesHttp => Kind >= CorpusFileKind.TypedClient;

    public int LineCount => Text.Count(c => c == '\n');
}

public sealed class GeneratedCorpus
{
    internal GeneratedCorpus(ulong seed, IReadOnlyList<CorpusFile> files)
    {
        Seed = seed;
        Files = files;
        LineCount = files.Sum(f => f.LineCount);
    }

    public ulong Seed { get; }

    public IReadOnlyList<CorpusFile> Files { get; }

    public int LineCount { get; }

    /// <summary>The files that neither send requests nor name an HTTP type: a project that does not reference System.Net.Http.</summary>
    public IReadOnlyList<CorpusFile> FilesWithoutHttp => Files.Where(f => !f.UsesHttp).ToList();
}

/// <summary>
/// Generates a large C# corpus that reads like a line-of-business code base: mostly domain models, LINQ queries,
/// text processing and async workflows, with typed HTTP clients, paging exports (some paced, some not), retry code
/// (hand-written and Polly v8) and DI registrations mixed in at fixed proportions. The same seed and file count give
/// the same corpus, byte for byte, on every machine.
/// </summary>
public static class CorpusGenerator
{
    public const ulong DefaultSeed = 20260601;

    /// <summary>About 2,100 files and 250k lines: above the floor of 2,000 files and 200k lines.</summary>
    public const int DefaultFileCount = 2100;

    // Out of 100 files. No kind is chosen or tuned for how our analyzers fare on it.
    private static readonly (CorpusFileKind Kind, int Weight)[] s_mix =
    {
        (CorpusFileKind.DomainModel, 26),
        (CorpusFileKind.Queries, 18),
        (CorpusFileKind.TextProcessing, 14),
        (CorpusFileKind.Workflow, 12),
        (CorpusFileKind.TypedClient, 10),
        (CorpusFileKind.PagingExport, 8),
        (CorpusFileKind.Retry, 7),
        (CorpusFileKind.Registrations, 5),
    };

    private static readonly string[] s_areas =
    {
        "Billing", "Catalog", "Shipping", "Inventory", "Identity", "Reporting",
        "Scheduling", "Support", "Marketing", "Payroll", "Analytics", "Compliance",
    };

    public static GeneratedCorpus Generate(int fileCount = DefaultFileCount, ulong seed = DefaultSeed)
    {
        if (fileCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fileCount), fileCount, "A corpus has at least one file.");
        }

        var plan = Plan(fileCount, seed);
        var files = new CorpusFile[fileCount];
        for (var i = 0; i < fileCount; i++)
        {
            var unit = plan.Units[i];
            var random = new SplitMix64(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(i + 1)));
            var text = unit.Kind switch
            {
                CorpusFileKind.DomainModel => OrdinaryCode.DomainModel(unit, random),
                CorpusFileKind.Queries => OrdinaryCode.Queries(unit, random),
                CorpusFileKind.TextProcessing => OrdinaryCode.TextProcessing(unit, random),
                CorpusFileKind.Workflow => OrdinaryCode.Workflow(unit, random),
                CorpusFileKind.TypedClient => HttpCode.TypedClient(unit, random),
                CorpusFileKind.PagingExport => HttpCode.PagingExport(unit, random),
                CorpusFileKind.Retry => HttpCode.Retry(unit, random),
                CorpusFileKind.Registrations => HttpCode.Registrations(unit, random, plan),
                _ => throw new InvalidOperationException(unit.Kind.ToString()),
            };
            files[i] = new CorpusFile("src/" + unit.Area + "/" + unit.Kind + "/" + unit.TypeName + ".cs", unit.Kind, text);
        }

        return new GeneratedCorpus(seed, files);
    }

    private static CorpusPlan Plan(int fileCount, ulong seed)
    {
        var random = new SplitMix64(seed);
        var total = s_mix.Sum(m => m.Weight);
        var units = new CorpusUnit[fileCount];
        for (var i = 0; i < fileCount; i++)
        {
            var roll = random.Next(total);
            var kind = s_mix[^1].Kind;
            foreach (var (candidate, weight) in s_mix)
            {
                if (roll < weight)
                {
                    kind = candidate;
                    break;
                }

                roll -= weight;
            }

            var area = random.Pick(s_areas);
            var stem = kind switch
            {
                CorpusFileKind.DomainModel or CorpusFileKind.Queries => random.Pick(Words.Entities),
                CorpusFileKind.TextProcessing => random.Pick(Words.TextTopics),
                CorpusFileKind.Workflow => random.Pick(Words.Processes),
                CorpusFileKind.Registrations => area,
                _ => random.Pick(HttpCode.Apis).Name,
            };
            units[i] = new CorpusUnit(i, kind, area, stem);
        }

        return new CorpusPlan(units);
    }
}

/// <summary>One file to generate: its kind, its namespace's area and the stem of the names it declares.</summary>
internal sealed record CorpusUnit(int Index, CorpusFileKind Kind, string Area, string Stem)
{
    public string Namespace => "Contoso." + Area;

    /// <summary>Every name a file declares ends in its index, so files never collide.</summary>
    public string Name(string suffix = "") => Stem + Index + suffix;

    /// <summary>The file's main type.</summary>
    public string TypeName => Kind switch
    {
        CorpusFileKind.DomainModel => Name(),
        CorpusFileKind.Queries => Name("Repository"),
        CorpusFileKind.TextProcessing => Name("Text"),
        CorpusFileKind.Workflow => Name("Workflow"),
        CorpusFileKind.TypedClient => Name("Client"),
        CorpusFileKind.PagingExport => Name("Exporter"),
        CorpusFileKind.Retry => Name("ResilientClient"),
        _ => Name("ServiceCollectionExtensions"),
    };

    public string FullTypeName => "global::" + Namespace + "." + TypeName;
}

internal sealed record CorpusPlan(IReadOnlyList<CorpusUnit> Units)
{
    public IReadOnlyList<CorpusUnit> OfKind(CorpusFileKind kind) => Units.Where(u => u.Kind == kind).ToList();
}

internal static class Words
{
    public static readonly string[] Entities =
    {
        "Customer", "Order", "Invoice", "Shipment", "Product", "Ticket", "Account", "Payment", "Subscription",
        "Warehouse", "Supplier", "Employee", "Project", "Campaign", "Contract", "Device", "Location", "Review",
    };

    public static readonly string[] TextTopics = { "Address", "Sku", "Slug", "Csv", "Label", "Message", "Query", "Template" };

    public static readonly string[] Processes = { "Import", "Sync", "Reconcile", "Notify", "Archive", "Rebuild", "Settle", "Audit" };
}
