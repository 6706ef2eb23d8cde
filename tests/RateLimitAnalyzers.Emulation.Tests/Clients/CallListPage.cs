using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace RateLimitAnalyzers.Emulation.Tests.Clients;

/// <summary>A page of Agora call lists as a client reads it; a refusal (<c>"data":null</c>) reads as an empty page.</summary>
internal sealed record CallListPage(IReadOnlyList<string> CallIds, string? Cursor)
{
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
}
