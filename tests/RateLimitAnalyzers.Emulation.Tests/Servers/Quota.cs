using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;

namespace RateLimitAnalyzers.Emulation.Tests.Servers;

/// <summary>At most <see cref="Limit"/> requests per <see cref="Window"/>, as a server enforces it.</summary>
internal readonly record struct QuotaRule(int Limit, TimeSpan Window)
{
    public override string ToString() => Limit.ToString(CultureInfo.InvariantCulture) + "/" + Window.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
}

/// <summary>The servers' clock: monotonic, so arrival times compare exactly with the waits the servers asked for.</summary>
internal static class ServerClock
{
    private static readonly long s_origin = Stopwatch.GetTimestamp();

    public static TimeSpan Now => Stopwatch.GetElapsedTime(s_origin);

    /// <summary>A <see cref="Stopwatch.GetTimestamp"/> reading, of this process or another on the machine, on this clock.</summary>
    public static TimeSpan At(long timestamp) => Stopwatch.GetElapsedTime(s_origin, timestamp);
}

/// <summary>
/// A strict rolling log (Archiva, SUSE Application Collection): a request is accepted while fewer than Limit
/// accepted requests arrived in the last Window. Refused requests are not counted.
/// </summary>
internal sealed class RollingLog
{
    private readonly Queue<TimeSpan> _accepted = new();

    public RollingLog(QuotaRule rule)
    {
        Rule = rule;
    }

    public QuotaRule Rule { get; }

    /// <summary>Accepts the request at <paramref name="now"/> if the window has room; either way says how the window stands after it.</summary>
    public bool TryAccept(TimeSpan now, out int remaining, out TimeSpan freesIn)
    {
        while (_accepted.Count > 0 && _accepted.Peek() + Rule.Window <= now)
        {
            _accepted.Dequeue();
        }

        var accepted = _accepted.Count < Rule.Limit;
        if (accepted)
        {
            _accepted.Enqueue(now);
        }

        remaining = Rule.Limit - _accepted.Count;
        freesIn = _accepted.Count == 0 ? TimeSpan.Zero : _accepted.Peek() + Rule.Window - now;
        return accepted;
    }
}

/// <summary>
/// Fixed windows counted on the server's clock (Agora counts per second and per day in its UTC time): a request
/// is accepted while its window has accepted fewer than Limit. Refused requests are not counted.
/// </summary>
internal sealed class FixedWindowCount
{
    private long _index = -1;
    private int _count;

    public FixedWindowCount(QuotaRule rule)
    {
        Rule = rule;
    }

    public QuotaRule Rule { get; }

    public bool HasRoom(TimeSpan now)
    {
        Roll(now);
        return _count < Rule.Limit;
    }

    public void Record(TimeSpan now)
    {
        Roll(now);
        _count++;
    }

    private void Roll(TimeSpan now)
    {
        var index = now.Ticks / Rule.Window.Ticks;
        if (index != _index)
        {
            _index = index;
            _count = 0;
        }
    }
}
