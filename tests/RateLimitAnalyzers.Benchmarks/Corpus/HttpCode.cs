using System;
using System.Linq;

namespace RateLimitAnalyzers.Benchmarks.Corpus;

/// <summary>
/// The HTTP code of a line-of-business code base: typed clients, paging exports (about half of them paced),
/// retry code written by hand and with Polly v8, and the DI registrations that wire the clients up.
/// </summary>
internal static class HttpCode
{
    /// <summary>APIs such code bases call; some are in the built-in endpoint catalog, most are not.</summary>
    public static readonly (string Name, string BaseUrl, string Resource)[] Apis =
    {
        ("GitHub", "https://api.github.com/", "repos/contoso/portal/issues"),
        ("Stripe", "https://api.stripe.com/", "v1/charges"),
        ("HubSpot", "https://api.hubapi.com/", "crm/v3/objects/contacts"),
        ("Zendesk", "https://contoso.zendesk.com/", "api/v2/tickets"),
        ("Jira", "https://contoso.atlassian.net/", "rest/api/3/search"),
        ("Shopify", "https://contoso.myshopify.com/", "admin/api/2024-01/orders.json"),
        ("Mailchimp", "https://us1.api.mailchimp.com/", "3.0/lists"),
        ("Twilio", "https://api.twilio.com/", "2010-04-01/Accounts/AC42/Messages.json"),
        ("Intercom", "https://api.intercom.io/", "contacts"),
        ("Airtable", "https://api.airtable.com/", "v0/app42/orders"),
        ("Okta", "https://contoso.okta.com/", "api/v1/users"),
        ("Ledger", "https://ledger.contoso.internal/", "api/entries"),
    };

    private static (string Name, string BaseUrl, string Resource) ApiOf(CorpusUnit unit) => Apis.First(a => a.Name == unit.Stem);

    private static void Dtos(CodeWriter w, CorpusUnit unit)
    {
        w.Line("public sealed record " + unit.Name("Item") + "(string Id, string Name, DateTimeOffset UpdatedAt, decimal? Amount);").Line();
        w.Line("public sealed record " + unit.Name("Page") + "(IReadOnlyList<" + unit.Name("Item") + "> Items, string? NextCursor, int Total);").Line();
    }

    public static string TypedClient(CorpusUnit unit, SplitMix64 random)
    {
        var (_, _, resource) = ApiOf(unit);
        var item = unit.Name("Item");
        var page = unit.Name("Page");
        var w = new CodeWriter();
        w.Usings("System", "System.Collections.Generic", "System.Net", "System.Net.Http", "System.Net.Http.Json", "System.Text", "System.Threading", "System.Threading.Tasks");
        w.Line("namespace " + unit.Namespace + ";").Line();
        Dtos(w, unit);
        w.Line("/// <summary>Typed client for " + unit.Stem + "'s " + resource + " resource; registered with AddHttpClient.</summary>");
        w.Open("public sealed class " + unit.TypeName);
        w.Line("private const string Resource = \"" + resource + "\";").Line();
        w.Line("private readonly HttpClient _http;").Line();
        w.Open("public " + unit.TypeName + "(HttpClient http)").Line("_http = http;").Close().Line();

        w.Line("public Task<" + item + "?> GetAsync(string id, CancellationToken cancellationToken = default) =>");
        w.Line("    _http.GetFromJsonAsync<" + item + ">(Resource + \"/\" + Uri.EscapeDataString(id), cancellationToken);").Line();

        w.Open("public async Task<" + page + "> GetPageAsync(string? cursor, int limit, CancellationToken cancellationToken = default)");
        w.Line("var url = cursor is null ? $\"{Resource}?limit={limit}\" : $\"{Resource}?limit={limit}&cursor={Uri.EscapeDataString(cursor)}\";");
        w.Line("return await _http.GetFromJsonAsync<" + page + ">(url, cancellationToken).ConfigureAwait(false) ?? new " + page + "(Array.Empty<" + item + ">(), null, 0);");
        w.Close().Line();

        w.Open("public async Task<" + item + "> CreateAsync(" + item + " item, CancellationToken cancellationToken = default)");
        w.Line("using var response = await _http.PostAsJsonAsync(Resource, item, cancellationToken).ConfigureAwait(false);");
        w.Line("response.EnsureSuccessStatusCode();");
        w.Line("return await response.Content.ReadFromJsonAsync<" + item + ">(cancellationToken: cancellationToken).ConfigureAwait(false)");
        w.Line("    ?? throw new InvalidOperationException(\"" + unit.Stem + " returned an empty body.\");");
        w.Close();

        if (random.Chance(70))
        {
            w.Line().Open("public async Task UpdateAsync(" + item + " item, CancellationToken cancellationToken = default)");
            w.Line("using var response = await _http.PutAsJsonAsync(Resource + \"/\" + Uri.EscapeDataString(item.Id), item, cancellationToken).ConfigureAwait(false);");
            w.Line("response.EnsureSuccessStatusCode();");
            w.Close();
        }

        if (random.Chance(70))
        {
            w.Line().Open("public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)");
            w.Line("using var response = await _http.DeleteAsync(Resource + \"/\" + Uri.EscapeDataString(id), cancellationToken).ConfigureAwait(false);");
            w.Open("if (response.StatusCode == HttpStatusCode.NotFound)").Line("return false;").Close().Line();
            w.Line("response.EnsureSuccessStatusCode();");
            w.Line("return true;");
            w.Close();
        }

        if (random.Chance(60))
        {
            w.Line().Open("public async Task<string> SendRawAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken = default)");
            w.Line("using var request = new HttpRequestMessage(method, path);");
            w.Line("request.Headers.Add(\"X-Request-Id\", Guid.NewGuid().ToString(\"N\"));");
            w.Open("if (json is not null)").Line("request.Content = new StringContent(json, Encoding.UTF8, \"application/json\");").Close().Line();
            w.Line("using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);");
            w.Line("return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);");
            w.Close();
        }

        if (random.Chance(50))
        {
            w.Line().Open("public async Task<IReadOnlyList<" + item + ">> GetManyAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default)");
            w.Line("var tasks = new List<Task<" + item + "?>>();");
            w.Open("foreach (var id in ids)").Line("tasks.Add(GetAsync(id, cancellationToken));").Close().Line();
            w.Line("var items = await Task.WhenAll(tasks).ConfigureAwait(false);");
            w.Line("var found = new List<" + item + ">(items.Length);");
            w.Open("foreach (var item in items)").Open("if (item is not null)").Line("found.Add(item);").Close().Close().Line();
            w.Line("return found;");
            w.Close();
        }

        w.Close();
        return w.ToString();
    }

    public static string PagingExport(CorpusUnit unit, SplitMix64 random)
    {
        var (_, baseUrl, resource) = ApiOf(unit);
        var item = unit.Name("Item");
        var page = unit.Name("Page");
        var w = new CodeWriter();
        w.Usings("System", "System.Collections.Generic", "System.Linq", "System.Net.Http", "System.Net.Http.Json", "System.Threading", "System.Threading.RateLimiting", "System.Threading.Tasks");
        w.Line("namespace " + unit.Namespace + ";").Line();
        Dtos(w, unit);
        w.Line("/// <summary>Exports every " + unit.Stem + " record for the nightly " + unit.Area.ToLowerInvariant() + " report.</summary>");
        w.Open("public sealed class " + unit.TypeName + " : IDisposable");
        w.Line("private const string Endpoint = \"" + baseUrl + resource + "\";").Line();
        w.Line("private readonly HttpClient _http;");
        w.Line("private readonly RateLimiter _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions");
        w.Line("{");
        w.Line("    TokenLimit = " + random.Between(2, 20) + ",");
        w.Line("    TokensPerPeriod = " + random.Between(1, 5) + ",");
        w.Line("    ReplenishmentPeriod = TimeSpan.FromSeconds(1),");
        w.Line("    QueueLimit = int.MaxValue,");
        w.Line("});").Line();
        w.Open("public " + unit.TypeName + "(HttpClient http)").Line("_http = http;").Close().Line();
        w.Line("public void Dispose() => _limiter.Dispose();");

        // Each loop shape appears paced and unpaced, as it does in real code bases.
        foreach (var loop in random.Sample(s_pagingLoops, random.Between(2, 4)))
        {
            w.Line();
            loop(w, item, page, random.Chance(50));
        }

        w.Line().Open("private async Task<" + page + "> FetchPageAsync(string? cursor, CancellationToken cancellationToken)");
        w.Line("var url = cursor is null ? Endpoint + \"?limit=100\" : Endpoint + \"?limit=100&cursor=\" + Uri.EscapeDataString(cursor);");
        w.Line("return await _http.GetFromJsonAsync<" + page + ">(url, cancellationToken).ConfigureAwait(false) ?? new " + page + "(Array.Empty<" + item + ">(), null, 0);");
        w.Close();
        w.Close();
        return w.ToString();
    }

    private static readonly Action<CodeWriter, string, string, bool>[] s_pagingLoops =
    {
        (w, item, page, paced) =>
        {
            w.Open("public async Task<List<" + item + ">> ExportAllAsync(CancellationToken cancellationToken)");
            w.Line("var all = new List<" + item + ">();");
            w.Line("string? cursor = null;");
            w.Line("do");
            w.Line("{");
            w.Line("    var url = cursor is null ? Endpoint + \"?limit=100\" : Endpoint + \"?limit=100&cursor=\" + cursor;");
            w.Line("    var page = await _http.GetFromJsonAsync<" + page + ">(url, cancellationToken).ConfigureAwait(false);");
            w.Line("    if (page is null)");
            w.Line("    {");
            w.Line("        break;");
            w.Line("    }");
            w.Line();
            w.Line("    all.AddRange(page.Items);");
            w.Line("    cursor = page.NextCursor;");
            if (paced)
            {
                w.Line("    await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);");
            }

            w.Line("}");
            w.Line("while (cursor is not null);").Line();
            w.Line("return all;");
            w.Close();
        },
        (w, item, page, paced) =>
        {
            w.Open("public async Task<int> CountUpdatedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)");
            w.Line("var count = 0;");
            w.Open("for (var pageNumber = 1; ; pageNumber++)");
            if (paced)
            {
                w.Line("using var lease = await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);");
            }

            w.Line("var page = await _http.GetFromJsonAsync<" + page + ">($\"{Endpoint}?page={pageNumber}&per_page=100\", cancellationToken).ConfigureAwait(false);");
            w.Open("if (page is null || page.Items.Count == 0)").Line("break;").Close().Line();
            w.Line("count += page.Items.Count(i => i.UpdatedAt >= since);");
            w.Close().Line();
            w.Line("return count;");
            w.Close();
        },
        (w, item, page, paced) =>
        {
            w.Open("public async IAsyncEnumerable<" + item + "> StreamAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)");
            w.Line("string? cursor = null;");
            w.Open("while (true)");
            w.Line("var page = await FetchPageAsync(cursor, cancellationToken).ConfigureAwait(false);");
            w.Open("foreach (var item in page.Items)").Line("yield return item;").Close().Line();
            w.Open("if (page.NextCursor is null)").Line("yield break;").Close().Line();
            w.Line("cursor = page.NextCursor;");
            if (paced)
            {
                w.Line("await Task.Delay(1000, cancellationToken).ConfigureAwait(false);");
            }

            w.Close();
            w.Close();
        },
        (w, item, page, paced) =>
        {
            w.Open("public async Task<Dictionary<string, decimal>> SumByNameAsync(CancellationToken cancellationToken)");
            w.Line("var sums = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);");
            if (paced)
            {
                w.Line("using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));");
            }

            w.Line("var next = Endpoint + \"?limit=100\";");
            w.Open("while (next is not null)");
            if (paced)
            {
                w.Line("await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);");
            }

            w.Line("using var response = await _http.GetAsync(next, cancellationToken).ConfigureAwait(false);");
            w.Line("response.EnsureSuccessStatusCode();");
            w.Line("var page = await response.Content.ReadFromJsonAsync<" + page + ">(cancellationToken: cancellationToken).ConfigureAwait(false);");
            w.Open("foreach (var item in page?.Items ?? Array.Empty<" + item + ">())");
            w.Line("sums[item.Name] = sums.GetValueOrDefault(item.Name) + (item.Amount ?? 0m);");
            w.Close().Line();
            w.Line("next = response.Headers.TryGetValues(\"Link\", out var links) ? NextLink(links.FirstOrDefault()) : null;");
            w.Close().Line();
            w.Line("return sums;");
            w.Close().Line();
            w.Open("private static string? NextLink(string? header)");
            w.Open("if (header is null)").Line("return null;").Close().Line();
            w.Open("foreach (var part in header.Split(','))");
            w.Line("var segments = part.Split(';');");
            w.Open("if (segments.Length == 2 && segments[1].Trim() == \"rel=\\\"next\\\"\")").Line("return segments[0].Trim().Trim('<', '>');").Close();
            w.Close().Line();
            w.Line("return null;");
            w.Close();
        },
        (w, item, page, paced) =>
        {
            w.Open("public async Task<int> ArchiveOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)");
            w.Line("var archived = 0;");
            w.Line("var page = await FetchPageAsync(null, cancellationToken).ConfigureAwait(false);");
            w.Open("while (true)");
            w.Open("foreach (var item in page.Items.Where(i => i.UpdatedAt < cutoff))");
            w.Line("using var response = await _http.PostAsync(Endpoint + \"/\" + item.Id + \"/archive\", null, cancellationToken).ConfigureAwait(false);");
            w.Open("if (response.IsSuccessStatusCode)").Line("archived++;").Close();
            w.Close().Line();
            w.Open("if (page.NextCursor is null)").Line("break;").Close().Line();
            if (paced)
            {
                w.Line("await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);");
            }

            w.Line("page = await FetchPageAsync(page.NextCursor, cancellationToken).ConfigureAwait(false);");
            w.Close().Line();
            w.Line("return archived;");
            w.Close();
        },
    };

    public static string Retry(CorpusUnit unit, SplitMix64 random)
    {
        var (_, baseUrl, resource) = ApiOf(unit);
        var item = unit.Name("Item");
        var w = new CodeWriter();
        w.Usings("System", "System.Collections.Generic", "System.Net", "System.Net.Http", "System.Net.Http.Json", "System.Threading", "System.Threading.RateLimiting", "System.Threading.Tasks", "Polly", "Polly.Retry");
        w.Line("namespace " + unit.Namespace + ";").Line();
        w.Line("public sealed record " + item + "(string Id, string Name, DateTimeOffset UpdatedAt, decimal? Amount);").Line();
        w.Open("public sealed class " + unit.TypeName);
        w.Line("private const string Endpoint = \"" + baseUrl + resource + "\";").Line();
        w.Line("private static readonly ResiliencePipeline<HttpResponseMessage> s_pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()");
        w.Line("    .AddRetry(new RetryStrategyOptions<HttpResponseMessage>");
        w.Line("    {");
        w.Line("        MaxRetryAttempts = " + random.Between(2, 6) + ",");
        w.Line("        BackoffType = DelayBackoffType.Exponential,");
        w.Line("        UseJitter = true,");
        w.Line("        Delay = TimeSpan.FromMilliseconds(" + random.Pick(new[] { 100, 200, 500 }) + "),");
        w.Line("        ShouldHandle = new PredicateBuilder<HttpResponseMessage>()");
        w.Line("            .Handle<HttpRequestException>()");
        w.Line("            .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),");
        w.Line("    })");
        w.Line("    .AddTimeout(TimeSpan.FromSeconds(" + random.Between(5, 30) + "))");
        w.Line("    .Build();").Line();
        var limited = random.Chance(40);
        if (limited)
        {
            w.Line("private static readonly ResiliencePipeline s_limited = new ResiliencePipelineBuilder()");
            w.Line("    .AddRateLimiter(new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions { PermitLimit = " + random.Between(5, 50) + ", Window = TimeSpan.FromSeconds(1), SegmentsPerWindow = 4, QueueLimit = 100 }))");
            w.Line("    .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3 })");
            w.Line("    .Build();").Line();
        }

        w.Line("private readonly HttpClient _http;").Line();
        w.Open("public " + unit.TypeName + "(HttpClient http)").Line("_http = http;").Close().Line();

        w.Open("public async Task<" + item + "?> GetWithBackoffAsync(string id, CancellationToken cancellationToken)");
        w.Line("var delay = TimeSpan.FromMilliseconds(200);");
        w.Open("for (var attempt = 1; ; attempt++)");
        w.Line("using var response = await _http.GetAsync(Endpoint + \"/\" + id, cancellationToken).ConfigureAwait(false);");
        w.Open("if (response.IsSuccessStatusCode)").Line("return await response.Content.ReadFromJsonAsync<" + item + ">(cancellationToken: cancellationToken).ConfigureAwait(false);").Close().Line();
        w.Open("if (attempt == 5 || (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500))").Line("response.EnsureSuccessStatusCode();").Close().Line();
        if (random.Chance(60))
        {
            w.Line("var wait = response.Headers.RetryAfter?.Delta ?? delay;");
            w.Line("await Task.Delay(wait, cancellationToken).ConfigureAwait(false);");
        }
        else
        {
            w.Line("await Task.Delay(delay, cancellationToken).ConfigureAwait(false);");
        }

        w.Line("delay *= 2;");
        w.Close();
        w.Close().Line();

        w.Open("public async Task<string> GetThroughPipelineAsync(string path, CancellationToken cancellationToken)");
        w.Line("using var response = await s_pipeline.ExecuteAsync(async token => await _http.GetAsync(Endpoint + path, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);");
        w.Line("response.EnsureSuccessStatusCode();");
        w.Line("return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);");
        w.Close();

        if (limited)
        {
            w.Line().Open("public async Task PushAllAsync(IEnumerable<" + item + "> items, CancellationToken cancellationToken)");
            w.Open("foreach (var item in items)");
            w.Line("await s_limited.ExecuteAsync(async token =>");
            w.Line("{");
            w.Line("    using var response = await _http.PostAsJsonAsync(Endpoint, item, token).ConfigureAwait(false);");
            w.Line("    response.EnsureSuccessStatusCode();");
            w.Line("}, cancellationToken).ConfigureAwait(false);");
            w.Close();
            w.Close();
        }

        if (random.Chance(50))
        {
            w.Line().Open("public async Task<bool> TryDeleteAsync(string id, CancellationToken cancellationToken)");
            w.Line("var attempts = 0;");
            w.Open("while (true)");
            w.Open("try");
            w.Line("using var response = await _http.DeleteAsync(Endpoint + \"/\" + id, cancellationToken).ConfigureAwait(false);");
            w.Line("return response.IsSuccessStatusCode;");
            w.Close();
            w.Open("catch (HttpRequestException) when (++attempts < 3)");
            w.Line("await Task.Delay(TimeSpan.FromSeconds(attempts), cancellationToken).ConfigureAwait(false);");
            w.Close();
            w.Close();
            w.Close();
        }

        w.Close();
        return w.ToString();
    }

    public static string Registrations(CorpusUnit unit, SplitMix64 random, CorpusPlan plan)
    {
        // Only earlier files: any prefix of the corpus compiles on its own.
        var clients = plan.OfKind(CorpusFileKind.TypedClient).Where(u => u.Index < unit.Index).ToList();
        var repositories = plan.OfKind(CorpusFileKind.Queries).Where(u => u.Index < unit.Index).ToList();
        var w = new CodeWriter();
        w.Usings("System", "System.Net.Http", "Microsoft.Extensions.DependencyInjection");
        w.Line("namespace " + unit.Namespace + ";").Line();
        w.Open("public static class " + unit.TypeName);
        w.Open("public static IServiceCollection Add" + unit.Name("Services") + "(this IServiceCollection services)");
        var clientCount = clients.Count == 0 ? 0 : random.Between(2, 6);
        for (var i = 0; i < clientCount; i++)
        {
            var client = clients[random.Next(clients.Count)];
            var (_, baseUrl, _) = ApiOf(client);
            w.Line("services.AddHttpClient<" + client.FullTypeName + ">(client =>");
            w.Line("{");
            w.Line("    client.BaseAddress = new Uri(\"" + baseUrl + "\");");
            w.Line("    client.Timeout = TimeSpan.FromSeconds(" + random.Between(10, 100) + ");");
            w.Line("    client.DefaultRequestHeaders.UserAgent.ParseAdd(\"contoso-" + unit.Area.ToLowerInvariant() + "/1.0\");");
            w.Line("});").Line();
        }

        w.Line("services.AddHttpClient(\"" + unit.Name() + "\")");
        w.Line("    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(" + random.Between(2, 15) + ") });").Line();
        var repositoryCount = repositories.Count == 0 ? 0 : random.Between(2, 8);
        for (var i = 0; i < repositoryCount; i++)
        {
            var service = repositories[random.Next(repositories.Count)];
            w.Line("services." + random.Pick(new[] { "AddSingleton", "AddScoped", "AddTransient" }) + "<" + service.FullTypeName + ">();");
        }

        w.Line().Line("return services;");
        w.Close();
        w.Close();
        return w.ToString();
    }
}
