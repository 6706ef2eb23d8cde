using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// An HttpClient handler that paces every request under its policy's quota and retries the ones the
    /// server refuses for its rate limit, waiting as long as the server asked:
    /// <c>new HttpClient(new RateLimitedHandler(policy))</c>.
    /// </summary>
    /// <remarks>
    /// What is retried, and what never is, is described on <see cref="ThrottledRetry"/>. Request content is
    /// buffered before the first attempt, so a retry sends the same bytes. The client's
    /// <c>HttpClient.Timeout</c> spans every attempt and wait; see <see cref="RateLimitPolicy.MaxWait"/>.
    /// </remarks>
    internal sealed class RateLimitedHandler : DelegatingHandler
    {
        private readonly RateLimitPolicy _policy;

        public RateLimitedHandler(RateLimitPolicy policy)
            : this(policy, new HttpClientHandler())
        {
        }

        public RateLimitedHandler(RateLimitPolicy policy, HttpMessageHandler innerHandler)
            : base(innerHandler)
        {
            if (policy == null)
            {
                throw new ArgumentNullException(nameof(policy));
            }

            _policy = policy;
        }

        private RateLimitedHandler(RateLimitPolicy policy, bool withoutInnerHandler)
        {
            if (policy == null)
            {
                throw new ArgumentNullException(nameof(policy));
            }

            _policy = policy;
        }

        /// <summary>
        /// A handler for the HttpClient factory, which sets the inner handler itself and refuses one that already
        /// has one: <c>services.AddHttpClient&lt;T&gt;().AddHttpMessageHandler(() =&gt; RateLimitedHandler.ForHttpClientFactory(policy))</c>.
        /// </summary>
        public static RateLimitedHandler ForHttpClientFactory(RateLimitPolicy policy)
        {
            return new RateLimitedHandler(policy, withoutInnerHandler: true);
        }

        public RateLimitPolicy Policy
        {
            get { return _policy; }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            return SendWithRetriesAsync(request, true, cancellationToken);
        }

#if NET5_0_OR_GREATER
        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Synchronous all the way down, so the task has already completed.
            return SendWithRetriesAsync(request, false, cancellationToken).GetAwaiter().GetResult();
        }
#endif

        private async Task<HttpResponseMessage> SendWithRetriesAsync(HttpRequestMessage request, bool async, CancellationToken cancellationToken)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            await HttpContentBuffer.BufferRequestAsync(request, async, cancellationToken).ConfigureAwait(false);
            return await ThrottledRetry.RunAsync(_policy, token => SendOnceAsync(request, async, token), async, cancellationToken).ConfigureAwait(false);
        }

        private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, bool async, CancellationToken cancellationToken)
        {
            HttpResponseMessage response;
#if NET5_0_OR_GREATER
            if (!async)
            {
                response = base.Send(request, cancellationToken);
            }
            else
#endif
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }

            // The retry asks the response for its request's method; an inner handler may not have set it.
            if (response != null && response.RequestMessage == null)
            {
                response.RequestMessage = request;
            }

            return response;
        }
    }
}
