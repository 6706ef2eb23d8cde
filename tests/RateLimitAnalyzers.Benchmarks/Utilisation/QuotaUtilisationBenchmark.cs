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
using Polly;
using RateLimitAnalyzers.Benchmarks.Runtime;
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
        ("RateLimitedHandler (RequestPacer, turns held until the response)", s => new HandlerPacing(new RateLimitPolicy("api.example.test/v1/records")
        {
            // Its own pacer rather than the process-wide one, so that runs do not share turns; one attempt, as no client retries.
            Pacer = new RequestPacer(new QuotaWindow(s.Limit, s.Window)),
            MaxAttempts = 1,
        })),
        ("Polly v8 rate limiter (SlidingWindowRateLimiter, 4 segments)", s => new PollyPacing(new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = s.Limit, Window = s.Window, SegmentsPerWindow = 4, QueueLimit = int.MaxValue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }))),
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
        using var http = new HttpClient(pacing.Around(api), disposeHandler: false) { BaseAddress = new Uri("https://api.example.test/") };
        var clock = Stopwatch.StartNew();

        // A handler waits for its turn inside the send: the end of the export cancels that wait, so that no client sends
        // a request whose turn came after the end.
        using var end = new CancellationTokenSource(settings.Duration);
        var page = 0;
        while (true)
        {
            await pacing.WaitTurnAsync().ConfigureAwait(false);
            if (clock.Elapsed >= settings.Duration)
            {
                break;
            }

            try
            {
                using var response = await http.GetAsync("v1/records?page=" + page, end.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (end.IsCancellationRequested)
            {
                break;
            }
            catch (RateLimitExceededException)
            {
                // The handler's one attempt was throttled: the page is lost, as with every other client.
            }

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

    /// <summary>How a client waits for its turn before each request, or around it.</summary>
    public interface IPacing : IDisposable
    {
        ValueTask WaitTurnAsync();

        /// <summary>The handler the client sends through: the API itself unless the pacing is a handler.</summary>
        HttpMessageHandler Around(HttpMessageHandler api) => api;
    }

    private sealed class HandlerPacing(RateLimitPolicy policy) : IPacing
    {
        public ValueTask WaitTurnAsync() => ValueTask.CompletedTask;

        public HttpMessageHandler Around(HttpMessageHandler api) => new RateLimitedHandler(policy, api);

        public void Dispose()
        {
        }
    }

    private sealed class PollyPacing(RateLimiter limiter) : IPacing
    {
        private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder().AddRateLimiter(limiter).Build();

        public ValueTask WaitTurnAsync() => _pipeline.ExecuteAsync(static _ => ValueTask.CompletedTask);

        public void Dispose() => limiter.Dispose();
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
        public ValueTask WaitTurnAsync() => new(Limiters.AcquireQueuedAsync(limiter));

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
