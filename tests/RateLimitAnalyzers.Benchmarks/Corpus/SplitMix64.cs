namespace RateLimitAnalyzers.Benchmarks.Corpus;

/// <summary>
/// SplitMix64: a tiny PRNG whose output is fixed by its definition, so a seed gives the same corpus on every
/// .NET version and machine (System.Random makes no such promise for new algorithms).
/// </summary>
internal sealed class SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive) => (int)(NextUInt64() % (ulong)maxExclusive);

    /// <summary>A number in [<paramref name="min"/>, <paramref name="maxInclusive"/>].</summary>
    public int Between(int min, int maxInclusive) => min + Next(maxInclusive - min + 1);

    public bool Chance(int percent) => Next(100) < percent;

    public T Pick<T>(T[] items) => items[Next(items.Length)];

    /// <summary><paramref name="count"/> distinct items in a random order.</summary>
    public T[] Sample<T>(T[] items, int count)
    {
        var copy = (T[])items.Clone();
        for (var i = copy.Length - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }

        return copy[..System.Math.Min(count, copy.Length)];
    }
}
