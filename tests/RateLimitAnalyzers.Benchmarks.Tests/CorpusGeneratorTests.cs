using System.Collections.Generic;
using System.Linq;
using RateLimitAnalyzers.Benchmarks.Corpus;
using Xunit;

namespace RateLimitAnalyzers.Benchmarks.Tests;

public sealed class CorpusGeneratorTests
{
    [Fact]
    public void The_same_seed_gives_the_same_corpus_byte_for_byte()
    {
        var first = CorpusGenerator.Generate();
        var second = CorpusGenerator.Generate();

        Assert.Equal(first.Files.Select(f => f.Path), second.Files.Select(f => f.Path));
        Assert.Equal(first.Files.Select(f => f.Text), second.Files.Select(f => f.Text));
    }

    /// <summary>
    /// The default corpus, pinned: the same seed must give the same corpus on every machine and every .NET version,
    /// or benchmark results from different days would measure different code. A change to the generator changes
    /// this hash on purpose; say so in tests/benchmarks.md, whose results then no longer compare with older ones.
    /// </summary>
    [Fact]
    public void The_default_corpus_is_the_one_the_published_results_were_measured_on()
    {
        var corpus = CorpusGenerator.Generate();
        using var sha = System.Security.Cryptography.SHA256.Create();
        foreach (var file in corpus.Files)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(file.Path + "\n" + file.Text + "\n");
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }

        sha.TransformFinalBlock(System.Array.Empty<byte>(), 0, 0);
        Assert.Equal(PinnedHash, System.Convert.ToHexString(sha.Hash!));
    }

    private const string PinnedHash = "9122FCEEDF4A7A0F532D40C88EF56FF5C40DE7FC9553D14776949F3B358A49DB";

    [Fact]
    public void Another_seed_gives_another_corpus()
    {
        var first = CorpusGenerator.Generate(200);
        var other = CorpusGenerator.Generate(200, CorpusGenerator.DefaultSeed + 1);

        Assert.NotEqual(first.Files.Select(f => f.Text), other.Files.Select(f => f.Text));
    }

    [Fact]
    public void A_smaller_corpus_is_the_start_of_the_larger_one()
    {
        var large = CorpusGenerator.Generate(300);
        var small = CorpusGenerator.Generate(100);

        Assert.Equal(small.Files.Select(f => f.Text), large.Files.Take(100).Select(f => f.Text));
    }

    [Fact]
    public void The_default_corpus_meets_the_size_floor_and_mixes_every_kind_of_code()
    {
        var corpus = CorpusGenerator.Generate();

        Assert.True(corpus.Files.Count >= 2_000, corpus.Files.Count + " files");
        Assert.True(corpus.LineCount >= 200_000, corpus.LineCount + " lines");
        Assert.Equal(corpus.Files.Count, corpus.Files.Select(f => f.Path).Distinct().Count());

        var byKind = corpus.Files.GroupBy(f => f.Kind).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(System.Enum.GetValues<CorpusFileKind>(), kind => Assert.True(byKind.GetValueOrDefault(kind) > 50, kind + ": " + byKind.GetValueOrDefault(kind)));

        // Most of a real code base never touches HTTP.
        Assert.True(corpus.FilesWithoutHttp.Count > corpus.Files.Count / 2);
    }
}
