using System;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using RateLimitAnalyzers.Emulation.Tests.Clients;

namespace RateLimitAnalyzers.Emulation.Tests.Servers;

/// <summary>Who a request counts against: the API key of a Bearer token, or the user of Basic credentials.</summary>
internal static class Callers
{
    public static string? Of(HttpRequest request)
    {
        // Split by hand: the test clients' keys are readable names, which the strict header parser refuses.
        var authorization = request.Headers.Authorization.ToString();
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }

        var scheme = authorization.Substring(0, space);
        var parameter = authorization.Substring(space + 1);
        if (string.Equals(scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return parameter;
        }

        if (string.Equals(scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
                var colon = credentials.IndexOf(':', StringComparison.Ordinal);
                return colon > 0 ? credentials.Substring(0, colon) : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    public static string Client(HttpRequest request) => request.Headers.UserAgent.ToString();

    /// <summary>When the request left its client (<see cref="ClientSetup.SentAtHeader"/>) on <see cref="ServerClock"/>, or null for a client that does not say.</summary>
    public static TimeSpan? SentAt(HttpRequest request) =>
        long.TryParse(request.Headers[ClientSetup.SentAtHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp) ? ServerClock.At(timestamp) : null;
}
