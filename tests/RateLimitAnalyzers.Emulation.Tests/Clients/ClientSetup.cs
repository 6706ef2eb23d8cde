using System;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;

namespace RateLimitAnalyzers.Emulation.Tests.Clients;

/// <summary>What every client here shares: how it names itself, and the common alternative's Polly parts.</summary>
internal static class ClientSetup
{
    /// <summary>Credentials, and a User-Agent naming the client so the server's record tells clients apart.</summary>
    public static void Identify(HttpClient http, AuthenticationHeaderValue credentials, string client)
    {
        http.DefaultRequestHeaders.Authorization = credentials;
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", client);
    }

    /// <summary>
    /// The header in which a client's transport writes when the request left: <see cref="Stopwatch.GetTimestamp"/>,
    /// which is machine-wide, so the servers read it on their own clock whichever process sent the request.
    /// </summary>
    public const string SentAtHeader = "X-Emulation-Sent-At";

    /// <summary>
    /// What every client's requests go out through: <paramref name="inner"/> (a plain <see cref="HttpClientHandler"/>
    /// by default), behind a last step that writes in <see cref="SentAtHeader"/> when the request left, so that the
    /// server's record can tell a pacer's schedule from the time a request spent in transit.
    /// </summary>
    public static HttpMessageHandler Transport(HttpMessageHandler? inner = null) => new SentAtStamp(inner ?? new HttpClientHandler());

    /// <summary>Basic credentials as Agora's customer ID and secret, or SUSE's user and token.</summary>
    public static AuthenticationHeaderValue Basic(string user, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + secret)));

    /// <summary>Polly's retry as it is usually set up for HTTP: 429 and nothing else, exponential backoff with jitter, scaled to the window.</summary>
#pragma warning disable RL0003 // The common alternative as people write it: its own delay schedule, Retry-After unread. The comparison measures what that costs.
    public static RetryStrategyOptions<HttpResponseMessage> RetryOn429(TimeSpan window) => new()
    {
        ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        MaxRetryAttempts = 3,
        Delay = window / 4,
    };
#pragma warning restore RL0003

    private sealed class SentAtStamp : DelegatingHandler
    {
        public SentAtStamp(HttpMessageHandler inner)
            : base(inner)
        {
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Remove(SentAtHeader);
            request.Headers.TryAddWithoutValidation(SentAtHeader, Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture));
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>System.Threading.RateLimiting's sliding window at the quota, queueing every caller.</summary>
    public static SlidingWindowRateLimiter SlidingWindow(int limit, TimeSpan window) => new(new SlidingWindowRateLimiterOptions
    {
        PermitLimit = limit,
        Window = window,
        SegmentsPerWindow = 4,
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });
}
