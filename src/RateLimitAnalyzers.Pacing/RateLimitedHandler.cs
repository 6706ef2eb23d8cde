using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// An HttpClient handler that paces every request under its policy's quota and retries the ones the
    /// server refuses for its rate limit, waiting as long as the server asked:
    /// <c>new HttpClient(new RateLimitedHandler(policy))</c>. For a client shared by several APIs, one policy per
    /// API, each with its <see cref="RateLimitPolicy.BaseAddress"/>:
    /// <c>new RateLimitedHandler(gitHubPolicy, archivaPolicy)</c>.
    /// </summary>
    /// <remarks>
    /// Each request goes by the most specific policy whose <see cref="RateLimitPolicy.BaseAddress"/> covers it (the
    /// longest path), or else by the policy without one; it takes one turn on that policy's pacer, under its key. A
    /// request no policy covers is passed on once, neither paced nor retried. What is retried, and what never is, is
    /// described on <see cref="ThrottledRetry"/>. Request content is buffered before the first attempt, so a retry
    /// sends the same bytes. The client's <c>HttpClient.Timeout</c> spans every attempt and wait; see
    /// <see cref="RateLimitPolicy.MaxWait"/>.
    /// </remarks>
    internal sealed class RateLimitedHandler : DelegatingHandler
    {
        private readonly RateLimitPolicy[] _policies;

        /// <summary>A handler over a new <c>HttpClientHandler</c>.</summary>
        /// <exception cref="ArgumentException">No policy, or two that cover the same address (two without one included).</exception>
        public RateLimitedHandler(params RateLimitPolicy[] policies)
            : this(new HttpClientHandler(), policies)
        {
        }

        public RateLimitedHandler(RateLimitPolicy policy, HttpMessageHandler innerHandler)
            : this(innerHandler, new[] { policy })
        {
        }

        public RateLimitedHandler(HttpMessageHandler innerHandler, params RateLimitPolicy[] policies)
            : base(innerHandler)
        {
            _policies = Checked(policies);
        }

        private RateLimitedHandler(RateLimitPolicy[] policies, bool withoutInnerHandler)
        {
            _policies = Checked(policies);
        }

        /// <summary>
        /// A handler for the HttpClient factory, which sets the inner handler itself and refuses one that already
        /// has one: <c>services.AddHttpClient&lt;T&gt;().AddHttpMessageHandler(() =&gt; RateLimitedHandler.ForHttpClientFactory(policy))</c>.
        /// </summary>
        public static RateLimitedHandler ForHttpClientFactory(params RateLimitPolicy[] policies)
        {
            return new RateLimitedHandler(policies, withoutInnerHandler: true);
        }

        /// <summary>The first policy, the only one of a handler made with one.</summary>
        public RateLimitPolicy Policy
        {
            get { return _policies[0]; }
        }

        /// <summary>The policies, in the order given.</summary>
        public IReadOnlyList<RateLimitPolicy> Policies
        {
            get { return Array.AsReadOnly(_policies); }
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

            var policy = PolicyFor(request.RequestUri);
            if (policy == null)
            {
                // Not an API this handler was told about: it goes out as if the handler were not there.
                return await SendOnceAsync(request, async, cancellationToken).ConfigureAwait(false);
            }

            await HttpContentBuffer.BufferRequestAsync(request, async, cancellationToken).ConfigureAwait(false);
            return await ThrottledRetry.RunAsync(policy, token => SendOnceAsync(request, async, token), async, cancellationToken).ConfigureAwait(false);
        }

        private static RateLimitPolicy[] Checked(RateLimitPolicy[] policies)
        {
            if (policies == null)
            {
                throw new ArgumentNullException(nameof(policies));
            }

            if (policies.Length == 0)
            {
                throw new ArgumentException("A rate-limited handler needs at least one policy.", nameof(policies));
            }

            var copy = (RateLimitPolicy[])policies.Clone();
            for (var i = 0; i < copy.Length; i++)
            {
                if (copy[i] == null)
                {
                    throw new ArgumentNullException(nameof(policies), "Policy " + i + " is null.");
                }

                for (var j = 0; j < i; j++)
                {
                    if (copy[j].NormalizedBaseAddress == copy[i].NormalizedBaseAddress)
                    {
                        // Which of the two a request would go by would be an accident of their order.
                        throw new ArgumentException(
                            "Policies '" + copy[j].Key + "' and '" + copy[i].Key + "' both cover " +
                            (copy[i].BaseAddress == null ? "every request (neither has a BaseAddress)" : "the base address " + copy[i].BaseAddress) +
                            "; give each a BaseAddress of its own.",
                            nameof(policies));
                    }
                }
            }

            return copy;
        }

        /// <summary>The most specific policy that covers <paramref name="requestUri"/>, or null when none does.</summary>
        private RateLimitPolicy/*?*/ PolicyFor(Uri/*?*/ requestUri)
        {
            RateLimitPolicy best = null;
            var bestFit = -1;
            foreach (var policy in _policies)
            {
                var fit = policy.Covers(requestUri);
                if (fit > bestFit)
                {
                    best = policy;
                    bestFit = fit;
                }
            }

            return best;
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
