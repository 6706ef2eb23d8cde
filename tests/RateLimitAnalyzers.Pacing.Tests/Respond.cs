using System;
using System.Net;
using System.Net.Http;
using System.Text;

namespace RateLimitAnalyzers.Pacing.Tests
{
    /// <summary>Responses as servers send them, and script entries for <see cref="ScriptedServer"/> that answer with them.</summary>
    internal static class Respond
    {
        public const string AgoraThrottleBody = "{\"code\":300,\"message\":\"Service package limit check error, qps limit error\",\"data\":null}";

        public static Func<HttpRequestMessage, HttpResponseMessage> With(int status, string body = "", params string[] headers)
        {
            return _ => Response(status, body, headers);
        }

        /// <summary>Archiva's refusal: 429, <c>{"error":"Rate limit exceeded"}</c> and, when given, Retry-After.</summary>
        public static Func<HttpRequestMessage, HttpResponseMessage> TooManyRequests(string retryAfter = null)
        {
            return retryAfter == null
                ? With(429, "{\"error\":\"Rate limit exceeded\"}")
                : With(429, "{\"error\":\"Rate limit exceeded\"}", "Retry-After", retryAfter);
        }

        public static Func<HttpRequestMessage, HttpResponseMessage> Throw(Exception exception)
        {
            return _ => throw exception;
        }

        public static HttpResponseMessage Ok(string body)
        {
            return Response(200, body);
        }

        /// <summary>A response; headers come as name, value, name, value, added without validation as a server might send them.</summary>
        public static HttpResponseMessage Response(int status, string body = "", params string[] headers)
        {
            var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new TrackedContent(body) };
            for (var i = 0; i + 1 < headers.Length; i += 2)
            {
                response.Headers.TryAddWithoutValidation(headers[i], headers[i + 1]);
            }

            return response;
        }

        public static bool IsDisposed(HttpResponseMessage response)
        {
            return ((TrackedContent)response.Content).Disposed;
        }

        private sealed class TrackedContent : StringContent
        {
            public TrackedContent(string body)
                : base(body, Encoding.UTF8, "application/json")
            {
            }

            public bool Disposed { get; private set; }

            protected override void Dispose(bool disposing)
            {
                Disposed = true;
                base.Dispose(disposing);
            }
        }
    }
}
