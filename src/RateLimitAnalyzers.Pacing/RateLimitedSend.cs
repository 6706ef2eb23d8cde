using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// Paces and retries one call for code that cannot put <see cref="RateLimitedHandler"/> into its
    /// HttpClient. What is retried, and what never is, is described on <see cref="ThrottledRetry"/>.
    /// </summary>
    internal static class RateLimitedSend
    {
        /// <summary>
        /// Sends a request built by <paramref name="createRequest"/>, building a fresh one for every
        /// attempt: HttpClient refuses to send one request message twice.
        /// </summary>
        public static Task<HttpResponseMessage> SendAsync(HttpClient client, Func<HttpRequestMessage> createRequest, RateLimitPolicy policy, CancellationToken cancellationToken = default(CancellationToken))
        {
            if (client == null)
            {
                throw new ArgumentNullException(nameof(client));
            }

            CheckArguments(policy, createRequest, nameof(createRequest));
            HttpRequestMessage previous = null;
            return ThrottledRetry.RunAsync(
                policy,
                async token =>
                {
                    // The refused attempt's response is gone; its request (and content) can go too.
                    if (previous != null)
                    {
                        previous.Dispose();
                    }

                    var request = createRequest();
                    previous = request;
                    var response = await client.SendAsync(request, token).ConfigureAwait(false);

                    // The retry asks the response for its request's method; a custom handler may not have set it.
                    if (response != null && response.RequestMessage == null)
                    {
                        response.RequestMessage = request;
                    }

                    return response;
                },
                true,
                cancellationToken);
        }

        /// <summary>
        /// Sends <paramref name="request"/>, built before the call, as a fresh copy on every attempt: HttpClient
        /// refuses to send one request message twice. The content is read into memory once, so every attempt sends
        /// the same bytes. The message itself is never sent, and stays the caller's to dispose.
        /// </summary>
        public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, RateLimitPolicy policy, CancellationToken cancellationToken = default(CancellationToken))
        {
            if (client == null)
            {
                throw new ArgumentNullException(nameof(client));
            }

            CheckArguments(policy, request, nameof(request));
            var copy = await HttpContentBuffer.CopierAsync(request, cancellationToken).ConfigureAwait(false);
            return await SendAsync(client, copy, policy, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Paces and runs any call, e.g. <c>ct =&gt; client.GetStringAsync(url, ct)</c>, retrying it when
        /// throttled. An <see cref="HttpResponseMessage"/> result is inspected like the handler does; a
        /// string result is checked for <see cref="RateLimitPolicy.ThrottleBodyContains"/>; on .NET 5 and
        /// later an <see cref="HttpRequestException"/> whose status is a throttle status counts as throttled
        /// (with no Retry-After to read, the retry backs off).
        /// </summary>
        /// <remarks>
        /// Create request content inside <paramref name="send"/>: .NET Framework's HttpClient disposes the
        /// content it sent, so content created outside cannot be sent a second time.
        /// </remarks>
        public static Task<T> RunAsync<T>(RateLimitPolicy policy, Func<CancellationToken, Task<T>> send, CancellationToken cancellationToken = default(CancellationToken))
        {
            CheckArguments(policy, send, nameof(send));
            return ThrottledRetry.RunAsync(policy, send, true, cancellationToken);
        }

        /// <summary>The synchronous <see cref="RunAsync{T}"/>: every wait blocks the calling thread.</summary>
        public static T Run<T>(RateLimitPolicy policy, Func<T> send, CancellationToken cancellationToken = default(CancellationToken))
        {
            CheckArguments(policy, send, nameof(send));

            // Every step runs synchronously, so the task has already completed; only before .NET 5, where
            // HttpContent has no synchronous read, does buffering a body for a throttle marker block here.
            return ThrottledRetry.RunAsync(policy, token => Task.FromResult(send()), false, cancellationToken).GetAwaiter().GetResult();
        }

        private static void CheckArguments(RateLimitPolicy policy, object send, string sendName)
        {
            if (policy == null)
            {
                throw new ArgumentNullException(nameof(policy));
            }

            if (send == null)
            {
                throw new ArgumentNullException(sendName);
            }
        }
    }
}
