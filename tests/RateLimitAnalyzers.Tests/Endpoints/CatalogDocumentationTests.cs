using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using RateLimitAnalyzers.Knowledge.Endpoints;
using Xunit;

namespace RateLimitAnalyzers.Tests.Endpoints;

/// <summary>
/// rules.md's tables of the built-in data are generated from the data files: this test renders them and compares.
/// To regenerate after changing a data file, run it with <c>RATELIMIT_WRITE_DOCS=1</c> set (see <see cref="RegenerateHint"/>).
/// </summary>
public class CatalogDocumentationTests
{
    internal const string RegenerateHint =
        "Regenerate rules.md with: RATELIMIT_WRITE_DOCS=1 dotnet test tests/RateLimitAnalyzers.Tests --filter \"FullyQualifiedName~CatalogDocumentation\"";

    internal const string EndpointTableHeader = "| API / name | methods | host | path | quota | throttle signals | page size | distinctive | source | checked |";

    [Fact]
    public void Rules_md_endpoint_catalog_table_is_generated_from_the_built_in_catalog()
    {
        AssertTableIsCurrent("## Endpoint catalog", EndpointTableHeader, BuiltInEndpoints.Entries.Select(EndpointRow));
    }

    [Fact]
    public void Rules_md_retrying_sdk_table_is_generated_from_the_built_in_list()
    {
        AssertTableIsCurrent("### SDKs that retry", "| SDK | client namespaces | what it retries | source | checked |", BuiltInRetryingSdks.Sdks.Select(sdk => "| " + string.Join(" | ", new[]
        {
            sdk.Name,
            string.Join(", ", sdk.Namespaces.Select(n => "`" + n + "`")),
            sdk.Retries,
            string.Join("<br>", sdk.Sources),
            sdk.CheckedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }) + " |"));
    }

    internal static string EndpointRow(CatalogEntry e) => "| " + string.Join(" | ", new[]
    {
        e.Name,
        "`" + (e.AllowsAnyMethod ? "*" : string.Join(",", e.Methods)) + "`",
        "`" + e.Host + "`",
        "`" + e.Path.Text + "`",
        Quota(e),
        Signals(e),
        PageSize(e),
        e.IsDistinctive ? "yes" : "no",
        string.Join("<br>", e.Sources),
        e.CheckedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—",
    }) + " |";

    /// <summary>
    /// The lines between <paramref name="header"/>'s separator row and the next blank line under <paramref name="section"/>
    /// must be <paramref name="rows"/>; with RATELIMIT_WRITE_DOCS=1 they are written instead.
    /// </summary>
    internal static void AssertTableIsCurrent(string section, string header, IEnumerable<string> rows)
    {
        var path = RepositoryFiles.PathOf("rules.md");
        var lines = File.ReadAllLines(path).ToList();
        var sectionAt = lines.IndexOf(section);
        Assert.True(sectionAt >= 0, "rules.md has no '" + section + "' section");
        var headerAt = lines.FindIndex(sectionAt, l => l == header);
        Assert.True(headerAt >= 0, "rules.md's '" + section + "' section has no table headed '" + header + "'. " + RegenerateHint);
        var first = headerAt + 2;
        var end = lines.FindIndex(first, l => !l.StartsWith("| ", StringComparison.Ordinal));
        var documented = lines.GetRange(first, end - first);
        var expected = rows.ToList();

        if (Environment.GetEnvironmentVariable("RATELIMIT_WRITE_DOCS") == "1")
        {
            lines.RemoveRange(first, end - first);
            lines.InsertRange(first, expected);
            File.WriteAllText(path, string.Join("\n", lines) + "\n");
            return;
        }

        Assert.True(expected.SequenceEqual(documented), "rules.md's table under '" + section + "' differs from the data it documents. " + RegenerateHint);
    }

    private static string Quota(CatalogEntry e)
    {
        var window = e.WindowKind switch
        {
            QuotaWindowKind.Rolling => "rolling",
            QuotaWindowKind.Fixed => "fixed",
            _ => null,
        };

        if (!e.HasQuota)
        {
            return e.WindowWithoutQuotaText is null ? "none documented" : "none documented (" + window + " " + e.WindowWithoutQuotaText + " window)";
        }

        var text = QuotaText.Format(e.Quota) + (e.QuotaNote is null ? string.Empty : " (" + e.QuotaNote + ")");
        return window is null ? text : text + ", " + window;
    }

    private static string Signals(CatalogEntry e)
    {
        var parts = new List<string>();
        if (!e.ThrottleStatusCodes.IsDefaultOrEmpty)
        {
            parts.Add(string.Join(", ", e.ThrottleStatusCodes) + (e.SendsRetryAfter ? " + Retry-After" : string.Empty));
        }

        if (e.ThrottleBodyPattern is not null)
        {
            parts.Add("body `" + e.ThrottleBodyPattern + "`");
        }

        if (!e.RateLimitHeaders.IsDefaultOrEmpty)
        {
            parts.Add("headers " + string.Join(", ", e.RateLimitHeaders));
        }

        return parts.Count == 0 ? "not documented" : string.Join("; ", parts);
    }

    private static string PageSize(CatalogEntry e)
    {
        if (e.PageSizeParameter is null)
        {
            return "—";
        }

        var text = "`" + e.PageSizeParameter + "`";
        if (e.MaxPageSize is { } max)
        {
            text += " ≤ " + max.ToString(CultureInfo.InvariantCulture);
        }

        return e.DefaultPageSize is { } size ? text + ", default " + size.ToString(CultureInfo.InvariantCulture) : text;
    }
}
