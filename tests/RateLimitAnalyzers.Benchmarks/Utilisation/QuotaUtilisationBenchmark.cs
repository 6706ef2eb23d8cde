using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using RateLimitAnalyzers.Pacing;

namespace RateLimitAnalyzers.Benchmarks.Utilisation;

/// <param name="Limit">N requests ...</param>
/// <param name="Window">... in any rolling W.</param>
/// <param name="Windows">How many windows the export lasts.</param>
/// <param name="Runs">Runs per client; the table shows medians.</param>
public sealed record UtilisationSettings(int Limit = 20, int WindowMilliseconds = 200, int Windows = 25, int Runs = 3)
{
    public TimeSpan Window => TimeSpan.FromMilliseconds(WindowMilliseconds);

    public TimeSpan Duration => Window * Windows;

    /// <summary>The most any client can have accepted: N at the start of each of the export's windows.</summary>
    public int PhysicalLimit => Limit * Windows;
}

public sealed record UtilisationResult(string Client, int Accepted, int Throttled, double Utilisation);

/// <summary>
/// A long export against <see cref="RollingWindowApi"/>: one page per request, one request after another,
/// each client pacing the way it is documented to be set up for "N per W". A throttled page is lost, as in a
/// loop that logs the failure and moves on; no client retries, so the table shows the pacing alone.
/// </summary>
public static class QuotaUtilisationBenchmark
{
    public static IReadOnlyList<(string Client, Func<UtilisationSettings, IPacing> Create)> Clients { get; } = new (string, Func<UtilisationSettings, IPacing>)[]
    {
        ("RequestPacer (rolling log)", s => new PacerPacing(new RequestPacer(new QuotaWindow(s.Limit, s.Window)))),
        ("SlidingWindowRateLimiter (4 segments)", s => new LimiterPacing(new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = s.Limit, Window = s.Window, SegmentsPerWindow = 4, QueueLimit = int.MaxValue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }))),
        ("TokenBucketRateLimiter (N tokens every W)", s => new LimiterPacing(new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = s.Limit, TokensPerPeriod = s.Limit, ReplenishmentPeriod = s.Window, QueueLimit = int.MaxValue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }))),
        ("Task.Delay(W / N) between requests", s => new DelayPacing(s.Window / s.Limit)),
    };

    public static async Task<IReadOnlyList<UtilisationResult>> RunAsync(UtilisationSettings settings)
    {
        var runs = new Dictionary<string, List<UtilisationResult>>();
        for (var run = 0; run < settings.Runs; run++)
        {
            foreach (var (name, create) in Clients)
            {
                using var pacing = create(settings);
                var result = await ExportAsync(name, pacing, settings).ConfigureAwait(false);
                (runs.TryGetValue(name, out var list) ? list : runs[name] = new List<UtilisationResult>()).Add(result);
                Console.Error.WriteLine($"[utilisation] run {run + 1}/{settings.Runs} {name}: {result.Accepted} accepted, {result.Throttled} throttled");
            }
        }

        return Clients.Select(c => runs[c.Client]).Select(list => new UtilisationResult(
            list[0].Client,
            (int)Stats.Median(list.Select(r => (double)r.Accepted)),
            (int)Stats.Median(list.Select(r => (double)r.Throttled)),
            Stats.Median(list.Select(r => r.Utilisation)))).ToList();
    }

    private static async Task<UtilisationResult> ExportAsync(string name, IPacing pacing, UtilisationSettings settings)
    {
        using var api = new RollingWindowApi(settings.Limit, settings.Window);
        using var http = new HttpClient(api) { BaseAddress = new Uri("https://api.example.test/") };
        var clock = Stopwatch.StartNew();
        var page = 0;
        while (true)
        {
            await pacing.WaitTurnAsync().ConfigureAwait(false);
            if (clock.Elapsed >= settings.Duration)
            {
                break;
            }

            using var response = await http.GetAsync("v1/records?page=" + page, CancellationToken.None).ConfigureAwait(false);
            page++;
        }

        return new UtilisationResult(name, api.Accepted, api.Throttled, (double)api.Accepted / settings.PhysicalLimit);
    }

    public static void WriteReport(TextWriter o, UtilisationSettings settings, IReadOnlyList<UtilisationResult> results)
    {
        o.WriteLine($"Emulated API: at most {settings.Limit} requests in any rolling {settings.WindowMilliseconds} ms; an export of {settings.Duration.TotalSeconds:0.#} s ({settings.Windows} windows, physical limit {settings.PhysicalLimit} accepted requests with zero throttles). Medians of {settings.Runs} runs.");
        o.WriteLine();
        o.WriteLine("| client | accepted | utilisation | throttle responses (= pages lost) |");
        o.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            o.WriteLine($"| {r.Client} | {r.Accepted} | {(r.Utilisation * 100).ToString("0.0", CultureInfo.InvariantCulture)}% | {r.Throttled} |");
        }
    }

    /// <summary>How a client waits for its turn before each request.</summary>
    public interface IPacing : IDisposable
    {
        ValueTask WaitTurnAsync();
    }

    private sealed class PacerPacing(RequestPacer pacer) : IPacing
    {
        public ValueTask WaitTurnAsync() => new(pacer.WaitTurnAsync());

        public void Dispose()
        {
        }
    }

    private sealed class LimiterPacing(RateLimiter limiter) : IPacing
    {
        public async ValueTask WaitTurnAsync()
        {
            using var lease = await limiter.AcquireAsync(1).ConfigureAwait(false);
            if (!lease.IsAcquired)
            {
                throw new InvalidOperationException("The limiter refused a queued request.");
            }
        }

        public void Dispose() => limiter.Dispose();
    }

    private sealed class DelayPacing(TimeSpan delay) : IPacing
    {
        private bool _first = true;

        public async ValueTask WaitTurnAsync()
        {
            if (_first)
            {
                _first = false;
                return;
            }

            await Task.Delay(delay).ConfigureAwait(false);
        }

        public void Dispose()
        {
        }
    }
}
