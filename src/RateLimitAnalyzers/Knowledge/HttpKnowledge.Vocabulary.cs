using System;
using System.Collections.Immutable;

namespace RateLimitAnalyzers.Knowledge;

// The names the knowledge recognises calls by: one list per concept (sends, waits, Polly retries, RestSharp verbs), and how deep calls are followed.
internal sealed partial class HttpKnowledge
{
    // Followed through this many calls into the user's own methods ("SendPageAsync → GetJsonAsync → client.GetAsync"),
    // and as deep the name index looks (CallNameIndex.Rounds), so that the name gate and the summaries agree on what is
    // worth following. Summaries are composed once per method, so depth costs nothing per path; the bound is a safety net
    // for generated or pathological chains.
    internal const int MaxCallDepth = 8;

    // How deep a member that repeats nothing (no loop, no fan-out; see MayRepeatRequests) is looked through for a send
    // before the rules analyse it at all. What they report outside loops sits near the send (RL0002 at the send itself),
    // while in an HTTP library nearly every method reaches one seven calls down: following those everywhere would
    // analyse most of the library for nothing.
    internal const int NonRepeatingCallDepth = 3;

    // How deep a value is followed into the user's helpers to see where it comes from or what bounds it (Retry-After
    // read by a helper, a rate-limit header stored in a field, an attempt limit in a retry policy): a helper, and one it calls.
    internal const int HelperDepth = 2;

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
        "GetStringAsync", "GetByteArrayAsync", "GetStreamAsync");

    // Calls that send by themselves, by name: HttpClient's, its JSON extensions', the older transports'.
    private static readonly ImmutableHashSet<string> s_sendNames = s_httpClientSendMethods.Union(new[]
    {
        "GetFromJsonAsync", "GetFromJsonAsAsyncEnumerable", "PostAsJsonAsync", "PutAsJsonAsync", "PatchAsJsonAsync", "DeleteFromJsonAsync",
    }).Union(s_webClientSendNames).Union(s_webRequestSendNames);

    // RestSharp's calls that send on a RestClient, besides Execute*: its verbs and their Async, Json and Download forms.
    // Names as common as Get count only where RestSharp is referenced (see IsRequestName).
    private static readonly ImmutableHashSet<string> s_restSharpSendNames = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Get", "GetAsync", "Post", "PostAsync", "Put", "PutAsync", "Patch", "PatchAsync", "Delete", "DeleteAsync", "Head", "HeadAsync",
        "Options", "OptionsAsync", "GetJson", "GetJsonAsync", "PostJson", "PostJsonAsync", "PutJson", "PutJsonAsync",
        "DownloadData", "DownloadDataAsync", "DownloadStream", "DownloadStreamAsync");

    // Calls that may send or wait by themselves: what makes a method of the user's worth following into. The runtime's
    // Run and RunAsync count only when called through its type (see CallNameIndex.CallNames): a library's own Run is no send.
    private static readonly ImmutableHashSet<string> s_sendOrWaitNames = s_sendNames.Union(new[]
    {
        "Delay", "Sleep", "WaitForNextTickAsync", "AcquireAsync", "AttemptAcquire", "WaitTurnAsync", "WaitTurn", "TryTakeTurn", PacingRuntime.RateLimitedSendName + ".RunAsync", PacingRuntime.RateLimitedSendName + ".Run",
    });

    /// <summary>For tests: the calls that send or wait by themselves, by name, which seed the name index.</summary>
    internal static ImmutableHashSet<string> SendOrWaitNames => s_sendOrWaitNames;

    /// <summary>Polly v7's retry policies, by the <c>PolicyBuilder</c> method that makes them.</summary>
    internal static readonly ImmutableHashSet<string> PollyPolicyRetryNames = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Retry", "RetryAsync", "RetryForever", "RetryForeverAsync", "WaitAndRetry", "WaitAndRetryAsync", "WaitAndRetryForever", "WaitAndRetryForeverAsync");

    /// <summary>Polly's retry stages in a pipeline or policy: v8's <c>AddRetry</c>, and v7's policies.</summary>
    internal static readonly ImmutableHashSet<string> PollyRetryStageNames = PollyPolicyRetryNames.Add("AddRetry");

    // Polly's retries by name (v8 options and builder, v7 policies): a block with one may hold a retry of HTTP work.
    private static readonly ImmutableHashSet<string> s_pollyRetryNames = PollyRetryStageNames.Union(new[]
    {
        "RetryStrategyOptions", "HttpRetryStrategyOptions", "AddTransientHttpErrorPolicy", "AddPolicyHandler",
    });

    /// <summary>Whether a method of RestSharp's client sends by this name: <c>Execute*</c> or one of its verbs' forms.</summary>
    private static bool IsRestSharpSendName(string name) => name.StartsWith("Execute", StringComparison.Ordinal) || s_restSharpSendNames.Contains(name);

    /// <summary>Whether a call by this name may send by itself, in this compilation: the seeds of the name gate.</summary>
    private bool IsSendName(string name) =>
        (s_sendNames.Contains(name) && (_sendExists || name != "Send"))
        || (RestClient is not null || RestClientInterface is not null) && s_restSharpSendNames.Contains(name);

    /// <summary>For tests: every name a call sends by, whatever the compilation references.</summary>
    internal static ImmutableHashSet<string> SendNames => s_sendNames.Union(s_restSharpSendNames);

    // Asked by the index only about its gate names (these lists), the user's method names, Refit methods and Execute*.
    private bool IsRequestName(string name, CallNameIndex index, int calls) =>
        IsSendName(name)
        || s_pollyRetryNames.Contains(name)
        || name.StartsWith("Execute", StringComparison.Ordinal)
        || index.IsRefitMethod(name)
        || index.IsWorthFollowing(name, calls);

    // Words of code that repeats requests: loops, and fan-outs that start many at once.
    private static readonly string[] s_repeatWords = { "while", "for", "foreach", "do", "goto", "WhenAll", "ForEach", "ForEachAsync" };
}
