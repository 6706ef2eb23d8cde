using System;
using System.Globalization;

namespace RateLimitAnalyzers.Pacing.Redis;

/// <summary>
/// One window of a quota that several workers share: at most <see cref="Limit"/> requests in any rolling
/// <see cref="Window"/>, counted across every worker that uses the same key.
/// </summary>
public readonly struct SharedQuotaWindow : IEquatable<SharedQuotaWindow>
{
    /// <summary>At most <paramref name="limit"/> requests in any rolling <paramref name="window"/>.</summary>
    public SharedQuotaWindow(int limit, TimeSpan window)
    {
        if (limit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "A quota allows at least one request.");
        }

        // Redis scores are microseconds; a window below one would round to nothing.
        if (window < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "A quota window must be at least a millisecond long.");
        }

        Limit = limit;
        Window = window;
    }

    /// <summary>The requests allowed in any one window.</summary>
    public int Limit { get; }

    /// <summary>The length of the rolling window.</summary>
    public TimeSpan Window { get; }

    /// <inheritdoc/>
    public bool Equals(SharedQuotaWindow other) => Limit == other.Limit && Window == other.Window;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SharedQuotaWindow other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => (Limit * 397) ^ Window.GetHashCode();

    /// <summary>Whether both allow the same number of requests in windows of the same length.</summary>
    public static bool operator ==(SharedQuotaWindow left, SharedQuotaWindow right) => left.Equals(right);

    /// <summary>Whether they differ in limit or window length.</summary>
    public static bool operator !=(SharedQuotaWindow left, SharedQuotaWindow right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() =>
        Limit.ToString(CultureInfo.InvariantCulture) + " per " + Window.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s";
}
