using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace RateLimitAnalyzers.RealCode;

/// <summary>Reads the SARIF 2.1 log the compiler writes for -errorlog:file,version=2.1.</summary>
internal static class SarifLog
{
    public const string RulePrefix = "RL";

    /// <summary>What one compile reported: our findings, and how many compiler errors it had (a compile with
    /// errors may have been analysed on broken code, so the report says so).</summary>
    public sealed record Contents(IReadOnlyList<Finding> Findings, int CompilerErrors);

    public static Contents Read(string json)
    {
        var findings = new List<Finding>();
        var errors = 0;
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("runs", out var runs) || runs.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("Not a SARIF 2.1 log: no 'runs' array.");
        }

        foreach (var run in runs.EnumerateArray())
        {
            if (!run.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var result in results.EnumerateArray())
            {
                // A diagnostic the project suppressed in source (#pragma, [SuppressMessage]) is not one it sees:
                // neither an error that broke the compile nor a finding of ours.
                var ruleId = String(result, "ruleId");
                if (IsSuppressed(result))
                {
                    continue;
                }

                if (String(result, "level") == "error" && !IsOurs(ruleId))
                {
                    errors++;
                }

                if (!IsOurs(ruleId))
                {
                    continue;
                }

                var message = result.TryGetProperty("message", out var m) ? String(m, "text") : "";
                var (file, line, column) = Location(result);
                findings.Add(new Finding(ruleId, file, line, column, message));
            }
        }

        return new Contents(findings, errors);
    }

    // RL followed by digits only: other analyzers' IDs may start with the same letters.
    private static bool IsOurs(string ruleId)
    {
        if (ruleId.Length <= RulePrefix.Length || !ruleId.StartsWith(RulePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = RulePrefix.Length; i < ruleId.Length; i++)
        {
            if (!char.IsAsciiDigit(ruleId[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSuppressed(JsonElement result) =>
        result.TryGetProperty("suppressions", out var s) && s.ValueKind == JsonValueKind.Array && s.GetArrayLength() > 0;

    private static (string File, int Line, int Column) Location(JsonElement result)
    {
        if (!result.TryGetProperty("locations", out var locations) || locations.ValueKind != JsonValueKind.Array || locations.GetArrayLength() == 0
            || !locations[0].TryGetProperty("physicalLocation", out var physical))
        {
            return ("", 0, 0);
        }

        var file = physical.TryGetProperty("artifactLocation", out var artifact) ? FilePath(String(artifact, "uri")) : "";
        var line = 0;
        var column = 0;
        if (physical.TryGetProperty("region", out var region))
        {
            line = Int(region, "startLine");
            column = Int(region, "startColumn");
        }

        return (file, line, column);
    }

    private static string FilePath(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile ? parsed.LocalPath : uri;

    private static string String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() ?? ""
            : "";

    private static int Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : 0;
}
