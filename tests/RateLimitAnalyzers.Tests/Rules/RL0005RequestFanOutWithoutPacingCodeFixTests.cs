using System.Threading.Tasks;
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
        ("""
                 return await Task.WhenAll(days.Select(async day =>
                     await client.GetFromJsonAsync<Report>("https://api.agora.io/beta/analytics/call/lists?day=" + day, cancellationToken)));
         """,
         """
                 return await Task.WhenAll(days.Select(async day =>
                 {
                     await RequestPacer.Shared("api.agora.io/beta/analytics/call/lists", QuotaWindow.PerSecond(1), QuotaWindow.PerDay(1000)).WaitTurnAsync(cancellationToken);
                     return await client.GetFromJsonAsync<Report>("https://api.agora.io/beta/analytics/call/lists?day=" + day, cancellationToken);
                 }));
         """));

    [Fact]
    public Task Lambda_that_returns_the_task_becomes_async_and_awaits_it_after_its_turn() => Verify.VerifyEditsAsync(
        RL0005Cases.Reported["tasks kept in a local made by Select and ToList"],
        RL0005Cases.Usings,
        ("""customers.Select(c => client.DeleteAsync("https://api.stripe.com/v1/customers/" + c)).ToList();""",
         """
         customers.Select(async c =>
                 {
                     await RequestPacer.Shared("api.stripe.com/*", QuotaWindow.PerSecond(25)).WaitTurnAsync();
                     return await client.DeleteAsync("https://api.stripe.com/v1/customers/" + c);
                 }).ToList();
         """));

    [Fact]
    public Task Parallel_ForEachAsync_waits_with_the_lambdas_own_token() => Verify.VerifyEditsAsync(
        RL0005Cases.Reported["Parallel.ForEachAsync over a catalogued endpoint, bounded but not paced"],
        RL0005Cases.Usings,
        ("""
                 {
                     using var response
         """,
         """
                 {
                     await RequestPacer.Shared("api.stripe.com/*", QuotaWindow.PerSecond(25)).WaitTurnAsync(ct);
                     using var response
         """));

    [Fact]
    public Task Synchronous_Parallel_ForEach_blocks_on_the_pacer() => Verify.VerifyEditsAsync(
        RL0005Cases.Reported["a synchronous Parallel.ForEach to a catalogued endpoint"],
        RL0005Cases.Usings,
        ("""Parallel.ForEach(events, e => client.Send(new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = e }));""",
         """
         Parallel.ForEach(events, e =>
                 {
                     RequestPacer.Shared("api.archiva.app/api/ingest/event", new QuotaWindow(100, TimeSpan.FromSeconds(60))).WaitTurn();
                     client.Send(new HttpRequestMessage(HttpMethod.Post, "https://api.archiva.app/api/ingest/event") { Content = e });
                 });
         """));

    [Fact]
    public Task Tasks_started_in_a_loop_start_at_the_quotas_pace() => Verify.VerifyEditsAsync(
        RL0005Cases.Reported["tasks started in a foreach loop and awaited together"],
        RL0005Cases.Usings,
        ("""
                     tasks.Add(
         """,
         """
                     await RequestPacer.Shared("api.example.com/v1/events", QuotaWindow.PerSecond(1)).WaitTurnAsync();
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
             public Task<string[]> CustomersAsync(HttpClient client, List<string> ids) =>
                 Task.WhenAll(ids.Select(async id =>
                 {
                     await RequestPacer.Shared("api.stripe.com/*", QuotaWindow.PerSecond(25)).WaitTurnAsync();
                     return await client.GetStringAsync("https://api.stripe.com/v1/customers/" + id);
                 }));
             public Task<string[]> InvoicesAsync(HttpClient client, List<string> ids) =>
                 Task.WhenAll(ids.Select(async id =>
                 {
                     await RequestPacer.Shared("api.stripe.com/*", QuotaWindow.PerSecond(25)).WaitTurnAsync();
                     return await client.GetStringAsync("https://api.stripe.com/v1/invoices/" + id);
                 }));
         }
         """));

    [Fact]
    public Task No_fix_is_offered_when_the_runtime_is_not_emitted() => Verify.VerifyNoFixWithoutRuntimeAsync(
        RL0005Cases.Reported["Parallel.ForEach with an async lambda"]);
}
