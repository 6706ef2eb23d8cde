using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using RateLimitAnalyzers.Pacing;

namespace RateLimitAnalyzers.Pacing.Tests
{
    /// <summary>
    /// An in-memory server: answers requests in arrival order from a script (then with 200 "done"), and
    /// records when each request arrived on the test's clock and the bytes of its body.
    /// </summary>
    internal sealed class ScriptedServer : HttpMessageHandler
    {
        private readonly object _gate = new object();
        private readonly PacingClock _clock;
        private readonly Queue<Func<HttpRequestMessage, HttpResponseMessage>> _script;
        private readonly List<Arrival> _arrivals = new List<Arrival>();
        private readonly List<HttpResponseMessage> _responses = new List<HttpResponseMessage>();

        public ScriptedServer(PacingClock clock, params Func<HttpRequestMessage, HttpResponseMessage>[] script)
        {
            _clock = clock;
            _script = new Queue<Func<HttpRequestMessage, HttpResponseMessage>>(script);
        }

        public List<Arrival> Arrivals
        {
            get { lock (_gate) { return new List<Arrival>(_arrivals); } }
        }

        /// <summary>Every response the server gave, in order.</summary>
        public List<HttpResponseMessage> Responses
        {
            get { lock (_gate) { return new List<HttpResponseMessage>(_responses); } }
        }

        public HttpClient CreateClient(RateLimitPolicy policy)
        {
            return new HttpClient(new RateLimitedHandler(policy, this));
        }

        // Bodies are read the way a transport sends them, with CopyTo, which (unlike ReadAsByteArrayAsync)
        // does not buffer the content: a body that cannot be sent twice fails here as it would on the wire.
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = new MemoryStream();
            if (request.Content != null)
            {
                await request.Content.CopyToAsync(body, cancellationToken);
            }

            return Answer(request, body.ToArray());
        }

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = new MemoryStream();
            request.Content?.CopyTo(body, null, cancellationToken);
            return Answer(request, body.ToArray());
        }

        private HttpResponseMessage Answer(HttpRequestMessage request, byte[] body)
        {
            Func<HttpRequestMessage, HttpResponseMessage> next;
            lock (_gate)
            {
                _arrivals.Add(new Arrival(_clock.Elapsed, request, body));
                next = _script.Count > 0 ? _script.Dequeue() : _ => Respond.Ok("done");
            }

            var response = next(request);
            response.RequestMessage = request;
            lock (_gate)
            {
                _responses.Add(response);
            }

            return response;
        }

        internal sealed class Arrival
        {
            public Arrival(TimeSpan at, HttpRequestMessage request, byte[] body)
            {
                At = at;
                Request = request;
                Body = body;
            }

            public TimeSpan At { get; }

            public HttpRequestMessage Request { get; }

            public byte[] Body { get; }
        }
    }

    internal static class TestPolicy
    {
        /// <summary>
        /// A policy on the test's clock, under a key of its own; with windows, its pacer runs on that clock
        /// too (the shared pacers run on the system clock).
        /// </summary>
        public static RateLimitPolicy Create(ManualClock clock, params QuotaWindow[] windows)
        {
            return new RateLimitPolicy("tests/" + Guid.NewGuid().ToString("N"))
            {
                Clock = clock,
                Pacer = windows.Length == 0 ? null : new RequestPacer(clock, windows),
            };
        }

        /// <summary>A policy as <c>new RateLimitPolicy(key)</c> makes one, with its windowless pacer on the test's clock.</summary>
        public static RateLimitPolicy WithoutWindows(ManualClock clock)
        {
            var policy = Create(clock);
            policy.Pacer = RequestPacer.WithoutWindows(clock);
            return policy;
        }
    }

    /// <summary>A stream that can be read once, front to back, like a network or pipe body.</summary>
    internal class ReadOnceStream : Stream
    {
        private readonly MemoryStream _inner;

        public ReadOnceStream(byte[] bytes)
        {
            _inner = new MemoryStream(bytes);
        }

        /// <summary>For a body that a subclass produces as it is read.</summary>
        protected ReadOnceStream()
            : this(Array.Empty<byte>())
        {
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
