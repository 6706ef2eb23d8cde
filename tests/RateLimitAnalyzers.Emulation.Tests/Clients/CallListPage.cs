using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace RateLimitAnalyzers.Emulation.Tests.Clients;

/// <summary>A page of Agora call lists as a client reads it; a refusal (<c>"data":null</c>) reads as an empty page.</summary>
internal sealed record CallListPage(IReadOnlyList<string> CallIds, string? Cursor)
{
    /// <summary>The request for the page at <paramref name="cursor"/> of the calls in <c>[start, end)</c>; 20 a page is the emulator's maximum.</summary>
    public static string Url(long start, long end, string? cursor, int pageSize = 20) =>
        string.Create(CultureInfo.InvariantCulture, $"/beta/analytics/call/lists?start_ts={start}&end_ts={end}&page_size={pageSize}&cursor={cursor}");

    public static CallListPage Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return new CallListPage(new string[0], null);
        }

        var calls = data.GetProperty("call_lists").EnumerateArray().Select(c => c.GetProperty("call_id").GetString()!).ToArray();
        return new CallListPage(calls, data.GetProperty("cursor").GetString());
    }

    /// <summary>Adds the page's calls and moves the cursor on; false for the empty page that ends the export.</summary>
    public bool AddTo(List<string> calls, ref string? cursor)
    {
        if (CallIds.Count == 0)
        {
            return false;
        }

        calls.AddRange(CallIds);
        cursor = Cursor;
        return true;
    }
}
