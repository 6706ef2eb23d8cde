using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using RateLimitAnalyzers.Pacing;
using Xunit;

namespace RateLimitAnalyzers.Pacing.Tests
{
    /// <summary>Throttle markers in response bodies: how they are matched, which responses they apply to, and how much of a body is read for them.</summary>
    public sealed class ThrottleBodyTests
    {
        private const string AgoraUrl = "https://api.agora.io/beta/analytics/call/lists";
        private const string AgoraMarker = "\"code\":300";
        private const int Bound = 64 * 1024;

        [Theory]
        [InlineData("{\"code\":300,\"message\":\"Service package limit check error, qps limit error\",\"data\":null}")]
        [InlineData("{\"code\": 300, \"message\": \"qps limit error\"}")]
        [InlineData("{\n  \"code\" :\t300\n}")]
        [InlineData("{\"data\":null,\"code\":300}")]
        [InlineData("[{\"code\":300}]")]
        public void A_marker_is_found_as_the_vendor_writes_it_whatever_the_JSON_whitespace(string body)
        {
            Assert.True(ThrottleMarker.IsIn(body, AgoraMarker, StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("{\"code\":3001,\"message\":\"invalid app id\"}")]
        [InlineData("{\"code\":300.5}")]
        [InlineData("{\"error_code\":300}")]
        [InlineData("{\"code\":\"300\"}")]
        [InlineData("{\"code\":30}")]
        [InlineData("{\"Code\":300}")]
        public void A_marker_is_not_found_inside_another_value_or_name(string body)
        {
            Assert.False(ThrottleMarker.IsIn(body, AgoraMarker, StringComparison.Ordinal));
        }

        [Fact]
        public void Words_match_whole_with_any_whitespace_between_them()
        {
            Assert.True(ThrottleMarker.IsIn("{\"message\":\"qps  limit\\nerror\"}".Replace("\\n", "\n"), "qps limit error", StringComparison.Ordinal));
            Assert.True(ThrottleMarker.IsIn("You have exceeded a Secondary Rate Limit.", "secondary rate limit", StringComparison.OrdinalIgnoreCase));
            Assert.False(ThrottleMarker.IsIn("qps limit errors", "qps limit error", StringComparison.Ordinal));
            Assert.False(ThrottleMarker.IsIn("noqps limit error", "qps limit error", StringComparison.Ordinal));
            Assert.False(ThrottleMarker.IsIn(null, "x", StringComparison.Ordinal));
            Assert.False(ThrottleMarker.IsIn("x", " ", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_code_that_only_starts_like_the_marker_is_an_answer_not_a_throttle()
        {
            var clock = new ManualClock();
            var policy = AgoraPolicy(clock);
            const string Other = "{\"code\":3001,\"message\":\"invalid vendor key\"}";
            var server = new ScriptedServer(clock, Respond.With(200, Other));
            using var client = server.CreateClient(policy);

            var response = await client.GetAsync(AgoraUrl).WaitAsync(ManualClock.Settle);

            Assert.Equal(Other, await response.Content.ReadAsStringAsync());
            Assert.Single(server.Arrivals);
        }

        [Fact]
        public async Task The_marker_applies_only_to_the_statuses_the_vendor_throttles_with()
        {
            var clock = new ManualClock();
            var policy = AgoraPolicy(clock);
            var server = new ScriptedServer(clock, Respond.With(404, "{\"code\":300,\"message\":\"no such call\"}"), Respond.With(400, Respond.AgoraThrottleBody));
            using var client = server.CreateClient(policy);

            var notFound = await client.GetAsync(AgoraUrl).WaitAsync(ManualClock.Settle);
            policy.ThrottleBodyStatusCodes = new[] { 200, 400 };
            var retried = await clock.RunUntilCompleted(client.GetAsync(AgoraUrl));

            Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
            Assert.Equal(3, server.Arrivals.Count);
        }

        [Theory]
        [InlineData("POST")]
        [InlineData("PATCH")]
        public async Task A_request_that_is_not_idempotent_answered_with_success_is_never_sent_again(string method)
        {
            var clock = new ManualClock();
            var policy = AgoraPolicy(clock);
            var server = new ScriptedServer(clock, Respond.With(200, Respond.AgoraThrottleBody), Respond.With(201, "{\"id\":2}"));
            using var client = server.CreateClient(policy);

            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), AgoraUrl) { Content = new StringContent("{}") }).WaitAsync(ManualClock.Settle);

            // The server may have acted on it: the caller gets its answer, throttle body and all.
            Assert.Equal(Respond.AgoraThrottleBody, await response.Content.ReadAsStringAsync());
            Assert.Single(server.Arrivals);
        }

        [Fact]
        public async Task A_refused_POST_is_still_sent_again()
        {
            var clock = new ManualClock();
            var policy = AgoraPolicy(clock);
            policy.ThrottleBodyStatusCodes = new[] { 400 };
            var server = new ScriptedServer(clock, Respond.With(400, Respond.AgoraThrottleBody), Respond.With(201, "{\"id\":2}"));
            using var client = server.CreateClient(policy);

            var response = await clock.RunUntilCompleted(client.PostAsync(AgoraUrl, new StringContent("{}")));

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(2, server.Arrivals.Count);
        }

        [Fact]
        public void A_large_chunked_body_is_read_only_to_the_bound_and_handed_over_whole()
        {
            var clock = new ManualClock();
            const long Size = 64L * 1024 * 1024;
            var body = new GeneratedStream(Size);
            var server = new ScriptedServer(clock, _ => Chunked(body, "application/json"));
            using var client = server.CreateClient(AgoraPolicy(clock));

            // Synchronous all the way, so the thread's allocations are the send's.
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var response = client.Send(new HttpRequestMessage(HttpMethod.Get, AgoraUrl), HttpCompletionOption.ResponseHeadersRead);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

            Assert.InRange(body.Produced, 1, Bound + 1);
            Assert.InRange(allocated, 0, 1024 * 1024);
            Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType.ToString());
            Assert.Equal("en", Assert.Single(response.Content.Headers.ContentLanguage));
            Assert.Null(response.Content.Headers.ContentLength);

            using var stream = response.Content.ReadAsStream();
            Assert.Equal(Size, GeneratedStream.CheckPattern(stream));
            Assert.Single(server.Arrivals);
        }

        [Fact]
        public async Task An_endless_body_still_returns_its_headers_at_once()
        {
            var clock = new ManualClock();
            var body = new GeneratedStream(null);
            var server = new ScriptedServer(clock, _ => Chunked(body, "text/plain"));
            using var client = server.CreateClient(AgoraPolicy(clock));

            using var response = await client.GetAsync(AgoraUrl, HttpCompletionOption.ResponseHeadersRead).WaitAsync(ManualClock.Settle);

            Assert.InRange(body.Produced, 1, Bound + 1);
            using var stream = await response.Content.ReadAsStreamAsync().WaitAsync(ManualClock.Settle);
            var start = new byte[3 * Bound];
            await stream.ReadExactlyAsync(start).AsTask().WaitAsync(ManualClock.Settle);
            Assert.Equal(start.Length, GeneratedStream.CheckPattern(new MemoryStream(start)));
        }

        [Fact]
        public async Task A_stream_that_is_not_a_text_document_is_not_read_at_all()
        {
            var clock = new ManualClock();
            var body = new GeneratedStream(null);
            var server = new ScriptedServer(clock, _ => Chunked(body, "text/event-stream"), _ => Chunked(new GeneratedStream(null), "application/octet-stream"));
            using var client = server.CreateClient(AgoraPolicy(clock));

            using var events = await client.GetAsync(AgoraUrl, HttpCompletionOption.ResponseHeadersRead).WaitAsync(ManualClock.Settle);
            using var download = await client.GetAsync(AgoraUrl, HttpCompletionOption.ResponseHeadersRead).WaitAsync(ManualClock.Settle);

            Assert.Equal(0, body.Produced);
            Assert.Equal(2, server.Arrivals.Count);
        }

        [Fact]
        public async Task A_small_body_is_decoded_in_its_charset_and_handed_over_unchanged()
        {
            var clock = new ManualClock();
            var policy = AgoraPolicy(clock);
            policy.ThrottleBodyContains = "débit dépassé";
            var latin1 = Encoding.Latin1.GetBytes("{\"erreur\":\"débit dépassé\"}");
            var server = new ScriptedServer(
                clock,
                _ => WithContent(new ByteArrayContent(latin1), "application/json", "iso-8859-1"),
                _ => WithContent(new ByteArrayContent(latin1.Take(12).ToArray()), "application/json", "iso-8859-1"));
            using var client = server.CreateClient(policy);

            var response = await clock.RunUntilCompleted(client.GetAsync(AgoraUrl, HttpCompletionOption.ResponseHeadersRead));

            Assert.Equal(latin1.Take(12).ToArray(), await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(12, response.Content.Headers.ContentLength);
            Assert.Equal(2, server.Arrivals.Count);
        }

        private static RateLimitPolicy AgoraPolicy(ManualClock clock)
        {
            var policy = TestPolicy.Create(clock);
            policy.ThrottleBodyContains = AgoraMarker;
            return policy;
        }

        private static HttpResponseMessage Chunked(Stream body, string mediaType)
        {
            var response = WithContent(new StreamContent(body), mediaType, mediaType == "application/json" ? "utf-8" : null);
            response.Content.Headers.ContentLanguage.Add("en");
            return response;
        }

        private static HttpResponseMessage WithContent(HttpContent content, string mediaType, string charset)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = charset };
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }

        /// <summary>
        /// A body of a known pattern, of a given length or endless, produced as it is read and counting what was
        /// read. Endless stops at 256 MiB with an error, so a reader that tries to read it all fails instead of
        /// running on.
        /// </summary>
        private sealed class GeneratedStream : ReadOnceStream
        {
            private const long Endless = 256L * 1024 * 1024;
            private readonly long _length;
            private long _produced;

            public GeneratedStream(long? length)
            {
                _length = length ?? Endless;
                IsEndless = !length.HasValue;
            }

            public bool IsEndless { get; }

            public long Produced => Interlocked.Read(ref _produced);

            public static byte At(long position) => (byte)(position % 251);

            /// <summary>Reads the stream to its end, checking every byte against the pattern; the count read.</summary>
            public static long CheckPattern(Stream stream)
            {
                var buffer = new byte[81920];
                long position = 0;
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    for (var i = 0; i < read; i++, position++)
                    {
                        if (buffer[i] != At(position))
                        {
                            throw new InvalidDataException("byte " + position + " differs");
                        }
                    }
                }

                return position;
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                var produced = Produced;
                if (produced >= _length)
                {
                    if (IsEndless)
                    {
                        throw new IOException("read an endless body to 256 MiB");
                    }

                    return 0;
                }

                var length = (int)Math.Min(count, _length - produced);
                for (var i = 0; i < length; i++)
                {
                    buffer[offset + i] = At(produced + i);
                }

                Interlocked.Add(ref _produced, length);
                return length;
            }
        }
    }
}
