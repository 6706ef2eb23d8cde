using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using RateLimitAnalyzers.Emulation.Tests.Servers;

namespace RateLimitAnalyzers.Emulation.Tests.Measuring;

/// <summary>How one client fared against an emulated API, from the server's own record.</summary>
/// <param name="OverQuotaAsSent">
/// The requests the quota would have refused by their send times (<see cref="ServerLog.OverQuotaAsSent"/>): what the
/// client's own pacing answers for, apart from the throttles a stall in transit causes. Null when the client's
/// requests do not say when they were sent.
/// </param>
internal sealed record ClientRun(string Client, int Requests, int Throttled, int? OverQuotaAsSent, int Lost, int Duplicates, int Early, double QuotaUsed)
{
    /// <summary>
    /// Measures <paramref name="client"/>'s requests in <paramref name="api"/>'s log: what it should have got against
    /// what arrived, and how much of the quota it used between its first and its last request.
    /// </summary>
    public static ClientRun Measure<TOptions>(
        string client,
        EmulatedApi<TOptions> api,
        IReadOnlyCollection<string> expected,
        IReadOnlyList<string> delivered)
    {
        var arrivals = api.Log.Of(client);
        var accepted = arrivals.Count(a => !a.Throttled);
        var used = arrivals.Count == 0 ? 0 : 100.0 * accepted / api.Capacity(arrivals.Min(a => a.At), arrivals.Max(a => a.At));
        return new ClientRun(
            client,
            arrivals.Count,
            arrivals.Count(a => a.Throttled),
            api.Log.OverQuotaAsSent(client, api.NewQuota)?.Count,
            expected.Except(delivered).Count(),
            delivered.Count - delivered.Distinct().Count(),
            api.Log.EarlyArrivals(client).Count,
            used);
    }

    /// <summary>A plain-text table of the runs, one line each.</summary>
    public static string Table(string title, IEnumerable<ClientRun> runs)
    {
        var text = new StringBuilder();
        text.AppendLine(title);
        text.AppendLine("| client | requests | throttle responses | over the quota as sent | lost items | duplicates | retries before the server's wait | quota utilisation |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var run in runs)
        {
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {run.Client} | {run.Requests} | {run.Throttled} | {(run.OverQuotaAsSent is { } over ? over.ToString(CultureInfo.InvariantCulture) : "-")} | {run.Lost} | {run.Duplicates} | {run.Early} | {run.QuotaUsed:0.0} % |"));
        }

        return text.ToString();
    }
}
