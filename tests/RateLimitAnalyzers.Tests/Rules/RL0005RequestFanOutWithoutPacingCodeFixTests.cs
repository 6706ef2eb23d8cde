using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using RateLimitAnalyzers.CodeFixes.Rules;
using RateLimitAnalyzers.Rules;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    RateLimitAnalyzers.Rules.RL0005RequestFanOutWithoutPacingAnalyzer,
    RateLimitAnalyzers.CodeFixes.Rules.RL0005RequestFanOutWithoutPacingCodeFix>;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL0005RequestFanOutWithoutPacingCodeFixTests
{
    [Fact]
    public Task Async_lambda_waits_for_its_turn_with_the_methods_cancellation_token() => Verify.VerifyEditsAsync(
        RL0005Cases.Reported["Task.WhenAll over an async lambda per item, catalogued endpoint"],
        RL0005Cases.Usings,
        PacerFieldText.First("Export", PacerFieldText.Agora),
        ("""
                 return await Task.WhenAll(days.Select(async day =>
                     await client.GetFromJsonAsync<Report>("https://api.agora.io/beta/analytics/call/lists?day=" + day, cancellationToken)));
         """,
         """
                 return await Task.WhenAll(days.Select(async day =>
                 {
                     await AgoraPacer.WaitTurnAsync(cancellationToken);
                     return await client.GetFromJsonAsync<Report>("https://api.agora.io/beta/analytics/call/lists?day=" + day, cancellationToken);
                 }));
         """));

    [Fact]
    public Task Lambda_that_returns_the_task_becomes_async_and_awaits_it_after_its_turn() => Verify.VerifyEditsAsync(
        RL0005Cases.Reported["tasks kept in a local made by Select and ToList"],
        RL0005Cases.Usings,
        PacerFieldText.First("Export", PacerFieldText.Stripe),
        ("""customers.Select(c => client.DeleteAsync("https://api.stripe.com/v1/customers/" + c)).ToList();""",
         """
         customers.Select(async c =>
                 {
                     await StripePacer.WaitTurnAsync();
                     return await client.DeleteAsync("https://api.stripe.com/v1/customers/" + c);
                 }).ToList();
         """));

    [Fact]
    public Task Parallel_ForEachAsync_waits_with_the_lambdas_own_token() => Verify.VerifyEditsAsync(
        RL0005Cases.Reported["Parallel.ForEachAsync over a catalogued endpoint, bounded but not paced"],
        RL0005Cases.Usings,
        PacerFieldText.First("Export", PacerFieldText.Stripe),
        ("""
                 {
                     using var response
         """,
         """
                 {
                     await StripePacer.WaitTurnAsync(ct);
                     using var response
         """));

    [Fact]
    public Task Synchronous_Parallel_ForEach_blocks_on_the_pacer() => Verify.VerifyEditsAsync(
        RL0005Cases.Reported["a synchronous Parallel.ForEach to a catalogued endpoint"],
        RL0005Cases.Usings,
        PacerFieldText.First("Export", PacerFieldText.Archiva),
        ("""Parallel.ForEach(events, e => client.Send(new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = e }));""",
         """
         Parallel.ForEach(events, e =>
                 {
                     ArchivaPacer.WaitTurn();
                     client.Send(new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = e });
                 });
         """));

    [Fact]
    public Task Tasks_started_in_a_loop_start_at_the_quotas_pace() => Verify.VerifyEditsAsync(
        RL0005Cases.Reported["tasks started in a foreach loop and awaited together"],
        RL0005Cases.Usings,
        PacerFieldText.First("Export", PacerFieldText.Example),
        ("""
                     tasks.Add(
         """,
         """
                     await ExamplePacer.WaitTurnAsync();
                     tasks.Add(
         """));

    [Fact]
    public Task Fix_all_paces_every_fan_out_in_the_document() => Verify.VerifyFixAllAsync(
        ("/0/Export.cs",
         RL0005Cases.Usings + """
         class Export
         {
             public Task<string[]> CustomersAsync(HttpClient client, List<string> ids) =>
                 [|Task.WhenAll|](ids.Select(id => client.GetStringAsync("https://api.stripe.com/v1/customers/" + id)));
             public Task<string[]> InvoicesAsync(HttpClient client, List<string> ids) =>
                 [|Task.WhenAll|](ids.Select(id => client.GetStringAsync("https://api.stripe.com/v1/invoices/" + id)));
         }
         """,
         RL0005Cases.Usings + FixedText.RuntimeUsing + """
         class Export
         {
         """ + "\n" + PacerFieldText.Stripe + """
             public Task<string[]> CustomersAsync(HttpClient client, List<string> ids) =>
                 Task.WhenAll(ids.Select(async id =>
                 {
                     await StripePacer.WaitTurnAsync();
                     return await client.GetStringAsync("https://api.stripe.com/v1/customers/" + id);
                 }));
             public Task<string[]> InvoicesAsync(HttpClient client, List<string> ids) =>
                 Task.WhenAll(ids.Select(async id =>
                 {
                     await StripePacer.WaitTurnAsync();
                     return await client.GetStringAsync("https://api.stripe.com/v1/invoices/" + id);
                 }));
         }
         """));

    // The client is made from a handler the code passes in: RL0002 does not report it, so the fan-out is paced in place.
    [Fact]
    public Task Top_level_fan_outs_share_one_pacer_local_declared_before_the_first()
    {
        const string Program = """
            var client = Factory.Create(new HttpClientHandler());
            var ids = new List<string> { "cus_1", "cus_2" };
            var customers = await [|Task.WhenAll|](ids.Select(id => client.GetStringAsync("https://api.stripe.com/v1/customers/" + id)));
            var invoices = await [|Task.WhenAll|](ids.Select(id => client.GetStringAsync("https://api.stripe.com/v1/invoices?customer=" + id)));
            Console.WriteLine(customers.Length + invoices.Length);

            static class Factory { public static HttpClient Create(HttpMessageHandler handler) => new HttpClient(handler); }
            """;
        const string Fixed = """
            var client = Factory.Create(new HttpClientHandler());
            var ids = new List<string> { "cus_1", "cus_2" };
            RequestPacer StripePacer = RequestPacer.Shared(
                "api.stripe.com/*",
                QuotaWindow.PerSecond(25),
                // Evenly spaced within 25 requests per second, never in bursts; change it to pace faster or slower.
                QuotaWindow.MinimumInterval(TimeSpan.FromMilliseconds(40)));
            var customers = await Task.WhenAll(ids.Select(async id =>
            {
                await StripePacer.WaitTurnAsync();
                return await client.GetStringAsync("https://api.stripe.com/v1/customers/" + id);
            }));
            var invoices = await Task.WhenAll(ids.Select(async id =>
            {
                await StripePacer.WaitTurnAsync();
                return await client.GetStringAsync("https://api.stripe.com/v1/invoices?customer=" + id);
            }));
            Console.WriteLine(customers.Length + invoices.Length);

            static class Factory { public static HttpClient Create(HttpMessageHandler handler) => new HttpClient(handler); }
            """;
        var test = new CSharpCodeFixVerifier<RL0005RequestFanOutWithoutPacingAnalyzer, RL0005RequestFanOutWithoutPacingCodeFix>.Test
        {
            TestCode = RL0005Cases.Usings + Program,
            FixedCode = RL0005Cases.Usings + FixedText.RuntimeUsing + Fixed,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task No_fix_is_offered_when_the_runtime_is_not_emitted() => Verify.VerifyNoFixWithoutRuntimeAsync(
        RL0005Cases.Reported["Parallel.ForEach with an async lambda"]);
}
