using System;
using System.Collections.Immutable;
using System.Globalization;

namespace RateLimitAnalyzers.Knowledge.Endpoints;

/// <summary>
/// The one reader and writer of quota text, shared by the endpoint catalog (<c>quota=</c>) and the
/// <c>rate_limit_analyzers.default_quota</c> editorconfig option, so both accept exactly the same forms:
/// <c>N/&lt;number&gt;&lt;s|m|h|d&gt;</c>, several windows separated by commas (<c>3/1s, 2000/1d</c>).
/// The number before the unit may be left out (<c>1000/d</c> is <c>1000/1d</c>).
/// </summary>
internal static class QuotaText
{
    /// <summary>
    /// The longest window accepted. Vendors quote per-second to per-day limits (monthly plans are billing, not
    /// throttling); a year leaves room and keeps every window far inside <see cref="TimeSpan"/>.
    /// </summary>
    internal const int MaxPeriodDays = 366;

    internal const string Syntax = "N/<number><s|m|h|d>, e.g. 100/60s or 3/1s, 2000/1d";

    /// <summary>Reads one or more comma-separated windows. On failure <paramref name="error"/> says what is wrong, in a sentence fit for a diagnostic.</summary>
    internal static bool TryParse(string? text, out ImmutableArray<QuotaWindowInfo> windows, out string error)
    {
        windows = ImmutableArray<QuotaWindowInfo>.Empty;
        if (text is null || text.Trim().Length == 0)
        {
            error = "the quota is empty; expected " + Syntax;
            return false;
        }

        var parts = text.Split(',');
        var builder = ImmutableArray.CreateBuilder<QuotaWindowInfo>(parts.Length);
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].Trim();
            if (part.Length == 0)
            {
                error = "the quota '" + text.Trim() + "' has an empty window (a stray comma?); expected " + Syntax;
                return false;
            }

            if (IsAllDigits(part) && i + 1 < parts.Length)
            {
                // "1,000/1d" splits into "1" and "000/1d": say so rather than report two puzzling errors.
                error = "the quota '" + text.Trim() + "' has a window '" + part + "' with no period; write numbers without thousands separators (1000/1d, not 1,000/1d)";
                return false;
            }

            if (!TryParseWindow(part, out var window, out error))
            {
                return false;
            }

            foreach (var earlier in builder)
            {
                if (earlier.Period == window.Period)
                {
                    error = "the quota '" + text.Trim() + "' gives two limits for the same window (" + earlier + " and " + window + ")";
                    return false;
                }
            }

            builder.Add(window);
        }

        windows = builder.MoveToImmutable();
        error = string.Empty;
        return true;
    }

    /// <summary>Reads one window, <c>100/60s</c>.</summary>
    internal static bool TryParseWindow(string text, out QuotaWindowInfo window, out string error)
    {
        window = default;
        var trimmed = text.Trim();
        var slash = trimmed.IndexOf('/');
        if (slash < 0)
        {
            error = "'" + trimmed + "' is not a quota window; expected " + Syntax;
            return false;
        }

        var limitText = trimmed.Substring(0, slash).Trim();
        var periodText = trimmed.Substring(slash + 1).Trim();
        if (!TryParseCount(limitText, "limit", trimmed, out var limit, out error))
        {
            return false;
        }

        if (!TryParsePeriod(periodText, out var periodCount, out var unit, out error))
        {
            error = "in '" + trimmed + "', " + error;
            return false;
        }

        window = new QuotaWindowInfo(limit, periodCount, unit);
        return true;
    }

    /// <summary>Reads a duration, <c>60s</c>, <c>24h</c>, <c>1d</c> or a bare unit (<c>d</c>).</summary>
    internal static bool TryParsePeriod(string text, out int count, out QuotaPeriodUnit unit, out string error)
    {
        count = 0;
        unit = default;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            error = "the period is missing; expected <number><s|m|h|d>, e.g. 60s";
            return false;
        }

        if (!TryParseUnit(trimmed[trimmed.Length - 1], out unit))
        {
            error = "the period '" + trimmed + "' must end in a unit: s, m, h or d";
            return false;
        }

        var countText = trimmed.Substring(0, trimmed.Length - 1).Trim();
        if (countText.Length == 0)
        {
            count = 1;
        }
        else if (!TryParseCount(countText, "period", trimmed, out count, out error))
        {
            return false;
        }

        // In seconds as a long: an int count of days would overflow TimeSpan before the comparison.
        if ((long)count * SecondsPer(unit) > (long)MaxPeriodDays * SecondsPer(QuotaPeriodUnit.Day))
        {
            error = "the period '" + trimmed + "' is longer than " + MaxPeriodDays.ToString(CultureInfo.InvariantCulture) + " days";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>The canonical text of several windows, <c>3/1s, 2000/1d</c>.</summary>
    internal static string Format(ImmutableArray<QuotaWindowInfo> windows) => string.Join(", ", windows);

    /// <summary>"1 request per second and 1,000 requests per day".</summary>
    internal static string Describe(ImmutableArray<QuotaWindowInfo> windows)
    {
        if (windows.IsDefaultOrEmpty)
        {
            return string.Empty;
        }

        if (windows.Length == 1)
        {
            return windows[0].Describe();
        }

        var text = windows[0].Describe();
        for (var i = 1; i < windows.Length; i++)
        {
            text += (i == windows.Length - 1 ? " and " : ", ") + windows[i].Describe();
        }

        return text;
    }

    internal static TimeSpan ToTimeSpan(int count, QuotaPeriodUnit unit) => unit switch
    {
        QuotaPeriodUnit.Second => TimeSpan.FromSeconds(count),
        QuotaPeriodUnit.Minute => TimeSpan.FromMinutes(count),
        QuotaPeriodUnit.Hour => TimeSpan.FromHours(count),
        _ => TimeSpan.FromDays(count),
    };

    internal static string FormatPeriod(int count, QuotaPeriodUnit unit) =>
        count.ToString(CultureInfo.InvariantCulture) + unit switch
        {
            QuotaPeriodUnit.Second => "s",
            QuotaPeriodUnit.Minute => "m",
            QuotaPeriodUnit.Hour => "h",
            _ => "d",
        };

    /// <summary>"second" for one unit, otherwise the count and a short unit as written: "60 s", "24 h", "15 min".</summary>
    internal static string DescribePeriod(int count, QuotaPeriodUnit unit)
    {
        if (count == 1)
        {
            return unit switch
            {
                QuotaPeriodUnit.Second => "second",
                QuotaPeriodUnit.Minute => "minute",
                QuotaPeriodUnit.Hour => "hour",
                _ => "day",
            };
        }

        return count.ToString("N0", CultureInfo.InvariantCulture) + unit switch
        {
            QuotaPeriodUnit.Second => " s",
            QuotaPeriodUnit.Minute => " min",
            QuotaPeriodUnit.Hour => " h",
            _ => " days",
        };
    }

    private static long SecondsPer(QuotaPeriodUnit unit) => unit switch
    {
        QuotaPeriodUnit.Second => 1,
        QuotaPeriodUnit.Minute => 60,
        QuotaPeriodUnit.Hour => 3600,
        _ => 86400,
    };

    private static bool TryParseUnit(char c, out QuotaPeriodUnit unit)
    {
        switch (char.ToLowerInvariant(c))
        {
            case 's':
                unit = QuotaPeriodUnit.Second;
                return true;
            case 'm':
                unit = QuotaPeriodUnit.Minute;
                return true;
            case 'h':
                unit = QuotaPeriodUnit.Hour;
                return true;
            case 'd':
                unit = QuotaPeriodUnit.Day;
                return true;
            default:
                unit = default;
                return false;
        }
    }

    private static bool TryParseCount(string text, string what, string context, out int value, out string error)
    {
        value = 0;
        if (text.Length == 0)
        {
            error = "the " + what + " is missing in '" + context + "'; expected " + Syntax;
            return false;
        }

        if (text[0] == '-')
        {
            error = "the " + what + " in '" + context + "' is negative; it must be a whole number of at least 1";
            return false;
        }

        if (!IsAllDigits(text))
        {
            error = "the " + what + " '" + text + "' in '" + context + "' is not a whole number; expected " + Syntax;
            return false;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            error = "the " + what + " '" + text + "' in '" + context + "' is too large (at most " + int.MaxValue.ToString(CultureInfo.InvariantCulture) + ")";
            return false;
        }

        if (value == 0)
        {
            error = "the " + what + " in '" + context + "' is zero; it must be at least 1";
            return false;
        }

        error = string.Empty;
        return true;
    }

    private static bool IsAllDigits(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        return true;
    }
}
