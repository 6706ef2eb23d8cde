using System;
using System.Globalization;

namespace RateLimitAnalyzers.Emulation.Tests.Servers;

/// <summary>
/// Waits as the emulated servers write them in headers: seconds, rounded up so a client that honours the value
/// never comes back early. The real APIs send whole seconds, and so does Archiva's emulator by default; an emulator
/// may be told to send milliseconds (<c>Retry-After: 0.347</c>, which the runtime reads) where a window compressed
/// to a fraction of a second wants the exact wait. Either way "honoured" is checked against the value sent.
/// </summary>
internal static class HeaderSeconds
{
    /// <summary>The wait as sent, and the header text for it, with <paramref name="decimals"/> digits after the point.</summary>
    public static (TimeSpan Sent, string Text) Format(TimeSpan wait, int decimals)
    {
        var unit = (long)Math.Pow(10, decimals);
        var units = (long)Math.Ceiling(wait.Ticks * (double)unit / TimeSpan.TicksPerSecond);
        var sent = TimeSpan.FromTicks(units * (TimeSpan.TicksPerSecond / unit));
        var text = decimals == 0
            ? units.ToString(CultureInfo.InvariantCulture)
            : (units / (double)unit).ToString("0." + new string('0', decimals), CultureInfo.InvariantCulture);
        return (sent, text);
    }
}
