using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace RateLimitAnalyzers.Pacing
{
    /// <summary>
    /// Holds request bodies in memory, since a retry sends them again, and reads the start of a response
    /// body for a throttle marker without taking the body from the caller.
    /// </summary>
    /// <remarks>
    /// With <c>async</c> false every step is synchronous (see <see cref="ThrottledRetry"/>). Before .NET 5
    /// HttpContent has no synchronous read, so there the synchronous path blocks on the asynchronous one.
    /// </remarks>
    internal static class HttpContentBuffer
    {
        /// <summary>
        /// Makes the request's content send the same bytes on every attempt: content streamed from a
        /// source (a non-seekable stream, a generator) would otherwise be empty or refused the second time.
        /// </summary>
        public static Task BufferRequestAsync(HttpRequestMessage request, bool async, CancellationToken cancellationToken)
        {
            var content = request.Content;
            if (content == null)
            {
                return Task.CompletedTask;
            }

#if NET5_0_OR_GREATER
            if (!async)
            {
                var bytes = ReadAllBytes(content, cancellationToken);
                request.Content = BufferedCopy(content, bytes, bytes.Length);
                return Task.CompletedTask;
            }
#endif
            return LoadIntoBufferAsync(content, cancellationToken);
        }

        /// <summary>
        /// Reads the request's content into memory once and returns a maker of copies of the request, each with
        /// its own content over those bytes, for a message built before a send that may need several attempts.
        /// </summary>
        public static async Task<Func<HttpRequestMessage>> CopierAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            byte[] body = null;
            if (request.Content != null)
            {
#if NET5_0_OR_GREATER
                body = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
#else
                body = await request.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
#endif
            }

            return () => Copy(request, body);
        }

        /// <summary>
        /// The response body as text when it is a text document of at most <paramref name="largest"/> bytes,
        /// else null. Whatever the body's size, and whether it ends at all, at most <paramref name="largest"/>
        /// + 1 bytes are read: a streamed export or an endless feed is not held up and not copied. The
        /// response then gets a content with the same headers that gives the caller the whole body: the bytes
        /// read, followed by the rest of the stream, unread.
        /// </summary>
        public static async Task<string> ReadSmallTextAsync(HttpResponseMessage response, int largest, bool async, CancellationToken cancellationToken)
        {
            var content = response.Content;
            if (content == null)
            {
                return string.Empty;
            }

            var length = content.Headers.ContentLength;
            if (!IsText(content.Headers.ContentType) || length > largest)
            {
                return null;
            }

            Stream stream;
#if NET5_0_OR_GREATER
            stream = async ? await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false) : content.ReadAsStream(cancellationToken);
#else
            stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
#endif

            // One byte beyond the bound tells a body of exactly that size from a larger one.
            var buffer = new byte[length.HasValue ? (int)length.Value + 1 : Math.Min(largest + 1, 4096)];
            var count = 0;
            var ended = false;
            while (count <= largest)
            {
                if (count == buffer.Length)
                {
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, largest + 1));
                }

                var read = async
#if NET5_0_OR_GREATER
                    ? await stream.ReadAsync(buffer.AsMemory(count, buffer.Length - count), cancellationToken).ConfigureAwait(false)
#else
                    ? await stream.ReadAsync(buffer, count, buffer.Length - count, cancellationToken).ConfigureAwait(false)
#endif
                    : stream.Read(buffer, count, buffer.Length - count);
                if (read == 0)
                {
                    ended = true;
                    break;
                }

                count += read;
            }

            HttpContent whole;
            if (ended)
            {
                whole = BufferedCopy(content, buffer, count);
            }
            else
            {
                // The original owns the stream, which the new content now reads and disposes; disposing the
                // original would close it.
                whole = new StreamContent(new ReplayStream(buffer, count, stream));
                CopyHeaders(content.Headers, whole.Headers);
            }

            response.Content = whole;
            if (!ended)
            {
                return null;
            }

            using (var reader = new StreamReader(new MemoryStream(buffer, 0, count), EncodingOf(whole), true))
            {
                return reader.ReadToEnd();
            }
        }

        // Throttle refusals are error documents: JSON, XML, HTML or plain text. Other media types (an event
        // stream, a download) are data, and reading them could wait for data a stream sends much later.
        private static bool IsText(MediaTypeHeaderValue contentType)
        {
            var media = contentType == null ? null : contentType.MediaType;
            if (media == null)
            {
                return true;
            }

            if (media.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
            {
                return !string.Equals(media, "text/event-stream", StringComparison.OrdinalIgnoreCase);
            }

            return media.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
                || media.EndsWith("/xml", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+xml", StringComparison.OrdinalIgnoreCase);
        }

        private static HttpRequestMessage Copy(HttpRequestMessage request, byte[] body)
        {
            var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version };
            CopyHeaders(request.Headers, copy.Headers);
#if NET5_0_OR_GREATER
            copy.VersionPolicy = request.VersionPolicy;
            var options = (IDictionary<string, object>)copy.Options;
            foreach (var option in request.Options)
            {
                options[option.Key] = option.Value;
            }
#else
            foreach (var property in request.Properties)
            {
                copy.Properties[property.Key] = property.Value;
            }
#endif
            if (body != null)
            {
                copy.Content = new ByteArrayContent(body);
                CopyHeaders(request.Content.Headers, copy.Content.Headers);
            }

            return copy;
        }

        private static void CopyHeaders(HttpHeaders from, HttpHeaders to)
        {
            foreach (var header in from)
            {
                to.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        private static Task LoadIntoBufferAsync(HttpContent content, CancellationToken cancellationToken)
        {
#if NET9_0_OR_GREATER
            return content.LoadIntoBufferAsync(cancellationToken);
#else
            // Only .NET 9 can cancel the buffering itself; before it, cancellation applies once it ends.
            return content.LoadIntoBufferAsync();
#endif
        }

#if NET5_0_OR_GREATER
        private static byte[] ReadAllBytes(HttpContent content, CancellationToken cancellationToken)
        {
            var bytes = new MemoryStream();
            content.CopyTo(bytes, null, cancellationToken);
            return bytes.ToArray();
        }

#endif

        // There is no synchronous LoadIntoBuffer: a copy of the bytes under the same headers serves instead.
        // The original is spent once read to its end, so it is disposed here rather than left to its owner.
        private static ByteArrayContent BufferedCopy(HttpContent content, byte[] bytes, int count)
        {
            var copy = new ByteArrayContent(bytes, 0, count);
            CopyHeaders(content.Headers, copy.Headers);

            content.Dispose();
            return copy;
        }

        // As ReadAsStringAsync decodes: the declared charset, else UTF-8; a byte order mark wins over both.
        private static Encoding EncodingOf(HttpContent content)
        {
            var contentType = content.Headers.ContentType;
            var charset = contentType == null ? null : contentType.CharSet;
            if (!string.IsNullOrEmpty(charset))
            {
                try
                {
                    return Encoding.GetEncoding(charset.Trim('"'));
                }
                catch (ArgumentException)
                {
                    // An unknown charset: throttle markers are ASCII, which UTF-8 reads alike.
                }
            }

            return Encoding.UTF8;
        }

        /// <summary>Replays the bytes read to look for a throttle marker, then reads on from the response's stream.</summary>
        private sealed class ReplayStream : Stream
        {
            private readonly Stream _rest;
            private byte[] _start;
            private int _count;
            private int _position;

            public ReplayStream(byte[] start, int count, Stream rest)
            {
                _start = start;
                _count = count;
                _rest = rest;
            }

            public override bool CanRead
            {
                get { return true; }
            }

            public override bool CanSeek
            {
                get { return false; }
            }

            public override bool CanWrite
            {
                get { return false; }
            }

            public override long Length
            {
                get { throw new NotSupportedException(); }
            }

            public override long Position
            {
                get { throw new NotSupportedException(); }
                set { throw new NotSupportedException(); }
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                return _start != null ? ReadStart(buffer, offset, count) : _rest.Read(buffer, offset, count);
            }

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                return _start != null ? Task.FromResult(ReadStart(buffer, offset, count)) : _rest.ReadAsync(buffer, offset, count, cancellationToken);
            }

#if NET5_0_OR_GREATER
            public override int Read(Span<byte> buffer)
            {
                if (_start == null)
                {
                    return _rest.Read(buffer);
                }

                var length = Math.Min(buffer.Length, _count - _position);
                _start.AsSpan(_position, length).CopyTo(buffer);
                Advance(length);
                return length;
            }

            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                return _start != null ? new ValueTask<int>(Read(buffer.Span)) : _rest.ReadAsync(buffer, cancellationToken);
            }
#endif

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin)
            {
                throw new NotSupportedException();
            }

            public override void SetLength(long value)
            {
                throw new NotSupportedException();
            }

            public override void Write(byte[] buffer, int offset, int count)
            {
                throw new NotSupportedException();
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    _rest.Dispose();
                }

                base.Dispose(disposing);
            }

            private int ReadStart(byte[] buffer, int offset, int count)
            {
                var length = Math.Min(count, _count - _position);
                Buffer.BlockCopy(_start, _position, buffer, offset, length);
                Advance(length);
                return length;
            }

            private void Advance(int length)
            {
                _position += length;
                if (_position == _count)
                {
                    // Replayed: the rest comes from the stream, and the bytes can go.
                    _start = null;
                }
            }
        }
    }
}
