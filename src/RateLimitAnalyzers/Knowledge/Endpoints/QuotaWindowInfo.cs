using System;
using System.Globalization;

namespace RateLimitAnalyzers.Knowledge.Endpoints;

/// <summary>The unit a quota window was written in; kept so messages say "per 60 s" when the vendor says 60 seconds.</summary>
internal enum QuotaPeriodUnit
{
    Second,
    Minute,
    Hour,
    Day,
}

/// <summary>One quota window: at most <see cref="Limit"/> requests per <see cref="Period"/>.</summary>
internal readonly struct QuotaWindowInfo : IEquatable<QuotaWindowInfo>
{
    internal QuotaWindowInfo(int limit, int periodCount, QuotaPeriodUnit unit)
    {
        Limit = limit;
        PeriodCount = periodCount;
        Unit = unit;
    }

    internal int Limit { get; }

    /// <summary>How many <see cref="Unit"/>s the window lasts, as written (60 in <c>100/60s</c>).</summary>
    internal int PeriodCount { get; }

    internal QuotaPeriodUnit Unit { get; }

    internal TimeSpan Period => QuotaText.ToTimeSpan(PeriodCount, Unit);

    /// <summary>"100 requests per 60 s", "1 request per second", "5,000 requests per hour".</summary>
    internal string Describe()
    {
        var requests = Limit == 1 ? "1 request" : Limit.ToString("N0", CultureInfo.InvariantCulture) + " requests";
        return requests + " per " + QuotaText.DescribePeriod(PeriodCount, Unit);
    }

    /// <summary>The canonical text form, <c>100/60s</c>, which <see cref="QuotaText.TryParse"/> reads back.</summary>
    public override string ToString() =>
        Limit.ToString(CultureInfo.InvariantCulture) + "/" + QuotaText.FormatPeriod(PeriodCount, Unit);

    public bool Equals(QuotaWindowInfo other) => Limit == other.Limit && PeriodCount == other.PeriodCount && Unit == other.Unit;

    public override bool Equals(object? obj) => obj is QuotaWindowInfo other && Equals(other);

    public override int GetHashCode() => unchecked((Limit * 397) ^ (PeriodCount * 31) ^ (int)Unit);

    public static bool operator ==(QuotaWindowInfo left, QuotaWindowInfo right) => left.Equals(right);

    public static bool operator !=(QuotaWindowInfo left, QuotaWindowInfo right) => !left.Equals(right);
}
