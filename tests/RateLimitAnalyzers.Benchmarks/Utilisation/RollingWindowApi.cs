using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace RateLimitAnalyzers.Benchmarks.Utilisation;

/// <summary>
/// An in-memory API that allows at most <c>limit</c> requests in any rolling <c>window</c>, counted when the
/// request arrives, and answers 429 with Retry-After beyond that. Throttled requests do not count against the
/// quota. It is the strictest common server behaviour: no burst allowance, no fixed-window reset to exploit.
/// </summary>
public sealed class RollingWindowApi : HttpMessageHandler
{
    private readonly object _gate = new();
    private readonly Queue<long> _accepted = new();
    private readonly int _limit;
    private readonly long _windowTicks;
    private int _acceptedCount;
    private int _throttledCount;

    public RollingWindowApi(int limit, TimeSpan window)
    {
        _limit = limit;
        _windowTicks = (long)(window.TotalSeconds * Stopwatch.Frequency);
    }

    public int Accepted => Volatile.Read(ref _acceptedCount);

    public int Throttled => Volatile.Read(ref _throttledCount);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            while (_accepted.Count > 0 && now - _accepted.Peek() >= _windowTicks)
            {
                _accepted.Dequeue();
            }

            if (_accepted.Count >= _limit)
            {
                _throttledCount++;
                var wait = TimeSpan.FromSeconds((double)(_accepted.Peek() + _windowTicks - now) / Stopwatch.Frequency);
                var throttled = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { RequestMessage = request };
                throttled.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
                return Task.FromResult(throttled);
            }

            _accepted.Enqueue(now);
            _acceptedCount++;
        }

        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new StringContent("{\"items\":[],\"next\":\"" + _acceptedCount + "\"}"),
        });
    }
}
