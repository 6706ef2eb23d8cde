using Microsoft.CodeAnalysis.Operations;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>A call that sends an HTTP request, with what the code shows of its target.</summary>
/// <param name="Invocation">The call.</param>
/// <param name="HttpMethod">GET, POST, ... when known.</param>
/// <param name="Url">The request URL as far as the code shows it; parts computed at run time appear as <c>{0}</c>.</param>
/// <param name="Api">The API method called, e.g. <c>HttpClient.GetAsync</c>.</param>
internal sealed record RequestSend(IInvocationOperation Invocation, string? HttpMethod, string? Url, string Api);
