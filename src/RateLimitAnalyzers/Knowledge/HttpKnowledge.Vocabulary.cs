using System;
using System.Collections.Immutable;

namespace RateLimitAnalyzers.Knowledge;

// The names the knowledge recognises calls by: one list per concept (sends, waits, Polly retries, RestSharp verbs), and how deep calls are followed.
internal sealed partial class HttpKnowledge
{
    // Followed through this many calls into the user's own methods ("SendPageAsync → GetJsonAsync → client.GetAsync"): as
    // deep as the name index looks, so that the name gate and the summaries agree on what is worth following.
    private const int MaxCallDepth = CallNameIndex.Rounds;

    // The older transports: WebClient's transfers and a WebRequest's response (HttpWebRequest.GetResponse).
    private static readonly ImmutableHashSet<string> s_webClientSendNames = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "DownloadString", "DownloadStringTaskAsync", "DownloadData", "DownloadDataTaskAsync", "DownloadFile", "DownloadFileTaskAsync",
        "UploadString", "UploadStringTaskAsync", "UploadData", "UploadDataTaskAsync", "UploadValues", "UploadValuesTaskAsync",
        "UploadFile", "UploadFileTaskAsync", "OpenRead", "OpenReadTaskAsync");

    private static readonly ImmutableHashSet<string> s_webRequestSendNames = ImmutableHashSet.Create(StringComparer.Ordinal, "GetResponse", "GetResponseAsync");

    private static readonly string[] s_restSharpVerbs = { "Get", "Post", "Put", "Patch", "Delete", "Head", "Options" };

    private static readonly ImmutableHashSet<string> s_httpClientSendMethods = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "GetAsync", "PostAsync", "PutAsync", "PatchAsync", "DeleteAsync", "SendAsync", "Send",
        "GetStringAsync", "GetByteArrayAsync", "GetStreamAsync", "GetString", "GetByteArray", "GetStream");

    // Calls that send by themselves, by name (RestSharp's Execute* aside): HttpClient's, its JSON extensions', RestSharp's.
    private static readonly ImmutableHashSet<string> s_sendNames = s_httpClientSendMethods.Union(new[]
    {
        "GetFromJsonAsync", "GetFromJsonAsAsyncEnumerable", "PostAsJsonAsync", "PutAsJsonAsync", "PatchAsJsonAsync", "DeleteFromJsonAsync",
        "GetJsonAsync", "PostJsonAsync", "PutJsonAsync", "PatchJsonAsync", "DeleteJsonAsync", "DownloadDataAsync", "DownloadStreamAsync",
    }).Union(s_webClientSendNames).Union(s_webRequestSendNames);

    // Calls that may send or wait by themselves: what makes a method of the user's worth following into. The runtime's
    // Run and RunAsync count only when called through its type (see CallNameIndex.CallNames): a library's own Run is no send.
    private static readonly ImmutableHashSet<string> s_sendOrWaitNames = s_sendNames.Union(new[]
    {
        "Delay", "Sleep", "WaitForNextTickAsync", "AcquireAsync", "AttemptAcquire", "WaitTurnAsync", "WaitTurn", "TryTakeTurn", "RateLimitedSend.RunAsync", "RateLimitedSend.Run",
    });

    // Polly's retries by name (v8 options and builder, v7 policies): a block with one may hold a retry of HTTP work.
    private static readonly ImmutableHashSet<string> s_pollyRetryNames = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "RetryStrategyOptions", "HttpRetryStrategyOptions", "AddRetry", "Retry", "RetryAsync", "RetryForever", "RetryForeverAsync",
        "WaitAndRetry", "WaitAndRetryAsync", "WaitAndRetryForever", "WaitAndRetryForeverAsync", "AddTransientHttpErrorPolicy", "AddPolicyHandler");

    private static readonly string[] s_restSharpSendPrefixes = { "Execute", "Get", "Post", "Put", "Patch", "Delete", "Head", "Options", "Download" };

    // Asked by the index only about its gate names (these lists), the user's method names, Refit methods and Execute*.
    private bool IsRequestName(string name, CallNameIndex index) =>
        (s_sendNames.Contains(name) && (_sendExists || name != "Send"))
        || s_pollyRetryNames.Contains(name)
        || name.StartsWith("Execute", StringComparison.Ordinal)
        || index.IsRefitMethod(name)
        || index.IsWorthFollowing(name);
}
