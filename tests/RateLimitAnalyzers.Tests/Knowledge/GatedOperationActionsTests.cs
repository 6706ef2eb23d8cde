using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Rules.RL0002RateLimitedEndpointWithoutRetryAnalyzer>;

namespace RateLimitAnalyzers.Tests.Knowledge;

/// <summary>
/// The rules bind only the members whose names may send, but every kind of member that holds code is one of them: a send
/// is found in each, as an operation-block action would find it.
/// </summary>
public class GatedOperationActionsTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;

        static class Http
        {
            public static readonly HttpClient Client = new HttpClient();
        }

        """;

    private static DiagnosticResult Reported => Verify.Diagnostic(RuleIdentifiers.RateLimitedEndpointWithoutRetry)
        .WithLocation(0)
        .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
        .WithArguments("GitHub REST API allows 5,000 requests per hour (authenticated)", "403 or 429 with Retry-After");

    public static readonly Dictionary<string, string> Members = new()
    {
        ["field initializer"] = """
            private readonly Lazy<Task<string>> _issues = new(() => Http.Client.{|#0:GetStringAsync|}("https://api.github.com/repos/dotnet/runtime/issues"));
            """,
        ["property initializer"] = """
            public Task<string> Issues { get; } = Http.Client.{|#0:GetStringAsync|}("https://api.github.com/repos/dotnet/runtime/issues");
            """,
        ["expression-bodied property"] = """
            public Task<string> Issues => Http.Client.{|#0:GetStringAsync|}("https://api.github.com/repos/dotnet/runtime/issues");
            """,
        ["getter body"] = """
            public Task<string> Issues { get { return Http.Client.{|#0:GetStringAsync|}("https://api.github.com/repos/dotnet/runtime/issues"); } }
            """,
        ["indexer"] = """
            public Task<string> this[int page] => Http.Client.{|#0:GetStringAsync|}("https://api.github.com/repos/dotnet/runtime/issues?page=" + page);
            """,
        ["constructor"] = """
            private readonly Task<string> _issues;
            public IssueList() { _issues = Http.Client.{|#0:GetStringAsync|}("https://api.github.com/repos/dotnet/runtime/issues"); }
            """,
        ["static constructor"] = """
            private static readonly Task<string> s_issues;
            static IssueList() { s_issues = Http.Client.{|#0:GetStringAsync|}("https://api.github.com/repos/dotnet/runtime/issues"); }
            """,
        ["operator"] = """
            public static Task<string> operator +(IssueList left, int page) => Http.Client.{|#0:GetStringAsync|}("https://api.github.com/repos/dotnet/runtime/issues?page=" + page);
            """,
        ["local function"] = """
            public Task<string> ListAsync()
            {
                return Fetch();
                Task<string> Fetch() => Http.Client.{|#0:GetStringAsync|}("https://api.github.com/repos/dotnet/runtime/issues");
            }
            """,
        ["lambda in a method"] = """
            public Func<Task<string>> List() => () => Http.Client.{|#0:GetStringAsync|}("https://api.github.com/repos/dotnet/runtime/issues");
            """,
    };

    public static IEnumerable<object[]> MemberNames()
    {
        foreach (var name in Members.Keys)
        {
            yield return new object[] { name };
        }
    }

    [Theory]
    [MemberData(nameof(MemberNames))]
    public Task A_send_is_found_in_every_kind_of_member(string member) => Verify.VerifyAnalyzerAsync(
        Usings + "class IssueList\n{\n" + Members[member] + "\n}\n",
        Reported);

    [Fact]
    public Task A_send_is_found_in_nested_types() => Verify.VerifyAnalyzerAsync(
        Usings + "namespace Api { class Outer { class IssueList\n{\n" + Members["expression-bodied property"] + "\n} } }\n",
        Reported);

    [Fact]
    public Task A_send_is_found_in_top_level_statements()
    {
        var test = new Verify.Test
        {
            TestCode = Usings.Replace("using System.Threading.Tasks;\n", "using System.Threading.Tasks;\n\nvar issues = await Http.Client.{|#0:GetStringAsync|}(\"https://api.github.com/repos/dotnet/runtime/issues\");\nConsole.WriteLine(issues);\n"),
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Reported);
        return test.RunAsync(CancellationToken.None);
    }
}
