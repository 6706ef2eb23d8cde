namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// The pacer fields the RL0001, RL0005 and RL0008 fixes write for the catalogued APIs the cases call, as they stand in
/// a type, with the blank line after them: one text per API, since every fix that paces the API writes (or reuses) the
/// same field.
/// </summary>
internal static class PacerFieldText
{
    public const string Agora = """
            private static readonly RequestPacer AgoraPacer = RequestPacer.Shared(
                "api.agora.io/beta/analytics/call/lists",
                QuotaWindow.PerSecond(1),
                QuotaWindow.PerDay(1000));


        """;

    public const string Stripe = """
            private static readonly RequestPacer StripePacer = RequestPacer.Shared(
                "api.stripe.com/*",
                QuotaWindow.PerSecond(25),
                // Evenly spaced within 25 requests per second, never in bursts; change it to pace faster or slower.
                QuotaWindow.MinimumInterval(TimeSpan.FromMilliseconds(40)));


        """;

    public const string Archiva = """
            private static readonly RequestPacer ArchivaPacer = RequestPacer.Shared(
                "api.archiva.app/api/ingest/event",
                new QuotaWindow(100, TimeSpan.FromSeconds(60)),
                // Evenly spaced within 100 requests per 60 s, never in bursts; change it to pace faster or slower.
                QuotaWindow.MinimumInterval(TimeSpan.FromMilliseconds(600)));


        """;

    public const string Example = """
            private static readonly RequestPacer ExamplePacer = RequestPacer.Shared(
                "api.example.com/v1/events",
                QuotaWindow.PerSecond(1));


        """;

    /// <summary>The edit that puts <paramref name="field"/> first in <paramref name="type"/>.</summary>
    public static (string Old, string New) First(string type, string field) => ("class " + type + "\n{\n", "class " + type + "\n{\n" + field);
}
