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
    /// Holds request and response bodies in memory where the retrying send needs them twice: a request
    /// body is sent again on a retry, and a response body is read for a throttle marker before the caller
    /// reads it.
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
                request.Content = BufferedCopy(content, ReadAllBytes(content, cancellationToken));
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

        /// <summary>Reads the response body as text and leaves it buffered, so the caller can still read it.</summary>
        public static async Task<string> ReadTextAsync(HttpResponseMessage response, bool async, CancellationToken cancellationToken)
        {
            var content = response.Content;
            if (content == null)
            {
                return string.Empty;
            }

#if NET5_0_OR_GREATER
            if (!async)
            {
                // Read from the bytes, not the copy's ReadAsStream: HttpContent hands out one cached read
                // stream, and closing it here would leave the caller a closed stream.
                var bytes = ReadAllBytes(content, cancellationToken);
                var copy = BufferedCopy(content, bytes);
                response.Content = copy;
                using (var reader = new StreamReader(new MemoryStream(bytes), EncodingOf(copy), true))
                {
                    return reader.ReadToEnd();
                }
            }

            await LoadIntoBufferAsync(content, cancellationToken).ConfigureAwait(false);
            return await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
#else
            await LoadIntoBufferAsync(content, cancellationToken).ConfigureAwait(false);
            return await content.ReadAsStringAsync().ConfigureAwait(false);
#endif
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

        // There is no synchronous LoadIntoBuffer: a copy of the bytes under the same headers serves instead.
        // The original is spent once read, so it is disposed here rather than left to its owner.
        private static ByteArrayContent BufferedCopy(HttpContent content, byte[] bytes)
        {
            var copy = new ByteArrayContent(bytes);
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
#endif
    }
}
